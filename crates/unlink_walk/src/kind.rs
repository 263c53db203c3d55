//! What kind of file a path is, from its name and, for a file without an
//! extension, its `#!` line.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The kinds of file unlink has a reader for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `Makefile`, `makefile`, `GNUmakefile`, `*.mk`.
    Makefile,
    /// `*.sh`, `*.bash`, or a `#!` line naming sh, bash, dash, ksh or zsh.
    Shell,
    /// `docker-compose*.yml|yaml`, `compose*.yml|yaml`.
    Compose,
    /// `.gitlab-ci.yml`, `.travis.yml`, `.github/workflows/*.yml|yaml`.
    CiFile,
    /// Anything else (only ever yielded for a file named on the command line).
    Other,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Makefile => "makefile",
            FileKind::Shell => "shell",
            FileKind::Compose => "compose",
            FileKind::CiFile => "ci",
            FileKind::Other => "other",
        }
    }
}

/// The kind a file's name (and its parent directories, for CI workflows)
/// says. Reads nothing.
pub fn kind_from_name(path: &Path) -> FileKind {
    let Some(name) = path.file_name().and_then(OsStr::to_str) else {
        return FileKind::Other;
    };
    if name == ".gitlab-ci.yml" || name == ".travis.yml" || is_workflow(path, name) {
        return FileKind::CiFile;
    }
    if matches!(name, "Makefile" | "makefile" | "GNUmakefile") || name.ends_with(".mk") {
        return FileKind::Makefile;
    }
    if name.ends_with(".sh") || name.ends_with(".bash") {
        return FileKind::Shell;
    }
    if is_yaml(name) && (name.starts_with("docker-compose") || name.starts_with("compose")) {
        return FileKind::Compose;
    }
    FileKind::Other
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yml") || name.ends_with(".yaml")
}

fn is_workflow(path: &Path, name: &str) -> bool {
    if !is_yaml(name) {
        return false;
    }
    let mut parents = path.parent().into_iter().flat_map(Path::file_name);
    parents.next() == Some(OsStr::new("workflows"))
        && path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            == Some(OsStr::new(".github"))
}

/// `Some(FileKind::Shell)` when `first_line` is a `#!` line whose
/// interpreter (directly or through `env`) is sh, bash, dash, ksh or zsh.
pub fn kind_from_shebang(first_line: &[u8]) -> Option<FileKind> {
    let rest = first_line.strip_prefix(b"#!")?;
    let line = match memchr::memchr(b'\n', rest) {
        Some(end) => &rest[..end],
        None => rest,
    };
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_ascii_whitespace();
    let mut program = basename(words.next()?);
    if program == "env" {
        // `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`
        program = basename(words.find(|w| !w.starts_with('-'))?);
    }
    matches!(program, "sh" | "bash" | "dash" | "ksh" | "zsh").then_some(FileKind::Shell)
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// How many bytes of an extensionless file are read to find its `#!` line.
const SHEBANG_PREFIX: usize = 256;

/// [`kind_from_name`], and for a file with no extension that the name does
/// not place, its `#!` line (the first 256 bytes are read, nothing more).
pub fn classify(path: &Path) -> FileKind {
    let kind = kind_from_name(path);
    if kind != FileKind::Other || path.extension().is_some() {
        return kind;
    }
    let mut buf = [0u8; SHEBANG_PREFIX];
    let Ok(mut file) = File::open(path) else {
        return FileKind::Other;
    };
    let mut len = 0;
    while len < buf.len() {
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return FileKind::Other,
        }
    }
    kind_from_shebang(&buf[..len]).unwrap_or(FileKind::Other)
}
