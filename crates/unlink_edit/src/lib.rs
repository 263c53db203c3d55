//! Byte-range edits, and nothing else.
//!
//! Every change unlink makes to a file is an [`Edit`]: replace the bytes in
//! `start..end` with `content`. An insertion is an empty range, a deletion an
//! empty content. Readers and planners produce edits; [`apply`] applies a set
//! of them to the original bytes. It refuses overlapping edits instead of
//! guessing an order, so a planner bug shows up as an error rather than a
//! mangled file. Bytes outside every edit are copied unchanged, which is the
//! guarantee the whole tool rests on: comments, indentation, continuations,
//! CRLF line endings and a missing final newline survive because nobody but an
//! edit ever touches a byte.
//!
//! Edits work on bytes, not `str`, so files that are not valid UTF-8 can be
//! edited as long as the edits themselves do not split a character.

use std::fmt;
use std::ops::Range;

/// One replacement of a byte range in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced; equal to `start` for an insertion.
    pub end: usize,
    /// The bytes written in place of `start..end`.
    pub content: String,
}

impl Edit {
    /// Replace `range` with `content`.
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Self {
        Edit {
            start: range.start,
            end: range.end,
            content: content.into(),
        }
    }

    /// Insert `content` before byte `at`.
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit::replace(at..at, content)
    }

    /// Delete the bytes in `range`.
    pub fn delete(range: Range<usize>) -> Self {
        Edit::replace(range, String::new())
    }

    /// The replaced range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// True when the edit inserts without removing anything.
    pub fn is_insertion(&self) -> bool {
        self.start == self.end
    }
}

/// Why a set of edits could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// Two edits touch the same bytes (or one inserts strictly inside the other).
    Overlap { first: Edit, second: Edit },
    /// An edit reaches past the end of the input.
    OutOfBounds { edit: Edit, len: usize },
    /// An edit starts or ends inside a multi-byte UTF-8 character.
    SplitsCharacter { edit: Edit },
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::Overlap { first, second } => write!(
                f,
                "edits overlap: {}..{} and {}..{}",
                first.start, first.end, second.start, second.end
            ),
            ApplyError::OutOfBounds { edit, len } => write!(
                f,
                "edit {}..{} reaches past the end of the input ({len} bytes)",
                edit.start, edit.end
            ),
            ApplyError::SplitsCharacter { edit } => write!(
                f,
                "edit {}..{} splits a UTF-8 character",
                edit.start, edit.end
            ),
        }
    }
}

impl std::error::Error for ApplyError {}

/// Sort edits into application order and check that none overlap.
///
/// Edits are ordered by start, then end; insertions at the same position keep
/// the order they were given in (the sort is stable), so a planner can insert
/// several lines at one place and get them in the order it emitted them.
/// Identical edits are merged: two stages asking for the same change is not a
/// conflict.
pub fn normalize(input: &[u8], mut edits: Vec<Edit>) -> Result<Vec<Edit>, ApplyError> {
    // Identical edits are one edit, even when another sorts between them.
    let mut seen = std::collections::HashSet::new();
    edits.retain(|e| seen.insert(e.clone()));
    edits.sort_by_key(|e| (e.start, e.end));
    let utf8 = std::str::from_utf8(input).is_ok();
    for edit in &edits {
        if edit.start > edit.end || edit.end > input.len() {
            return Err(ApplyError::OutOfBounds {
                edit: edit.clone(),
                len: input.len(),
            });
        }
        if utf8 && (!is_char_boundary(input, edit.start) || !is_char_boundary(input, edit.end)) {
            return Err(ApplyError::SplitsCharacter { edit: edit.clone() });
        }
    }
    for pair in edits.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        // An insertion exactly at another edit's start or end is fine; anything
        // that shares a byte is not.
        let overlaps = if a.is_insertion() || b.is_insertion() {
            b.start < a.end && !(b.is_insertion() && b.start == a.start)
        } else {
            b.start < a.end
        };
        if overlaps {
            return Err(ApplyError::Overlap {
                first: a.clone(),
                second: b.clone(),
            });
        }
    }
    Ok(edits)
}

/// Apply `edits` to `input`. Every byte outside the edited ranges is copied
/// unchanged.
pub fn apply(input: &[u8], edits: Vec<Edit>) -> Result<Vec<u8>, ApplyError> {
    let edits = normalize(input, edits)?;
    let grow: usize = edits.iter().map(|e| e.content.len()).sum();
    let mut out = Vec::with_capacity(input.len() + grow);
    let mut cursor = 0;
    for edit in &edits {
        out.extend_from_slice(&input[cursor..edit.start]);
        out.extend_from_slice(edit.content.as_bytes());
        cursor = edit.end;
    }
    out.extend_from_slice(&input[cursor..]);
    Ok(out)
}

fn is_char_boundary(input: &[u8], at: usize) -> bool {
    // A byte of the form 0b10xx_xxxx continues a multi-byte character. Files
    // that are not UTF-8 are edited as raw bytes and never reach this check.
    at == 0 || at >= input.len() || (input[at] & 0xC0) != 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_outside_edits_are_kept() {
        let input = b"a\r\nb --link x c\r\nd";
        let out = apply(input, vec![Edit::delete(4..13)]).unwrap();
        assert_eq!(out, b"a\r\nb c\r\nd");
    }

    #[test]
    fn insertions_at_one_place_keep_their_order() {
        let out = apply(b"xy", vec![Edit::insert(1, "1"), Edit::insert(1, "2")]).unwrap();
        assert_eq!(out, b"x12y");
    }

    #[test]
    fn overlap_is_refused() {
        let err = apply(b"abcdef", vec![Edit::delete(1..4), Edit::delete(3..5)]).unwrap_err();
        assert!(matches!(err, ApplyError::Overlap { .. }));
    }

    #[test]
    fn insertion_inside_a_replacement_is_refused() {
        let err = apply(b"abcdef", vec![Edit::delete(1..4), Edit::insert(2, "x")]).unwrap_err();
        assert!(matches!(err, ApplyError::Overlap { .. }));
    }

    #[test]
    fn insertion_at_the_edges_of_a_replacement_is_allowed() {
        let out = apply(
            b"abcdef",
            vec![
                Edit::replace(1..3, "X"),
                Edit::insert(1, "<"),
                Edit::insert(3, ">"),
            ],
        )
        .unwrap();
        assert_eq!(out, b"a<X>def");
    }

    #[test]
    fn identical_edits_merge() {
        let out = apply(b"abc", vec![Edit::delete(0..1), Edit::delete(0..1)]).unwrap();
        assert_eq!(out, b"bc");
    }

    #[test]
    fn out_of_bounds_is_refused() {
        assert!(matches!(
            apply(b"abc", vec![Edit::delete(2..9)]),
            Err(ApplyError::OutOfBounds { .. })
        ));
    }

    #[test]
    fn splitting_a_character_is_refused() {
        assert!(matches!(
            apply("é".as_bytes(), vec![Edit::insert(1, "x")]),
            Err(ApplyError::SplitsCharacter { .. })
        ));
    }
}
