#!/usr/bin/env bash
# Run every fuzz target for SECONDS seconds each (default 5). See docs/fuzzing.md.
#
#   bash fuzz/run.sh [SECONDS]
#
# With cargo-fuzz installed, the targets run under libFuzzer with
# AddressSanitizer. That needs nightly flags, which stable rustc accepts with
# RUSTC_BOOTSTRAP=1. Without cargo-fuzz, or when libFuzzer cannot be built, or
# with UNLINK_FUZZ_STABLE=1, the same checks run as seeded random loops on
# stable Rust (fuzz/tests/stable.rs). Either way every input saved under
# fuzz/regressions/<target>/ is replayed, and the script exits non-zero
# when any input panics, hangs or breaks a check. A failing input is saved
# under fuzz/artifacts/<target>/.
#
# UNLINK_FUZZ_INSTALL=1 installs cargo-fuzz first when it is missing (about
# two minutes).
set -euo pipefail
cd "$(dirname "$0")"

secs="${1:-5}"
targets=(make shell compose nginx configs migrate)

# The stable harness for $1 seconds per target (0: replay only).
stable() {
  echo "fuzz: stable harness, ${1}s per target"
  UNLINK_FUZZ_SECONDS="$1" cargo test --release --test stable -- --nocapture --test-threads=2
}

if [ "${UNLINK_FUZZ_INSTALL:-0}" = 1 ] && ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz --version '^0.13'
fi

if [ "${UNLINK_FUZZ_STABLE:-0}" = 1 ] || ! cargo fuzz --version >/dev/null 2>&1; then
  stable "$secs"
  exit
fi

export RUSTC_BOOTSTRAP=1
if ! cargo fuzz build -O >build.log 2>&1; then
  echo "fuzz: cargo fuzz build failed (see fuzz/build.log); falling back to the stable harness"
  stable "$secs"
  exit
fi
rm -f build.log

# Seed each target's working corpus with every corpus file (named after its
# case directory, so files with the same name do not collide).
seed() {
  local dir="corpus/$1" f name
  mkdir -p "$dir" "regressions/$1"
  while IFS= read -r f; do
    name="$(echo "${f#../corpus/}" | tr '/' '_')"
    [ -e "$dir/$name" ] || cp "$f" "$dir/$name"
  done < <(find ../corpus -type f ! -path '*/snapshots/*')
}

for t in "${targets[@]}"; do
  seed "$t"
  echo "fuzz: $t for ${secs}s (libFuzzer)"
  # The regressions directory is a second corpus: libFuzzer runs every file
  # in it before fuzzing and only ever writes new inputs to the first.
  log="$(mktemp)"
  status=0
  cargo fuzz run -O "$t" "corpus/$t" "regressions/$t" -- \
    -max_total_time="$secs" -timeout=10 -max_len=65536 -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
  if [ "$status" != 0 ]; then
    tail -n 60 "$log"
    rm -f "$log"
    echo "fuzz: $t failed; the input is under fuzz/artifacts/$t/"
    exit 1
  fi
  rm -f "$log"
done

# libFuzzer's corpus holds no hostile inputs (deep nesting, billion laughs:
# slow to mutate); replay them, the regressions and the corpus once.
stable 0
