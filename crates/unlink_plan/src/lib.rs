//! The plan: which network each container joins, how every alias stays
//! resolvable, and the edits that make it so.
//!
//! With `--icc=false`, a legacy link opened exactly one path, consumer to
//! target. The default plan keeps groups apart the same way: one
//! user-defined bridge network per connected group of linked containers
//! (`component` isolation), so two projects that never linked never share a
//! network. `--network NAME` puts everything on one network.
//!
//! For every link the plan decides how its alias keeps resolving:
//! - the alias is the target's name: nothing to do, the network's DNS answers;
//! - otherwise the target gets `--network-alias ALIAS` on the group's network,
//!   unless another container already answers that name there (a collision),
//!   in which case the link itself stays: on a user-defined network a
//!   `--link` is a private alias of its consumer, which cannot collide;
//! - an alias no network alias can carry (`localhost`) stays a link, reported.
//!
//! A group is left untouched, with a diagnostic, when any part of it cannot
//! be known statically (a target started elsewhere, a name only known at run
//! time, a link hidden in a variable or unreadable after a variable unlink
//! cannot expand, a `define` block): moving half a group
//! to a network breaks the other half.
//!
//! Edits follow the file: `--network` replaces the first `--link` in place
//! (so the diff is one line), further links are removed with their
//! continuation line when they stand alone, and the guarded
//! `docker network inspect N >/dev/null 2>&1 || docker network create N`
//! and tolerant `docker network rm` lines use the recipe prefix or
//! indentation, the line ending, and the docker spelling (`sudo docker`,
//! `$(DOCKER)`) of the command next to them. The planner never reads syntax;
//! it only looks at the bytes around a span to decide how much whitespace an
//! edit takes with it.

mod lint;

pub use lint::lint;

use indexmap::{IndexMap, IndexSet};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use unlink_diagnostics::{codes, Diagnostic};
use unlink_docker::{Action, Removal};
use unlink_edit::Edit;
use unlink_graph::{network_mode, run_at, CmdRef, Graph, NetworkMode, NodeId};
use unlink_locate::{FileFacts, Scope};

/// How far apart the plan keeps containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// One network per connected group of linked containers.
    #[default]
    Component,
    /// One network per link target, shared only with its consumers.
    Strict,
    /// One network for everything.
    Single,
}

/// Choices the user makes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One network for everything, by name.
    pub network: Option<String>,
    pub isolation: Isolation,
    /// Create networks with `--internal` when no member publishes a port.
    pub internal: bool,
    /// (consumer, alias) pairs whose configs were rewritten to the target's
    /// name: these aliases need not stay resolvable.
    pub rewritten: HashSet<(NodeId, String)>,
}

/// A network the plan uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedNetwork {
    pub name: String,
    pub members: Vec<NodeId>,
    /// unlink creates (and removes) it; false when the files already use it.
    pub managed: bool,
}

/// The outcome of planning.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Edits per file, in the order of `files`.
    pub edits: Vec<Vec<Edit>>,
    pub diagnostics: Vec<Diagnostic>,
    pub networks: Vec<PlannedNetwork>,
}

/// Names Docker's embedded DNS cannot hand out as a network alias.
fn alias_carriable(alias: &str) -> bool {
    !alias.is_empty()
        && alias != "localhost"
        && alias.parse::<std::net::IpAddr>().is_err()
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A network name derived from a container name: readable, never all hex
/// (Docker matches network names as ID prefixes).
fn network_name_for(container: &str) -> String {
    let clean: String = container
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-net", clean.trim_matches('-'))
}

struct Ctx<'a> {
    files: &'a [FileFacts],
    sources: &'a [&'a [u8]],
    /// Edits inserted after a statement (kept before same-offset insertions
    /// that belong to the next statement).
    after: Vec<Vec<Edit>>,
    other: Vec<Vec<Edit>>,
    diagnostics: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn located(&self, at: CmdRef) -> &unlink_locate::Located {
        &self.files[at.file].commands[at.cmd]
    }

    fn prefix_text(&self, at: CmdRef) -> String {
        let l = self.located(at);
        String::from_utf8_lossy(&self.sources[at.file][l.docker.prefix.clone()]).into_owned()
    }

    fn eol(&self, file: usize) -> &'static str {
        self.files[file].line_ending
    }

    fn path(&self, file: usize) -> &std::path::Path {
        &self.files[file].path
    }

    /// Insert a line before the statement of `at`.
    fn insert_before(&mut self, at: CmdRef, line: &str) {
        let l = self.located(at);
        let text = format!("{}{}{}", l.line_prefix, line, self.eol(at.file));
        let pos = l.stmt_line_start;
        self.other[at.file].push(Edit::insert(pos, text));
    }

    /// Insert a line after the statement of `at`.
    fn insert_after(&mut self, at: CmdRef, line: &str) {
        let l = self.located(at);
        let src = &self.sources[at.file];
        let eol = self.eol(at.file);
        let end = l.stmt_end;
        let edit = if src[end..].starts_with(b"\r\n") {
            Edit::insert(end + 2, format!("{}{}{}", l.line_prefix, line, eol))
        } else if src[end..].starts_with(b"\n") {
            Edit::insert(end + 1, format!("{}{}{}", l.line_prefix, line, eol))
        } else {
            Edit::insert(end, format!("{}{}{}", eol, l.line_prefix, line))
        };
        self.after[at.file].push(edit);
    }
}

/// A `--link` option's value as written (`$(DB):db`), else as resolved.
fn link_text(src: &[u8], opt: &unlink_docker::OptValue) -> String {
    match (&opt.value_span, &opt.value) {
        (Some(s), _) => String::from_utf8_lossy(&src[s.clone()]).into_owned(),
        (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    }
}

/// The bytes to delete to remove the option at `span` cleanly: its own
/// continuation line when it stands alone, else the blanks before it.
pub fn removal_range(src: &[u8], span: Range<usize>) -> Range<usize> {
    let line_start = src[..span.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let nl = src[span.end..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| span.end + i);
    let line_end = nl.unwrap_or(src.len());
    let before = &src[line_start..span.start];
    let mut after = &src[span.end..line_end];
    if after.last() == Some(&b'\r') {
        after = &after[..after.len() - 1];
    }
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let after_trimmed: Vec<u8> = after.iter().copied().filter(|b| !blank(b)).collect();
    if before.iter().all(blank) && after_trimmed == b"\\" {
        if let Some(nl) = nl {
            return line_start..nl + 1;
        }
    }
    let blanks_before = before.iter().rev().take_while(|b| blank(b)).count();
    if blanks_before > 0 && blanks_before < before.len() {
        return span.start - blanks_before..span.end;
    }
    // At the start of a line: take the blanks after it instead.
    let blanks_after = after.iter().take_while(|b| blank(b)).count();
    if blanks_after < after.len() {
        span.start..span.end + blanks_after
    } else {
        span
    }
}

/// Why a legacy link leaves its group as it is.
enum LinkBlock {
    Malformed,
    FromVariable,
    DynamicTarget,
    TargetElsewhere(String),
    InDefine,
}

fn legacy_link_block(
    e: &unlink_graph::LinkEdge,
    run: &unlink_docker::Run,
    located: &unlink_locate::Located,
) -> Option<LinkBlock> {
    let link = &run.links[e.index];
    if link.malformed {
        Some(LinkBlock::Malformed)
    } else if run.link_option(link).span.is_none() {
        Some(LinkBlock::FromVariable)
    } else if e.target_name.is_none() {
        Some(LinkBlock::DynamicTarget)
    } else if e.target.is_none() {
        Some(LinkBlock::TargetElsewhere(
            e.target_name.clone().unwrap_or_default(),
        ))
    } else if !located.editable {
        Some(LinkBlock::InDefine)
    } else {
        None
    }
}

/// A `--link` unlink could not read (after an unknown option, or after a
/// variable whose value it does not know) may be docker's: its consumer and
/// the target it names keep their groups where they are.
fn unread_link_blocks(files: &[FileFacts], graph: &Graph) -> Vec<(NodeId, String)> {
    let mut out = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        for (ci, located) in file.commands.iter().enumerate() {
            let Action::Run(run) = &located.docker.action else {
                continue;
            };
            let at = CmdRef { file: fi, cmd: ci };
            for link in &run.unread_links {
                let value = link.value.clone().unwrap_or_default();
                let why = format!("unlink cannot tell whether docker reads `--link {value}`");
                let target = link.target.as_deref().and_then(|t| graph.node_named(t));
                for id in graph.node_of(at).into_iter().chain(target) {
                    out.push((id, why.clone()));
                }
            }
        }
    }
    out
}

/// Members whose runs cannot take a network block their group too.
fn node_blocks(files: &[FileFacts], graph: &Graph) -> Vec<(NodeId, String)> {
    let mut out = Vec::new();
    for (id, node) in graph.nodes.iter().enumerate() {
        for &at in &node.runs {
            if !files[at.file].commands[at.cmd].editable {
                out.push((id, "it is started in a `define` block".to_string()));
            }
            let run = run_at(files, at).expect("run");
            if matches!(
                network_mode(run),
                NetworkMode::Host
                    | NetworkMode::Container
                    | NetworkMode::None
                    | NetworkMode::Unknown
            ) {
                out.push((
                    id,
                    format!(
                        "`{}` uses a network mode that cannot join a user-defined network",
                        graph.label(id)
                    ),
                ));
            }
        }
    }
    out
}

/// The containers the plan leaves where they are: every member of a linked
/// group that something in it blocks (the same rules [`plan`] applies). The
/// hostname stage asks this first, so that it rewrites nothing for a group
/// whose links stay.
pub fn untouched(files: &[FileFacts], graph: &Graph) -> HashSet<NodeId> {
    let mut blocked: HashSet<NodeId> = HashSet::new();
    for e in graph.links.iter().filter(|e| e.legacy) {
        let Some(run) = run_at(files, e.at) else {
            continue;
        };
        let located = &files[e.at.file].commands[e.at.cmd];
        if legacy_link_block(e, run, located).is_some() {
            blocked.insert(e.consumer);
        }
    }
    blocked.extend(
        unread_link_blocks(files, graph)
            .into_iter()
            .chain(node_blocks(files, graph))
            .map(|(id, _)| id),
    );
    graph
        .components(&|e| e.legacy && e.target.is_some())
        .into_iter()
        .filter(|members| members.iter().any(|m| blocked.contains(m)))
        .flatten()
        .collect()
}

/// Plan the migration of `files` (whose bytes are `sources`).
pub fn plan(files: &[FileFacts], sources: &[&[u8]], graph: &Graph, opts: &Options) -> Plan {
    let mut cx = Ctx {
        files,
        sources,
        after: vec![Vec::new(); files.len()],
        other: vec![Vec::new(); files.len()],
        diagnostics: Vec::new(),
    };

    // 1. Which links can be migrated, and which nodes block their group.
    // Indexed by node: the planner visits every node, and a dense vector
    // keeps a 40,000-container file's lookups in cache where a hash table
    // would not.
    let mut blocked: Vec<bool> = vec![false; graph.nodes.len()];
    let mut block_reason: HashMap<NodeId, String> = HashMap::new();
    for e in &graph.links {
        let run = run_at(files, e.at).expect("run");
        let link = run.link_option(&run.links[e.index]);
        let located = cx.located(e.at);
        let path = cx.path(e.at.file).to_path_buf();
        let span = link
            .span
            .clone()
            .unwrap_or_else(|| link.from_expansion.clone().unwrap_or(0..0));
        let value = link_text(sources[e.at.file], link);
        if !e.legacy {
            match network_mode(run) {
                NetworkMode::User(_) => {
                    // On a user-defined network a link is a private alias.
                    // One whose alias is the target's own name adds nothing.
                    if e.alias.is_some() && e.alias == e.target_name && located.editable {
                        if let Some(s) = &link.span {
                            let d = Diagnostic::new(
                                &codes::DOCKER_RUN_LINK,
                                &path,
                                s.clone(),
                                format!("`--link {value}` on a user-defined network adds nothing: the name already resolves"),
                            )
                            .with_help("unlink migrate removes it")
                            .fixable(true);
                            cx.diagnostics.push(d);
                            let r = removal_range(sources[e.at.file], s.clone());
                            cx.other[e.at.file].push(Edit::delete(r));
                        }
                    }
                }
                NetworkMode::Host | NetworkMode::Container | NetworkMode::None => {
                    cx.diagnostics.push(
                        Diagnostic::new(
                            &codes::INCOMPATIBLE_NETWORK_MODE,
                            &path,
                            span.clone(),
                            format!("`--link {value}` on a container whose network mode cannot join a user-defined network"),
                        )
                        .with_help("with host networking, reach the target through a port published on the host"),
                    );
                }
                NetworkMode::DefaultBridge | NetworkMode::Unknown => {}
            }
            continue;
        }
        let reason = legacy_link_block(e, run, located).map(|block| match block {
            LinkBlock::Malformed => {
                format!("`--link {value}` is malformed (docker refuses more than one `:`)")
            }
            LinkBlock::FromVariable => format!("`--link {value}` comes from a variable"),
            LinkBlock::DynamicTarget => {
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::DYNAMIC_NAME,
                        &path,
                        span.clone(),
                        format!("the target of `--link {value}` is only known at run time"),
                    )
                    .with_help("give the target a fixed `--name` (or a make/shell variable with a literal value) so unlink can find it"),
                );
                "its link target is only known at run time".to_string()
            }
            LinkBlock::TargetElsewhere(t) => {
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_LINK_TARGET,
                        &path,
                        span.clone(),
                        format!("no file given to unlink starts the link target `{t}`"),
                    )
                    .with_help(format!("pass the file that runs `{t}` too, or attach `{t}` to the consumer's network by hand (`docker network connect NETWORK {t}`)")),
                );
                format!("the link target `{t}` is started elsewhere")
            }
            LinkBlock::InDefine => "the link sits in a `define` block".to_string(),
        });
        if let Some(r) = reason {
            blocked[e.consumer] = true;
            block_reason.entry(e.consumer).or_insert(r);
        }
    }
    for (id, why) in unread_link_blocks(files, graph)
        .into_iter()
        .chain(node_blocks(files, graph))
    {
        blocked[id] = true;
        block_reason.entry(id).or_insert(why);
    }

    // 2. Groups, and their networks.
    let groups = graph.components(&|e| e.legacy && e.target.is_some());
    let mut networks: Vec<PlannedNetwork> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    let mut group_blocked: Vec<Option<String>> = Vec::new();
    let mut joins = Joins::new(graph.nodes.len());
    // The network where each legacy link's consumer meets its target, by
    // the link's place in `graph.links`.
    let mut link_net: Vec<Option<usize>> = vec![None; graph.links.len()];
    // The networks planned so far, by name: thousands of groups must not
    // search the list of networks for each new one.
    let mut net_by_name: HashMap<String, usize> = HashMap::new();
    // Per base name, the next `-K` suffix to try.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    fn net_index(
        networks: &mut Vec<PlannedNetwork>,
        by_name: &mut HashMap<String, usize>,
        name: &str,
        managed: bool,
    ) -> usize {
        if let Some(&i) = by_name.get(name) {
            return i;
        }
        networks.push(PlannedNetwork {
            name: name.to_string(),
            members: Vec::new(),
            managed,
        });
        by_name.insert(name.to_string(), networks.len() - 1);
        networks.len() - 1
    }
    fn unique_name(
        by_name: &HashMap<String, usize>,
        next_suffix: &mut HashMap<String, usize>,
        base: &str,
    ) -> String {
        let plain = network_name_for(base);
        if !by_name.contains_key(&plain) {
            return plain;
        }
        let k = next_suffix.entry(plain.clone()).or_insert(2);
        loop {
            let name = format!("{plain}-{k}");
            *k += 1;
            if !by_name.contains_key(&name) {
                return name;
            }
        }
    }
    let single_name = match (&opts.network, opts.isolation) {
        (Some(n), _) => Some(n.clone()),
        (None, Isolation::Single) => groups
            .first()
            .and_then(|g| g.iter().find_map(|&m| graph.nodes[m].name.clone()))
            .map(|n| network_name_for(&n)),
        _ => None,
    };
    // Each group's legacy links to a known target, in link order, found in
    // one pass over the links rather than one per group.
    // Each with its place in `graph.links`.
    let mut links_of_group: Vec<Vec<(usize, &unlink_graph::LinkEdge)>> =
        vec![Vec::new(); groups.len()];
    for (gi, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m] = Some(gi);
        }
    }
    for (li, e) in graph.links.iter().enumerate() {
        if e.legacy && e.target.is_some() {
            if let Some(gi) = group_of[e.consumer] {
                links_of_group[gi].push((li, e));
            }
        }
    }
    for (gi, members) in groups.iter().enumerate() {
        let why = members.iter().find(|&&m| blocked[m]).map(|m| {
            format!(
                "`{}`: {}",
                graph.label(*m),
                block_reason.get(m).cloned().unwrap_or_default()
            )
        });
        let is_blocked = why.is_some();
        group_blocked.push(why);
        if is_blocked {
            continue;
        }
        let group_links = std::mem::take(&mut links_of_group[gi]);
        let existing = members
            .iter()
            .flat_map(|&m| graph.nodes[m].runs.iter())
            .find_map(|&at| match network_mode(run_at(files, at).expect("run")) {
                NetworkMode::User(n) => Some(n),
                _ => None,
            });
        if single_name.is_none() && opts.isolation == Isolation::Strict && existing.is_none() {
            // A network per link target, shared with that target's consumers.
            let mut target_net: HashMap<NodeId, usize> = HashMap::new();
            for (_, e) in &group_links {
                let t = e.target.expect("target");
                if let std::collections::hash_map::Entry::Vacant(v) = target_net.entry(t) {
                    let name = unique_name(&net_by_name, &mut next_suffix, &graph.label(t));
                    let ni = net_index(&mut networks, &mut net_by_name, &name, true);
                    v.insert(ni);
                    joins.join(&mut networks, t, ni);
                }
            }
            for &(li, e) in &group_links {
                let ni = target_net[&e.target.expect("target")];
                joins.join(&mut networks, e.consumer, ni);
                link_net[li] = Some(ni);
            }
            continue;
        }
        let ni = match (&single_name, existing) {
            (Some(n), _) => net_index(&mut networks, &mut net_by_name, n, true),
            (None, Some(n)) => net_index(&mut networks, &mut net_by_name, &n, false),
            (None, None) => {
                let first = members
                    .iter()
                    .find_map(|&m| graph.nodes[m].name.clone())
                    .unwrap_or_else(|| "unlink".to_string());
                let name = unique_name(&net_by_name, &mut next_suffix, &first);
                net_index(&mut networks, &mut net_by_name, &name, true)
            }
        };
        for &m in members {
            joins.join(&mut networks, m, ni);
        }
        for &(li, _) in &group_links {
            link_net[li] = Some(ni);
        }
    }

    // 3. Aliases, per network.
    // Steps 3 and 4 give at most two findings per legacy link: room for
    // them now rather than growing the vector by copying it.
    let legacy = graph.links.iter().filter(|e| e.legacy).count();
    cx.diagnostics.reserve(2 * legacy);
    let mut answered: Vec<HashMap<String, NodeId>> = vec![HashMap::new(); networks.len()];
    for (ni, net) in networks.iter().enumerate() {
        for &m in &net.members {
            if let Some(n) = &graph.nodes[m].name {
                answered[ni].insert(n.clone(), m);
            }
            for &at in &graph.nodes[m].runs {
                for a in run_at(files, at).expect("run").values("network-alias") {
                    if let Some(v) = &a.value {
                        answered[ni].insert(v.clone(), m);
                    }
                }
            }
        }
    }
    // Links kept as links (on which network); aliases to add per (node, network).
    let mut kept: HashMap<(CmdRef, usize), usize> = HashMap::new();
    let mut aliases_on: IndexMap<(NodeId, usize), IndexSet<String>> = IndexMap::new();
    for (li, e) in graph.links.iter().enumerate().filter(|(_, e)| e.legacy) {
        let (Some(t), Some(alias)) = (e.target, e.alias.clone()) else {
            continue;
        };
        let Some(ni) = link_net[li] else {
            continue;
        };
        let net = networks[ni].name.clone();
        let path = cx.path(e.at.file).to_path_buf();
        let run = run_at(files, e.at).expect("run");
        let span = run
            .link_option(&run.links[e.index])
            .span
            .clone()
            .unwrap_or(0..0);
        if graph.nodes[t].name.as_deref() == Some(alias.as_str())
            || opts.rewritten.contains(&(e.consumer, alias.clone()))
        {
            continue;
        }
        if !alias_carriable(&alias) {
            kept.insert((e.at, e.index), ni);
            cx.diagnostics.push(
                Diagnostic::new(
                    &codes::ALIAS_NOT_CARRIABLE,
                    &path,
                    span,
                    format!("the alias `{alias}` cannot be a network alias, so this link stays (on network `{net}` it is a private alias of the consumer)"),
                )
                .with_help(format!("point the consumer at `{}` instead of `{alias}`", graph.label(t))),
            );
            continue;
        }
        match answered[ni].get(&alias) {
            Some(&holder) if holder == t => {}
            Some(&holder) => {
                kept.insert((e.at, e.index), ni);
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::ALIAS_KEPT_AS_LINK,
                        &path,
                        span,
                        format!(
                            "`{alias}` already names `{}` on network `{net}`, so this link stays as a private alias of `{}`",
                            graph.label(holder),
                            graph.label(e.consumer)
                        ),
                    )
                    .with_help("on a user-defined network a `--link` is scoped to its consumer and cannot collide"),
                );
            }
            None => {
                answered[ni].insert(alias.clone(), t);
                aliases_on.entry((t, ni)).or_default().insert(alias.clone());
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::ALIAS_MOVED,
                        &path,
                        span,
                        format!(
                            "the alias `{alias}` becomes a network alias of `{}` on `{net}`",
                            graph.label(t)
                        ),
                    )
                    .fixable(true),
                );
            }
        }
    }

    // 4. Findings for every legacy link, then the edits of every member's runs.
    for (li, e) in graph.links.iter().enumerate().filter(|(_, e)| e.legacy) {
        let run = run_at(files, e.at).expect("run");
        let link = run.link_option(&run.links[e.index]);
        let path = cx.path(e.at.file).to_path_buf();
        let value = link_text(sources[e.at.file], link);
        let span = link
            .span
            .clone()
            .unwrap_or_else(|| link.from_expansion.clone().unwrap_or(0..0));
        let consumer = graph.label(e.consumer);
        let (fixable, help) = match (group_of[e.consumer], link_net[li]) {
            (Some(_), Some(ni)) => (
                true,
                format!(
                    "unlink migrate puts both containers on network `{}`",
                    networks[ni].name
                ),
            ),
            (Some(gi), None) => (
                false,
                format!(
                    "left as it is because of {}",
                    group_blocked[gi].clone().unwrap_or_default()
                ),
            ),
            (None, _) => (
                false,
                format!(
                    "left as it is because {}",
                    block_reason
                        .get(&e.consumer)
                        .cloned()
                        .unwrap_or_else(|| "its target cannot be found".into())
                ),
            ),
        };
        cx.diagnostics.push(
            Diagnostic::new(
                &codes::DOCKER_RUN_LINK,
                &path,
                span,
                format!("`--link {value}` puts `{consumer}` on the default bridge"),
            )
            .with_help(help)
            .fixable(fixable),
        );
    }
    let names: Vec<String> = networks.iter().map(|n| n.name.clone()).collect();
    for &m in &joins.order {
        let nets = &joins.of[m];
        for &at in &graph.nodes[m].runs {
            edit_run(&mut cx, at, m, nets, &names, &aliases_on, &kept);
        }
    }

    // 5. Create before the first start in each scope, remove after the cleanup.
    // Index the commands once: scanning every file for every network was
    // quadratic in a file with many groups.
    let mut removals: HashMap<&str, Vec<CmdRef>> = HashMap::new();
    let mut created: HashMap<(usize, &Scope, &str), usize> = HashMap::new();
    let mut net_removed: HashSet<(usize, &Scope, &str)> = HashSet::new();
    for (fi, f) in files.iter().enumerate() {
        for (ci, c) in f.commands.iter().enumerate() {
            match &c.docker.action {
                Action::Remove { names, .. } if c.editable => {
                    for t in names.iter().filter_map(|a| a.text.as_deref()) {
                        removals
                            .entry(t)
                            .or_default()
                            .push(CmdRef { file: fi, cmd: ci });
                    }
                }
                Action::NetworkCreate { name: Some(n) } => {
                    if let Some(t) = n.text.as_deref() {
                        created.entry((fi, &c.scope, t)).or_insert(ci);
                    }
                }
                Action::NetworkRemove { names } => {
                    for t in names.iter().filter_map(|n| n.text.as_deref()) {
                        net_removed.insert((fi, &c.scope, t));
                    }
                }
                _ => {}
            }
        }
    }
    for net in &networks {
        if !net.managed {
            continue;
        }
        let member_names: HashSet<String> = net
            .members
            .iter()
            .filter_map(|&m| graph.nodes[m].name.clone())
            .collect();
        let mut first_in_scope: IndexMap<(usize, Scope), CmdRef> = IndexMap::new();
        for &m in &net.members {
            for &at in &graph.nodes[m].runs {
                let key = (at.file, cx.located(at).scope.clone());
                let e = first_in_scope.entry(key).or_insert(at);
                if at.cmd < e.cmd {
                    *e = at;
                }
            }
        }
        for ((file, scope), at) in first_in_scope {
            let already = created
                .get(&(file, &scope, net.name.as_str()))
                .is_some_and(|&i| i < at.cmd);
            if already {
                continue;
            }
            let docker = cx.prefix_text(at);
            let n = &net.name;
            let internal =
                if opts.internal && !net.members.iter().any(|&m| publishes(files, graph, m)) {
                    " --internal"
                } else {
                    ""
                };
            cx.insert_before(
                at,
                &format!("{docker} network inspect {n} >/dev/null 2>&1 || {docker} network create{internal} {n} >/dev/null"),
            );
        }
        // Cleanup: the last removal of a member in each scope.
        let mut last_in_scope: IndexMap<(usize, Scope), (CmdRef, bool)> = IndexMap::new();
        let mut hits: Vec<CmdRef> = member_names
            .iter()
            .filter_map(|n| removals.get(n.as_str()))
            .flatten()
            .copied()
            .collect();
        hits.sort_by_key(|at| (at.file, at.cmd));
        hits.dedup();
        for at in hits {
            let c = &files[at.file].commands[at.cmd];
            if let Action::Remove { kind, .. } = &c.docker.action {
                let is_rm = *kind == Removal::Rm;
                let slot = last_in_scope
                    .entry((at.file, c.scope.clone()))
                    .or_insert((at, is_rm));
                // Prefer the last `rm`; fall back to the last kill/stop.
                if is_rm || !slot.1 {
                    *slot = (at, is_rm);
                }
            }
        }
        if last_in_scope.is_empty() {
            if let Some(&at) = net
                .members
                .first()
                .and_then(|&m| graph.nodes[m].runs.first())
            {
                let l = cx.located(at);
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::NETWORK_NEVER_REMOVED,
                        cx.path(at.file),
                        l.docker.prefix.start..l.docker.prefix.start,
                        format!(
                            "no command given to unlink removes these containers, so nothing removes network `{}`",
                            net.name
                        ),
                    )
                    .with_severity(unlink_diagnostics::Severity::Info)
                    .with_help(format!(
                        "after removing the containers, run `docker network rm {}`",
                        net.name
                    )),
                );
            }
        }
        for ((file, scope), (at, _)) in last_in_scope {
            let already = net_removed.contains(&(file, &scope, net.name.as_str()));
            if already {
                continue;
            }
            let docker = cx.prefix_text(at);
            cx.insert_after(
                at,
                &format!("{docker} network rm {} >/dev/null 2>&1 || true", net.name),
            );
        }
    }

    let mut edits = Vec::with_capacity(files.len());
    for (a, o) in cx.after.into_iter().zip(cx.other) {
        let mut v = a;
        v.extend(o);
        edits.push(v);
    }
    let mut diagnostics = cx.diagnostics;
    diagnostics.sort_by(Diagnostic::output_order);
    Plan {
        edits,
        diagnostics,
        networks,
    }
}

/// True when any run of `node` publishes a port to the host.
fn publishes(files: &[FileFacts], graph: &Graph, node: NodeId) -> bool {
    graph.nodes[node].runs.iter().any(|&at| {
        let run = run_at(files, at).expect("run");
        run.values("publish").next().is_some() || run.values("publish-all").next().is_some()
    })
}

/// The networks each node joins, by node, and the nodes in the order they
/// first joined one (the order their runs are edited in).
struct Joins {
    of: Vec<Vec<usize>>,
    order: Vec<NodeId>,
}

impl Joins {
    fn new(nodes: usize) -> Self {
        Joins {
            of: vec![Vec::new(); nodes],
            order: Vec::new(),
        }
    }

    /// Put `node` on network `net` (and in its member list) once.
    fn join(&mut self, networks: &mut [PlannedNetwork], node: NodeId, net: usize) {
        let list = &mut self.of[node];
        if list.is_empty() {
            self.order.push(node);
        }
        // A node is on a few networks: its own list is the one to search,
        // not a network of 20,000 members.
        if !list.contains(&net) {
            list.push(net);
            networks[net].members.push(node);
        }
    }
}

/// Edit one run of `node`: remove its legacy links (except those kept on
/// its first network), put it on its first network with its aliases there,
/// and connect it to the others.
fn edit_run(
    cx: &mut Ctx<'_>,
    at: CmdRef,
    node: NodeId,
    nets: &[usize],
    names: &[String],
    aliases_on: &IndexMap<(NodeId, usize), IndexSet<String>>,
    kept: &HashMap<(CmdRef, usize), usize>,
) {
    let run = run_at(cx.files, at).expect("run");
    let src = &cx.sources[at.file];
    let existing_aliases: HashSet<String> = run
        .values("network-alias")
        .filter_map(|a| a.value.clone())
        .collect();
    let aliases = |ni: usize| -> Vec<String> {
        aliases_on
            .get(&(node, ni))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    };
    let mode = network_mode(run);
    // Which of our networks are attached by `--network` and which by connect.
    let (primary, others): (Option<usize>, Vec<usize>) = match &mode {
        NetworkMode::DefaultBridge => (
            nets.first().copied(),
            nets.iter().skip(1).copied().collect(),
        ),
        NetworkMode::User(n) => {
            let p = nets.iter().copied().find(|&ni| &names[ni] == n);
            (
                p,
                nets.iter().copied().filter(|&ni| Some(ni) != p).collect(),
            )
        }
        _ => return,
    };
    let mut edits = Vec::new();
    let mut removed: Vec<Range<usize>> = Vec::new();
    // Links kept on a network other than the first go to `network connect --link`.
    let mut connect_links: HashMap<usize, Vec<String>> = HashMap::new();
    if mode == NetworkMode::DefaultBridge {
        for (i, link) in run.links.iter().enumerate() {
            let opt = run.link_option(link);
            match kept.get(&(at, i)) {
                Some(&ni) if Some(ni) == primary => continue,
                Some(&ni) => {
                    if let Some(v) = &opt.value {
                        connect_links.entry(ni).or_default().push(v.clone());
                    }
                }
                None => {}
            }
            if let Some(s) = &opt.span {
                removed.push(s.clone());
            }
        }
    }
    if let Some(p) = primary {
        let alias_text: String = aliases(p)
            .iter()
            .filter(|a| !existing_aliases.contains(*a))
            .map(|a| format!(" --network-alias {a}"))
            .collect();
        if mode == NetworkMode::DefaultBridge {
            let net_text = format!("--network {}{alias_text}", names[p]);
            if let Some(opt) = run.networks().first() {
                // `--network bridge`: point it at the planned network.
                if let Some(s) = &opt.span {
                    edits.push(Edit::replace(s.clone(), net_text));
                }
                for r in &removed {
                    edits.push(Edit::delete(removal_range(src, r.clone())));
                }
            } else if let Some(first) = removed.first() {
                edits.push(Edit::replace(first.clone(), net_text));
                for r in &removed[1..] {
                    edits.push(Edit::delete(removal_range(src, r.clone())));
                }
            } else {
                edits.push(Edit::insert(run.after_subcommand, format!(" {net_text}")));
            }
        } else if !alias_text.is_empty() {
            if let Some(s) = run.networks().first().and_then(|o| o.span.clone()) {
                edits.push(Edit::insert(s.end, alias_text));
            }
        }
    }
    if !others.is_empty() {
        match run.name().and_then(|n| n.value_span.clone()) {
            Some(name_span) => {
                let name = String::from_utf8_lossy(&src[name_span]).into_owned();
                let docker = cx.prefix_text(at);
                // A running process resolves names at start (nginx does, once):
                // attach every network before it starts. `docker run` becomes
                // `docker create`, then `network connect`, then `docker start`.
                let start = if run.create {
                    None
                } else {
                    run_to_create(src, run, &mut edits)
                };
                for ni in others {
                    let mut opts: String = aliases(ni)
                        .iter()
                        .map(|a| format!("--alias {a} "))
                        .collect();
                    for l in connect_links.get(&ni).into_iter().flatten() {
                        opts.push_str(&format!("--link {l} "));
                    }
                    cx.insert_after(
                        at,
                        &format!("{docker} network connect {opts}{} {name}", names[ni]),
                    );
                }
                match start.as_deref() {
                    Some(" >/dev/null") => {
                        cx.insert_after(at, &format!("{docker} start {name} >/dev/null"))
                    }
                    Some(flags) => cx.insert_after(at, &format!("{docker} start{flags} {name}")),
                    None => {}
                }
            }
            None => {
                let l = cx.located(at);
                let span = l.docker.prefix.clone();
                cx.diagnostics.push(
                    Diagnostic::new(
                        &codes::DYNAMIC_NAME,
                        cx.path(at.file),
                        span,
                        "this container needs a second network, but without a literal `--name` unlink cannot connect it",
                    )
                    .with_help("give the container a `--name`"),
                );
            }
        }
    }
    cx.other[at.file].extend(edits);
}

/// Turn `docker run` into `docker create` (which takes no `--detach`).
/// Returns the options for the `docker start` that follows: ` >/dev/null`
/// style silence for a detached run, `-a`/`-ai` to attach like the
/// foreground run did; `None` when the sub-command word is not a plain `run`.
fn run_to_create(src: &[u8], run: &unlink_docker::Run, edits: &mut Vec<Edit>) -> Option<String> {
    let end = run.after_subcommand;
    if end < 3 || &src[end - 3..end] != b"run" {
        return None;
    }
    let mut detached = false;
    for opt in run.values("detach") {
        if opt.value.as_deref().is_some_and(|v| v == "false") {
            continue;
        }
        detached = true;
        let span = opt.span.clone()?;
        if opt.grouped {
            let word = String::from_utf8_lossy(&src[span.clone()]).into_owned();
            let at = word[1..].find('d')? + 1;
            let mut rest = word.clone();
            rest.remove(at);
            edits.push(Edit::replace(span, rest));
        } else {
            edits.push(Edit::delete(removal_range(src, span)));
        }
    }
    edits.push(Edit::replace(end - 3..end, "create"));
    let interactive = run.values("interactive").next().is_some();
    Some(if detached {
        " >/dev/null".to_string()
    } else if interactive {
        " -ai".to_string()
    } else {
        " -a".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_takes_a_lone_continuation_line() {
        let src = b"docker run \\\n\t\t--link a:b \\\n\t\t-d img\n";
        let s = 15..25;
        assert_eq!(&src[s.clone()], b"--link a:b");
        let r = removal_range(src, s);
        assert_eq!(&src[r], b"\t\t--link a:b \\\n");
    }

    #[test]
    fn removal_takes_the_blanks_before() {
        let src = b"docker run --link a:b -d img";
        let r = removal_range(src, 11..21);
        assert_eq!(&src[r], b" --link a:b");
    }

    #[test]
    fn removal_at_line_start_takes_the_blanks_after() {
        let src = b"docker run \\\n--link a:b -d img";
        let r = removal_range(src, 13..23);
        assert_eq!(&src[r], b"--link a:b ");
    }

    #[test]
    fn network_names_are_never_hex() {
        assert_eq!(network_name_for("db"), "db-net");
        assert_eq!(network_name_for("cafe"), "cafe-net");
    }

    /// Groups whose first containers give the same network name, and a
    /// network the files already use under one of the suffixed names: every
    /// planned network gets a name of its own, the lowest free suffix first,
    /// in group order.
    #[test]
    fn taken_network_names_get_the_next_free_suffix() {
        let src = b"up:\n\
            \tdocker run -d --name w --network app-1-net-2 img\n\
            \tdocker run -d --name c0 --link w:w img\n\
            \tdocker run -d --name app+1 img\n\
            \tdocker run -d --name c1 --link app+1:a img\n\
            \tdocker run -d --name app=1 img\n\
            \tdocker run -d --name c2 --link app=1:a img\n\
            \tdocker run -d --name app@1 img\n\
            \tdocker run -d --name c3 --link app@1:a img\n";
        let facts = vec![unlink_locate::make::read(
            std::path::Path::new("Makefile"),
            src,
        )];
        let graph = Graph::build(&facts);
        let plan = plan(&facts, &[src], &graph, &Options::default());
        let names: Vec<(&str, bool)> = plan
            .networks
            .iter()
            .map(|n| (n.name.as_str(), n.managed))
            .collect();
        assert_eq!(
            names,
            [
                ("app-1-net-2", false),
                ("app-1-net", true),
                ("app-1-net-3", true),
                ("app-1-net-4", true),
            ]
        );
    }

    #[test]
    fn carriable_aliases() {
        assert!(alias_carriable("db"));
        assert!(alias_carriable("my.db"));
        assert!(!alias_carriable("localhost"));
        assert!(!alias_carriable("10.0.0.1"));
    }
}
