//! Legacy link environment variables: which are read, what they are, and what
//! value the link would have given.
//!
//! Docker names them from the alias (docker-semantics §2.2): `A` is the alias
//! upper-cased with every `-` turned into `_` and nothing else changed, then
//! `A_PORT`, `A_PORT_<n>_<P>` with `_ADDR`/`_PORT`/`_PROTO`, `_START`/`_END`/
//! `_PORT_START`/`_PORT_END` for runs of consecutive ports, `A_NAME` and
//! `A_ENV_<VAR>`. A dot in an alias survives (`my.db` → `MY.DB_PORT`), which
//! no shell can expand; such aliases are only found by the bare-name scan.
//!
//! Only reads count: `$DB_PORT`, `${DB_PORT_5432_TCP_ADDR:-x}`, nginx
//! `env DB_NAME;`, `os.environ["DB_ENV_PASSWORD"]`. A setting (`DB_PORT=5432`
//! in an env file or a script) is not a read, and nothing is found for a name
//! that is not built from one of the aliases the caller passes.

use std::ops::Range;

use crate::generic::{comment_ranges, matching_brace};
use crate::util::{is_ident_byte, is_ident_start, text_of};

/// What a link variable holds. Ports are numbers, protocols lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkVarKind {
    /// `A_PORT` = `proto://addr:port` of the first port (lowest TCP port).
    Port,
    /// `A_PORT_N_P` = `p://addr:N`.
    PortProto { port: u16, proto: String },
    /// `A_PORT_N_P_ADDR` = the address.
    Addr { port: u16, proto: String },
    /// `A_PORT_N_P_PORT` = `N`.
    PortNumber { port: u16, proto: String },
    /// `A_PORT_N_P_PROTO` = `p`.
    Proto { port: u16, proto: String },
    /// `A_PORT_S_P_START` = `p://addr:S` for a run of ports starting at S.
    Start { port: u16, proto: String },
    /// `A_PORT_S_P_PORT_START` = `S`.
    PortStart { port: u16, proto: String },
    /// `A_PORT_S_P_END` = `p://addr:E`, E the last port of the run.
    End { port: u16, proto: String },
    /// `A_PORT_S_P_PORT_END` = `E`.
    PortEnd { port: u16, proto: String },
    /// `A_NAME` = `/consumer/alias`.
    Name,
    /// `A_ENV_VAR` = the target's `VAR`.
    Env(String),
}

/// The variable-name prefix for an alias: upper-case, `-` → `_`, everything
/// else (dots included) unchanged. The variables are `PREFIX_…`.
///
/// ```
/// use unlink_hostnames::linkvars::link_var_prefix;
/// assert_eq!(link_var_prefix("todos-db"), "TODOS_DB");
/// assert_eq!(link_var_prefix("my.db"), "MY.DB");
/// ```
pub fn link_var_prefix(alias: &str) -> String {
    alias.to_uppercase().replace('-', "_")
}

/// True when the alias's variables are valid shell names (no dot or other
/// byte outside `[A-Za-z0-9_]`, not starting with a digit). When false, no
/// shell, env file or compose file can read them with `$…`.
pub fn prefix_is_shell_name(alias: &str) -> bool {
    let p = link_var_prefix(alias);
    let b = p.as_bytes();
    !b.is_empty() && is_ident_start(b[0]) && b.iter().all(|&c| is_ident_byte(c))
}

/// The variable name for `kind` under `alias` (the inverse of
/// [`classify_link_var`]).
///
/// ```
/// use unlink_hostnames::linkvars::{link_var_name, LinkVarKind};
/// let k = LinkVarKind::Addr { port: 5432, proto: "tcp".into() };
/// assert_eq!(link_var_name("db", &k), "DB_PORT_5432_TCP_ADDR");
/// ```
pub fn link_var_name(alias: &str, kind: &LinkVarKind) -> String {
    let a = link_var_prefix(alias);
    let pp = |port: &u16, proto: &str| format!("{a}_PORT_{port}_{}", proto.to_uppercase());
    match kind {
        LinkVarKind::Port => format!("{a}_PORT"),
        LinkVarKind::PortProto { port, proto } => pp(port, proto),
        LinkVarKind::Addr { port, proto } => format!("{}_ADDR", pp(port, proto)),
        LinkVarKind::PortNumber { port, proto } => format!("{}_PORT", pp(port, proto)),
        LinkVarKind::Proto { port, proto } => format!("{}_PROTO", pp(port, proto)),
        LinkVarKind::Start { port, proto } => format!("{}_START", pp(port, proto)),
        LinkVarKind::PortStart { port, proto } => format!("{}_PORT_START", pp(port, proto)),
        LinkVarKind::End { port, proto } => format!("{}_END", pp(port, proto)),
        LinkVarKind::PortEnd { port, proto } => format!("{}_PORT_END", pp(port, proto)),
        LinkVarKind::Name => format!("{a}_NAME"),
        LinkVarKind::Env(v) => format!("{a}_ENV_{v}"),
    }
}

/// Classify a variable name against one alias's prefix. `None` when the name
/// is not a link variable of that alias (`DB_HOST`, `DB_PORTS`, `DB_PORT_x`).
///
/// ```
/// use unlink_hostnames::linkvars::{classify_link_var, LinkVarKind};
/// assert_eq!(classify_link_var("DB", "DB_PORT"), Some(LinkVarKind::Port));
/// assert_eq!(
///     classify_link_var("DB", "DB_ENV_POSTGRES_USER"),
///     Some(LinkVarKind::Env("POSTGRES_USER".into()))
/// );
/// assert_eq!(classify_link_var("DB", "DB_HOST"), None);
/// ```
pub fn classify_link_var(prefix: &str, name: &str) -> Option<LinkVarKind> {
    let rest = name.strip_prefix(prefix)?.strip_prefix('_')?;
    match rest {
        "NAME" => return Some(LinkVarKind::Name),
        "PORT" => return Some(LinkVarKind::Port),
        _ => {}
    }
    if let Some(v) = rest.strip_prefix("ENV_") {
        return (!v.is_empty()).then(|| LinkVarKind::Env(v.to_string()));
    }
    let r = rest.strip_prefix("PORT_")?;
    let digits = r.bytes().take_while(u8::is_ascii_digit).count();
    let port: u16 = r[..digits].parse().ok()?;
    if port == 0 || port.to_string() != r[..digits] {
        return None;
    }
    let r = r[digits..].strip_prefix('_')?;
    let (proto, suffix) = ["TCP", "UDP", "SCTP"]
        .iter()
        .find_map(|p| r.strip_prefix(p).map(|s| (p.to_ascii_lowercase(), s)))?;
    Some(match suffix {
        "" => LinkVarKind::PortProto { port, proto },
        "_ADDR" => LinkVarKind::Addr { port, proto },
        "_PORT" => LinkVarKind::PortNumber { port, proto },
        "_PROTO" => LinkVarKind::Proto { port, proto },
        "_START" => LinkVarKind::Start { port, proto },
        "_PORT_START" => LinkVarKind::PortStart { port, proto },
        "_END" => LinkVarKind::End { port, proto },
        "_PORT_END" => LinkVarKind::PortEnd { port, proto },
        _ => return None,
    })
}

/// How a variable is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadForm {
    /// `$NAME` (also make's `$$NAME`).
    Dollar,
    /// `${NAME}`, `${NAME:-default}`, `${#NAME}`, …
    Braced,
    /// nginx `env NAME;`.
    NginxEnv,
    /// The bare name in text without shell syntax (`os.environ["NAME"]`).
    Bare,
}

/// One read of a legacy link variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkVarRead {
    /// Exactly the bytes of the variable name.
    pub span: Range<usize>,
    /// The whole expression: `$NAME`, `${NAME:-x}`, the `env` argument.
    pub expr: Range<usize>,
    pub name: String,
    /// The alias (as the caller spelled it) whose prefix the name carries.
    pub alias: String,
    pub kind: LinkVarKind,
    pub form: ReadForm,
    /// The default of `${NAME:-default}` / `${NAME-default}`, if any.
    pub default: Option<Range<usize>>,
}

fn prefixes<S: AsRef<str>>(aliases: &[S]) -> Vec<(String, &str)> {
    let mut p: Vec<(String, &str)> = aliases
        .iter()
        .map(|a| a.as_ref())
        .filter(|a| !a.is_empty())
        .map(|a| (link_var_prefix(a), a))
        .collect();
    // Longest prefix first: with aliases `db` and `db-env`, `DB_ENV_NAME` is
    // `db-env`'s NAME rather than `db`'s ENV_NAME.
    p.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    p
}

fn classify_any(prefixes: &[(String, &str)], name: &str) -> Option<(String, LinkVarKind)> {
    prefixes
        .iter()
        .find_map(|(p, a)| classify_link_var(p, name).map(|k| (a.to_string(), k)))
}

/// Reads in shell syntax in `text[range]`: `$NAME`, `$$NAME` (make),
/// `${NAME}`, `${NAME:-…}`, `${#NAME}`, `${!NAME}`, `"$NAME"`. A `\$` is not a
/// read. Aliases whose prefix is not a shell name are skipped.
pub fn dollar_reads<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
) -> Vec<LinkVarRead> {
    reads_with_dollars(text, range, aliases, false)
}

/// Reads in a make recipe (or any make-expanded text) in `text[range]`:
/// only `$$NAME` and `$${NAME…}` reach the shell. A single `$X`, `$(X)` or
/// `${X}` is expanded by make on the host, where no link variable exists.
pub fn make_reads<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
) -> Vec<LinkVarRead> {
    reads_with_dollars(text, range, aliases, true)
}

fn reads_with_dollars<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
    make: bool,
) -> Vec<LinkVarRead> {
    let prefixes: Vec<_> = prefixes(aliases)
        .into_iter()
        .filter(|(_, a)| prefix_is_shell_name(a))
        .collect();
    let mut out = Vec::new();
    let end = range.end.min(text.len());
    let mut i = range.start;
    while i < end {
        if text[i] != b'$' || (i > range.start && text[i - 1] == b'\\') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < end && text[j] == b'$' {
            j += 1;
        }
        if j >= end {
            break;
        }
        // In make, `$$` is one `$` for the shell; an odd run ends in a make
        // reference (`$X`, `$(X)`), not a shell one.
        if make && (j - i) % 2 == 1 {
            i = j;
            continue;
        }
        let (ns, braced, close) = if text[j] == b'{' {
            let mut k = j + 1;
            if k < end && matches!(text[k], b'#' | b'!') {
                k += 1;
            }
            (k, true, matching_brace(text, j, end))
        } else {
            (j, false, None)
        };
        if ns >= end || !is_ident_start(text[ns]) {
            i = j;
            continue;
        }
        let mut ne = ns;
        while ne < end && is_ident_byte(text[ne]) {
            ne += 1;
        }
        let name = text_of(text, ns..ne);
        let expr_end = if braced {
            close.map_or(end, |c| c + 1)
        } else {
            ne
        };
        let default = if braced {
            let inner_end = close.unwrap_or(end);
            let rest = &text[ne..inner_end];
            if rest.starts_with(b":-") || rest.starts_with(b":=") {
                Some(ne + 2..inner_end)
            } else if rest.starts_with(b"-") || rest.starts_with(b"=") {
                Some(ne + 1..inner_end)
            } else {
                None
            }
        } else {
            None
        };
        if let Some((alias, kind)) = classify_any(&prefixes, &name) {
            out.push(LinkVarRead {
                span: ns..ne,
                expr: i..expr_end,
                name,
                alias,
                kind,
                form: if braced {
                    ReadForm::Braced
                } else {
                    ReadForm::Dollar
                },
                default,
            });
        }
        // Continue inside the braces: a default may read another variable.
        i = ne;
    }
    out
}

/// Reads by bare name in text without shell syntax (source code, YAML,
/// properties): `os.environ["DB_PORT_5432_TCP_ADDR"]`,
/// `process.env.DB_ENV_USER`. A name followed by `=` or `:` (after an
/// optional closing quote) is a setting, not a read. Dotted prefixes are
/// matched here.
pub fn bare_reads<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
) -> Vec<LinkVarRead> {
    let prefixes = prefixes(aliases);
    let end = range.end.min(text.len());
    let mut out: Vec<LinkVarRead> = Vec::new();
    for (prefix, alias) in &prefixes {
        let pb = prefix.as_bytes();
        let mut i = range.start;
        while i + pb.len() < end {
            if &text[i..i + pb.len()] != pb
                || text[i + pb.len()] != b'_'
                || (i > range.start && (is_ident_byte(text[i - 1]) || text[i - 1] == b'.'))
            {
                i += 1;
                continue;
            }
            let mut ne = i + pb.len();
            while ne < end && is_ident_byte(text[ne]) {
                ne += 1;
            }
            let name = text_of(text, i..ne);
            let mut k = ne;
            if k < end && matches!(text[k], b'"' | b'\'') {
                k += 1;
            }
            while k < end && matches!(text[k], b' ' | b'\t') {
                k += 1;
            }
            let setting = k < end
                && ((text[k] == b'=' && text.get(k + 1) != Some(&b'='))
                    || (text[k] == b':' && text.get(k + 1) != Some(&b':')));
            let taken = out.iter().any(|r| r.span.start <= i && i < r.span.end);
            if !setting && !taken {
                if let Some(kind) = classify_link_var(prefix, &name) {
                    out.push(LinkVarRead {
                        span: i..ne,
                        expr: i..ne,
                        name,
                        alias: alias.to_string(),
                        kind,
                        form: ReadForm::Bare,
                        default: None,
                    });
                }
            }
            i = ne;
        }
    }
    out.sort_by_key(|r| r.span.start);
    out
}

/// Shell reads outside comments.
pub fn shell_reads<S: AsRef<str>>(
    text: &[u8],
    range: Range<usize>,
    aliases: &[S],
) -> Vec<LinkVarRead> {
    let comments = comment_ranges(text, range.clone());
    dollar_reads(text, range, aliases)
        .into_iter()
        .filter(|r| !comments.iter().any(|c| c.contains(&r.expr.start)))
        .collect()
}

/// A container port with its protocol (lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortSpec {
    pub port: u16,
    pub proto: String,
}

impl PortSpec {
    pub fn new(port: u16, proto: &str) -> Self {
        PortSpec {
            port,
            proto: proto.to_ascii_lowercase(),
        }
    }

    /// Parse `8080`, `8080/tcp`, `53/udp`, `7000-7002/sctp` (a range gives
    /// every port). `None` for anything else (variables, zero, bad protocol).
    pub fn parse(s: &str) -> Option<Vec<PortSpec>> {
        let (ports, proto) = match s.split_once('/') {
            Some((p, proto)) => (p, proto.to_ascii_lowercase()),
            None => (s, "tcp".to_string()),
        };
        if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
            return None;
        }
        let num = |x: &str| -> Option<u16> {
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            x.parse().ok().filter(|&p| p != 0)
        };
        let (a, b) = match ports.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => {
                let p = num(ports)?;
                (p, p)
            }
        };
        if b < a {
            return None;
        }
        Some((a..=b).map(|p| PortSpec::new(p, &proto)).collect())
    }
}

/// Sort the way Docker does before naming variables: TCP first, then by
/// number; other protocols after, by protocol name then number. Duplicates
/// are removed.
pub fn sort_ports(ports: &mut Vec<PortSpec>) {
    ports.sort_by(|a, b| {
        let ka = (
            a.proto != "tcp",
            if a.proto == "tcp" {
                ""
            } else {
                a.proto.as_str()
            },
        );
        let kb = (
            b.proto != "tcp",
            if b.proto == "tcp" {
                ""
            } else {
                b.proto.as_str()
            },
        );
        ka.cmp(&kb).then(a.port.cmp(&b.port))
    });
    ports.dedup();
}

/// What the caller knows about one link's target, to compute the values the
/// legacy link variables would have had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetFacts {
    /// The target's container name: the address on the new network.
    pub name: String,
    /// The link alias (for `A_NAME` = `/consumer/alias`).
    pub alias: String,
    /// The consumer's container name, when known statically.
    pub consumer: Option<String>,
    /// Exposed ports: `--expose`, the container side of `-p`, and the image's
    /// `EXPOSE` when the image is built here.
    pub ports: Vec<PortSpec>,
    /// True when `ports` is the whole set (the image's `EXPOSE` is known).
    /// `A_PORT` and the range variables need the whole set.
    pub ports_complete: bool,
    /// The target's environment with literal values: image `ENV` when built
    /// here, then `-e`/`--env-file` in order (a later entry wins).
    pub env: Vec<(String, String)>,
}

/// The value the legacy link would have given for `kind`, with the target's
/// container name in place of its IP address. `None` when it cannot be known
/// statically: `A_PORT` or a range variable without the complete port set,
/// `A_NAME` without the consumer's name, `A_ENV_X` when the target has no
/// literal `X` (or `X` is `HOME`/`PATH`, which links never pass), a range
/// variable for a port that starts no run.
///
/// A per-port variable (`A_PORT_N_P…`) carries its port and protocol in its
/// name, so its value is always known.
///
/// ```
/// use unlink_hostnames::linkvars::*;
/// let t = TargetFacts {
///     name: "todos-secure".into(),
///     alias: "todos".into(),
///     consumer: Some("nginx-secure".into()),
///     ports: vec![PortSpec::new(8080, "tcp")],
///     ports_complete: true,
///     env: vec![("MODE".into(), "prod".into())],
/// };
/// assert_eq!(link_var_value(&LinkVarKind::Port, &t).as_deref(), Some("tcp://todos-secure:8080"));
/// assert_eq!(link_var_value(&LinkVarKind::Name, &t).as_deref(), Some("/nginx-secure/todos"));
/// assert_eq!(link_var_value(&LinkVarKind::Env("MODE".into()), &t).as_deref(), Some("prod"));
/// ```
pub fn link_var_value(kind: &LinkVarKind, target: &TargetFacts) -> Option<String> {
    let name = &target.name;
    let mut ports = target.ports.clone();
    sort_ports(&mut ports);
    let run = |start: u16, proto: &str| -> Option<(u16, u16)> {
        if !target.ports_complete {
            return None;
        }
        runs(&ports)
            .into_iter()
            .find(|(s, e, p)| *s == start && p == proto && e > s)
            .map(|(s, e, _)| (s, e))
    };
    match kind {
        LinkVarKind::Port => {
            if !target.ports_complete {
                return None;
            }
            let p = ports.first()?;
            Some(format!("{}://{}:{}", p.proto, name, p.port))
        }
        LinkVarKind::PortProto { port, proto } => Some(format!("{proto}://{name}:{port}")),
        LinkVarKind::Addr { .. } => Some(name.clone()),
        LinkVarKind::PortNumber { port, .. } => Some(port.to_string()),
        LinkVarKind::Proto { proto, .. } => Some(proto.clone()),
        LinkVarKind::Start { port, proto } => {
            run(*port, proto).map(|(s, _)| format!("{proto}://{name}:{s}"))
        }
        LinkVarKind::PortStart { port, proto } => run(*port, proto).map(|(s, _)| s.to_string()),
        LinkVarKind::End { port, proto } => {
            run(*port, proto).map(|(_, e)| format!("{proto}://{name}:{e}"))
        }
        LinkVarKind::PortEnd { port, proto } => run(*port, proto).map(|(_, e)| e.to_string()),
        LinkVarKind::Name => target
            .consumer
            .as_ref()
            .map(|c| format!("/{}/{}", c, target.alias)),
        LinkVarKind::Env(var) => {
            if var == "HOME" || var == "PATH" {
                return None;
            }
            target
                .env
                .iter()
                .rev()
                .find(|(k, _)| k == var)
                .map(|(_, v)| v.clone())
        }
    }
}

/// Runs of consecutive ports with one protocol in sorted ports: (first,
/// last, proto). Single ports are runs of length one.
fn runs(sorted: &[PortSpec]) -> Vec<(u16, u16, String)> {
    let mut out: Vec<(u16, u16, String)> = Vec::new();
    for p in sorted {
        match out.last_mut() {
            Some((_, e, proto))
                if *proto == p.proto && p.port == e.wrapping_add(1) && *e != u16::MAX =>
            {
                *e = p.port;
            }
            _ => out.push((p.port, p.port, p.proto.clone())),
        }
    }
    out
}

/// Every variable the legacy link would have set, in Docker's order, with
/// the target's name as the address. Port variables are left out when the
/// port set is not complete, `A_NAME` without a consumer name.
pub fn link_env(target: &TargetFacts) -> Vec<(String, String)> {
    let a = link_var_prefix(&target.alias);
    let mut out = Vec::new();
    let mut ports = target.ports.clone();
    sort_ports(&mut ports);
    if target.ports_complete && !ports.is_empty() {
        // Mirrors moby's `Link.ToEnv`: a run's range variables are emitted
        // after the per-port variables of the port that closes it.
        let range_vars = |s: u16, proto: &str| {
            let proto = proto.to_string();
            [
                LinkVarKind::Start {
                    port: s,
                    proto: proto.clone(),
                },
                LinkVarKind::PortStart {
                    port: s,
                    proto: proto.clone(),
                },
                LinkVarKind::End {
                    port: s,
                    proto: proto.clone(),
                },
                LinkVarKind::PortEnd { port: s, proto },
            ]
        };
        let (mut start, mut end) = (ports[0].clone(), ports[0].clone());
        for (i, p) in ports.iter().enumerate() {
            if i == 0 {
                out.push((format!("{a}_PORT"), LinkVarKind::Port));
            }
            for k in [
                LinkVarKind::PortProto {
                    port: p.port,
                    proto: p.proto.clone(),
                },
                LinkVarKind::Addr {
                    port: p.port,
                    proto: p.proto.clone(),
                },
                LinkVarKind::PortNumber {
                    port: p.port,
                    proto: p.proto.clone(),
                },
                LinkVarKind::Proto {
                    port: p.port,
                    proto: p.proto.clone(),
                },
            ] {
                out.push((link_var_name(&target.alias, &k), k));
            }
            if i > 0 && p.proto == end.proto && u32::from(p.port) == u32::from(end.port) + 1 {
                end = p.clone();
                if i < ports.len() - 1 {
                    continue;
                }
            }
            if end != start {
                for k in range_vars(start.port, &start.proto) {
                    out.push((link_var_name(&target.alias, &k), k));
                }
            }
            start = p.clone();
            end = p.clone();
        }
    }
    out.push((format!("{a}_NAME"), LinkVarKind::Name));
    for (k, _) in &target.env {
        if k != "HOME" && k != "PATH" {
            out.push((format!("{a}_ENV_{k}"), LinkVarKind::Env(k.clone())));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .filter(|(n, _)| seen.insert(n.clone()))
        .filter_map(|(n, k)| link_var_value(&k, target).map(|v| (n, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str, aliases: &[&str]) -> Vec<(String, LinkVarKind)> {
        dollar_reads(t.as_bytes(), 0..t.len(), aliases)
            .into_iter()
            .map(|r| {
                assert_eq!(&t[r.span.clone()], r.name);
                (r.name, r.kind)
            })
            .collect()
    }

    #[test]
    fn prefix_rules() {
        assert_eq!(link_var_prefix("web-db"), "WEB_DB");
        assert!(prefix_is_shell_name("web-db"));
        assert!(!prefix_is_shell_name("my.db"));
        assert!(!prefix_is_shell_name("1db"));
    }

    #[test]
    fn classify_every_shape() {
        let tcp = |port| (port, "tcp".to_string());
        let c = |n| classify_link_var("DB", n);
        let (p, t) = tcp(5432);
        assert_eq!(
            c("DB_PORT_5432_TCP"),
            Some(LinkVarKind::PortProto {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_ADDR"),
            Some(LinkVarKind::Addr {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_PORT"),
            Some(LinkVarKind::PortNumber {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_PROTO"),
            Some(LinkVarKind::Proto {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_START"),
            Some(LinkVarKind::Start {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_PORT_START"),
            Some(LinkVarKind::PortStart {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_5432_TCP_END"),
            Some(LinkVarKind::End {
                port: p,
                proto: t.clone()
            })
        );
        assert_eq!(
            c("DB_PORT_53_UDP_PORT_END"),
            Some(LinkVarKind::PortEnd {
                port: 53,
                proto: "udp".into()
            })
        );
        assert_eq!(c("DB_NAME"), Some(LinkVarKind::Name));
        for bad in [
            "DB_PORTS",
            "DB_PORT_",
            "DB_PORT_05432_TCP",
            "DB_PORT_5432_ICMP",
            "DB_PORT_5432_TCP_X",
            "DB_ENV_",
            "DBX_PORT",
            "DB_HOST",
            "DB_PORT_0_TCP",
            "DB_PORT_99999_TCP",
        ] {
            assert_eq!(c(bad), None, "{bad}");
        }
    }

    #[test]
    fn shell_reads_all_forms() {
        let t = r#"exec app --db "$DB_PORT_5432_TCP_ADDR:${DB_PORT_5432_TCP_PORT:-5432}" ${#DB_ENV_PASSWORD} $$DB_NAME \$DB_PORT $DB_PORTS $DB_HOST"#;
        let got: Vec<_> = names(t, &["db"]).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            got,
            vec![
                "DB_PORT_5432_TCP_ADDR",
                "DB_PORT_5432_TCP_PORT",
                "DB_ENV_PASSWORD",
                "DB_NAME"
            ]
        );
        let r = dollar_reads(t.as_bytes(), 0..t.len(), &["db"]);
        assert_eq!(&t[r[1].expr.clone()], "${DB_PORT_5432_TCP_PORT:-5432}");
        assert_eq!(&t[r[1].default.clone().unwrap()], "5432");
        assert_eq!(r[0].form, ReadForm::Dollar);
        assert_eq!(r[1].form, ReadForm::Braced);
    }

    #[test]
    fn make_recipes_need_double_dollars() {
        let t = "docker run app sh -c 'echo $$DB_PORT $${DB_NAME}' $DB_PORT $(DB_NAME) ${DB_ENV_X} $$$DB_PORT";
        let r = make_reads(t.as_bytes(), 0..t.len(), &["db"]);
        let n: Vec<_> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(n, vec!["DB_PORT", "DB_NAME"]);
        assert_eq!(&t[r[1].expr.clone()], "$${DB_NAME}");
    }

    #[test]
    fn only_aliases_of_links_count() {
        assert!(names("echo $MYSQL_ENV_MYSQL_ROOT_PASSWORD $DB_PORT", &["web"]).is_empty());
        assert_eq!(names("echo $MYSQL_ENV_X", &["mysql"]).len(), 1);
    }

    #[test]
    fn longest_prefix_wins() {
        let got = names("$DB_ENV_NAME", &["db", "db-env"]);
        assert_eq!(got, vec![("DB_ENV_NAME".into(), LinkVarKind::Name)]);
        let r = dollar_reads(b"$DB_ENV_NAME", 0..12, &["db", "db-env"]);
        assert_eq!(r[0].alias, "db-env");
    }

    #[test]
    fn defaults_are_scanned_too() {
        let got = names("${DB_PORT_5432_TCP_ADDR:-$DB_ENV_HOST}", &["db"]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn dotted_alias_only_bare() {
        let t = "os.environ['MY.DB_PORT_80_TCP_ADDR']; $MY.DB_PORT";
        assert!(dollar_reads(t.as_bytes(), 0..t.len(), &["my.db"]).is_empty());
        let r = bare_reads(t.as_bytes(), 0..t.len(), &["my.db"]);
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].span.clone()], "MY.DB_PORT_80_TCP_ADDR");
    }

    #[test]
    fn bare_settings_are_not_reads() {
        let t =
            "DB_PORT=5432\nDB_PORT_5432_TCP_ADDR: x\nget('DB_PORT_5432_TCP_ADDR')\nif DB_NAME == x";
        let r = bare_reads(t.as_bytes(), 0..t.len(), &["db"]);
        let n: Vec<_> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(n, vec!["DB_PORT_5432_TCP_ADDR", "DB_NAME"]);
    }

    #[test]
    fn shell_comments_are_not_reads() {
        let t = "# uses $DB_PORT\necho $DB_PORT # $DB_NAME\n";
        let r = shell_reads(t.as_bytes(), 0..t.len(), &["db"]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].span, 22..29);
    }

    #[test]
    fn port_parsing_and_sorting() {
        assert_eq!(PortSpec::parse("80"), Some(vec![PortSpec::new(80, "tcp")]));
        assert_eq!(
            PortSpec::parse("53/UDP"),
            Some(vec![PortSpec::new(53, "udp")])
        );
        assert_eq!(PortSpec::parse("7000-7002").unwrap().len(), 3);
        assert_eq!(PortSpec::parse("$PORT"), None);
        assert_eq!(PortSpec::parse("80/icmp"), None);
        assert_eq!(PortSpec::parse("0"), None);
        let mut p = vec![
            PortSpec::new(53, "udp"),
            PortSpec::new(9000, "tcp"),
            PortSpec::new(100, "sctp"),
            PortSpec::new(443, "tcp"),
            PortSpec::new(443, "tcp"),
        ];
        sort_ports(&mut p);
        let s: Vec<_> = p
            .iter()
            .map(|p| format!("{}/{}", p.port, p.proto))
            .collect();
        assert_eq!(s, vec!["443/tcp", "9000/tcp", "100/sctp", "53/udp"]);
    }

    fn target() -> TargetFacts {
        TargetFacts {
            name: "pg-main".into(),
            alias: "db".into(),
            consumer: Some("web".into()),
            ports: vec![
                PortSpec::new(5433, "tcp"),
                PortSpec::new(5432, "tcp"),
                PortSpec::new(53, "udp"),
                PortSpec::new(8000, "tcp"),
            ],
            ports_complete: true,
            env: vec![
                ("POSTGRES_USER".into(), "app".into()),
                ("PATH".into(), "/bin".into()),
                ("POSTGRES_USER".into(), "app2".into()),
            ],
        }
    }

    #[test]
    fn values() {
        let t = target();
        let v = |k: LinkVarKind| link_var_value(&k, &t);
        let tcp = "tcp".to_string();
        assert_eq!(v(LinkVarKind::Port).as_deref(), Some("tcp://pg-main:5432"));
        assert_eq!(
            v(LinkVarKind::Addr {
                port: 5432,
                proto: tcp.clone()
            })
            .as_deref(),
            Some("pg-main")
        );
        assert_eq!(
            v(LinkVarKind::PortProto {
                port: 53,
                proto: "udp".into()
            })
            .as_deref(),
            Some("udp://pg-main:53")
        );
        assert_eq!(
            v(LinkVarKind::End {
                port: 5432,
                proto: tcp.clone()
            })
            .as_deref(),
            Some("tcp://pg-main:5433")
        );
        assert_eq!(
            v(LinkVarKind::PortEnd {
                port: 5432,
                proto: tcp.clone()
            })
            .as_deref(),
            Some("5433")
        );
        assert_eq!(
            v(LinkVarKind::Start {
                port: 8000,
                proto: tcp.clone()
            }),
            None
        );
        assert_eq!(v(LinkVarKind::Name).as_deref(), Some("/web/db"));
        assert_eq!(
            v(LinkVarKind::Env("POSTGRES_USER".into())).as_deref(),
            Some("app2")
        );
        assert_eq!(v(LinkVarKind::Env("PATH".into())), None);
        assert_eq!(v(LinkVarKind::Env("NOPE".into())), None);
        let mut t2 = t.clone();
        t2.ports_complete = false;
        t2.consumer = None;
        assert_eq!(link_var_value(&LinkVarKind::Port, &t2), None);
        assert_eq!(
            link_var_value(
                &LinkVarKind::PortStart {
                    port: 5432,
                    proto: tcp.clone()
                },
                &t2
            ),
            None
        );
        assert_eq!(link_var_value(&LinkVarKind::Name, &t2), None);
        assert_eq!(
            link_var_value(
                &LinkVarKind::PortNumber {
                    port: 5432,
                    proto: tcp
                },
                &t2
            )
            .as_deref(),
            Some("5432")
        );
    }

    #[test]
    fn full_env_matches_docker_order() {
        let env = link_env(&target());
        let names: Vec<_> = env.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "DB_PORT",
                "DB_PORT_5432_TCP",
                "DB_PORT_5432_TCP_ADDR",
                "DB_PORT_5432_TCP_PORT",
                "DB_PORT_5432_TCP_PROTO",
                "DB_PORT_5433_TCP",
                "DB_PORT_5433_TCP_ADDR",
                "DB_PORT_5433_TCP_PORT",
                "DB_PORT_5433_TCP_PROTO",
                "DB_PORT_8000_TCP",
                "DB_PORT_8000_TCP_ADDR",
                "DB_PORT_8000_TCP_PORT",
                "DB_PORT_8000_TCP_PROTO",
                "DB_PORT_5432_TCP_START",
                "DB_PORT_5432_TCP_PORT_START",
                "DB_PORT_5432_TCP_END",
                "DB_PORT_5432_TCP_PORT_END",
                "DB_PORT_53_UDP",
                "DB_PORT_53_UDP_ADDR",
                "DB_PORT_53_UDP_PORT",
                "DB_PORT_53_UDP_PROTO",
                "DB_NAME",
                "DB_ENV_POSTGRES_USER",
            ]
        );
        // Every generated name classifies back to the kind that valued it.
        for (n, v) in &env {
            let k = classify_link_var("DB", n).unwrap();
            assert_eq!(link_var_value(&k, &target()).as_ref(), Some(v));
            assert_eq!(&link_var_name("db", &k), n);
        }
    }
}
