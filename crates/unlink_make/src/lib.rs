//! Makefiles, read the way GNU make reads them, as far as unlink needs.
//!
//! This crate turns a Makefile's bytes into located facts: its variable
//! assignments (so `DB := $(PREFIX)-db` resolves), its rules and targets, and
//! every recipe line with the exact bytes make hands to the shell. The
//! shell-level reading of a recipe (words, quotes, `$(VAR)`, `$$`) is
//! [`unlink_shell`]'s job in its make dialect; the docker-level reading is
//! `unlink_docker`'s.
//!
//! What it follows of make:
//! - a recipe line starts with a tab inside a rule; `\`+newline continues it
//!   and make passes the continuation to the shell (dropping one tab);
//! - `@`, `-` and `+` prefixes, in any mix, are make's, not the shell's;
//! - `target: prereqs ; command` puts a recipe on the rule line;
//! - `=`, `:=`, `::=`, `:::=`, `?=`, `+=` and `!=` assignments, with `override`
//!   and `export`; `define NAME … endef` blocks, whose recipe-like lines are
//!   reported but never edited;
//! - comments outside recipes (`#` to the end of the line), conditionals
//!   (`ifeq`, `ifdef`, …: both branches are read, since which one runs is
//!   only known at run time).
//!
//! Variable values are expanded lazily with a depth limit, so recursive
//! definitions cannot hang; functions (`$(shell …)`, `$(patsubst …)`) are
//! unknown values, never guessed.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// How many variable references one expansion may follow. A value that needs
/// more (ten references per level, a few levels deep, is a billion steps) is
/// not a name anyone wrote: it counts as unknown.
const EXPANSION_BUDGET: usize = 1000;

/// How a variable was assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Recursive,
    Simple,
    Conditional,
    Append,
    Shell,
}

/// One variable assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub op: AssignOp,
    pub value: String,
    /// The whole assignment line(s).
    pub span: Range<usize>,
}

/// One recipe line (continuations included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeLine {
    /// The rule's first target, when known: one string shared by all of
    /// the rule's lines.
    pub target: Option<Arc<str>>,
    /// From the first byte of the physical line to the end of the logical
    /// line (before its newline).
    pub span: Range<usize>,
    /// Where the shell text starts (after the tab and the `@-+` prefixes).
    pub shell_start: usize,
    /// The line's leading bytes up to the shell text (`\t@`): reuse them for
    /// a line inserted next to this one. Borrowed for the usual ones.
    pub prefix: Cow<'static, str>,
    /// Inside `define NAME … endef`: the block's name.
    pub in_define: Option<Arc<str>>,
}

/// A recipe line's prefix as text: the usual ones (`\t`, `\t@`, `\t-`, …)
/// borrowed, since a generated Makefile has tens of thousands of lines.
pub fn prefix_text(bytes: &[u8]) -> Cow<'static, str> {
    const USUAL: [&str; 8] = ["\t", "\t@", "\t-", "\t+", "\t@-", "\t-@", "\t@+", "\t+@"];
    match USUAL.iter().find(|p| p.as_bytes() == bytes) {
        Some(p) => Cow::Borrowed(p),
        None => String::from_utf8_lossy(bytes).into_owned().into(),
    }
}

/// A rule line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub targets: Vec<String>,
    pub span: Range<usize>,
}

/// What a Makefile holds.
#[derive(Debug, Clone, Default)]
pub struct Makefile {
    pub assignments: Vec<Assignment>,
    pub rules: Vec<Rule>,
    pub recipes: Vec<RecipeLine>,
    /// `NAME` → index into `assignments` of the definitions, in order.
    by_name: HashMap<String, Vec<usize>>,
}

/// Split `src` into physical lines: (start, end before the line ending, next line start).
fn physical_lines(src: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < src.len() {
        let nl = src[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| start + i);
        let (end, next) = match nl {
            Some(i) => (
                if i > start && src[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                },
                i + 1,
            ),
            None => (src.len(), src.len()),
        };
        out.push((start, end, next));
        start = next;
    }
    out
}

/// True when the line ends with an odd number of backslashes.
fn continues(line: &[u8]) -> bool {
    line.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Read a Makefile.
pub fn read(src: &[u8]) -> Makefile {
    let lines = physical_lines(src);
    let mut mk = Makefile::default();
    let mut i = 0;
    let mut in_rule = false;
    let mut current_target: Option<Arc<str>> = None;
    let mut define: Option<(String, usize, AssignOp, usize)> = None; // name, body start, op, line start
    while i < lines.len() {
        let (start, end, _) = lines[i];
        let line = &src[start..end];
        // Inside `define … endef`.
        if let Some((name, body_start, op, def_start)) = &define {
            let trimmed = trim_ascii(line);
            if trimmed == b"endef"
                || trimmed.starts_with(b"endef ")
                || trimmed.starts_with(b"endef\t")
            {
                let body_end = if start > *body_start {
                    start - 1
                } else {
                    *body_start
                };
                let body_end = if body_end > *body_start && src[body_end - 1] == b'\r' {
                    body_end - 1
                } else {
                    body_end
                };
                let value = String::from_utf8_lossy(&src[*body_start..body_end.max(*body_start)])
                    .into_owned();
                mk.push_assignment(Assignment {
                    name: name.clone(),
                    op: *op,
                    value,
                    span: *def_start..end,
                });
                define = None;
                i += 1;
                continue;
            }
            // Recipe-like lines inside the block are recorded for reporting.
            let (last, _) = logical_end(src, &lines, i);
            let name: Arc<str> = Arc::from(name.as_str());
            let text_start = start
                + line
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
            let text_start = skip_prefixes(src, text_start, lines[last].1);
            mk.recipes.push(RecipeLine {
                target: current_target.clone(),
                span: start..lines[last].1,
                shell_start: text_start,
                prefix: prefix_text(&src[start..text_start]),
                in_define: Some(name),
            });
            i = last + 1;
            continue;
        }
        if in_rule && line.first() == Some(&b'\t') {
            let (last, _) = logical_end(src, &lines, i);
            let shell_start = skip_prefixes(src, start + 1, lines[last].1);
            mk.recipes.push(RecipeLine {
                target: current_target.clone(),
                span: start..lines[last].1,
                shell_start,
                prefix: prefix_text(&src[start..shell_start]),
                in_define: None,
            });
            i = last + 1;
            continue;
        }
        let (last, _) = logical_end(src, &lines, i);
        let logical_span = start..lines[last].1;
        let text = join_logical(src, &lines[i..=last]);
        i = last + 1;
        let without_comment = strip_comment(&text);
        let trimmed = without_comment.trim();
        if trimmed.is_empty() {
            // Blank and comment lines do not end a rule.
            continue;
        }
        if let Some(rest) = directive(trimmed, "define") {
            let (name, op) = parse_define_header(rest);
            let body_start = lines.get(last + 1).map_or(src.len(), |l| l.0);
            define = Some((name, body_start, op, logical_span.start));
            in_rule = false;
            continue;
        }
        if [
            "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude",
            "vpath", "unexport",
        ]
        .iter()
        .any(|d| directive(trimmed, d).is_some() || trimmed == *d)
        {
            continue;
        }
        if let Some(a) = parse_assignment(trimmed) {
            mk.push_assignment(Assignment {
                name: a.0,
                op: a.1,
                value: a.2,
                span: logical_span,
            });
            in_rule = false;
            continue;
        }
        if let Some((targets, recipe_at)) = parse_rule(&without_comment) {
            current_target = targets.first().map(|t| Arc::from(t.as_str()));
            mk.rules.push(Rule {
                targets,
                span: logical_span.clone(),
            });
            in_rule = true;
            if let Some(off) = recipe_at {
                // `target: deps ; command` — only for single physical lines,
                // where text offsets equal source offsets.
                if last == i - 1 && logical_span.len() == text.len() {
                    let shell_start =
                        skip_prefixes(src, logical_span.start + off, logical_span.end);
                    mk.recipes.push(RecipeLine {
                        target: current_target.clone(),
                        span: logical_span.clone(),
                        shell_start,
                        prefix: Cow::Borrowed("\t"),
                        in_define: None,
                    });
                }
            }
            continue;
        }
        in_rule = false;
    }
    mk
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &b[s..e.max(s)]
}

/// The last physical line of the logical line starting at `i`.
fn logical_end(src: &[u8], lines: &[(usize, usize, usize)], i: usize) -> (usize, ()) {
    let mut j = i;
    while j + 1 < lines.len() && continues(&src[lines[j].0..lines[j].1]) {
        j += 1;
    }
    (j, ())
}

/// A non-recipe logical line with `\`+newline (and surrounding blanks) folded to one space.
fn join_logical(src: &[u8], lines: &[(usize, usize, usize)]) -> String {
    let mut out = String::new();
    for (k, &(s, e, _)) in lines.iter().enumerate() {
        let mut piece = String::from_utf8_lossy(&src[s..e]).into_owned();
        if k > 0 {
            piece = piece.trim_start().to_string();
        }
        if k + 1 < lines.len() {
            piece.pop(); // the backslash
            piece = piece.trim_end().to_string();
            piece.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

fn skip_prefixes(src: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && matches!(src[at], b'@' | b'-' | b'+' | b' ' | b'\t') {
        at += 1;
    }
    at
}

fn strip_comment(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(&n) = chars.peek() {
                    if n == '#' {
                        out.push('#');
                        chars.next();
                        continue;
                    }
                }
                out.push(c);
            }
            '#' => break,
            _ => out.push(c),
        }
    }
    out
}

fn directive<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(name)?;
    if rest.is_empty() {
        return Some("");
    }
    rest.starts_with([' ', '\t', '(']).then_some(rest)
}

fn parse_define_header(rest: &str) -> (String, AssignOp) {
    let rest = rest.trim();
    for (op, kind) in [
        (":::=", AssignOp::Simple),
        ("::=", AssignOp::Simple),
        (":=", AssignOp::Simple),
        ("?=", AssignOp::Conditional),
        ("+=", AssignOp::Append),
        ("!=", AssignOp::Shell),
        ("=", AssignOp::Recursive),
    ] {
        if let Some(name) = rest.strip_suffix(op) {
            return (name.trim().to_string(), kind);
        }
    }
    (rest.to_string(), AssignOp::Recursive)
}

/// `[override] [export] NAME op value`.
fn parse_assignment(line: &str) -> Option<(String, AssignOp, String)> {
    let mut rest = line;
    while let Some(r) = directive(rest, "override")
        .or_else(|| directive(rest, "export"))
        .or_else(|| directive(rest, "private"))
    {
        rest = r.trim_start();
    }
    // Find the operator: the first `=` not inside `$(…)`, checking what precedes it.
    let bytes = rest.as_bytes();
    let mut depth = 0i32;
    for (k, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b'=' if depth == 0 => {
                let (op, name_end) = if rest[..k].ends_with(":::") {
                    (AssignOp::Simple, k - 3)
                } else if rest[..k].ends_with("::") {
                    (AssignOp::Simple, k - 2)
                } else if rest[..k].ends_with(':') {
                    (AssignOp::Simple, k - 1)
                } else if rest[..k].ends_with('?') {
                    (AssignOp::Conditional, k - 1)
                } else if rest[..k].ends_with('+') {
                    (AssignOp::Append, k - 1)
                } else if rest[..k].ends_with('!') {
                    (AssignOp::Shell, k - 1)
                } else {
                    (AssignOp::Recursive, k)
                };
                let name = rest[..name_end].trim();
                if name.is_empty() || name.contains([':', ' ', '\t']) {
                    return None;
                }
                return Some((name.to_string(), op, rest[k + 1..].trim_start().to_string()));
            }
            // A `:` not followed by `=` makes this a rule.
            b':' if depth == 0
                && !rest[k..].starts_with(":=")
                && !rest[k..].starts_with("::=")
                && !rest[k..].starts_with(":::=") =>
            {
                return None;
            }
            _ => {}
        }
    }
    None
}

/// `targets : prereqs [; recipe]` → (targets, offset of the recipe text in `line`).
fn parse_rule(line: &str) -> Option<(Vec<String>, Option<usize>)> {
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    let mut colon = None;
    for (k, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b':' if depth == 0 => {
                colon = Some(k);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let targets: Vec<String> = line[..colon]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if targets.is_empty() {
        return None;
    }
    let after = &line[colon..];
    let recipe_at = after.find(';').map(|k| colon + k + 1);
    Some((targets, recipe_at))
}

impl Makefile {
    fn push_assignment(&mut self, a: Assignment) {
        self.by_name
            .entry(a.name.clone())
            .or_default()
            .push(self.assignments.len());
        self.assignments.push(a);
    }

    /// The raw (unexpanded) value of `name`, combining `+=` appends. `?=`
    /// counts when nothing else set the variable.
    pub fn raw_value(&self, name: &str) -> Option<String> {
        let defs = self.by_name.get(name)?;
        let mut value: Option<String> = None;
        for &k in defs {
            let a = &self.assignments[k];
            match a.op {
                AssignOp::Shell => value = None,
                AssignOp::Conditional => {
                    if value.is_none() {
                        value = Some(a.value.clone());
                    }
                }
                AssignOp::Append => {
                    value = Some(match value {
                        Some(v) if !v.is_empty() => format!("{v} {}", a.value),
                        _ => a.value.clone(),
                    })
                }
                AssignOp::Recursive | AssignOp::Simple => value = Some(a.value.clone()),
            }
        }
        value
    }

    /// True when `name` is assigned with `!=` (a shell command's output).
    pub fn is_shell_assigned(&self, name: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|d| d.iter().any(|&k| self.assignments[k].op == AssignOp::Shell))
    }

    /// The expanded value of `name`, or `None` when any part of it is only
    /// known at run time.
    pub fn value(&self, name: &str) -> Option<String> {
        self.expand_var(name, 0, &Cell::new(EXPANSION_BUDGET))
    }

    fn expand_var(&self, name: &str, depth: usize, budget: &Cell<usize>) -> Option<String> {
        if depth > 16 || budget.get() == 0 {
            return None;
        }
        budget.set(budget.get() - 1);
        let name = name.trim();
        if name.contains([' ', '\t', ',']) {
            // A function call such as `shell cat x` or `patsubst …`.
            return None;
        }
        let raw = self.raw_value(name)?;
        self.expand_with(&raw, depth + 1, budget)
    }

    /// Expand `$(VAR)`, `${VAR}`, `$X` and `$$` in `text`.
    pub fn expand(&self, text: &str, depth: usize) -> Option<String> {
        self.expand_with(text, depth, &Cell::new(EXPANSION_BUDGET))
    }

    fn expand_with(&self, text: &str, depth: usize, budget: &Cell<usize>) -> Option<String> {
        let b = text.as_bytes();
        let mut out = String::new();
        let mut k = 0;
        while k < b.len() {
            if b[k] != b'$' {
                let next = text[k..].find('$').map_or(b.len(), |i| k + i);
                out.push_str(&text[k..next]);
                k = next;
                continue;
            }
            match b.get(k + 1) {
                Some(b'$') => {
                    out.push('$');
                    k += 2;
                }
                Some(&open @ (b'(' | b'{')) => {
                    let close = if open == b'(' { b')' } else { b'}' };
                    let mut level = 0;
                    let mut e = k + 1;
                    while e < b.len() {
                        if b[e] == open {
                            level += 1;
                        } else if b[e] == close {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        e += 1;
                    }
                    if e >= b.len() {
                        return None;
                    }
                    out.push_str(&self.expand_var(&text[k + 2..e], depth, budget)?);
                    k = e + 1;
                }
                Some(_) => {
                    let c = text[k + 1..].chars().next()?;
                    out.push_str(&self.expand_var(&c.to_string(), depth, budget)?);
                    k += 1 + c.len_utf8();
                }
                None => {
                    out.push('$');
                    k += 1;
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = ".PHONY: build\nbuild:\n\tdocker build -t reaandrew/nginx-secure ./proxy\n\n.PHONY: run\nrun: build\n\tdocker run --name todos-secure --read-only \\\n\t\t-d -t reaandrew/todos-secure\n\n\tdocker run --name nginx-secure \\\n\t\t--link todos-secure:todos \\\n\t\t-d -p 8080:8080 -t reaandrew/nginx-secure\n\n\n.PHONY: kill\nkill:\n\t@docker kill nginx-secure 2> /dev/null || :\n";

    #[test]
    fn recipes_with_targets_and_continuations() {
        let mk = read(SEED.as_bytes());
        let r: Vec<_> = mk
            .recipes
            .iter()
            .map(|r| (r.target.clone().unwrap(), &SEED[r.shell_start..r.span.end]))
            .collect();
        assert_eq!(r.len(), 4);
        assert_eq!(&*r[0].0, "build");
        assert_eq!(
            r[1],
            (
                "run".into(),
                "docker run --name todos-secure --read-only \\\n\t\t-d -t reaandrew/todos-secure"
            )
        );
        assert_eq!(&*r[2].0, "run");
        assert_eq!(
            r[3],
            ("kill".into(), "docker kill nginx-secure 2> /dev/null || :")
        );
        assert_eq!(mk.recipes[3].prefix, "\t@");
    }

    #[test]
    fn variables_resolve_through_references() {
        let mk = read(b"PREFIX ?= app\nDB := $(PREFIX)-db\noverride export WEB = ${PREFIX}-web\nOPTS = -d\nOPTS += --rm\nCID != cat db.cid\nX = $(shell cat x)\nY=$(Y)\n");
        assert_eq!(mk.value("DB").as_deref(), Some("app-db"));
        assert_eq!(mk.value("WEB").as_deref(), Some("app-web"));
        assert_eq!(mk.value("OPTS").as_deref(), Some("-d --rm"));
        assert_eq!(mk.value("CID"), None);
        assert_eq!(mk.value("X"), None);
        assert_eq!(mk.value("Y"), None, "recursion is cut off");
        assert!(mk.is_shell_assigned("CID"));
    }

    #[test]
    fn conditional_assignment_yields_to_plain() {
        let mk = read(b"A = 1\nA ?= 2\n");
        assert_eq!(mk.value("A").as_deref(), Some("1"));
    }

    #[test]
    fn define_blocks_are_marked() {
        let src = "define RUN_DB\n\tdocker run --link a:b img\nendef\nall:\n\t$(RUN_DB)\n";
        let mk = read(src.as_bytes());
        assert_eq!(mk.recipes.len(), 2);
        assert_eq!(mk.recipes[0].in_define.as_deref(), Some("RUN_DB"));
        assert_eq!(mk.recipes[1].in_define, None);
        assert_eq!(
            mk.value("RUN_DB").as_deref(),
            Some("\tdocker run --link a:b img")
        );
    }

    #[test]
    fn rule_line_recipe() {
        let src = "up: ; docker run --link a:b img\n";
        let mk = read(src.as_bytes());
        assert_eq!(
            &src[mk.recipes[0].shell_start..mk.recipes[0].span.end],
            "docker run --link a:b img"
        );
    }

    #[test]
    fn crlf_lines() {
        let src = "run:\r\n\tdocker run \\\r\n\t\t--link a:b img\r\n";
        let mk = read(src.as_bytes());
        assert_eq!(
            &src[mk.recipes[0].shell_start..mk.recipes[0].span.end],
            "docker run \\\r\n\t\t--link a:b img"
        );
    }

    #[test]
    fn comments_and_blank_lines_keep_the_rule_open() {
        let src = "run:\n\tdocker run a\n# note\n\n\tdocker run b\nX = 1\n\tnot a recipe\n";
        let mk = read(src.as_bytes());
        assert_eq!(mk.recipes.len(), 2);
    }
}
