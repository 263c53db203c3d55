//! Turning host references into edits.
//!
//! An edit replaces exactly the bytes of one hostname, so spacing, quotes,
//! comments, ports, paths and line endings around it are untouched.

use unlink_edit::Edit;

use crate::util::host_eq;
use crate::HostRef;

/// Why a reference to a mapped alias got no edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The reference is reported only ([`HostRef::rewritable`] is false).
    NotRewritable,
    /// The new host is itself an alias the map sends elsewhere
    /// (`a → b`, `b → c`): rewriting `a` to `b` would make the next run
    /// rewrite it again to `c`, so `a` is left for the planner to keep.
    Chained { next: String },
    /// The new host is not a hostname (`[A-Za-z0-9_.-]+`).
    InvalidHost,
    /// The bytes at the span are not the host the reference names (the text
    /// changed since it was scanned).
    SpanMismatch,
}

/// A reference that got no edit, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub host_ref: HostRef,
    pub reason: SkipReason,
}

/// The edits for one file, and the references left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rewrite {
    pub edits: Vec<Edit>,
    pub skipped: Vec<Skipped>,
}

/// Plan the edits that rename each alias in `map` (alias → new host) at the
/// references in `refs`. Aliases match ASCII-case-insensitively; references
/// to hosts not in the map are ignored; an alias mapped to itself needs no
/// edit. The result is idempotent: applied, then scanned and planned again
/// with the same map, it yields no edits.
///
/// ```
/// use unlink_hostnames::{nginx, rewrite::plan_rewrite};
/// let t = b"proxy_pass   http://todos:8080;";
/// let refs = nginx::scan(t).hosts;
/// let plan = plan_rewrite(t, &refs, [("todos", "todos-secure")]);
/// let out = unlink_edit::apply(t, plan.edits).unwrap();
/// assert_eq!(out, b"proxy_pass   http://todos-secure:8080;");
/// ```
pub fn plan_rewrite<K, V>(
    text: &[u8],
    refs: &[HostRef],
    map: impl IntoIterator<Item = (K, V)>,
) -> Rewrite
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let map: Vec<(String, String)> = map
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
        .collect();
    let lookup = |host: &str| -> Option<&str> {
        map.iter()
            .find(|(k, _)| host_eq(host.as_bytes(), k))
            .map(|(_, v)| v.as_str())
    };
    let mut out = Rewrite::default();
    for r in refs {
        let Some(new) = lookup(&r.host) else { continue };
        if host_eq(r.host.as_bytes(), new) {
            // Mapped to itself (or only the case differs, which DNS ignores).
            continue;
        }
        let skip = |reason| Skipped {
            host_ref: r.clone(),
            reason,
        };
        if !r.rewritable {
            out.skipped.push(skip(SkipReason::NotRewritable));
            continue;
        }
        if new.is_empty() || !new.bytes().all(crate::util::is_host_byte) {
            out.skipped.push(skip(SkipReason::InvalidHost));
            continue;
        }
        if let Some(next) = lookup(new) {
            if !host_eq(new.as_bytes(), next) {
                out.skipped.push(skip(SkipReason::Chained {
                    next: next.to_string(),
                }));
                continue;
            }
        }
        if r.span.end > text.len() || !host_eq(&text[r.span.clone()], &r.host) {
            out.skipped.push(skip(SkipReason::SpanMismatch));
            continue;
        }
        out.edits.push(Edit::replace(r.span.clone(), new));
    }
    out.edits.sort();
    out.edits.dedup();
    out
}

/// The edits of [`plan_rewrite`], without the list of skipped references.
pub fn rewrite_edits<K, V>(
    text: &[u8],
    refs: &[HostRef],
    map: impl IntoIterator<Item = (K, V)>,
) -> Vec<Edit>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    plan_rewrite(text, refs, map).edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{find_host_refs, FileKind};

    #[test]
    fn chains_are_not_followed() {
        let t = b"A=http://a:1 B=http://b:2";
        let refs = find_host_refs(FileKind::Other, t, &["a", "b"]);
        let plan = plan_rewrite(t, &refs, [("a", "b"), ("b", "c")]);
        assert_eq!(plan.edits, vec![Edit::replace(22..23, "c")]);
        assert!(matches!(plan.skipped[0].reason, SkipReason::Chained { .. }));
    }

    #[test]
    fn identity_case_and_invalid() {
        let t = b"http://DB:1 http://web:2";
        let refs = find_host_refs(FileKind::Other, t, &["db", "web"]);
        assert_eq!(refs.len(), 2);
        let plan = plan_rewrite(t, &refs, [("db", "db"), ("web", "a b")]);
        assert!(plan.edits.is_empty());
        assert_eq!(plan.skipped.len(), 1);
        assert_eq!(plan.skipped[0].reason, SkipReason::InvalidHost);
    }

    #[test]
    fn stale_spans_are_refused() {
        let t = b"http://db:1";
        let mut refs = find_host_refs(FileKind::Other, t, &["db"]);
        refs[0].span = 0..2;
        let plan = plan_rewrite(t, &refs, [("db", "pg")]);
        assert!(plan.edits.is_empty());
        assert_eq!(plan.skipped[0].reason, SkipReason::SpanMismatch);
    }

    #[test]
    fn reported_refs_are_skipped() {
        let t = b"FROM x\nRUN echo db > /f\n";
        let refs = find_host_refs(FileKind::Dockerfile, t, &["db"]);
        let plan = plan_rewrite(t, &refs, [("db", "pg")]);
        assert!(plan.edits.is_empty());
        assert_eq!(plan.skipped[0].reason, SkipReason::NotRewritable);
    }
}
