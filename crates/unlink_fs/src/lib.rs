//! Reading input files and writing a set of rewritten files all-or-nothing.
//!
//! `unlink migrate` usually changes several files at once: a compose file, the
//! Makefile that starts the same containers and a script that tears them down.
//! A half-applied migration is worse than none, because the files then
//! disagree about which network the containers share. This crate owns the one
//! place where unlink writes, and [`write_all`] promises:
//!
//! * **All or nothing.** Every new content is first *staged*: written to a
//!   temporary file in the same directory as the file it replaces, flushed with
//!   `fsync`, and given the original's permissions (and, best effort, owner).
//!   The original is kept as a hard link (or a copy where hard links fail) next
//!   to it. Only when every file is staged are the temporaries renamed over
//!   the originals. If staging fails anywhere, every temporary is removed and
//!   no file is touched. If a rename fails after others succeeded, the files
//!   already replaced are put back from their backups, and the error says so.
//! * **Atomic per file.** A rename within one directory is atomic, so a reader
//!   (or a crash) sees either the old or the new content, never a mix.
//! * **Permissions kept.** The staged file gets the original's mode, so `+x`
//!   on a script survives (a plain temp file would be `0600`).
//! * **Symlinks written through.** A path that is a symlink is resolved and its
//!   target is replaced; the link itself stays a link.
//! * **No litter.** Temporaries and backups are named `.unlink-*.tmp` and
//!   removed on every path out, success or failure. The one exception is a
//!   backup that could not be restored after a failed rename: it is kept, and
//!   the error names it, because it is then the only copy of the original.
//!
//! It does not lock files against concurrent writers, and renaming breaks
//! extra hard links to a replaced file (the other names keep the old content).
//!
//! [`read_file`] is `std::fs::read` with the path in the error.

use std::fmt;
use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::{Builder, NamedTempFile};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {source}", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Read a whole file.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    fs::read(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })
}

/// Why [`write_all`] did not write everything.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file could not be staged. Nothing was written.
    #[error("cannot prepare {}: {source}; no file was changed", path.display())]
    Stage {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Two entries name the same file (directly or through a symlink).
    /// Nothing was written.
    #[error("{} is given more than once (after following symlinks); no file was changed", path.display())]
    Duplicate { path: PathBuf },
    /// Renaming a staged file over its original failed after `restored` had
    /// already been replaced. Those were put back from their backups, except
    /// the ones in `unrestored`.
    #[error("{}", commit_message(path, source, restored, unrestored))]
    Commit {
        path: PathBuf,
        #[source]
        source: io::Error,
        /// Files that had been replaced and were put back.
        restored: Vec<PathBuf>,
        /// Files that had been replaced and could not be put back.
        unrestored: Vec<Unrestored>,
    },
}

impl WriteError {
    /// True when some file was left with new content (only possible when a
    /// restore after a failed rename also failed).
    pub fn is_partial(&self) -> bool {
        matches!(self, WriteError::Commit { unrestored, .. } if !unrestored.is_empty())
    }
}

/// A replaced file whose original could not be put back.
#[derive(Debug)]
pub struct Unrestored {
    /// The file, which now has the new content.
    pub path: PathBuf,
    /// Where the original content was kept (not deleted); `None` for a file
    /// that was new and could not be removed again.
    pub backup: Option<PathBuf>,
    pub error: io::Error,
}

fn commit_message(
    path: &Path,
    source: &io::Error,
    restored: &[PathBuf],
    unrestored: &[Unrestored],
) -> String {
    let mut msg = format!("cannot replace {}: {source}", path.display());
    if unrestored.is_empty() {
        if restored.is_empty() {
            msg.push_str("; no file was changed");
        } else {
            msg.push_str(&format!(
                "; {} file(s) already replaced were restored, no file was changed",
                restored.len()
            ));
        }
    } else {
        msg.push_str("; these files were changed and could not be restored:");
        for u in unrestored {
            msg.push_str(&format!("\n  {u}"));
        }
    }
    msg
}

/// One file ready to be renamed into place.
struct Staged {
    /// The file replaced (a symlink's target, not the link).
    target: PathBuf,
    temp: NamedTempFile,
    /// The original's content under another name, `None` for a new file.
    backup: Option<NamedTempFile<()>>,
}

/// Write every `(path, content)` pair, all or nothing. See the crate docs for
/// the guarantees. A path that does not exist yet is created with mode 0644.
pub fn write_all(changes: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    write_all_with(changes, &mut |_| Ok(()))
}

/// [`write_all`] with a hook called before the rename of entry `i`; tests use
/// it to fail a rename at a chosen point.
fn write_all_with(
    changes: &[(PathBuf, Vec<u8>)],
    before_rename: &mut dyn FnMut(usize) -> io::Result<()>,
) -> Result<(), WriteError> {
    // Phase 1: stage. Any error drops `staged`, which deletes every temp and
    // backup made so far; no original has been touched.
    let mut staged: Vec<Staged> = Vec::with_capacity(changes.len());
    for (path, content) in changes {
        let s = stage(path, content).map_err(|source| WriteError::Stage {
            path: path.clone(),
            source,
        })?;
        if staged.iter().any(|o| o.target == s.target) {
            return Err(WriteError::Duplicate { path: path.clone() });
        }
        staged.push(s);
    }

    // Phase 2: commit. Rename each temp over its target; on failure put back
    // what was already replaced.
    let mut done: Vec<(PathBuf, Option<NamedTempFile<()>>)> = Vec::with_capacity(staged.len());
    for (i, s) in staged.into_iter().enumerate() {
        let Staged {
            target,
            temp,
            backup,
        } = s;
        let result = before_rename(i).and_then(|()| temp.persist(&target).map_err(|e| e.error));
        match result {
            Ok(_) => done.push((target, backup)),
            Err(source) => {
                let (restored, unrestored) = roll_back(done);
                return Err(WriteError::Commit {
                    path: target,
                    source,
                    restored,
                    unrestored,
                });
            }
        }
    }

    // Every rename succeeded: make the renames durable, then drop the
    // backups (which deletes them).
    let mut dirs: Vec<&Path> = done.iter().filter_map(|(t, _)| t.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        sync_dir(dir);
    }
    drop(done);
    Ok(())
}

/// Put back every already replaced file, newest first.
fn roll_back(done: Vec<(PathBuf, Option<NamedTempFile<()>>)>) -> (Vec<PathBuf>, Vec<Unrestored>) {
    let mut restored = Vec::new();
    let mut unrestored = Vec::new();
    for (target, backup) in done.into_iter().rev() {
        let result = match backup {
            Some(backup) => backup.persist(&target).map(drop).map_err(|e| {
                // Keep the backup: it is now the only copy of the original.
                let backup_path = e.file.path().to_path_buf();
                let _ = e.file.keep();
                (Some(backup_path), e.error)
            }),
            // A file that did not exist before is removed again.
            None => fs::remove_file(&target).map_err(|e| (None, e)),
        };
        match result {
            Ok(()) => restored.push(target),
            Err((backup, error)) => unrestored.push(Unrestored {
                path: target,
                backup,
                error,
            }),
        }
    }
    restored.reverse();
    unrestored.reverse();
    (restored, unrestored)
}

fn stage(path: &Path, content: &[u8]) -> io::Result<Staged> {
    let original = match fs::canonicalize(path) {
        Ok(resolved) => Some(resolved),
        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_err() => {
            None
        }
        // A dangling symlink, a loop, or an unreadable directory.
        Err(e) => return Err(e),
    };
    let (target, meta) = match original {
        Some(resolved) => {
            let meta = fs::metadata(&resolved)?;
            if !meta.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "not a regular file",
                ));
            }
            (resolved, Some(meta))
        }
        None => (path.to_path_buf(), None),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };

    let mut temp = Builder::new()
        .prefix(".unlink-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    temp.write_all(content)?;
    // Set the mode on the open file, so the umask does not narrow it.
    let perms = match &meta {
        Some(meta) => Some(meta.permissions()),
        None => new_file_permissions(),
    };
    if let Some(perms) = perms {
        temp.as_file().set_permissions(perms)?;
    }
    if let Some(meta) = &meta {
        copy_owner(temp.as_file(), meta);
    }
    temp.as_file().sync_all()?;

    let backup = match &meta {
        Some(_) => Some(backup_of(&target, &dir)?),
        None => None,
    };
    Ok(Staged {
        target,
        temp,
        backup,
    })
}

/// Keep the original under a temporary name: a hard link when the file
/// system allows one (no copy, same inode), else a copy.
fn backup_of(target: &Path, dir: &Path) -> io::Result<NamedTempFile<()>> {
    let builder = {
        let mut b = Builder::new();
        b.prefix(".unlink-").suffix(".orig.tmp");
        b
    };
    match builder.make_in(dir, |p| fs::hard_link(target, p)) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => builder.make_in(dir, |p| {
            let mut opts = fs::OpenOptions::new();
            opts.write(true).create_new(true);
            let mut out = opts.open(p)?;
            let mut input = File::open(target)?;
            io::copy(&mut input, &mut out)?;
            out.set_permissions(fs::metadata(target)?.permissions())?;
            out.sync_all()
        }),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    // The temp file's default (not read-only) is all other platforms say.
    None
}

#[cfg(unix)]
fn copy_owner(file: &File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(own) = file.metadata() else { return };
    if own.uid() != meta.uid() || own.gid() != meta.gid() {
        // Best effort: only root may give a file away.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
}

#[cfg(not(unix))]
fn copy_owner(_: &File, _: &fs::Metadata) {}

/// Flush a directory so renames in it survive a crash (best effort; not
/// possible on every platform).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl fmt::Display for Unrestored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.backup {
            Some(b) => write!(
                f,
                "{} (original kept at {}: {})",
                self.path.display(),
                b.display(),
                self.error
            ),
            None => write!(
                f,
                "{} (new file left in place: {})",
                self.path.display(),
                self.error
            ),
        }
    }
}

#[cfg(test)]
mod tests;
