//! What unlink says about a file, and where.
//!
//! Every stage (the readers, the planner, the writer) reports through the same
//! [`Diagnostic`]: a stable [`Code`], a severity, a file, a byte range in that
//! file and a message with an optional help line. Output formats (text, json,
//! sarif, github) only render diagnostics; they never decide anything.
//!
//! Codes are stable: once published, a code keeps its number and meaning, and
//! each has a page in `docs/codes/` (what it finds, why it matters, an example,
//! the fix). The list lives in [`codes::ALL`]; a test keeps it and the docs in
//! step.
//!
//! Positions are byte ranges; [`LineIndex`] turns them into 1-based lines and
//! columns (columns count characters, not bytes) for the formats that want
//! them.

use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input could not be read or would break; the run exits 2.
    Error,
    /// A legacy link or a problem that `check` fails on.
    Warning,
    /// Something unlink did or decided that a reviewer should know.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A stable diagnostic code.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// `UL001`, never reused.
    pub id: &'static str,
    /// Kebab-case name, for humans and suppressions.
    pub name: &'static str,
    /// One line: what the code finds.
    pub summary: &'static str,
    /// The default severity.
    pub severity: Severity,
}

/// The code table. Numbers are never reused or renumbered.
pub mod codes {
    use super::{Code, Severity};

    macro_rules! code {
        ($ident:ident, $id:literal, $name:literal, $sev:ident, $summary:literal) => {
            pub static $ident: Code = Code {
                id: $id,
                name: $name,
                summary: $summary,
                severity: Severity::$sev,
            };
        };
    }

    code!(
        DOCKER_RUN_LINK,
        "UL001",
        "docker-run-link",
        Warning,
        "`--link` in `docker run` or `docker create` puts the container on the default bridge"
    );
    code!(
        COMPOSE_LINKS,
        "UL002",
        "compose-links",
        Warning,
        "compose `links:` entry"
    );
    code!(
        COMPOSE_EXTERNAL_LINKS,
        "UL003",
        "compose-external-links",
        Warning,
        "compose `external_links:` entry"
    );
    code!(
        LINK_ENV_VAR,
        "UL004",
        "link-env-var",
        Warning,
        "a legacy link environment variable is read"
    );
    code!(
        CONFIG_NAMES_ALIAS,
        "UL005",
        "config-names-alias",
        Warning,
        "a config file names a link alias as a hostname"
    );
    code!(
        NETWORK_CREATE_NOT_RERUNNABLE,
        "UL006",
        "network-create-not-rerunnable",
        Warning,
        "`docker network create` fails when the network already exists"
    );
    code!(
        NETWORK_NEVER_REMOVED,
        "UL007",
        "network-never-removed",
        Warning,
        "a network is created but never removed"
    );
    code!(
        DYNAMIC_NAME,
        "UL008",
        "dynamic-container-name",
        Warning,
        "a container or link name is only known at run time"
    );
    code!(
        HIDDEN_LINK,
        "UL009",
        "hidden-link",
        Warning,
        "`--link` hidden in a variable or another tool's option string, or after a variable unlink cannot expand"
    );
    code!(
        ALIAS_NOT_CARRIABLE,
        "UL010",
        "alias-not-carriable",
        Warning,
        "a link alias that no network alias can carry"
    );
    code!(
        ALIAS_KEPT_AS_LINK,
        "UL011",
        "alias-kept-as-link",
        Info,
        "an alias would collide on the network, so the link is kept on the user-defined network"
    );
    code!(
        UNKNOWN_LINK_TARGET,
        "UL012",
        "unknown-link-target",
        Warning,
        "a link target that no file given to unlink starts"
    );
    code!(
        INCOMPATIBLE_NETWORK_MODE,
        "UL013",
        "incompatible-network-mode",
        Warning,
        "a link on a container whose network mode cannot join a user-defined network"
    );
    code!(
        LINK_IN_DEFINE,
        "UL014",
        "link-in-define",
        Warning,
        "`--link` inside a make `define` block"
    );
    code!(
        UNFOLLOWABLE_CONFIG,
        "UL015",
        "unfollowable-config",
        Info,
        "an alias is kept because the consumer's configs cannot all be followed"
    );
    code!(
        START_ORDER,
        "UL016",
        "start-order",
        Warning,
        "a consumer that resolves its upstream once starts before its target"
    );
    code!(
        COMPOSE_NETWORK_MODE,
        "UL017",
        "compose-network-mode",
        Warning,
        "compose `network_mode` that cannot be combined with a project network"
    );
    code!(
        SYNTAX_ERROR,
        "UL018",
        "syntax-error",
        Error,
        "the file cannot be read safely"
    );
    code!(
        UNKNOWN_OPTION,
        "UL019",
        "unknown-docker-option",
        Warning,
        "an option docker does not know, so the image cannot be found"
    );
    code!(
        LINK_ENV_VALUE_UNKNOWN,
        "UL020",
        "link-env-value-unknown",
        Warning,
        "a legacy link variable is read but its value cannot be known statically"
    );
    code!(
        EXTERNAL_NETWORK_CONNECT,
        "UL021",
        "external-network-connect",
        Info,
        "an external container must be connected to the network by hand"
    );
    code!(
        ALIAS_MOVED,
        "UL022",
        "alias-moved",
        Info,
        "a link alias is now a network alias on the target"
    );
    code!(
        DOCKER_IN_CI,
        "UL023",
        "docker-link-in-ci",
        Warning,
        "`--link` in a CI file's script (reported, not edited)"
    );

    /// Every code, in number order.
    pub static ALL: &[&Code] = &[
        &DOCKER_RUN_LINK,
        &COMPOSE_LINKS,
        &COMPOSE_EXTERNAL_LINKS,
        &LINK_ENV_VAR,
        &CONFIG_NAMES_ALIAS,
        &NETWORK_CREATE_NOT_RERUNNABLE,
        &NETWORK_NEVER_REMOVED,
        &DYNAMIC_NAME,
        &HIDDEN_LINK,
        &ALIAS_NOT_CARRIABLE,
        &ALIAS_KEPT_AS_LINK,
        &UNKNOWN_LINK_TARGET,
        &INCOMPATIBLE_NETWORK_MODE,
        &LINK_IN_DEFINE,
        &UNFOLLOWABLE_CONFIG,
        &START_ORDER,
        &COMPOSE_NETWORK_MODE,
        &SYNTAX_ERROR,
        &UNKNOWN_OPTION,
        &LINK_ENV_VALUE_UNKNOWN,
        &EXTERNAL_NETWORK_CONNECT,
        &ALIAS_MOVED,
        &DOCKER_IN_CI,
    ];

    /// Look a code up by id (`UL001`) or name (`docker-run-link`).
    pub fn find(key: &str) -> Option<&'static Code> {
        ALL.iter()
            .copied()
            .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static Code,
    pub severity: Severity,
    pub path: PathBuf,
    /// Byte range in the file (may be empty to point at a position).
    pub span: Range<usize>,
    pub message: String,
    /// Most helps are fixed text: borrowed, not copied once per finding (a
    /// generated Makefile has tens of thousands of findings).
    pub help: Option<Cow<'static, str>>,
    /// True when `unlink migrate` changes the file to resolve this finding.
    pub fixable: bool,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(
        code: &'static Code,
        path: impl Into<PathBuf>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity,
            path: path.into(),
            span,
            message: message.into(),
            help: None,
            fixable: false,
        }
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn fixable(mut self, fixable: bool) -> Self {
        self.fixable = fixable;
        self
    }

    /// Sort key that makes output deterministic: file, position, code, message.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &'static str, &str) {
        (
            &self.path,
            self.span.start,
            self.span.end,
            self.code.id,
            &self.message,
        )
    }

    /// The order of [`Diagnostic::sort_key`], faster: most findings that
    /// are compared sit in the same file, and equal paths are told by their
    /// bytes before `Path`'s component-wise comparison is needed.
    pub fn output_order(&self, other: &Diagnostic) -> std::cmp::Ordering {
        let path = if self.path.as_os_str() == other.path.as_os_str() {
            std::cmp::Ordering::Equal
        } else {
            self.path.cmp(&other.path)
        };
        path.then_with(|| {
            (self.span.start, self.span.end, self.code.id, &self.message).cmp(&(
                other.span.start,
                other.span.end,
                other.code.id,
                &other.message,
            ))
        })
    }
}

/// Turns byte offsets into 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_iter(b'\n', text).map(|i| i + 1));
        LineIndex { line_starts }
    }

    /// 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.saturating_sub(1).min(self.line_starts.len() - 1)]
    }

    /// 1-based (line, column); the column counts characters from the line start.
    pub fn line_col(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line(offset);
        let start = self.line_start(line);
        let col = String::from_utf8_lossy(&text[start..offset])
            .chars()
            .count()
            + 1;
        (line, col)
    }
}

fn memchr_iter(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    haystack
        .iter()
        .enumerate()
        .filter(move |(_, b)| **b == needle)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let text = b"ab\ncd\n\nef";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 4), (2, 2));
        assert_eq!(idx.line_col(text, 6), (3, 1));
        assert_eq!(idx.line_col(text, 8), (4, 2));
    }

    #[test]
    fn columns_count_characters() {
        let text = "é x".as_bytes();
        assert_eq!(LineIndex::new(text).line_col(text, 3), (1, 3));
    }

    #[test]
    fn codes_are_unique_and_ordered() {
        let ids: Vec<_> = codes::ALL.iter().map(|c| c.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert_eq!(codes::find("docker-run-link").unwrap().id, "UL001");
        assert_eq!(codes::find("ul002").unwrap().name, "compose-links");
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;

    /// `output_order` is `sort_key`'s order, paths that differ only in
    /// spelling (`a//b`, `a/./b`) included.
    #[test]
    fn output_order_is_the_sort_key_order() {
        let paths = [
            "a/b", "a//b", "a/./b", "./a/b", "a.b", "a/b/c", "a", "b", "/a/b", "a/b/",
        ];
        let mut all = Vec::new();
        for p in paths {
            for (start, end) in [(0, 0), (0, 3), (2, 3)] {
                for code in [&codes::DOCKER_RUN_LINK, &codes::HIDDEN_LINK] {
                    for message in ["m", "n"] {
                        all.push(Diagnostic::new(code, p, start..end, message));
                    }
                }
            }
        }
        for a in &all {
            for b in &all {
                assert_eq!(
                    a.output_order(b),
                    a.sort_key().cmp(&b.sort_key()),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
