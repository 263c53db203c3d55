//! SARIF 2.1.0, the format code-scanning services (GitHub, GitLab, Azure)
//! ingest. A hand-written model of the dozen objects unlink fills in, as
//! zizmor does, instead of a general SARIF crate.
//!
//! One run; `tool.driver` lists every code in [`codes::ALL`] as a rule (so
//! rule indices are stable across runs), and each finding is a result with
//! its rule id and index, level (`error`, `warning`, `note`), message and
//! one physical location: the path relative to the working directory as a
//! relative URI with `uriBaseId` `%SRCROOT%` (absolute paths outside it
//! become `file://` URIs), and a region in 1-based lines and character
//! columns with an exclusive end. Run unlink from the repository root so
//! relative paths match the checkout.

use std::io;

use serde::Serialize;
use unlink_diagnostics::{codes, Code, Diagnostic, Severity};

use crate::{display_path, positions, Context, Position};

/// The SARIF schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Debug, Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn help_uri(code: &Code, ctx: &Context<'_>) -> String {
    match ctx.docs_base {
        Some(base) => format!("{}/docs/codes/{}.md", base.trim_end_matches('/'), code.id),
        None => format!("docs/codes/{}.md", code.id),
    }
}

/// Write the SARIF log (pretty-printed) and a newline.
pub fn render(
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let rules = codes::ALL
        .iter()
        .map(|code| Rule {
            id: code.id,
            name: code.name,
            short_description: Text {
                text: code.summary.to_string(),
            },
            help_uri: help_uri(code, ctx),
            default_configuration: Configuration {
                level: level(code.severity),
            },
        })
        .collect();
    let results = diagnostics
        .iter()
        .zip(positions(diagnostics, ctx))
        .map(|(d, pos)| result(d, pos, ctx))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "unlink",
                    version: ctx.tool_version,
                    information_uri: ctx.docs_base.map(str::to_string),
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn result<'a>(d: &'a Diagnostic, pos: Option<Position>, ctx: &Context<'_>) -> SarifResult<'a> {
    let rule_index = codes::ALL
        .iter()
        .position(|c| c.id == d.code.id)
        .unwrap_or(0);
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let shown = display_path(&d.path, ctx.cwd);
    let (uri, uri_base_id) = if std::path::Path::new(&shown).is_absolute() {
        let slash = if shown.starts_with('/') { "" } else { "/" };
        (format!("file://{slash}{}", percent_encode(&shown)), None)
    } else {
        (percent_encode(&shown), Some("%SRCROOT%"))
    };
    SarifResult {
        rule_id: d.code.id,
        rule_index,
        level: level(d.severity),
        message: Text { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                region: pos.map(|p| Region {
                    start_line: p.line,
                    start_column: p.column,
                    end_line: p.end_line,
                    end_column: p.end_column,
                }),
            },
        }],
    }
}

/// Percent-encode everything but unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(super::percent_encode("a b/ü#.yml"), "a%20b/%C3%BC%23.yml");
        assert_eq!(
            super::percent_encode("ci/.gitlab-ci.yml"),
            "ci/.gitlab-ci.yml"
        );
    }
}
