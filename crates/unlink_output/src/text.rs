//! The human format: one miette report per finding, then a summary line.
//!
//! ```text
//! UL001 (docker-run-link)
//!
//!   ⚠ `--link db:db` puts `web` on the default bridge
//!    ╭─[Makefile:3:24]
//!  2 │     docker run -d --name db postgres
//!  3 │     docker run --name web --link db:db app
//!    ·                           ──────┬─────
//!    ·                                 ╰── fixable with `unlink migrate`
//!    ╰────
//!   help: put `web` and `db` on a user-defined network
//!
//! Found 1 finding (1 fixable with `unlink migrate`).
//! ```
//!
//! The header's `file:line:column` counts columns in characters, like every
//! other format. Without colour the rendering is fixed (unicode box drawing,
//! width 100, no hyperlinks, tabs as 4 spaces), so it can be snapshot-tested;
//! with colour only escape codes are added. A finding whose file bytes are
//! missing is one line with the path in front of the message.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::Path;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use unlink_diagnostics::{Diagnostic, Severity};

use crate::{display_path, summary, Context};

mod direct;

/// The width text reports wrap at.
pub const WIDTH: usize = 100;

/// Write every finding as a report, then the summary line. Nothing at all
/// when `diagnostics` is empty.
pub fn render(
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    render_on(diagnostics, ctx, out, threads)
}

/// [`render`] on at most `threads` threads.
fn render_on(
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
    threads: usize,
) -> io::Result<()> {
    // Each file's line starts and shown name, found once: a report then
    // reads its snippet from near its span, not from the start of the file.
    let mut files: HashMap<&Path, FileData<'_>> = HashMap::new();
    for d in diagnostics {
        if let Some(bytes) = ctx.source(d) {
            files.entry(&d.path).or_insert_with(|| FileData {
                starts: line_starts(bytes),
                shown: shown(bytes),
                name: display_path(&d.path, ctx.cwd),
            });
        }
    }
    let jobs: Vec<Job<'_>> = diagnostics
        .iter()
        .map(|d| Job {
            d,
            source: ctx.source(d).map(|bytes| (bytes, &files[d.path.as_path()])),
        })
        .collect();
    let (cwd, color) = (ctx.cwd, ctx.color);
    let render_all = |jobs: &[Job<'_>]| -> String {
        let theme = theme(color);
        let wrapping = handler(color);
        let plain = wrapping.clone().with_wrap_lines(false);
        let mut s = String::new();
        for job in jobs {
            let fits = unwrapped_fits(job.d);
            // The common shape is drawn directly (same bytes, a fraction
            // of the cost); miette draws the rest.
            if let Some((bytes, file)) = job.source {
                if direct::render(&mut s, &theme, job.d, &file.name, bytes, &file.starts, fits) {
                    s.push('\n');
                    continue;
                }
            }
            // Wrapping is most of a report's cost; skip it where it would
            // leave every line as it is.
            let handler = if job.source.is_some() && fits {
                &plain
            } else {
                &wrapping
            };
            let source = job
                .source
                .map(|(bytes, file)| (bytes, &*file.shown, file.starts.as_slice()));
            s.push_str(&render_one_with(handler, job.d, cwd, source));
        }
        s
    };
    // Reports are independent: thousands of them (a generated Makefile) are
    // rendered in rounds of contiguous chunks, one chunk per thread (this
    // one included), and each round is written in order before the next
    // starts, so memory holds one round's text, not the whole output.
    if jobs.len() < PARALLEL_FROM || threads < 2 {
        for part in jobs.chunks(CHUNK) {
            out.write_all(render_all(part).as_bytes())?;
        }
    } else {
        for round in jobs.chunks(CHUNK * threads) {
            let mut parts = round.chunks(CHUNK);
            let here = parts.next().unwrap_or_default();
            let (first, rest): (String, Vec<String>) = std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .map(|part| scope.spawn(move || render_all(part)))
                    .collect();
                let first = render_all(here);
                let rest = handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect();
                (first, rest)
            });
            out.write_all(first.as_bytes())?;
            for part in rest {
                out.write_all(part.as_bytes())?;
            }
        }
    }
    if let Some(line) = summary(diagnostics) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Whether miette, wrapping at [`WIDTH`], would leave the message and the
/// help each on one line exactly as written, so that rendering without
/// wrapping gives the same bytes. miette wraps both at `WIDTH - 2` columns
/// after an indent: `  ⚠ ` (4 columns) before the message, `  help: ` (8)
/// before the help. textwrap (first fit, no hyphenation) keeps a line whole
/// when its words fit, and prints it as a slice of the input after the
/// indent, less trailing spaces. So: printable ASCII (one column a byte), no
/// leading, trailing or double spaces, and at most the room after the
/// indent less one column of margin.
fn unwrapped_fits(d: &Diagnostic) -> bool {
    fn fits(text: &str, indent: usize) -> bool {
        text.len() < WIDTH - 2 - indent
            && text.bytes().all(|b| (b' '..=b'~').contains(&b))
            && !text.starts_with(' ')
            && !text.ends_with(' ')
            && !text.contains("  ")
    }
    fits(&d.message, 4) && d.help.as_deref().is_none_or(|h| fits(h, 8))
}

/// How many reports make rendering them on several threads worth it.
const PARALLEL_FROM: usize = 512;

/// Reports rendered as one piece of text: on one thread, and written out
/// together.
const CHUNK: usize = 1024;

/// One report to render: the finding and its file's bytes, shown bytes,
/// line starts and shown name.
struct Job<'a> {
    d: &'a Diagnostic,
    source: Option<(&'a [u8], &'a FileData<'a>)>,
}

/// What every report on one file shares.
struct FileData<'a> {
    starts: Vec<usize>,
    shown: Cow<'a, [u8]>,
    name: String,
}

/// The label under a fixable finding's span.
const FIXABLE_LABEL: &str = "fixable with `unlink migrate`";

/// Where text reports may break a line: at spaces only (docs/decisions.md,
/// "Output").
const WORD_SEPARATOR: textwrap::WordSeparator = textwrap::WordSeparator::AsciiSpace;

fn theme(color: bool) -> GraphicalTheme {
    if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    }
}

/// One finding's report, ending with a blank line.
pub fn render_one(d: &Diagnostic, ctx: &Context<'_>) -> String {
    let bytes = ctx.source(d);
    let shown = bytes.map(shown);
    let source = bytes.zip(shown.as_deref()).map(|(b, s)| (b, s, None));
    render_one_in(&handler(ctx.color), d, ctx.cwd, source)
}

fn handler(color: bool) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme(color))
        .with_width(WIDTH)
        .with_links(false)
        .with_context_lines(1)
        .without_syntax_highlighting()
        // Break lines at spaces only: a name is never cut at a hyphen or a
        // slash (docs/decisions.md, "Output").
        .with_word_separator(WORD_SEPARATOR)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

fn render_one_with(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    cwd: &Path,
    source: Option<(&[u8], &[u8], &[usize])>,
) -> String {
    render_one_in(handler, d, cwd, source.map(|(b, sh, s)| (b, sh, Some(s))))
}

/// A file's bytes, the bytes miette is shown (see [`shown`]) and, when the
/// caller has them, its [`line_starts`].
type FileView<'a> = (&'a [u8], &'a [u8], Option<&'a [usize]>);

fn render_one_in(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    cwd: &Path,
    source: Option<FileView<'_>>,
) -> String {
    let name = display_path(&d.path, cwd);
    let report = Report {
        d,
        source: source.map(|(bytes, shown, starts)| Named {
            name: name.clone(),
            bytes,
            shown,
            starts,
        }),
        name,
    };
    let mut s = String::new();
    if handler.render_report(&mut s, &report).is_err() {
        // miette refused the span; fall back to one plain line.
        s = format!("{}: {} {}\n", report.name, d.code.id, d.message);
    }
    s.push('\n');
    s
}

/// A diagnostic as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    name: String,
    source: Option<Named<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_some() {
            f.write_str(&self.d.message)
        } else {
            // No snippet will say where, so the header does.
            write!(f, "{}: {}", self.name, self.d.message)
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} ({})",
            self.d.code.id, self.d.code.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let len = source.bytes.len();
        let start = self.d.span.start.min(len);
        let end = self.d.span.end.clamp(start, len);
        let text = self.d.fixable.then(|| FIXABLE_LABEL.to_string());
        let span = SourceSpan::from(start..end);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            text, span,
        ))))
    }
}

/// Borrowed file bytes that report the file's name to miette (no copy).
struct Named<'a> {
    name: String,
    bytes: &'a [u8],
    /// `bytes` as miette reads them: see [`shown`].
    shown: &'a [u8],
    /// [`line_starts`] of `bytes`, when the caller has them.
    starts: Option<&'a [usize]>,
}

/// `bytes` with each byte of a sequence that is not UTF-8 replaced by `?`.
/// miette decodes what it shows lossily, and a U+FFFD takes three bytes, so
/// an undecodable byte before a span would move its pointer; one `?` per
/// byte keeps every offset where it was.
fn shown(bytes: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(bytes).is_ok() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.extend_from_slice(chunk.valid().as_bytes());
        out.extend(std::iter::repeat_n(b'?', chunk.invalid().len()));
    }
    Cow::Owned(out)
}

/// Where each line of `bytes` starts, as miette counts lines: `\n`, `\r\n`
/// and a lone `\r` each end one.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            b'\r' | b'\n' => {}
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        starts.push(i);
    }
    starts
}

/// Where to start reading for a span at `offset` with `before` lines of
/// context: the start of a line at least `before + 1` lines above the span's
/// line (or the file's start), and how many lines precede it. miette reads
/// from that line exactly as it would from the file's start, because
/// everything it keeps depends only on the last `before` line ends before
/// the span; the extra line keeps an empty span at a line start from
/// landing at offset 0 of the window, which miette treats specially.
fn window(starts: &[usize], offset: usize, before: usize) -> (usize, usize) {
    // Line ends (other than the file's start) at or before `offset`.
    let ends = starts.partition_point(|&s| s <= offset) - 1;
    let line = ends.saturating_sub(before + 1);
    (starts[line], line)
}

impl SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (base, lines_above) = match self.starts {
            Some(starts) if span.offset() <= self.bytes.len() => {
                window(starts, span.offset(), context_lines_before)
            }
            _ => (0, 0),
        };
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let inner =
            self.shown[base..].read_span(&local, context_lines_before, context_lines_after)?;
        // miette counts the header's column in bytes; unlink counts
        // characters everywhere. A read without context is the header's.
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            let offset = span.offset().min(self.bytes.len());
            let line_start = self.bytes[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            String::from_utf8_lossy(&self.bytes[line_start..offset])
                .chars()
                .count()
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + lines_above,
            column,
            inner.line_count() + lines_above,
        )))
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    /// Reading near the span gives what reading from the file's start gives.
    #[test]
    fn windowed_reads_match_whole_file_reads() {
        let texts: [&[u8]; 6] = [
            b"",
            b"one line",
            b"a\nbb\n\nccc\nd\n",
            b"a\r\nbb\r\n\r\nccc\r\nd",
            b"a\rb\r\rc\n\r\nd\n\n",
            "é\n\tx é\r\ny\n".as_bytes(),
        ];
        for bytes in texts {
            let starts = line_starts(bytes);
            let whole = Named {
                name: "f".into(),
                bytes,
                shown: bytes,
                starts: None,
            };
            let near = Named {
                name: "f".into(),
                bytes,
                shown: bytes,
                starts: Some(&starts),
            };
            for offset in 0..=bytes.len() {
                for len in 0..=3.min(bytes.len() - offset) {
                    let span = SourceSpan::from(offset..offset + len);
                    for before in 0..3 {
                        for after in 0..3 {
                            let a = whole.read_span(&span, before, after);
                            let b = near.read_span(&span, before, after);
                            let key = |r: Result<Box<dyn SpanContents<'_> + '_>, MietteError>| {
                                r.ok().map(|c| {
                                    (
                                        c.data().to_vec(),
                                        *c.span(),
                                        c.line(),
                                        c.column(),
                                        c.line_count(),
                                    )
                                })
                            };
                            assert_eq!(
                                key(a),
                                key(b),
                                "{:?} at {offset}+{len}, {before}/{after}",
                                String::from_utf8_lossy(bytes)
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod parallel_tests {
    use super::*;
    use crate::SourceMap;
    use unlink_diagnostics::codes;

    /// Many reports, rendered on threads in rounds, read exactly like on
    /// one thread; and (on a few) like one at a time.
    #[test]
    fn threaded_rendering_matches_one_by_one() {
        let mut text = String::from("up:\n");
        for k in 0..4_200 {
            text.push_str(&format!(
                "\tdocker run --name c{k} --link c{}:dep img\n",
                k + 1
            ));
        }
        let mut map = SourceMap::new();
        map.insert("Makefile", text.clone().into_bytes());
        map.insert("b.sh", b"docker run --link x y\r\n".to_vec());
        let cwd = Path::new("/nowhere");
        let ctx = Context::new(&map, cwd);
        let mut diags = Vec::new();
        let mut at = 4;
        for (k, line) in text.lines().skip(1).enumerate() {
            let start = at + line.find("--link").unwrap();
            diags.push(
                Diagnostic::new(&codes::DOCKER_RUN_LINK, "Makefile", start..start + 6, format!("link {k}"))
                    .with_help("a help line long enough to be wrapped by miette when it goes past the width of one hundred columns")
                    .fixable(k % 2 == 0),
            );
            if k % 100 == 0 {
                diags.push(Diagnostic::new(&codes::HIDDEN_LINK, "b.sh", 11..17, "in b"));
                diags.push(Diagnostic::new(
                    &codes::HIDDEN_LINK,
                    "missing.sh",
                    0..0,
                    "no bytes",
                ));
            }
            at += line.len() + 1;
        }
        // Several rounds of several chunks, the last one short.
        assert!(diags.len() > 2 * CHUNK * 2 && diags.len() % CHUNK != 0);
        let on = |threads: usize| {
            let mut out = Vec::new();
            render_on(&diags, &ctx, &mut out, threads).unwrap();
            String::from_utf8(out).unwrap()
        };
        let one = on(1);
        assert_eq!(on(2), one);
        assert_eq!(on(3), one);
        // The first reports, by miette one at a time, are the output's start.
        let start: String = diags[..300].iter().map(|d| render_one(d, &ctx)).collect();
        assert!(one.starts_with(&start));
    }
}

#[cfg(test)]
mod unwrapped_tests {
    use super::*;
    use unlink_diagnostics::codes;

    /// Where [`unwrapped_fits`] holds, both handlers print the same bytes,
    /// with and without colour, at every length up to the limit.
    #[test]
    fn skipping_wrapping_changes_nothing_where_it_is_skipped() {
        let cwd = Path::new("/");
        let words = [
            "`--link",
            "db:db-1`",
            "puts",
            "user-defined",
            "network",
            "a/b/c",
            "`web`",
            "(on",
            "x),",
            "--network-alias",
            "localhost",
            "1.2.3.4:80",
            "\u{0060}ok\u{0060}",
        ];
        let mut checked = 0;
        for start in 0..words.len() {
            let mut text = String::new();
            let mut k = start;
            while text.len() < WIDTH + 10 {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(words[k % words.len()]);
                k += 3;
                for help in [None, Some(text.clone()), Some("short help".to_string())] {
                    let severity = [Severity::Error, Severity::Warning, Severity::Info][k % 3];
                    let mut d =
                        Diagnostic::new(&codes::DOCKER_RUN_LINK, "Makefile", 14..30, text.clone())
                            .fixable(k % 2 == 0)
                            .with_severity(severity);
                    if let Some(h) = help {
                        d = d.with_help(h);
                    }
                    if !unwrapped_fits(&d) {
                        continue;
                    }
                    for color in [false, true] {
                        let wrapping = handler(color);
                        let plain = wrapping.clone().with_wrap_lines(false);
                        let bytes = &b"up:\n\tdocker run --link db:db-1 web\n"[..];
                        let source = Some((bytes, bytes, None));
                        assert_eq!(
                            render_one_in(&wrapping, &d, cwd, source),
                            render_one_in(&plain, &d, cwd, source),
                            "{text:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        // Right at the limits: every length, cut from a sentence with
        // hyphens and punctuation, as message and as help.
        let sentence = "the alias `db-primary` becomes a network-alias of `pg-main` on `app-net`, so user-defined names resolve (a/b:c) ok";
        for n in 60..sentence.len() {
            let text = sentence[..n].trim_end();
            for (message, help) in [(text, None), ("m", Some(text))] {
                let mut d = Diagnostic::new(&codes::HIDDEN_LINK, "Makefile", 5..11, message);
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                if !unwrapped_fits(&d) {
                    continue;
                }
                let bytes = &b"up:\n\tdocker run --link db:db-1 web\n"[..];
                let wrapping = handler(false);
                let plain = wrapping.clone().with_wrap_lines(false);
                assert_eq!(
                    render_one_in(&wrapping, &d, cwd, Some((bytes, bytes, None))),
                    render_one_in(&plain, &d, cwd, Some((bytes, bytes, None))),
                    "{text:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 100);
        let at = |n: usize| Diagnostic::new(&codes::DOCKER_RUN_LINK, "M", 0..0, "x".repeat(n));
        assert!(unwrapped_fits(&at(WIDTH - 7)));
        assert!(!unwrapped_fits(&at(WIDTH - 6)));
        assert!(!unwrapped_fits(
            &at(WIDTH - 11).with_help("y".repeat(WIDTH - 10))
        ));
    }
}
