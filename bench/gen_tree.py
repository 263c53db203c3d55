#!/usr/bin/env python3
"""Generate the synthetic monorepo `bench/run.sh` scans, and the chain Makefiles.

    gen_tree.py tree OUT [--files N] [--mb M] [--seed S]
    gen_tree.py chain OUT N

`tree` writes a tree of about N files and M megabytes under OUT/tree and the
list of planted files (the files `unlink check` must report, relative to the
tree, sorted) to OUT/planted.txt. Most files are source, docs and data that
unlink never opens; a few percent are Makefiles, shell scripts (by extension
and by `#!` line), compose files and CI workflows. Of those, some start
containers with `--link` or declare compose `links:` (planted), some run
docker without links, some only pass the byte prefilter (they mention a
`_PORT` variable) and many are plain. Files in a directory that `.gitignore`
ignores carry links too and must not be reported. Docs carry `--link` and
`links:` as well, so ripgrep has more to print than unlink. The same
arguments always give the same bytes.

`chain` writes OUT: one target that starts N containers, each linked to the
one before (`docker run -d --name cK --link cK-1:dep img`), and a cleanup
target that removes them.
"""

import argparse
import os
import random
import sys

WORDS = (
    "alpha beta gamma delta epsilon zeta theta iota kappa lambda omicron sigma "
    "tau upsilon phi chi psi omega value index buffer config module request "
    "response handler service client server parse render update insert select "
    "return result error option vector string number record stream output input "
    "user account order item price total count limit offset cache queue worker "
    "task job batch event metric label target source build check report format"
).split()


def pool_text(rng, size):
    """About `size` bytes of word lines, none of them a prefilter needle."""
    lines = []
    n = 0
    while n < size:
        k = rng.randint(4, 14)
        line = " ".join(rng.choice(WORDS) for _ in range(k))
        lines.append(line)
        n += len(line) + 1
    return lines


class Filler:
    """Slices of a fixed pool of lines, so generating 200 MB stays fast."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = pool_text(rng, 4 << 20)

    def lines_of(self, size, prefix=""):
        out = []
        n = 0
        i = self.rng.randrange(len(self.lines))
        while n < size:
            line = prefix + self.lines[i % len(self.lines)]
            out.append(line)
            n += len(line) + 1
            i += 1
        return out


def lognormal_size(rng, median, sigma, lo, hi):
    return int(min(hi, max(lo, rng.lognormvariate(0, sigma) * median)))


# --- relevant files -------------------------------------------------------

def makefile(fill, rng, tag, mode, size):
    head = [f"# {tag}", ".PHONY: all build test clean", "", "all: build", ""]
    body = ["build:", f"\tgo build -o bin/{tag} ./cmd/{tag}", "", "test:", "\tgo test ./...", ""]
    if mode == "link":
        body += [
            "run: build",
            f"\tdocker run -d --name {tag}-db postgres:16",
            f"\tdocker run -d --name {tag}-web \\",
            f"\t\t--link {tag}-db:db \\",
            f"\t\t-p 8080:8080 {tag}/web",
            "",
            "clean:",
            f"\tdocker rm -f {tag}-web {tag}-db 2>/dev/null || true",
            "",
        ]
    elif mode == "docker":
        body += [
            "run: build",
            f"\tdocker run -d --name {tag}-app -p 9000:9000 {tag}/app",
            "",
            "clean:",
            f"\tdocker rm -f {tag}-app || true",
            "",
        ]
    elif mode == "prefilter":
        body += ["env:", f"\t@echo APP_PORT=$(APP_PORT) for {tag}", ""]
    filler = fill.lines_of(max(0, size - 400), "# ")
    return "\n".join(head + filler + [""] + body) + "\n"


def script(fill, rng, tag, mode, size, shebang="#!/usr/bin/env bash"):
    head = [shebang, "set -euo pipefail", f"# {tag}", ""]
    body = [f'echo "building {tag}"', f"cd \"$(dirname \"$0\")\"", ""]
    if mode == "link":
        body += [
            f"docker run -d --name {tag}-cache redis:7",
            f"docker run -d --name {tag}-api --link {tag}-cache:cache -e MODE=dev {tag}/api",
            "",
        ]
    elif mode == "docker":
        body += [f"docker run --rm -v \"$PWD\":/src -w /src golang:1.22 go test ./...", ""]
    elif mode == "prefilter":
        body += ['echo "listening on ${SERVICE_PORT:-8080}"', ""]
    filler = fill.lines_of(max(0, size - 300), "# ")
    return "\n".join(head + filler + [""] + body) + "\n"


def compose(fill, rng, tag, mode, size):
    lines = ["services:", "  db:", "    image: postgres:16", "  web:", f"    image: {tag}/web"]
    if mode == "link":
        lines += ["    links:", "      - db"]
    else:
        lines += ["    depends_on:", "      - db"]
    lines += ["    ports:", '      - "8080:8080"']
    filler = fill.lines_of(max(0, size - 200), "# ")
    return "\n".join(filler + lines) + "\n"


def workflow(fill, rng, tag, mode, size):
    run = (
        f"docker run -d --name {tag}-db postgres && docker run --link {tag}-db:db {tag}/it"
        if mode == "link"
        else "make test"
    )
    lines = [
        f"name: ci-{tag}",
        "on: [push]",
        "jobs:",
        "  test:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        f"      - run: {run}",
    ]
    filler = fill.lines_of(max(0, size - 300), "# ")
    return "\n".join(lines + filler) + "\n"


# --- everything else ------------------------------------------------------

OTHER_KINDS = [
    # (extension, comment prefix, weight)
    (".rs", "// ", 14),
    (".go", "// ", 12),
    (".py", "# ", 14),
    (".ts", "// ", 12),
    (".js", "// ", 8),
    (".java", "// ", 6),
    (".c", "// ", 4),
    (".h", "// ", 4),
    (".md", "", 8),
    (".json", "", 5),
    (".txt", "", 5),
    (".yml", "# ", 4),
    (".csv", "", 2),
    ("", "", 2),  # README-like files without extension (sniffed for `#!`)
]


def other(fill, rng, ext, prefix, size, decoy):
    lines = fill.lines_of(size, prefix)
    if decoy:
        # ripgrep finds these; unlink never reads docs or data.
        at = rng.randrange(len(lines))
        lines.insert(at, "run it with `docker run --link db:db app` or set links: [db]")
    return "\n".join(lines) + "\n"


def write(root, rel, text, mode=None):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)
    return len(text)


def gen_tree(out, files, mb, seed):
    rng = random.Random(seed)
    fill = Filler(rng)
    root = os.path.join(out, "tree")
    os.makedirs(root, exist_ok=True)
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)  # both tools stop here
    with open(os.path.join(root, ".git", "HEAD"), "w") as f:
        f.write("ref: refs/heads/main\n")
    write(root, ".gitignore", "build/\nnode_modules/\n*.log\n")
    planted = []
    total = 0
    n = 0
    # A few percent are files unlink reads: Makefiles, scripts, compose, CI.
    relevant = max(8, files * 4 // 100)
    # Services: packages of ~100 files each.
    packages = max(1, files // 100)
    # Average other-file size that makes the total come out at `mb`.
    target = mb * 1_000_000
    relevant_bytes = relevant * 4000
    per_other = max(200, (target - relevant_bytes) // max(1, files - relevant))

    def pkg_dir(i):
        return f"services/svc{i % packages:04d}"

    for i in range(relevant):
        tag = f"r{i:05d}"
        d = pkg_dir(i * 7)
        r = rng.random()
        # 10% link, 15% docker without links, 10% prefilter-only, rest plain.
        mode = "link" if r < 0.10 else "docker" if r < 0.25 else "prefilter" if r < 0.35 else "plain"
        kind = i % 10
        size = lognormal_size(rng, 2500, 0.8, 400, 60_000)
        if kind in (0, 1, 2):
            rel = f"{d}/{tag}/Makefile" if kind != 2 else f"{d}/mk/{tag}.mk"
            text = makefile(fill, rng, tag, mode, size)
            x = None
        elif kind in (3, 4, 5):
            rel = f"{d}/scripts/{tag}.sh"
            text = script(fill, rng, tag, mode, size)
            x = 0o755
        elif kind == 6:
            rel = f"{d}/bin/{tag}-deploy"  # no extension: found by its `#!` line
            text = script(fill, rng, tag, mode, size, shebang="#!/bin/bash")
            x = 0o755
        elif kind in (7, 8):
            rel = f"{d}/{tag}/docker-compose.yml" if kind == 7 else f"{d}/{tag}/compose.yaml"
            text = compose(fill, rng, tag, "link" if mode == "link" else "plain", size // 2)
            x = None
        else:
            rel = f"{d}/{tag}/.github/workflows/ci.yml"
            text = workflow(fill, rng, tag, "link" if mode == "link" else "plain", size // 2)
            x = None
        total += write(root, rel, text, x)
        n += 1
        if mode == "link":
            planted.append(rel)
    # Ignored: links that must not be reported.
    for i in range(20):
        tag = f"ign{i:03d}"
        rel = f"{pkg_dir(i)}/build/{tag}/Makefile"
        total += write(root, rel, makefile(fill, rng, tag, "link", 1500))
        n += 1
    # A few large shell scripts without docker (bundled installers).
    for i in range(4):
        rel = f"tools/installer-{i}.sh"
        total += write(root, rel, script(fill, rng, f"inst{i}", "plain", 800_000), 0o755)
        n += 1
    weights = [k[2] for k in OTHER_KINDS]
    i = 0
    while n < files:
        ext, prefix, _ = rng.choices(OTHER_KINDS, weights)[0]
        size = lognormal_size(rng, per_other * 0.6, 1.0, 64, 4_000_000)
        # Keep the total near the target: shrink once past it.
        if total > target:
            size = min(size, 512)
        name = f"file{i:05d}{ext}" if ext else ("LICENSE" if i % 2 else "NOTICE") + f"{i:05d}"
        sub = ["src", "lib", "docs", "test", "data", "internal"][i % 6]
        rel = f"{pkg_dir(i)}/{sub}/{name}"
        decoy = ext in (".md", ".txt") and rng.random() < 0.02
        total += write(root, rel, other(fill, rng, ext, prefix, size, decoy))
        n += 1
        i += 1
    planted.sort()
    with open(os.path.join(out, "planted.txt"), "w") as f:
        f.write("\n".join(planted) + "\n")
    print(f"tree: {n} files, {total / 1e6:.0f} MB, {relevant} read by unlink, {len(planted)} planted", file=sys.stderr)


def gen_chain(out, n):
    lines = [".PHONY: up down", "", "up:", "\tdocker run -d --name c0 img"]
    lines += [f"\tdocker run -d --name c{k} --link c{k - 1}:dep img" for k in range(1, n)]
    lines += ["", "down:"]
    lines += [f"\tdocker rm -f c{k} 2>/dev/null || true" for k in range(n - 1, -1, -1)]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tree")
    t.add_argument("out")
    t.add_argument("--files", type=int, default=20_000)
    t.add_argument("--mb", type=int, default=200)
    t.add_argument("--seed", type=int, default=9)
    c = sub.add_parser("chain")
    c.add_argument("out")
    c.add_argument("n", type=int)
    a = p.parse_args()
    if a.cmd == "tree":
        gen_tree(a.out, a.files, a.mb, a.seed)
    else:
        gen_chain(a.out, a.n)


if __name__ == "__main__":
    main()
