//! Compose files: finding legacy links and moving them onto project networks.
//!
//! # What this crate owns
//!
//! Everything unlink knows about Docker Compose files lives here, and nothing
//! else does. The crate recognises compose files (by name, or by structure
//! for a YAML file named on the command line), reads every format Compose
//! ever had — version 1 with services at the top level, 2.x, 3.x and the
//! unversioned Compose Specification — and answers three questions:
//!
//! * **What is there?** [`links`] / [`project_facts`] return the located
//!   facts: services, their `links` and `external_links` entries (target,
//!   alias, byte span, the anchor they come from), networks and aliases,
//!   `network_mode`, `depends_on` and its form, and the build context and bind
//!   mounts each service reads its configuration from. The hostname-rewrite
//!   stage uses the last two to find the configs that name a link alias.
//! * **What is wrong?** [`check`] / [`check_project`] report each `links`
//!   entry (UL002), each `external_links` entry (UL003), and each
//!   `network_mode` that keeps a linked service off the project network
//!   (UL017), with the exact span of the entry and whether `migrate` fixes it.
//! * **What should the file say instead?** [`migrate`] / [`migrate_project`]
//!   return [`Edit`]s: byte-range replacements against the original text.
//!
//! The crate never writes a file and never prints. It does not rewrite the
//! application configs that name an alias (that is the hostname stage; it
//! tells this crate what it made unnecessary through
//! [`ComposeOptions::hostnames_rewritten`]), and it does not touch Makefiles
//! or scripts.
//!
//! # How a migration works
//!
//! Planning and editing are separate. One planning pass over the whole
//! project (main file, `docker-compose.override.yml` beside it, files read
//! for `extends`) decides, per link entry, whether it can go and what must
//! happen instead: the target joins a `depends_on` in the form the file
//! already uses; a differing alias becomes a network alias of the target on
//! the network it shares with the consumer (unless it would clash, in which
//! case the link stays, UL011); an external container gets an external
//! network and a `docker network connect` command (UL021); a
//! `network_mode: bridge` goes. The plan is a list of actions that name their
//! place by key path (`services.web`), not by offset.
//!
//! The actions are then carried out one at a time, each on freshly re-parsed
//! text, each touching only the lines it changes and writing new lines in the
//! file's own line ending and indentation. A version 1 file is first moved
//! under `services:` (every line indented by the file's unit, comments
//! included). At the end the new text is compared with the original and
//! turned back into small edits (a re-indented line is an inserted run of
//! spaces, a renamed key a replaced word), which are checked to reproduce the
//! new text exactly. So every byte outside an edit is the original byte:
//! comments, blank lines, quoting, CRLF, a missing final newline. The result
//! is re-parsed; migrating it again yields no edits.
//!
//! # The YAML underneath
//!
//! `saphyr-parser` (pure Rust, YAML 1.2, start and end marks on every event)
//! feeds a small located tree (the private `yaml` module): every node
//! knows its bytes, aliases point at their anchors, merge keys are followed
//! only on request and with a depth limit, so recursive aliases cannot hang.
//! A parse error becomes a UL018 diagnostic at the parser's position; nothing
//! here panics on input. See `docs/compose.md` for why this parser and not
//! `yamlpath`/`yamlpatch` or `yaml-edit`.
//!
//! # Anchors
//!
//! A `links:` inside an anchored mapping (`x-base: &base`, merged with
//! `<<: *base`) is fixed once, at the anchor; its diagnostic names every
//! service that inherits it. Services whose own `depends_on` would shadow
//! the anchor's get the target in their own list.
//!
//! # Isolation modes
//!
//! [`ComposeOptions::isolation`] is the compose side of `--isolation`. In a
//! version 2+ file every service already resolves every other by name over
//! the project's `default` network (links never isolated anything there),
//! and unlink never takes a service off a network it is on: services that
//! talk without links keep working. What the modes change is where a
//! link's alias is answered, and so who else can resolve it:
//!
//! * `single` (or `--network NAME`): on the network consumer and target
//!   share, `default` unless they declare networks.
//! * `component` (the default): only inside the group, the services
//!   connected by links or `depends_on`. When a service outside the group
//!   is on that network, the aliased targets and their consumers join a
//!   new `<first service of the group>-net` (declared at the top level,
//!   `default` kept) and the alias goes there.
//! * `strict`: only to the target's consumers (services linking to it or
//!   depending on it), on `<target>-net` when anyone else shares the
//!   network.
//!
//! A network the file already shares between consumer and target (other
//! than `default` and external ones) is adopted as it is, as the Makefile
//! planner adopts a `--network` the scripts already use. The choice is made
//! in the planner's "shared network" step; the planner runs in a few passes
//! so that each alias is checked against every name its network will
//! answer, and a second migration makes the same choices. `docs/compose.md`
//! has the rules and the corpus cases `compose-component` and
//! `compose-strict`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use unlink_diagnostics::{codes, Diagnostic, Severity};
pub use unlink_edit::Edit;

mod diff;
mod exec;
mod model;
mod plan;
mod text;
mod yaml;

use model::{Model, Role, SourceFile};

/// Compose file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// No `version`, services at the top level (legacy links on the default
    /// bridge).
    V1,
    /// `version: '2'` … `'2.4'`.
    V2 { minor: u8 },
    /// `version: '3'` … `'3.9'`.
    V3 { minor: u8 },
    /// No `version` and a `services:` key: the Compose Specification.
    Spec,
    /// Not a compose file.
    Unknown,
}

impl Format {
    pub(crate) fn from_version(v: &str) -> Format {
        let mut parts = v.trim().splitn(2, '.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        match major {
            "1" => Format::V1,
            "2" => Format::V2 { minor },
            "3" => Format::V3 { minor },
            _ => Format::Spec,
        }
    }

    /// Whether `depends_on` may be a map with `condition:`.
    pub fn allows_depends_on_map(self) -> bool {
        matches!(self, Format::V2 { minor: 1.. } | Format::Spec)
    }
}

/// Where a link's alias is answered once the link is gone (the compose
/// side of `--isolation`). Every service of a version 2+ project already
/// resolves every other by name over `default`, and unlink never takes a
/// service off a network it is on; the modes differ in where a network
/// alias goes and so in who can resolve it. See `docs/compose.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// A network per connected group of linked services: an alias goes on
    /// the network consumer and target share only when no service outside
    /// their group is on it; otherwise the aliased target and its consumers
    /// join a new `<first service of the group>-net`.
    #[default]
    Component,
    /// A network per link target: an alias is answered only to the
    /// target's own consumers, on `<target>-net` unless consumer and target
    /// already share a network no one else is on.
    Strict,
    /// The network consumer and target share (the project's `default`
    /// unless they declare networks), for every alias.
    Single,
}

/// Choices the caller makes for a migration.
#[derive(Debug, Clone, Default)]
pub struct ComposeOptions {
    /// Name of the external network for `external_links` (`--network`);
    /// derived from the project name when `None`. A name given here also
    /// means [`Isolation::Single`], as `--network` does for scripts.
    pub network: Option<String>,
    /// Where aliases go (ignored, as `Single`, when `network` is set).
    pub isolation: Isolation,
    /// `(consumer service, alias)` pairs whose alias the caller made
    /// unnecessary by rewriting the consumer's configs to the target's
    /// service name: such a link is removed without a network alias.
    pub hostnames_rewritten: Vec<(String, String)>,
}

/// One file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeFile {
    pub path: PathBuf,
    pub text: String,
}

/// The files Compose reads together: the main file, the
/// `docker-compose.override.yml` beside it, and files named by `extends`
/// (read, never edited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeProject {
    pub main: ComposeFile,
    pub override_file: Option<ComposeFile>,
    pub extends: Vec<ComposeFile>,
}

impl ComposeProject {
    /// A project of one file.
    pub fn single(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        ComposeProject {
            main: ComposeFile {
                path: path.into(),
                text: text.into(),
            },
            override_file: None,
            extends: vec![],
        }
    }

    /// Read `path` and the files Compose would read with it: given a main
    /// file, the override beside it; given an override, the main file beside
    /// it; then every file an `extends: {file: …}` names.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let (main, over) = if is_override_path(path) {
            match main_path_for(path) {
                Some(m) => (m, Some(path.to_path_buf())),
                None => (path.to_path_buf(), None),
            }
        } else {
            (path.to_path_buf(), override_path(path))
        };
        let read = |p: &Path| -> std::io::Result<ComposeFile> {
            Ok(ComposeFile {
                path: p.to_path_buf(),
                text: std::fs::read_to_string(p)?,
            })
        };
        let mut project = ComposeProject {
            main: read(&main)?,
            override_file: over.as_deref().map(read).transpose()?,
            extends: vec![],
        };
        let mut seen: Vec<PathBuf> = project.paths().iter().map(|p| p.to_path_buf()).collect();
        let mut queue: Vec<ComposeFile> = std::iter::once(project.main.clone())
            .chain(project.override_file.clone())
            .collect();
        while let Some(f) = queue.pop() {
            for rel in extends_files(&f.text) {
                let p = f.path.parent().unwrap_or(Path::new("")).join(rel);
                if seen.contains(&p) || seen.len() > 32 {
                    continue;
                }
                seen.push(p.clone());
                if let Ok(file) = read(&p) {
                    queue.push(file.clone());
                    project.extends.push(file);
                }
            }
        }
        Ok(project)
    }

    /// The files a migration may edit: main, then override.
    pub fn paths(&self) -> Vec<&Path> {
        std::iter::once(self.main.path.as_path())
            .chain(self.override_file.as_ref().map(|f| f.path.as_path()))
            .collect()
    }
}

/// The edits for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub path: PathBuf,
    pub edits: Vec<Edit>,
}

/// The outcome of [`migrate_project`]: edits per file (only files that
/// change) and every diagnostic, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectMigration {
    pub files: Vec<FileEdits>,
    pub diagnostics: Vec<Diagnostic>,
}

/// True for the names Compose and people give compose files:
/// `docker-compose*.yml|yaml` and `compose*.yml|yaml`.
pub fn is_compose_path(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

fn is_override_path(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(".override."))
}

/// The `docker-compose.override.yml` (or `compose.override.yaml`, …) that
/// Compose reads together with `main`, if it exists.
pub fn override_path(main: &Path) -> Option<PathBuf> {
    let dir = main.parent().unwrap_or(Path::new(""));
    let name = main.file_name()?.to_str()?;
    let stem = name.rsplit_once('.')?.0;
    ["yml", "yaml"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.override.{ext}")))
        .find(|p| p.is_file())
}

fn main_path_for(over: &Path) -> Option<PathBuf> {
    let dir = over.parent().unwrap_or(Path::new(""));
    let name = over.file_name()?.to_str()?;
    let stem = name.split(".override.").next()?;
    ["yml", "yaml"]
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

fn extends_files(text: &str) -> Vec<String> {
    let Ok(f) = SourceFile::parse(Path::new(""), text, Role::Main) else {
        return vec![];
    };
    let doc = &f.doc;
    let mut out = vec![];
    for (_, _, body) in f.services() {
        if let Some(found) = doc.get_merged(body, "extends") {
            if let Some((_, file)) = doc.get(found.value, "file") {
                if let Some(s) = doc.str(file) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

/// True when `text` is YAML shaped like a compose file: a `services:`
/// mapping of mappings (any version), or version 1 services at the top level
/// (mappings with keys only services have).
pub fn looks_like_compose(text: &str) -> bool {
    let Ok(f) = SourceFile::parse(Path::new(""), text, Role::Main) else {
        return false;
    };
    let doc = &f.doc;
    match f.format {
        Format::Unknown => false,
        Format::V1 => true,
        _ => {
            let root = doc.root.expect("classified");
            let known = [
                "version", "name", "include", "services", "networks", "volumes", "secrets",
                "configs", "models",
            ];
            let keys_ok = doc.entries(root).iter().all(|&(k, _)| {
                doc.str(k)
                    .is_some_and(|k| known.contains(&k) || k.starts_with("x-"))
            });
            let services_ok = f.services_map.is_some_and(|m| {
                doc.entries(m)
                    .iter()
                    .all(|&(_, v)| doc.is_map(v) || doc.is_null(v))
            });
            keys_ok && services_ok
        }
    }
}

fn syntax_error(path: &Path, text: &str, e: yaml::SyntaxError) -> Diagnostic {
    let at = e.offset.min(text.len());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Diagnostic::new(
        &codes::SYNTAX_ERROR,
        path,
        at..end,
        format!("not valid YAML: {}", e.message),
    )
    .with_help("unlink reads compose files only when they parse; fix the YAML first")
}

fn model_for(project: &ComposeProject) -> Result<Model, Diagnostic> {
    let mut files = vec![];
    let all = std::iter::once((&project.main, Role::Main))
        .chain(project.override_file.iter().map(|f| (f, Role::Override)))
        .chain(project.extends.iter().map(|f| (f, Role::Extends)));
    for (f, role) in all {
        match SourceFile::parse(&f.path, &f.text, role) {
            Ok(sf) => files.push(sf),
            Err(e) if role == Role::Extends => {
                let _ = e;
            }
            Err(e) => return Err(syntax_error(&f.path, &f.text, e)),
        }
    }
    Ok(Model::new(files))
}

fn sorted(mut d: Vec<Diagnostic>) -> Vec<Diagnostic> {
    d.sort_by(Diagnostic::output_order);
    d.dedup();
    d
}

/// Findings for one compose file read on its own.
pub fn check(path: &Path, text: &str) -> Result<Vec<Diagnostic>, Diagnostic> {
    check_project(&ComposeProject::single(path, text))
}

/// Findings for a project: UL002, UL003, UL017, plus UL011/UL012 where an
/// entry cannot be migrated. `fixable` is set exactly on what
/// [`migrate_project`] fixes.
pub fn check_project(project: &ComposeProject) -> Result<Vec<Diagnostic>, Diagnostic> {
    check_project_with(project, &ComposeOptions::default())
}

/// [`check_project`] with the options a migration would use (the
/// isolation mode decides which aliases clash, so which entries are
/// fixable).
pub fn check_project_with(
    project: &ComposeProject,
    opts: &ComposeOptions,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let model = model_for(project)?;
    let plan = plan::Planner::new(&model, opts).run();
    Ok(sorted(
        plan.diagnostics
            .into_iter()
            .filter(|d| {
                d.code.id != codes::ALIAS_MOVED.id
                    && d.code.id != codes::EXTERNAL_NETWORK_CONNECT.id
            })
            .collect(),
    ))
}

/// Edits and diagnostics for one compose file read on its own.
pub fn migrate(
    path: &Path,
    text: &str,
    opts: &ComposeOptions,
) -> Result<(Vec<Edit>, Vec<Diagnostic>), Diagnostic> {
    let m = migrate_project(&ComposeProject::single(path, text), opts)?;
    let edits = m
        .files
        .into_iter()
        .next()
        .map(|f| f.edits)
        .unwrap_or_default();
    Ok((edits, m.diagnostics))
}

/// Edits per file and diagnostics for a project. Besides the findings of
/// [`check_project`] this reports what was done that a person must know:
/// UL022 (an alias became a network alias) and UL021 (the `docker network
/// connect` command for an external container).
pub fn migrate_project(
    project: &ComposeProject,
    opts: &ComposeOptions,
) -> Result<ProjectMigration, Diagnostic> {
    let model = model_for(project)?;
    let plan = plan::Planner::new(&model, opts).run();
    let mut diagnostics = plan.diagnostics;
    let mut texts: Vec<String> = model.files.iter().map(|f| f.text.clone()).collect();
    let mut actions = plan.actions;
    actions.sort_by_key(|(_, a)| a.phase());
    let mut failure: Option<(usize, String)> = None;
    for (fi, action) in &actions {
        let f = &model.files[*fi];
        let result = yaml::parse(&texts[*fi])
            .map_err(|e| format!("intermediate text does not parse: {}", e.message))
            .and_then(|doc| exec::run(action, &texts[*fi], &doc, &f.layout))
            .and_then(|edits| {
                unlink_edit::apply(texts[*fi].as_bytes(), edits)
                    .map_err(|e| e.to_string())
                    .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
            });
        match result {
            Ok(t) => texts[*fi] = t,
            Err(e) => {
                failure = Some((*fi, e));
                break;
            }
        }
    }
    if failure.is_none() {
        for (fi, t) in texts.iter().enumerate() {
            if let Err(e) = yaml::parse(t) {
                failure = Some((fi, format!("the result would not parse: {}", e.message)));
            }
        }
    }
    if let Some((fi, why)) = failure {
        for d in &mut diagnostics {
            d.fixable = false;
        }
        diagnostics.push(
            Diagnostic::new(
                &codes::COMPOSE_LINKS,
                &model.files[fi].path,
                0..0,
                format!("unlink cannot migrate this file safely: {why}"),
            )
            .with_severity(Severity::Error)
            .with_help("nothing was changed; please migrate by hand and report the file"),
        );
        return Ok(ProjectMigration {
            files: vec![],
            diagnostics: sorted(diagnostics),
        });
    }
    let mut files = vec![];
    for (f, t) in model.files.iter().zip(&texts) {
        if f.role == Role::Extends || *t == f.text {
            continue;
        }
        let edits = diff::diff_edits(&f.text, t);
        let check = unlink_edit::apply(f.text.as_bytes(), edits.clone()).ok();
        if check.as_deref() != Some(t.as_bytes()) {
            return Err(Diagnostic::new(
                &codes::COMPOSE_LINKS,
                &f.path,
                0..0,
                "internal error: edits do not reproduce the migrated text",
            )
            .with_severity(Severity::Error));
        }
        files.push(FileEdits {
            path: f.path.clone(),
            edits,
        });
    }
    Ok(ProjectMigration {
        files,
        diagnostics: sorted(diagnostics),
    })
}

/// The external network `external_links` consumers join: `opts.network`,
/// or `<project>_external` where the project name is the top-level `name:`
/// of `text` or else the name of the directory holding `main`, normalised
/// as Compose does (lower case; letters, digits, `_` and `-`).
pub fn external_network_name(main: &Path, text: &str, opts: &ComposeOptions) -> String {
    let project_name = SourceFile::parse(main, text, Role::Main)
        .ok()
        .and_then(|f| top_level_name(&f));
    network_name_from(main, project_name, opts)
}

pub(crate) fn top_level_name(f: &SourceFile) -> Option<String> {
    let root = f.doc.root?;
    let (_, v) = f.doc.get(root, "name")?;
    f.doc.str(v).map(str::to_string)
}

pub(crate) fn network_name_from(
    main: &Path,
    project_name: Option<String>,
    opts: &ComposeOptions,
) -> String {
    if let Some(n) = &opts.network {
        return n.clone();
    }
    let raw = project_name.unwrap_or_else(|| {
        main.parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string)
            .unwrap_or_default()
    });
    let mut name: String = raw
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if name.is_empty() {
        name = "project".into();
    }
    format!("{name}_external")
}

// ---------------------------------------------------------------- facts

/// Located facts about a compose project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeFacts {
    /// Format of the main file.
    pub format: Format,
    pub services: Vec<ServiceFacts>,
}

/// How a service writes `depends_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependsOnForm {
    None,
    List,
    Map,
}

/// One service, merged over its files, anchors and `extends` base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFacts {
    pub name: String,
    /// File of its first definition, and the span of its name there.
    pub path: PathBuf,
    pub span: Range<usize>,
    pub container_name: Option<String>,
    pub hostname: Option<String>,
    pub network_mode: Option<String>,
    /// Networks it is on (`default` when it declares none) with its aliases.
    pub networks: Vec<NetworkFacts>,
    pub links: Vec<LinkFacts>,
    pub external_links: Vec<LinkFacts>,
    pub depends_on: Vec<String>,
    pub depends_on_form: DependsOnForm,
    /// Build context directory, resolved against the compose file's
    /// directory (variables like `${X}` are left as written).
    pub build_context: Option<PathBuf>,
    /// The Dockerfile, resolved against the build context.
    pub dockerfile: Option<PathBuf>,
    pub bind_mounts: Vec<BindMount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFacts {
    pub name: String,
    pub aliases: Vec<String>,
}

/// One `links` or `external_links` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFacts {
    /// Service (or, for external links, container) linked to.
    pub target: String,
    /// The alias after `:`, if any.
    pub alias: Option<String>,
    /// Where the entry is written (may be an anchor shared with others).
    pub path: PathBuf,
    pub span: Range<usize>,
    /// The anchor the entry is inherited from, when it is not the service's
    /// own.
    pub anchor: Option<String>,
}

impl LinkFacts {
    /// The host name the consumer uses for the target.
    pub fn name_used(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.target)
    }
}

/// A host path mounted into a service's container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindMount {
    /// Host path, resolved against the compose file's directory.
    pub source: PathBuf,
    /// As written.
    pub raw_source: String,
    /// Path inside the container.
    pub target: String,
    pub read_only: bool,
    /// Where the volume entry is written.
    pub path: PathBuf,
    pub span: Range<usize>,
}

/// Facts for one compose file read on its own.
pub fn links(path: &Path, text: &str) -> Result<ComposeFacts, Diagnostic> {
    project_facts(&ComposeProject::single(path, text))
}

/// Facts for a project.
pub fn project_facts(project: &ComposeProject) -> Result<ComposeFacts, Diagnostic> {
    let model = model_for(project)?;
    let mut services = vec![];
    for svc in &model.services {
        let first = svc.parts[0];
        let f0 = &model.files[first.file];
        let scalar = |k: &str| model.scalar(svc, k).map(|(s, _)| s);
        let nets = model.networks(svc);
        let mut facts = ServiceFacts {
            name: svc.name.clone(),
            path: f0.path.clone(),
            span: f0.doc.node(first.key).start..f0.doc.node(first.key).end,
            container_name: scalar("container_name"),
            hostname: scalar("hostname"),
            network_mode: scalar("network_mode").or_else(|| scalar("net")),
            networks: if scalar("network_mode").is_some() && !nets.declared {
                vec![]
            } else {
                nets.list
                    .iter()
                    .map(|(n, a)| NetworkFacts {
                        name: n.clone(),
                        aliases: a.clone(),
                    })
                    .collect()
            },
            links: vec![],
            external_links: vec![],
            depends_on: vec![],
            depends_on_form: DependsOnForm::None,
            build_context: None,
            dockerfile: None,
            bind_mounts: vec![],
        };
        for (key, external) in [("links", false), ("external_links", true)] {
            for hit in model.hits(svc, key) {
                let f = &model.files[hit.file];
                let doc = &f.doc;
                let anchor = if hit.found.holder == hit.part.body {
                    None
                } else {
                    doc.node(hit.found.holder).anchor.clone()
                };
                for &i in doc.items(hit.found.value) {
                    let Some(raw) = doc.str(i) else { continue };
                    let (target, alias) = match raw.split_once(':') {
                        Some((t, a)) => (t.to_string(), Some(a.to_string())),
                        None => (raw.to_string(), None),
                    };
                    let lf = LinkFacts {
                        target,
                        alias,
                        path: f.path.clone(),
                        span: doc.node(i).start..doc.node(i).end,
                        anchor: anchor.clone(),
                    };
                    if external {
                        facts.external_links.push(lf);
                    } else {
                        facts.links.push(lf);
                    }
                }
            }
        }
        for hit in model.hits(svc, "depends_on") {
            let doc = &model.files[hit.file].doc;
            facts.depends_on_form = if doc.is_map(hit.found.value) {
                DependsOnForm::Map
            } else {
                DependsOnForm::List
            };
            for n in plan::dep_names(doc, hit.found.value) {
                if !facts.depends_on.contains(&n) {
                    facts.depends_on.push(n);
                }
            }
        }
        if let Some(hit) = model.hits(svc, "build").pop() {
            let f = &model.files[hit.file];
            let doc = &f.doc;
            let dir = f.path.parent().unwrap_or(Path::new("")).to_path_buf();
            let (ctx, dockerfile) = match doc.str(hit.found.value) {
                Some(s) => (Some(s.to_string()), None),
                None => (
                    doc.get(hit.found.value, "context")
                        .and_then(|(_, v)| doc.str(v))
                        .map(str::to_string),
                    doc.get(hit.found.value, "dockerfile")
                        .and_then(|(_, v)| doc.str(v))
                        .map(str::to_string),
                ),
            };
            let ctx = ctx.map(|c| dir.join(c));
            facts.dockerfile = match (&ctx, dockerfile) {
                (Some(c), Some(d)) => Some(c.join(d)),
                (Some(c), None) => Some(c.join("Dockerfile")),
                _ => None,
            };
            facts.build_context = ctx;
        }
        for hit in model.hits(svc, "volumes") {
            let f = &model.files[hit.file];
            let doc = &f.doc;
            let dir = f.path.parent().unwrap_or(Path::new("")).to_path_buf();
            for &i in doc.items(hit.found.value) {
                let span = doc.node(i).start..doc.node(i).end;
                let mount = if let Some(s) = doc.str(i) {
                    let mut parts = s.splitn(3, ':');
                    let src = parts.next().unwrap_or("");
                    let Some(dst) = parts.next() else { continue };
                    let mode = parts.next().unwrap_or("");
                    if !(src.starts_with('.') || src.starts_with('/') || src.starts_with('~')) {
                        continue;
                    }
                    (
                        src.to_string(),
                        dst.to_string(),
                        mode.split(',').any(|m| m == "ro"),
                    )
                } else {
                    let get = |k: &str| {
                        doc.get(i, k)
                            .and_then(|(_, v)| doc.str(v))
                            .map(str::to_string)
                    };
                    if get("type").as_deref() != Some("bind") {
                        continue;
                    }
                    let (Some(src), Some(dst)) = (get("source"), get("target")) else {
                        continue;
                    };
                    (src, dst, get("read_only").as_deref() == Some("true"))
                };
                facts.bind_mounts.push(BindMount {
                    source: dir.join(&mount.0),
                    raw_source: mount.0,
                    target: mount.1,
                    read_only: mount.2,
                    path: f.path.clone(),
                    span,
                });
            }
        }
        services.push(facts);
    }
    Ok(ComposeFacts {
        format: model.files.first().map_or(Format::Unknown, |f| f.format),
        services,
    })
}
