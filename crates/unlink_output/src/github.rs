//! GitHub Actions workflow commands: one line per finding, which the runner
//! turns into an annotation on the file and line in the pull request.
//!
//! ```text
//! ::error file=Makefile,line=3,col=24,endLine=3,endColumn=36,title=UL001::`--link db` puts …
//! ```
//!
//! Errors and warnings are `::error` (a legacy link fails `unlink check`,
//! so it should read as a failure); info findings are `::notice`. The help
//! line, when there is one, follows the message on a second line.
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n`
//! become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become
//! `%3A`, `%2C`.

use std::io;

use unlink_diagnostics::{Diagnostic, Severity};

use crate::{display_path, positions, Context};

/// Write one workflow command per finding.
pub fn render(
    diagnostics: &[Diagnostic],
    ctx: &Context<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for (d, pos) in diagnostics.iter().zip(positions(diagnostics, ctx)) {
        let command = match d.severity {
            Severity::Error | Severity::Warning => "error",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(&display_path(&d.path, ctx.cwd)));
        if let Some(p) = pos {
            props.push_str(&format!(
                ",line={},col={},endLine={},endColumn={}",
                p.line, p.column, p.end_line, p.end_column
            ));
        }
        props.push_str(&format!(",title={}", escape_property(d.code.id)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(out, "::{command} {props}::{}", escape_data(&message))?;
    }
    Ok(())
}

/// Escape a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
