//! Makefiles: recipe lines, make variables and `$@`.

use crate::{hidden_link_checks, lex_error, FileFacts, FileKind, Located, Scope};
use std::path::Path;
use std::sync::Arc;
use unlink_diagnostics::{codes, Diagnostic};
use unlink_docker::{recognise, Action};
use unlink_shell::{lex, Dialect, Part};

/// The first syntax error [`read`] would report, without locating any
/// command: lexing alone decides it.
pub fn first_syntax_error(path: &Path, src: &[u8]) -> Option<Diagnostic> {
    let mk = unlink_make::read(src);
    mk.recipes
        .iter()
        .find_map(|recipe| lex_error(path, &lex_recipe(src, recipe)))
}

/// A recipe's shell text, lexed as make hands it to the shell.
fn lex_recipe(src: &[u8], recipe: &unlink_make::RecipeLine) -> unlink_shell::Lexed {
    lex(src, recipe.shell_start..recipe.span.end, Dialect::Make)
}

/// Read a Makefile.
pub fn read(path: &Path, src: &[u8]) -> FileFacts {
    let mut facts = FileFacts::new(path, FileKind::Makefile, src);
    let mk = unlink_make::read(src);
    // Most recipe lines of a Makefile with many containers are one docker
    // command each: room for them up front, rather than growing the vector
    // by copying it into fresh memory a dozen times.
    facts.commands.reserve(mk.recipes.len());
    for recipe in &mk.recipes {
        let target: Arc<str> = recipe.target.clone().unwrap_or_else(|| Arc::from(""));
        let lookup = |p: &Part| -> Option<String> {
            match p {
                Part::MakeVar { name, .. } if name == "@" => Some(target.to_string()),
                Part::MakeVar { name, .. } => match name.as_str() {
                    // Names that depend on where make runs are not container names.
                    "CURDIR" | "PWD" => None,
                    _ => mk.value(name),
                },
                // `$$X` in a recipe is a shell variable: unknown statically.
                _ => None,
            }
        };
        let lexed = lex_recipe(src, recipe);
        if let Some(e) = lex_error(path, &lexed) {
            facts.errors.push(e);
            continue;
        }
        let scope = match &recipe.in_define {
            Some(d) => Scope::Define(d.clone()),
            None => Scope::Target(target.clone()),
        };
        let has_or = crate::contains(&src[recipe.shell_start..recipe.span.end], b"||")
            || recipe.prefix.contains('-');
        // What an inserted line starts with: the prefix without make's `-`.
        let line_prefix = if recipe.prefix.contains('-') {
            unlink_make::prefix_text(recipe.prefix.replace('-', "").as_bytes())
        } else {
            recipe.prefix.clone()
        };
        for cmd in &lexed.commands {
            let docker = recognise(cmd, &lookup);
            hidden_link_checks(&mut facts, src, cmd, docker.as_ref());
            let Some(docker) = docker else { continue };
            if recipe.in_define.is_some() {
                if let Action::Run(run) = &docker.action {
                    for link in &run.links {
                        let opt = run.link_option(link);
                        facts.diagnostics.push(
                            Diagnostic::new(
                                &codes::LINK_IN_DEFINE,
                                path,
                                opt.span.clone().unwrap_or(cmd.span()),
                                format!(
                                    "`--link {}` inside `define {}`: reported, not edited",
                                    opt.value.clone().unwrap_or_default(),
                                    recipe.in_define.clone().unwrap_or_default()
                                ),
                            )
                            .with_help("a define block can expand anywhere; move the container to a network by hand"),
                        );
                    }
                }
            }
            facts.commands.push(Located {
                docker,
                scope: scope.clone(),
                stmt_line_start: recipe.span.start,
                stmt_end: recipe.span.end,
                line_prefix: line_prefix.clone(),
                editable: recipe.in_define.is_none(),
                statement_has_or: has_or,
            });
        }
    }
    facts
}
