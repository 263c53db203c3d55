//! Which reader a file needs.

use std::path::Path;

use crate::nginx::{lex, TokenKind};

/// The kind of text a file holds, as far as this crate reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Nginx,
    EnvFile,
    Dockerfile,
    Shell,
    Other,
}

const NGINX_DIRS: &[&str] = &[
    "nginx",
    "sites-available",
    "sites-enabled",
    "conf.d",
    "http.d",
    "stream.d",
    "vhosts",
    "vhost.d",
    "openresty",
];

/// Guess the kind of a file from its path and contents.
///
/// * Dockerfile: `Dockerfile`, `Containerfile`, `Dockerfile.*`, `*.Dockerfile`
///   (any case).
/// * Env file: `.env`, `.env.*`, `*.env`, `env`. Files named by `--env-file`
///   are env files whatever their name: the caller knows that, not the path.
/// * Shell: `*.sh`, `*.bash`, `*.ksh`, `*.zsh`, `*.ash`, or a `#!` line that
///   runs a shell.
/// * nginx: a `*.conf`/`*.template`/`*.nginx`/`*.vhost`/`*.inc` or
///   extension-less file in an nginx-looking directory (`nginx`,
///   `sites-enabled`, `conf.d`, …), or such a file whose text has nginx blocks
///   or `*_pass` directives (`server {`, `location … {`, `upstream … {`,
///   `proxy_pass`).
/// * Other: everything else (URLs are still found there).
///
/// ```
/// use std::path::Path;
/// use unlink_hostnames::{kind_of, FileKind};
/// assert_eq!(kind_of(Path::new("proxy/nginx.conf"), b""), FileKind::Nginx);
/// assert_eq!(kind_of(Path::new("todos/Dockerfile"), b""), FileKind::Dockerfile);
/// assert_eq!(kind_of(Path::new("prod.env"), b""), FileKind::EnvFile);
/// assert_eq!(kind_of(Path::new("app.conf"), b"location / { proxy_pass http://x; }"), FileKind::Nginx);
/// ```
pub fn kind_of(path: &Path, text: &[u8]) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.starts_with("containerfile.")
        || name.ends_with(".dockerfile")
        || name.ends_with(".containerfile")
    {
        return FileKind::Dockerfile;
    }
    if name == ".env" || name == "env" || name.ends_with(".env") || name.starts_with(".env.") {
        return FileKind::EnvFile;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let ext = if name.starts_with('.') && !name[1..].contains('.') {
        ""
    } else {
        ext
    };
    if matches!(ext, "sh" | "bash" | "ksh" | "zsh" | "ash" | "dash") || shell_shebang(text) {
        return FileKind::Shell;
    }
    let nginxish_ext = matches!(ext, "conf" | "template" | "nginx" | "vhost" | "inc" | "");
    if nginxish_ext {
        let in_nginx_dir = path.parent().is_some_and(|p| {
            p.components().any(|c| {
                let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
                NGINX_DIRS.iter().any(|d| c == *d || c.starts_with("nginx"))
            })
        });
        if in_nginx_dir || name.starts_with("nginx") || looks_like_nginx(text) {
            return FileKind::Nginx;
        }
    }
    FileKind::Other
}

fn shell_shebang(text: &[u8]) -> bool {
    let Some(rest) = text.strip_prefix(b"#!") else {
        return false;
    };
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let line = String::from_utf8_lossy(&rest[..end]);
    line.split(|c: char| c == '/' || c.is_whitespace())
        .any(|w| matches!(w, "sh" | "bash" | "dash" | "ash" | "ksh" | "zsh"))
}

/// True when the text has nginx structure: a `*_pass` directive, or a
/// `server`/`http`/`events`/`stream` block, or a `location`/`upstream` block.
pub(crate) fn looks_like_nginx(text: &[u8]) -> bool {
    let toks: Vec<_> = lex(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Comment)
        .collect();
    let word = |i: usize| -> Option<&[u8]> {
        toks.get(i)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| &text[t.span.clone()])
    };
    let brace = |i: usize| toks.get(i).is_some_and(|t| t.kind == TokenKind::OpenBrace);
    for i in 0..toks.len() {
        let Some(w) = word(i) else { continue };
        let at_start = i == 0
            || matches!(
                toks[i - 1].kind,
                TokenKind::Semicolon | TokenKind::OpenBrace | TokenKind::CloseBrace
            );
        if !at_start {
            continue;
        }
        match w {
            b"proxy_pass" | b"fastcgi_pass" | b"uwsgi_pass" | b"scgi_pass" | b"grpc_pass"
            | b"memcached_pass"
                if toks
                    .get(i + 2)
                    .is_some_and(|t| t.kind == TokenKind::Semicolon) =>
            {
                return true
            }
            b"server" | b"http" | b"events" | b"stream" if brace(i + 1) => return true,
            b"location" | b"upstream" if (2..=4).any(|k| brace(i + k)) => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(p: &str, t: &str) -> FileKind {
        kind_of(Path::new(p), t.as_bytes())
    }

    #[test]
    fn by_name() {
        assert_eq!(k("Dockerfile", ""), FileKind::Dockerfile);
        assert_eq!(k("build/api.Dockerfile", ""), FileKind::Dockerfile);
        assert_eq!(k("Dockerfile.prod", ""), FileKind::Dockerfile);
        assert_eq!(k(".env", ""), FileKind::EnvFile);
        assert_eq!(k(".env.local", ""), FileKind::EnvFile);
        assert_eq!(k("config/db.env", ""), FileKind::EnvFile);
        assert_eq!(k("env", ""), FileKind::EnvFile);
        assert_eq!(k(".envrc", "export X=1"), FileKind::Other);
        assert_eq!(k("start.sh", ""), FileKind::Shell);
        assert_eq!(k("entrypoint", "#!/usr/bin/env bash\n"), FileKind::Shell);
        assert_eq!(k("run", "#!/usr/bin/env python3\n"), FileKind::Other);
        assert_eq!(k("etc/nginx/conf.d/default.conf", ""), FileKind::Nginx);
        assert_eq!(k("sites-enabled/app", ""), FileKind::Nginx);
        assert_eq!(k("nginx.conf", ""), FileKind::Nginx);
    }

    #[test]
    fn by_content() {
        assert_eq!(
            k("proxy/app.conf", "server {\n listen 80;\n}\n"),
            FileKind::Nginx
        );
        assert_eq!(
            k(
                "x.conf.template",
                "location /api { proxy_pass http://api; }"
            ),
            FileKind::Nginx
        );
        assert_eq!(
            k("supervisord.conf", "[program:x]\ncommand=/bin/x\n"),
            FileKind::Other
        );
        assert_eq!(
            k("compose.yml", "services:\n  web:\n    image: nginx\n"),
            FileKind::Other
        );
        assert_eq!(k("README.md", "proxy_pass http://x;"), FileKind::Other);
        assert_eq!(k("x.conf", "# server {\n"), FileKind::Other);
    }
}
