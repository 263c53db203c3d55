//! Byte helpers shared by the readers. Everything works on `&[u8]` so that
//! files that are not UTF-8 keep exact offsets; strings are built lossily only
//! from bytes already known to be ASCII.

use std::ops::Range;

/// A byte that may appear in a hostname (or a link alias): letters, digits,
/// `-`, `_` and `.`. Docker aliases use the same set.
pub(crate) fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'
}

/// A byte of a shell identifier.
pub(crate) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(crate) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

/// `bytes[range]` as a `String` (lossy; callers pass ASCII ranges).
pub(crate) fn text_of(bytes: &[u8], range: Range<usize>) -> String {
    String::from_utf8_lossy(&bytes[range]).into_owned()
}

/// True when `host` (bytes) is, ASCII-case-insensitively, the alias.
/// Hostnames are case-insensitive in DNS and in Docker's embedded resolver.
pub(crate) fn host_eq(host: &[u8], alias: &str) -> bool {
    host.eq_ignore_ascii_case(alias.as_bytes())
}

/// The alias (as given by the caller) that `host` names, if any.
pub(crate) fn which_alias<'a, S: AsRef<str>>(host: &[u8], aliases: &'a [S]) -> Option<&'a str> {
    aliases
        .iter()
        .map(|a| a.as_ref())
        .find(|a| !a.is_empty() && host_eq(host, a))
}

/// Parse an all-digit port. `None` for anything else (empty, too large, signs).
pub(crate) fn parse_port(bytes: &[u8]) -> Option<u16> {
    if bytes.is_empty() || bytes.len() > 5 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// Byte ranges of the lines of `text`, without the `\n` and without a `\r`
/// right before it.
pub(crate) fn lines(text: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            let end = if i > start && text[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(start..end);
            start = i + 1;
        }
    }
    if start < text.len() {
        let mut end = text.len();
        if text[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(start..end);
    }
    out
}

/// The lines of `text` that meet `range`, clipped to it (same rules as
/// [`lines`]). Only the bytes around `range` are looked at.
pub(crate) fn lines_within(text: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    let s0 = text[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let e0 = text[end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |p| end + p);
    lines(&text[s0..e0])
        .into_iter()
        .map(|l| (l.start + s0).max(start)..(l.end + s0).min(end))
        .filter(|l| l.start <= l.end)
        .collect()
}

/// Every case-insensitive occurrence of `needle` in `hay[range]`, as absolute
/// offsets of its first byte.
pub(crate) fn find_all_ci(hay: &[u8], range: Range<usize>, needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() || range.end > hay.len() || range.end < range.start + needle.len() {
        return out;
    }
    let mut i = range.start;
    while i + needle.len() <= range.end {
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            out.push(i);
        }
        i += 1;
    }
    out
}

/// True when `word` occurs in `hay[range]` as a whole word (delimited by
/// non-hostname bytes), ASCII-case-insensitively.
pub(crate) fn contains_word(hay: &[u8], range: Range<usize>, word: &[u8]) -> bool {
    find_all_ci(hay, range.clone(), word).into_iter().any(|s| {
        let e = s + word.len();
        (s == range.start || !is_host_byte(hay[s - 1])) && (e == range.end || !is_host_byte(hay[e]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_strip_crlf() {
        let t = b"a\r\nbc\n\r\nd";
        let l: Vec<_> = lines(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(l, vec![&b"a"[..], b"bc", b"", b"d"]);
    }

    #[test]
    fn lines_within_clip() {
        let t = b"ab\r\ncd ef\ngh";
        let l: Vec<_> = lines_within(t, 5..12).into_iter().map(|r| &t[r]).collect();
        assert_eq!(l, vec![&b"d ef"[..], b"gh"]);
        assert_eq!(lines_within(t, 0..0), vec![0..0]);
    }

    #[test]
    fn ports_are_digits_only() {
        assert_eq!(parse_port(b"8080"), Some(8080));
        assert_eq!(parse_port(b""), None);
        assert_eq!(parse_port(b"80a"), None);
        assert_eq!(parse_port(b"70000"), None);
    }

    #[test]
    fn whole_words() {
        assert!(contains_word(b"run docker x", 0..12, b"docker"));
        assert!(!contains_word(b"dockerfile", 0..10, b"docker"));
    }
}
