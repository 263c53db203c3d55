//! Rendering diagnostics and diffs for the terminal and for machines.

use crate::cli::Format;
use crate::project::Project;
use std::path::Path;
use unlink_diagnostics::{Diagnostic, LineIndex};

/// The path as a user should see it: relative to the working directory.
pub fn relative(path: &Path, cwd: &Path) -> String {
    let p = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    p.to_string_lossy().replace('\\', "/")
}

fn source<'a>(project: &'a Project, path: &Path) -> Option<&'a [u8]> {
    project
        .inputs
        .iter()
        .find(|i| i.path == path)
        .map(|i| i.bytes.as_slice())
        .or_else(|| {
            project
                .config_sources
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.as_slice())
        })
}

/// Every file's bytes, for snippets and positions.
fn source_map(project: &Project) -> unlink_output::SourceMap {
    let mut map = unlink_output::SourceMap::new();
    for i in &project.inputs {
        map.insert(i.path.clone(), i.bytes.clone());
    }
    for (p, b) in &project.config_sources {
        map.insert(p.clone(), b.clone());
    }
    map
}

/// Drop findings suppressed with `# unlink: ignore[CODE]`.
pub fn unsuppressed(project: &Project, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut indexes: std::collections::HashMap<std::path::PathBuf, LineIndex> = Default::default();
    diags
        .into_iter()
        .filter(|d| {
            let Some(bytes) = source(project, &d.path) else {
                return true;
            };
            let idx = indexes
                .entry(d.path.clone())
                .or_insert_with(|| LineIndex::new(bytes));
            // Only the finding's line and the one above can suppress it: pass
            // those, not the whole file.
            let line = idx.line(d.span.start);
            let from = idx.line_start(line.saturating_sub(1));
            let line = line.min(2);
            !unlink_output::is_suppressed(&bytes[from..], line, d.code)
        })
        .collect()
}

/// Render `diags` in `format`.
pub fn render(
    project: &Project,
    diags: &[Diagnostic],
    format: Format,
    cwd: &Path,
    color: bool,
) -> String {
    let mut out = Vec::new();
    let _ = write(project, diags, format, cwd, color, &mut out);
    // The renderers write UTF-8; take the buffer as it is rather than copy it.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render`] straight into `out`, as it goes: the text of tens of
/// thousands of findings (a generated Makefile) is never held whole.
pub fn write(
    project: &Project,
    diags: &[Diagnostic],
    format: Format,
    cwd: &Path,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let map = source_map(project);
    let ctx = unlink_output::Context::new(&map, cwd)
        .with_color(color)
        .with_tool_version(env!("CARGO_PKG_VERSION"));
    let format = match format {
        Format::Text => unlink_output::Format::Text,
        Format::Json => unlink_output::Format::Json,
        Format::Sarif => unlink_output::Format::Sarif,
        Format::Github => unlink_output::Format::Github,
    };
    unlink_output::render(format, diags, &ctx, out)
}

/// A unified diff of one file, `a/PATH` → `b/PATH`.
///
/// Myers' algorithm (similar's) finds a shortest diff in O((N+M)·D) time,
/// where D is the number of lines deleted and inserted: seconds to minutes
/// for a 20,000-line Makefile whose every line changed. A cheap anchored
/// diff is computed first; its D bounds Myers' from above, and when that
/// bound says Myers would be slow, the anchored diff is printed instead (a
/// valid diff, deterministic, not always the shortest). Every diff within
/// the budget is exactly similar's.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    unified_diff_with_budget(path, old, new, MYERS_BUDGET)
}

/// (N+M)·D at or under which Myers runs (about 0.1 s).
const MYERS_BUDGET: usize = 150_000_000;

fn unified_diff_with_budget(path: &str, old: &[u8], new: &[u8], budget: usize) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let a = split_lines(&old);
    let b = split_lines(&new);
    let ops = anchored::ops(&a, &b);
    let d: usize = ops
        .iter()
        .map(|op| match *op {
            similar::DiffOp::Equal { .. } => 0,
            similar::DiffOp::Delete { old_len, .. } => old_len,
            similar::DiffOp::Insert { new_len, .. } => new_len,
            similar::DiffOp::Replace {
                old_len, new_len, ..
            } => old_len + new_len,
        })
        .sum();
    if (a.len() + b.len()).saturating_mul(d) <= budget {
        return similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
    }
    anchored::format(path, &a, &b, ops, 3)
}

/// Lines as similar splits them: each keeps its `\n`, `\r\n` or lone `\r`.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(&text[start..end]);
        start = end;
        i = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// A line diff in about linear time: the common head and tail, then lines
/// that occur exactly once on each side as anchors (patience diff), then
/// Myers inside each small gap between anchors; a large gap is replaced
/// whole.
mod anchored {
    use similar::{Algorithm, DiffOp};
    use std::collections::HashMap;
    use std::fmt::Write;

    /// Lines² at or under which a gap between anchors is diffed with Myers.
    const GAP_BUDGET: usize = 1_000_000;

    pub fn ops(a: &[&str], b: &[&str]) -> Vec<DiffOp> {
        let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let tail = a[head..]
            .iter()
            .rev()
            .zip(b[head..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (ae, be) = (a.len() - tail, b.len() - tail);
        let mut out = Ops::default();
        out.equal(0, 0, head);
        // Lines unique on both sides of the middle, in `b`'s order.
        let mut seen: HashMap<&str, (usize, usize, usize)> = HashMap::new();
        for (i, l) in a[head..ae].iter().enumerate() {
            let e = seen.entry(l).or_insert((0, 0, head + i));
            e.0 += 1;
        }
        let mut pairs = Vec::new();
        for (j, l) in b[head..be].iter().enumerate() {
            if let Some(e) = seen.get_mut(l) {
                e.1 += 1;
                if e.1 == 1 {
                    pairs.push((e.2, head + j));
                }
            }
        }
        pairs.retain(|&(i, _)| seen[a[i]].0 == 1 && seen[a[i]].1 == 1);
        let (mut i, mut j) = (head, head);
        for (ai, bj) in longest_increasing(&pairs) {
            out.gap(a, b, i..ai, j..bj);
            out.equal(ai, bj, 1);
            (i, j) = (ai + 1, bj + 1);
        }
        out.gap(a, b, i..ae, j..be);
        out.equal(ae, be, tail);
        out.0
    }

    /// The longest chain of `pairs` (in increasing second component) whose
    /// first components also increase (patience sorting, O(n log n)).
    fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let mut tops: Vec<usize> = Vec::new(); // index into pairs, per pile
        let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
        for (k, &(ai, _)) in pairs.iter().enumerate() {
            let pile = tops.partition_point(|&t| pairs[t].0 < ai);
            back[k] = pile.checked_sub(1).map(|p| tops[p]);
            if pile == tops.len() {
                tops.push(k);
            } else {
                tops[pile] = k;
            }
        }
        let mut chain = Vec::new();
        let mut at = tops.last().copied();
        while let Some(k) = at {
            chain.push(pairs[k]);
            at = back[k];
        }
        chain.reverse();
        chain
    }

    #[derive(Default)]
    struct Ops(Vec<DiffOp>);

    impl Ops {
        fn equal(&mut self, old_index: usize, new_index: usize, len: usize) {
            if len == 0 {
                return;
            }
            if let Some(DiffOp::Equal { len: l, .. }) = self.0.last_mut() {
                *l += len;
                return;
            }
            self.0.push(DiffOp::Equal {
                old_index,
                new_index,
                len,
            });
        }

        fn gap(
            &mut self,
            a: &[&str],
            b: &[&str],
            old: std::ops::Range<usize>,
            new: std::ops::Range<usize>,
        ) {
            let (n, m) = (old.len(), new.len());
            if n == 0 && m == 0 {
                return;
            }
            if n > 0 && m > 0 && (n + m) * (n + m) <= GAP_BUDGET {
                let inner = similar::capture_diff_slices(
                    Algorithm::Myers,
                    &a[old.clone()],
                    &b[new.clone()],
                );
                for op in inner {
                    let (o, w) = (old.start, new.start);
                    match op {
                        DiffOp::Equal {
                            old_index,
                            new_index,
                            len,
                        } => self.equal(o + old_index, w + new_index, len),
                        DiffOp::Delete {
                            old_index,
                            old_len,
                            new_index,
                        } => self.0.push(DiffOp::Delete {
                            old_index: o + old_index,
                            old_len,
                            new_index: w + new_index,
                        }),
                        DiffOp::Insert {
                            old_index,
                            new_index,
                            new_len,
                        } => self.0.push(DiffOp::Insert {
                            old_index: o + old_index,
                            new_index: w + new_index,
                            new_len,
                        }),
                        DiffOp::Replace {
                            old_index,
                            old_len,
                            new_index,
                            new_len,
                        } => self.0.push(DiffOp::Replace {
                            old_index: o + old_index,
                            old_len,
                            new_index: w + new_index,
                            new_len,
                        }),
                    }
                }
                return;
            }
            self.0.push(match (n, m) {
                (_, 0) => DiffOp::Delete {
                    old_index: old.start,
                    old_len: n,
                    new_index: new.start,
                },
                (0, _) => DiffOp::Insert {
                    old_index: old.start,
                    new_index: new.start,
                    new_len: m,
                },
                _ => DiffOp::Replace {
                    old_index: old.start,
                    old_len: n,
                    new_index: new.start,
                    new_len: m,
                },
            });
        }
    }

    /// `ops` as similar prints a unified diff from `a` to `b`.
    pub fn format(path: &str, a: &[&str], b: &[&str], ops: Vec<DiffOp>, radius: usize) -> String {
        let mut out = String::new();
        let mut header = true;
        for hunk in similar::group_diff_ops(ops, radius) {
            if hunk.is_empty() {
                continue;
            }
            if header {
                let _ = writeln!(out, "--- a/{path}\n+++ b/{path}");
                header = false;
            }
            let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&hunk));
            for op in &hunk {
                let (old, new) = (op.old_range(), op.new_range());
                let lines: Vec<(char, &str)> = match op {
                    DiffOp::Equal { .. } => a[old].iter().map(|l| (' ', *l)).collect(),
                    DiffOp::Delete { .. } => a[old].iter().map(|l| ('-', *l)).collect(),
                    DiffOp::Insert { .. } => b[new].iter().map(|l| ('+', *l)).collect(),
                    DiffOp::Replace { .. } => a[old]
                        .iter()
                        .map(|l| ('-', *l))
                        .chain(b[new].iter().map(|l| ('+', *l)))
                        .collect(),
                };
                for (sign, line) in lines {
                    out.push(sign);
                    out.push_str(line);
                    if !line.ends_with(['\r', '\n']) {
                        out.push_str("\n\\ No newline at end of file\n");
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize, migrated: bool) -> String {
        let mut s = String::from("up:\n");
        for k in 0..n {
            if migrated {
                s.push_str(&format!("\tdocker run --network net --name c{k} img\n"));
            } else {
                s.push_str(&format!(
                    "\tdocker run --name c{k} --link c{}:dep img\n",
                    k + 1
                ));
            }
        }
        s.push_str("\ndown:\n");
        for k in 0..n {
            s.push_str(&format!("\tdocker rm -f c{k}\n"));
        }
        if migrated {
            s.push_str("\tdocker network rm net");
        }
        s
    }

    /// Where both are shortest and the anchors are unambiguous, the
    /// anchored diff prints what similar prints.
    #[test]
    fn anchored_diff_matches_similar_on_plain_edits() {
        let cases = [
            (chain(50, false), chain(50, true)),
            ("a\nb\nc\n".to_string(), "a\nB\nc".to_string()),
            ("x\r\ny\r\nz\r\n".into(), "x\r\nY\r\nz\r\nw\r\n".into()),
            ("".into(), "new\n".into()),
            ("old".into(), "".into()),
            (
                (0..200).map(|i| format!("line {i}\n")).collect(),
                (0..200)
                    .map(|i| {
                        if i % 40 == 7 {
                            format!("LINE {i}\n")
                        } else {
                            format!("line {i}\n")
                        }
                    })
                    .collect(),
            ),
        ];
        for (old, new) in cases {
            let exact = unified_diff_with_budget("f", old.as_bytes(), new.as_bytes(), usize::MAX);
            let cheap = unified_diff_with_budget("f", old.as_bytes(), new.as_bytes(), 0);
            assert_eq!(exact, cheap, "{old:?} -> {new:?}");
        }
    }

    /// Whatever it picks, the anchored diff turns the old text into the new.
    #[test]
    fn anchored_diff_is_a_valid_diff() {
        let cases = [
            ("a\nb\na\nb\nc\n", "b\na\nc\na\nb\n"),
            ("\n\n\nx\n\n", "\nx\n\n\n\n\ny"),
            ("p\rq\rr", "p\rr\rq\r"),
        ];
        for (old, new) in cases {
            let a = split_lines(old);
            let b = split_lines(new);
            let ops = anchored::ops(&a, &b);
            let (mut x, mut y) = (String::new(), String::new());
            for op in &ops {
                for l in &a[op.old_range()] {
                    x.push_str(l);
                }
                for l in &b[op.new_range()] {
                    y.push_str(l);
                }
                if let similar::DiffOp::Equal { .. } = op {
                    assert_eq!(a[op.old_range()], b[op.new_range()]);
                }
            }
            assert_eq!((x.as_str(), y.as_str()), (old, new));
        }
    }
}
