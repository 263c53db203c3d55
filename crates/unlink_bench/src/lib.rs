//! Inputs for unlink's criterion benchmarks (`cargo bench -p unlink_bench`).
//!
//! * `benches/readers.rs`: the byte prefilter, the Makefile and script
//!   readers (lexer included), the compose reader.
//! * `benches/planner.rs`: graph, plan and lint over one long chain of linked
//!   containers and over many small groups spread across files.
//!
//! The whole-tree benchmark against ripgrep is `bench/run.sh`; the figures
//! are in `docs/performance.md`.

use std::fmt::Write;
use std::path::PathBuf;

use unlink_graph::Graph;
use unlink_locate::FileFacts;
use unlink_plan::{Options, Plan};

/// A Makefile whose `up` target starts `n` containers, each linked to the
/// one before, and whose `down` target removes them (the chain of
/// `bench/gen_tree.py chain`).
pub fn chain_makefile(n: usize) -> Vec<u8> {
    let mut s = String::from(".PHONY: up down\n\nup:\n\tdocker run -d --name c0 img\n");
    for k in 1..n {
        let _ = writeln!(s, "\tdocker run -d --name c{k} --link c{}:dep img", k - 1);
    }
    s.push_str("\ndown:\n");
    for k in (0..n).rev() {
        let _ = writeln!(s, "\tdocker rm -f c{k} 2>/dev/null || true");
    }
    s.into_bytes()
}

/// A deploy script of `n` blocks: variables with defaults, a function,
/// command substitutions, a here-document, and a linked pair of containers
/// each.
pub fn script(n: usize) -> Vec<u8> {
    let mut s = String::from("#!/usr/bin/env bash\nset -euo pipefail\n");
    for k in 0..n {
        let port = 8000 + k % 1000;
        let _ = write!(
            s,
            r#"
# block {k}
DB{k}="${{DB_NAME:-db{k}}}"
TAG{k}=$(git rev-parse --short HEAD 2>/dev/null || echo dev)
start_{k}() {{
  docker run -d --name "$DB{k}" -e POSTGRES_PASSWORD=secret postgres:16
  docker run -d --name web{k} \
    --link "$DB{k}":db \
    -e TAG="$TAG{k}" -p {port}:80 "app:$TAG{k}"
}}
cat <<CONF > /tmp/conf{k}
upstream = db:{port}
CONF
if [ "${{SKIP:-}}" != 1 ]; then start_{k}; fi
"#
        );
    }
    s.into_bytes()
}

/// A compose file of `n` services, every other one linked to the one
/// before.
pub fn compose(n: usize) -> String {
    let mut s = String::from("services:\n");
    for k in 0..n {
        let _ = write!(
            s,
            "  svc{k}:\n    image: app{k}:latest\n    environment:\n      - MODE=prod\n    ports:\n      - \"{}:80\"\n",
            9000 + k % 1000
        );
        if k % 2 == 1 {
            let _ = write!(s, "    links:\n      - svc{}:upstream\n", k - 1);
        }
    }
    s
}

/// About `size` bytes of source-like text with none of the prefilter's
/// needles, as most files in a repository are.
pub fn plain_text(size: usize) -> Vec<u8> {
    let words = [
        "value", "index", "buffer", "config", "module", "request", "handler", "return", "result",
        "stream", "worker", "report", "format", "parse", "render",
    ];
    let mut s = String::with_capacity(size + 128);
    let mut k = 0usize;
    while s.len() < size {
        for _ in 0..9 {
            s.push_str(words[k % words.len()]);
            s.push(' ');
            k = (k * 31 + 7) % 1009;
        }
        s.push('\n');
    }
    s.into_bytes()
}

/// Files read and ready to plan.
pub struct Inputs {
    pub facts: Vec<FileFacts>,
    pub sources: Vec<Vec<u8>>,
}

impl Inputs {
    /// Read `files` (Makefiles) as unlink does.
    pub fn read(files: Vec<(PathBuf, Vec<u8>)>) -> Inputs {
        let mut facts = Vec::new();
        let mut sources = Vec::new();
        for (path, bytes) in files {
            facts.push(unlink_locate::make::read(&path, &bytes));
            sources.push(bytes);
        }
        Inputs { facts, sources }
    }

    /// The graph, the plan and the number of lint findings: what
    /// `project::load` does after reading.
    pub fn plan(&self) -> (Graph, Plan, usize) {
        let graph = Graph::build(&self.facts);
        let sources: Vec<&[u8]> = self.sources.iter().map(Vec::as_slice).collect();
        let plan = unlink_plan::plan(&self.facts, &sources, &graph, &Options::default());
        let lint = unlink_plan::lint(&self.facts).len();
        (graph, plan, lint)
    }
}

/// One Makefile with a chain of `n` containers.
pub fn chain_inputs(n: usize) -> Inputs {
    Inputs::read(vec![(PathBuf::from("Makefile"), chain_makefile(n))])
}

/// `files` Makefiles, each starting `pairs` separate linked pairs: many small
/// groups, each its own network, as in a monorepo of services.
pub fn groups_inputs(files: usize, pairs: usize) -> Inputs {
    let mut out = Vec::new();
    for f in 0..files {
        let mut s = String::from("run:\n");
        let mut clean = String::from("clean:\n");
        for p in 0..pairs {
            let t = format!("s{f}-{p}");
            let _ = writeln!(s, "\tdocker run -d --name {t}-db postgres");
            let _ = writeln!(s, "\tdocker run -d --name {t}-web --link {t}-db:db web");
            let _ = writeln!(clean, "\tdocker rm -f {t}-web {t}-db || true");
        }
        s.push('\n');
        s.push_str(&clean);
        out.push((PathBuf::from(format!("svc{f}/Makefile")), s.into_bytes()));
    }
    Inputs::read(out)
}
