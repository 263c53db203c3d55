//! The whole-word traps of the issue, through the public API, for every kind
//! of file.

use unlink_hostnames::{find_host_refs, find_link_var_reads, rewrite_hosts, FileKind};

/// Every found hostname as (the bytes at its span, rewritable).
fn found(kind: FileKind, text: &[u8], alias: &str) -> Vec<(String, bool)> {
    find_host_refs(kind, text, &[alias])
        .into_iter()
        .map(|r| {
            (
                String::from_utf8_lossy(&text[r.span.clone()]).into_owned(),
                r.rewritable,
            )
        })
        .collect()
}

fn rewritten(kind: FileKind, text: &[u8], from: &str, to: &str) -> Vec<u8> {
    let plan = rewrite_hosts(kind, text, [(from, to)]);
    unlink_edit::apply(text, plan.edits).unwrap()
}

#[test]
fn look_alikes_are_never_found() {
    let cases: &[(FileKind, &str)] = &[
        (
            FileKind::Nginx,
            "location / { proxy_pass http://dbadmin:80; }",
        ),
        (
            FileKind::Nginx,
            "location / { proxy_pass http://db.example.com; }",
        ),
        (FileKind::Nginx, "root /var/db; alias /srv/db/;"),
        (FileKind::Nginx, "server_name db db.example.com;"),
        (FileKind::Nginx, "location /db { return 200 'db'; }"),
        (FileKind::EnvFile, "ADMIN_HOST=dbadmin\n"),
        (FileKind::EnvFile, "DB_HOST=db.example.com\n"),
        (FileKind::EnvFile, "DATA_DIR=/var/db\n"),
        (FileKind::EnvFile, "DB_HOST=my-db\nX_HOST=db_1\n"),
        (FileKind::EnvFile, "# DB_HOST=db\n"),
        (
            FileKind::Dockerfile,
            "FROM db:7\nCOPY db /db\nWORKDIR /var/db\n",
        ),
        (
            FileKind::Dockerfile,
            "FROM x\nRUN cd /var/db && ./dbadmin\n",
        ),
        (
            FileKind::Shell,
            "ls /var/db dbadmin db.example.com ${db} $db\n",
        ),
        (FileKind::Shell, "# connect to db:5432\n"),
        (
            FileKind::Other,
            "see https://db.example.com/ and https://dbadmin/\n",
        ),
    ];
    for (kind, text) in cases {
        assert_eq!(
            found(*kind, text.as_bytes(), "db"),
            vec![],
            "{kind:?}: {text}"
        );
        assert_eq!(
            rewritten(*kind, text.as_bytes(), "db", "pg"),
            text.as_bytes(),
            "{kind:?}: {text}"
        );
    }
}

#[test]
fn the_same_hosts_are_found_next_to_them() {
    let cases: &[(FileKind, &str, usize)] = &[
        (
            FileKind::Nginx,
            "location / { proxy_pass http://db:80; } # dbadmin",
            1,
        ),
        (
            FileKind::EnvFile,
            "ADMIN=dbadmin\nDB_HOST=db\nPATH_X=/var/db\n",
            1,
        ),
        (FileKind::Dockerfile, "FROM db\nENV DB_HOST=db\n", 1),
        (FileKind::Shell, "ls /var/db; psql -h db\n", 1),
        (
            FileKind::Other,
            "url: https://db/x and https://db.example.com/\n",
            1,
        ),
    ];
    for (kind, text, n) in cases {
        let f = found(*kind, text.as_bytes(), "db");
        assert_eq!(f.len(), *n, "{kind:?}: {text}");
        assert!(f.iter().all(|(h, rw)| h == "db" && *rw), "{kind:?}: {f:?}");
    }
}

#[test]
fn upstream_named_like_the_alias() {
    let conf = b"upstream todos {\n    server todos:8080;\n}\nserver {\n    location / {\n        proxy_pass http://todos;\n    }\n}\n";
    let out = rewritten(FileKind::Nginx, conf, "todos", "todos-secure");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "upstream todos {\n    server todos-secure:8080;\n}\nserver {\n    location / {\n        proxy_pass http://todos;\n    }\n}\n"
    );
}

#[test]
fn proxy_pass_to_an_upstream_of_another_file() {
    // The upstream is defined in an included file: the caller drops it.
    let conf = b"location / { proxy_pass http://backend; }";
    let mut refs = unlink_hostnames::nginx::scan(conf).hosts;
    assert_eq!(refs.len(), 1);
    unlink_hostnames::nginx::drop_upstream_refs(&mut refs, &["backend"]);
    assert!(refs.is_empty());
}

#[test]
fn the_acceptance_line() {
    let conf = b"    location / {\n       proxy_pass   http://todos:8080;\n    }\n";
    let out = rewritten(FileKind::Nginx, conf, "todos", "todos-secure");
    assert_eq!(
        out,
        b"    location / {\n       proxy_pass   http://todos-secure:8080;\n    }\n"
    );
}

#[test]
fn crlf_comments_and_non_utf8_survive() {
    let conf = b"location / {\r\n   proxy_pass   http://todos:8080;# caf\xe9 todos\r\n   # proxy_pass http://todos:9;\r\n}\r\n";
    let out = rewritten(FileKind::Nginx, conf, "todos", "todos-secure");
    assert_eq!(
        out,
        b"location / {\r\n   proxy_pass   http://todos-secure:8080;# caf\xe9 todos\r\n   # proxy_pass http://todos:9;\r\n}\r\n"
    );
    let env = b"DB_HOST=db\r\nNOTE=\xff\xfe\r\nDB_URL=mysql://db/x\r\n";
    let out = rewritten(FileKind::EnvFile, env, "db", "mysql-main");
    assert_eq!(
        out,
        b"DB_HOST=mysql-main\r\nNOTE=\xff\xfe\r\nDB_URL=mysql://mysql-main/x\r\n"
    );
}

#[test]
fn own_settings_that_look_like_link_variables() {
    // A user's own MYSQL_ENV_… or DB_PORT setting is not a read.
    let env = b"DB_PORT=5432\nMYSQL_ENV_MYSQL_DATABASE=app\nREAD=$DB_PORT_5432_TCP_ADDR\n";
    let reads = find_link_var_reads(FileKind::EnvFile, env, &["db"]);
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].name, "DB_PORT_5432_TCP_ADDR");
    // Without a link to `mysql`, `$MYSQL_ENV_…` is the user's own variable.
    let sh = b"echo $MYSQL_ENV_MYSQL_DATABASE $DB_PORT\n";
    let reads = find_link_var_reads(FileKind::Shell, sh, &["db"]);
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].name, "DB_PORT");
    assert!(find_link_var_reads(FileKind::Shell, sh, &["web"]).is_empty());
    let reads = find_link_var_reads(FileKind::Shell, sh, &["mysql"]);
    assert_eq!(reads[0].name, "MYSQL_ENV_MYSQL_DATABASE");
}

#[test]
fn nginx_env_and_templates() {
    let conf = b"env TODOS_PORT_8080_TCP_ADDR;\nenv TODOS_NAME=x;\nhttp { server { location / { proxy_pass http://${TODOS_PORT_8080_TCP_ADDR}:8080; } } }\n# $TODOS_PORT\n";
    let reads = find_link_var_reads(FileKind::Nginx, conf, &["todos"]);
    let names: Vec<_> = reads.iter().map(|r| (r.name.as_str(), r.form)).collect();
    use unlink_hostnames::linkvars::ReadForm;
    assert_eq!(
        names,
        vec![
            ("TODOS_PORT_8080_TCP_ADDR", ReadForm::NginxEnv),
            ("TODOS_PORT_8080_TCP_ADDR", ReadForm::Braced)
        ]
    );
}

#[test]
fn diagnostics_carry_codes() {
    let t = b"location / { proxy_pass http://todos:8080; }";
    let r = &find_host_refs(FileKind::Nginx, t, &["todos"])[0];
    let d = r.diagnostic("proxy/nginx.conf", Some("todos-secure"));
    assert_eq!(d.code.id, "UL005");
    assert!(d.fixable);
    let t = b"echo $DB_NAME";
    let read = &find_link_var_reads(FileKind::Shell, t, &["db"])[0];
    assert_eq!(read.diagnostic("run.sh", Some("/web/db")).code.id, "UL004");
    assert_eq!(read.diagnostic("run.sh", None).code.id, "UL020");
}
