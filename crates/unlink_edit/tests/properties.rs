//! Property tests for edit application, against a brute-force model.
//!
//! Inputs and edit sets come from a small seeded generator (no dependency),
//! so every run checks the same cases and a failure names the seed that
//! reproduces it. `UNLINK_PROPTEST_CASES` raises the number of cases.
//!
//! The model of a set of edits:
//! * two edits conflict when they share a byte, or when one inserts strictly
//!   inside the other's range; edits that are equal in every field are one
//!   edit; insertions never conflict with each other;
//! * an edit must lie inside the input and, for UTF-8 input, must not start
//!   or end inside a character;
//! * applying copies every byte outside the edits unchanged, in order, and
//!   puts each edit's content where its range was; insertions at one position
//!   come out in the order they were given.

use unlink_edit::{apply, normalize, ApplyError, Edit};

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn cases() -> u64 {
    std::env::var("UNLINK_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000)
}

/// Input bytes: ASCII with line endings and tabs, multi-byte characters, or
/// (one case in four) bytes that are not UTF-8.
fn input(rng: &mut Rng) -> Vec<u8> {
    const PIECES: &[&[u8]] = &[
        b"a",
        b"b",
        b" ",
        b"\t",
        b"\n",
        b"\r\n",
        b"\\\n",
        b"--link db:db",
        "é".as_bytes(),
        "€".as_bytes(),
        "😀".as_bytes(),
        b"\xef\xbb\xbf",
    ];
    let raw = rng.chance(4);
    let n = rng.below(24);
    let mut out = Vec::new();
    for _ in 0..n {
        if raw && rng.chance(3) {
            out.push(rng.below(256) as u8);
        } else {
            out.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
    }
    out
}

fn content(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &["", "x", "--network n", "\n", "\r\n", "é", "\t"];
    (0..rng.below(3))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// Positions biased towards character boundaries and towards each other, so
/// that touching and overlapping edits are common.
fn position(rng: &mut Rng, input: &[u8], near: &[usize]) -> usize {
    if !near.is_empty() && rng.chance(2) {
        let p = near[rng.below(near.len())];
        return match rng.below(3) {
            0 => p,
            1 => p.saturating_sub(1),
            _ => (p + 1).min(input.len()),
        };
    }
    rng.below(input.len() + 1)
}

fn edits(rng: &mut Rng, input: &[u8]) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    let mut near = Vec::new();
    for _ in 0..rng.below(6) {
        if !out.is_empty() && rng.chance(8) {
            // The same edit twice (two stages asking for the same change).
            let e = out[rng.below(out.len())].clone();
            out.push(e);
            continue;
        }
        let a = position(rng, input, &near);
        let e = if rng.chance(3) {
            Edit::insert(a, content(rng))
        } else {
            let b = position(rng, input, &near);
            let (s, e) = (a.min(b), a.max(b));
            Edit::replace(s..e, content(rng))
        };
        near.push(e.start);
        near.push(e.end);
        out.push(e);
    }
    if rng.chance(50) {
        // Now and then, one past the end.
        out.push(Edit::delete(input.len()..input.len() + 1));
    }
    out
}

fn conflict(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    match (a.is_insertion(), b.is_insertion()) {
        (true, true) => false,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

fn boundary(input: &[u8], at: usize) -> bool {
    at == 0 || at >= input.len() || (input[at] & 0xC0) != 0x80
}

/// What the model says `apply` must do: `Ok` with the edits in application
/// order (duplicates merged), or every kind of error that applies (`apply`
/// reports the first it meets).
fn model(input: &[u8], edits: &[Edit]) -> Result<Vec<Edit>, Vec<&'static str>> {
    let mut errors = Vec::new();
    if edits.iter().any(|e| e.start > e.end || e.end > input.len()) {
        errors.push("out of bounds");
    }
    if std::str::from_utf8(input).is_ok()
        && edits
            .iter()
            .any(|e| e.end <= input.len() && (!boundary(input, e.start) || !boundary(input, e.end)))
    {
        errors.push("splits a character");
    }
    if edits
        .iter()
        .enumerate()
        .any(|(i, a)| edits[i + 1..].iter().any(|b| conflict(a, b)))
    {
        errors.push("overlap");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut unique: Vec<Edit> = Vec::new();
    for e in edits {
        if !unique.contains(e) {
            unique.push(e.clone());
        }
    }
    // Stable: insertions at one position keep the order given.
    unique.sort_by_key(|e| (e.start, e.end));
    Ok(unique)
}

fn kind(e: &ApplyError) -> &'static str {
    match e {
        ApplyError::Overlap { .. } => "overlap",
        ApplyError::OutOfBounds { .. } => "out of bounds",
        ApplyError::SplitsCharacter { .. } => "splits a character",
    }
}

/// Check `out` against the model, position by position: every byte outside
/// the edits is at its shifted place, every edit's content at its own.
fn check_output(input: &[u8], order: &[Edit], out: &[u8]) -> Result<(), String> {
    let grow: isize = order
        .iter()
        .map(|e| e.content.len() as isize - (e.end - e.start) as isize)
        .sum();
    if out.len() as isize != input.len() as isize + grow {
        return Err(format!(
            "length {} != {}",
            out.len(),
            input.len() as isize + grow
        ));
    }
    let inside = |i: usize| order.iter().any(|e| e.start <= i && i < e.end);
    for (i, &byte) in input.iter().enumerate() {
        if inside(i) {
            continue;
        }
        // Everything that ends at or before `i` (insertions at `i` too) has
        // moved byte `i`.
        let shift: isize = order
            .iter()
            .filter(|e| e.end <= i)
            .map(|e| e.content.len() as isize - (e.end - e.start) as isize)
            .sum();
        let at = (i as isize + shift) as usize;
        if out.get(at) != Some(&byte) {
            return Err(format!(
                "input byte {i} ({byte:#04x}) is not at output {at}"
            ));
        }
    }
    let mut shift: isize = 0;
    for e in order {
        let at = (e.start as isize + shift) as usize;
        if out.get(at..at + e.content.len()) != Some(e.content.as_bytes()) {
            return Err(format!("edit {e:?} is not at output {at}"));
        }
        shift += e.content.len() as isize - (e.end - e.start) as isize;
    }
    Ok(())
}

#[test]
fn apply_agrees_with_the_model() {
    let (mut ok, mut refused) = (0, 0);
    for seed in 0..cases() {
        let mut rng = Rng::new(seed);
        let input = input(&mut rng);
        let edits = edits(&mut rng, &input);
        let want = model(&input, &edits);
        let got = apply(&input, edits.clone());
        match (&want, &got) {
            (Ok(order), Ok(out)) => {
                if let Err(why) = check_output(&input, order, out) {
                    panic!("seed {seed}: {why}\ninput {input:?}\nedits {edits:?}\nout {out:?}");
                }
                ok += 1;
            }
            (Err(w), Err(g)) => {
                assert!(
                    w.contains(&kind(g)),
                    "seed {seed}: model says {w:?}, apply says {g}\ninput {input:?}\nedits {edits:?}"
                );
                refused += 1;
            }
            _ => panic!(
                "seed {seed}: model says {want:?}, apply says {got:?}\ninput {input:?}\nedits {edits:?}"
            ),
        }
    }
    // The generator must exercise both outcomes, or the test proves little.
    assert!(ok > 300 && refused > 300, "ok {ok}, refused {refused}");
}

#[test]
fn normalized_edits_are_sorted_and_never_overlap() {
    for seed in 0..cases() {
        let mut rng = Rng::new(seed);
        let input = input(&mut rng);
        let edits = edits(&mut rng, &input);
        let Ok(norm) = normalize(&input, edits.clone()) else {
            continue;
        };
        for (i, a) in norm.iter().enumerate() {
            for b in &norm[i + 1..] {
                assert!(
                    (a.start, a.end) <= (b.start, b.end),
                    "seed {seed}: not sorted: {norm:?}"
                );
                assert!(!conflict(a, b), "seed {seed}: overlap kept: {norm:?}");
                assert_ne!(a, b, "seed {seed}: duplicate kept: {norm:?}");
            }
        }
        // Nothing lost but duplicates.
        for e in &edits {
            assert!(norm.contains(e), "seed {seed}: {e:?} dropped");
        }
    }
}

#[test]
fn the_order_edits_are_given_in_does_not_matter_except_at_one_position() {
    for seed in 0..cases() {
        let mut rng = Rng::new(seed);
        let input = input(&mut rng);
        let edits = edits(&mut rng, &input);
        let Ok(out) = apply(&input, edits.clone()) else {
            continue;
        };
        // Reverse, then restore the given order of insertions that share a
        // position: only that order is meaningful.
        let mut shuffled = edits.clone();
        shuffled.reverse();
        let mut k = shuffled.len();
        while k > 1 {
            let j = rng.below(k);
            k -= 1;
            shuffled.swap(j, k);
        }
        let given_rank = |e: &Edit| edits.iter().position(|x| x == e).unwrap();
        shuffled.sort_by_key(|e| (e.start, e.end, given_rank(e)));
        assert_eq!(
            apply(&input, shuffled.clone()).as_ref(),
            Ok(&out),
            "seed {seed}: {edits:?} vs {shuffled:?}"
        );
    }
}

#[test]
fn no_edits_and_empty_edits_change_nothing() {
    for seed in 0..cases() {
        let mut rng = Rng::new(seed);
        let input = input(&mut rng);
        assert_eq!(apply(&input, vec![]).unwrap(), input, "seed {seed}");
        // Replacing a range with its own bytes is only allowed on boundaries,
        // but where it is, it is a no-op.
        let a = rng.below(input.len() + 1);
        let b = rng.below(input.len() + 1);
        let (s, e) = (a.min(b), a.max(b));
        if let Ok(same) = std::str::from_utf8(&input[s..e]) {
            if let Ok(out) = apply(&input, vec![Edit::replace(s..e, same)]) {
                assert_eq!(out, input, "seed {seed}");
            }
        }
    }
}

#[test]
fn bytes_that_are_not_utf8_survive_any_edit_elsewhere() {
    let input: &[u8] = b"# caf\xe9 \xff\xfe\r\nrun:\r\n\tdocker run --link db:db web\r\n\xc3";
    let link = input
        .windows(12)
        .position(|w| w == b"--link db:db")
        .unwrap();
    let out = apply(
        input,
        vec![
            Edit::replace(link..link + 12, "--network n"),
            Edit::insert(input.len(), "\r\n"),
        ],
    )
    .unwrap();
    assert_eq!(
        out,
        b"# caf\xe9 \xff\xfe\r\nrun:\r\n\tdocker run --network n web\r\n\xc3\r\n"
    );
}

/// `normalize` promised to merge identical edits but only merged neighbours
/// after sorting: with another insertion at the same place between them, an
/// identical insertion was applied twice (found by
/// `normalized_edits_are_sorted_and_never_overlap`).
#[test]
fn issue7_identical_edits_merge_even_when_not_adjacent() {
    let edits = vec![
        Edit::insert(1, "net\n"),
        Edit::insert(1, "other\n"),
        Edit::insert(1, "net\n"),
    ];
    assert_eq!(apply(b"a\nb", edits).unwrap(), b"anet\nother\n\nb");
}
