//! The compose corpus: every `corpus/compose-*/` case is migrated, the
//! diagnostics and the unified diff are snapshotted, the result must migrate
//! to nothing a second time, and (when Debian's `docker-compose` is
//! installed) must pass `docker-compose config -q`.
//!
//! A case's `args` file (the binary's arguments for the root corpus test,
//! e.g. `--isolation strict .`) also sets the options here: `--isolation`
//! and `--network`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use unlink_compose::{
    check_project_with, migrate_project, ComposeOptions, ComposeProject, Isolation,
    ProjectMigration,
};
use unlink_diagnostics::{Diagnostic, LineIndex};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(corpus_root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("compose-"))
        .collect();
    out.sort();
    assert!(out.len() >= 8, "the compose corpus went missing: {out:?}");
    out
}

/// The options a case's `args` file asks for.
fn options(case: &str) -> ComposeOptions {
    let args = std::fs::read_to_string(corpus_root().join(case).join("args")).unwrap_or_default();
    let args: Vec<&str> = args.split_whitespace().collect();
    let mut opts = ComposeOptions::default();
    for w in args.windows(2) {
        match w[0] {
            "--isolation" => {
                opts.isolation = match w[1] {
                    "component" => Isolation::Component,
                    "strict" => Isolation::Strict,
                    "single" => Isolation::Single,
                    other => panic!("{case}: unknown isolation {other}"),
                }
            }
            "--network" => opts.network = Some(w[1].to_string()),
            _ => {}
        }
    }
    opts
}

/// Load a case with paths relative to the corpus (`compose-v1/docker-compose.yml`),
/// so snapshots do not depend on where the repository lives.
fn load(case: &str) -> ComposeProject {
    let dir = corpus_root().join(case);
    let mut p = ComposeProject::load(&dir.join("docker-compose.yml")).unwrap();
    let rel = |f: &mut unlink_compose::ComposeFile| {
        let name = f.path.file_name().unwrap().to_owned();
        f.path = Path::new(case).join(name);
    };
    rel(&mut p.main);
    if let Some(o) = p.override_file.as_mut() {
        rel(o);
    }
    p
}

fn text_of<'a>(p: &'a ComposeProject, path: &Path) -> &'a str {
    if p.main.path == path {
        &p.main.text
    } else {
        &p.override_file.as_ref().unwrap().text
    }
}

fn render_diag(p: &ComposeProject, d: &Diagnostic) -> String {
    let text = text_of(p, &d.path);
    let idx = LineIndex::new(text.as_bytes());
    let (l, c) = idx.line_col(text.as_bytes(), d.span.start);
    let mut s = format!(
        "{}:{l}:{c}: {} {} [{}]{}: {}",
        d.path.display(),
        d.severity.as_str(),
        d.code.id,
        d.code.name,
        if d.fixable { " (fixable)" } else { "" },
        d.message
    );
    if !d.span.is_empty() {
        write!(s, "\n    span: {:?}", &text[d.span.clone()]).unwrap();
    }
    if let Some(h) = &d.help {
        write!(s, "\n    help: {h}").unwrap();
    }
    s
}

/// The migrated texts of every file of the project.
fn migrated(p: &ComposeProject, m: &ProjectMigration) -> Vec<(PathBuf, String, String)> {
    p.paths()
        .into_iter()
        .map(|path| {
            let before = text_of(p, path).to_string();
            let after = match m.files.iter().find(|f| f.path == path) {
                Some(f) => String::from_utf8(
                    unlink_edit::apply(before.as_bytes(), f.edits.clone()).unwrap(),
                )
                .unwrap(),
                None => before.clone(),
            };
            (path.to_path_buf(), before, after)
        })
        .collect()
}

fn snapshot(case: &str) -> String {
    let p = load(case);
    let mut out = String::new();
    let m = match migrate_project(&p, &options(case)) {
        Ok(m) => m,
        Err(d) => {
            writeln!(out, "error:\n{}", render_diag(&p, &d)).unwrap();
            return out;
        }
    };
    writeln!(out, "diagnostics:").unwrap();
    for d in &m.diagnostics {
        writeln!(out, "{}", render_diag(&p, d)).unwrap();
    }
    for (path, before, after) in migrated(&p, &m) {
        writeln!(out).unwrap();
        if before == after {
            writeln!(out, "{}: unchanged", path.display()).unwrap();
            continue;
        }
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(&before, &after);
        write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        )
        .unwrap();
    }
    out
}

#[test]
fn corpus_snapshots() {
    for case in cases() {
        let snap = snapshot(&case);
        insta::with_settings!({ snapshot_suffix => case.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("corpus", snap);
        });
    }
}

/// Write the migrated project (and the case's other files) to a temp dir
/// named like the case, so derived names stay the same.
fn write_migrated(case: &str) -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let p = load(case);
    let m = migrate_project(&p, &options(case)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(case);
    copy_dir(&corpus_root().join(case), &dir);
    let mut files = vec![];
    for (path, _, after) in migrated(&p, &m) {
        let target = dir.join(path.file_name().unwrap());
        std::fs::write(&target, after).unwrap();
        files.push(target);
    }
    (tmp, dir, files)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

#[test]
fn migrating_twice_changes_nothing() {
    for case in cases() {
        let p = load(&case);
        let Ok(first) = migrate_project(&p, &options(&case)) else {
            continue;
        };
        let (_tmp, dir, _) = write_migrated(&case);
        let mut again = ComposeProject::load(&dir.join("docker-compose.yml")).unwrap();
        // Same relative paths as the first run.
        again.main.path = p.main.path.clone();
        if let (Some(o), Some(po)) = (again.override_file.as_mut(), p.override_file.as_ref()) {
            o.path = po.path.clone();
        }
        let second = migrate_project(&again, &options(&case)).unwrap();
        assert!(
            second.files.is_empty(),
            "{case}: second migration still edits: {:#?}",
            second.files
        );
        // What stays unfixable is reported again, and nothing new appears.
        let kept = |m: &ProjectMigration| -> Vec<String> {
            m.diagnostics
                .iter()
                .filter(|d| !d.fixable && d.code.id != "UL021" && d.code.id != "UL022")
                .map(|d| format!("{} {}", d.code.id, d.message))
                .collect()
        };
        assert_eq!(kept(&first), kept(&second), "{case}");
        assert!(
            second.diagnostics.iter().all(|d| !d.fixable),
            "{case}: fixable findings left after migrating"
        );
    }
}

#[test]
fn check_reports_what_migrate_fixes() {
    for case in cases() {
        let p = load(&case);
        let (Ok(check), Ok(m)) = (
            check_project_with(&p, &options(&case)),
            migrate_project(&p, &options(&case)),
        ) else {
            continue;
        };
        let from_migrate: Vec<_> = m
            .diagnostics
            .iter()
            .filter(|d| d.code.id != "UL021" && d.code.id != "UL022")
            .cloned()
            .collect();
        assert_eq!(check, from_migrate, "{case}");
        let fixable = check.iter().any(|d| d.fixable);
        assert_eq!(
            fixable,
            !m.files.is_empty(),
            "{case}: fixable findings iff edits"
        );
    }
}

fn docker_compose() -> Option<PathBuf> {
    let out = Command::new("docker-compose")
        .arg("version")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from("docker-compose"))
}

fn compose_config(dir: &Path, files: &[PathBuf], extra: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("docker-compose");
    cmd.current_dir(dir);
    for f in files {
        cmd.arg("-f").arg(f);
    }
    cmd.arg("config").args(extra);
    cmd.env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME");
    cmd.output().unwrap()
}

#[test]
fn migrated_corpus_passes_docker_compose_config() {
    if docker_compose().is_none() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "CI must have Debian's docker-compose installed (apt-get install docker-compose)"
            );
        }
        eprintln!("note: docker-compose not installed; `docker-compose config -q` not run");
        return;
    }
    let mut checked = 0;
    for case in cases() {
        if case == "compose-syntax-error" {
            continue;
        }
        let (_tmp, dir, files) = write_migrated(&case);
        let out = compose_config(&dir, &files, &["-q"]);
        assert!(
            out.status.success(),
            "{case}: docker-compose config -q failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect::<Vec<_>>()
                .join("\n---\n")
        );
        checked += 1;
    }
    assert!(checked >= 8);
}
