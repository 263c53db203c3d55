//! Which files unlink looks at, and what kind each one is.
//!
//! [`walk`] turns the paths on the command line into a sorted list of
//! [`Candidate`]s: a path and a [`FileKind`]. It does not read whole files
//! and holds no file contents, so memory stays bounded however large the
//! tree; the caller reads each candidate (with [`is_binary`] and
//! [`may_contain_link`] to skip most of them cheaply).
//!
//! The rules, in the order a user would ask about them:
//!
//! * A path that does not exist is an error ([`WalkError::NotFound`]).
//! * A file named on the command line is always a candidate, whatever its
//!   kind and whatever the ignore files say — unless
//!   [`WalkOptions::force_exclude`] is set (pre-commit passes every staged
//!   file by name, so it needs exclusions to still apply).
//! * A directory is walked in parallel. Skipped are: what `.gitignore`,
//!   `.ignore` and `.unlinkignore` ignore (`.gitignore` is honoured outside a
//!   git repository too; [`WalkOptions::no_ignore`] turns all three off), the
//!   `exclude` globs from the settings (gitignore syntax, relative to
//!   [`WalkOptions::exclude_root`]; they apply even with `no_ignore`), `.git`,
//!   symlinks (a link inside a tree would make the same file appear twice or
//!   loop), and files of kind [`FileKind::Other`]. Hidden files and
//!   directories (`.github/`, `.docker/`) are walked.
//! * Kinds come from the file name; a file with no extension is also
//!   recognised as shell by its `#!` line (only its first 256 bytes are
//!   read), so `bin/deploy` is found.
//! * The result is sorted by path and has no duplicates (`./a` and `a` are
//!   the same path), so output does not depend on thread timing.

mod kind;
mod prefilter;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

pub use kind::{classify, kind_from_name, kind_from_shebang, FileKind};
pub use prefilter::{is_binary, may_contain_link, BINARY_PREFIX};

/// The name of unlink's own ignore file, read like `.gitignore`.
pub const IGNORE_FILE_NAME: &str = ".unlinkignore";

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as given or as found under a given directory, without `./`
    /// components.
    pub path: PathBuf,
    pub kind: FileKind,
    /// True when the file was named on the command line.
    pub explicit: bool,
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// `--no-ignore`: do not read `.gitignore`, `.ignore` or `.unlinkignore`.
    pub no_ignore: bool,
    /// Gitignore-style globs (`vendor/`, `*.bak`, `legacy/**/run.sh`) of paths
    /// to skip, from the settings.
    pub exclude: Vec<String>,
    /// The directory `exclude` globs are relative to (the settings file's
    /// directory). Relative to `cwd` if relative; `cwd` itself if empty.
    pub exclude_root: PathBuf,
    /// `--force-exclude`: apply ignore files and `exclude` to files named on
    /// the command line too.
    pub force_exclude: bool,
    /// Threads for the walk; 0 picks a number from the machine.
    pub threads: usize,
    /// The process's working directory, used to match relative paths against
    /// `exclude`; empty means "ask the OS". Relative `paths` are opened by the
    /// OS relative to the process's directory, so this must be that directory
    /// (tests pass absolute paths and set it to a temp dir).
    pub cwd: PathBuf,
}

/// Why the walk failed.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A path on the command line does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    /// An `exclude` glob that does not parse.
    #[error("invalid exclude glob {glob:?}: {message}")]
    Exclude { glob: String, message: String },
    /// A file or directory that exists but could not be read, or another
    /// failure while walking. Reported, not skipped, so that `check` never
    /// passes on a tree it could not see.
    #[error("{}: {message}", path.display())]
    Io { path: PathBuf, message: String },
}

/// Find every file to read under `paths`. See the crate docs for the rules.
pub fn walk(paths: &[PathBuf], opts: &WalkOptions) -> Result<Vec<Candidate>, WalkError> {
    let cwd = if opts.cwd.as_os_str().is_empty() {
        std::env::current_dir().map_err(|e| WalkError::Io {
            path: PathBuf::from("."),
            message: e.to_string(),
        })?
    } else {
        opts.cwd.clone()
    };
    let excludes = Arc::new(Excludes::new(&cwd, opts)?);

    let mut out: Vec<Candidate> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(WalkError::NotFound { path: path.clone() })
            }
            Err(e) => return Err(io_error(path, e)),
        };
        if meta.is_dir() {
            if opts.force_exclude && excludes.is_excluded(path, true, true) {
                continue;
            }
            dirs.push(path.clone());
        } else {
            out.push(Candidate {
                path: clean(path),
                kind: classify(path),
                explicit: true,
            });
        }
    }

    if opts.force_exclude {
        let kept = not_ignored(&out, &cwd, opts, &excludes)?;
        out.retain(|c| kept.contains(&c.path));
    }

    if !dirs.is_empty() {
        out.extend(walk_dirs(&dirs, opts, &excludes)?);
    }

    // Sort, then keep one entry per path, preferring the explicit one.
    out.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    out.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(out)
}

fn walk_dirs(
    dirs: &[PathBuf],
    opts: &WalkOptions,
    excludes: &Arc<Excludes>,
) -> Result<Vec<Candidate>, WalkError> {
    let builder = builder(dirs, opts, excludes);
    let found: Mutex<Vec<Candidate>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<WalkError>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        let errors = &errors;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                // A bad line in an ignore file is skipped, as git does; a
                // directory or file that cannot be read fails the walk.
                Err(err) if err.io_error().is_none() => return WalkState::Continue,
                Err(err) => {
                    errors.lock().expect("poisoned").push(from_ignore(err));
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if entry.depth() == 0 || !ft.is_file() {
                // Roots are directories here; symlinks and others are skipped.
                return WalkState::Continue;
            }
            let kind = classify(entry.path());
            if kind != FileKind::Other {
                found.lock().expect("poisoned").push(Candidate {
                    path: clean(entry.path()),
                    kind,
                    explicit: false,
                });
            }
            WalkState::Continue
        })
    });
    let mut errors = errors.into_inner().expect("poisoned");
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.to_string());
        return Err(errors.swap_remove(0));
    }
    Ok(found.into_inner().expect("poisoned"))
}

/// A walker over `roots` with unlink's rules.
fn builder(roots: &[PathBuf], opts: &WalkOptions, excludes: &Arc<Excludes>) -> WalkBuilder {
    let mut b = WalkBuilder::new(&roots[0]);
    for root in &roots[1..] {
        b.add(root);
    }
    b.standard_filters(!opts.no_ignore)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .threads(opts.threads);
    if !opts.no_ignore {
        b.add_custom_ignore_filename(IGNORE_FILE_NAME);
    }
    let excludes = Arc::clone(excludes);
    b.filter_entry(move |entry| {
        if entry.file_name() == ".git" {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        !excludes.is_excluded(entry.path(), is_dir, false)
    });
    b
}

/// For `--force-exclude`: the explicit files that the ignore files and
/// `exclude` let through. A file passes when it, and each directory between
/// the working directory and it, is listed by a depth-1 walk of its parent
/// with the usual rules (such a walk reads the parent's and its ancestors'
/// ignore files exactly as a walk from above would). A file outside the
/// working directory is checked against its parent only. Each directory is
/// listed once.
fn not_ignored(
    explicit: &[Candidate],
    cwd: &Path,
    opts: &WalkOptions,
    excludes: &Arc<Excludes>,
) -> Result<BTreeSet<PathBuf>, WalkError> {
    let mut listings: BTreeMap<PathBuf, BTreeSet<OsString>> = BTreeMap::new();
    let mut kept = BTreeSet::new();
    'files: for c in explicit {
        let abs = absolute(cwd, &c.path);
        let Some(parent) = abs.parent() else { continue };
        // The chain of directories to check, top first, ending with the file.
        let top = if abs.starts_with(cwd) { cwd } else { parent };
        let mut chain: Vec<&Path> = abs.ancestors().take_while(|a| *a != top).collect();
        chain.reverse();
        let mut dir = top;
        for entry in chain {
            let names = match listings.get(dir) {
                Some(names) => names,
                None => {
                    let names = list(dir, opts, excludes)?;
                    listings.entry(dir.to_path_buf()).or_insert(names)
                }
            };
            match entry.file_name() {
                Some(name) if names.contains(name) => dir = entry,
                _ => continue 'files,
            }
        }
        kept.insert(c.path.clone());
    }
    Ok(kept)
}

/// The names in `dir` that a walk would visit.
fn list(
    dir: &Path,
    opts: &WalkOptions,
    excludes: &Arc<Excludes>,
) -> Result<BTreeSet<OsString>, WalkError> {
    let mut b = builder(&[dir.to_path_buf()], opts, excludes);
    b.max_depth(Some(1)).threads(1);
    let mut names = BTreeSet::new();
    for entry in b.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) if err.io_error().is_none() => continue,
            Err(err) => return Err(from_ignore(err)),
        };
        if entry.depth() == 1 {
            names.insert(entry.file_name().to_os_string());
        }
    }
    Ok(names)
}

/// The `exclude` globs, matched against paths made absolute from `cwd`.
struct Excludes {
    cwd: PathBuf,
    root: PathBuf,
    matcher: Option<Gitignore>,
}

impl Excludes {
    fn new(cwd: &Path, opts: &WalkOptions) -> Result<Excludes, WalkError> {
        let root = absolute(cwd, &opts.exclude_root);
        if opts.exclude.is_empty() {
            return Ok(Excludes {
                cwd: cwd.to_path_buf(),
                root,
                matcher: None,
            });
        }
        let mut b = GitignoreBuilder::new(&root);
        for glob in &opts.exclude {
            b.add_line(None, glob).map_err(|e| WalkError::Exclude {
                glob: glob.clone(),
                message: e.to_string(),
            })?;
        }
        let matcher = b.build().map_err(|e| WalkError::Exclude {
            glob: opts.exclude.join(", "),
            message: e.to_string(),
        })?;
        Ok(Excludes {
            cwd: cwd.to_path_buf(),
            root,
            matcher: Some(matcher),
        })
    }

    /// Whether `path` matches an `exclude` glob. Paths outside the root are
    /// never excluded. `parents` also checks every directory above `path`
    /// (a walk prunes those itself).
    fn is_excluded(&self, path: &Path, is_dir: bool, parents: bool) -> bool {
        let Some(matcher) = &self.matcher else {
            return false;
        };
        let abs = absolute(&self.cwd, path);
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        if parents {
            matcher.matched_path_or_any_parents(rel, is_dir).is_ignore()
        } else {
            matcher.matched(rel, is_dir).is_ignore()
        }
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let joined;
    let full = if path.is_absolute() {
        path
    } else {
        joined = cwd.join(path);
        &joined
    };
    for c in full.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` without `.` components (`./a/./b` → `a/b`; `.` stays `.`).
fn clean(path: &Path) -> PathBuf {
    let out: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

fn io_error(path: &Path, e: io::Error) -> WalkError {
    WalkError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn from_ignore(err: ignore::Error) -> WalkError {
    // `ignore` wraps the path around the cause; find it for the message.
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    WalkError::Io {
        path: path_of(&err).map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        message: err.to_string(),
    }
}

#[cfg(test)]
mod tests;
