//! Turning "old text → new text" into the smallest honest set of
//! byte-range edits.
//!
//! Actions run one after another on re-parsed text, so their edits are
//! relative to intermediate texts. The caller wants edits against the
//! original. A line diff finds the changed hunks; inside a hunk whose line
//! count did not change each line pair is trimmed to the bytes that differ
//! (so re-indenting a line is an insertion of spaces, renaming a key a
//! replacement of the key); other hunks are trimmed as a whole. Applying the
//! result to the original gives the new text exactly; `diff_edits` checks
//! that before returning.

use similar::{capture_diff_slices, Algorithm, DiffOp};
use unlink_edit::Edit;

fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn offsets(lines: &[&str]) -> Vec<usize> {
    let mut out = Vec::with_capacity(lines.len() + 1);
    let mut acc = 0;
    out.push(0);
    for l in lines {
        acc += l.len();
        out.push(acc);
    }
    out
}

/// The edits that turn `old` into `new`.
pub(crate) fn diff_edits(old: &str, new: &str) -> Vec<Edit> {
    let ol = lines(old);
    let nl = lines(new);
    let oo = offsets(&ol);
    let no = offsets(&nl);
    let ops = capture_diff_slices(Algorithm::Myers, &ol, &nl);
    let mut edits = vec![];
    // (old line range, new line range) of the current hunk
    let mut hunk: Option<(usize, usize, usize, usize)> = None;
    let flush = |h: Option<(usize, usize, usize, usize)>, edits: &mut Vec<Edit>| {
        let Some((os, oe, ns, ne)) = h else { return };
        if oe - os == ne - ns {
            for i in 0..(oe - os) {
                trimmed(
                    old,
                    oo[os + i],
                    oo[os + i + 1],
                    &new[no[ns + i]..no[ns + i + 1]],
                    edits,
                );
            }
            return;
        }
        // Pair lines that differ only in indentation (a re-indented block
        // plus a few new lines), then trim each pair.
        let ok: Vec<&str> = ol[os..oe]
            .iter()
            .map(|l| l.trim_start_matches(' '))
            .collect();
        let nk: Vec<&str> = nl[ns..ne]
            .iter()
            .map(|l| l.trim_start_matches(' '))
            .collect();
        let mut sub: Option<(usize, usize, usize, usize)> = None;
        let emit = |h: Option<(usize, usize, usize, usize)>, edits: &mut Vec<Edit>| {
            let Some((a, b, c, d)) = h else { return };
            if b - a == d - c {
                for i in 0..(b - a) {
                    trimmed(
                        old,
                        oo[a + i],
                        oo[a + i + 1],
                        &new[no[c + i]..no[c + i + 1]],
                        edits,
                    );
                }
            } else {
                trimmed(old, oo[a], oo[b], &new[no[c]..no[d]], edits);
            }
        };
        for op in capture_diff_slices(Algorithm::Myers, &ok, &nk) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    emit(sub.take(), edits);
                    for i in 0..len {
                        let (a, c) = (os + old_index + i, ns + new_index + i);
                        trimmed(old, oo[a], oo[a + 1], &new[no[c]..no[c + 1]], edits);
                    }
                }
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                } => extend(&mut sub, os + old_index, old_len, ns + new_index, 0),
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => extend(&mut sub, os + old_index, 0, ns + new_index, new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => extend(&mut sub, os + old_index, old_len, ns + new_index, new_len),
            }
        }
        emit(sub.take(), edits);
    };
    for op in ops {
        match op {
            DiffOp::Equal { .. } => flush(hunk.take(), &mut edits),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => extend(&mut hunk, old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => extend(&mut hunk, old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => extend(&mut hunk, old_index, old_len, new_index, new_len),
        }
    }
    flush(hunk.take(), &mut edits);
    edits
}

fn extend(
    hunk: &mut Option<(usize, usize, usize, usize)>,
    oi: usize,
    ol: usize,
    ni: usize,
    nl: usize,
) {
    match hunk {
        None => *hunk = Some((oi, oi + ol, ni, ni + nl)),
        Some(h) => {
            h.1 = h.1.max(oi + ol);
            h.3 = h.3.max(ni + nl);
        }
    }
}

/// One edit for `old[start..end] → new`, trimmed of common prefix/suffix.
fn trimmed(old: &str, start: usize, end: usize, new: &str, edits: &mut Vec<Edit>) {
    let o = &old[start..end];
    if o == new {
        return;
    }
    let mut p = o
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !o.is_char_boundary(p) || !new.is_char_boundary(p) {
        p -= 1;
    }
    let max_s = (o.len() - p).min(new.len() - p);
    let mut s = o
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    while !o.is_char_boundary(o.len() - s) || !new.is_char_boundary(new.len() - s) {
        s -= 1;
    }
    edits.push(Edit::replace(start + p..end - s, &new[p..new.len() - s]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(a: &str, b: &str) -> Vec<Edit> {
        let e = diff_edits(a, b);
        let out = unlink_edit::apply(a.as_bytes(), e.clone()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), b);
        e
    }

    #[test]
    fn indentation_is_an_insertion() {
        let e = roundtrip("web:\n  image: x\n", "services:\n  web:\n    image: x\n");
        assert!(e.iter().all(|e| e.is_insertion()));
    }

    #[test]
    fn rename_is_small() {
        let e = roundtrip(
            "a:\n  links:\n    - db:x # c\n",
            "a:\n  depends_on:\n    - db # c\n",
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].content, "depends_on");
    }

    #[test]
    fn odd_cases() {
        roundtrip("", "a\n");
        roundtrip("a", "a\nb");
        roundtrip("é\nx\n", "è\nx\ny\n");
        roundtrip("a\r\nb\r\n", "a\r\n  c\r\nb\r\n");
    }
}
