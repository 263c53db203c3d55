//! Regressions found while hardening unlink against bad input (issue 7);
//! each test names what it pins.

use std::path::Path;

use unlink_diagnostics::{codes, Diagnostic};
use unlink_output::{render, Context, Format, SourceMap};

fn text_report(src: &[u8], span: std::ops::Range<usize>) -> String {
    let mut sources = SourceMap::new();
    sources.insert("Makefile", src.to_vec());
    let d = Diagnostic::new(
        &codes::SYNTAX_ERROR,
        "Makefile",
        span,
        "double quote is never closed",
    );
    let mut out = Vec::new();
    render(
        Format::Text,
        &[d],
        &Context::new(&sources, Path::new(".")),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

/// The column of the `▲` under line `line` of the snippet, in characters.
fn pointer_column(report: &str) -> usize {
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains('▲'))
        .expect("a pointer");
    lines[at].chars().position(|c| c == '▲').unwrap()
}

/// miette turns bytes that are not UTF-8 into U+FFFD (three bytes each)
/// before it measures, so each such byte on a context line moved the
/// pointer two columns to the left, onto the wrong place (the header's
/// `line:column` was right). The pointer must sit where it sits in the same
/// file with ASCII in place of those bytes.
#[test]
fn issue7_bytes_that_are_not_utf8_do_not_move_the_snippet_pointer() {
    let line = b"\tdocker run -d --name web --link db:db \"web:1\n";
    let quote = line.iter().position(|&b| b == b'"').unwrap();
    let mut latin1 =
        b"run:\n\t@echo \"\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\"\n".to_vec();
    let mut ascii = b"run:\n\t@echo \"eeeeeeeeeeee\"\n".to_vec();
    let at = latin1.len() + quote;
    latin1.extend_from_slice(line);
    ascii.extend_from_slice(line);
    let want = text_report(&ascii, at..at);
    let got = text_report(&latin1, at..at);
    assert_eq!(
        pointer_column(&got),
        pointer_column(&want),
        "\n{got}\n{want}"
    );
    assert!(got.contains("[Makefile:3:40]"), "{got}");
    // The line with the error itself may hold such bytes too.
    let mut same_line =
        b"run:\n\tdocker run -d --name web --link db:db \"web:1 \xe9\xe9\xe9\n".to_vec();
    let at = same_line.iter().position(|&b| b == b'"').unwrap();
    let got = text_report(&same_line, at..at);
    same_line.truncate(same_line.len() - 4);
    same_line.push(b'\n');
    let want = text_report(&same_line, at..at);
    assert_eq!(
        pointer_column(&got),
        pointer_column(&want),
        "\n{got}\n{want}"
    );
}
