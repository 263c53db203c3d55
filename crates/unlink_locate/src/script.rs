//! Shell scripts: the whole file is one scope; top-level assignments resolve.

use crate::{hidden_link_checks, indentation, lex_error, FileFacts, FileKind, Located, Scope};
use std::collections::HashMap;
use std::path::Path;
use unlink_diagnostics::Diagnostic;
use unlink_docker::recognise;
use unlink_shell::{lex_script, Part};

/// The syntax error [`read`] would report, without locating any command:
/// lexing alone decides it.
pub fn first_syntax_error(path: &Path, src: &[u8]) -> Option<Diagnostic> {
    lex_error(path, &lex_script(src))
}

/// Read a shell script.
pub fn read(path: &Path, src: &[u8]) -> FileFacts {
    let mut facts = FileFacts::new(path, FileKind::Shell, src);
    let lexed = lex_script(src);
    if let Some(e) = lex_error(path, &lexed) {
        facts.errors.push(e);
        return facts;
    }
    // Simple assignments (`NAME=value`, `export NAME=value`, `readonly …`)
    // with literal values, in order; the last one wins.
    let mut vars: HashMap<String, Option<String>> = HashMap::new();
    let lookup_in = |vars: &HashMap<String, Option<String>>, p: &Part| -> Option<String> {
        match p {
            Part::ShellVar { name, default, .. } => match vars.get(name) {
                Some(v) => v.clone(),
                None => default.clone().flatten(),
            },
            _ => None,
        }
    };
    for cmd in &lexed.commands {
        let is_assign_cmd = cmd.words.is_empty()
            || (cmd.words.len() >= 2
                && cmd.words[0].literal().is_some_and(|w| {
                    matches!(w.as_str(), "export" | "readonly" | "declare" | "local")
                }));
        if is_assign_cmd && cmd.depth == 0 {
            for (name, value) in &cmd.assignments {
                let v = value.resolve(&|p| lookup_in(&vars, p));
                vars.insert(name.clone(), v);
            }
            for w in cmd.words.iter().skip(1) {
                if let Some(text) = w.resolve(&|p| lookup_in(&vars, p)) {
                    if let Some((n, v)) = text.split_once('=') {
                        vars.insert(n.to_string(), Some(v.to_string()));
                    }
                }
            }
            continue;
        }
        let docker = recognise(cmd, &|p| lookup_in(&vars, p));
        hidden_link_checks(&mut facts, src, cmd, docker.as_ref());
        let Some(docker) = docker else { continue };
        let stmt = &src[cmd.stmt_line_start..cmd.stmt_end];
        facts.commands.push(Located {
            docker,
            scope: Scope::Script,
            stmt_line_start: cmd.stmt_line_start,
            stmt_end: cmd.stmt_end,
            line_prefix: indentation(src, cmd.stmt_line_start).into(),
            editable: true,
            statement_has_or: crate::contains(stmt, b"||"),
        });
    }
    crate::heredoc_link_checks(&mut facts, src, &lexed.heredocs);
    facts
}
