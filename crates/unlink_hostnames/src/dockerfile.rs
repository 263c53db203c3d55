//! A Dockerfile reader with exact byte spans: parser directives (`# escape=`),
//! instructions with line continuations (comment lines inside a continuation
//! are dropped, as BuildKit does), heredocs, and the facts unlink needs —
//! `FROM` images and stages, `COPY`/`ADD` sources, `EXPOSE` ports, `ENV` and
//! `ARG` values, and the text of `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK`.

use std::ops::Range;

use crate::generic::{command_refs, env_value_refs, CommandContext, Unclear};
use crate::linkvars::{dollar_reads, LinkVarRead, PortSpec};
use crate::util::{is_space, lines, text_of};
use crate::HostRef;

/// One instruction, possibly over several lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-cased keyword (`RUN`, `FROM`, …).
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of its last line (heredoc bodies excluded).
    pub span: Range<usize>,
    /// The argument text, one range per physical line, without the escape
    /// character and newline of a continuation and without comment lines.
    pub pieces: Vec<Range<usize>>,
    pub heredocs: Vec<Heredoc>,
    /// Index of the build stage (0 for the first `FROM` and what precedes it).
    pub stage: usize,
}

/// A heredoc body (`RUN <<EOF … EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// The body lines, from the line after the instruction to the start of
    /// the delimiter line.
    pub body: Range<usize>,
}

/// A `FROM` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub image: String,
    pub image_span: Range<usize>,
    /// `AS name`.
    pub stage_name: Option<String>,
    pub stage: usize,
}

/// A source of `COPY`/`ADD` from the build context (`--from=` copies are
/// left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    pub keyword: String,
    pub source: String,
    pub span: Range<usize>,
    pub stage: usize,
}

/// One word of `EXPOSE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expose {
    pub text: String,
    pub span: Range<usize>,
    /// `None` when the word is not a literal port (`$PORT`).
    pub ports: Option<Vec<PortSpec>>,
    pub stage: usize,
}

/// An `ENV` or `ARG` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value with quotes removed; `None` for `ARG NAME` without default.
    pub value: Option<String>,
    /// The value's bytes as written (quotes included).
    pub value_span: Option<Range<usize>>,
    pub stage: usize,
}

/// A `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK` instruction's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub keyword: String,
    /// From the first to the last argument byte (may contain continuations).
    pub span: Range<usize>,
    /// Exec (JSON array) form.
    pub json: bool,
    pub stage: usize,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: u8,
    pub instructions: Vec<Instruction>,
    pub from: Vec<From>,
    pub copy_sources: Vec<CopySource>,
    pub expose: Vec<Expose>,
    pub env: Vec<KeyValue>,
    pub args: Vec<KeyValue>,
    pub commands: Vec<Command>,
}

/// The ports the built image exposes, as far as this file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedPorts {
    pub ports: Vec<PortSpec>,
    /// The external image the final stage builds on (`None` for `scratch`).
    /// Its own `EXPOSE` is inherited and not known here.
    pub base: Option<String>,
    /// False when an `EXPOSE` word is not a literal port.
    pub all_literal: bool,
}

impl ExposedPorts {
    /// True when `ports` is the image's whole exposed set.
    pub fn complete(&self) -> bool {
        self.base.is_none() && self.all_literal
    }
}

/// A word of an instruction, in logical (continuation-free) coordinates.
struct Word {
    range: Range<usize>,
    value: String,
}

/// The argument text of an instruction with the continuations removed, and
/// the map from each logical byte back to the file.
struct Logical {
    bytes: Vec<u8>,
    map: Vec<usize>,
}

impl Logical {
    fn new(text: &[u8], pieces: &[Range<usize>]) -> Self {
        let mut bytes = Vec::new();
        let mut map = Vec::new();
        // A continuation joins the lines without a separator, as BuildKit does.
        for p in pieces {
            for k in p.clone() {
                bytes.push(text[k]);
                map.push(k);
            }
        }
        Logical { bytes, map }
    }

    /// Map a logical range back to the file.
    fn span(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let at = self
                .map
                .get(r.start)
                .copied()
                .unwrap_or_else(|| self.map.last().map_or(0, |m| m + 1));
            return at..at;
        }
        self.map[r.start]..self.map[r.end - 1] + 1
    }

    fn words(&self, escape: u8) -> Vec<Word> {
        let b = &self.bytes;
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if is_space(b[i]) {
                i += 1;
                continue;
            }
            let s = i;
            let mut value = Vec::new();
            while i < b.len() && !is_space(b[i]) {
                match b[i] {
                    q @ (b'"' | b'\'') => {
                        i += 1;
                        while i < b.len() && b[i] != q {
                            if q == b'"' && b[i] == escape && i + 1 < b.len() {
                                i += 1;
                            }
                            value.push(b[i]);
                            i += 1;
                        }
                        i += 1;
                    }
                    c if c == escape && i + 1 < b.len() => {
                        value.push(b[i + 1]);
                        i += 2;
                    }
                    c => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
            let e = i.min(b.len());
            out.push(Word {
                range: s..e,
                value: String::from_utf8_lossy(&value).into_owned(),
            });
        }
        out
    }
}

fn trim_end_ws(text: &[u8], r: Range<usize>) -> Range<usize> {
    let mut e = r.end;
    while e > r.start && matches!(text[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    r.start..e
}

fn first_non_ws(text: &[u8], r: Range<usize>) -> usize {
    let mut s = r.start;
    while s < r.end && matches!(text[s], b' ' | b'\t') {
        s += 1;
    }
    s
}

/// Parse a Dockerfile. Never fails; text it cannot read is skipped.
///
/// ```
/// let t = b"FROM nginx:1.27 AS web\nEXPOSE 8080 53/udp\nCOPY --chown=1:1 proxy.conf /etc/nginx/\n";
/// let d = unlink_hostnames::dockerfile::parse(t);
/// assert_eq!(d.from[0].image, "nginx:1.27");
/// assert_eq!(d.copy_sources[0].source, "proxy.conf");
/// assert_eq!(d.expose.len(), 2);
/// ```
pub fn parse(text: &[u8]) -> Dockerfile {
    let ls = lines(text);
    let mut escape = b'\\';
    let mut li = 0;
    // Parser directives: `# key=value` lines at the very top.
    while li < ls.len() {
        let l = &text[ls[li].clone()];
        let Some(rest) = l.strip_prefix(b"#") else {
            break;
        };
        let rest = String::from_utf8_lossy(rest);
        let Some((k, v)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().to_ascii_lowercase();
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphabetic()) {
            break;
        }
        if k == "escape" {
            match v.trim() {
                "`" => escape = b'`',
                "\\" => escape = b'\\',
                _ => {}
            }
        }
        li += 1;
    }
    let mut instructions = Vec::new();
    let mut stage = 0usize;
    let mut seen_from = false;
    while li < ls.len() {
        let line = ls[li].clone();
        let s = first_non_ws(text, line.clone());
        if s >= line.end || text[s] == b'#' {
            li += 1;
            continue;
        }
        let mut ke = s;
        while ke < line.end && !is_space(text[ke]) {
            ke += 1;
        }
        let keyword = text_of(text, s..ke).to_ascii_uppercase();
        let mut pieces = Vec::new();
        let mut piece = ke..line.end;
        let mut last_line_end = line.end;
        li += 1;
        loop {
            let t = trim_end_ws(text, piece.clone());
            if t.end > t.start && text[t.end - 1] == escape {
                pieces.push(piece.start..t.end - 1);
                // Continue on the next line that is not a comment or blank.
                let mut next = None;
                while li < ls.len() {
                    let l = ls[li].clone();
                    let fs = first_non_ws(text, l.clone());
                    li += 1;
                    if fs < l.end && text[fs] == b'#' {
                        continue;
                    }
                    if fs >= l.end {
                        continue;
                    }
                    next = Some(l);
                    break;
                }
                match next {
                    Some(l) => {
                        last_line_end = l.end;
                        piece = l;
                    }
                    None => break,
                }
            } else {
                pieces.push(piece);
                break;
            }
        }
        if keyword == "FROM" {
            if seen_from {
                stage += 1;
            }
            seen_from = true;
        }
        // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"` in RUN/COPY/ADD.
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            let logical = Logical::new(text, &pieces);
            for delim in heredoc_delimiters(&logical.bytes) {
                let (strip_tabs, word) = delim;
                let start = ls.get(li).map_or(text.len(), |l| l.start);
                let mut end = text.len();
                let mut after = ls.len();
                for (k, l) in ls.iter().enumerate().skip(li) {
                    let mut c = &text[l.clone()];
                    if strip_tabs {
                        while let [b'\t', rest @ ..] = c {
                            c = rest;
                        }
                    }
                    if c == word.as_bytes() {
                        end = l.start;
                        after = k + 1;
                        break;
                    }
                }
                heredocs.push(Heredoc {
                    delimiter: word,
                    body: start..end.max(start),
                });
                li = after;
            }
        }
        instructions.push(Instruction {
            keyword,
            keyword_span: s..ke,
            span: s..last_line_end,
            pieces,
            heredocs,
            stage,
        });
    }
    let mut d = Dockerfile {
        escape,
        instructions: Vec::new(),
        from: Vec::new(),
        copy_sources: Vec::new(),
        expose: Vec::new(),
        env: Vec::new(),
        args: Vec::new(),
        commands: Vec::new(),
    };
    for ins in &instructions {
        read_facts(text, ins, &mut d);
    }
    d.instructions = instructions;
    d
}

pub(crate) fn heredoc_delimiters(b: &[u8]) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < b.len() {
        if &b[i..i + 2] == b"<<" && b.get(i + 2) != Some(&b'<') && (i == 0 || b[i - 1] != b'<') {
            let mut k = i + 2;
            let strip = b.get(k) == Some(&b'-');
            if strip {
                k += 1;
            }
            let quote = match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    k += 1;
                    Some(q)
                }
                _ => None,
            };
            let ws = k;
            while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_') {
                k += 1;
            }
            if k > ws && (quote.is_none() || b.get(k) == quote.as_ref()) {
                out.push((strip, String::from_utf8_lossy(&b[ws..k]).into_owned()));
            }
            i = k.max(i + 2);
        } else {
            i += 1;
        }
    }
    out
}

fn read_facts(text: &[u8], ins: &Instruction, d: &mut Dockerfile) {
    let logical = Logical::new(text, &ins.pieces);
    let words = logical.words(d.escape);
    let stage = ins.stage;
    match ins.keyword.as_str() {
        "FROM" => {
            let mut it = words.iter().filter(|w| !w.value.starts_with("--"));
            if let Some(img) = it.next() {
                let stage_name = match (it.next(), it.next()) {
                    (Some(a), Some(n)) if a.value.eq_ignore_ascii_case("as") => {
                        Some(n.value.clone())
                    }
                    _ => None,
                };
                d.from.push(From {
                    image: img.value.clone(),
                    image_span: logical.span(img.range.clone()),
                    stage_name,
                    stage,
                });
            }
        }
        "COPY" | "ADD" => {
            let from_other = words.iter().any(|w| w.value.starts_with("--from="));
            if from_other {
                return;
            }
            let trimmed = logical.bytes.iter().position(|b| !is_space(*b));
            let json = trimmed.is_some_and(|p| logical.bytes[p] == b'[');
            let args: Vec<(String, Range<usize>)> = if json {
                json_strings(&logical.bytes)
                    .into_iter()
                    .map(|(v, r)| (v, logical.span(r)))
                    .collect()
            } else {
                words
                    .iter()
                    .filter(|w| !w.value.starts_with("--"))
                    .map(|w| (w.value.clone(), logical.span(w.range.clone())))
                    .collect()
            };
            if args.len() >= 2 {
                for (v, r) in &args[..args.len() - 1] {
                    if v.starts_with("<<") {
                        continue;
                    }
                    d.copy_sources.push(CopySource {
                        keyword: ins.keyword.clone(),
                        source: v.clone(),
                        span: r.clone(),
                        stage,
                    });
                }
            }
        }
        "EXPOSE" => {
            for w in &words {
                d.expose.push(Expose {
                    text: w.value.clone(),
                    span: logical.span(w.range.clone()),
                    ports: PortSpec::parse(&w.value),
                    stage,
                });
            }
        }
        "ENV" | "ARG" => {
            let kvs = key_values(&logical, &words, ins.keyword == "ENV");
            for (key, kr, value, vr) in kvs {
                let kv = KeyValue {
                    key,
                    key_span: logical.span(kr),
                    value,
                    value_span: vr.map(|r| logical.span(r)),
                    stage,
                };
                if ins.keyword == "ENV" {
                    d.env.push(kv);
                } else {
                    d.args.push(kv);
                }
            }
        }
        "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK" => {
            let first = logical.bytes.iter().position(|b| !is_space(*b));
            let last = logical.bytes.iter().rposition(|b| !is_space(*b));
            if let (Some(f), Some(l)) = (first, last) {
                d.commands.push(Command {
                    keyword: ins.keyword.clone(),
                    span: logical.span(f..l + 1),
                    json: logical.bytes[f] == b'[',
                    stage,
                });
            }
        }
        _ => {}
    }
}

/// `KEY=value` words, or for `ENV KEY value…` (legacy form) the first word
/// and the rest of the line.
#[allow(clippy::type_complexity)]
fn key_values(
    logical: &Logical,
    words: &[Word],
    env: bool,
) -> Vec<(String, Range<usize>, Option<String>, Option<Range<usize>>)> {
    let mut out = Vec::new();
    if env && !words.is_empty() && !words[0].value.contains('=') {
        let k = &words[0];
        let rest = words
            .get(1)
            .map(|w| w.range.start..words.last().unwrap().range.end);
        let value = rest.as_ref().map(|r| {
            let v = Logical {
                bytes: logical.bytes[r.clone()].to_vec(),
                map: Vec::new(),
            };
            let vs: Vec<String> = v.words(b'\\').into_iter().map(|w| w.value).collect();
            vs.join(" ")
        });
        out.push((k.value.clone(), k.range.clone(), value, rest));
        return out;
    }
    for w in words {
        let raw = &logical.bytes[w.range.clone()];
        match raw.iter().position(|&b| b == b'=') {
            Some(p) => {
                let key = String::from_utf8_lossy(&raw[..p]).into_owned();
                let value = w
                    .value
                    .split_once('=')
                    .map_or(String::new(), |(_, v)| v.to_string());
                out.push((
                    key,
                    w.range.start..w.range.start + p,
                    Some(value),
                    Some(w.range.start + p + 1..w.range.end),
                ));
            }
            None => out.push((w.value.clone(), w.range.clone(), None, None)),
        }
    }
    out
}

/// The strings of a JSON array (`["a", "b\"c"]`), with ranges of their
/// contents (quotes excluded).
fn json_strings(b: &[u8]) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let s = i + 1;
            let mut k = s;
            let mut v = Vec::new();
            while k < b.len() && b[k] != b'"' {
                if b[k] == b'\\' && k + 1 < b.len() {
                    k += 1;
                }
                v.push(b[k]);
                k += 1;
            }
            out.push((String::from_utf8_lossy(&v).into_owned(), s..k.min(b.len())));
            i = k + 1;
        } else {
            i += 1;
        }
    }
    out
}

impl Dockerfile {
    /// The stage index a `FROM` names (by `AS` name or number), if it is a
    /// stage of this file.
    fn stage_named(&self, image: &str, before: usize) -> Option<usize> {
        if let Ok(n) = image.parse::<usize>() {
            return (n < before).then_some(n);
        }
        self.from
            .iter()
            .filter(|f| f.stage < before)
            .rev()
            .find(|f| {
                f.stage_name
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(image))
            })
            .map(|f| f.stage)
    }

    /// The chain of stages the final image is built from, last first, and
    /// the external image at its root (`None` for `scratch`).
    fn final_chain(&self) -> (Vec<usize>, Option<String>) {
        let mut chain = Vec::new();
        let Some(last) = self.from.last() else {
            return (chain, None);
        };
        let mut cur = last.stage;
        loop {
            chain.push(cur);
            let Some(f) = self.from.iter().find(|f| f.stage == cur) else {
                return (chain, None);
            };
            match self.stage_named(&f.image, cur) {
                Some(prev) if !chain.contains(&prev) => cur = prev,
                _ => {
                    let base = (!f.image.eq_ignore_ascii_case("scratch")).then(|| f.image.clone());
                    return (chain, base);
                }
            }
        }
    }

    /// The ports the final image exposes according to this file.
    pub fn exposed_ports(&self) -> ExposedPorts {
        let (chain, base) = self.final_chain();
        let mut ports = Vec::new();
        let mut all_literal = true;
        for e in self.expose.iter().filter(|e| chain.contains(&e.stage)) {
            match &e.ports {
                Some(p) => ports.extend(p.iter().cloned()),
                None => all_literal = false,
            }
        }
        crate::linkvars::sort_ports(&mut ports);
        ExposedPorts {
            ports,
            base,
            all_literal,
        }
    }

    /// `ENV` entries of the final image with literal values (no `$`), in
    /// order; a later entry wins.
    pub fn final_env(&self) -> Vec<(String, String)> {
        let (chain, _) = self.final_chain();
        let mut stages = chain.clone();
        stages.reverse();
        let mut out = Vec::new();
        for s in stages {
            for e in self.env.iter().filter(|e| e.stage == s) {
                if let Some(v) = &e.value {
                    if !v.contains('$') {
                        out.push((e.key.clone(), v.clone()));
                    }
                }
            }
        }
        out
    }
}

/// Host references to `aliases` in a Dockerfile: `ENV`/`ARG` values (see
/// [`env_value_refs`]), and in `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK` and
/// heredoc bodies URLs, assignments and the clear command forms (see
/// [`command_refs`]). A whole-word alias in no clear form is reported, not
/// rewritten, on a `RUN` line that writes a file and in heredocs; in `CMD`,
/// `ENTRYPOINT` and `HEALTHCHECK` it is ignored (a program named like the
/// alias). `FROM` images,
/// `COPY` paths and labels are never hosts.
pub fn dockerfile_refs<S: AsRef<str>>(text: &[u8], aliases: &[S]) -> Vec<HostRef> {
    let d = parse(text);
    let mut out = Vec::new();
    for (kvs, kw) in [(&d.env, "ENV"), (&d.args, "ARG")] {
        for kv in kvs.iter() {
            if let Some(vr) = &kv.value_span {
                for mut r in env_value_refs(&kv.key, text, vr.clone(), aliases) {
                    r.directive = format!("{kw} {}", kv.key);
                    out.push(r);
                }
            }
        }
    }
    for ins in &d.instructions {
        let kw = ins.keyword.as_str();
        if !matches!(kw, "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK") {
            if matches!(kw, "COPY" | "ADD") {
                for h in &ins.heredocs {
                    out.extend(heredoc_refs(text, h, aliases, kw));
                }
            }
            continue;
        }
        let unclear = if kw == "RUN" {
            Unclear::WhereWritten
        } else {
            Unclear::Ignore
        };
        for p in &ins.pieces {
            out.extend(command_refs(
                text,
                p.clone(),
                aliases,
                CommandContext {
                    directive: kw,
                    unclear,
                },
            ));
        }
        for h in &ins.heredocs {
            out.extend(heredoc_refs(text, h, aliases, kw));
        }
    }
    out.sort_by_key(|r| r.span.start);
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// A heredoc body: nginx config when it looks like one, else command text.
fn heredoc_refs<S: AsRef<str>>(text: &[u8], h: &Heredoc, aliases: &[S], kw: &str) -> Vec<HostRef> {
    let body = &text[h.body.clone()];
    if crate::classify::looks_like_nginx(body) {
        let base = h.body.start;
        return crate::nginx::scan(body)
            .refs_to(aliases)
            .into_iter()
            .map(|mut r| {
                r.span = r.span.start + base..r.span.end + base;
                r
            })
            .collect();
    }
    let directive = format!("{kw} <<{}", h.delimiter);
    command_refs(
        text,
        h.body.clone(),
        aliases,
        CommandContext {
            directive: &directive,
            unclear: Unclear::Report,
        },
    )
}

/// Link-variable reads in a Dockerfile: only where they happen at run time,
/// in `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, and in `RUN` text and heredocs
/// (scripts written at build time and run later). `$X` in `ENV`, `ARG`,
/// `LABEL`… is build-time substitution, when no link exists.
pub fn dockerfile_reads<S: AsRef<str>>(text: &[u8], aliases: &[S]) -> Vec<LinkVarRead> {
    let d = parse(text);
    let mut out = Vec::new();
    for ins in &d.instructions {
        if !matches!(
            ins.keyword.as_str(),
            "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK"
        ) {
            continue;
        }
        for p in &ins.pieces {
            out.extend(dollar_reads(text, p.clone(), aliases));
        }
        for h in &ins.heredocs {
            out.extend(crate::linkvars::shell_reads(text, h.body.clone(), aliases));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_and_comments() {
        let t = b"FROM alpine\nRUN apk add curl \\\n# a comment\n    && echo \"DB_HOST=db\" > /etc/app.env\n";
        let d = parse(t);
        assert_eq!(d.instructions.len(), 2);
        let run = &d.instructions[1];
        assert_eq!(run.pieces.len(), 2);
        assert_eq!(
            &t[run.pieces[1].clone()],
            b"    && echo \"DB_HOST=db\" > /etc/app.env"
        );
        let refs = dockerfile_refs(t, &["db"]);
        assert_eq!(refs.len(), 1);
        assert_eq!(&t[refs[0].span.clone()], b"db");
        assert!(refs[0].rewritable);
    }

    #[test]
    fn escape_directive() {
        let t = b"# escape=`\r\nFROM mcr.microsoft.com/windows\r\nRUN echo a `\r\n  b\r\n";
        let d = parse(t);
        assert_eq!(d.escape, b'`');
        assert_eq!(d.instructions[1].pieces.len(), 2);
    }

    #[test]
    fn from_copy_expose() {
        let t = br#"FROM --platform=linux/amd64 golang:1.22 AS build
COPY go.mod go.sum ./
FROM scratch
COPY --from=build /out/app /app
ADD ["conf/nginx.conf", "static dir/", "/etc/nginx/"]
COPY --chown=app:app --chmod=644 a.txt /a.txt
EXPOSE 8080 53/udp 7000-7001 $PORT
"#;
        let d = parse(t);
        assert_eq!(d.from.len(), 2);
        assert_eq!(d.from[0].stage_name.as_deref(), Some("build"));
        assert_eq!(d.from[0].image, "golang:1.22");
        let srcs: Vec<_> = d.copy_sources.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(
            srcs,
            vec![
                "go.mod",
                "go.sum",
                "conf/nginx.conf",
                "static dir/",
                "a.txt"
            ]
        );
        assert_eq!(&t[d.copy_sources[3].span.clone()], b"static dir/");
        let e = d.exposed_ports();
        assert_eq!(e.ports.len(), 4);
        assert!(!e.all_literal);
        assert_eq!(e.base, None);
        assert!(!e.complete());
    }

    #[test]
    fn stage_chain_for_expose_and_env() {
        let t = b"FROM node:20 AS base\nEXPOSE 3000\nENV MODE=prod\nFROM busybox AS other\nEXPOSE 9\nFROM base\nENV LEVEL=2 REF=$X\n";
        let d = parse(t);
        let e = d.exposed_ports();
        assert_eq!(e.ports, vec![PortSpec::new(3000, "tcp")]);
        assert_eq!(e.base.as_deref(), Some("node:20"));
        assert_eq!(
            d.final_env(),
            vec![("MODE".into(), "prod".into()), ("LEVEL".into(), "2".into())]
        );
    }

    #[test]
    fn env_and_arg_values() {
        let t = b"ARG API_URL=http://api:8080/v1\nARG DB_HOST\nENV DB_HOST=db REDIS_ADDR=\"cache:6379\" DB_NAME=db\nENV LEGACY_HOST db\n";
        let d = parse(t);
        assert_eq!(d.args[1].value, None);
        assert_eq!(d.env[1].value.as_deref(), Some("cache:6379"));
        assert_eq!(&t[d.env[1].value_span.clone().unwrap()], b"\"cache:6379\"");
        assert_eq!(d.env[3].key, "LEGACY_HOST");
        let refs = dockerfile_refs(t, &["api", "db", "cache"]);
        let got: Vec<_> = refs
            .iter()
            .map(|r| (r.host.as_str(), r.directive.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("api", "ARG API_URL"),
                ("db", "ENV DB_HOST"),
                ("cache", "ENV REDIS_ADDR"),
                ("db", "ENV LEGACY_HOST")
            ]
        );
    }

    #[test]
    fn images_and_paths_are_not_hosts() {
        let t = b"FROM redis:7\nCOPY redis /redis\nLABEL app=redis\nRUN apt-get install -y redis-tools && pip install redis\n";
        assert!(dockerfile_refs(t, &["redis"]).is_empty());
    }

    #[test]
    fn run_echo_unclear_is_reported() {
        let t = b"FROM alpine\nRUN echo 'upstream db' > /x.conf\n";
        let r = dockerfile_refs(t, &["db"]);
        assert_eq!(r.len(), 1);
        assert!(!r[0].rewritable);
    }

    #[test]
    fn heredocs() {
        let t = b"FROM nginx\nCOPY <<EOF /etc/nginx/conf.d/default.conf\nserver {\n  location / { proxy_pass http://todos:8080; }\n}\nEOF\nRUN <<-SH\n\techo \"API=http://api:1\" > /env\n\tSH\nCMD [\"sh\", \"-c\", \"exec app $DB_PORT_5432_TCP_ADDR\"]\n";
        let d = parse(t);
        assert_eq!(d.instructions.len(), 4);
        assert_eq!(d.instructions[1].heredocs[0].delimiter, "EOF");
        let r = dockerfile_refs(t, &["todos", "api"]);
        let hosts: Vec<_> = r
            .iter()
            .map(|r| (&t[r.span.clone()], r.rewritable))
            .collect();
        assert_eq!(hosts, vec![(&b"todos"[..], true), (&b"api"[..], true)]);
        let reads = dockerfile_reads(t, &["db"]);
        assert_eq!(reads.len(), 1);
        assert_eq!(reads[0].name, "DB_PORT_5432_TCP_ADDR");
    }

    #[test]
    fn build_time_substitution_is_not_a_read() {
        let t = b"FROM x\nENV A=$DB_PORT\nLABEL b=$DB_NAME\nCMD echo $DB_NAME\n";
        let r = dockerfile_reads(t, &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].span.clone()], b"DB_NAME");
        assert!(r[0].span.start > 30);
    }
}
