//! Regressions found while hardening unlink against bad input (issue 7);
//! each test names what it pins.

use std::sync::mpsc;
use std::time::Duration;

/// Every directive copied the names of all its enclosing blocks, so a file
/// of n nested blocks took n² steps: 5,000 levels (40 KB) took five seconds
/// in a release build, 20,000 over a minute. Blocks nested that deep are a
/// problem of the file; reading stops there.
#[test]
fn issue7_deeply_nested_nginx_blocks_are_a_problem_not_quadratic_time() {
    let n = 20_000;
    let text = format!(
        "http {{ {} proxy_pass http://db:80; {} }}\n",
        "server {".repeat(n),
        "}".repeat(n)
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(unlink_hostnames::nginx::scan(text.as_bytes()));
    });
    let cfg = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("scanning must not take quadratic time");
    assert!(
        cfg.problems.iter().any(|p| p.message.contains("nested")),
        "{:?}",
        cfg.problems
    );
}

#[test]
fn issue7_ordinary_nesting_keeps_its_context() {
    let text =
        b"http {\n  server {\n    location / {\n      proxy_pass http://db:80;\n    }\n  }\n}\n";
    let cfg = unlink_hostnames::nginx::scan(text);
    assert!(cfg.problems.is_empty(), "{:?}", cfg.problems);
    let pass = cfg
        .directives
        .iter()
        .find(|d| d.name == "proxy_pass")
        .unwrap();
    assert_eq!(pass.context, ["http", "server", "location"]);
    assert_eq!(cfg.hosts.len(), 1);
}

/// For every alias on a line, the reader asked again whether the line writes
/// a file, scanning the whole line: a 60 KB line naming `db` 20,000 times
/// (a minified script, a data file copied into the image) took eight seconds
/// in a release build, and four times that for twice the words.
#[test]
fn issue7_a_long_line_of_alias_words_is_read_in_linear_time() {
    let text = "db ".repeat(20_000).into_bytes();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let refs =
            unlink_hostnames::find_host_refs(unlink_hostnames::FileKind::Shell, &text, &["db"]);
        let _ = tx.send(refs.len());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("reading must not take quadratic time");
}
