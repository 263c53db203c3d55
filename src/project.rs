//! One run's inputs: find the files, read them, locate their docker
//! commands, build the graph and plan. Every command of the binary starts
//! here, so `check` and `migrate` can never disagree about what they saw.

use std::path::{Path, PathBuf};
use unlink_diagnostics::{codes, Diagnostic};
use unlink_graph::Graph;
use unlink_locate::FileFacts;
use unlink_plan::{Options, Plan};
use unlink_walk::{Candidate, FileKind, WalkOptions};

/// A file read for this run.
pub struct Input {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Everything one run knows.
pub struct Project {
    pub inputs: Vec<Input>,
    pub facts: Vec<FileFacts>,
    pub graph: Graph,
    pub plan: Plan,
    /// Edits to config files that are not inputs (nginx configs, env files).
    pub config_edits: ConfigEdits,
    /// Bytes of the config files read (for diagnostics).
    pub config_sources: Vec<(PathBuf, Vec<u8>)>,
    /// Errors that forbid writing (exit 2).
    pub errors: Vec<Diagnostic>,
    /// Notes about files skipped.
    pub notes: Vec<String>,
}

/// Config files that are not inputs, each with its path, its bytes and the
/// edits planned for it.
pub type ConfigEdits = Vec<(PathBuf, Vec<u8>, Vec<unlink_edit::Edit>)>;

/// The error that stops a run before anything is read.
#[derive(Debug)]
pub struct Fatal(pub String);

pub fn load(
    paths: &[PathBuf],
    walk: &WalkOptions,
    opts: &Options,
    include_ci: bool,
    rewrite_hostnames: bool,
) -> Result<Project, Fatal> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let candidates = unlink_walk::walk(&paths, walk).map_err(|e| Fatal(e.to_string()))?;
    let mut inputs = Vec::new();
    let mut facts = Vec::new();
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    let mut extra = Vec::new();
    let mut compose_files: Vec<PathBuf> = Vec::new();
    for Candidate {
        path,
        kind,
        explicit,
    } in candidates
    {
        let kind = match kind {
            FileKind::Other if explicit => guess_kind(&path),
            k => k,
        };
        let wanted = matches!(
            kind,
            FileKind::Makefile | FileKind::Shell | FileKind::Compose
        ) || (include_ci && kind == FileKind::CiFile);
        if !wanted {
            if explicit && kind == FileKind::Other {
                notes.push(format!(
                    "{}: not a Makefile or shell script; skipped",
                    path.display()
                ));
            }
            continue;
        }
        let bytes = unlink_fs::read_file(&path).map_err(|e| Fatal(e.to_string()))?;
        if unlink_walk::is_binary(&bytes) {
            notes.push(format!("{}: binary file; skipped", path.display()));
            continue;
        }
        if !explicit && !unlink_walk::may_contain_link(kind, &bytes) {
            continue;
        }
        let f = match kind {
            FileKind::Makefile => unlink_locate::make::read(&path, &bytes),
            FileKind::Shell => unlink_locate::script::read(&path, &bytes),
            FileKind::CiFile => {
                ci_findings(&path, &bytes, &mut extra);
                continue;
            }
            FileKind::Compose => {
                compose_files.push(path);
                continue;
            }
            _ => continue,
        };
        errors.extend(f.errors.iter().cloned());
        facts.push(f);
        inputs.push(Input { path, bytes });
    }
    let graph = Graph::build(&facts);
    let sources: Vec<&[u8]> = inputs.iter().map(|i| i.bytes.as_slice()).collect();
    let untouched = unlink_plan::untouched(&facts, &graph);
    let configs = crate::configs::plan(&inputs, &facts, &graph, rewrite_hostnames, &untouched);
    let mut opts = opts.clone();
    opts.rewritten = configs.rewritten.clone();
    let mut plan = unlink_plan::plan(&facts, &sources, &graph, &opts);
    for (i, edit) in configs.input_edits {
        plan.edits[i].push(edit);
    }
    let mut config_edits = Vec::new();
    for (path, bytes, edits) in configs.file_edits {
        match inputs.iter().position(|i| i.path == path) {
            Some(i) => plan.edits[i].extend(edits),
            None => config_edits.push((path, bytes, edits)),
        }
    }
    plan.diagnostics.extend(configs.diagnostics);
    let mut config_sources = configs.sources;
    // Compose projects: a main file and its override are read (and edited) together.
    let mut done: Vec<PathBuf> = Vec::new();
    let copts = unlink_compose::ComposeOptions {
        network: opts.network.clone(),
        isolation: match opts.isolation {
            unlink_plan::Isolation::Component => unlink_compose::Isolation::Component,
            unlink_plan::Isolation::Strict => unlink_compose::Isolation::Strict,
            unlink_plan::Isolation::Single => unlink_compose::Isolation::Single,
        },
        ..Default::default()
    };
    for path in compose_files {
        if done.contains(&path) {
            continue;
        }
        let project = match unlink_compose::ComposeProject::load(&path) {
            Ok(p) => p,
            Err(e) => return Err(Fatal(format!("cannot read {}: {e}", path.display()))),
        };
        for p in project.paths() {
            done.push(p.to_path_buf());
        }
        for f in std::iter::once(&project.main).chain(project.override_file.as_ref()) {
            config_sources.push((f.path.clone(), f.text.clone().into_bytes()));
        }
        let mut copts = copts.clone();
        if rewrite_hostnames {
            if let Ok(cfacts) = unlink_compose::project_facts(&project) {
                let (rewritten, edits, diags) = crate::configs::compose(&project, &cfacts);
                copts.hostnames_rewritten = rewritten;
                for (path, bytes, e) in edits {
                    config_sources.push((path.clone(), bytes.clone()));
                    config_edits.push((path, bytes, e));
                }
                plan.diagnostics.extend(diags);
            }
        }
        match unlink_compose::migrate_project(&project, &copts) {
            Ok(m) => {
                // A file the compose stage refuses to migrate is an error of
                // the run: nothing may be written then.
                let (refused, rest): (Vec<_>, Vec<_>) = m
                    .diagnostics
                    .into_iter()
                    .partition(|d| d.severity == unlink_diagnostics::Severity::Error);
                errors.extend(refused);
                plan.diagnostics.extend(rest);
                for fe in m.files {
                    let old = std::iter::once(&project.main)
                        .chain(project.override_file.as_ref())
                        .find(|f| f.path == fe.path)
                        .map(|f| f.text.clone().into_bytes())
                        .unwrap_or_default();
                    config_edits.push((fe.path, old, fe.edits));
                }
            }
            Err(d) => errors.push(d),
        }
    }
    // Files with syntax errors are never edited.
    for (i, f) in facts.iter().enumerate() {
        if !f.errors.is_empty() {
            plan.edits[i].clear();
        }
    }
    plan.diagnostics.extend(unlink_plan::lint(&facts));
    plan.diagnostics.extend(extra);
    for f in &facts {
        plan.diagnostics.extend(f.diagnostics.iter().cloned());
    }
    plan.diagnostics.sort_by(Diagnostic::output_order);
    plan.diagnostics.dedup();
    // One entry per config file, even when two stages edit it.
    let mut merged: ConfigEdits = Vec::new();
    for (path, bytes, edits) in config_edits {
        match merged.iter_mut().find(|(p, _, _)| *p == path) {
            Some((_, _, e)) => e.extend(edits),
            None => merged.push((path, bytes, edits)),
        }
    }
    let config_edits = merged;
    Ok(Project {
        config_edits,
        config_sources,
        inputs,
        facts,
        graph,
        plan,
        errors,
        notes,
    })
}

/// A file named explicitly whose name says nothing: a Makefile when it looks
/// like one, else a script when it has a shell shebang.
fn guess_kind(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".mk") || name.contains("makefile") {
        FileKind::Makefile
    } else {
        FileKind::Other
    }
}

/// CI files: `--link` in their scripts is reported, never edited.
fn ci_findings(path: &Path, bytes: &[u8], out: &mut Vec<Diagnostic>) {
    let mut start = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(line);
        if let Some(at) = text.find("--link") {
            if text.contains("docker run")
                || text.contains("docker create")
                || text.contains("container run")
            {
                let end = text[at..]
                    .find(char::is_whitespace)
                    .map_or(text.trim_end().len(), |e| at + e);
                out.push(
                    Diagnostic::new(
                        &codes::DOCKER_IN_CI,
                        path,
                        start + at..start + end,
                        "`--link` in a CI script puts the container on the default bridge",
                    )
                    .with_help("create a network in the job and pass `--network` instead; unlink does not edit CI files"),
                );
            }
        }
        start += line.len() + 1;
    }
}
