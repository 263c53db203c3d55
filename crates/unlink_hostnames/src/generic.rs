//! Hostnames in text that has no grammar of its own: URLs anywhere, `KEY=value`
//! assignments (env files, `-e` values, build arguments, shell assignments) and
//! the words of a command line.
//!
//! The rule everywhere is *whole hostnames only*: a host is found only where
//! the surrounding bytes delimit it as a host. Alias `db` is never found in
//! `dbadmin`, `db.example.com`, `/var/db`, `${db}`, `db_name` or `my-db`.

use std::ops::Range;

use crate::util::{
    contains_word, find_all_ci, host_eq, is_host_byte, is_ident_byte, is_ident_start, is_space,
    lines, lines_within, parse_port, text_of, which_alias,
};
use crate::{HostForm, HostRef};

/// A `scheme://authority` found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// From the first byte of the scheme to the end of the authority.
    pub span: Range<usize>,
    /// The scheme, as written (`http`, `postgres`, `grpc`, …).
    pub scheme: String,
    /// The hosts of the authority; several for `mongodb://a:1,b:2/`. A host
    /// that is a variable (`${DB_HOST}`) or an IPv6 literal is left out.
    pub hosts: Vec<HostPort>,
}

/// One `host[:port]` with the exact bytes of the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// Exactly the hostname bytes.
    pub span: Range<usize>,
    pub host: String,
    /// The port when it is written as digits.
    pub port: Option<u16>,
}

/// How the key of a `KEY=value` assignment says its value is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// `DB_HOST`, `PGHOST`, `DATABASE_URL`, `REDIS_ADDR`, `KAFKA_BROKERS`: a
    /// bare alias value is a hostname and is rewritten.
    Host,
    /// `DB_CONNECTION`, `CACHE_DRIVER`, `POSTGRES_DB`, `DB_USER`: a bare alias
    /// value is a driver, database or user name, never a host; ignored.
    NotHost,
    /// Anything else: a bare alias value is reported, not rewritten.
    Unknown,
}

const HOST_SUFFIXES: &[&str] = &[
    "HOST",
    "HOSTS",
    "HOSTNAME",
    "ADDR",
    "ADDRS",
    "ADDRESS",
    "ADDRESSES",
    "SERVER",
    "SERVERS",
    "URL",
    "URLS",
    "URI",
    "URIS",
    "DSN",
    "ENDPOINT",
    "ENDPOINTS",
];

const HOST_WORDS: &[&str] = &[
    "UPSTREAM",
    "UPSTREAMS",
    "BROKER",
    "BROKERS",
    "NODE",
    "NODES",
    "PEER",
    "PEERS",
    "REMOTE",
    "SEEDS",
    "MASTER",
    "PRIMARY",
    "REPLICA",
];

const NOT_HOST_WORDS: &[&str] = &[
    "CONNECTION",
    "DRIVER",
    "ENGINE",
    "TYPE",
    "ADAPTER",
    "DIALECT",
    "VENDOR",
    "PROVIDER",
    "IMAGE",
    "SCHEME",
    "PROTOCOL",
    "PROTO",
    "CLIENT",
    "KIND",
    "MODE",
    "STORE",
    "BACKEND",
    "NAME",
    "DB",
    "DATABASE",
    "USER",
    "USERNAME",
    "PASSWORD",
    "PASS",
    "SCHEMA",
    "TABLE",
    "INDEX",
    "QUEUE",
    "TOPIC",
    "BUCKET",
    "COLLECTION",
    "KEYSPACE",
    "PREFIX",
    "NAMESPACE",
    "CHANNEL",
    "ROLE",
];

/// Classify the key of a `KEY=value` pair (env file, `-e`, `ARG`, `ENV`,
/// `--some-host=…` flag). Case and `-`/`_` do not matter.
///
/// ```
/// use unlink_hostnames::generic::{classify_key, KeyClass};
/// assert_eq!(classify_key("DB_HOST"), KeyClass::Host);
/// assert_eq!(classify_key("PGHOST"), KeyClass::Host);
/// assert_eq!(classify_key("DB_CONNECTION"), KeyClass::NotHost);
/// assert_eq!(classify_key("REDIS"), KeyClass::Unknown);
/// ```
pub fn classify_key(key: &str) -> KeyClass {
    let norm = key
        .trim_start_matches('-')
        .to_ascii_uppercase()
        .replace('-', "_");
    if norm == "HOSTNAME" {
        // The container's own name, not a peer.
        return KeyClass::Unknown;
    }
    if norm.ends_with("HOST_NAME") {
        return KeyClass::Host;
    }
    let segs: Vec<&str> = norm.split('_').filter(|s| !s.is_empty()).collect();
    let host_ish =
        |s: &str| HOST_SUFFIXES.iter().any(|x| s.ends_with(x)) || HOST_WORDS.contains(&s);
    // `PGUSER`, `DBNAME`, `PGDATABASE`: glued words count too (but `DB` only alone).
    let not_host = |s: &str| {
        NOT_HOST_WORDS
            .iter()
            .any(|w| s == *w || (w.len() >= 4 && s.ends_with(w)))
    };
    if let Some(last) = segs.last() {
        if host_ish(last) {
            return KeyClass::Host;
        }
        if not_host(last) {
            return KeyClass::NotHost;
        }
    }
    for s in segs.iter().rev() {
        if host_ish(s) {
            return KeyClass::Host;
        }
        if not_host(s) {
            return KeyClass::NotHost;
        }
    }
    KeyClass::Unknown
}

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'
}

fn ends_authority(b: u8) -> bool {
    is_space(b)
        || matches!(
            b,
            b'/' | b'?'
                | b'#'
                | b'"'
                | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b';'
                | b'('
                | b')'
                | b'\\'
                | b'|'
                | b'{'
                | b'}'
                | b']'
                | b'^'
        )
}

/// Every `scheme://authority` in `text[range]`.
///
/// ```
/// use unlink_hostnames::generic::find_urls;
/// let t = b"DATABASE_URL=postgres://app:secret@db:5432/app";
/// let urls = find_urls(t, 0..t.len());
/// assert_eq!(urls[0].scheme, "postgres");
/// assert_eq!(urls[0].hosts[0].host, "db");
/// assert_eq!(urls[0].hosts[0].port, Some(5432));
/// ```
pub fn find_urls(text: &[u8], range: Range<usize>) -> Vec<Url> {
    let mut out = Vec::new();
    let end = range.end.min(text.len());
    let mut i = range.start;
    while i + 3 <= end {
        if &text[i..i + 3] != b"://" {
            i += 1;
            continue;
        }
        // Scheme: the scheme bytes right before "://", starting with a letter.
        let mut s = i;
        while s > range.start && is_scheme_byte(text[s - 1]) {
            s -= 1;
        }
        while s < i && !text[s].is_ascii_alphabetic() {
            s += 1;
        }
        if s == i {
            i += 3;
            continue;
        }
        let a = i + 3;
        let mut e = a;
        while e < end {
            let b = text[e];
            if b == b'$' && e + 1 < end && text[e + 1] == b'{' {
                // ${VAR} inside the authority: skip to the brace.
                match text[e..end].iter().position(|&c| c == b'}') {
                    Some(p) => e += p + 1,
                    None => e = end,
                }
                continue;
            }
            if b == b'[' {
                // IPv6 literal.
                match text[e..end].iter().position(|&c| c == b']') {
                    Some(p) => e += p + 1,
                    None => e = end,
                }
                continue;
            }
            if ends_authority(b) {
                break;
            }
            e += 1;
        }
        let mut hosts_start = a;
        if let Some(p) = text[a..e].iter().rposition(|&c| c == b'@') {
            hosts_start = a + p + 1;
        }
        let mut hosts = Vec::new();
        let mut p = hosts_start;
        while p <= e {
            let q = text[p..e]
                .iter()
                .position(|&c| c == b',')
                .map_or(e, |x| p + x);
            match parse_authority_host(text, p..q) {
                Some(Some(hp)) => hosts.push(hp),
                Some(None) => {}
                None => break,
            }
            p = q + 1;
        }
        out.push(Url {
            span: s..e,
            scheme: text_of(text, s..i),
            hosts,
        });
        i = e.max(i + 3);
    }
    out
}

/// One `host[:port]` of an authority. `None`: not an address at all (stop
/// reading the host list); `Some(None)`: an address without a plain host (a
/// variable, an IPv6 literal, an empty host).
fn parse_authority_host(text: &[u8], r: Range<usize>) -> Option<Option<HostPort>> {
    let part = &text[r.clone()];
    if part.is_empty() {
        return Some(None);
    }
    let colon = part.iter().position(|&c| c == b':');
    let host_end = colon.unwrap_or(part.len());
    let host = &part[..host_end];
    if part[0] == b'[' || host.contains(&b'$') {
        return Some(None);
    }
    if host.is_empty() || !host.iter().all(|&b| is_host_byte(b)) {
        return None;
    }
    let port = match colon {
        Some(c) => {
            let p = &part[c + 1..];
            if p.is_empty() || p.starts_with(b"$") {
                None
            } else if p.iter().all(u8::is_ascii_digit) {
                parse_port(p)
            } else {
                return None;
            }
        }
        None => None,
    };
    Some(Some(HostPort {
        span: r.start..r.start + host_end,
        host: text_of(text, r.start..r.start + host_end),
        port,
    }))
}

/// Hosts of the URLs in `text[range]` that name one of `aliases`.
pub fn url_refs<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
    directive: &str,
) -> Vec<HostRef> {
    let mut out = Vec::new();
    for url in find_urls(text, range) {
        for hp in url.hosts {
            if which_alias(text[hp.span.clone()].as_ref(), aliases).is_some() {
                out.push(HostRef {
                    span: hp.span,
                    host: hp.host,
                    directive: directive.to_string(),
                    port: hp.port,
                    form: HostForm::Url,
                    rewritable: true,
                    note: None,
                });
            }
        }
    }
    out
}

/// Parse a whole item `[user@]host[:port][/path]` (a list element of a value,
/// a bare `proxy_pass` address). The host must be followed by the end, a
/// `:port`, or (only after a port) a `/path`.
pub fn parse_host_item(text: &[u8], r: Range<usize>) -> Option<HostPort> {
    let item = &text[r.clone()];
    let at = item.iter().rposition(|&c| c == b'@').map_or(0, |p| p + 1);
    let hs = r.start + at;
    let mut he = hs;
    while he < r.end && is_host_byte(text[he]) {
        he += 1;
    }
    if he == hs {
        return None;
    }
    if he == r.end {
        return Some(HostPort {
            span: hs..he,
            host: text_of(text, hs..he),
            port: None,
        });
    }
    if text[he] != b':' {
        return None;
    }
    let ps = he + 1;
    let mut pe = ps;
    while pe < r.end && text[pe].is_ascii_digit() {
        pe += 1;
    }
    let port = parse_port(&text[ps..pe])?;
    if pe != r.end && text[pe] != b'/' {
        return None;
    }
    Some(HostPort {
        span: hs..he,
        host: text_of(text, hs..he),
        port: Some(port),
    })
}

/// Strip one pair of matching quotes around `text[r]`.
pub(crate) fn unquote(text: &[u8], r: Range<usize>) -> Range<usize> {
    if r.end >= r.start + 2 {
        let (a, b) = (text[r.start], text[r.end - 1]);
        if (a == b'"' || a == b'\'') && a == b {
            return r.start + 1..r.end - 1;
        }
    }
    r
}

/// Hosts naming one of `aliases` in the value of `KEY=value`: URLs, `host:port`
/// items (also in `,`/`;`/space separated lists), `user@host`, defaults in
/// `${VAR:-host}`, and a value that is exactly the alias — rewritten when the
/// key names a host ([`classify_key`]), ignored when the key names a driver or
/// a database, reported otherwise.
///
/// `value` is the byte range of the value in `text` (quotes may be included;
/// one pair is stripped). Use it for env-file lines, `-e KEY=value`,
/// `--build-arg KEY=value` and Dockerfile `ARG`/`ENV` defaults.
///
/// ```
/// use unlink_hostnames::generic::env_value_refs;
/// let t = b"DB_HOST=db";
/// let refs = env_value_refs("DB_HOST", t, 8..10, &["db"]);
/// assert_eq!(refs[0].span, 8..10);
/// assert!(refs[0].rewritable);
/// ```
pub fn env_value_refs<S: AsRef<str>>(
    key: &str,
    text: &[u8],
    value: Range<usize>,
    aliases: &[S],
) -> Vec<HostRef> {
    let value = value.start.min(text.len())..value.end.min(text.len());
    let v = unquote(text, value);
    let mut out = url_refs(text, v.clone(), aliases, key);
    let mut covered: Vec<Range<usize>> = find_urls(text, v.clone())
        .into_iter()
        .map(|u| u.span)
        .collect();
    // ${VAR:-default} / ${VAR-default}: the default may name a host.
    let mut i = v.start;
    while i + 1 < v.end {
        if text[i] == b'$' && text[i + 1] == b'{' {
            let close = matching_brace(text, i + 1, v.end);
            let inner = i + 2..close.unwrap_or(v.end);
            let mut k = inner.start;
            while k < inner.end && is_ident_byte(text[k]) {
                k += 1;
            }
            let dflt = if text[k..inner.end].starts_with(b":-") {
                Some(k + 2..inner.end)
            } else if text[k..inner.end].starts_with(b"-") {
                Some(k + 1..inner.end)
            } else {
                None
            };
            if let Some(d) = dflt {
                if !d.is_empty() {
                    out.extend(env_value_refs(key, text, d, aliases));
                }
            }
            let end = close.map_or(v.end, |c| c + 1);
            covered.push(i..end);
            i = end;
            continue;
        }
        i += 1;
    }
    let whole = v.clone();
    for item in split_items(text, v, &covered) {
        // `host=db` inside a value (a libpq DSN, `;`-separated properties):
        // the inner key decides.
        let raw = &text[item.clone()];
        if let Some(eq) = raw.iter().position(|&b| b == b'=') {
            if eq > 0 && is_ident_start(raw[0]) && raw[..eq].iter().all(|&b| is_ident_byte(b)) {
                let inner_key = text_of(text, item.start..item.start + eq);
                for mut r in
                    env_value_refs(&inner_key, text, item.start + eq + 1..item.end, aliases)
                {
                    r.directive = format!("{key} {inner_key}");
                    out.push(r);
                }
            }
            continue;
        }
        let Some(hp) = parse_host_item(text, item.clone()) else {
            continue;
        };
        if which_alias(&text[hp.span.clone()], aliases).is_none() {
            continue;
        }
        let (form, rewritable, note) = if hp.port.is_some() {
            (HostForm::HostPort, true, None)
        } else {
            match classify_key(key) {
                KeyClass::Host => (HostForm::Bare, true, None),
                KeyClass::NotHost => continue,
                KeyClass::Unknown => {
                    if item != whole && hp.span != item {
                        continue;
                    }
                    (
                        HostForm::Bare,
                        false,
                        Some("the key does not say whether its value is a host"),
                    )
                }
            }
        };
        out.push(HostRef {
            span: hp.span,
            host: hp.host,
            directive: key.to_string(),
            port: hp.port,
            form,
            rewritable,
            note,
        });
    }
    out.sort_by_key(|r| r.span.start);
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// Find the `}` closing the `{` at `open`, counting nesting.
pub(crate) fn matching_brace(text: &[u8], open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &b) in text.iter().enumerate().take(end).skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Split `text[r]` at `,`, `;` and whitespace into items, leaving out bytes in
/// `covered` (an item touching a covered range is dropped).
fn split_items(text: &[u8], r: Range<usize>, covered: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    let in_cov = |k: usize| covered.iter().any(|c| c.contains(&k));
    let mut k = r.start;
    let mut dirty = false;
    while k <= r.end {
        let sep = k == r.end || matches!(text[k], b',' | b';') || is_space(text[k]);
        if sep {
            if k > start && !dirty {
                out.push(start..k);
            }
            start = k + 1;
            dirty = false;
        } else if in_cov(k) {
            dirty = true;
        }
        k += 1;
    }
    out
}

/// One `KEY=value` line of an env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value without surrounding quotes (may be empty).
    pub value_span: Range<usize>,
    /// The quote character when the value was quoted.
    pub quote: Option<u8>,
    /// The line had `export ` before the key.
    pub export: bool,
}

/// The `KEY=value` lines of an env file (`.env`, `*.env`, `--env-file`).
/// Blank lines and `#` comments are skipped; `export KEY=value` is accepted; a
/// quoted value ends at its closing quote, an unquoted one before ` #`.
/// Lines that are not assignments (`KEY` alone passes the host's value
/// through) are skipped.
pub fn env_file_entries(text: &[u8]) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    for line in lines(text) {
        let mut i = line.start;
        while i < line.end && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        if i >= line.end || text[i] == b'#' {
            continue;
        }
        let mut export = false;
        if text[i..line.end].starts_with(b"export") {
            let j = i + 6;
            if j < line.end && matches!(text[j], b' ' | b'\t') {
                export = true;
                i = j;
                while i < line.end && matches!(text[i], b' ' | b'\t') {
                    i += 1;
                }
            }
        }
        let ks = i;
        while i < line.end && (is_ident_byte(text[i]) || text[i] == b'.' || text[i] == b'-') {
            i += 1;
        }
        let ke = i;
        if ke == ks {
            continue;
        }
        while i < line.end && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        if i >= line.end || text[i] != b'=' {
            continue;
        }
        i += 1;
        while i < line.end && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        let (value_span, quote) = if i < line.end && (text[i] == b'"' || text[i] == b'\'') {
            let q = text[i];
            let mut j = i + 1;
            while j < line.end && text[j] != q {
                if q == b'"' && text[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            (i + 1..j.min(line.end), Some(q))
        } else {
            let mut j = i;
            while j < line.end {
                if text[j] == b'#' && j > i && matches!(text[j - 1], b' ' | b'\t') {
                    break;
                }
                j += 1;
            }
            while j > i && matches!(text[j - 1], b' ' | b'\t') {
                j -= 1;
            }
            (i..j, None)
        };
        out.push(EnvEntry {
            key: text_of(text, ks..ke),
            key_span: ks..ke,
            value_span,
            quote,
            export,
        });
    }
    out
}

/// Host references to `aliases` in an env file.
///
/// ```
/// use unlink_hostnames::generic::env_file_refs;
/// let t = b"# db settings\nexport DB_HOST=db\nDB_NAME=db\nADMIN=dbadmin\n";
/// let refs = env_file_refs(t, &["db"]);
/// assert_eq!(refs.len(), 1);
/// assert_eq!(&t[refs[0].span.clone()], b"db");
/// assert_eq!(refs[0].directive, "DB_HOST");
/// ```
pub fn env_file_refs<S: AsRef<str>>(text: &[u8], aliases: &[S]) -> Vec<HostRef> {
    env_file_entries(text)
        .into_iter()
        .flat_map(|e| env_value_refs(&e.key, text, e.value_span, aliases))
        .collect()
}

/// What [`command_refs`] does with a whole-word alias that is in no clear
/// hostname form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclear {
    /// Ignore it (`CMD`, `ENTRYPOINT`: a program named like the alias).
    Ignore,
    /// Report it on lines that write a file (`echo`, `printf`, `tee`, `sed`,
    /// `cat`, `>`) and in the body of a heredoc; ignore it elsewhere.
    WhereWritten,
    /// Report it everywhere (a heredoc body, a config written by `RUN`).
    Report,
}

/// How a command line is scanned by [`command_refs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandContext<'a> {
    /// Recorded in each [`HostRef::directive`] (`RUN`, `CMD`, `script`, …).
    pub directive: &'a str,
    /// What to do with a whole-word alias in no clear form.
    pub unclear: Unclear,
}

/// Host references to `aliases` in a command line or script: URLs, `KEY=value`
/// and `--some-host=value` assignments (see [`env_value_refs`]), `alias:port`,
/// `-h alias` / `--host alias`, `user@alias`, `nc alias port`, and — as
/// `ctx.unclear` says — any other whole-word occurrence, reported only.
/// Lines that mention `docker`/`podman` never get a `host:port` rewritten
/// (`redis:7` there is an image tag). Shell comments are skipped.
pub fn command_refs<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
    ctx: CommandContext<'_>,
) -> Vec<HostRef> {
    let range = range.start.min(text.len())..range.end.min(text.len());
    let mut out = url_refs(text, range.clone(), aliases, ctx.directive);
    let mut covered: Vec<Range<usize>> = find_urls(text, range.clone())
        .into_iter()
        .map(|u| u.span)
        .collect();
    for (key, value) in assignments(text, range.clone()) {
        let refs = env_value_refs(&key, text, value.clone(), aliases);
        for mut r in refs {
            if covered.iter().any(|c| c.contains(&r.span.start)) {
                continue;
            }
            r.directive = format!("{} {}", ctx.directive, r.directive);
            out.push(r);
        }
        covered.push(value);
    }
    let heredoc_lines = heredoc_bodies(text, range.clone());
    let comments: Vec<_> = comment_ranges(text, range.clone())
        .into_iter()
        .filter(|c| !heredoc_lines.iter().any(|h| h.contains(&c.start)))
        .collect();
    covered.extend(comments);
    for line in lines_within(text, range.clone()) {
        if line.start >= line.end {
            continue;
        }
        let image_context = ["docker", "podman", "nerdctl", "buildah"]
            .iter()
            .any(|w| contains_word(text, line.clone(), w.as_bytes()));
        let netcat = ["nc", "ncat", "netcat", "telnet"]
            .iter()
            .any(|w| contains_word(text, line.clone(), w.as_bytes()));
        // Once per line, not per word: asking per word was quadratic.
        let mut writes = None;
        for alias in aliases.iter().map(|a| a.as_ref()) {
            for s in find_all_ci(text, line.clone(), alias.as_bytes()) {
                let e = s + alias.len();
                if alias.is_empty() || covered.iter().any(|c| c.contains(&s)) {
                    continue;
                }
                if !whole_word(text, s, e, line.clone()) {
                    continue;
                }
                if out.iter().any(|r| r.span.start == s) {
                    continue;
                }
                let report = match ctx.unclear {
                    Unclear::Ignore => false,
                    Unclear::Report => true,
                    Unclear::WhereWritten => {
                        *writes.get_or_insert_with(|| writes_file(text, line.clone()))
                            || heredoc_lines.iter().any(|h| h.contains(&s))
                    }
                };
                let facts = LineFacts {
                    range: line.clone(),
                    image_context,
                    netcat,
                    report_unclear: report,
                };
                let r = classify_word(text, s..e, &facts, ctx);
                if let Some(r) = r {
                    out.push(r);
                }
            }
        }
    }
    out.sort_by_key(|r| r.span.start);
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// The whole-word test for a hostname at `s..e` in free text.
fn whole_word(text: &[u8], s: usize, e: usize, line: Range<usize>) -> bool {
    if s > line.start {
        let p = text[s - 1];
        if is_host_byte(p) || matches!(p, b'/' | b'$' | b'\\' | b':' | b'%' | b'~') {
            return false;
        }
        if p == b'{' && s >= line.start + 2 && text[s - 2] == b'$' {
            return false;
        }
    }
    if e < line.end {
        let n = text[e];
        if n == b'.' {
            // `db.` ending a sentence is a word; `db.example.com`, `db.sh` are not.
            if e + 1 < line.end && is_host_byte(text[e + 1]) {
                return false;
            }
        } else if is_host_byte(n) || matches!(n, b'/' | b'(' | b'@' | b'=' | b'$' | b'[') {
            return false;
        } else if n == b':' {
            // Only `alias:port`; `alias:` (a YAML key, an image) is not a host.
            let digits = text[e + 1..line.end]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return false;
            }
            let after = e + 1 + digits;
            if after < line.end && (is_host_byte(text[after]) || text[after] == b':') {
                return false;
            }
        }
    }
    true
}

/// What [`classify_word`] needs to know about the line of a word.
struct LineFacts {
    range: Range<usize>,
    /// The line runs docker/podman: `name:tag` may be an image.
    image_context: bool,
    /// The line runs netcat/telnet: `host port` is an address.
    netcat: bool,
    report_unclear: bool,
}

fn classify_word(
    text: &[u8],
    word: Range<usize>,
    facts: &LineFacts,
    ctx: CommandContext<'_>,
) -> Option<HostRef> {
    let (s, e) = (word.start, word.end);
    let line = facts.range.clone();
    let (image_context, netcat) = (facts.image_context, facts.netcat);
    let host = text_of(text, s..e);
    let mk = |form, port, rewritable, note| HostRef {
        span: s..e,
        host: host.clone(),
        directive: ctx.directive.to_string(),
        port,
        form,
        rewritable,
        note,
    };
    // alias:port
    if e < line.end && text[e] == b':' {
        let digits = text[e + 1..line.end]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let port = parse_port(&text[e + 1..e + 1 + digits]);
        if image_context {
            return Some(mk(
                HostForm::HostPort,
                port,
                false,
                Some("`alias:port` on a docker command line may be an image tag"),
            ));
        }
        return Some(mk(HostForm::HostPort, port, true, None));
    }
    let before = &text[line.start..s];
    let trimmed_len = before
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |p| p + 1);
    let prev_word_start = before[..trimmed_len]
        .iter()
        .rposition(|&b| b == b' ' || b == b'\t' || b == b'"' || b == b'\'')
        .map_or(0, |p| p + 1);
    let prev_word = &before[prev_word_start..trimmed_len];
    let glued_flag = before.ends_with(b"--host=");
    let spaced_flag =
        trimmed_len < before.len() && matches!(prev_word, b"-h" | b"--host" | b"--hostname");
    if (glued_flag || spaced_flag) && !image_context {
        return Some(mk(HostForm::Bare, None, true, None));
    }
    if s > line.start && text[s - 1] == b'@' {
        return Some(mk(HostForm::Bare, None, true, None));
    }
    if netcat && !image_context {
        // `nc -z db 5432`: the host is followed by a port word.
        let rest = &text[e..line.end];
        let sp = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let digits = rest[sp..].iter().take_while(|b| b.is_ascii_digit()).count();
        if sp > 0 && digits > 0 && (sp + digits == rest.len() || !is_host_byte(rest[sp + digits])) {
            let port = parse_port(&rest[sp..sp + digits]);
            return Some(mk(HostForm::Bare, port, true, None));
        }
    }
    if facts.report_unclear {
        return Some(mk(
            HostForm::Word,
            None,
            false,
            Some("the alias is a whole word here but not in a form that is clearly a hostname"),
        ));
    }
    None
}

/// True when the line writes a file: `echo`, `printf`, `tee`, `sed`, `cat`
/// or a `>` redirection.
pub(crate) fn writes_file(text: &[u8], line: Range<usize>) -> bool {
    text[line.clone()].contains(&b'>')
        || ["echo", "printf", "tee", "sed", "cat"]
            .iter()
            .any(|w| contains_word(text, line.clone(), w.as_bytes()))
}

/// The body lines of shell heredocs (`<<EOF` … `EOF`) in `text[range]`.
pub(crate) fn heredoc_bodies(text: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let ls = lines_within(text, range.clone());
    let mut out = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let delims = crate::dockerfile::heredoc_delimiters(&text[ls[i].clone()]);
        i += 1;
        for (strip_tabs, word) in delims {
            let start = ls.get(i).map_or(range.end, |l| l.start);
            let mut end = range.end;
            while i < ls.len() {
                let mut c = &text[ls[i].clone()];
                if strip_tabs {
                    while let [b'\t', rest @ ..] = c {
                        c = rest;
                    }
                }
                i += 1;
                if c == word.as_bytes() {
                    end = ls[i - 1].start;
                    break;
                }
            }
            out.push(start..end.max(start));
        }
    }
    out
}

/// Shell-style `KEY=value` assignments and `--flag=value` options in
/// `text[range]`: (key, value range including quotes).
pub fn assignments(text: &[u8], range: Range<usize>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let end = range.end.min(text.len());
    let mut i = range.start;
    while i < end {
        let at_word_start = i == range.start
            || matches!(
                text[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b'"' | b'\'' | b'`'
            );
        if !at_word_start {
            i += 1;
            continue;
        }
        let opener = if i > range.start && matches!(text[i - 1], b'"' | b'\'') {
            Some(text[i - 1])
        } else {
            None
        };
        let (ks, mut k) = if text[i..end].starts_with(b"--") {
            (i + 2, i + 2)
        } else if is_ident_start(text[i]) {
            (i, i)
        } else {
            i += 1;
            continue;
        };
        let flag = ks != i;
        while k < end && (is_ident_byte(text[k]) || (flag && text[k] == b'-')) {
            k += 1;
        }
        if k == ks || k >= end || text[k] != b'=' {
            i = k.max(i + 1);
            continue;
        }
        let vs = k + 1;
        let mut ve = vs;
        if vs < end && (text[vs] == b'"' || text[vs] == b'\'') && opener.is_none() {
            let q = text[vs];
            ve = vs + 1;
            while ve < end && text[ve] != q {
                if q == b'"' && text[ve] == b'\\' {
                    ve += 1;
                }
                ve += 1;
            }
            ve = (ve + 1).min(end);
        } else {
            while ve < end {
                let b = text[ve];
                if is_space(b) || matches!(b, b';' | b'&' | b'|' | b')' | b'`' | b'>' | b'<') {
                    break;
                }
                if Some(b) == opener {
                    break;
                }
                if opener.is_none() && (b == b'"' || b == b'\'') {
                    // KEY=a"b c": a quoted part inside the value.
                    let q = b;
                    ve += 1;
                    while ve < end && text[ve] != q {
                        ve += 1;
                    }
                }
                ve += 1;
            }
            ve = ve.min(end);
        }
        out.push((text_of(text, ks..k), vs..ve));
        i = ve.max(i + 1);
    }
    out
}

/// Byte ranges of shell comments (`#` at a word start, outside quotes, to the
/// end of the line) in `text[range]`.
pub(crate) fn comment_ranges(text: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for line in lines_within(text, range) {
        let mut quote: Option<u8> = None;
        let mut k = line.start;
        while k < line.end {
            let b = text[k];
            match quote {
                Some(q) => {
                    if b == q {
                        quote = None;
                    } else if q == b'"' && b == b'\\' {
                        k += 1;
                    }
                }
                None => {
                    if b == b'"' || b == b'\'' {
                        quote = Some(b);
                    } else if b == b'\\' {
                        k += 1;
                    } else if b == b'#' && (k == line.start || is_space(text[k - 1])) {
                        out.push(k..line.end);
                        break;
                    }
                }
            }
            k += 1;
        }
    }
    out
}

/// Host references to `aliases` in text without a grammar we know (YAML
/// values, properties files, source code): URLs only.
pub fn text_refs<S: AsRef<str>>(text: &[u8], aliases: &[S]) -> Vec<HostRef> {
    url_refs(text, 0..text.len(), aliases, "url")
}

/// True when `host` names `alias` (ASCII case-insensitive).
pub fn names_alias(host: &str, alias: &str) -> bool {
    host_eq(host.as_bytes(), alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(t: &str, aliases: &[&str]) -> Vec<(String, bool)> {
        let b = t.as_bytes();
        command_refs(
            b,
            0..b.len(),
            aliases,
            CommandContext {
                directive: "script",
                unclear: Unclear::WhereWritten,
            },
        )
        .into_iter()
        .map(|r| (t[r.span.clone()].to_string(), r.rewritable))
        .collect()
    }

    #[test]
    fn url_with_userinfo_and_port() {
        let t = b"postgres://u:p@ss@db:5432/app?x=1";
        let u = find_urls(t, 0..t.len());
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].hosts.len(), 1);
        assert_eq!(&t[u[0].hosts[0].span.clone()], b"db");
        assert_eq!(u[0].hosts[0].port, Some(5432));
    }

    #[test]
    fn url_host_lists() {
        let t = b"mongodb://mongo1:27017,db:27018/app";
        let u = find_urls(t, 0..t.len());
        let h: Vec<_> = u[0].hosts.iter().map(|h| h.host.as_str()).collect();
        assert_eq!(h, vec!["mongo1", "db"]);
    }

    #[test]
    fn url_variable_hosts_are_not_hosts() {
        let t = b"http://${DB_HOST}:80/ http://$h/";
        let u = find_urls(t, 0..t.len());
        assert_eq!(u.len(), 2);
        assert!(u.iter().all(|u| u.hosts.is_empty()));
    }

    #[test]
    fn url_with_variable_port_keeps_host() {
        let t = b"http://db:${PORT}/";
        let u = find_urls(t, 0..t.len());
        assert_eq!(u[0].hosts[0].host, "db");
        assert_eq!(u[0].hosts[0].port, None);
    }

    #[test]
    fn url_domain_is_not_alias() {
        let t = b"http://db.example.com/ https://dbadmin:80 file:///var/db";
        assert!(url_refs(t, 0..t.len(), &["db"], "x").is_empty());
    }

    #[test]
    fn key_classes() {
        assert_eq!(classify_key("DATABASE_URL"), KeyClass::Host);
        assert_eq!(classify_key("KAFKA_BROKERS"), KeyClass::Host);
        assert_eq!(classify_key("DB_HOST_NAME"), KeyClass::Host);
        assert_eq!(classify_key("--db-host"), KeyClass::Host);
        assert_eq!(classify_key("HOSTNAME"), KeyClass::Unknown);
        assert_eq!(classify_key("POSTGRES_DB"), KeyClass::NotHost);
        assert_eq!(classify_key("CACHE_DRIVER"), KeyClass::NotHost);
        assert_eq!(classify_key("DB_NAME"), KeyClass::NotHost);
        assert_eq!(classify_key("LINKED"), KeyClass::Unknown);
        assert_eq!(classify_key("PGUSER"), KeyClass::NotHost);
        assert_eq!(classify_key("dbname"), KeyClass::NotHost);
    }

    #[test]
    fn env_values() {
        let t = b"x";
        assert!(env_value_refs("K", t, 0..1, &["db"]).is_empty());
        let t = b"db:5432,dbadmin:1,/var/db,db.example.com";
        let r = env_value_refs("SERVERS", t, 0..t.len(), &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].span, 0..2);
        assert_eq!(r[0].port, Some(5432));
        let t = b"\"db\"";
        let r = env_value_refs("MYSQL_HOST", t, 0..t.len(), &["db"]);
        assert_eq!(r[0].span, 1..3);
        let r = env_value_refs("WHATEVER", t, 0..t.len(), &["db"]);
        assert!(!r[0].rewritable);
        assert!(env_value_refs("DB_CONNECTION", t, 0..t.len(), &["db"]).is_empty());
    }

    #[test]
    fn env_value_inner_keys() {
        let t = b"host=db port=5432 dbname=db user=db";
        let r = env_value_refs("DATABASE_DSN", t, 0..t.len(), &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].span, 5..7);
        assert_eq!(r[0].directive, "DATABASE_DSN host");
        let t = b"Server=db;Database=db;Uid=sa";
        let r = env_value_refs("CONNECTION_STRING", t, 0..t.len(), &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].span, 7..9);
    }

    #[test]
    fn env_value_defaults() {
        let t = b"${DB_HOST:-db}";
        let r = env_value_refs("DB_HOST", t, 0..t.len(), &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].span, 11..13);
        let t = b"${db}";
        assert!(env_value_refs("DB_HOST", t, 0..t.len(), &["db"]).is_empty());
    }

    #[test]
    fn env_file_forms() {
        let t = b"# DB_HOST=db\r\nexport DB_HOST=db # the db\r\nDB_URL='mysql://db/x'\r\n  REDIS_ADDR = \"cache:6379\"\r\nDB_PORT=5432\r\nbad line\r\n";
        let e = env_file_entries(t);
        let keys: Vec<_> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, vec!["DB_HOST", "DB_URL", "REDIS_ADDR", "DB_PORT"]);
        assert!(e[0].export);
        assert_eq!(&t[e[0].value_span.clone()], b"db");
        assert_eq!(e[2].quote, Some(b'"'));
        let r = env_file_refs(t, &["db", "cache"]);
        let got: Vec<_> = r
            .iter()
            .map(|r| (&t[r.span.clone()], r.directive.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (&b"db"[..], "DB_HOST"),
                (&b"db"[..], "DB_URL"),
                (&b"cache"[..], "REDIS_ADDR")
            ]
        );
    }

    #[test]
    fn command_whole_words() {
        assert_eq!(
            hosts("cd /var/db && ls dbadmin db.example.com", &["db"]),
            vec![]
        );
        assert_eq!(
            hosts("wait-for-it db:5432 -- app", &["db"]),
            vec![("db".into(), true)]
        );
        assert_eq!(
            hosts("psql -h db -U app; mysql --host=db", &["db"]),
            vec![("db".into(), true), ("db".into(), true)]
        );
        assert_eq!(hosts("nc -z db 5432", &["db"]), vec![("db".into(), true)]);
        assert_eq!(
            hosts("docker run redis:7", &["redis"]),
            vec![("redis".into(), false)]
        );
        assert_eq!(hosts("echo db is up", &["db"]), vec![("db".into(), false)]);
        assert_eq!(hosts("exec db --serve", &["db"]), vec![]);
        assert_eq!(
            hosts(
                "cat > /x.conf <<EOF\nupstream db\n# db\nEOF\nexec db\n",
                &["db"]
            ),
            vec![("db".into(), false), ("db".into(), false)]
        );
        assert_eq!(hosts("echo ok # db", &["db"]), vec![]);
        assert_eq!(hosts("echo ${db} $db", &["db"]), vec![]);
        assert_eq!(hosts("services: db:", &["db"]), vec![]);
    }

    #[test]
    fn command_assignments() {
        assert_eq!(
            hosts("echo \"DB_HOST=db\" > /app/.env", &["db"]),
            vec![("db".into(), true)]
        );
        assert_eq!(
            hosts("DB_HOST=db DB_NAME=db exec app --db-host=db", &["db"]),
            vec![("db".into(), true), ("db".into(), true)]
        );
        let t = b"A=1 'B=x y' --c-d=\"q r\"";
        let a = assignments(t, 0..t.len());
        let keys: Vec<_> = a.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["A", "B", "c-d"]);
    }
}
