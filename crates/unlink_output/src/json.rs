//! The JSON format: `{"findings": [...]}`, one object per finding, in the
//! order given.
//!
//! Fields: `path` (relative to the working directory, `/`-separated),
//! `line`, `column`, `end_line`, `end_column` (1-based; columns count
//! characters; the end is exclusive; `null` when the file's bytes were not
//! available), `code` (`UL001`), `name` (`docker-run-link`), `severity`
//! (`error`, `warning`, `info`), `message`, `help` (string or `null`),
//! `fixable`. New fields may be added; existing ones keep their meaning.

use std::io;

use serde::Serialize;
use unlink_diagnostics::Diagnostic;

use crate::{display_path, positions, Context};

#[derive(Debug, Serialize)]
struct Output<'a> {
    findings: Vec<Finding<'a>>,
}

#[derive(Debug, Serialize)]
struct Finding<'a> {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    fixable: bool,
}

/// Write the findings as one pretty-printed JSON document and a newline.
pub fn render(
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let findings = diagnostics
        .iter()
        .zip(positions(diagnostics, ctx))
        .map(|(d, pos)| Finding {
            path: display_path(&d.path, ctx.cwd),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            end_line: pos.map(|p| p.end_line),
            end_column: pos.map(|p| p.end_column),
            code: d.code.id,
            name: d.code.name,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            fixable: d.fixable,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &Output { findings })?;
    writeln!(out)
}
