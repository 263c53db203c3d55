//! The report miette draws, drawn directly, for the shape nearly every
//! finding has.
//!
//! miette's graphical handler is general: any number of labels, spans over
//! many lines, gutters, nested causes. Each report goes through three reads
//! of the source, a `Vec` of owned lines, a boxed span reader and dozens of
//! small strings; at tens of thousands of findings (a generated Makefile)
//! that was most of `unlink migrate --diff`'s time. unlink's findings have
//! one label on one line, so this module draws exactly that case itself,
//! with miette's theme (its characters and styles) and the same textwrap
//! options, and returns `false` for anything else so that the caller lets
//! miette draw it.
//!
//! "Exactly" is the contract: for every report this module accepts, its
//! bytes equal miette's, with and without colour. The differential tests
//! below check it over generated files and spans; miette stays the
//! reference, and a change of miette version that moved a byte fails them.
//!
//! The accepted shape, checked before anything is written:
//!
//! * a non-empty span inside one line's text (not reaching its line end);
//! * the lines shown (the span's line and one line of context either side)
//!   hold only printable ASCII and tabs, with `\n` line ends: no `\r`, so
//!   line numbers, columns and widths are byte counts;
//! * a message that is not blank.

use std::fmt::Write;

use miette::GraphicalTheme;
use owo_colors::OwoColorize;
use unlink_diagnostics::{Diagnostic, Severity};

/// Columns between tab stops, as miette counts them.
const TAB: usize = 4;

/// Draw `d`'s report into `out` as miette would, without the blank line
/// the caller adds after it, and return `true`; or return `false` and leave
/// `out` as it was when the report is not of the accepted shape. `name` is
/// the file's name as shown, `starts` its line starts (`line_starts`), and
/// `fits` whether the message and help are short enough to need no
/// wrapping (`unwrapped_fits`).
pub(super) fn render(
    out: &mut String,
    theme: &GraphicalTheme,
    d: &Diagnostic,
    name: &str,
    bytes: &[u8],
    starts: &[usize],
    fits: bool,
) -> bool {
    let Some(snippet) = Snippet::find(d, bytes, starts) else {
        return false;
    };
    if d.message.trim().is_empty() {
        return false;
    }
    let styles = &theme.styles;
    let chars = &theme.characters;
    let (severity_style, icon) = match d.severity {
        Severity::Error => (styles.error, &chars.error),
        Severity::Warning => (styles.warning, &chars.warning),
        Severity::Info => (styles.advice, &chars.advice),
    };
    let width = super::WIDTH - 2;
    // Writing into a String cannot fail.
    let _ = (|| -> std::fmt::Result {
        // Header: the code, then a blank line.
        let code = format!("{} ({})", d.code.id, d.code.name);
        writeln!(out, "{}", code.style(severity_style))?;
        out.push('\n');

        // The message.
        let initial = format!("  {} ", icon.style(severity_style));
        let rest = format!("  {} ", chars.vbar.style(severity_style));
        wrap_into(out, &d.message, (&initial, &rest, 4), width, fits);

        // The snippet.
        let linum_width = digits(snippet.lines.last().map_or(0, |l| l.number));
        let pad = " ".repeat(linum_width + 2);
        write!(out, "{pad}{}{}", chars.ltop, chars.hbar)?;
        let at = format!("{name}:{}:{}", snippet.line + 1, snippet.column + 1);
        writeln!(out, "[{}]", at.style(styles.link))?;
        let highlight = styles.highlights.first().copied().unwrap_or_default();
        for line in &snippet.lines {
            write!(
                out,
                " {:linum_width$} {} ",
                line.number.style(styles.linum),
                chars.vbar
            )?;
            push_expanded(out, line.text);
            out.push('\n');
            if !line.marked {
                continue;
            }
            write!(out, " {:linum_width$} {} ", "", chars.vbar_break)?;
            let start = visual_width(&line.text[..snippet.start]);
            let end = visual_width(&line.text[..snippet.end]).max(start + 1);
            let middle = (start + end) / 2;
            let label = d.fixable.then_some(super::FIXABLE_LABEL);
            let mut underline = " ".repeat(start);
            for _ in start..middle {
                underline.push(chars.underline);
            }
            underline.push(if label.is_some() {
                chars.underbar
            } else {
                chars.underline
            });
            for _ in middle + 1..end {
                underline.push(chars.underline);
            }
            writeln!(out, "{}", underline.style(highlight))?;
            if let Some(label) = label {
                write!(out, " {:linum_width$} {} ", "", chars.vbar_break)?;
                out.push_str(&" ".repeat(middle));
                let text = format!(
                    "{}{}{} {}",
                    chars.lbot,
                    chars.hbar,
                    chars.hbar,
                    label.style(highlight)
                );
                writeln!(out, "{}", text.style(highlight))?;
            }
        }
        write!(out, "{pad}{}", chars.lbot)?;
        for _ in 0..4 {
            out.push(chars.hbar);
        }
        out.push('\n');

        // The help.
        if let Some(help) = &d.help {
            let initial = "  help: ".style(styles.help).to_string();
            wrap_into(out, help, (&initial, "        ", 8), width, fits);
        }
        Ok(())
    })();
    true
}

/// The lines of a report's snippet and where its span is on the marked one.
struct Snippet<'a> {
    lines: Vec<Line<'a>>,
    /// The span's line, 0-based, and its column (a byte count: ASCII).
    line: usize,
    column: usize,
    /// The span, as offsets into the marked line's text.
    start: usize,
    end: usize,
}

struct Line<'a> {
    /// 1-based, as shown.
    number: usize,
    text: &'a str,
    /// Whether the span is on this line.
    marked: bool,
}

impl<'a> Snippet<'a> {
    fn find(d: &Diagnostic, bytes: &'a [u8], starts: &[usize]) -> Option<Snippet<'a>> {
        let (start, end) = (d.span.start, d.span.end);
        if start >= end || end > bytes.len() {
            return None;
        }
        let line = starts.partition_point(|&s| s <= start).checked_sub(1)?;
        // The text of line `k`, without its line end, when it exists and
        // holds only what this module draws.
        let text_of = |k: usize| -> Option<(&'a str, usize)> {
            let from = *starts.get(k)?;
            let rest = &bytes[from..];
            let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let text = &rest[..len];
            if !text
                .iter()
                .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b))
            {
                return None;
            }
            Some((std::str::from_utf8(text).ok()?, from))
        };
        let (text, from) = text_of(line)?;
        if end > from + text.len() {
            return None;
        }
        let mut lines = Vec::with_capacity(3);
        if line > 0 {
            lines.push(Line {
                number: line,
                text: text_of(line - 1)?.0,
                marked: false,
            });
        }
        lines.push(Line {
            number: line + 1,
            text,
            marked: true,
        });
        // The line after, when anything follows the marked line's end.
        if starts.get(line + 1).is_some_and(|&s| s < bytes.len()) {
            lines.push(Line {
                number: line + 2,
                text: text_of(line + 1)?.0,
                marked: false,
            });
        }
        Some(Snippet {
            lines,
            line,
            column: start - from,
            start: start - from,
            end: end - from,
        })
    }
}

/// Decimal digits of `n` (1 for 0).
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Columns `text` takes on a terminal: one per byte (ASCII), tabs to the
/// next multiple of [`TAB`].
fn visual_width(text: &str) -> usize {
    text.bytes().fold(0, |column, b| match b {
        b'\t' => column + TAB - column % TAB,
        _ => column + 1,
    })
}

/// `text` with each tab replaced by the spaces up to the next tab stop.
fn push_expanded(out: &mut String, text: &str) {
    let mut column = 0;
    for c in text.chars() {
        if c == '\t' {
            let n = TAB - column % TAB;
            out.extend(std::iter::repeat_n(' ', n));
            column += n;
        } else {
            out.push(c);
            column += 1;
        }
    }
}

/// `text` after the first line's indent and then the following lines'
/// indent (the two take `columns` on screen), wrapped at `width` as miette
/// wraps it, then a line end. When `fits` (see `unwrapped_fits`) the text is
/// one line that needs no wrapping.
fn wrap_into(
    out: &mut String,
    text: &str,
    (initial, rest, columns): (&str, &str, usize),
    width: usize,
    fits: bool,
) {
    if fits {
        out.push_str(initial);
        out.push_str(text);
    } else if !wrap_words(out, text, initial, rest, width.saturating_sub(columns)) {
        let options = textwrap::Options::new(width)
            .initial_indent(initial)
            .subsequent_indent(rest)
            .break_words(true)
            .word_separator(super::WORD_SEPARATOR)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        out.push_str(&textwrap::fill(text, options));
    }
    out.push('\n');
}

/// textwrap's first-fit wrapping at spaces, for the text it handles
/// simply: printable ASCII words, each at most `room` columns, one space
/// apart. Lines get as many words as fit in `room` columns after their
/// indent. Returns `false`, writing nothing, for any other text.
fn wrap_words(out: &mut String, text: &str, initial: &str, rest: &str, room: usize) -> bool {
    let simple = !text.is_empty()
        && text.bytes().all(|b| (b' '..=b'~').contains(&b))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.split(' ').all(|w| w.len() <= room);
    if !simple {
        return false;
    }
    out.push_str(initial);
    let mut used = 0;
    for word in text.split(' ') {
        if used == 0 {
            used = word.len();
        } else if used + 1 + word.len() <= room {
            out.push(' ');
            used += 1 + word.len();
        } else {
            out.push('\n');
            out.push_str(rest);
            used = word.len();
        }
        out.push_str(word);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{handler, line_starts, render_one_in, unwrapped_fits};
    use std::path::Path;
    use unlink_diagnostics::codes;

    /// A small deterministic generator (xorshift), so failures replay.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A file of a few lines mixing what the accepted shape allows with
    /// what it refuses (CR, CRLF, non-ASCII, control bytes, blank lines,
    /// no final newline), so both branches are exercised.
    fn file(rng: &mut Rng) -> Vec<u8> {
        const GOOD: [&str; 12] = [
            "\tdocker run -d --name c1 --link c0:dep img",
            "    web:",
            "",
            "\t",
            "a\tb\t\tc",
            "  - db:database",
            "x",
            "tab\tthen text that is long enough to be wide",
            "$(DOCKER) run --link=db:db $(IMG)",
            "1234567",
            "\t\t\t\t\t--link a:b \\",
            "     ",
        ];
        const BAD: [&str; 4] = [
            "docker run --link db:db app # café",
            "ends with CR\r",
            "\u{7}bell",
            "\u{7f}",
        ];
        let lines = 1 + rng.below(14);
        let mut text = String::new();
        for k in 0..lines {
            if k > 0 {
                text.push(if rng.below(40) == 0 { '\r' } else { '\n' });
                if rng.below(25) == 0 {
                    text.push('\n');
                }
            }
            text.push_str(if rng.below(12) == 0 {
                BAD[rng.below(BAD.len())]
            } else {
                GOOD[rng.below(GOOD.len())]
            });
        }
        if rng.below(3) > 0 {
            text.push('\n');
        }
        text.into_bytes()
    }

    /// A text of random words: lengths around every wrapping limit,
    /// sometimes a word longer than a line, a double or edge space, a tab,
    /// a newline or a non-ASCII letter (which textwrap handles instead).
    fn words(rng: &mut Rng) -> String {
        let mut text = String::new();
        let target = rng.below(260);
        while text.len() < target {
            if !text.is_empty() {
                text.push(' ');
            }
            let n = match rng.below(30) {
                0 => 90 + rng.below(12),
                _ => 1 + rng.below(14),
            };
            for k in 0..n {
                text.push((b'a' + ((k * 7 + n) % 26) as u8) as char);
            }
            match rng.below(60) {
                0 => text.push(' '),
                1 => text.push('\t'),
                2 => text.push('\n'),
                3 => text.push('é'),
                _ => {}
            }
        }
        if rng.below(40) == 0 {
            text.insert(0, ' ');
        }
        text
    }

    fn diagnostic(rng: &mut Rng, len: usize) -> Diagnostic {
        const MESSAGES: [&str; 6] = [
            "`--link c0:dep` puts `c1` on the default bridge",
            "`dep` stays resolvable as a network alias: its image `img` is built elsewhere, and unlink cannot read the files inside it",
            "short",
            "the alias `db-primary` becomes a network alias of `pg-main` on `app-net`, so names resolve",
            "two\nlines",
            "  ",
        ];
        let start = rng.below(len + 1);
        // Mostly short spans, which often stay on one line; sometimes long
        // ones, which cross lines or run past the end.
        let reach = if rng.below(5) == 0 {
            len + 2 - start
        } else {
            16
        };
        let end = start + rng.below(reach);
        let code = [
            &codes::DOCKER_RUN_LINK,
            &codes::HIDDEN_LINK,
            &codes::ALIAS_MOVED,
        ][rng.below(3)];
        let message = match rng.below(MESSAGES.len() + 2) {
            k if k < MESSAGES.len() => MESSAGES[k].to_string(),
            _ => words(rng),
        };
        let mut d = Diagnostic::new(code, "Makefile", start..end, message)
            .fixable(rng.below(2) == 0)
            .with_severity([Severity::Error, Severity::Warning, Severity::Info][rng.below(3)]);
        match rng.below(4) {
            0 => d = d.with_help("point the consumer's configs at `c0` by hand to drop the alias"),
            3 => d = d.with_help(words(rng)),
            1 => d = d.with_help("a help line long enough to be wrapped by miette when it goes past the width of one hundred columns, at spaces"),
            _ => {}
        }
        d
    }

    /// The contract: wherever this module draws a report, its bytes are
    /// miette's, with and without colour, and it accepts most of them.
    #[test]
    fn draws_exactly_what_miette_draws() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let cwd = Path::new("/work");
        let (mut drawn, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let bytes = file(&mut rng);
            let starts = line_starts(&bytes);
            let d = diagnostic(&mut rng, bytes.len());
            let fits = unwrapped_fits(&d);
            for color in [false, true] {
                let handler = handler(color);
                let theme = super::super::theme(color);
                let mut direct = String::new();
                if !render(&mut direct, &theme, &d, "Makefile", &bytes, &starts, fits) {
                    refused += 1;
                    assert!(direct.is_empty());
                    continue;
                }
                drawn += 1;
                direct.push('\n');
                let by_miette =
                    render_one_in(&handler, &d, cwd, Some((&bytes, &bytes, Some(&starts))));
                assert_eq!(
                    direct,
                    by_miette,
                    "{:?} at {:?}, colour {color}",
                    String::from_utf8_lossy(&bytes),
                    d.span
                );
            }
        }
        assert!(
            drawn > 10_000 && refused > 1_000,
            "{drawn} drawn, {refused} refused"
        );
    }

    /// The generated Makefile of the benchmark: every report drawn here.
    #[test]
    fn a_chain_of_links_is_drawn_directly() {
        let mut text = String::from("up:\n\tdocker run -d --name c0 img\n");
        for k in 1..200 {
            text.push_str(&format!(
                "\tdocker run -d --name c{k} --link c{}:dep img\n",
                k - 1
            ));
        }
        let bytes = text.into_bytes();
        let starts = line_starts(&bytes);
        let theme = super::super::theme(false);
        let mut at = 0;
        while let Some(k) = bytes[at..].windows(6).position(|w| w == b"--link") {
            let start = at + k;
            let d = Diagnostic::new(
                &codes::DOCKER_RUN_LINK,
                "Makefile",
                start..start + 12,
                "`--link` puts a container on the default bridge",
            )
            .fixable(true)
            .with_help("unlink migrate puts both containers on network `c0-net`");
            let mut out = String::new();
            assert!(render(
                &mut out,
                &theme,
                &d,
                "Makefile",
                &bytes,
                &starts,
                unwrapped_fits(&d)
            ));
            at = start + 6;
        }
        assert!(at > bytes.len() / 2);
    }

    #[test]
    fn digits_and_widths() {
        assert_eq!(
            (digits(0), digits(9), digits(10), digits(99_999)),
            (1, 1, 2, 5)
        );
        assert_eq!(visual_width("\ta\tbc\t"), 12);
        let mut s = String::new();
        push_expanded(&mut s, "a\tb\t\tc");
        assert_eq!(s, "a   b       c");
    }
}
