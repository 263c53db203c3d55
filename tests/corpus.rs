//! The corpus: every directory under `corpus/` is a realistic project. Each
//! is copied to a scratch directory and migrated with the real binary; the
//! snapshot shows the exit code, the diagnostics and the diff. A second
//! migration over the migrated copy must change nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every case directory (compose cases also have crate-level snapshots in `unlink_compose`).
fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap() != "snapshots")
        .collect();
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn args_of(case: &Path) -> Vec<String> {
    match std::fs::read_to_string(case.join("args")) {
        Ok(s) => s.split_whitespace().map(str::to_string).collect(),
        Err(_) => vec![".".to_string()],
    }
}

fn unlink(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_unlink"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace('\r', "␍"),
        String::from_utf8_lossy(&out.stderr).replace('\r', "␍"),
    )
}

#[test]
fn corpus_snapshots_and_idempotence() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join(&name);
        copy_dir(&case, &dir);
        let paths = args_of(&case);
        let mut diff_args = vec!["migrate", "--diff"];
        diff_args.extend(paths.iter().map(String::as_str));
        let (code, stdout, stderr) = unlink(&dir, &diff_args);
        let snapshot = format!("exit: {code}\n--- diagnostics\n{stderr}--- diff\n{stdout}");
        insta::with_settings!({
            snapshot_path => corpus_dir().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.clone(), snapshot);
        });
        if code == 2 {
            continue;
        }
        // Migrate for real, then again: the second run must change nothing.
        let mut write_args = vec!["migrate", "--quiet"];
        write_args.extend(paths.iter().map(String::as_str));
        let (code, _, stderr) = unlink(&dir, &write_args);
        if code != 0 {
            failures.push(format!("{name}: migrate exited {code}: {stderr}"));
            continue;
        }
        let (code, stdout, _) = unlink(&dir, &diff_args);
        if code != 0 || !stdout.is_empty() {
            failures.push(format!(
                "{name}: second migration is not a no-op (exit {code}):\n{stdout}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
