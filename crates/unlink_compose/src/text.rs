//! Line arithmetic on the raw text, and the file's own layout habits
//! (line ending, indentation unit, how sequences sit under their key), so
//! inserted lines look like their neighbours.

use crate::yaml::{Doc, Kind};

pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Position of the `\n` ending the line holding `pos` (or the end of text).
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// Like [`line_end`] but before a `\r` that precedes the `\n`.
pub(crate) fn line_content_end(text: &str, pos: usize) -> usize {
    let e = line_end(text, pos);
    if e > 0 && text.as_bytes()[e - 1] == b'\r' {
        e - 1
    } else {
        e
    }
}

pub(crate) fn next_line_start(text: &str, pos: usize) -> usize {
    let e = line_end(text, pos);
    if e < text.len() {
        e + 1
    } else {
        e
    }
}

/// Column (in bytes; indentation is ASCII spaces) of `pos` in its line.
pub(crate) fn column(text: &str, pos: usize) -> usize {
    pos - line_start(text, pos)
}

/// True when only spaces precede `pos` on its line.
pub(crate) fn first_on_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].bytes().all(|b| b == b' ')
}

/// The ` # comment` after `pos` on the same line, as a byte range starting
/// at the whitespace before `#`.
pub(crate) fn trailing_comment(text: &str, pos: usize) -> Option<std::ops::Range<usize>> {
    let end = line_content_end(text, pos);
    let rest = &text[pos..end];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.starts_with('#') {
        Some(pos..end)
    } else {
        None
    }
}

/// The file's layout habits.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub eol: &'static str,
    /// Indentation step of nested mappings.
    pub unit: usize,
    /// Columns between a key and the `-` of its block sequence (0 or more).
    pub seq_offset: usize,
}

impl Layout {
    pub fn detect(text: &str, doc: &Doc) -> Layout {
        let eol = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut unit = None;
        let mut seq_offset = None;
        for node in &doc.nodes {
            let Kind::Map { entries } = &node.kind else {
                continue;
            };
            if node.flow {
                continue;
            }
            for &(k, v) in entries {
                let kcol = column(text, doc.node(k).start);
                if !first_on_line(text, doc.node(k).start) {
                    continue;
                }
                let vn = doc.node(v);
                if vn.flow
                    || line_start(text, vn.content_start) == line_start(text, doc.node(k).start)
                {
                    continue;
                }
                let vcol = column(text, vn.content_start);
                match vn.kind {
                    Kind::Map { .. } if unit.is_none() && vcol > kcol => unit = Some(vcol - kcol),
                    Kind::Seq { .. } if seq_offset.is_none() && vcol >= kcol => {
                        seq_offset = Some(vcol - kcol)
                    }
                    _ => {}
                }
            }
        }
        let unit = unit.unwrap_or(2).clamp(1, 8);
        Layout {
            eol,
            unit,
            seq_offset: seq_offset.unwrap_or(unit),
        }
    }

    /// Join lines (each already indented) with the file's line ending, with
    /// a final line ending.
    pub fn lines(&self, lines: &[String]) -> String {
        let mut out = String::new();
        for l in lines {
            out.push_str(l);
            out.push_str(self.eol);
        }
        out
    }
}

/// Text for lines inserted at `at`, which must be a line start or the end of
/// a text lacking its final newline (then the newline goes first, and the
/// missing final newline stays missing).
pub(crate) fn insertion(text: &str, at: usize, lines: &[String], layout: &Layout) -> String {
    let body = layout.lines(lines);
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        let trimmed = body.strip_suffix(layout.eol).unwrap_or(&body);
        format!("{}{}", layout.eol, trimmed)
    } else {
        body
    }
}

/// A scalar written the way YAML needs it: plain when safe, single-quoted
/// otherwise.
pub(crate) fn scalar(value: &str) -> String {
    let plain_ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && !value.starts_with(['-', '.'])
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && value.parse::<f64>().is_err();
    if plain_ok {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_comments() {
        let t = "a: 1 # c\r\nb: 2";
        assert_eq!(line_end(t, 0), 9);
        assert_eq!(line_content_end(t, 0), 8);
        assert_eq!(next_line_start(t, 3), 10);
        assert_eq!(trailing_comment(t, 4), Some(4..8));
        assert_eq!(next_line_start(t, 11), t.len());
    }

    #[test]
    fn layout_is_detected() {
        let t = "services:\n    web:\n        links:\n        - db\n";
        let doc = crate::yaml::parse(t).unwrap();
        let l = Layout::detect(t, &doc);
        assert_eq!((l.eol, l.unit, l.seq_offset), ("\n", 4, 0));
    }

    #[test]
    fn quoting() {
        assert_eq!(scalar("db"), "db");
        assert_eq!(scalar("yes"), "'yes'");
        assert_eq!(scalar("1.5"), "'1.5'");
        assert_eq!(scalar("a b"), "'a b'");
    }
}
