//! Config text in, located facts out: where a link alias is named as a
//! hostname, and where a legacy link variable is read.
//!
//! # What this crate owns
//!
//! A legacy `--link todos-secure:todos` does two things for the consumer
//! besides ordering: it makes `todos` resolve (an `/etc/hosts` line), and it
//! injects `TODOS_PORT_8080_TCP_ADDR` and friends into its environment. After
//! the migration to a user-defined network the first may or may not survive
//! (the planner may rename references to the container name, as the author of
//! the seed did with `proxy_pass http://todos-secure:8080`, or keep the alias
//! as a network alias), and the second is gone for good: Docker 29 no longer
//! injects the variables. Both effects leave traces in the consumer's
//! configuration — nginx files, env files, Dockerfiles, entrypoint scripts —
//! and this crate is the part of unlink that reads those traces.
//!
//! It answers two questions about one text at a time:
//!
//! * **Which bytes name an alias as a hostname?** ([`find_host_refs`],
//!   [`HostRef`]). Each answer carries the exact byte range of the hostname,
//!   the directive or key it sits in, the port when one is written, and
//!   whether the form is clear enough to rewrite. Whole hostnames only: `db`
//!   is never found in `dbadmin`, `db.example.com`, `/var/db` or `${db}`, an
//!   nginx `upstream db { … }` block's name is not a host, and neither is a
//!   `proxy_pass http://db` that names such a block.
//! * **Which legacy link variables are read?** ([`find_link_var_reads`],
//!   [`linkvars::LinkVarRead`]). Each answer carries the variable name's byte
//!   range, the alias it belongs to and its kind (`…_ADDR`, `…_PORT`,
//!   `…_ENV_X`, …); [`linkvars::link_var_value`] computes the value the link
//!   would have given when that is knowable statically.
//!
//! # What it does not own
//!
//! It does not decide. It does not know which containers are linked, which
//! files belong to which consumer, whether an alias will be kept as a network
//! alias, or whether a reference that cannot be rewritten means the alias must
//! stay: the planner does, with the graph of containers. It does no I/O: the
//! caller reads the files (and follows the nginx `include`s that
//! [`nginx::scan`] lists) and hands over bytes. It only *offers* edits:
//! [`rewrite::plan_rewrite`] turns references and an alias → host map into
//! [`unlink_edit::Edit`]s replacing exactly the hostname bytes, so the
//! config's own spacing, quoting, comments and line endings survive, and
//! running it again on its output changes nothing.
//!
//! # How it reads
//!
//! Every reader works on `&[u8]` and never panics on odd input: CRLF line
//! endings, non-UTF-8 bytes, unterminated strings and unbalanced braces give
//! fewer facts, not errors, and every span indexes the original bytes.
//!
//! * [`nginx`]: a lexer that follows nginx's tokenizer and a directive walker;
//!   hosts in the `*_pass` directives, `upstream` servers, `set` values and
//!   URLs in other directives; `include` paths and `env` directives.
//! * [`generic`]: URLs in any text, `KEY=value` in env files and assignments,
//!   and the clear hostname forms of a command line.
//! * [`dockerfile`]: instructions with continuations and heredocs, `FROM`,
//!   `COPY`/`ADD` sources, `EXPOSE`, `ENV`, `ARG` and the command texts.
//! * [`linkvars`]: link variable names, reads and values.
//! * [`classify`]: which reader a file needs ([`kind_of`]).
//!
//! Reported-only references ([`HostRef::rewritable`] false) are the ones
//! whose form does not prove the word is a hostname: a bare alias in a
//! `RUN echo` line, a `KEY=alias` whose key says nothing about hosts, an
//! `alias:port` on a docker command line (it may be an image tag). The
//! planner shows them (UL005 without a fix) and usually keeps the alias
//! resolvable.
//!
//! See `docs/hostnames.md` for the rules with examples.

use std::ops::Range;
use std::path::PathBuf;

use unlink_diagnostics::{codes, Diagnostic};

pub mod classify;
pub mod dockerfile;
pub mod generic;
pub mod linkvars;
pub mod nginx;
pub mod rewrite;
mod util;

pub use classify::{kind_of, FileKind};
pub use linkvars::{link_var_value, LinkVarKind, LinkVarRead, PortSpec, TargetFacts};
pub use rewrite::{plan_rewrite, rewrite_edits, Rewrite, SkipReason, Skipped};

/// The form a hostname was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostForm {
    /// `scheme://host…`
    Url,
    /// `host:port`
    HostPort,
    /// A bare hostname in a position that takes one (`server db;`,
    /// `DB_HOST=db`, `-h db`).
    Bare,
    /// A whole word in free text: reported, never rewritten.
    Word,
}

/// One place where a hostname is named.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostRef {
    /// Exactly the hostname bytes.
    pub span: Range<usize>,
    /// The hostname as written.
    pub host: String,
    /// Where it was found: the nginx directive (`proxy_pass`, `server`,
    /// `set`), the env key (`DB_HOST`), the Dockerfile instruction and key
    /// (`ENV DB_HOST`, `RUN`), or `url` in other text.
    pub directive: String,
    /// The port written next to it, if any.
    pub port: Option<u16>,
    pub form: HostForm,
    /// True when the form is clear enough to rewrite; false when the
    /// reference is only to be reported.
    pub rewritable: bool,
    /// Why a reference is reported only.
    pub note: Option<&'static str>,
}

impl HostRef {
    /// A UL005 (config-names-alias) diagnostic. With `new_host` and a
    /// rewritable reference it is marked fixable.
    pub fn diagnostic(&self, path: impl Into<PathBuf>, new_host: Option<&str>) -> Diagnostic {
        let d = Diagnostic::new(
            &codes::CONFIG_NAMES_ALIAS,
            path,
            self.span.clone(),
            format!(
                "`{}` names the link alias `{}` as a hostname",
                self.directive, self.host
            ),
        );
        match (new_host, self.rewritable) {
            (Some(new), true) => d
                .with_help(format!("unlink rewrites it to `{new}`"))
                .fixable(true),
            _ => d.with_help(
                self.note
                    .unwrap_or("the alias must stay resolvable for this reference"),
            ),
        }
    }
}

impl LinkVarRead {
    /// UL004 (link-env-var, fixable) when the value is known, UL020
    /// (link-env-value-unknown) when it is not.
    pub fn diagnostic(&self, path: impl Into<PathBuf>, value: Option<&str>) -> Diagnostic {
        match value {
            Some(v) => Diagnostic::new(
                &codes::LINK_ENV_VAR,
                path,
                self.span.clone(),
                format!(
                    "`{}` is a legacy link variable of `{}`; Docker 29 no longer sets it",
                    self.name, self.alias
                ),
            )
            .with_help(format!("unlink passes `-e {}={v}` to the consumer", self.name))
            .fixable(true),
            None => Diagnostic::new(
                &codes::LINK_ENV_VALUE_UNKNOWN,
                path,
                self.span.clone(),
                format!(
                    "`{}` is a legacy link variable of `{}` and its value cannot be known statically",
                    self.name, self.alias
                ),
            )
            .with_help(format!(
                "pass `-e {}=…` to the consumer by hand",
                self.name
            )),
        }
    }
}

/// Every reference to one of `aliases` as a hostname in `text`, read as
/// `kind`. Sorted by position.
///
/// * `Nginx`: [`nginx::scan`] (upstreams of this file applied; use
///   [`nginx::drop_upstream_refs`] for upstreams defined in included files).
/// * `EnvFile`: [`generic::env_file_refs`].
/// * `Dockerfile`: [`dockerfile::dockerfile_refs`].
/// * `Shell`: [`generic::command_refs`] over the whole script, reporting
///   unclear whole words on lines that write files and in heredocs.
/// * `Other`: URLs only ([`generic::text_refs`]).
///
/// ```
/// use unlink_hostnames::{find_host_refs, FileKind};
/// let t = b"location / {\n    proxy_pass   http://todos:8080;\n}\n";
/// let refs = find_host_refs(FileKind::Nginx, t, &["todos"]);
/// assert_eq!(refs.len(), 1);
/// assert_eq!(&t[refs[0].span.clone()], b"todos");
/// ```
pub fn find_host_refs<S: AsRef<str>>(kind: FileKind, text: &[u8], aliases: &[S]) -> Vec<HostRef> {
    let mut refs = match kind {
        FileKind::Nginx => nginx::scan(text).refs_to(aliases),
        FileKind::EnvFile => generic::env_file_refs(text, aliases),
        FileKind::Dockerfile => dockerfile::dockerfile_refs(text, aliases),
        FileKind::Shell => generic::command_refs(
            text,
            0..text.len(),
            aliases,
            generic::CommandContext {
                directive: "script",
                unclear: generic::Unclear::WhereWritten,
            },
        ),
        FileKind::Other => generic::text_refs(text, aliases),
    };
    refs.sort_by_key(|r| (r.span.start, r.span.end));
    refs.dedup_by(|a, b| a.span == b.span);
    refs
}

/// Every read of a legacy link variable of one of `aliases` in `text`, read
/// as `kind`. Sorted by position.
///
/// * `Shell`: `$X`, `${X…}` outside comments.
/// * `EnvFile`: `$X`, `${X…}` in values (`OTHER=${DB_PORT_5432_TCP_ADDR}`);
///   the keys are settings, not reads.
/// * `Nginx`: `env X;` directives, and `$X`/`${X}` (envsubst templates).
/// * `Dockerfile`: [`dockerfile::dockerfile_reads`].
/// * `Other`: `$X`, `${X…}` and bare names that are not followed by `=`/`:`.
///
/// ```
/// use unlink_hostnames::{find_link_var_reads, FileKind, LinkVarKind};
/// let t = b"#!/bin/sh\nexec app --db \"$DB_PORT_5432_TCP_ADDR\"\n";
/// let reads = find_link_var_reads(FileKind::Shell, t, &["db"]);
/// assert_eq!(reads[0].name, "DB_PORT_5432_TCP_ADDR");
/// assert!(matches!(reads[0].kind, LinkVarKind::Addr { port: 5432, .. }));
/// ```
pub fn find_link_var_reads<S: AsRef<str>>(
    kind: FileKind,
    text: &[u8],
    aliases: &[S],
) -> Vec<LinkVarRead> {
    let all = 0..text.len();
    let mut reads = match kind {
        FileKind::Shell => linkvars::shell_reads(text, all, aliases),
        FileKind::EnvFile => generic::env_file_entries(text)
            .into_iter()
            .flat_map(|e| linkvars::dollar_reads(text, e.value_span, aliases))
            .collect(),
        FileKind::Nginx => {
            let cfg = nginx::scan(text);
            let prefixes: Vec<_> = aliases
                .iter()
                .map(|a| (linkvars::link_var_prefix(a.as_ref()), a.as_ref()))
                .collect();
            let mut out: Vec<LinkVarRead> = cfg
                .env
                .iter()
                .filter(|e| !e.sets)
                .filter_map(|e| {
                    prefixes.iter().find_map(|(p, a)| {
                        linkvars::classify_link_var(p, &e.name).map(|k| LinkVarRead {
                            span: e.span.clone(),
                            expr: e.span.clone(),
                            name: e.name.clone(),
                            alias: a.to_string(),
                            kind: k,
                            form: linkvars::ReadForm::NginxEnv,
                            default: None,
                        })
                    })
                })
                .collect();
            let comments: Vec<_> = nginx::lex(text)
                .into_iter()
                .filter(|t| t.kind == nginx::TokenKind::Comment)
                .map(|t| t.span)
                .collect();
            out.extend(
                linkvars::dollar_reads(text, all, aliases)
                    .into_iter()
                    .filter(|r| !comments.iter().any(|c| c.contains(&r.expr.start))),
            );
            out
        }
        FileKind::Dockerfile => dockerfile::dockerfile_reads(text, aliases),
        FileKind::Other => {
            let mut out = linkvars::dollar_reads(text, all.clone(), aliases);
            for r in linkvars::bare_reads(text, all, aliases) {
                if !out
                    .iter()
                    .any(|o| o.span.start <= r.span.start && r.span.start < o.span.end)
                {
                    out.push(r);
                }
            }
            out
        }
    };
    reads.sort_by_key(|r| (r.span.start, r.span.end));
    reads.dedup_by(|a, b| a.span == b.span);
    reads
}

/// Find the references to the aliases in `map` and plan their rewrite in
/// one call.
///
/// ```
/// use unlink_hostnames::{rewrite_hosts, FileKind};
/// let t = b"    location / {\n       proxy_pass   http://todos:8080;\n    }\n";
/// let plan = rewrite_hosts(FileKind::Nginx, t, [("todos", "todos-secure")]);
/// let out = unlink_edit::apply(t, plan.edits).unwrap();
/// assert_eq!(out, b"    location / {\n       proxy_pass   http://todos-secure:8080;\n    }\n");
/// ```
pub fn rewrite_hosts<K, V>(
    kind: FileKind,
    text: &[u8],
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
    let aliases: Vec<&str> = map.iter().map(|(k, _)| k.as_str()).collect();
    let refs = find_host_refs(kind, text, &aliases);
    plan_rewrite(text, &refs, map.iter().map(|(k, v)| (k, v)))
}
