//! The binary's contract: exit codes, output formats, ignores, and writing
//! nothing on error. Each test builds a scratch tree and runs the real binary.

use std::path::Path;
use std::process::Command;

fn unlink(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_unlink"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const LINKED_MAKEFILE: &str =
    "run:\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:db web:1\n";
const LINKED_COMPOSE: &str =
    "services:\n  web:\n    image: web:1\n    links:\n      - db\n  db:\n    image: postgres:16\n";

fn tree() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", LINKED_MAKEFILE);
    write(t.path(), "deploy/docker-compose.yml", LINKED_COMPOSE);
    write(t.path(), "vendor/lib/Makefile", LINKED_MAKEFILE);
    write(t.path(), ".gitignore", "vendor/\n");
    t
}

#[test]
fn check_names_both_files_and_not_the_ignored_copy() {
    let t = tree();
    let (code, out, _) = unlink(t.path(), &["check", "--format", "json", "."]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"Makefile"), "{paths:?}");
    assert!(paths.contains(&"deploy/docker-compose.yml"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("vendor")), "{paths:?}");
    let link = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "UL001")
        .unwrap();
    assert_eq!(link["line"], 3);
    assert_eq!(link["column"], 27);
}

#[test]
fn sarif_and_github_point_at_the_right_lines() {
    let t = tree();
    let (code, out, _) = unlink(t.path(), &["check", "--format", "sarif", "Makefile"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 27);
    let (_, out, _) = unlink(t.path(), &["check", "--format", "github", "Makefile"]);
    assert!(
        out.starts_with("::error file=Makefile,line=3,col=27,"),
        "{out}"
    );
}

#[test]
fn clean_tree_exits_zero_and_missing_path_exits_two() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "Makefile",
        "run:\n\tdocker run -d --name db postgres:16\n",
    );
    assert_eq!(unlink(t.path(), &["check", "."]).0, 0);
    assert_eq!(unlink(t.path(), &["check", "nope"]).0, 2);
    assert_eq!(unlink(t.path(), &["migrate", "nope"]).0, 2);
}

#[test]
fn suppression_comment_silences_a_finding() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "Makefile",
        "run:\n\tdocker run -d --name db postgres:16\n# unlink: ignore[UL001]\n\tdocker run -d --name web --link db:db web:1\n",
    );
    let (code, out, _) = unlink(t.path(), &["check", "--format", "json", "."]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn bad_input_exits_two_names_the_line_and_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let good = "#!/bin/sh\ndocker run -d --name a-db postgres:16\ndocker run -d --name a --link a-db:db a:1\n";
    let bad = "#!/bin/sh\ndocker run -d --name b-db postgres:16\ndocker run -d --name b --link b-db:db \"b:1\n";
    write(t.path(), "a.sh", good);
    write(t.path(), "b.sh", bad);
    let (code, _, err) = unlink(t.path(), &["migrate", "a.sh", "b.sh"]);
    assert_eq!(code, 2);
    assert!(err.contains("b.sh:3:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(t.path().join("a.sh")).unwrap(),
        good
    );
    assert_eq!(std::fs::read_to_string(t.path().join("b.sh")).unwrap(), bad);
}

#[test]
fn migrate_check_and_diff_write_nothing_and_exit_one() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", LINKED_MAKEFILE);
    let (code, out, _) = unlink(t.path(), &["migrate", "--check", "."]);
    assert_eq!((code, out.as_str()), (1, "would change: Makefile\n"));
    let (code, out, _) = unlink(t.path(), &["migrate", "--diff", "."]);
    assert_eq!(code, 1);
    assert!(out.contains("+\tdocker network inspect db-net"), "{out}");
    assert_eq!(
        std::fs::read_to_string(t.path().join("Makefile")).unwrap(),
        LINKED_MAKEFILE
    );
    let (code, _, _) = unlink(t.path(), &["migrate", "."]);
    assert_eq!(code, 0);
    assert_eq!(unlink(t.path(), &["migrate", "--check", "."]).0, 0);
}

#[cfg(unix)]
#[test]
fn migrate_keeps_the_exec_bit() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "run.sh",
        "#!/bin/sh\ndocker run -d --name x-db r:1\ndocker run -d --name x --link x-db:db x:1\n",
    );
    let p = t.path().join("run.sh");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(unlink(t.path(), &["migrate", "run.sh"]).0, 0);
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o755
    );
}

#[test]
fn graph_formats_are_deterministic() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", LINKED_MAKEFILE);
    for format in ["mermaid", "dot", "json"] {
        let a = unlink(t.path(), &["graph", "--format", format, "."]);
        let b = unlink(t.path(), &["graph", "--format", format, "."]);
        assert_eq!(a, b);
        assert_eq!(a.0, 0);
        insta::assert_snapshot!(format!("graph_{format}"), a.1);
    }
}

#[test]
fn completions_are_generated() {
    let t = tempfile::tempdir().unwrap();
    let (code, out, _) = unlink(t.path(), &["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(out.contains("migrate"));
}

#[test]
fn a_config_outside_the_project_is_never_edited() {
    let outside = tempfile::tempdir().unwrap();
    let conf = "server { location / { proxy_pass http://api:9000; } }\n";
    write(outside.path(), "nginx.conf", conf);
    let t = tempfile::tempdir().unwrap();
    let mk = format!(
        "run:\n\tdocker run -d --name api-srv api:1\n\tdocker run -d --name gw --link api-srv:api -v {}/nginx.conf:/etc/nginx/conf.d/default.conf:ro nginx:1.27\n",
        outside.path().display()
    );
    write(t.path(), "Makefile", &mk);
    let (code, _, err) = unlink(t.path(), &["migrate", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("outside the project"), "{err}");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("nginx.conf")).unwrap(),
        conf
    );
    // The alias stays resolvable instead.
    let migrated = std::fs::read_to_string(t.path().join("Makefile")).unwrap();
    assert!(migrated.contains("--network-alias api"), "{migrated}");
}
