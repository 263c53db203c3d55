//! How findings are shown: the only crate that turns [`Diagnostic`]s into
//! bytes for a person or a machine.
//!
//! Rendering decides nothing. The caller has already sorted, filtered and
//! suppressed; each format here prints what it is given, in the order given,
//! and the same input always gives the same bytes (no timestamps, no absolute
//! paths under the working directory, no colour unless asked for), so every
//! format can be snapshot-tested.
//!
//! One module per format, as in zizmor:
//!
//! * [`text`] — for people: a miette report per finding with the source
//!   snippet, the code and name, and the help line, then a one-line summary.
//! * [`json`] — `{"findings": [...]}` for scripts.
//! * [`sarif`] — SARIF 2.1.0 for code-scanning dashboards.
//! * [`github`] — `::error file=…::message` workflow commands, which GitHub
//!   Actions turns into annotations on the pull request.
//!
//! Shared here: [`Context`] (where to find each file's bytes, the working
//! directory paths are shown relative to, colour), [`display_path`],
//! [`Position`] (1-based lines, columns counting characters) and
//! [`color_wanted`]. [`suppress`] answers whether a `# unlink: ignore`
//! comment silences a finding; the caller applies it before rendering.
//!
//! A finding whose file bytes are not available (the caller did not keep
//! them) is still printed: without a snippet in text, with `null` positions
//! in JSON, without a region in SARIF and without `line=` in GitHub.

pub mod github;
pub mod json;
pub mod sarif;
pub mod suppress;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use unlink_diagnostics::{Diagnostic, LineIndex};

pub use suppress::is_suppressed;

/// Where the renderers find a file's bytes (for snippets and line numbers).
pub trait Sources {
    /// The bytes of `path` as the diagnostics' spans index them, or `None`.
    fn source(&self, path: &Path) -> Option<&[u8]>;
}

impl<S: BuildHasher> Sources for HashMap<PathBuf, Vec<u8>, S> {
    fn source(&self, path: &Path) -> Option<&[u8]> {
        self.get(path).map(Vec::as_slice)
    }
}

impl Sources for BTreeMap<PathBuf, Vec<u8>> {
    fn source(&self, path: &Path) -> Option<&[u8]> {
        self.get(path).map(Vec::as_slice)
    }
}

/// A simple owned [`Sources`]: path → bytes.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

impl Sources for SourceMap {
    fn source(&self, path: &Path) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}

/// Everything a renderer needs besides the diagnostics.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub sources: &'a dyn Sources,
    /// Paths under this directory are printed relative to it.
    pub cwd: &'a Path,
    /// ANSI colour in `text` (see [`color_wanted`]). Other formats ignore it.
    pub color: bool,
    /// Tool version written into SARIF; the binary passes its own.
    pub tool_version: &'a str,
    /// Where the code pages live, for SARIF `helpUri`:
    /// `{docs_base}/docs/codes/UL001.md`. `None` gives the relative
    /// `docs/codes/UL001.md`.
    pub docs_base: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// No colour, this crate's version, relative doc links.
    pub fn new(sources: &'a dyn Sources, cwd: &'a Path) -> Self {
        Context {
            sources,
            cwd,
            color: false,
            tool_version: env!("CARGO_PKG_VERSION"),
            docs_base: None,
        }
    }

    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    pub fn with_tool_version(mut self, version: &'a str) -> Self {
        self.tool_version = version;
        self
    }

    pub fn with_docs_base(mut self, base: Option<&'a str>) -> Self {
        self.docs_base = base;
        self
    }

    fn source(&self, d: &Diagnostic) -> Option<&'a [u8]> {
        self.sources.source(&d.path)
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Sarif,
    Github,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Sarif, Format::Github];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown `--format` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format {:?}, expected one of text, json, sarif, github",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// Render `diagnostics` in `format` to `out`. For `text` this includes the
/// summary line (nothing at all when there are no diagnostics).
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(diagnostics, ctx, out),
        Format::Json => json::render(diagnostics, ctx, out),
        Format::Sarif => sarif::render(diagnostics, ctx, out),
        Format::Github => github::render(diagnostics, ctx, out),
    }
}

/// Whether to colour output on a stream: only on a terminal, and only when
/// `NO_COLOR` is unset or empty (<https://no-color.org>). The caller passes
/// `std::io::stdout().is_terminal()` (or stderr's).
pub fn color_wanted(stream_is_tty: bool) -> bool {
    color_wanted_with(stream_is_tty, std::env::var_os("NO_COLOR").as_deref())
}

fn color_wanted_with(stream_is_tty: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stream_is_tty && no_color.is_none_or(|v| v.is_empty())
}

/// `path` as shown to the user: relative to `cwd` when under it, else as
/// given (absolute stays absolute); `./` removed; `/` as separator.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let cleaned: PathBuf = shown
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let s = if cleaned.as_os_str().is_empty() {
        ".".to_string()
    } else {
        cleaned.to_string_lossy().into_owned()
    };
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s
    }
}

/// Where a finding is, 1-based. Columns count characters; the end is
/// exclusive (the position just after the span), as in SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    /// The position of `d` in `source`; spans past the end are clamped.
    pub fn of(d: &Diagnostic, source: &[u8]) -> Position {
        Position::with_index(&LineIndex::new(source), d, source)
    }

    fn with_index(index: &LineIndex, d: &Diagnostic, source: &[u8]) -> Position {
        let start = d.span.start.min(source.len());
        let end = d.span.end.clamp(start, source.len());
        let (line, column) = index.line_col(source, start);
        let (end_line, end_column) = index.line_col(source, end);
        Position {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Positions for each diagnostic, building each file's line index once.
fn positions(diagnostics: &[Diagnostic], ctx: &Context<'_>) -> Vec<Option<Position>> {
    let mut indexes: HashMap<&Path, LineIndex> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let source = ctx.source(d)?;
            let index = indexes
                .entry(d.path.as_path())
                .or_insert_with(|| LineIndex::new(source));
            Some(Position::with_index(index, d, source))
        })
        .collect()
}

/// `Found 3 findings (2 fixable with `unlink migrate`).`, or `None` when
/// there are none.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let n = diagnostics.len();
    if n == 0 {
        return None;
    }
    let fixable = diagnostics.iter().filter(|d| d.fixable).count();
    let noun = if n == 1 { "finding" } else { "findings" };
    Some(if fixable == 0 {
        format!("Found {n} {noun}.")
    } else {
        format!("Found {n} {noun} ({fixable} fixable with `unlink migrate`).")
    })
}

#[cfg(test)]
mod tests;
