use super::*;
use serde_json::Value;
use unlink_diagnostics::codes;
use unlink_diagnostics::Severity;

const CWD: &str = "/work/proj";

const MAKEFILE: &str =
    "run:\n\tdocker run -d --name db postgres\n\tdocker run --name web --link db:db app\n";
const COMPOSE: &str =
    "services:\n  web:\n    image: app\n    links:\n      - db\n  db:\n    image: postgres\n";
const SCRIPT: &str = "#!/bin/sh\necho \"démarrage\"; docker network create appnet\n";

fn at(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text.find(needle).expect(needle);
    start..start + needle.len()
}

/// Five findings in four files: an absolute path under the cwd, a `./`
/// path, non-ASCII text before a span, an info finding, and a file outside
/// the cwd whose bytes are not available, with characters every format must
/// escape.
fn fixture() -> (Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::new();
    sources.insert("/work/proj/Makefile", MAKEFILE);
    sources.insert("./docker-compose.yml", COMPOSE);
    sources.insert("scripts/start.sh", SCRIPT);
    let diagnostics = vec![
        Diagnostic::new(
            &codes::DOCKER_RUN_LINK,
            "/work/proj/Makefile",
            at(MAKEFILE, "--link db:db"),
            "`--link db:db` puts `web` on the default bridge",
        )
        .with_help("put `web` and `db` on a user-defined network")
        .fixable(true),
        Diagnostic::new(
            &codes::COMPOSE_LINKS,
            "./docker-compose.yml",
            at(COMPOSE, "- db"),
            "`web` links to `db`",
        )
        .with_help("services of one project share its default network; drop `links:`")
        .fixable(true),
        Diagnostic::new(
            &codes::NETWORK_CREATE_NOT_RERUNNABLE,
            "scripts/start.sh",
            at(SCRIPT, "docker network create appnet"),
            "`docker network create appnet` fails when `appnet` exists",
        )
        .with_help("append `|| true` or check with `docker network inspect` first"),
        Diagnostic::new(
            &codes::ALIAS_MOVED,
            "scripts/start.sh",
            at(SCRIPT, "appnet"),
            "alias `db` is now a network alias on `appnet`",
        ),
        Diagnostic::new(
            &codes::SYNTAX_ERROR,
            "/elsewhere/ci,v1:x.sh",
            3..9,
            "cannot read: 100% sure, line 1:\nunterminated quote",
        ),
    ];
    (diagnostics, sources)
}

fn rendered(format: Format, color: bool) -> String {
    let (diagnostics, sources) = fixture();
    let ctx = Context::new(&sources, Path::new(CWD))
        .with_color(color)
        .with_tool_version("0.1.0");
    let mut out = Vec::new();
    render(format, &diagnostics, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!("text", rendered(Format::Text, false));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", rendered(Format::Json, false));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!("sarif", rendered(Format::Sarif, false));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", rendered(Format::Github, false));
}

#[test]
fn docs_show_the_real_output() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/output-formats.md"
    ))
    .unwrap();
    for format in [Format::Text, Format::Github] {
        let out = rendered(format, false);
        assert!(
            doc.contains(&format!("```text\n{out}```")),
            "docs/output-formats.md no longer shows the {format} output:\n{out}"
        );
    }
}

#[test]
fn text_colour_only_when_asked() {
    let plain = rendered(Format::Text, false);
    let coloured = rendered(Format::Text, true);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(coloured.contains("\u{1b}["), "{coloured}");
}

#[test]
fn text_shows_code_name_help_and_summary() {
    let text = rendered(Format::Text, false);
    assert!(text.contains("UL001 (docker-run-link)"));
    assert!(text.contains("[Makefile:3:24]"), "{text}");
    // Columns count characters (`é` is two bytes), as in JSON.
    assert!(text.contains("[scripts/start.sh:2:19]"), "{text}");
    assert!(text.contains("help: put `web` and `db` on a user-defined network"));
    assert!(
        text.contains("/elsewhere/ci,v1:x.sh: cannot read"),
        "{text}"
    );
    assert!(text.ends_with("Found 5 findings (2 fixable with `unlink migrate`).\n"));
}

/// (path, line, column, end_line, end_column) expected for the fixture,
/// counted by hand. The Makefile's tab is one column; `é` is one column.
type Expected = (&'static str, Option<(u64, u64, u64, u64)>);

const EXPECTED: [Expected; 5] = [
    ("Makefile", Some((3, 24, 3, 36))),
    ("docker-compose.yml", Some((5, 7, 5, 11))),
    ("scripts/start.sh", Some((2, 19, 2, 47))),
    ("scripts/start.sh", Some((2, 41, 2, 47))),
    ("/elsewhere/ci,v1:x.sh", None),
];

#[test]
fn json_parses_with_right_positions() {
    let v: Value = serde_json::from_str(&rendered(Format::Json, false)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), EXPECTED.len());
    for (f, (path, pos)) in findings.iter().zip(EXPECTED) {
        assert_eq!(f["path"], *path);
        match pos {
            Some((l, c, el, ec)) => {
                assert_eq!(f["line"].as_u64(), Some(l), "{f}");
                assert_eq!(f["column"].as_u64(), Some(c), "{f}");
                assert_eq!(f["end_line"].as_u64(), Some(el), "{f}");
                assert_eq!(f["end_column"].as_u64(), Some(ec), "{f}");
            }
            None => assert!(f["line"].is_null() && f["end_column"].is_null(), "{f}"),
        }
    }
    assert_eq!(findings[0]["code"], "UL001");
    assert_eq!(findings[0]["name"], "docker-run-link");
    assert_eq!(findings[0]["severity"], "warning");
    assert_eq!(findings[0]["fixable"], true);
    assert_eq!(findings[2]["fixable"], false);
    assert_eq!(findings[3]["help"], Value::Null);
    assert_eq!(findings[4]["severity"], "error");
}

#[test]
fn sarif_parses_with_rules_levels_and_regions() {
    let v: Value = serde_json::from_str(&rendered(Format::Sarif, false)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "unlink");
    assert_eq!(driver["version"], "0.1.0");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), codes::ALL.len());
    for (rule, code) in rules.iter().zip(codes::ALL) {
        assert_eq!(rule["id"], code.id);
        assert_eq!(rule["name"], code.name);
        assert_eq!(rule["helpUri"], format!("docs/codes/{}.md", code.id));
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), EXPECTED.len());
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["warning", "warning", "warning", "note", "error"]);
    for (r, (path, pos)) in results.iter().zip(EXPECTED) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        match pos {
            Some((l, c, el, ec)) => {
                assert_eq!(uri, path);
                assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
                let region = &loc["region"];
                assert_eq!(region["startLine"].as_u64(), Some(l), "{region}");
                assert_eq!(region["startColumn"].as_u64(), Some(c), "{region}");
                assert_eq!(region["endLine"].as_u64(), Some(el), "{region}");
                assert_eq!(region["endColumn"].as_u64(), Some(ec), "{region}");
            }
            None => {
                assert_eq!(uri, "file:///elsewhere/ci%2Cv1%3Ax.sh");
                assert!(loc.get("region").is_none(), "{loc}");
            }
        }
    }
}

#[test]
fn sarif_help_uri_uses_the_docs_base() {
    let (diagnostics, sources) = fixture();
    let ctx = Context::new(&sources, Path::new(CWD))
        .with_docs_base(Some("https://example.invalid/unlink/blob/main/"));
    let mut out = Vec::new();
    sarif::render(&diagnostics, &ctx, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"][1]["helpUri"],
        "https://example.invalid/unlink/blob/main/docs/codes/UL002.md"
    );
}

#[test]
fn github_escapes_messages_and_properties() {
    let out = rendered(Format::Github, false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(lines[0]
        .starts_with("::error file=Makefile,line=3,col=24,endLine=3,endColumn=36,title=UL001::"));
    assert!(
        lines[3].starts_with("::notice file=scripts/start.sh,"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4],
        "::error file=/elsewhere/ci%2Cv1%3Ax.sh,title=UL018::\
         cannot read: 100%25 sure, line 1:%0Aunterminated quote"
    );
    assert_eq!(github::escape_data("a\r\nb%"), "a%0D%0Ab%25");
    assert_eq!(github::escape_property("a:b,c%"), "a%3Ab%2Cc%25");
}

#[test]
fn nothing_to_show_prints_nothing_in_text_and_empty_lists_elsewhere() {
    let sources = SourceMap::new();
    let ctx = Context::new(&sources, Path::new(CWD));
    let mut out = Vec::new();
    render(Format::Text, &[], &ctx, &mut out).unwrap();
    assert!(out.is_empty());
    render(Format::Github, &[], &ctx, &mut out).unwrap();
    assert!(out.is_empty());
    render(Format::Json, &[], &ctx, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
    let mut out = Vec::new();
    render(Format::Sarif, &[], &ctx, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn summary_wording() {
    let (diagnostics, _) = fixture();
    assert_eq!(summary(&[]), None);
    assert_eq!(
        summary(&diagnostics[..1]).as_deref(),
        Some("Found 1 finding (1 fixable with `unlink migrate`).")
    );
    assert_eq!(
        summary(&diagnostics[2..]).as_deref(),
        Some("Found 3 findings.")
    );
}

#[test]
fn spans_past_the_end_are_clamped_not_fatal() {
    let mut sources = SourceMap::new();
    sources.insert("a.sh", "ab\n");
    let d = Diagnostic::new(&codes::HIDDEN_LINK, "a.sh", 2..50, "past the end");
    let ctx = Context::new(&sources, Path::new(CWD));
    assert_eq!(
        Position::of(&d, b"ab\n"),
        Position {
            line: 1,
            column: 3,
            end_line: 2,
            end_column: 1
        }
    );
    let text = text::render_one(&d, &ctx);
    assert!(text.contains("past the end"), "{text}");
    assert!(text.contains("[a.sh:1:3]"), "{text}");
}

#[test]
fn empty_spans_and_crlf_render() {
    let text = "a: 1\r\nlinks:\r\n  - db\r\n";
    let mut sources = SourceMap::new();
    sources.insert("compose.yml", text);
    let at_db = text.find("db").unwrap();
    let diagnostics = vec![
        Diagnostic::new(&codes::COMPOSE_LINKS, "compose.yml", at_db..at_db, "here"),
        Diagnostic::new(
            &codes::COMPOSE_LINKS,
            "compose.yml",
            text.len()..text.len(),
            "at end",
        ),
    ];
    let ctx = Context::new(&sources, Path::new(CWD));
    let mut out = Vec::new();
    render(Format::Text, &diagnostics, &ctx, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("[compose.yml:3:5]"), "{out}");
    assert!(out.contains("[compose.yml:4:1]"), "{out}");
    assert!(!out.contains('\r'), "{out}");
    let mut out = Vec::new();
    render(Format::Json, &diagnostics, &ctx, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["findings"][0]["line"], 3);
    assert_eq!(v["findings"][0]["column"], 5);
    assert_eq!(v["findings"][0]["end_column"], 5);
}

#[test]
fn colour_needs_a_terminal_and_no_no_color() {
    use std::ffi::OsStr;
    assert!(color_wanted_with(true, None));
    assert!(color_wanted_with(true, Some(OsStr::new(""))));
    assert!(!color_wanted_with(true, Some(OsStr::new("1"))));
    assert!(!color_wanted_with(false, None));
}

#[test]
fn paths_are_shown_relative_to_cwd() {
    let cwd = Path::new("/work/proj");
    assert_eq!(display_path(Path::new("/work/proj/a/b.sh"), cwd), "a/b.sh");
    assert_eq!(display_path(Path::new("./a/./b.sh"), cwd), "a/b.sh");
    assert_eq!(
        display_path(Path::new("/work/project/x"), cwd),
        "/work/project/x"
    );
    assert_eq!(display_path(Path::new("/etc/x"), cwd), "/etc/x");
    assert_eq!(display_path(Path::new("../up.sh"), cwd), "../up.sh");
}

#[test]
fn formats_parse_by_name() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
    }
    assert_eq!(
        "xml".parse::<Format>().unwrap_err().to_string(),
        "unknown format \"xml\", expected one of text, json, sarif, github"
    );
}

#[test]
fn severity_maps_to_sarif_levels() {
    assert_eq!(sarif::level(Severity::Error), "error");
    assert_eq!(sarif::level(Severity::Warning), "warning");
    assert_eq!(sarif::level(Severity::Info), "note");
}

/// Text reports wrap only at spaces: a network, alias, option or path in a
/// message is never cut at a hyphen or a slash (textwrap's defaults would
/// print `api-server-` at the end of one line and `net` on the next).
#[test]
fn wrapping_never_cuts_a_name() {
    let mut sources = SourceMap::new();
    sources.insert("Makefile", MAKEFILE);
    let ctx = Context::new(&sources, Path::new(CWD));
    let name = "`api-server-with-a-long-name-net`";
    for pad in 40..110 {
        let message = format!("{} {name} {}", "x".repeat(pad), "and a tail/with-slashes");
        let d = Diagnostic::new(
            &codes::HIDDEN_LINK,
            "Makefile",
            at(MAKEFILE, "--link"),
            message,
        )
        .with_help(format!("{} {name}", "y".repeat(pad)));
        let text = text::render_one(&d, &ctx);
        assert!(text.contains(name), "{text}");
        assert!(text.contains("tail/with-slashes"), "{text}");
    }
}
