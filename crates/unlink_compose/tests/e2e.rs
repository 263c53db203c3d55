//! End to end with the real Compose: the 2.x file with an aliased link and
//! the version 1 file are migrated, written out, and rendered by Debian's
//! `docker-compose config`; what Compose itself then reads (start order,
//! links, networks and aliases) is compared before and after.
//!
//! Without `docker-compose` these tests print a note and pass, except under
//! CI, where the binary is required.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use unlink_compose::{migrate_project, ComposeOptions, ComposeProject, Isolation};

/// What Compose made of a file, one line per service (via its own YAML
/// reader, so this does not share unlink's parser).
const SUMMARY: &str = r#"
import sys, yaml
c = yaml.safe_load(sys.stdin)
for name in sorted(c['services']):
    s = c['services'][name]
    deps = s.get('depends_on') or {}
    nets = s.get('networks') or {}
    if isinstance(nets, list):
        nets = {n: None for n in nets}
    n = ' '.join(f"{k}[{','.join((v or {}).get('aliases') or [])}]" for k, v in sorted(nets.items()))
    print(f"{name}: depends_on={','.join(sorted(deps))} links={','.join(s.get('links') or [])} networks={n} mode={s.get('network_mode', '')}")
"#;

fn have_compose() -> bool {
    let ok = Command::new("docker-compose")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Debian's docker-compose installed"
        );
        eprintln!("note: docker-compose not installed; end-to-end compose test skipped");
    }
    ok
}

fn summary(dir: &Path) -> String {
    let config = Command::new("docker-compose")
        .current_dir(dir)
        .args(["-f", "docker-compose.yml", "config"])
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    assert!(
        config.status.success(),
        "{}",
        String::from_utf8_lossy(&config.stderr)
    );
    let mut py = Command::new("python3")
        .args(["-c", SUMMARY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    py.stdin.take().unwrap().write_all(&config.stdout).unwrap();
    let out = py.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn corpus(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(case)
}

/// (before, after) summaries of a corpus case.
fn before_after(case: &str) -> (String, String) {
    before_after_with(case, &ComposeOptions::default())
}

fn before_after_with(case: &str, opts: &ComposeOptions) -> (String, String) {
    let src = corpus(case);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(case);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        } else {
            let sub = dir.join(e.file_name());
            std::fs::create_dir_all(&sub).unwrap();
            for f in std::fs::read_dir(e.path()).unwrap() {
                let f = f.unwrap();
                std::fs::copy(f.path(), sub.join(f.file_name())).unwrap();
            }
        }
    }
    let before = summary(&dir);
    let project = ComposeProject::load(&dir.join("docker-compose.yml")).unwrap();
    let m = migrate_project(&project, opts).unwrap();
    assert_eq!(m.files.len(), 1);
    let migrated =
        unlink_edit::apply(project.main.text.as_bytes(), m.files[0].edits.clone()).unwrap();
    std::fs::write(dir.join("docker-compose.yml"), migrated).unwrap();
    (before, summary(&dir))
}

#[test]
fn v2_1_aliased_link_end_to_end() {
    if !have_compose() {
        return;
    }
    let (before, after) = before_after("compose-v2.1-alias");
    assert_eq!(
        before,
        "api: depends_on=db links= networks= mode=\n\
         auth: depends_on= links= networks= mode=\n\
         db: depends_on= links= networks= mode=\n\
         metrics: depends_on= links= networks= mode=\n\
         proxy: depends_on=metrics links=api:backend,auth networks= mode=\n"
    );
    // No links; the start order is kept by depends_on; `backend` is now
    // `api`'s alias on the network `proxy` shares with it (Compose prints
    // no `networks` for a service only on the implicit `default`). Every
    // service on `default` is linked or a `depends_on` of one, so under
    // component isolation `default` is the group's own network already.
    let expected = "api: depends_on=db links= networks=default[backend] mode=\n\
         auth: depends_on= links= networks= mode=\n\
         db: depends_on= links= networks= mode=\n\
         metrics: depends_on= links= networks= mode=\n\
         proxy: depends_on=api,auth,metrics links= networks= mode=\n";
    assert_eq!(after, expected);
    // Strict: `backend` is only for `proxy`, so `api` and `proxy` get
    // `api-net` (both stay on `default`).
    let strict = ComposeOptions {
        isolation: Isolation::Strict,
        ..Default::default()
    };
    let (_, after) = before_after_with("compose-v2.1-alias", &strict);
    assert_eq!(
        after,
        "api: depends_on=db links= networks=api-net[backend] default[] mode=\n\
         auth: depends_on= links= networks= mode=\n\
         db: depends_on= links= networks= mode=\n\
         metrics: depends_on= links= networks= mode=\n\
         proxy: depends_on=api,auth,metrics links= networks=api-net[] default[] mode=\n"
    );
}

#[test]
fn strict_version_1_end_to_end() {
    if !have_compose() {
        return;
    }
    let strict = ComposeOptions {
        isolation: Isolation::Strict,
        ..Default::default()
    };
    let (_, after) = before_after_with("compose-strict", &strict);
    // `backend` is answered on `api-net` (web, admin, api) and `database` on
    // `db-net` (api, db); every service stays on `default`.
    assert_eq!(
        after,
        "admin: depends_on=api links= networks=api-net[] default[] mode=\n\
         api: depends_on=cache,db links= networks=api-net[backend] db-net[] default[] mode=\n\
         cache: depends_on= links= networks= mode=\n\
         db: depends_on= links= networks=db-net[database] default[] mode=\n\
         web: depends_on=api links= networks=api-net[] default[] mode=\n\
         worker: depends_on=cache links= networks= mode=\n"
    );
}

#[test]
fn version_1_end_to_end() {
    if !have_compose() {
        return;
    }
    let (before, after) = before_after("compose-v1");
    // Version 1: every service on Docker's default bridge, legacy links.
    assert_eq!(
        before,
        "app: depends_on= links=db networks= mode=bridge\n\
         cache: depends_on= links= networks= mode=bridge\n\
         db: depends_on= links= networks= mode=bridge\n\
         web: depends_on= links=app:backend,cache networks= mode=bridge\n"
    );
    assert_eq!(
        after,
        "app: depends_on=db links= networks=default[backend] mode=\n\
         cache: depends_on= links= networks= mode=\n\
         db: depends_on= links= networks= mode=\n\
         web: depends_on=app,cache links= networks= mode=\n"
    );
}
