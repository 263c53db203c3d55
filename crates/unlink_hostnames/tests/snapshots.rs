//! Snapshots of what the crate finds in realistic configs, and what the
//! rewrite makes of them.

use std::fmt::Write;

use unlink_diagnostics::LineIndex;
use unlink_hostnames::{
    find_host_refs, find_link_var_reads, link_var_value, rewrite_hosts, FileKind, LinkVarRead,
    PortSpec, TargetFacts,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

/// One line per fact: position, the exact bytes of the span, and the facts.
fn report<K: AsRef<str>, V: AsRef<str>>(
    kind: FileKind,
    text: &[u8],
    map: &[(K, V)],
    targets: &[TargetFacts],
) -> String {
    let idx = LineIndex::new(text);
    let aliases: Vec<&str> = map.iter().map(|(k, _)| k.as_ref()).collect();
    let mut out = String::new();
    writeln!(out, "== hosts").unwrap();
    for r in find_host_refs(kind, text, &aliases) {
        let (l, c) = idx.line_col(text, r.span.start);
        assert_eq!(
            text[r.span.clone()].to_ascii_lowercase(),
            r.host.to_ascii_lowercase().as_bytes()
        );
        writeln!(
            out,
            "{l}:{c} {:?} in `{}` form={:?} port={:?} {}",
            r.host,
            r.directive,
            r.form,
            r.port,
            if r.rewritable { "rewrite" } else { "report" },
        )
        .unwrap();
    }
    writeln!(out, "== link variables").unwrap();
    for r in find_link_var_reads(kind, text, &aliases) {
        let (l, c) = idx.line_col(text, r.span.start);
        assert_eq!(&text[r.span.clone()], r.name.as_bytes());
        let value = value_for(&r, targets);
        writeln!(
            out,
            "{l}:{c} {} ({:?}) expr={:?} value={:?}",
            r.name,
            r.kind,
            String::from_utf8_lossy(&text[r.expr.clone()]),
            value
        )
        .unwrap();
    }
    let plan = rewrite_hosts(
        kind,
        text,
        map.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
    );
    writeln!(out, "== skipped").unwrap();
    for s in &plan.skipped {
        let (l, c) = idx.line_col(text, s.host_ref.span.start);
        writeln!(out, "{l}:{c} {:?}: {:?}", s.host_ref.host, s.reason).unwrap();
    }
    let rewritten = unlink_edit::apply(text, plan.edits).unwrap();
    writeln!(out, "== rewritten").unwrap();
    out.push_str(&String::from_utf8_lossy(&rewritten).replace('\r', "\\r"));
    out
}

fn value_for(r: &LinkVarRead, targets: &[TargetFacts]) -> Option<String> {
    let t = targets.iter().find(|t| t.alias == r.alias)?;
    link_var_value(&r.kind, t)
}

fn db_target() -> TargetFacts {
    TargetFacts {
        name: "pg-main".into(),
        alias: "db".into(),
        consumer: Some("todos-secure".into()),
        ports: vec![PortSpec::new(5432, "tcp")],
        ports_complete: false,
        env: vec![("POSTGRES_PASSWORD".into(), "s3cret".into())],
    }
}

#[test]
fn seed_nginx_config() {
    let text = fixture("seed-nginx.conf");
    let snap = report(FileKind::Nginx, &text, &[("todos", "todos-secure")], &[]);
    // The acceptance line of the issue, byte for byte.
    assert!(snap.contains("\n           proxy_pass   http://todos-secure:8080;\n"));
    assert!(snap.contains("# all calls go to the todos app (linked as \"todos\")"));
    insta::assert_snapshot!(snap);
}

#[test]
fn nginx_upstream_crlf() {
    let text = fixture("upstream-crlf.conf");
    insta::assert_snapshot!(report(
        FileKind::Nginx,
        &text,
        &[("todos", "todos-secure"), ("php", "php-fpm")],
        &[]
    ));
}

#[test]
fn env_file() {
    let text = fixture("app.env");
    insta::assert_snapshot!(report(
        FileKind::EnvFile,
        &text,
        &[("db", "pg-main"), ("cache", "redis-cache")],
        &[db_target()]
    ));
}

#[test]
fn dockerfile_with_run_echo() {
    let text = fixture("Dockerfile.echo");
    insta::assert_snapshot!(report(
        FileKind::Dockerfile,
        &text,
        &[
            ("todos", "todos-secure"),
            ("db", "pg-main"),
            ("cache", "redis-cache")
        ],
        &[db_target()]
    ));
}

#[test]
fn entrypoint_script() {
    let text = fixture("entrypoint.sh");
    insta::assert_snapshot!(report(
        FileKind::Shell,
        &text,
        &[("db", "pg-main"), ("cache", "redis-cache")],
        &[db_target()]
    ));
}
