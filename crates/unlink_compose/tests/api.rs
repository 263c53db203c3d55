//! Behaviour of the public API on small inputs. Every migration here is also
//! migrated a second time (must yield no edits) and, when Debian's
//! `docker-compose` is installed, validated with `docker-compose config -q`.

use std::path::Path;
use std::process::Command;

use unlink_compose::{
    check, is_compose_path, links, looks_like_compose, migrate, migrate_project, ComposeOptions,
    ComposeProject, DependsOnForm, Format, Isolation,
};
use unlink_diagnostics::Diagnostic;

const PATH: &str = "demo/docker-compose.yml";

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code.id).collect()
}

fn run(text: &str, opts: &ComposeOptions) -> (String, Vec<Diagnostic>) {
    let (edits, diags) = migrate(Path::new(PATH), text, opts).unwrap();
    let out = String::from_utf8(unlink_edit::apply(text.as_bytes(), edits).unwrap()).unwrap();
    // Idempotent.
    let (again, _) = migrate(Path::new(PATH), &out, opts).unwrap();
    assert!(again.is_empty(), "second run edits {again:?} on\n{out}");
    // The output must be as valid as the input was.
    if compose_config_ok(text) == Some(true) {
        assert_eq!(
            compose_config_ok(&out),
            Some(true),
            "docker-compose config -q rejects the migration of\n{text}\ninto\n{out}"
        );
    }
    (out, diags)
}

fn mig(text: &str) -> (String, Vec<Diagnostic>) {
    run(text, &ComposeOptions::default())
}

/// `docker-compose config -q` on `text`; `None` without the binary.
fn compose_config_ok(text: &str) -> Option<bool> {
    let v = Command::new("docker-compose")
        .arg("version")
        .output()
        .ok()?;
    if !v.status.success() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docker-compose.yml"), text).unwrap();
    let out = Command::new("docker-compose")
        .current_dir(dir.path())
        .args(["-f", "docker-compose.yml", "config", "-q"])
        .output()
        .unwrap();
    Some(out.status.success())
}

#[test]
fn names_and_structure() {
    for p in [
        "docker-compose.yml",
        "docker-compose.yaml",
        "docker-compose.prod.yml",
        "compose.yaml",
        "compose.override.yml",
        "x/Docker-Compose.YML",
    ] {
        assert!(is_compose_path(Path::new(p)), "{p}");
    }
    for p in [
        "compose.json",
        "stack.yml",
        "docker-compose",
        ".gitlab-ci.yml",
    ] {
        assert!(!is_compose_path(Path::new(p)), "{p}");
    }
    assert!(looks_like_compose("services:\n  web:\n    image: x\n"));
    assert!(looks_like_compose(
        "version: '3'\nservices:\n  web: {image: x}\nx-a: 1\n"
    ));
    assert!(looks_like_compose(
        "web:\n  image: x\n  links: [db]\ndb:\n  image: y\n"
    ));
    // GitLab CI: services is a list; GitHub Actions: no top-level services.
    assert!(!looks_like_compose(
        "services:\n  - postgres\ntest:\n  script: [make]\n"
    ));
    assert!(!looks_like_compose(
        "on: push\njobs:\n  a:\n    runs-on: x\n"
    ));
    assert!(!looks_like_compose("key: value\n"));
    assert!(!looks_like_compose("a:\n\tb: 1\n"));
    assert!(!looks_like_compose(""));
}

#[test]
fn syntax_errors_are_ul018_at_the_parser_position() {
    for (text, line) in [
        ("services:\n  web:\n\timage: x\n", 3),
        ("services: [\n", 2),
        ("a: 1\n---\nb: 2\n", 2),
        ("services:\n  web:\n    links: *nowhere\n", 3),
        ("services:\n  web:\n    links: [a]\n    links: [b]\n", 4),
    ] {
        let err = check(Path::new(PATH), text).unwrap_err();
        assert_eq!(err.code.id, "UL018", "{text}");
        let l = text[..err.span.start].matches('\n').count() + 1;
        assert_eq!(l, line, "{text}: {err:?}");
        assert!(migrate(Path::new(PATH), text, &ComposeOptions::default()).is_err());
    }
}

#[test]
fn hostile_yaml_neither_panics_nor_hangs() {
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(check(Path::new(PATH), &deep).is_err());
    // Recursive alias and a self-merging mapping.
    let rec = "x: &x [*x]\nservices:\n  web: &w\n    <<: *w\n    image: a\n    links: [db]\n  db:\n    image: b\n";
    let r = check(Path::new(PATH), rec);
    if let Ok(d) = r {
        assert!(codes(&d).contains(&"UL002"));
    }
    // Many aliases of one anchor (billion laughs shape) stay cheap.
    let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='z' {
        laughs.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    laughs.push_str("services:\n  web:\n    image: x\n    links: [db]\n    environment: *z\n  db:\n    image: y\n");
    let d = check(Path::new(PATH), &laughs).unwrap();
    assert_eq!(codes(&d), ["UL002"]);
}

#[test]
fn not_compose_gives_nothing() {
    assert!(check(Path::new(PATH), "").unwrap().is_empty());
    assert!(check(Path::new(PATH), "just: text\n").unwrap().is_empty());
    let (e, d) = migrate(Path::new(PATH), "- a\n- b\n", &ComposeOptions::default()).unwrap();
    assert!(e.is_empty() && d.is_empty());
}

#[test]
fn check_spans_are_the_entries() {
    let text = "services:\n  web:\n    image: x\n    links:\n      - \"db:data\"\n      - cache\n    external_links: [ext_1:e]\n  db: {image: y}\n  cache: {image: z}\n";
    let d = check(Path::new(PATH), text).unwrap();
    let spans: Vec<(&str, &str)> = d
        .iter()
        .map(|d| (d.code.id, &text[d.span.clone()]))
        .collect();
    assert_eq!(
        spans,
        [
            ("UL002", "\"db:data\""),
            ("UL002", "cache"),
            ("UL003", "ext_1:e")
        ]
    );
    assert!(d.iter().all(|d| d.fixable));
}

#[test]
fn plain_links_become_depends_on_in_place() {
    let (out, _) = mig("services:\n  web:\n    image: x\n    links:\n      # keep me\n      - db\n      - db:db\n    ports: ['80:80']\n  db:\n    image: y\n");
    assert_eq!(
        out,
        "services:\n  web:\n    image: x\n    depends_on:\n      # keep me\n      - db\n    ports: ['80:80']\n  db:\n    image: y\n"
    );
}

#[test]
fn long_form_depends_on_is_followed() {
    let (out, _) = mig("version: '2.4'\nservices:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n    links: [db, cache]\n  db:\n    image: y\n    healthcheck:\n      test: [CMD, 'true']\n  cache:\n    image: z\n");
    assert!(out.contains(
        "    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n  db:"
    ), "{out}");
    assert!(!out.contains("links"));
}

#[test]
fn map_form_is_used_when_the_file_uses_it_and_the_version_allows() {
    let text = "services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_started}\n  b:\n    image: y\n  c:\n    image: z\n    links: [b]\n";
    let (out, _) = mig(text);
    assert!(
        out.ends_with(
            "  c:\n    image: z\n    depends_on:\n      b:\n        condition: service_started\n"
        ),
        "{out}"
    );
    // Version 3 has no condition: the list form.
    let (out3, _) = mig(&format!(
        "version: '3.8'\n{}",
        text.replace("{condition: service_started}", "{}")
            .replace("      b: {}\n", "      - b\n")
    ));
    assert!(out3.ends_with("    depends_on: [b]\n"), "{out3}");
}

#[test]
fn flow_style_services() {
    let (out, _) = mig("services:\n  web: {image: x, links: ['db:data']}\n  db: {image: y}\n");
    assert_eq!(
        out,
        "services:\n  web: {image: x, depends_on: ['db']}\n  db: {image: y, networks: {default: {aliases: [data]}}}\n"
    );
}

#[test]
fn aliases_equal_to_name_or_container_name_need_nothing() {
    let (out, d) = mig("services:\n  web:\n    image: x\n    links: ['db:db', 'cache:redis']\n  db:\n    image: y\n  cache:\n    image: z\n    container_name: redis\n");
    assert!(!out.contains("aliases"), "{out}");
    assert!(!codes(&d).contains(&"UL022"));
}

#[test]
fn rewritten_hostnames_need_no_alias() {
    let opts = ComposeOptions {
        network: None,
        hostnames_rewritten: vec![("web".into(), "data".into())],
        ..Default::default()
    };
    let (out, d) = run(
        "services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n",
        &opts,
    );
    assert_eq!(
        out,
        "services:\n  web:\n    image: x\n    depends_on: ['db']\n  db:\n    image: y\n"
    );
    assert!(!codes(&d).contains(&"UL022"));
    assert!(d[0].help.as_deref().unwrap().contains("configs of `web`"));
}

#[test]
fn two_consumers_one_alias_one_target_share_the_alias() {
    let (out, d) = mig("services:\n  a:\n    image: x\n    links: ['db:data']\n  b:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n");
    assert_eq!(out.matches("- data").count(), 1, "{out}");
    assert!(!codes(&d).contains(&"UL011"));
}

#[test]
fn clashing_alias_keeps_the_link() {
    let (out, d) = mig("services:\n  web:\n    image: x\n    links: ['api:cache']\n  api:\n    image: y\n  cache:\n    image: z\n");
    assert!(out.contains("links: ['api:cache']"));
    assert!(codes(&d).contains(&"UL011"));
    assert!(d.iter().all(|d| !d.fixable));
}

#[test]
fn unknown_target_and_self_links_stay() {
    let (out, d) = mig("services:\n  web:\n    image: x\n    links: [ghost, web]\n");
    assert!(out.contains("links: [ghost, web]"));
    assert_eq!(codes(&d), ["UL002", "UL012", "UL002"]);
}

#[test]
fn target_joins_the_consumers_network() {
    let (out, _) = mig("services:\n  web:\n    image: x\n    networks: [front]\n    links: ['db:data']\n  db:\n    image: y\nnetworks:\n  front: {}\n");
    assert!(out.contains("  db:\n    image: y\n    networks:\n      default:\n      front:\n        aliases:\n          - data\n"), "{out}");
}

#[test]
fn existing_aliases_are_extended() {
    let (out, _) = mig("services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n    networks:\n      default:\n        aliases:\n          - pg\n");
    assert!(
        out.ends_with("        aliases:\n          - pg\n          - data\n"),
        "{out}"
    );
}

#[test]
fn external_network_name_comes_from_option() {
    let opts = ComposeOptions {
        network: Some("legacy-net".into()),
        ..Default::default()
    };
    let (out, d) = run(
        "services:\n  web:\n    image: x\n    external_links: ['old_db:db']\n",
        &opts,
    );
    assert_eq!(
        out,
        "services:\n  web:\n    image: x\n    networks:\n      - default\n      - legacy-net\nnetworks:\n  legacy-net:\n    external: true\n"
    );
    let connect = d.iter().find(|d| d.code.id == "UL021").unwrap();
    assert!(connect
        .message
        .ends_with("docker network connect --alias db legacy-net old_db"));
}

#[test]
fn derived_network_name_uses_the_project_name() {
    let (out, _) = mig("name: Shop\nservices:\n  web:\n    image: x\n    external_links: [old_db]\nnetworks:\n  front:\n");
    assert!(
        out.ends_with("networks:\n  front:\n  shop_external:\n    external: true\n"),
        "{out}"
    );
    let (out, _) = mig("services:\n  web:\n    image: x\n    external_links: [old_db]\n");
    assert!(out.contains("demo_external"), "{out}");
}

#[test]
fn crlf_and_missing_final_newline_survive() {
    let text = "services:\r\n  web:\r\n    image: x\r\n    links:\r\n      - db:data\r\n  db:\r\n    image: y";
    let (out, _) = mig(text);
    assert_eq!(
        out,
        "services:\r\n  web:\r\n    image: x\r\n    depends_on:\r\n      - db\r\n  db:\r\n    image: y\r\n    networks:\r\n      default:\r\n        aliases:\r\n          - data"
    );
}

#[test]
fn network_mode_bridge_goes_host_stays() {
    let (out, d) = mig("services:\n  web:\n    image: x\n    network_mode: bridge\n    links: [db]\n  db:\n    image: y\n");
    assert_eq!(
        out,
        "services:\n  web:\n    image: x\n    depends_on: [db]\n  db:\n    image: y\n"
    );
    assert_eq!(codes(&d), ["UL017", "UL002"]);
    let text = "services:\n  web:\n    image: x\n    network_mode: 'service:db'\n    links: [db]\n  db:\n    image: y\n";
    let (out, d) = mig(text);
    assert_eq!(out, text);
    assert_eq!(codes(&d), ["UL017", "UL002"]);
    assert!(d.iter().all(|d| !d.fixable));
}

#[test]
fn version_1_with_net_and_a_leading_comment() {
    let text = "# web first\nweb:\n  image: x\n  net: bridge\n  links:\n   - db\ndb:\n  image: y\n  command: |\n    echo hi\n\n    echo there\n";
    let (out, _) = mig(text);
    assert_eq!(
        out,
        "# web first\nversion: '2'\nservices:\n  web:\n    image: x\n    depends_on:\n     - db\n  db:\n    image: y\n    command: |\n      echo hi\n\n      echo there\n"
    );
}

#[test]
fn version_1_without_links_is_left_alone() {
    let text = "web:\n  image: x\n";
    let (out, d) = mig(text);
    assert_eq!(out, text);
    assert!(d.is_empty());
}

#[test]
fn aliased_link_sequence_goes_as_a_whole() {
    let (out, _) = mig(
        "x-links: &l [db]\nservices:\n  web:\n    image: x\n    links: *l\n  db:\n    image: y\n",
    );
    assert_eq!(out, "x-links: &l [db]\nservices:\n  web:\n    image: x\n    depends_on:\n      - db\n  db:\n    image: y\n");
}

#[test]
fn anchor_shadowed_depends_on_gets_the_target() {
    let text = "x-base: &base\n  image: x\n  links: [db]\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    depends_on: [q]\n  q:\n    image: q\n  db:\n    image: y\n";
    let (out, d) = mig(text);
    assert_eq!(
        out,
        "x-base: &base\n  image: x\n  depends_on: [db]\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    depends_on: [q, db]\n  q:\n    image: q\n  db:\n    image: y\n"
    );
    assert!(
        d[0].message
            .contains("anchor `&base`, inherited by `a` and `b`"),
        "{}",
        d[0].message
    );
}

#[test]
fn override_project() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("docker-compose.yml");
    std::fs::write(
        &main,
        "services:\n  web:\n    image: x\n  db:\n    image: y\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docker-compose.override.yml"),
        "services:\n  web:\n    links: ['db:data']\n",
    )
    .unwrap();
    // Either file names the project.
    let p = ComposeProject::load(&dir.path().join("docker-compose.override.yml")).unwrap();
    assert_eq!(p.main.path, main);
    let m = migrate_project(&p, &ComposeOptions::default()).unwrap();
    assert_eq!(m.files.len(), 2);
    assert_eq!(m.files[0].path, main);
}

#[test]
fn facts_for_the_hostname_stage() {
    let text = "version: '2.4'\nservices:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.prod\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - data:/var/lib\n      - type: bind\n        source: ./conf.d\n        target: /etc/nginx/conf.d\n    links: ['api:backend']\n    depends_on: [api]\n  api:\n    build: ./api\n    networks:\n      default:\n        aliases: [svc]\nvolumes:\n  data:\n";
    let f = links(Path::new("proj/docker-compose.yml"), text).unwrap();
    assert_eq!(f.format, Format::V2 { minor: 4 });
    let web = &f.services[0];
    assert_eq!(web.links[0].target, "api");
    assert_eq!(web.links[0].name_used(), "backend");
    assert_eq!(&text[web.links[0].span.clone()], "'api:backend'");
    assert_eq!(web.build_context.as_deref(), Some(Path::new("proj/./web")));
    assert_eq!(
        web.dockerfile.as_deref(),
        Some(Path::new("proj/./web/Dockerfile.prod"))
    );
    let mounts: Vec<(&str, &str, bool)> = web
        .bind_mounts
        .iter()
        .map(|m| (m.raw_source.as_str(), m.target.as_str(), m.read_only))
        .collect();
    assert_eq!(
        mounts,
        [
            ("./nginx.conf", "/etc/nginx/nginx.conf", true),
            ("./conf.d", "/etc/nginx/conf.d", false)
        ]
    );
    assert_eq!(web.depends_on_form, DependsOnForm::List);
    let api = &f.services[1];
    assert_eq!(api.build_context.as_deref(), Some(Path::new("proj/./api")));
    assert_eq!(api.networks[0].aliases, ["svc"]);
}

fn with(isolation: Isolation) -> ComposeOptions {
    ComposeOptions {
        isolation,
        ..Default::default()
    }
}

#[test]
fn component_needs_no_network_when_the_group_is_alone_on_default() {
    // Everyone on `default` is in the one linked group: the alias may go
    // there (the output `single` gives too).
    let text = "services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n  monitor:\n    image: z\n    network_mode: host\n";
    let (out, _) = mig(text);
    let (single, _) = run(text, &with(Isolation::Single));
    assert_eq!(out, single);
    assert!(
        out.contains("      default:\n        aliases:\n          - data\n"),
        "{out}"
    );
}

#[test]
fn component_gives_a_group_with_an_alias_its_own_network() {
    let text = "services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n  other:\n    image: z\n";
    let (out, d) = mig(text);
    assert_eq!(
        out,
        "services:\n  web:\n    image: x\n    depends_on: ['db']\n    networks:\n      - default\n      - web-net\n  db:\n    image: y\n    networks:\n      default:\n      web-net:\n        aliases:\n          - data\n  other:\n    image: z\nnetworks:\n  web-net:\n"
    );
    assert!(d
        .iter()
        .any(|d| d.code.id == "UL022" && d.message.contains("on network `web-net`")));
    // A group without aliases needs nothing new.
    let (out, _) = mig(&text.replace("'db:data'", "db"));
    assert!(!out.contains("web-net"), "{out}");
    // `--network` means single.
    let (out, _) = run(
        text,
        &ComposeOptions {
            network: Some("shared".into()),
            ..Default::default()
        },
    );
    assert!(!out.contains("web-net") && !out.contains("shared"), "{out}");
}

#[test]
fn the_same_alias_in_two_groups_needs_no_link() {
    let text = "services:\n  a:\n    image: x\n    links: ['a-api:api']\n  a-api:\n    image: y\n  b:\n    image: x\n    links: ['b-api:api']\n  b-api:\n    image: y\n";
    let (out, d) = mig(text);
    assert!(!out.contains("links"), "{out}");
    assert!(!codes(&d).contains(&"UL011"));
    assert!(out.ends_with("networks:\n  a-net:\n  b-net:\n"), "{out}");
    // One network for all: the second alias clashes and its link stays.
    let (out, d) = run(text, &with(Isolation::Single));
    assert!(out.contains("links: ['b-api:api']"), "{out}");
    assert!(codes(&d).contains(&"UL011"));
}

#[test]
fn an_alias_seen_twice_from_another_network_is_a_clash() {
    // `cache` answers on `default`, which `web` is on: an alias `cache` on
    // the group's network would make the name ambiguous for `web`.
    let (out, d) = mig("services:\n  web:\n    image: x\n    links: ['api:cache', db]\n  api:\n    image: y\n  db:\n    image: y\n  cache:\n    image: z\n");
    assert!(out.contains("links: ['api:cache']"), "{out}");
    let clash = d.iter().find(|d| d.code.id == "UL011").unwrap();
    assert!(clash
        .message
        .contains("service `cache` on network `default`"));
}

#[test]
fn strict_gives_each_aliased_target_its_own_network() {
    let text = "services:\n  web:\n    image: x\n    links: ['api:backend']\n  api:\n    image: y\n    links: ['db:database']\n  db:\n    image: z\n";
    let (out, _) = run(text, &with(Isolation::Strict));
    assert!(out.contains("  api:\n    image: y\n    depends_on: ['db']\n    networks:\n      default:\n      api-net:\n        aliases:\n          - backend\n      db-net:\n"), "{out}");
    assert!(out.contains("  db:\n    image: z\n    networks:\n      default:\n      db-net:\n        aliases:\n          - database\n"), "{out}");
    assert!(out.ends_with("networks:\n  api-net:\n  db-net:\n"), "{out}");
    // Component: one group, alone on `default`: nothing new.
    let (out, _) = mig(text);
    assert!(!out.contains("-net"), "{out}");
}

#[test]
fn strict_adopts_a_network_the_file_already_shares() {
    // `web` and `api` share `front`: the alias goes there, as with the
    // other modes (the file manages its networks; Makefiles adopt an
    // existing network the same way).
    let text = "services:\n  web:\n    image: x\n    networks: [front]\n    links: ['api:backend']\n  api:\n    image: y\n    networks: [front, back]\n  other:\n    image: z\n    networks: [front]\nnetworks:\n  front: {}\n  back: {}\n";
    for iso in [Isolation::Strict, Isolation::Component, Isolation::Single] {
        let (out, _) = run(text, &with(iso));
        assert!(
            out.contains(
                "    networks:\n      front:\n        aliases:\n          - backend\n      back:\n"
            ),
            "{iso:?}: {out}"
        );
        assert!(!out.contains("-net"), "{iso:?}: {out}");
    }
}

#[test]
fn group_network_names_avoid_existing_ones() {
    let text = "version: '3.8'\nservices:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n  other:\n    image: z\nnetworks: {web-net: {external: true}}\n";
    let (out, _) = mig(text);
    assert!(
        out.ends_with("networks: {web-net: {external: true}, web-net-2: {}}\n"),
        "{out}"
    );
    let text = "services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n  other:\n    image: z\nnetworks:\n  front:\n    driver: bridge\n";
    let (out, _) = mig(text);
    assert!(
        out.ends_with("networks:\n  front:\n    driver: bridge\n  web-net:\n"),
        "{out}"
    );
}

#[test]
fn version_1_gets_the_group_network_after_conversion() {
    let text = "web:\n  image: x\n  links:\n    - db:data\ndb:\n  image: y\nother:\n  image: z\n";
    let (out, _) = mig(text);
    assert_eq!(
        out,
        "version: '2'\nservices:\n  web:\n    image: x\n    depends_on:\n      - db\n    networks:\n      - default\n      - web-net\n  db:\n    image: y\n    networks:\n      default:\n      web-net:\n        aliases:\n          - data\n  other:\n    image: z\nnetworks:\n  web-net:\n"
    );
}

#[test]
fn depends_on_keeps_a_service_in_the_group() {
    // `worker` talks to `db` without a link; it says so in `depends_on`, so
    // it is in the group and may see `data`: `default` is the group's.
    let text = "services:\n  web:\n    image: x\n    links: ['db:data']\n  db:\n    image: y\n  worker:\n    image: z\n    depends_on: [db]\n";
    let (out, _) = mig(text);
    assert!(!out.contains("-net"), "{out}");
    assert!(
        out.contains("      default:\n        aliases:\n          - data\n"),
        "{out}"
    );
    // Strict: `worker` depends on `db`, so it is one of `db`'s consumers.
    let (strict, _) = run(text, &with(Isolation::Strict));
    assert_eq!(strict, out);
}

#[test]
fn an_external_network_is_not_where_aliases_go() {
    let text = "services:\n  web:\n    image: x\n    networks: [shared, default]\n    links: ['db:data']\n  db:\n    image: y\n    networks: [shared, default]\nnetworks:\n  shared:\n    external: true\n";
    let (out, _) = mig(text);
    assert!(
        out.contains(
            "    networks:\n      shared:\n      default:\n        aliases:\n          - data\n"
        ),
        "{out}"
    );
}
