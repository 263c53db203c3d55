//! nginx configuration: a small lexer that follows nginx's own tokenizer
//! (`ngx_conf_read_token`), a directive walker, and the host references of the
//! directives that open connections.
//!
//! Found: the address of `proxy_pass`, `fastcgi_pass`, `uwsgi_pass`,
//! `scgi_pass`, `grpc_pass` and `memcached_pass` (URL or bare `host:port`),
//! `server HOST[:PORT]` inside `upstream NAME { … }`, the value of
//! `set $var …` (a URL, a `host:port`, or a bare host when `$var` is used in a
//! `*_pass`), and URLs in the arguments of any other directive. Not found: an
//! `upstream` block's own name, a `*_pass` that names an upstream block (a
//! bare word, or a URL host without a port that equals an upstream name),
//! `unix:` sockets, variables, `resolver` arguments, anything in comments.

use std::ops::Range;

use crate::generic::{find_urls, parse_host_item};
use crate::util::{host_eq, is_space, text_of};
use crate::{HostForm, HostRef};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word; may contain `$var` and `${var}` (a `{` right after `$`
    /// does not end the word) and backslash escapes.
    Word,
    /// A `"…"` or `'…'` string, quotes included in the span.
    Quoted,
    Semicolon,
    OpenBrace,
    CloseBrace,
    /// `#` to the end of the line (the `\r` of a CRLF excluded).
    Comment,
}

/// One token with its exact byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

impl Token {
    /// The bytes of the value: the span without the quotes of a string.
    pub fn inner(&self) -> Range<usize> {
        match self.kind {
            TokenKind::Quoted if self.span.len() >= 2 => self.span.start + 1..self.span.end - 1,
            TokenKind::Quoted => self.span.end..self.span.end,
            _ => self.span.clone(),
        }
    }
}

/// Tokenize an nginx configuration. Never fails: an unterminated string runs
/// to the end of the input.
pub fn lex(text: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let n = text.len();
    let mut i = 0;
    while i < n {
        let c = text[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        let single = |kind| Token {
            kind,
            span: i..i + 1,
        };
        match c {
            b';' => {
                out.push(single(TokenKind::Semicolon));
                i += 1;
            }
            b'{' => {
                out.push(single(TokenKind::OpenBrace));
                i += 1;
            }
            b'}' => {
                out.push(single(TokenKind::CloseBrace));
                i += 1;
            }
            b'#' => {
                let mut j = i;
                while j < n && text[j] != b'\n' {
                    j += 1;
                }
                let end = if j > i && text[j - 1] == b'\r' {
                    j - 1
                } else {
                    j
                };
                out.push(Token {
                    kind: TokenKind::Comment,
                    span: i..end,
                });
                i = j;
            }
            b'"' | b'\'' => {
                let mut j = i + 1;
                while j < n && text[j] != c {
                    if text[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(n);
                out.push(Token {
                    kind: TokenKind::Quoted,
                    span: i..end,
                });
                i = end;
            }
            _ => {
                let mut j = i;
                while j < n {
                    let b = text[j];
                    if b == b'\\' {
                        j += 2;
                        continue;
                    }
                    if b == b'{' && j > i && text[j - 1] == b'$' {
                        while j < n && text[j] != b'}' {
                            j += 1;
                        }
                        j += 1;
                        continue;
                    }
                    if is_space(b) || b == b';' || b == b'{' {
                        break;
                    }
                    j += 1;
                }
                let end = j.min(n);
                out.push(Token {
                    kind: TokenKind::Word,
                    span: i..end,
                });
                i = end;
            }
        }
    }
    out
}

/// One directive: a name, its arguments, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub name_span: Range<usize>,
    /// Words and strings after the name.
    pub args: Vec<Token>,
    /// From the name to the terminating `;` or `{` (inclusive).
    pub span: Range<usize>,
    /// True when the directive opens a block.
    pub block: bool,
    /// Names of the enclosing block directives, outermost first.
    pub context: Vec<String>,
}

impl Directive {
    /// The value of argument `i` (quotes removed, escapes kept as written).
    pub fn arg_text(&self, text: &[u8], i: usize) -> Option<String> {
        self.args.get(i).map(|t| text_of(text, t.inner()))
    }

    fn in_block(&self, name: &str) -> bool {
        self.context.last().is_some_and(|c| c == name)
    }
}

/// The deepest nesting of blocks [`directives`] reads.
const MAX_NESTING: usize = 100;

/// Walk the tokens into directives. A `}` without an open block and a
/// directive cut off by the end of input are recorded in `problems`.
pub fn directives(text: &[u8], tokens: &[Token]) -> (Vec<Directive>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut cur: Vec<&Token> = Vec::new();
    for t in tokens {
        match t.kind {
            TokenKind::Comment => {}
            TokenKind::Word | TokenKind::Quoted => cur.push(t),
            TokenKind::Semicolon | TokenKind::OpenBrace => {
                if cur.is_empty() {
                    if t.kind == TokenKind::OpenBrace {
                        stack.push(String::new());
                    }
                    continue;
                }
                let name_tok = cur[0];
                let name = text_of(text, name_tok.inner());
                out.push(Directive {
                    name: name.clone(),
                    name_span: name_tok.span.clone(),
                    args: cur[1..].iter().map(|t| (*t).clone()).collect(),
                    span: name_tok.span.start..t.span.end,
                    block: t.kind == TokenKind::OpenBrace,
                    context: stack.clone(),
                });
                if t.kind == TokenKind::OpenBrace {
                    stack.push(name);
                    // Each directive copies its context: stop before that
                    // turns quadratic (no real config nests this deep).
                    if stack.len() > MAX_NESTING {
                        problems.push(Problem {
                            span: t.span.clone(),
                            message: format!("blocks nested more than {MAX_NESTING} deep"),
                        });
                        return (out, problems);
                    }
                }
                cur.clear();
            }
            TokenKind::CloseBrace => {
                if !cur.is_empty() {
                    problems.push(Problem {
                        span: cur[0].span.start..t.span.end,
                        message: "directive is not terminated by \";\"".into(),
                    });
                    cur.clear();
                }
                if stack.pop().is_none() {
                    problems.push(Problem {
                        span: t.span.clone(),
                        message: "unexpected \"}\"".into(),
                    });
                }
            }
        }
    }
    if let Some(first) = cur.first() {
        problems.push(Problem {
            span: first.span.start..text.len(),
            message: "unexpected end of file, expecting \";\" or \"}\"".into(),
        });
    }
    if !stack.is_empty() {
        problems.push(Problem {
            span: text.len()..text.len(),
            message: "unexpected end of file, expecting \"}\"".into(),
        });
    }
    (out, problems)
}

/// Something in the file nginx itself would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
}

/// An `upstream NAME { … }` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub name: String,
    /// The bytes of NAME.
    pub span: Range<usize>,
}

/// An `include PATH;` directive: the caller resolves PATH (relative to the
/// nginx prefix, globs allowed) and follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    pub span: Range<usize>,
}

/// An `env NAME;` (passes a variable through to workers, i.e. reads it) or
/// `env NAME=value;` (sets it) directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvDirective {
    pub name: String,
    /// The bytes of NAME.
    pub span: Range<usize>,
    /// True for `env NAME=value`.
    pub sets: bool,
}

/// Everything this crate reads from one nginx file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NginxConfig {
    pub directives: Vec<Directive>,
    /// Every host reference, for any host (filter by alias with
    /// [`NginxConfig::refs_to`]).
    pub hosts: Vec<HostRef>,
    pub upstreams: Vec<Upstream>,
    pub includes: Vec<Include>,
    pub env: Vec<EnvDirective>,
    pub problems: Vec<Problem>,
}

impl NginxConfig {
    /// The host references that name one of `aliases`.
    pub fn refs_to<S: AsRef<str>>(&self, aliases: &[S]) -> Vec<HostRef> {
        self.hosts
            .iter()
            .filter(|r| {
                aliases
                    .iter()
                    .any(|a| host_eq(r.host.as_bytes(), a.as_ref()))
            })
            .cloned()
            .collect()
    }
}

/// The directives whose argument is an upstream address.
pub const PASS_DIRECTIVES: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
    "memcached_pass",
];

/// Read one nginx file.
///
/// Upstream blocks defined in this file are applied at once; an upstream
/// defined in an included file is not known here, so pass the names of all
/// upstreams of the configuration to [`drop_upstream_refs`] after following the
/// includes.
///
/// ```
/// let conf = b"location / {\n   proxy_pass   http://todos:8080;  # app\n}\n";
/// let c = unlink_hostnames::nginx::scan(conf);
/// assert_eq!(c.hosts.len(), 1);
/// assert_eq!(&conf[c.hosts[0].span.clone()], b"todos");
/// assert_eq!(c.hosts[0].directive, "proxy_pass");
/// ```
pub fn scan(text: &[u8]) -> NginxConfig {
    let tokens = lex(text);
    let (directives, problems) = directives(text, &tokens);
    let mut cfg = NginxConfig {
        problems,
        ..Default::default()
    };
    for d in &directives {
        match d.name.as_str() {
            "upstream" if d.block => {
                if let Some(t) = d.args.first() {
                    cfg.upstreams.push(Upstream {
                        name: text_of(text, t.inner()),
                        span: t.inner(),
                    });
                }
            }
            "include" => {
                if let Some(t) = d.args.first() {
                    cfg.includes.push(Include {
                        path: text_of(text, t.inner()),
                        span: t.inner(),
                    });
                }
            }
            "env" => {
                if let Some(t) = d.args.first() {
                    let r = t.inner();
                    let eq = text[r.clone()].iter().position(|&b| b == b'=');
                    let end = eq.map_or(r.end, |p| r.start + p);
                    cfg.env.push(EnvDirective {
                        name: text_of(text, r.start..end),
                        span: r.start..end,
                        sets: eq.is_some(),
                    });
                }
            }
            _ => {}
        }
    }
    // Variables used in the address of a *_pass: `set $v host;` then names a host.
    let mut pass_vars: Vec<String> = Vec::new();
    for d in directives
        .iter()
        .filter(|d| PASS_DIRECTIVES.contains(&d.name.as_str()))
    {
        if let Some(t) = d.args.first() {
            let r = t.inner();
            let mut k = r.start;
            while k < r.end {
                if text[k] == b'$' {
                    let mut s = k + 1;
                    let braced = s < r.end && text[s] == b'{';
                    if braced {
                        s += 1;
                    }
                    let mut e = s;
                    while e < r.end && (text[e].is_ascii_alphanumeric() || text[e] == b'_') {
                        e += 1;
                    }
                    if e > s {
                        pass_vars.push(text_of(text, s..e));
                    }
                    k = e.max(k + 1);
                } else {
                    k += 1;
                }
            }
        }
    }
    for d in &directives {
        let name = d.name.as_str();
        let mk = |hp: crate::generic::HostPort, form| HostRef {
            span: hp.span,
            host: hp.host,
            directive: name.to_string(),
            port: hp.port,
            form,
            rewritable: true,
            note: None,
        };
        if PASS_DIRECTIVES.contains(&name) {
            if let Some(t) = d.args.first() {
                if let Some((hp, form)) = pass_address(text, t.inner()) {
                    cfg.hosts.push(mk(hp, form));
                }
            }
        } else if name == "server" && d.in_block("upstream") {
            if let Some(t) = d.args.first() {
                let r = t.inner();
                if !text[r.clone()].starts_with(b"unix:") {
                    if let Some(hp) = parse_host_item(text, r) {
                        let form = if hp.port.is_some() {
                            HostForm::HostPort
                        } else {
                            HostForm::Bare
                        };
                        cfg.hosts.push(mk(hp, form));
                    }
                }
            }
        } else if name == "set" && d.args.len() >= 2 {
            let var = text_of(text, d.args[0].inner());
            let var = var
                .trim_start_matches('$')
                .trim_matches(|c| c == '{' || c == '}');
            let r = d.args[1].inner();
            let urls = find_urls(text, r.clone());
            if !urls.is_empty() {
                for u in urls {
                    for hp in u.hosts {
                        cfg.hosts.push(mk(hp, HostForm::Url));
                    }
                }
            } else if let Some(hp) = parse_host_item(text, r.clone()) {
                if hp.span.start == r.start
                    && !text[r.clone()].starts_with(b"unix:")
                    && (hp.port.is_some() || pass_vars.iter().any(|v| v == var))
                {
                    let form = if hp.port.is_some() {
                        HostForm::HostPort
                    } else {
                        HostForm::Bare
                    };
                    cfg.hosts.push(mk(hp, form));
                }
            }
        } else if name == "resolver" || name == "include" || name == "env" {
            // DNS servers, paths and variable names: never hosts of a service.
        } else {
            for t in &d.args {
                for u in find_urls(text, t.inner()) {
                    for hp in u.hosts {
                        cfg.hosts.push(mk(hp, HostForm::Url));
                    }
                }
            }
        }
    }
    let names: Vec<String> = cfg.upstreams.iter().map(|u| u.name.clone()).collect();
    drop_upstream_refs(&mut cfg.hosts, &names);
    cfg.directives = directives;
    cfg
}

/// The host of a `*_pass` address: `scheme://host[:port]…` or a bare
/// `host:port`. A bare word without a port is an upstream name; `unix:` and
/// variables are no host.
fn pass_address(text: &[u8], r: Range<usize>) -> Option<(crate::generic::HostPort, HostForm)> {
    let arg = &text[r.clone()];
    if arg.starts_with(b"unix:") {
        return None;
    }
    if let Some(p) = arg.windows(3).position(|w| w == b"://") {
        let scheme = &arg[..p];
        if !scheme.iter().all(|&b| b.is_ascii_alphabetic()) {
            return None;
        }
        let hs = r.start + p + 3;
        if text[hs..r.end].starts_with(b"unix:") {
            return None;
        }
        let u = find_urls(text, r.clone()).into_iter().next()?;
        let hp = u.hosts.into_iter().next()?;
        if hp.span.start != hs {
            // userinfo or a variable in front of the host
            return None;
        }
        return Some((hp, HostForm::Url));
    }
    let hp = parse_host_item(text, r.clone())?;
    if hp.span.start != r.start || hp.port.is_none() {
        return None;
    }
    Some((hp, HostForm::HostPort))
}

/// Drop the references that name an upstream block rather than a host: a
/// `*_pass` or `set` address without a port whose host equals an upstream
/// name (nginx compares case-insensitively). Call it with the upstream names
/// of the whole configuration once the includes are followed.
pub fn drop_upstream_refs<S: AsRef<str>>(refs: &mut Vec<HostRef>, upstream_names: &[S]) {
    refs.retain(|r| {
        let pass_like = PASS_DIRECTIVES.contains(&r.directive.as_str()) || r.directive == "set";
        !(pass_like
            && r.port.is_none()
            && upstream_names
                .iter()
                .any(|u| host_eq(r.host.as_bytes(), u.as_ref())))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(conf: &str) -> Vec<(String, String, Option<u16>)> {
        scan(conf.as_bytes())
            .hosts
            .into_iter()
            .map(|h| {
                assert_eq!(&conf[h.span.clone()], h.host, "span must be the host bytes");
                (h.directive, h.host, h.port)
            })
            .collect()
    }

    #[test]
    fn lexer_spans() {
        let t = b"a 'b;c' \"d\\\"e\" ${x}y; # c\r\n}";
        let toks = lex(t);
        let kinds: Vec<_> = toks.iter().map(|t| t.kind).collect();
        use TokenKind::*;
        assert_eq!(
            kinds,
            vec![Word, Quoted, Quoted, Word, Semicolon, Comment, CloseBrace]
        );
        assert_eq!(&t[toks[1].inner()], b"b;c");
        assert_eq!(&t[toks[2].inner()], b"d\\\"e");
        assert_eq!(&t[toks[3].span.clone()], b"${x}y");
        assert_eq!(&t[toks[5].span.clone()], b"# c");
    }

    #[test]
    fn pass_directives() {
        let conf = "
            proxy_pass http://todos:8080/api/;
            fastcgi_pass php:9000;
            uwsgi_pass uwsgi://py:3031;
            scgi_pass scgi:4000;
            grpc_pass grpcs://grpc-svc:50051;
            memcached_pass mc:11211;
            fastcgi_pass unix:/run/php.sock;
            proxy_pass http://unix:/tmp/backend.socket:/uri/;
            proxy_pass http://$backend;
            proxy_pass https://web;
        ";
        assert_eq!(
            found(conf),
            vec![
                ("proxy_pass".into(), "todos".into(), Some(8080)),
                ("fastcgi_pass".into(), "php".into(), Some(9000)),
                ("uwsgi_pass".into(), "py".into(), Some(3031)),
                ("scgi_pass".into(), "scgi".into(), Some(4000)),
                ("grpc_pass".into(), "grpc-svc".into(), Some(50051)),
                ("memcached_pass".into(), "mc".into(), Some(11211)),
                ("proxy_pass".into(), "web".into(), None),
            ]
        );
    }

    #[test]
    fn upstream_name_is_not_a_host() {
        let conf = "
            upstream todos { server todos:8080 weight=2; server unix:/x.sock; keepalive 4; }
            server { location / { proxy_pass http://todos; } }
            server { location /b { proxy_pass http://TODOS/b; } }
        ";
        let got = found(conf);
        assert_eq!(got, vec![("server".into(), "todos".into(), Some(8080))]);
        let c = scan(conf.as_bytes());
        assert_eq!(c.upstreams.len(), 1);
        assert_eq!(&conf[c.upstreams[0].span.clone()], "todos");
    }

    #[test]
    fn upstream_with_port_in_pass_is_a_host() {
        // nginx refuses a port on an upstream name, so `name:port` is a host.
        let conf =
            "upstream app { server a:1; } server { location / { proxy_pass http://app:8080; } }";
        let got = found(conf);
        assert_eq!(got[1], ("proxy_pass".into(), "app".into(), Some(8080)));
    }

    #[test]
    fn bare_pass_without_port_is_an_upstream() {
        assert!(found("stream { server { proxy_pass backend; } }").is_empty());
        assert_eq!(
            found("stream { server { proxy_pass db:5432; } }"),
            vec![("proxy_pass".into(), "db".into(), Some(5432))]
        );
    }

    #[test]
    fn set_values() {
        let conf = r#"
            set $a "http://todos:8080";
            set $b todos;
            set $c web;
            set $d api:81;
            proxy_pass http://$b:8080;
        "#;
        let got = found(conf);
        assert_eq!(
            got,
            vec![
                ("set".into(), "todos".into(), Some(8080)),
                ("set".into(), "todos".into(), None),
                ("set".into(), "api".into(), Some(81)),
            ]
        );
    }

    #[test]
    fn comments_resolver_and_other_directives() {
        let conf = "
            # proxy_pass http://todos:8080;
            resolver 127.0.0.11 valid=10s;
            proxy_redirect http://todos:8080/ /; # todos
            proxy_set_header Host todos;
        ";
        assert_eq!(
            found(conf),
            vec![("proxy_redirect".into(), "todos".into(), Some(8080))]
        );
    }

    #[test]
    fn includes_env_and_problems() {
        let c = scan(b"env DB_PORT_5432_TCP_ADDR;\nenv X=1;\ninclude conf.d/*.conf;\n}\nserver {");
        assert_eq!(c.includes[0].path, "conf.d/*.conf");
        assert_eq!(c.env.len(), 2);
        assert!(!c.env[0].sets && c.env[1].sets);
        assert_eq!(c.env[1].name, "X");
        assert_eq!(c.problems.len(), 2);
    }

    #[test]
    fn crlf_and_non_utf8() {
        let mut t =
            b"location / {\r\n  proxy_pass http://todos:8080;\r\n  # caf\xe9\r\n}\r\n".to_vec();
        let c = scan(&t);
        assert_eq!(c.hosts.len(), 1);
        assert_eq!(&t[c.hosts[0].span.clone()], b"todos");
        t.push(0xff);
        let _ = scan(&t);
    }

    #[test]
    fn context_is_recorded() {
        let c = scan(b"http { upstream u { server a:1; } }");
        let s = c.directives.iter().find(|d| d.name == "server").unwrap();
        assert_eq!(s.context, vec!["http".to_string(), "upstream".to_string()]);
    }
}
