//! Findings about networks the files already manage: a `docker network
//! create` that fails when run twice, and a network nothing removes.

use std::collections::HashSet;
use unlink_diagnostics::{codes, Diagnostic};
use unlink_docker::Action;
use unlink_locate::FileFacts;

/// Network findings across all `files` (a network removed in another file
/// given on the same command line counts as removed).
pub fn lint(files: &[FileFacts]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let removed: HashSet<String> = files
        .iter()
        .flat_map(|f| f.commands.iter())
        .filter_map(|c| match &c.docker.action {
            Action::NetworkRemove { names } => Some(
                names
                    .iter()
                    .filter_map(|n| n.text.clone())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    for f in files {
        for c in &f.commands {
            let Action::NetworkCreate { name: Some(name) } = &c.docker.action else {
                continue;
            };
            let Some(n) = &name.text else { continue };
            let span = name.source_span();
            if !c.statement_has_or {
                out.push(
                    Diagnostic::new(
                        &codes::NETWORK_CREATE_NOT_RERUNNABLE,
                        &f.path,
                        span.clone(),
                        format!("`docker network create {n}` fails when the network already exists, so this step cannot run twice"),
                    )
                    .with_help(format!("guard it: `docker network inspect {n} >/dev/null 2>&1 || docker network create {n}`")),
                );
            }
            if !removed.contains(n) {
                out.push(
                    Diagnostic::new(
                        &codes::NETWORK_NEVER_REMOVED,
                        &f.path,
                        span,
                        format!("network `{n}` is created but no command given to unlink removes it"),
                    )
                    .with_help(format!("remove it where the containers are removed: `docker network rm {n} >/dev/null 2>&1 || true`")),
                );
            }
        }
    }
    out
}
