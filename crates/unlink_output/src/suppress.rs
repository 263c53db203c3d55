//! Inline suppressions: `# unlink: ignore` comments.
//!
//! Every format unlink reads (Makefiles, shell, compose YAML, CI YAML) has
//! `#` comments, so one syntax serves all:
//!
//! ```text
//! docker run --link db app   # unlink: ignore[UL001]
//! # unlink: ignore[docker-run-link, UL009] -- reason
//! docker run --link db app
//! links: [db]                # unlink: ignore
//! ```
//!
//! * `# unlink: ignore` silences every code; `# unlink: ignore[A,B]` the
//!   codes listed, by id (any case) or name.
//! * It applies to the line it ends (an end-of-line comment: the `#` starts
//!   the line or follows a space or tab, so `a#b` is not a comment), or to
//!   the next line when it stands alone on its line.
//! * Spaces are allowed after `#`, around `:` and inside the brackets;
//!   anything may follow (a reason).
//! * The "line" is the 1-based line the caller passes, normally the line of
//!   the finding's start.

use unlink_diagnostics::Code;

/// Whether a `# unlink: ignore` comment on `line` (1-based) of `text`, or
/// alone on the line above it, silences `code`.
pub fn is_suppressed(text: &[u8], line: usize, code: &Code) -> bool {
    if line == 0 {
        return false;
    }
    let mut lines = text.split(|b| *b == b'\n');
    let above = if line >= 2 { lines.nth(line - 2) } else { None };
    let here = lines.next();
    if let Some(here) = here {
        if directive_in(here, false).is_some_and(|d| d.covers(code)) {
            return true;
        }
    }
    above.is_some_and(|above| directive_in(above, true).is_some_and(|d| d.covers(code)))
}

/// A parsed `unlink: ignore` directive.
#[derive(Debug, PartialEq, Eq)]
enum Directive<'a> {
    All,
    Codes(Vec<&'a str>),
}

impl Directive<'_> {
    fn covers(&self, code: &Code) -> bool {
        match self {
            Directive::All => true,
            Directive::Codes(keys) => keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case(code.id) || *k == code.name),
        }
    }
}

/// The directive in `line`'s comments; with `alone`, only when the comment
/// is all the line holds (besides indentation).
fn directive_in(line: &[u8], alone: bool) -> Option<Directive<'_>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).ok()?;
    if alone {
        let trimmed = line.trim_start();
        return if trimmed.starts_with('#') {
            parse_comment(trimmed)
        } else {
            None
        };
    }
    let bytes = line.as_bytes();
    line.match_indices('#')
        .filter(|(i, _)| *i == 0 || matches!(bytes[i - 1], b' ' | b'\t'))
        .find_map(|(i, _)| parse_comment(&line[i..]))
}

/// Parse `#  unlink : ignore[...]...` at the start of `comment`.
fn parse_comment(comment: &str) -> Option<Directive<'_>> {
    let rest = comment.strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("unlink")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix("ignore")?;
    if let Some(list) = rest.strip_prefix('[') {
        let (inside, _) = list.split_once(']')?;
        let keys: Vec<&str> = inside
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        return Some(Directive::Codes(keys));
    }
    // `ignore` must end the word: `ignored` or `ignore-me` is not a directive.
    match rest.chars().next() {
        None => Some(Directive::All),
        Some(c) if c.is_whitespace() => Some(Directive::All),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unlink_diagnostics::codes::{COMPOSE_LINKS, DOCKER_RUN_LINK, HIDDEN_LINK};

    #[test]
    fn end_of_line_comment_covers_its_line() {
        let text = b"all:\n\tdocker run --link db app  # unlink: ignore[UL001]\n";
        assert!(is_suppressed(text, 2, &DOCKER_RUN_LINK));
        assert!(!is_suppressed(text, 2, &COMPOSE_LINKS));
        assert!(!is_suppressed(text, 1, &DOCKER_RUN_LINK));
        assert!(!is_suppressed(text, 3, &DOCKER_RUN_LINK));
    }

    #[test]
    fn comment_alone_covers_the_next_line_only() {
        let text = b"# unlink: ignore[docker-run-link]\ndocker run --link db app\ndocker run --link db b\n";
        assert!(is_suppressed(text, 2, &DOCKER_RUN_LINK));
        assert!(!is_suppressed(text, 3, &DOCKER_RUN_LINK));
        // Not alone on its line: covers only its own line.
        let text = b"echo hi # unlink: ignore\ndocker run --link db app\n";
        assert!(is_suppressed(text, 1, &DOCKER_RUN_LINK));
        assert!(!is_suppressed(text, 2, &DOCKER_RUN_LINK));
    }

    #[test]
    fn bare_ignore_covers_every_code_and_lists_take_ids_or_names() {
        let text = b"  links: [db]   # unlink: ignore\n";
        assert!(is_suppressed(text, 1, &COMPOSE_LINKS));
        assert!(is_suppressed(text, 1, &HIDDEN_LINK));
        let text = b"x # unlink: ignore[ul002, hidden-link ] because\n";
        assert!(is_suppressed(text, 1, &COMPOSE_LINKS));
        assert!(is_suppressed(text, 1, &HIDDEN_LINK));
        assert!(!is_suppressed(text, 1, &DOCKER_RUN_LINK));
    }

    #[test]
    fn spacing_variants_and_crlf() {
        for line in [
            "x #unlink:ignore",
            "x #  unlink :  ignore",
            "x\t# unlink: ignore -- flaky in CI",
            "x # unlink: ignore\r",
            "x # unlink: ignore[UL001,UL002]",
        ] {
            assert!(
                is_suppressed(line.as_bytes(), 1, &DOCKER_RUN_LINK),
                "{line}"
            );
        }
        let text = b"    # unlink: ignore[UL001]\r\n    docker run --link db a\r\n";
        assert!(is_suppressed(text, 2, &DOCKER_RUN_LINK));
    }

    #[test]
    fn look_alikes_do_not_suppress() {
        for line in [
            "x a#unlink: ignore",
            "x # unlink: ignored",
            "x # unlink ignore",
            "x # see unlink: ignore",
            "x # unlink: ignore[UL002]",
            "x # unlink: ignore[UL001",
            "x # unlink: ignore[]",
            "x",
            "",
        ] {
            assert!(
                !is_suppressed(line.as_bytes(), 1, &DOCKER_RUN_LINK),
                "{line}"
            );
        }
        assert!(!is_suppressed(b"# unlink: ignore\n", 0, &DOCKER_RUN_LINK));
        assert!(!is_suppressed(b"x\n", 9, &DOCKER_RUN_LINK));
    }
}
