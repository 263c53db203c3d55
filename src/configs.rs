//! The files each consumer reads, and what they say about its links.
//!
//! A consumer reaches its target under an alias, and its configs name that
//! alias: nginx's `proxy_pass http://todos:8080`, an env file's
//! `DB_HOST=db`, a script's `$DB_PORT_5432_TCP_ADDR`. This stage finds those
//! files (the image's build context when a `docker build` in the inputs makes
//! it, bind mounts, `--env-file`), asks `unlink_hostnames` where the aliases
//! and the legacy link variables appear, and decides per (consumer, alias):
//!
//! - every reference found is rewritable and the consumer's configs are all
//!   known (its image is built here, or is a stock image whose configs are
//!   mounted from here): rewrite them to the target's container name, and the
//!   planner adds no network alias;
//! - otherwise the alias stays resolvable (the planner's job) and a
//!   diagnostic says what could not be followed.
//!
//! Legacy link variables that are read get an explicit `-e NAME=value` on
//! the consumer with the value the link would have given, or a diagnostic
//! when that value cannot be known statically.

use crate::project::Input;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unlink_diagnostics::{codes, Diagnostic};
use unlink_docker::{Action, Run};
use unlink_edit::Edit;
use unlink_graph::{run_at, CmdRef, Graph, NodeId};
use unlink_hostnames::{FileKind as ConfigKind, PortSpec, TargetFacts};
use unlink_locate::FileFacts;

/// What this stage decided.
#[derive(Default)]
pub struct ConfigPlan {
    /// (consumer, alias) pairs whose references were all rewritten.
    pub rewritten: HashSet<(NodeId, String)>,
    /// Edits to config files, by path.
    pub file_edits: Vec<FileEdit>,
    /// Edits to the input files (`-e` on consumers), by input index.
    pub input_edits: Vec<(usize, Edit)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The bytes of every config file read, for rendering diagnostics.
    pub sources: Vec<(PathBuf, Vec<u8>)>,
}

/// `a/./b/../c` → `a/c`, lexically.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

struct Sources {
    files: Vec<PathBuf>,
    /// Every config the container reads is known.
    complete: bool,
    /// Why not, for the diagnostic.
    gap: Option<String>,
    /// The image's Dockerfile, when built here.
    dockerfile: Option<unlink_hostnames::dockerfile::Dockerfile>,
    /// The `docker build` commands among the inputs that tag the image.
    builds: Vec<CmdRef>,
}

fn base_dir(path: &Path) -> PathBuf {
    path.parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A host path from `-v`, with the spellings of "here" resolved.
fn host_path(raw: &str, dir: &Path) -> Option<PathBuf> {
    let mut s = raw.to_string();
    for here in [
        "$(CURDIR)",
        "$(PWD)",
        "$(shell pwd)",
        "${CURDIR}",
        "${PWD}",
        "$PWD",
        "$(pwd)",
        "`pwd`",
    ] {
        if let Some(rest) = s.strip_prefix(here) {
            s = format!(".{rest}");
        }
    }
    if s.contains('$') || s.contains('`') {
        return None;
    }
    let p = PathBuf::from(&s);
    if p.is_absolute() {
        Some(p)
    } else if s.starts_with('.') || s.contains('/') {
        Some(dir.join(p))
    } else {
        None // a named volume
    }
}

/// Where a `COPY` source is: Docker reads sources inside the build context
/// only, so `/x` is the context's `x`; a URL or a source that climbs out
/// with `..` is not read.
fn in_context(ctx: &Path, source: &str) -> Option<PathBuf> {
    let rel = source.trim_start_matches('/');
    if source.contains("://") || rel.split('/').any(|c| c == "..") {
        return None;
    }
    Some(ctx.join(rel))
}

fn collect(path: &Path, out: &mut Vec<PathBuf>, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    if path.is_file() {
        *budget -= 1;
        out.push(clean(path));
    } else if path.is_dir() {
        let Ok(rd) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            collect(&e, out, budget);
        }
    }
}

/// Whether an image name is a stock image (no namespace), whose own files
/// hold no project-specific hostnames.
fn is_stock(image: &str) -> bool {
    let repo = image.split(['@', ':']).next().unwrap_or(image);
    !repo.contains('/') || repo.starts_with("library/")
}

fn sources_of(
    inputs: &[Input],
    facts: &[FileFacts],
    builds: &[CmdRef],
    at: CmdRef,
    run: &Run,
) -> Sources {
    let dir = base_dir(&inputs[at.file].path);
    let mut files = Vec::new();
    let mut budget = 200;
    let mut dockerfile = None;
    let image = run
        .image
        .as_ref()
        .and_then(|i| i.text.clone())
        .unwrap_or_default();
    let image_repo = image.strip_suffix(":latest").unwrap_or(&image).to_string();
    // A `docker build -t IMAGE CONTEXT` among the inputs.
    let mut built = false;
    let mut image_builds = Vec::new();
    for &CmdRef { file: fi, cmd } in builds {
        let Action::Build(build) = &facts[fi].commands[cmd].docker.action else {
            continue;
        };
        let unlink_docker::Build {
            tags,
            context,
            file,
            ..
        } = &**build;
        if !tags
            .iter()
            .any(|t| t.strip_suffix(":latest").unwrap_or(t) == image_repo)
        {
            continue;
        }
        image_builds.push(CmdRef { file: fi, cmd });
        let Some(ctx) = context.as_ref().and_then(|c| c.text.clone()) else {
            continue;
        };
        let bdir = base_dir(&inputs[fi].path);
        let ctx_dir = bdir.join(&ctx);
        let df = match file.as_ref().and_then(|f| f.text.clone()) {
            Some(f) => bdir.join(f),
            None => ctx_dir.join("Dockerfile"),
        };
        if let Ok(bytes) = std::fs::read(&df) {
            let parsed = unlink_hostnames::dockerfile::parse(&bytes);
            files.push(clean(&df));
            for src in &parsed.copy_sources {
                if let Some(p) = in_context(&ctx_dir, &src.source) {
                    collect(&p, &mut files, &mut budget);
                }
            }
            dockerfile = Some(parsed);
            built = true;
        }
    }
    let mut mounted = false;
    // Values as written: `$(CURDIR)/conf` has no static value, but its meaning here is clear.
    let raw = |o: &unlink_docker::OptValue| -> Option<String> {
        o.value_span
            .as_ref()
            .map(|s| {
                String::from_utf8_lossy(&inputs[at.file].bytes[s.clone()])
                    .trim_matches(['"', '\''])
                    .to_string()
            })
            .or_else(|| o.value.clone())
    };
    for v in run.values("volume") {
        let Some(val) = &raw(v) else { continue };
        let host = val.split(':').next().unwrap_or_default();
        if let Some(p) = host_path(host, &dir) {
            collect(&p, &mut files, &mut budget);
            mounted = true;
        }
    }
    for m in run.values("mount") {
        let Some(val) = &raw(m) else { continue };
        let fields: HashMap<&str, &str> =
            val.split(',').filter_map(|kv| kv.split_once('=')).collect();
        if fields.get("type") == Some(&"bind") {
            if let Some(src) = fields.get("source").or(fields.get("src")) {
                if let Some(p) = host_path(src, &dir) {
                    collect(&p, &mut files, &mut budget);
                    mounted = true;
                }
            }
        }
    }
    for e in run.values("env-file") {
        if let Some(v) = &raw(e) {
            if let Some(p) = host_path(v, &dir).or_else(|| Some(dir.join(v))) {
                collect(&p, &mut files, &mut budget);
            }
        }
    }
    let (complete, gap) = if built || (mounted && is_stock(&image)) {
        (true, None)
    } else if image.is_empty() {
        (false, Some("its image is not known".to_string()))
    } else {
        (false, Some(format!("its image `{image}` is built elsewhere, and unlink cannot read the files inside it")))
    };
    files.sort();
    files.dedup();
    Sources {
        files,
        complete,
        gap,
        dockerfile,
        builds: image_builds,
    }
}

fn ports_of(
    run: &Run,
    dockerfile: Option<&unlink_hostnames::dockerfile::Dockerfile>,
) -> (Vec<PortSpec>, bool) {
    let mut ports = Vec::new();
    let mut parse = |spec: &str| {
        let (num, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
        if let Ok(p) = num.parse::<u16>() {
            ports.push(PortSpec::new(p, proto));
        }
    };
    for e in run.values("expose") {
        if let Some(v) = &e.value {
            parse(v);
        }
    }
    for p in run.values("publish") {
        if let Some(v) = &p.value {
            // ip:host:container[/proto] — the container side is last.
            parse(v.rsplit(':').next().unwrap_or(v));
        }
    }
    let complete = match dockerfile {
        Some(df) => {
            let ex = df.exposed_ports();
            ports.extend(ex.ports.iter().cloned());
            ex.complete()
        }
        None => false,
    };
    ports.sort_by(|a, b| {
        (a.proto != "tcp", a.port, &a.proto).cmp(&(b.proto != "tcp", b.port, &b.proto))
    });
    ports.dedup();
    (ports, complete)
}

fn env_of(run: &Run) -> Vec<(String, String)> {
    run.values("env")
        .filter_map(|e| {
            e.value
                .as_ref()?
                .split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

type Refs = Vec<(PathBuf, Vec<unlink_hostnames::HostRef>)>;

/// The references to rewrite in one file, and alias → host.
type Renames = (Vec<unlink_hostnames::HostRef>, Vec<(String, String)>);

/// A config file's path, original bytes and edits.
pub type FileEdit = (PathBuf, Vec<u8>, Vec<Edit>);

/// References to `alias` in `files` (read from `cache`), and the unclear ones.
fn find_refs(
    files: &[PathBuf],
    cache: &HashMap<PathBuf, Vec<u8>>,
    alias: &str,
) -> (Refs, Vec<(PathBuf, unlink_hostnames::HostRef)>) {
    let mut refs_all = Vec::new();
    let mut unclear = Vec::new();
    for f in files {
        let Some(bytes) = cache.get(f) else { continue };
        let kind = unlink_hostnames::kind_of(f, bytes);
        let refs = unlink_hostnames::find_host_refs(kind, bytes, &[alias]);
        for r in &refs {
            if !r.rewritable {
                unclear.push((f.clone(), r.clone()));
            }
        }
        if !refs.is_empty() {
            refs_all.push((f.clone(), refs));
        }
    }
    (refs_all, unclear)
}

/// Hostnames in the run's own `-e KEY=value` options.
fn env_option_refs(src: &[u8], run: &Run, alias: &str) -> Vec<unlink_hostnames::HostRef> {
    assignment_refs(
        src,
        run.values("env").filter_map(|e| e.value_span.clone()),
        alias,
    )
}

/// Hostnames in the `--build-arg KEY=value` values of a `docker build`.
fn build_arg_refs(src: &[u8], build: &Action, alias: &str) -> Vec<unlink_hostnames::HostRef> {
    let Action::Build(build) = build else {
        return Vec::new();
    };
    assignment_refs(
        src,
        build.build_args.iter().filter_map(|a| a.span.clone()),
        alias,
    )
}

/// Hostnames in `KEY=value` words (quoted or not) at `spans` of `src`.
fn assignment_refs(
    src: &[u8],
    spans: impl Iterator<Item = std::ops::Range<usize>>,
    alias: &str,
) -> Vec<unlink_hostnames::HostRef> {
    let mut out = Vec::new();
    for span in spans {
        let raw = &src[span.clone()];
        let (mut start, mut end) = (span.start, span.end);
        if raw.len() >= 2 && (raw[0] == b'"' || raw[0] == b'\'') && raw[raw.len() - 1] == raw[0] {
            start += 1;
            end -= 1;
        }
        let Some(eq) = src[start..end].iter().position(|&b| b == b'=') else {
            continue;
        };
        let key = String::from_utf8_lossy(&src[start..start + eq]).into_owned();
        out.extend(unlink_hostnames::generic::env_value_refs(
            &key,
            src,
            start + eq + 1..end,
            &[alias],
        ));
    }
    out
}

/// The directories unlink may edit config files in: the working directory
/// and the directory of every file it was given.
pub fn project_roots<'a>(files: impl Iterator<Item = &'a Path>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::env::current_dir().ok().into_iter().collect();
    for f in files {
        if let Ok(dir) = base_dir(f).canonicalize() {
            roots.push(dir);
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

fn inside(path: &Path, roots: &[PathBuf]) -> bool {
    match path.canonicalize() {
        Ok(p) => roots.iter().any(|r| p.starts_with(r)),
        Err(_) => false,
    }
}

/// A (consumer, alias) whose references could be rewritten to `target`.
struct Candidate<K> {
    key: K,
    alias: String,
    target: String,
    refs: Refs,
    link_path: PathBuf,
    link_span: std::ops::Range<usize>,
}

/// Turn candidates into renames. A config file shared by consumers that
/// mean different containers by one alias cannot be rewritten for any of
/// them: they keep the alias (each group's network answers it).
fn settle<K: Clone>(
    candidates: Vec<Candidate<K>>,
    cache: &HashMap<PathBuf, Vec<u8>>,
    roots: &[PathBuf],
) -> (Vec<(K, String)>, Vec<FileEdit>, Vec<Diagnostic>) {
    let mut targets: HashMap<(PathBuf, String), HashSet<String>> = HashMap::new();
    for c in &candidates {
        for (f, _) in &c.refs {
            targets
                .entry((f.clone(), c.alias.clone()))
                .or_default()
                .insert(c.target.clone());
        }
    }
    let mut pairs = Vec::new();
    let mut diagnostics = Vec::new();
    let mut renames: HashMap<PathBuf, Renames> = HashMap::new();
    for c in candidates {
        let shared = c
            .refs
            .iter()
            .find(|(f, _)| targets[&(f.clone(), c.alias.clone())].len() > 1);
        // Never edit a file outside the project (a bind mount of
        // `/etc/nginx/...` names the host's own config).
        let outside = c.refs.iter().find(|(f, _)| !inside(f, roots));
        if let Some((f, _)) = outside {
            for (f, refs) in &c.refs {
                for r in refs {
                    diagnostics.push(r.diagnostic(f, None));
                }
            }
            diagnostics.push(
                Diagnostic::new(
                    &codes::UNFOLLOWABLE_CONFIG,
                    &c.link_path,
                    c.link_span.clone(),
                    format!(
                        "`{}` stays resolvable as a network alias: {} is outside the project, and unlink edits no file there",
                        c.alias,
                        f.display()
                    ),
                )
                .with_help("move the config into the project, or change it by hand"),
            );
            continue;
        }
        if let Some((f, _)) = shared {
            for (f, refs) in &c.refs {
                for r in refs {
                    diagnostics.push(r.diagnostic(f, None));
                }
            }
            diagnostics.push(
                Diagnostic::new(
                    &codes::UNFOLLOWABLE_CONFIG,
                    &c.link_path,
                    c.link_span.clone(),
                    format!(
                        "`{}` stays resolvable as a network alias: {} is shared by consumers that mean different containers by it",
                        c.alias,
                        f.display()
                    ),
                )
                .with_help("give each consumer its own config to drop the alias"),
            );
            continue;
        }
        for (f, refs) in &c.refs {
            for r in refs {
                diagnostics.push(r.diagnostic(f, Some(&c.target)));
            }
            let entry = renames.entry(f.clone()).or_default();
            entry.0.extend(refs.iter().cloned());
            entry.1.push((c.alias.clone(), c.target.clone()));
        }
        pairs.push((c.key, c.alias));
    }
    let mut edits = Vec::new();
    let mut paths: Vec<PathBuf> = renames.keys().cloned().collect();
    paths.sort();
    for path in paths {
        let (mut refs, mut map) = renames.remove(&path).unwrap_or_default();
        refs.sort_by_key(|r| (r.span.start, r.span.end));
        refs.dedup_by(|a, b| a.span == b.span);
        map.sort();
        map.dedup();
        let bytes = cache[&path].clone();
        // Only the references found for these consumers are rewritten.
        let plan = unlink_hostnames::plan_rewrite(
            &bytes,
            &refs,
            map.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        );
        if !plan.edits.is_empty() {
            edits.push((path, bytes, plan.edits));
        }
    }
    (pairs, edits, diagnostics)
}

/// Compose: decide which `links` aliases can be rewritten away in the
/// configs a service mounts or builds from. Returns the (service, alias)
/// pairs for `ComposeOptions::hostnames_rewritten`, config edits and
/// diagnostics.
pub fn compose(
    project: &unlink_compose::ComposeProject,
    facts: &unlink_compose::ComposeFacts,
) -> (Vec<(String, String)>, Vec<FileEdit>, Vec<Diagnostic>) {
    let mut rewritten = Vec::new();
    let mut diagnostics = Vec::new();
    let mut cache: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    let mut candidates: Vec<Candidate<String>> = Vec::new();
    let images = compose_images(project);
    for svc in &facts.services {
        let mut files = Vec::new();
        let mut budget = 200;
        let built = svc.build_context.is_some();
        if let Some(ctx) = &svc.build_context {
            let df = svc
                .dockerfile
                .clone()
                .unwrap_or_else(|| ctx.join("Dockerfile"));
            if let Ok(bytes) = std::fs::read(&df) {
                let parsed = unlink_hostnames::dockerfile::parse(&bytes);
                files.push(clean(&df));
                for src in &parsed.copy_sources {
                    if let Some(p) = in_context(ctx, &src.source) {
                        collect(&p, &mut files, &mut budget);
                    }
                }
            }
        }
        for m in &svc.bind_mounts {
            collect(&m.source, &mut files, &mut budget);
        }
        files.sort();
        files.dedup();
        for f in &files {
            if !cache.contains_key(f) {
                if let Ok(b) = std::fs::read(f) {
                    cache.insert(f.clone(), b);
                }
            }
        }
        let image = images.get(&svc.name).cloned().unwrap_or_default();
        let complete =
            built || (!svc.bind_mounts.is_empty() && !image.is_empty() && is_stock(&image));
        for link in &svc.links {
            let alias = link.name_used().to_string();
            let target_host = facts
                .services
                .iter()
                .find(|t| t.name == link.target)
                .and_then(|t| t.container_name.clone())
                .unwrap_or_else(|| link.target.clone());
            if alias == link.target || alias == target_host {
                continue;
            }
            let (refs_all, unclear) = find_refs(&files, &cache, &alias);
            if !complete || !unclear.is_empty() || refs_all.is_empty() {
                for (f, r) in &unclear {
                    diagnostics.push(r.diagnostic(f, None));
                }
                continue;
            }
            candidates.push(Candidate {
                key: svc.name.clone(),
                alias,
                target: target_host,
                refs: refs_all,
                link_path: link.path.clone(),
                link_span: link.span.clone(),
            });
        }
    }
    let roots = project_roots(std::iter::once(project.main.path.as_path()));
    let (pairs, edits, diags) = settle(candidates, &cache, &roots);
    rewritten.extend(pairs);
    diagnostics.extend(diags);
    (rewritten, edits, diagnostics)
}

/// `service → image` from the compose files (later files win).
fn compose_images(project: &unlink_compose::ComposeProject) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for f in std::iter::once(&project.main).chain(project.override_file.as_ref()) {
        let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(&f.text) else {
            continue;
        };
        let services = doc
            .get("services")
            .and_then(|s| s.as_mapping())
            .or_else(|| doc.as_mapping());
        let Some(services) = services else { continue };
        for (k, v) in services {
            if let (Some(name), Some(image)) = (k.as_str(), v.get("image").and_then(|i| i.as_str()))
            {
                out.insert(name.to_string(), image.to_string());
            }
        }
    }
    out
}

/// Decide, for every legacy link, whether its alias can be rewritten away,
/// and which link variables its consumer reads.
/// `untouched`: the containers the plan leaves where they are
/// (`unlink_plan::untouched`). Their links stay, and a link answers the
/// target's own name too, so no config of theirs is rewritten.
pub fn plan(
    inputs: &[Input],
    facts: &[FileFacts],
    graph: &Graph,
    rewrite: bool,
    untouched: &HashSet<NodeId>,
) -> ConfigPlan {
    let mut out = ConfigPlan::default();
    let mut file_cache: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    // Per config file, the alias → host renames to make.
    let mut candidates: Vec<Candidate<NodeId>> = Vec::new();
    // Each consumer node's links (alias, target), by node: the consumers
    // are then visited in node order.
    let mut by_consumer: Vec<Vec<(String, NodeId, CmdRef)>> = vec![Vec::new(); graph.nodes.len()];
    for e in graph.links.iter().filter(|e| e.legacy) {
        if let (Some(t), Some(a)) = (e.target, e.alias.clone()) {
            by_consumer[e.consumer].push((a, t, e.at));
        }
    }
    let mut env_added: HashSet<(CmdRef, String)> = HashSet::new();
    // The `docker build` commands, found once rather than per consumer.
    let builds: Vec<CmdRef> = facts
        .iter()
        .enumerate()
        .flat_map(|(file, f)| {
            f.commands
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c.docker.action, Action::Build(_)))
                .map(move |(cmd, _)| CmdRef { file, cmd })
        })
        .collect();
    for (consumer, links) in by_consumer.iter().enumerate() {
        if links.is_empty() {
            continue;
        }
        let runs = graph.nodes[consumer].runs.clone();
        for &at in &runs {
            let Some(run) = run_at(facts, at) else {
                continue;
            };
            let src = sources_of(inputs, facts, &builds, at, run);
            let aliases: Vec<String> = links.iter().map(|(a, _, _)| a.clone()).collect();
            for f in &src.files {
                if !file_cache.contains_key(f) {
                    if let Ok(b) = std::fs::read(f) {
                        file_cache.insert(f.clone(), b);
                    }
                }
            }
            // Link variables read by the consumer's files and its command.
            let mut reads: Vec<(PathBuf, unlink_hostnames::LinkVarRead)> = Vec::new();
            for f in &src.files {
                let Some(bytes) = file_cache.get(f) else {
                    continue;
                };
                let kind = unlink_hostnames::kind_of(f, bytes);
                for r in unlink_hostnames::find_link_var_reads(kind, bytes, &aliases) {
                    reads.push((f.clone(), r));
                }
            }
            let input = &inputs[at.file];
            let cmd_span = {
                let l = &facts[at.file].commands[at.cmd];
                l.stmt_line_start..l.stmt_end
            };
            for r in unlink_hostnames::find_link_var_reads(
                ConfigKind::Shell,
                &input.bytes[cmd_span.clone()],
                &aliases,
            ) {
                let mut r = r;
                r.span = r.span.start + cmd_span.start..r.span.end + cmd_span.start;
                reads.push((input.path.clone(), r));
            }
            for (path, r) in reads {
                let Some((_, t, _)) = links.iter().find(|(a, _, _)| *a == r.alias) else {
                    continue;
                };
                let target_run = graph.nodes[*t]
                    .runs
                    .first()
                    .and_then(|&ta| run_at(facts, ta));
                let value = target_run.and_then(|tr| {
                    let tsrc = sources_of(inputs, facts, &builds, graph.nodes[*t].runs[0], tr);
                    let (ports, complete) = ports_of(tr, tsrc.dockerfile.as_ref());
                    let facts_t = TargetFacts {
                        name: graph.nodes[*t].name.clone()?,
                        alias: r.alias.clone(),
                        consumer: graph.nodes[consumer].name.clone(),
                        ports,
                        ports_complete: complete,
                        env: env_of(tr),
                    };
                    unlink_hostnames::link_var_value(&r.kind, &facts_t)
                });
                out.diagnostics.push(r.diagnostic(&path, value.as_deref()));
                if let Some(v) = value {
                    if run.values("env").any(|e| {
                        e.value
                            .as_deref()
                            .is_some_and(|x| x.starts_with(&format!("{}=", r.name)))
                    }) {
                        continue;
                    }
                    if env_added.insert((at, r.name.clone())) {
                        let pair = format!("{}={v}", r.name);
                        let plain = pair
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_=.:/-@,+".contains(c));
                        let quoted = if plain {
                            pair
                        } else {
                            shell_words::quote(&pair).into_owned()
                        };
                        out.input_edits.push((
                            at.file,
                            Edit::insert(run.after_subcommand, format!(" -e {quoted}")),
                        ));
                    }
                }
            }
            if !rewrite || untouched.contains(&consumer) {
                continue;
            }
            // Hostnames.
            for (alias, t, link_at) in links {
                let Some(target_name) = graph.nodes[*t].name.clone() else {
                    continue;
                };
                if *alias == target_name {
                    continue;
                }
                let (mut refs_all, mut unclear) = find_refs(&src.files, &file_cache, alias);
                // The consumer's own `-e KEY=host` values.
                let own = env_option_refs(&inputs[at.file].bytes, run, alias);
                if !own.is_empty() {
                    let path = inputs[at.file].path.clone();
                    file_cache
                        .entry(path.clone())
                        .or_insert_with(|| inputs[at.file].bytes.clone());
                    unclear.extend(
                        own.iter()
                            .filter(|r| !r.rewritable)
                            .map(|r| (path.clone(), r.clone())),
                    );
                    refs_all.push((path, own));
                }
                // `--build-arg KEY=host` on the commands that build its image:
                // they override the Dockerfile's `ARG` defaults.
                for b in &src.builds {
                    let input = &inputs[b.file];
                    let action = &facts[b.file].commands[b.cmd].docker.action;
                    let found = build_arg_refs(&input.bytes, action, alias);
                    if found.is_empty() {
                        continue;
                    }
                    file_cache
                        .entry(input.path.clone())
                        .or_insert_with(|| input.bytes.clone());
                    unclear.extend(
                        found
                            .iter()
                            .filter(|r| !r.rewritable)
                            .map(|r| (input.path.clone(), r.clone())),
                    );
                    match refs_all.iter_mut().find(|(p, _)| *p == input.path) {
                        Some((_, refs)) => {
                            refs.extend(found);
                            refs.sort_by_key(|r| (r.span.start, r.span.end));
                            refs.dedup_by_key(|r| r.span.clone());
                        }
                        None => refs_all.push((input.path.clone(), found)),
                    }
                }
                // nginx resolves a literal upstream once, at start: the target must run first.
                let nginx_refs = refs_all.iter().any(|(f, _)| {
                    file_cache
                        .get(f)
                        .is_some_and(|b| unlink_hostnames::kind_of(f, b) == ConfigKind::Nginx)
                });
                if nginx_refs {
                    let scope = &facts[at.file].commands[at.cmd].scope;
                    let target_runs: Vec<CmdRef> = graph.nodes[*t]
                        .runs
                        .iter()
                        .copied()
                        .filter(|r| {
                            r.file == at.file && &facts[r.file].commands[r.cmd].scope == scope
                        })
                        .collect();
                    if !target_runs.is_empty() && target_runs.iter().all(|r| r.cmd > at.cmd) {
                        let l = &facts[at.file].commands[at.cmd];
                        out.diagnostics.push(
                            Diagnostic::new(
                                &codes::START_ORDER,
                                &inputs[at.file].path,
                                l.docker.prefix.start..l.docker.prefix.end,
                                format!(
                                    "`{}` resolves `{alias}` once when nginx starts, but it starts before `{target_name}`",
                                    graph.label(consumer)
                                ),
                            )
                            .with_help(format!(
                                "start `{target_name}` first, or use `resolver 127.0.0.11` with a variable upstream"
                            )),
                        );
                    }
                }
                let link_span = run_at(facts, *link_at)
                    .and_then(|r| {
                        r.links
                            .iter()
                            .find(|l| l.alias.as_deref() == Some(alias.as_str()))
                            .and_then(|l| r.link_option(l).span.clone())
                    })
                    .unwrap_or(0..0);
                if !src.complete || !unclear.is_empty() {
                    let why = src
                        .gap
                        .clone()
                        .unwrap_or_else(|| "some references cannot be rewritten safely".into());
                    for (f, r) in &unclear {
                        out.diagnostics.push(r.diagnostic(f, None));
                    }
                    if !refs_all.is_empty() || !src.complete {
                        out.diagnostics.push(
                            Diagnostic::new(
                                &codes::UNFOLLOWABLE_CONFIG,
                                &inputs[link_at.file].path,
                                link_span,
                                format!("`{alias}` stays resolvable as a network alias: {why}"),
                            )
                            .with_help(format!("point the consumer's configs at `{target_name}` by hand to drop the alias")),
                        );
                    }
                    continue;
                }
                candidates.push(Candidate {
                    key: consumer,
                    alias: alias.clone(),
                    target: target_name.clone(),
                    refs: refs_all,
                    link_path: inputs[link_at.file].path.clone(),
                    link_span,
                });
            }
        }
    }
    let roots = project_roots(inputs.iter().map(|i| i.path.as_path()));
    let (rewritten, edits, diags) = settle(candidates, &file_cache, &roots);
    out.rewritten.extend(rewritten);
    out.file_edits = edits;
    out.diagnostics.extend(diags);
    let mut cached: Vec<(PathBuf, Vec<u8>)> = file_cache
        .iter()
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    cached.sort();
    out.sources = cached;
    out
}
