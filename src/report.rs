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

/// Every file's bytes, for snippets and positions.
fn source_map(project: &Project) -> unlink_output::SourceMap {
    let mut map = unlink_output::SourceMap::new();
    for i in &project.inputs {
        map.insert(i.path.clone(), i.bytes.clone());
    }
    for (p, b) in &project.config_sources {
        map.insert(p.clone(), b.clone());
    }
    map
}

/// Drop findings suppressed with `# unlink: ignore[CODE]`.
pub fn unsuppressed(project: &Project, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut indexes: std::collections::HashMap<std::path::PathBuf, LineIndex> = Default::default();
    diags
        .into_iter()
        .filter(|d| {
            let Some(bytes) = source(project, &d.path) else {
                return true;
            };
            let idx = indexes
                .entry(d.path.clone())
                .or_insert_with(|| LineIndex::new(bytes));
            // Only the finding's line and the one above can suppress it: pass
            // those, not the whole file.
            let line = idx.line(d.span.start);
            let from = idx.line_start(line.saturating_sub(1));
            let line = line.min(2);
            !unlink_output::is_suppressed(&bytes[from..], line, d.code)
        })
        .collect()
}

/// Render `diags` in `format`.
pub fn render(
    project: &Project,
    diags: &[Diagnostic],
    format: Format,
    cwd: &Path,
    color: bool,
) -> String {
    let map = source_map(project);
    let ctx = unlink_output::Context::new(&map, cwd)
        .with_color(color)
        .with_tool_version(env!("CARGO_PKG_VERSION"));
    let format = match format {
        Format::Text => unlink_output::Format::Text,
        Format::Json => unlink_output::Format::Json,
        Format::Sarif => unlink_output::Format::Sarif,
        Format::Github => unlink_output::Format::Github,
    };
    let mut out = Vec::new();
    let _ = unlink_output::render(format, diags, &ctx, &mut out);
    String::from_utf8_lossy(&out).into_owned()
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
