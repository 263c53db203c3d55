//! Property-style tests over generated configs: rewriting and then scanning
//! again with the same map finds nothing left to rewrite, never touches the
//! look-alikes, and changes nothing on a second run.

use unlink_hostnames::{find_host_refs, rewrite_hosts, FileKind};

/// A tiny deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

const MAP: &[(&str, &str)] = &[
    ("db", "db-main"),
    ("todos", "todos-secure"),
    ("cache", "redis"),
    ("web-1", "web1.internal"),
];

/// Clear references (`{a}` = alias, `{A}` = its env-style name, `{n}` = a
/// counter) per kind.
fn clear(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Nginx => &[
            "location /p{n} {\n    proxy_pass   http://{a}:8080;   # to {a}\n}",
            "location /g{n} { grpc_pass grpcs://{a}:50051; }",
            "location /f{n} { fastcgi_pass {a}:9000; }",
            "set $u{n} \"http://{a}:80/x\";",
            "upstream up{n} { server {a}:5432 weight=2; server {a}; }",
            "location /r{n} { proxy_redirect http://{a}:8080/ /; }",
        ],
        FileKind::EnvFile => &[
            "{A}_HOST={a}",
            "export URL_{n}=\"postgres://u:p@{a}:5432/x\"",
            "SERVERS_{n}={a}:1,other:2",
            "DSN_{n}='host={a} port=5432'",
            "ADDR_{n}=${ADDR_{n}:-{a}:80}",
        ],
        FileKind::Dockerfile => &[
            "ENV {A}_HOST={a}",
            "ARG URL_{n}=http://{a}:8080",
            "RUN echo \"API_{n}=http://{a}:1/\" > /etc/e{n}",
            "ENV LEGACY_HOST_{n} {a}",
            "RUN wait-for-it {a}:5432 -- true",
        ],
        FileKind::Shell | FileKind::Other => &[
            "curl -fsS http://{a}:8080/health",
            "wait-for-it {a}:5432 -- true",
            "psql -h {a} -U app",
            "exec app --{a}-host={a}",
            "export {A}_HOST={a}",
        ],
    }
}

/// Look-alikes that must survive unchanged.
fn traps(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Nginx => &[
            "upstream {a} { server 10.0.0.{n}:1; }\nlocation /u{n} { proxy_pass http://{a}; }",
            "root /var/{a};",
            "server_name {a}.example.com;",
            "proxy_set_header X-{n} {a}admin;",
            "# proxy_pass http://{a}:1;",
            "location /d{n} { proxy_pass http://{a}.example.com:80; }",
            "location /s{n} { fastcgi_pass unix:/run/{a}.sock; }",
        ],
        FileKind::EnvFile => &[
            "{A}_NAME={a}",
            "DATA_DIR_{n}=/var/{a}",
            "DOMAIN_{n}={a}.example.com",
            "ADMIN_HOST_{n}={a}admin",
            "# {A}_HOST={a}",
            "{A}_CONNECTION={a}",
        ],
        FileKind::Dockerfile => &[
            "FROM {a}:7",
            "COPY {a} /srv/{a}",
            "RUN cd /var/{a} && ls",
            "LABEL svc={a}",
            "ENV {A}_USER={a}",
        ],
        FileKind::Shell | FileKind::Other => &[
            "ls /var/{a}",
            "curl https://{a}.example.com/",
            "echo ${{a}}",
            "# {a}:1",
            "{a}admin --help",
        ],
    }
}

fn fill(t: &str, alias: &str, n: usize) -> String {
    let upper = alias.to_uppercase().replace(['-', '.'], "_");
    t.replace("{A}", &upper)
        .replace("{a}", alias)
        .replace("{n}", &n.to_string())
}

fn generate(rng: &mut Rng, kind: FileKind) -> (String, Vec<String>) {
    let mut parts = Vec::new();
    let mut trap_texts = Vec::new();
    if kind == FileKind::Dockerfile {
        parts.push("FROM alpine:3.20".to_string());
    }
    let count = 1 + rng.below(8);
    for n in 0..count {
        let alias = rng.pick(MAP).0;
        if rng.below(3) == 0 {
            let t = fill(rng.pick(traps(kind)), alias, n);
            trap_texts.push(t.clone());
            parts.push(t);
        } else {
            parts.push(fill(rng.pick(clear(kind)), alias, n));
        }
    }
    // At least one clear reference, so every case has something to rewrite.
    let alias = rng.pick(MAP).0;
    parts.push(fill(rng.pick(clear(kind)), alias, 99));
    let nl = if rng.below(2) == 0 { "\n" } else { "\r\n" };
    let mut text = parts.join(nl).replace('\n', nl).replace("\r\r\n", "\r\n");
    if rng.below(2) == 0 {
        text.push_str(nl);
    }
    (text, trap_texts)
}

fn check(kind: FileKind, seed: u64) {
    let mut rng = Rng(seed);
    for case in 0..300 {
        let (text, traps) = generate(&mut rng, kind);
        let plan = rewrite_hosts(kind, text.as_bytes(), MAP.iter().copied());
        assert!(
            !plan.edits.is_empty(),
            "{kind:?} case {case}: nothing rewritten in\n{text}"
        );
        let out = unlink_edit::apply(text.as_bytes(), plan.edits).unwrap();
        let out_s = String::from_utf8(out.clone()).unwrap();
        // 1. Nothing rewritable is left for an old alias.
        let old: Vec<&str> = MAP.iter().map(|(a, _)| *a).collect();
        let left: Vec<_> = find_host_refs(kind, &out, &old)
            .into_iter()
            .filter(|r| r.rewritable)
            .collect();
        assert!(
            left.is_empty(),
            "{kind:?} case {case}: still found {left:?} in\n{out_s}"
        );
        // 2. A second run changes nothing.
        let again = rewrite_hosts(kind, &out, MAP.iter().copied());
        assert!(
            again.edits.is_empty(),
            "{kind:?} case {case}: not idempotent"
        );
        // 3. Look-alikes are untouched.
        for t in &traps {
            for line in t.lines() {
                assert!(
                    out_s.contains(line),
                    "{kind:?} case {case}: trap {line:?} changed in\n{out_s}"
                );
            }
        }
        // 4. Line endings and line count survive.
        assert_eq!(
            text.matches('\n').count(),
            out_s.matches('\n').count(),
            "{kind:?} case {case}"
        );
        assert_eq!(text.matches("\r\n").count(), out_s.matches("\r\n").count());
    }
}

#[test]
fn nginx_rewrite_then_refind() {
    check(FileKind::Nginx, 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn env_rewrite_then_refind() {
    check(FileKind::EnvFile, 0xdead_beef_cafe_f00d);
}

#[test]
fn dockerfile_rewrite_then_refind() {
    check(FileKind::Dockerfile, 0x0123_4567_89ab_cdef);
}

#[test]
fn shell_rewrite_then_refind() {
    check(FileKind::Shell, 0x5555_aaaa_3333_cccc);
}

/// A map whose new host is another alias (`a → b`, `b → c`) must not make a
/// second run rewrite again.
#[test]
fn chained_maps_stay_idempotent() {
    let map = [("db", "cache"), ("cache", "redis")];
    let text = b"A=http://db:1\nB=http://cache:2\n";
    let plan = rewrite_hosts(FileKind::EnvFile, text, map);
    let out = unlink_edit::apply(text, plan.edits).unwrap();
    assert_eq!(out, b"A=http://db:1\nB=http://redis:2\n");
    assert_eq!(plan.skipped.len(), 1);
    let again = rewrite_hosts(FileKind::EnvFile, &out, map);
    assert!(again.edits.is_empty());
}

/// The generator itself can produce a failing case: a naive substring
/// replacement breaks the traps the property checks.
#[test]
fn the_property_can_fail() {
    let mut rng = Rng(7);
    let mut caught = false;
    for _ in 0..50 {
        let (text, traps) = generate(&mut rng, FileKind::EnvFile);
        let naive = text.replace("db", "db-main");
        if traps
            .iter()
            .any(|t| !naive.contains(t.lines().next().unwrap()))
        {
            caught = true;
            break;
        }
    }
    assert!(caught);
}

/// Odd input never panics, and every span indexes the input exactly.
#[test]
fn odd_bytes_never_panic() {
    const PIECES: &[&[u8]] = &[
        b"db",
        b"DB_",
        b"PORT_5432_TCP_ADDR",
        b"$",
        b"${",
        b"}",
        b"{",
        b";",
        b"\"",
        b"'",
        b"\\",
        b"\\\n",
        b"`",
        b"://",
        b"http",
        b":",
        b"8080",
        b"@",
        b",",
        b"=",
        b" ",
        b"\t",
        b"\n",
        b"\r\n",
        b"#",
        b"<<",
        b"EOF",
        b"-",
        b"/",
        b"\xff",
        b"\xc3",
        b"\xa9",
        b"upstream",
        b"server",
        b"proxy_pass",
        b"set",
        b"env",
        b"RUN",
        b"ENV",
        b"ARG",
        b"echo",
        b">",
        b"-h",
        b"FROM",
        b"COPY",
        b"[",
        b"]",
        b"export",
        b"unix:",
        b"todos",
    ];
    let kinds = [
        FileKind::Nginx,
        FileKind::EnvFile,
        FileKind::Dockerfile,
        FileKind::Shell,
        FileKind::Other,
    ];
    let aliases = ["db", "todos", "my.db", ""];
    let mut rng = Rng(42);
    for _ in 0..3000 {
        let mut text = Vec::new();
        for _ in 0..rng.below(40) {
            text.extend_from_slice(rng.pick(PIECES));
        }
        for kind in kinds {
            for r in find_host_refs(kind, &text, &aliases) {
                assert!(r.span.end <= text.len());
                assert!(text[r.span.clone()].eq_ignore_ascii_case(r.host.as_bytes()));
            }
            for r in unlink_hostnames::find_link_var_reads(kind, &text, &aliases) {
                assert!(r.expr.end <= text.len() && r.span.end <= text.len());
                assert_eq!(&text[r.span.clone()], r.name.as_bytes());
            }
            let plan = rewrite_hosts(kind, &text, [("db", "pg"), ("todos", "t-s")]);
            unlink_edit::apply(&text, plan.edits).unwrap();
        }
        let _ = unlink_hostnames::dockerfile::parse(&text);
        let _ = unlink_hostnames::nginx::scan(&text);
    }
}
