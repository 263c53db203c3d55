//! The checks behind unlink's fuzz targets, shared by libFuzzer
//! (`fuzz_targets/*.rs`, run with `cargo fuzz`) and by the stable harness
//! (`tests/stable.rs`, run with `cargo test`), so both run the same code.
//!
//! Each target takes arbitrary bytes. A target fails by panicking, which is
//! what libFuzzer reports as a crash:
//!
//! * [`make`], [`shell`], [`compose`], [`nginx`]: a reader must not panic or
//!   hang on any input, and every position it reports (commands, words,
//!   diagnostics, host references) must lie inside the input. A position
//!   outside would make an edit or a report point at the wrong bytes.
//! * [`migrate`]: the input is read as a Makefile, as a shell script and as a
//!   compose file, and migrated the way `unlink migrate` does (read, graph,
//!   plan, apply). The plan's edits must apply; the output must read again
//!   without a syntax error; migrating the output again must change nothing;
//!   nothing the second pass reports may still be marked fixable; and when
//!   the first pass reported nothing it could not fix, no legacy link is
//!   left.
//!
//! [`mutate`] is the input mutator of the stable harness.

use std::ops::Range;
use std::path::Path;

use unlink_diagnostics::{Diagnostic, Severity};
use unlink_docker::Action;
use unlink_locate::FileFacts;

/// Aliases the host-reference readers look for: names that occur in the
/// corpus's nginx configs and env files.
const ALIASES: &[&str] = &["db", "todos", "web", "app", "redis", "backend", "api"];

fn in_bounds(what: &str, r: &Range<usize>, len: usize) {
    assert!(
        r.start <= r.end && r.end <= len,
        "{what} {}..{} lies outside the input ({len} bytes)",
        r.start,
        r.end
    );
}

fn diagnostics_in_bounds(ds: &[Diagnostic], len: usize) {
    for d in ds {
        in_bounds(
            &format!("diagnostic {} ({})", d.code.id, d.message),
            &d.span,
            len,
        );
    }
}

fn facts_in_bounds(f: &FileFacts, len: usize) {
    diagnostics_in_bounds(&f.diagnostics, len);
    diagnostics_in_bounds(&f.errors, len);
    for c in &f.commands {
        in_bounds(
            "statement",
            &(c.stmt_line_start..c.stmt_end.max(c.stmt_line_start)),
            len,
        );
        assert!(
            c.stmt_line_start <= c.stmt_end,
            "statement ends before it starts"
        );
        in_bounds("docker prefix", &c.docker.prefix, len);
        if let Action::Run(run) = &c.docker.action {
            for o in &run.options {
                for s in [&o.span, &o.value_span, &o.from_expansion]
                    .into_iter()
                    .flatten()
                {
                    in_bounds(&format!("option --{}", o.long), s, len);
                }
            }
            for l in &run.links {
                let o = run.link_option(l);
                for s in [&o.span, &o.value_span].into_iter().flatten() {
                    in_bounds("--link", s, len);
                }
            }
        }
    }
}

/// The Makefile reader: `unlink_make::read` and `unlink_locate::make::read`.
pub fn make(data: &[u8]) {
    let mk = unlink_make::read(data);
    for r in &mk.recipes {
        in_bounds("recipe line", &r.span, data.len());
        assert!(
            r.span.start <= r.shell_start && r.shell_start <= r.span.end,
            "recipe shell text starts outside its line"
        );
    }
    for a in &mk.assignments {
        in_bounds("assignment", &a.span, data.len());
        // Expanding must terminate, even for self-referencing variables.
        let _ = mk.value(&a.name);
    }
    let f = unlink_locate::make::read(Path::new("Makefile"), data);
    facts_in_bounds(&f, data.len());
}

/// The shell reader: `unlink_shell::lex_script` and
/// `unlink_locate::script::read`.
pub fn shell(data: &[u8]) {
    let lexed = unlink_shell::lex_script(data);
    for c in &lexed.commands {
        for w in &c.words {
            in_bounds("word", &w.span, data.len());
        }
        for r in &c.redirects {
            in_bounds("redirect", &r.span, data.len());
        }
    }
    for r in lexed.heredocs.iter().chain(&lexed.comments) {
        in_bounds("heredoc or comment", r, data.len());
    }
    for e in &lexed.errors {
        assert!(e.offset <= data.len(), "lex error past the end");
    }
    let f = unlink_locate::script::read(Path::new("run.sh"), data);
    facts_in_bounds(&f, data.len());
}

/// The compose reader: recognising, checking and reading links. Compose
/// files are text; bytes that are not UTF-8 are refused before this point.
pub fn compose(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("docker-compose.yml");
    let _ = unlink_compose::looks_like_compose(text);
    match unlink_compose::check(path, text) {
        Ok(ds) => diagnostics_in_bounds(&ds, data.len()),
        Err(d) => {
            in_bounds("syntax error", &d.span, data.len());
            assert_eq!(d.severity, Severity::Error, "a refusal is an error");
        }
    }
    if let Ok(facts) = unlink_compose::links(path, text) {
        for s in &facts.services {
            for l in s.links.iter().chain(&s.external_links) {
                in_bounds("compose link", &l.span, data.len());
            }
        }
    }
}

/// The nginx reader, and the hostname rewrite planned on it.
pub fn nginx(data: &[u8]) {
    use unlink_hostnames::{find_host_refs, find_link_var_reads, rewrite_hosts, FileKind};
    let cfg = unlink_hostnames::nginx::scan(data);
    for h in &cfg.hosts {
        in_bounds("host", &h.span, data.len());
    }
    for r in find_host_refs(FileKind::Nginx, data, ALIASES) {
        in_bounds("host reference", &r.span, data.len());
    }
    for r in find_link_var_reads(FileKind::Nginx, data, ALIASES) {
        in_bounds("link variable read", &r.span, data.len());
    }
    let map = [("db", "db-server"), ("todos", "todos-secure")];
    let rw = rewrite_hosts(FileKind::Nginx, data, map);
    let out = unlink_edit::apply(data, rw.edits)
        .unwrap_or_else(|e| panic!("the hostname rewrite's edits do not apply: {e}"));
    let again = rewrite_hosts(FileKind::Nginx, &out, map);
    assert!(
        again.edits.is_empty(),
        "rewriting the rewritten config changes it again: {:?}",
        again.edits
    );
}

/// The other config readers of the hostname stage (Dockerfiles, env files,
/// scripts, any text), with the same rewrite check as [`nginx`].
pub fn configs(data: &[u8]) {
    use unlink_hostnames::{find_host_refs, find_link_var_reads, rewrite_hosts, FileKind};
    for kind in [
        FileKind::Dockerfile,
        FileKind::EnvFile,
        FileKind::Shell,
        FileKind::Other,
    ] {
        for r in find_host_refs(kind, data, ALIASES) {
            in_bounds("host reference", &r.span, data.len());
        }
        for r in find_link_var_reads(kind, data, ALIASES) {
            in_bounds("link variable read", &r.span, data.len());
        }
        let map = [("db", "db-server"), ("todos", "todos-secure")];
        let rw = rewrite_hosts(kind, data, map);
        let out = unlink_edit::apply(data, rw.edits)
            .unwrap_or_else(|e| panic!("{kind:?}: the hostname rewrite's edits do not apply: {e}"));
        let again = rewrite_hosts(kind, &out, map);
        assert!(
            again.edits.is_empty(),
            "{kind:?}: rewriting the rewritten file changes it again: {:?}",
            again.edits
        );
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Make,
    Shell,
}

fn read(kind: Kind, data: &[u8]) -> FileFacts {
    match kind {
        Kind::Make => unlink_locate::make::read(Path::new("Makefile"), data),
        Kind::Shell => unlink_locate::script::read(Path::new("run.sh"), data),
    }
}

fn plan(facts: FileFacts, data: &[u8]) -> (unlink_plan::Plan, unlink_graph::Graph) {
    let facts = vec![facts];
    let graph = unlink_graph::Graph::build(&facts);
    let plan = unlink_plan::plan(&facts, &[data], &graph, &unlink_plan::Options::default());
    (plan, graph)
}

/// What the first pass could not fix: a warning or error it did not mark
/// fixable.
fn unfixable(ds: &[Diagnostic]) -> Vec<&Diagnostic> {
    ds.iter()
        .filter(|d| d.severity <= Severity::Warning && !d.fixable)
        .collect()
}

fn migrate_as(kind: Kind, data: &[u8]) {
    let first = read(kind, data);
    if !first.errors.is_empty() {
        // unlink edits nothing in a file it cannot read.
        return;
    }
    let mut diags = first.diagnostics.clone();
    let (p1, _) = plan(first, data);
    let edits = p1.edits[0].clone();
    if edits.is_empty() {
        return;
    }
    diags.extend(p1.diagnostics.iter().cloned());
    let out = unlink_edit::apply(data, edits)
        .unwrap_or_else(|e| panic!("{kind:?}: the plan's edits do not apply: {e}"));
    let second = read(kind, &out);
    assert!(
        second.errors.is_empty(),
        "{kind:?}: the migrated output no longer reads: {:?}\n--- output\n{}",
        second.errors.iter().map(|e| &e.message).collect::<Vec<_>>(),
        String::from_utf8_lossy(&out)
    );
    let (p2, g2) = plan(second, &out);
    assert!(
        p2.edits[0].is_empty(),
        "{kind:?}: migrating the output again changes it: {:?}\n--- output\n{}",
        p2.edits[0],
        String::from_utf8_lossy(&out)
    );
    if let Some(d) = p2.diagnostics.iter().find(|d| d.fixable) {
        panic!(
            "{kind:?}: after migrating, {} `{}` is still marked fixable\n--- output\n{}",
            d.code.id,
            d.message,
            String::from_utf8_lossy(&out)
        );
    }
    if unfixable(&diags).is_empty() {
        let left = g2.links.iter().filter(|e| e.legacy).count();
        assert_eq!(
            left,
            0,
            "{kind:?}: everything was reported fixable, yet {left} legacy link(s) remain\n--- output\n{}",
            String::from_utf8_lossy(&out)
        );
    }
}

fn migrate_compose(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("docker-compose.yml");
    let opts = unlink_compose::ComposeOptions::default();
    let Ok((edits, diags)) = unlink_compose::migrate(path, text, &opts) else {
        return;
    };
    if edits.is_empty() {
        return;
    }
    let out = unlink_edit::apply(data, edits)
        .unwrap_or_else(|e| panic!("compose: the edits do not apply: {e}"));
    let out = String::from_utf8(out).expect("compose: the migrated text is UTF-8");
    let (again, diags2) = unlink_compose::migrate(path, &out, &opts).unwrap_or_else(|d| {
        panic!(
            "compose: the migrated file no longer parses: {}\n--- output\n{out}",
            d.message
        )
    });
    assert!(
        again.is_empty(),
        "compose: migrating the output again changes it: {again:?}\n--- output\n{out}"
    );
    if let Some(d) = diags2.iter().find(|d| d.fixable) {
        panic!(
            "compose: after migrating, {} `{}` is still marked fixable\n--- output\n{out}",
            d.code.id, d.message
        );
    }
    if unfixable(&diags).is_empty() {
        let facts = unlink_compose::links(path, &out).expect("parsed above");
        let left: Vec<_> = facts.services.iter().flat_map(|s| &s.links).collect();
        assert!(
            left.is_empty(),
            "compose: everything was reported fixable, yet links remain: {left:?}\n--- output\n{out}"
        );
    }
}

/// Migrate-then-read-again, with the input read as a Makefile, as a shell
/// script and as a compose file.
pub fn migrate(data: &[u8]) {
    migrate_as(Kind::Make, data);
    migrate_as(Kind::Shell, data);
    migrate_compose(data);
}

/// A target: its name and its check.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    ("make", make),
    ("shell", shell),
    ("compose", compose),
    ("nginx", nginx),
    ("configs", configs),
    ("migrate", migrate),
];

/// Inputs built to exhaust the stack or to take exponential time, which
/// mutations of the small corpus files do not reach: deep nesting of
/// substitutions and YAML collections, variables that each repeat the one
/// before ("billion laughs") in make, shell and YAML, and a long line.
pub fn hostile() -> Vec<Vec<u8>> {
    let n = 5000;
    let mut make = String::new();
    for i in 0..15 {
        make.push_str(&format!("V{i} = {}\n", format!("$(V{})", i + 1).repeat(10)));
    }
    make.push_str("V15 = x\nrun:\n\tdocker run -d --name $(V0) img\n\tdocker run -d --name w --link $(V0):db img\n");
    let mut sh = String::from("V0=x\n");
    for i in 1..12 {
        sh.push_str(&format!("V{i}={}\n", format!("$V{}", i - 1).repeat(10)));
    }
    sh.push_str(
        "docker run -d --name \"$V11\" img\ndocker run -d --name w --link \"$V11\":db img\n",
    );
    let mut yaml = String::from("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        yaml.push_str(&format!(
            "x{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    yaml.push_str(
        "services:\n  web:\n    image: web\n    links: *a11\n  db:\n    <<: *a11\n    image: db\n",
    );
    vec![
        format!(
            "\tdocker run {}x{} img\n",
            "$(echo ".repeat(n),
            ")".repeat(n)
        ),
        format!("\tdocker run {} img\n", "$(".repeat(n)),
        format!("echo {}x{}\n", "\"$(echo ".repeat(n), ")\"".repeat(n)),
        format!(
            "run:\n\tdocker run {}x{} img\n",
            "$$(echo ".repeat(n),
            ")".repeat(n)
        ),
        make,
        sh,
        yaml,
        format!(
            "services:\n  web:\n    image: {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
        format!(
            "services:\n  web:\n    image: {}1{}\n",
            "{a: ".repeat(n),
            "}".repeat(n)
        ),
        (0..1000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect(),
        format!(
            "http {{ {} proxy_pass http://db:80; {} }}\n",
            "server {".repeat(n),
            "}".repeat(n)
        ),
        format!(
            "docker run -d --name db img\ndocker run {} --name web img\n",
            "--link db:db ".repeat(500)
        ),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

/// A small deterministic random generator (xorshift64*), so that a failing
/// seed reproduces on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Tokens that open or close something the readers must track: quotes,
/// substitutions, here-documents, continuations, line endings, YAML and
/// nginx structure, and bytes that are not UTF-8.
pub const TOKENS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"$(",
    b"`",
    b"<<EOF",
    b"<<-'EOF'\n",
    b"\nEOF\n",
    b"\\\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\t",
    b"\n",
    b"#",
    b"${",
    b"$$(",
    b"}",
    b")",
    b"{",
    b";",
    b"&&",
    b"||",
    b" --link db:db ",
    b" --link=",
    b"docker run --name x ",
    b"define X\n",
    b"endef\n",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"- ",
    b": ",
    b"[",
    b"]",
    b"links:\n  - ",
    b"proxy_pass http://db:80;",
    b"upstream db {",
];

/// Apply 1 to 4 random mutations to `input`: a byte flipped, a range
/// deleted, a range duplicated, a token of [`TOKENS`] inserted, or two
/// ranges swapped.
pub fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        let len = out.len();
        match rng.below(5) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(16));
                out.drain(i..i + k);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(64));
                let piece = out[i..i + k].to_vec();
                let at = rng.below(len + 1);
                out.splice(at..at, piece);
            }
            3 if len > 1 => {
                let a = rng.below(len);
                let b = rng.below(len);
                let (a, b) = (a.min(b), a.max(b));
                let k = 1 + rng.below((b - a).clamp(1, 32));
                if b + k <= len && a + k <= b {
                    let x = out[a..a + k].to_vec();
                    let y = out[b..b + k].to_vec();
                    out[a..a + k].copy_from_slice(&y);
                    out[b..b + k].copy_from_slice(&x);
                }
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                out.splice(at..at, t.iter().copied());
            }
        }
    }
    out
}
