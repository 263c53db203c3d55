#!/usr/bin/env bash
# The issue-9 benchmark: `unlink check` against ripgrep on a synthetic
# monorepo, peak memory, hook startup, and migrating a huge Makefile.
# docs/performance.md has the figures and how to read them.
#
#   bash bench/run.sh            # full run (about 2-4 minutes)
#   BENCH_ROUNDS=2 bash bench/run.sh
#
# Settings (environment):
#   BENCH_DIR     where the tree and chain Makefiles live (default
#                 $CARGO_TARGET_DIR/bench-tree, else target/bench-tree); reused
#                 while the generator and its arguments are unchanged
#   BENCH_FILES   files in the tree (20000)      BENCH_MB      size in MB (200)
#   BENCH_ROUNDS  hyperfine rounds, the order of the two commands alternating
#                 each round (6)                 BENCH_RUNS    runs per round (5)
#   BENCH_CHAIN_ROUNDS  rounds over the chain Makefiles (10k, 20k, 40k
#                 containers), the order reversed each round (6), 3 runs each
#   UNLINK        a prebuilt binary to measure (default: cargo build --release)
#   BENCH_INSTRUCTIONS  0 skips counting the instructions of the chain runs
#                 (valgrind, about a minute; skipped when valgrind is missing)
#
# Needs hyperfine, ripgrep and GNU time (Debian: apt-get install -y hyperfine
# ripgrep time) and python3; valgrind for the instruction counts.
#
# Exit status: 1 when the files `unlink check` reports differ from the
# planted ones (or a tool is missing); the goals are printed, not enforced,
# because timings depend on the machine.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="${BENCH_DIR:-$TARGET/bench-tree}"
FILES="${BENCH_FILES:-20000}"
MB="${BENCH_MB:-200}"
ROUNDS="${BENCH_ROUNDS:-6}"
RUNS="${BENCH_RUNS:-5}"
CHAIN_ROUNDS="${BENCH_CHAIN_ROUNDS:-6}"

for tool in hyperfine rg python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing (Debian: apt-get install -y hyperfine ripgrep time python3)" >&2
    exit 1
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (Debian: apt-get install -y time)" >&2
  exit 1
fi

if [ -z "${UNLINK:-}" ]; then
  (cd "$ROOT" && cargo build --release --locked -q --bin unlink)
  UNLINK="$TARGET/release/unlink"
fi
UNLINK="$(cd "$(dirname "$UNLINK")" && pwd)/$(basename "$UNLINK")"

# --- the inputs (generated once, reused) -----------------------------------
GEN="$ROOT/bench/gen_tree.py"
stamp="files=$FILES mb=$MB seed=9 $(sha256sum "$GEN" | cut -c1-16)"
if [ "$(cat "$WORK/stamp" 2>/dev/null || true)" != "$stamp" ]; then
  if [ -e "$WORK" ] && [ ! -e "$WORK/stamp" ] && [ -n "$(ls -A "$WORK")" ]; then
    echo "bench: $WORK is not empty and was not made by this script; not touching it" >&2
    exit 1
  fi
  echo "bench: generating the tree in $WORK" >&2
  rm -rf "$WORK"
  mkdir -p "$WORK"
  python3 "$GEN" tree "$WORK" --files "$FILES" --mb "$MB"
  # A small repository, as a pre-commit hook sees one: three files.
  mkdir -p "$WORK/small"
  cp "$WORK/tree/$(grep -m1 '/Makefile$' "$WORK/planted.txt")" "$WORK/small/Makefile"
  cp "$WORK/tree/$(grep -m1 '\.sh$' "$WORK/planted.txt")" "$WORK/small/run.sh"
  cp "$WORK/tree/$(grep -m1 'compose' "$WORK/planted.txt")" "$WORK/small/docker-compose.yml"
  echo "$stamp" >"$WORK/stamp"
fi
for n in 10 20 40; do
  if [ ! -f "$WORK/chain-${n}k/Makefile" ]; then
    python3 "$GEN" chain "$WORK/chain-${n}k/Makefile" "${n}000"
  fi
done
TREE="$WORK/tree"
OUT="$WORK/results"
rm -rf "$OUT"
mkdir -p "$OUT"

bytes=$(du -sb --exclude=.git "$TREE" | cut -f1)
nfiles=$(find "$TREE" -path "$TREE/.git" -prune -o -type f -print | wc -l)
echo "tree: $TREE ($nfiles files, $((bytes / 1000000)) MB)"
echo "unlink: $UNLINK ($("$UNLINK" --version))"
echo "rg: $(rg --version | sed -n 1p); hyperfine: $(hyperfine --version)"
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. unlink finds exactly the planted files ------------------------------
cd "$TREE"
set +e
"$UNLINK" check --format json . >"$OUT/check.json"
code=$?
set -e
if [ "$code" != 1 ]; then
  echo "bench: unlink check exited $code, expected 1 (findings)" >&2
  exit 1
fi
python3 - "$OUT/check.json" "$WORK/planted.txt" <<'EOF'
import json, sys
found = sorted({f["path"] for f in json.load(open(sys.argv[1]))["findings"]})
planted = open(sys.argv[2]).read().split()
if found != planted:
    print("FAIL: unlink check reported other files than the planted ones", file=sys.stderr)
    for p in sorted(set(found) - set(planted)):
        print(f"  not planted: {p}", file=sys.stderr)
    for p in sorted(set(planted) - set(found)):
        print(f"  missed:      {p}", file=sys.stderr)
    sys.exit(1)
print(f"found: {len(found)} files, exactly the planted ones")
EOF
echo "rg lists $(rg -l -e --link -e links: . | wc -l) files (docs and ignored-looking text included)"

# --- 2. unlink check vs rg, in alternating rounds ---------------------------
UCMD="$UNLINK check ."
RCMD="rg -l -e --link -e links: ."
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then set -- "$UCMD" "$RCMD"; else set -- "$RCMD" "$UCMD"; fi
  hyperfine -N -i --style none --warmup 2 --runs "$RUNS" \
    --export-json "$OUT/round-$r.json" "$@" >/dev/null 2>>"$OUT/hyperfine.log"
done

# --- 3. peak memory ---------------------------------------------------------
for i in 1 2 3; do
  { /usr/bin/time -v "$UNLINK" check . 2>&1 >/dev/null || true; } |
    sed -n 's/.*Maximum resident set size (kbytes): //p'
done >"$OUT/rss.txt"
rg_rss=$({ /usr/bin/time -v rg -l -e --link -e links: . 2>&1 >/dev/null || true; } |
  sed -n 's/.*Maximum resident set size (kbytes): //p')

# --- 4. a hook's run on a few files -----------------------------------------
cd "$WORK/small"
hyperfine -N -i --style none --warmup 5 --runs 50 --export-json "$OUT/startup.json" \
  "$UNLINK check ." "$UNLINK check Makefile" >/dev/null 2>>"$OUT/hyperfine.log"

# --- 5. the chain Makefiles -------------------------------------------------
# 10,000, 20,000 and 40,000 chained containers, in rounds whose order is
# reversed each round, so that no size always runs on a machine the other
# sizes warmed (or loaded): `migrate --diff` (the diff and every finding
# printed), then `migrate -q` in place on a fresh copy before each run.
cd "$WORK"
mkdir -p mig-10k mig-20k mig-40k
for r in $(seq 1 "$CHAIN_ROUNDS"); do
  sizes="10k 20k 40k"
  [ $((r % 2)) = 0 ] && sizes="40k 20k 10k"
  set --
  for n in $sizes; do set -- "$@" "$UNLINK migrate --diff chain-$n/Makefile"; done
  hyperfine -N -i --style none --warmup 1 --runs 3 --export-json "$OUT/chain-$r.json" \
    "$@" >/dev/null 2>>"$OUT/hyperfine.log"
  set --
  for n in $sizes; do
    set -- "$@" --prepare "cp chain-$n/Makefile mig-$n/Makefile" "$UNLINK migrate -q mig-$n/Makefile"
  done
  hyperfine -N -i --style none --warmup 1 --runs 3 --export-json "$OUT/chain-q-$r.json" \
    "$@" >/dev/null 2>>"$OUT/hyperfine.log"
done
# Peak memory of one run each.
for n in 10k 20k 40k; do
  { /usr/bin/time -f "$n %M" "$UNLINK" migrate --diff "chain-$n/Makefile" 2>&1 >/dev/null || true; } |
    tail -1
done >"$OUT/chain-rss.txt"
# The instructions of one `migrate --diff` run each, and the bytes read and
# written: figures no other load on the machine moves, so they say whether
# the work itself is linear where the wall times are too noisy to
# (docs/performance.md, "The doubling goal").
: >"$OUT/chain-work.txt"
if [ "${BENCH_INSTRUCTIONS:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
  for n in 10k 20k 40k; do
    # valgrind's report goes to its own file, so the run's stdout and stderr
    # (the diff and the findings) are what `wc` counts.
    out=$({ valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      --log-file="$OUT/valgrind-$n.log" "$UNLINK" migrate --diff "chain-$n/Makefile" 2>&1 || true; } | wc -c)
    ir=$(sed -n 's/.*I *refs: *//p' "$OUT/valgrind-$n.log" | tr -d ,)
    echo "$n $ir $(wc -c <"chain-$n/Makefile") $out"
  done >"$OUT/chain-work.txt"
fi

# --- summary ----------------------------------------------------------------
python3 - "$OUT" "$ROUNDS" "$rg_rss" "$UCMD" "$RCMD" "$CHAIN_ROUNDS" <<'EOF'
import json, statistics, sys
out, rounds, rg_rss, ucmd, rcmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
chain_rounds = int(sys.argv[6])
times = {ucmd: [], rcmd: []}
cpu = {ucmd: [], rcmd: []}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{out}/round-{r}.json"))["results"]:
        times[res["command"]] += res["times"]
        cpu[res["command"]].append(res["user"] + res["system"])
u, g = times[ucmd], times[rcmd]
um, gm = statistics.mean(u), statistics.mean(g)
ms = lambda s: f"{s * 1000:.1f} ms"
def line(name, xs, c):
    print(f"  {name:<8} mean {ms(statistics.mean(xs)):>9} ± {ms(statistics.stdev(xs)):>8}"
          f"   median {ms(statistics.median(xs)):>9}   min {ms(min(xs)):>9}"
          f"   cpu {ms(statistics.mean(c)):>9}   ({len(xs)} runs)")
print(f"\ncheck vs ripgrep, {rounds} alternating rounds:")
line("unlink", u, cpu[ucmd])
line("rg", g, cpu[rcmd])
ratio = um / gm
print(f"  ratio unlink/rg (means): {ratio:.2f}   (medians: {statistics.median(u) / statistics.median(g):.2f})")
rss = [int(x) for x in open(f"{out}/rss.txt").read().split()]
print(f"\npeak RSS of unlink check: {max(rss) / 1024:.1f} MB (max of {len(rss)} runs; rg: {rg_rss / 1024:.1f} MB)")
st = {r["command"]: r for r in json.load(open(f"{out}/startup.json"))["results"]}
print("\nhook run on a small repository (3 files):")
for c, r in st.items():
    print(f"  {c.split('/')[-1]:<28} mean {ms(r['mean'])}  median {ms(r['median'])}  min {ms(r['min'])}")
startup = max(r["mean"] for r in st.values())
def chain_runs(prefix):
    """Every run of every round, by size: wall times, and CPU (user + system) per round."""
    by = {}
    for r in range(1, chain_rounds + 1):
        for res in json.load(open(f"{out}/{prefix}-{r}.json"))["results"]:
            size = next(s for s in ("10k", "20k", "40k") if f"chain-{s}/" in res["command"] or f"mig-{s}/" in res["command"])
            d = by.setdefault(size, {"times": [], "cpu": []})
            d["times"] += res["times"]
            d["cpu"].append(res["user"] + res["system"])  # hyperfine: a mean per round
    return by
chain_rss = dict(l.split() for l in open(f"{out}/chain-rss.txt").read().strip().splitlines())
def chain_report(title, by, rss=None):
    print(title)
    med = lambda xs: statistics.median(xs)
    for size in ("10k", "20k", "40k"):
        d = by[size]; t = d["times"]; n = int(size[:-1]) * 1000
        extra = f"   peak RSS {int(rss[size]) / 1024:.0f} MB" if rss else ""
        print(f"  {n:>6,} containers: median {med(t):.3f} s  mean {statistics.mean(t):.3f} s ± {statistics.stdev(t):.3f}"
              f"  min {min(t):.3f} s  cpu {med(d['cpu']):.3f} s   {med(t) / n * 1e6:.1f} µs/container{extra}   ({len(t)} runs)")
    ratios = {}
    for a, b in (("10k", "20k"), ("20k", "40k")):
        x, y = by[a], by[b]
        ratios[(a, b)] = (med(y["times"]) / med(x["times"]), statistics.mean(y["times"]) / statistics.mean(x["times"]),
                          med(y["cpu"]) / med(x["cpu"]))
        m, mean, c = ratios[(a, b)]
        print(f"  {b}/{a}: {m:.2f} by medians (means {mean:.2f}, cpu {c:.2f})")
    return ratios
ch = chain_runs("chain")
chain_ratios = chain_report("\nmigrate --diff of the chain Makefile (the diff and every finding printed):", ch, chain_rss)
doubling = chain_ratios[("20k", "40k")][0]
# How far the machine moves that ratio: a bootstrap over the runs (fixed
# seed), the 2.5th and 97.5th percentiles of the medians' ratio.
import random
rng = random.Random(9)
t20, t40 = ch["20k"]["times"], ch["40k"]["times"]
boot = sorted(
    statistics.median(rng.choices(t40, k=len(t40))) / statistics.median(rng.choices(t20, k=len(t20)))
    for _ in range(2000)
)
lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
print(f"  40k/20k by medians, 95% interval over the runs: {lo:.2f} to {hi:.2f}")
cq = chain_runs("chain-q")
chain_report("migrate -q in place (the findings are not printed):", cq)
work = [l.split() for l in open(f"{out}/chain-work.txt").read().strip().splitlines()]
if work:
    print("work of one migrate --diff run (valgrind's instruction count; bytes of the Makefile, and of the diff and findings):")
    w = {size: (int(ir), int(inb), int(outb)) for size, ir, inb, outb in work}
    for size in ("10k", "20k", "40k"):
        ir, inb, outb = w[size]
        print(f"  {int(size[:-1]) * 1000:>6,} containers: {ir / 1e9:.2f} G instructions   read {inb / 1e6:.2f} MB   printed {outb / 1e6:.1f} MB")
    for a, b in (("10k", "20k"), ("20k", "40k")):
        print(f"  {b}/{a}: instructions {w[b][0] / w[a][0]:.3f}   bytes read {w[b][1] / w[a][1]:.3f}   printed {w[b][2] / w[a][2]:.3f}")
else:
    print("work of one run: not measured (BENCH_INSTRUCTIONS=0 or no valgrind)")
c20 = statistics.median(ch["20k"]["times"])
ok = lambda b: "met" if b else "NOT MET"
print("\ngoals:")
print(f"  ratio <= 1.5 ........................ {ratio:.2f}  {ok(ratio <= 1.5)}")
print(f"  20k chain migrate < 1 s ............. {c20:.3f} s  {ok(c20 < 1.0)}")
# The goal is the ratio itself; the interval says how much of a miss the
# machine's noise could explain (docs/performance.md, "The doubling goal").
verdict = "met" if doubling <= 2.0 else ("NOT MET (2 is within the interval)" if lo <= 2.0 else "NOT MET")
print(f"  40k at most 2x 20k .................. {doubling:.2f} ({lo:.2f} to {hi:.2f})  {verdict}")
print(f"  peak RSS < 100 MB ................... {max(rss) / 1024:.1f} MB  {ok(max(rss) < 100 * 1024)}")
print(f"  hook startup < 10 ms ................ {startup * 1000:.1f} ms  {ok(startup < 0.010)}")
EOF
