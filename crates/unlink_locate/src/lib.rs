//! Located facts: the docker commands of one file, with where they sit.
//!
//! This is the "locate" stage. Each input format has one module that turns
//! text into [`FileFacts`]: [`make`] for Makefiles, [`script`] for shell
//! scripts. Both use the same shell lexer (`unlink_shell`) and the same
//! docker reader (`unlink_docker`); what differs is where commands live
//! (recipe lines of targets, or the whole script), how variables resolve
//! (make assignments and `$@`, or shell assignments and `${X:-default}`) and
//! how an inserted line must look (the recipe prefix, or the statement's
//! indentation).
//!
//! The facts carry everything the later stages need and nothing about
//! syntax: the graph and the planner see [`Located`] commands with byte
//! spans, a [`Scope`] (make target or script), and the text to put in front
//! of a line unlink inserts.

pub mod make;
pub mod script;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unlink_diagnostics::{codes, Diagnostic};
use unlink_docker::{Action, Docker};
use unlink_shell::Command;

/// What kind of file the facts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Makefile,
    Shell,
}

/// Where a command runs: one make target's recipe, or a script.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// A make target (the rule's first target), shared by its commands.
    Target(Arc<str>),
    /// Inside `define NAME … endef`.
    Define(Arc<str>),
    /// A shell script, as a whole.
    Script,
}

impl Scope {
    /// How to name the scope to a user.
    pub fn describe(&self) -> String {
        match self {
            Scope::Target(t) => format!("target `{t}`"),
            Scope::Define(d) => format!("define `{d}`"),
            Scope::Script => "the script".to_string(),
        }
    }
}

/// One docker command, located.
#[derive(Debug, Clone)]
pub struct Located {
    pub docker: Docker,
    pub scope: Scope,
    /// Start of the physical line where the command's statement begins.
    pub stmt_line_start: usize,
    /// End of the statement's last line, before its line ending.
    pub stmt_end: usize,
    /// What to write before an inserted line so that it runs like this one
    /// (`\t`, `\t@`, or the statement's indentation); borrowed when it is
    /// one of the usual ones.
    pub line_prefix: Cow<'static, str>,
    /// False inside `define` blocks: reported, never edited.
    pub editable: bool,
    /// The statement chains commands with `||` (a guard or a tolerance).
    pub statement_has_or: bool,
}

/// Everything found in one file.
#[derive(Debug, Clone)]
pub struct FileFacts {
    pub path: PathBuf,
    pub kind: FileKind,
    /// `\n` or `\r\n`, as the file uses.
    pub line_ending: &'static str,
    pub commands: Vec<Located>,
    pub diagnostics: Vec<Diagnostic>,
    /// A problem that makes the file unsafe to edit (exit 2).
    pub errors: Vec<Diagnostic>,
}

impl FileFacts {
    fn new(path: &Path, kind: FileKind, src: &[u8]) -> Self {
        FileFacts {
            path: path.to_path_buf(),
            kind,
            line_ending: line_ending(src),
            commands: Vec::new(),
            diagnostics: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// The line ending the file uses most: CRLF when its first line ending is CRLF.
pub fn line_ending(src: &[u8]) -> &'static str {
    match src.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && src[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The first syntax error that reading `src` as `kind` reports (the one
/// `read` puts first in [`FileFacts::errors`]), without locating its
/// commands. The binary re-checks every file it migrated with this: lexing
/// the whole output again costs a fraction of reading it, and holds none of
/// its commands in memory.
pub fn first_syntax_error(kind: FileKind, path: &Path, src: &[u8]) -> Option<Diagnostic> {
    match kind {
        FileKind::Makefile => make::first_syntax_error(path, src),
        FileKind::Shell => script::first_syntax_error(path, src),
    }
}

/// Leading blanks of the line starting at `at`.
pub(crate) fn indentation(src: &[u8], at: usize) -> String {
    let n = src[at..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    String::from_utf8_lossy(&src[at..at + n]).into_owned()
}

/// Report what a command hides: `--link` inside a variable, another tool's
/// option string, or behind an option docker does not know.
pub(crate) fn hidden_link_checks(
    facts: &mut FileFacts,
    src: &[u8],
    cmd: &Command,
    docker: Option<&Docker>,
) {
    match docker.map(|d| &d.action) {
        Some(Action::Run(run)) => {
            for link in &run.links {
                let opt = run.link_option(link);
                if opt.span.is_none() {
                    let span = opt.from_expansion.clone().unwrap_or(0..0);
                    facts.diagnostics.push(
                        Diagnostic::new(
                            &codes::HIDDEN_LINK,
                            &facts.path,
                            span,
                            format!(
                                "`--link {}` comes from a variable; unlink does not edit inside variables",
                                opt.value.clone().unwrap_or_default()
                            ),
                        )
                        .with_help("write the `--link` in the command itself, or move the container to a network by hand"),
                    );
                }
            }
            if run.unknown_option.is_none() && !run.unread_links.is_empty() {
                // The options stop at a word whose value is unknown.
                let after = run.image.as_ref().map(|i| i.source_span()).unwrap_or(0..0);
                let word = String::from_utf8_lossy(&src[after.clone()]).into_owned();
                for link in &run.unread_links {
                    facts.diagnostics.push(
                        Diagnostic::new(
                            &codes::HIDDEN_LINK,
                            &facts.path,
                            link.span.clone(),
                            format!(
                                "`--link {}` follows `{word}`, whose value unlink does not know: docker may read it as an option or pass it to the container",
                                link.value.clone().unwrap_or_default()
                            ),
                        )
                        .with_help("give the variable a value unlink can read, or write the options out; until then the containers this link joins are left as they are"),
                    );
                }
            }
            if let Some((flag, span)) = &run.unknown_option {
                let rest = &src[span.start..cmd.span().end];
                if contains(rest, b"--link") {
                    facts.diagnostics.push(
                        Diagnostic::new(
                            &codes::UNKNOWN_OPTION,
                            &facts.path,
                            span.clone(),
                            format!("`{flag}` is not a docker run option, so unlink cannot tell where the image starts"),
                        )
                        .with_help("fix the option; the `--link` after it, and the containers it joins, are left as they are"),
                    );
                }
            }
        }
        Some(_) => {}
        None => {
            for w in &cmd.words {
                let raw = &src[w.span.clone()];
                if contains(raw, b"--link") && contains(raw, b"docker") {
                    facts.diagnostics.push(
                        Diagnostic::new(
                            &codes::HIDDEN_LINK,
                            &facts.path,
                            w.span.clone(),
                            "a docker command with `--link` inside another command's argument",
                        )
                        .with_help("unlink does not edit commands inside strings; migrate this one by hand"),
                    );
                }
            }
        }
    }
}

/// Docker commands with `--link` in here-document bodies (`ssh host <<EOF`,
/// `sh <<EOF`): another shell runs them, perhaps on another engine, so they
/// are reported (UL009), never edited.
pub(crate) fn heredoc_link_checks(
    facts: &mut FileFacts,
    src: &[u8],
    bodies: &[std::ops::Range<usize>],
) {
    for body in bodies {
        let mut at = body.start;
        for line in src[body.clone()].split_inclusive(|&b| b == b'\n') {
            let start = at;
            at += line.len();
            let Some(k) = find(line, b"--link") else {
                continue;
            };
            if find(line, b"docker").is_none_or(|d| d > k)
                || line.trim_ascii_start().starts_with(b"#")
            {
                continue;
            }
            // The `--link` word and its value, up to the next blank.
            let word_end = |from: usize| {
                line[from..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace())
                    .map_or(line.len(), |n| from + n)
            };
            let mut end = word_end(k);
            if end == k + "--link".len() {
                let value = line[end..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t'))
                    .map_or(end, |n| end + n);
                end = word_end(value);
            }
            facts.diagnostics.push(
                Diagnostic::new(
                    &codes::HIDDEN_LINK,
                    &facts.path,
                    start + k..start + end,
                    "a docker command with `--link` inside a here-document",
                )
                .with_help("unlink does not edit here-documents (another shell runs them, perhaps on another host); migrate this one by hand"),
            );
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The diagnostic for the first error of a lexed file or recipe, when it
/// has one: what both `read` and `first_syntax_error` report.
pub(crate) fn lex_error(path: &Path, lexed: &unlink_shell::Lexed) -> Option<Diagnostic> {
    lexed
        .errors
        .first()
        .map(|err| syntax_error(path, err.offset, &err.message))
}

pub(crate) fn syntax_error(path: &Path, offset: usize, message: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::SYNTAX_ERROR,
        path,
        offset..offset,
        message.to_string(),
    )
    .with_help(
        "unlink edits nothing in a file it cannot read completely; fix the syntax and run again",
    )
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod size_tests {
    /// A located command is held for every docker command of every input
    /// at once (80,000 for a 40,000-container Makefile with its cleanup), so
    /// its size is memory: the big, rare actions are boxed to keep it so.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_located_command_stays_small() {
        let size = std::mem::size_of::<super::Located>();
        assert!(
            size <= 168,
            "a located command grew to {size} bytes (168 before)"
        );
    }
}
