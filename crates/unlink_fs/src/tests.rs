use super::*;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::Command;

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".unlink-"))
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().uid() == 0
}

/// Makes a path impossible to change for this process until dropped:
/// `chattr +i` as root (root ignores modes), `chmod a-w` otherwise.
struct Frozen {
    path: PathBuf,
    chattr: bool,
    old_mode: u32,
}

impl Frozen {
    /// `None` when this file system or user cannot freeze `path`.
    fn new(path: &Path) -> Option<Frozen> {
        let old_mode = mode(path);
        if is_root() {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            ok.then(|| Frozen {
                path: path.to_path_buf(),
                chattr: true,
                old_mode,
            })
        } else {
            fs::set_permissions(path, Permissions::from_mode(old_mode & !0o222)).ok()?;
            Some(Frozen {
                path: path.to_path_buf(),
                chattr: false,
                old_mode,
            })
        }
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        if self.chattr {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
        } else {
            let _ = fs::set_permissions(&self.path, Permissions::from_mode(self.old_mode));
        }
    }
}

#[test]
fn writes_every_file_and_leaves_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    fs::write(&a, "old a").unwrap();
    fs::write(&b, "old b").unwrap();
    write_all(&[
        (a.clone(), b"new a".to_vec()),
        (b.clone(), b"new b".to_vec()),
    ])
    .unwrap();
    assert_eq!(fs::read(&a).unwrap(), b"new a");
    assert_eq!(fs::read(&b).unwrap(), b"new b");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn exec_bit_and_exact_mode_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("run.sh");
    let shared = dir.path().join("shared.mk");
    fs::write(&script, "#!/bin/sh\n").unwrap();
    fs::write(&shared, "all:\n").unwrap();
    fs::set_permissions(&script, Permissions::from_mode(0o755)).unwrap();
    // Group-writable: a umask of 022 would narrow this if the mode were set
    // at creation rather than on the open file.
    fs::set_permissions(&shared, Permissions::from_mode(0o664)).unwrap();
    write_all(&[
        (script.clone(), b"#!/bin/sh\necho\n".to_vec()),
        (shared.clone(), b"all: x\n".to_vec()),
    ])
    .unwrap();
    assert_eq!(mode(&script), 0o755);
    assert_eq!(mode(&shared), 0o664);
}

#[test]
fn symlink_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("compose.yml");
    let link = dir.path().join("docker-compose.yml");
    fs::write(&target, "old").unwrap();
    symlink("real/compose.yml", &link).unwrap();
    write_all(&[(link.clone(), b"new".to_vec())]).unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real/compose.yml"));
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert_eq!(leftovers(&real_dir), Vec::<String>::new());
}

#[test]
fn the_same_file_twice_through_a_symlink_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Makefile");
    let link = dir.path().join("GNUmakefile");
    fs::write(&target, "old").unwrap();
    symlink("Makefile", &link).unwrap();
    let err = write_all(&[(target.clone(), b"one".to_vec()), (link, b"two".to_vec())]).unwrap_err();
    assert!(matches!(err, WriteError::Duplicate { .. }), "{err:?}");
    assert_eq!(fs::read(&target).unwrap(), b"old");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_new_file_is_created_0644() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("networks.sh");
    write_all(&[(new.clone(), b"x".to_vec())]).unwrap();
    assert_eq!(fs::read(&new).unwrap(), b"x");
    assert_eq!(mode(&new), 0o644);
}

#[test]
fn staging_failure_on_the_second_file_leaves_the_first_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sh");
    fs::write(&a, "old a").unwrap();
    // `b`'s directory is a file, so its temp cannot be created.
    fs::write(dir.path().join("sub"), "not a dir").unwrap();
    let b = dir.path().join("sub").join("b.sh");
    let err = write_all(&[
        (a.clone(), b"new a".to_vec()),
        (b.clone(), b"new b".to_vec()),
    ])
    .unwrap_err();
    match &err {
        WriteError::Stage { path, .. } => assert_eq!(path, &b),
        other => panic!("expected a staging error, got {other:?}"),
    }
    assert!(err.to_string().contains("no file was changed"), "{err}");
    assert_eq!(fs::read(&a).unwrap(), b"old a");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn directories_and_dangling_links_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let dangling = dir.path().join("dangling.yml");
    symlink("nowhere.yml", &dangling).unwrap();
    for p in [sub, dangling] {
        let err = write_all(&[(p.clone(), b"x".to_vec())]).unwrap_err();
        assert!(matches!(err, WriteError::Stage { .. }), "{p:?}: {err:?}");
    }
    assert!(!dir.path().join("nowhere.yml").exists());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn unwritable_directory_of_the_second_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d1 = dir.path().join("one");
    let d2 = dir.path().join("two");
    fs::create_dir(&d1).unwrap();
    fs::create_dir(&d2).unwrap();
    let a = d1.join("Makefile");
    let b = d2.join("run.sh");
    fs::write(&a, "old a").unwrap();
    fs::write(&b, "old b").unwrap();
    let Some(frozen) = Frozen::new(&d2) else {
        eprintln!("skipped: cannot make a directory read-only here");
        return;
    };
    let err = write_all(&[
        (a.clone(), b"new a".to_vec()),
        (b.clone(), b"new b".to_vec()),
    ])
    .unwrap_err();
    drop(frozen);
    assert!(
        matches!(&err, WriteError::Stage { path, .. } if path == &b),
        "{err:?}"
    );
    assert_eq!(fs::read(&a).unwrap(), b"old a");
    assert_eq!(fs::read(&b).unwrap(), b"old b");
    assert_eq!(leftovers(&d1), Vec::<String>::new());
    assert_eq!(leftovers(&d2), Vec::<String>::new());
}

#[test]
fn immutable_second_file_fails_the_rename_and_the_first_is_restored() {
    // Only root can stage next to a file it then cannot replace.
    if !is_root() {
        eprintln!("skipped: needs root for chattr +i");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("docker-compose.yml");
    let b = dir.path().join("Makefile");
    fs::write(&a, "old a").unwrap();
    fs::write(&b, "old b").unwrap();
    let Some(frozen) = Frozen::new(&b) else {
        eprintln!("skipped: chattr does not work on this file system");
        return;
    };
    let err = write_all(&[
        (a.clone(), b"new a".to_vec()),
        (b.clone(), b"new b".to_vec()),
    ])
    .unwrap_err();
    drop(frozen);
    match &err {
        WriteError::Commit {
            path,
            restored,
            unrestored,
            ..
        } => {
            assert_eq!(path, &fs::canonicalize(&b).unwrap());
            assert_eq!(restored, &vec![fs::canonicalize(&a).unwrap()]);
            assert!(unrestored.is_empty());
        }
        other => panic!("expected a commit error, got {other:?}"),
    }
    assert!(!err.is_partial());
    assert_eq!(fs::read(&a).unwrap(), b"old a");
    assert_eq!(fs::read(&b).unwrap(), b"old b");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn failed_rename_restores_every_earlier_file_including_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let new = dir.path().join("new");
    let c = dir.path().join("c");
    fs::write(&a, "old a").unwrap();
    fs::write(&c, "old c").unwrap();
    fs::set_permissions(&a, Permissions::from_mode(0o750)).unwrap();
    let changes = vec![
        (a.clone(), b"new a".to_vec()),
        (new.clone(), b"created".to_vec()),
        (c.clone(), b"new c".to_vec()),
    ];
    let err = write_all_with(&changes, &mut |i| {
        if i == 2 {
            // The first two renames have happened by now.
            assert_eq!(fs::read(&a).unwrap(), b"new a");
            assert!(new.exists());
            Err(io::Error::other("injected"))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    match &err {
        WriteError::Commit { restored, .. } => assert_eq!(restored.len(), 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read(&a).unwrap(), b"old a");
    assert_eq!(mode(&a), 0o750);
    assert!(!new.exists());
    assert_eq!(fs::read(&c).unwrap(), b"old c");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_restore_that_fails_keeps_the_backup_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d1 = dir.path().join("one");
    fs::create_dir(&d1).unwrap();
    let a = d1.join("a");
    let b = dir.path().join("b");
    fs::write(&a, "old a").unwrap();
    fs::write(&b, "old b").unwrap();
    let mut frozen = None;
    let mut could_freeze = true;
    let err = write_all_with(
        &[
            (a.clone(), b"new a".to_vec()),
            (b.clone(), b"new b".to_vec()),
        ],
        &mut |i| {
            if i == 1 {
                // Freeze `a`'s directory so its backup cannot be renamed back.
                frozen = Frozen::new(&d1);
                could_freeze = frozen.is_some();
                Err(io::Error::other("injected"))
            } else {
                Ok(())
            }
        },
    )
    .unwrap_err();
    drop(frozen);
    if !could_freeze {
        eprintln!("skipped: cannot make a directory read-only here");
        return;
    }
    assert!(err.is_partial(), "{err:?}");
    let WriteError::Commit { unrestored, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(unrestored.len(), 1);
    let backup = unrestored[0].backup.clone().unwrap();
    assert_eq!(fs::read(&backup).unwrap(), b"old a");
    assert_eq!(fs::read(&a).unwrap(), b"new a");
    assert_eq!(fs::read(&b).unwrap(), b"old b");
    let msg = err.to_string();
    assert!(msg.contains("could not be restored"), "{msg}");
    assert!(msg.contains(&backup.display().to_string()), "{msg}");
}

#[test]
fn read_error_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.mk");
    let err = read_file(&missing).unwrap_err();
    assert_eq!(err.path, missing);
    assert!(err.to_string().contains("missing.mk"), "{err}");
    fs::write(&missing, b"\x00bytes").unwrap();
    assert_eq!(read_file(&missing).unwrap(), b"\x00bytes");
}
