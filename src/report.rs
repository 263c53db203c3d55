//! Rendering diagnostics and diffs for the terminal and for machines.

use crate::cli::Format;
use crate::project::Project;
use std::path::Path;
use unlink_diagnostics::{Diagnostic, LineIndex};

/// The path as a user should see it: relative to the working directory.
pub fn relative(path: &Path, cwd: &Path) -> String {
    let p = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    p.to_string_lossy().replace('\\', "/")
}

fn source<'a>(project: &'a Project, path: &Path) -> Option<&'a [u8]> {
    project
        .inputs
        .iter()
        .find(|i| i.path == path)
        .map(|i| i.bytes.as_slice())
        .or_else(|| {
            project
                .config_sources
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.as_slice())
        })
}

/// Drop findings suppressed with `# unlink: ignore[CODE]`.
pub fn unsuppressed(project: &Project, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| {
            let Some(bytes) = source(project, &d.path) else {
                return true;
            };
            let line = LineIndex::new(bytes).line(d.span.start);
            !suppressed(bytes, line, d.code.id, d.code.name)
        })
        .collect()
}

fn suppressed(bytes: &[u8], line: usize, id: &str, name: &str) -> bool {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let check = |l: &[u8]| {
        let text = String::from_utf8_lossy(l);
        let Some(at) = text.find("unlink: ignore") else {
            return false;
        };
        let rest = &text[at + "unlink: ignore".len()..];
        match rest.strip_prefix('[') {
            Some(list) => list
                .split(']')
                .next()
                .unwrap_or_default()
                .split(',')
                .any(|c| c.trim().eq_ignore_ascii_case(id) || c.trim() == name),
            None => true,
        }
    };
    let here = lines.get(line - 1).is_some_and(|l| check(l));
    let above = line >= 2
        && lines
            .get(line - 2)
            .is_some_and(|l| String::from_utf8_lossy(l).trim_start().starts_with('#') && check(l));
    here || above
}

/// Render `diags` in `format`.
pub fn render(
    project: &Project,
    diags: &[Diagnostic],
    format: Format,
    cwd: &Path,
    quiet: bool,
) -> String {
    let mut out = String::new();
    for d in diags {
        let (line, col) = source(project, &d.path)
            .map(|b| LineIndex::new(b).line_col(b, d.span.start))
            .unwrap_or((1, 1));
        let path = relative(&d.path, cwd);
        match format {
            Format::Text | Format::Json | Format::Sarif => {
                out.push_str(&format!(
                    "{path}:{line}:{col}: {} {} [{}] {}\n",
                    d.severity.as_str(),
                    d.code.id,
                    d.code.name,
                    d.message
                ));
                if let Some(h) = &d.help {
                    out.push_str(&format!("  help: {h}\n"));
                }
            }
            Format::Github => out.push_str(&format!(
                "::error file={path},line={line},col={col},title={}::{}\n",
                d.code.id, d.message
            )),
        }
    }
    if format == Format::Text && !quiet && !diags.is_empty() {
        let fixable = diags.iter().filter(|d| d.fixable).count();
        out.push_str(&format!(
            "Found {} finding{} ({fixable} fixable with `unlink migrate`).\n",
            diags.len(),
            if diags.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

/// A unified diff of one file, `a/PATH` → `b/PATH`.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
