//! Deciding what to do: one pass over the project that yields the findings
//! and a list of [`Action`]s, each naming the place it edits by a key path
//! (so actions can be carried out one after the other on re-parsed text).
//!
//! `check` and `migrate` share this pass, so a finding is marked fixable
//! exactly when `migrate` fixes it.

use std::collections::{BTreeMap, BTreeSet};

use unlink_diagnostics::{codes, Diagnostic, Severity};

use crate::model::{Model, Networks, Role, Svc};
use crate::yaml::{Kind, NodeId};
use crate::{ComposeOptions, Format, Isolation};

/// A key path from the document root to a mapping, as it will read after a
/// version 1 file is converted.
pub(crate) type KeyPath = Vec<String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DepForm {
    List,
    Map,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Version 1 → `version: '2'` + `services:`; `net:` → `network_mode:`.
    ConvertV1,
    /// Delete `key` from the mapping at `holder`.
    RemoveKey { holder: KeyPath, key: String },
    /// Declare a top-level external network.
    AddExternalNetwork { name: String },
    /// Declare top-level networks of the project (linked groups' or link
    /// targets', see [`Isolation`]).
    AddProjectNetworks { names: Vec<String> },
    /// Attach the service mapping at `holder` to `network`; when it writes
    /// no `networks:` yet, list `implicit` first (the networks it was on).
    AddServiceNetwork {
        holder: KeyPath,
        network: String,
        implicit: Vec<String>,
        comment: Option<String>,
    },
    /// Add `alias` to the service's aliases on `network`.
    AddAlias {
        holder: KeyPath,
        network: String,
        alias: String,
        implicit: Vec<String>,
        comment: Option<String>,
    },
    /// Make `targets` start dependencies of the mapping at `holder`: append
    /// to its `depends_on`, or write a new one after `after_key`.
    AddDependsOn {
        holder: KeyPath,
        targets: Vec<(String, Option<String>)>,
        form: DepForm,
        after_key: Option<String>,
    },
    /// Change the `links`/`external_links` sequence at `holder.key`.
    EditLinks {
        holder: KeyPath,
        key: String,
        /// Items to delete (all → the key goes).
        remove: Vec<usize>,
        /// Rename the key to `depends_on`, each kept item rewritten to its
        /// target.
        rename: Option<Vec<(usize, String)>>,
        /// Items whose trailing comment moved elsewhere.
        strip_comment: Vec<usize>,
    },
}

impl Action {
    /// Execution order: structure first, removals of links last.
    pub fn phase(&self) -> u8 {
        match self {
            Action::ConvertV1 => 0,
            Action::RemoveKey { .. } => 1,
            Action::AddExternalNetwork { .. } | Action::AddProjectNetworks { .. } => 2,
            Action::AddServiceNetwork { .. } => 3,
            Action::AddAlias { .. } => 4,
            Action::AddDependsOn { .. } => 5,
            Action::EditLinks { .. } => 6,
        }
    }
}

/// The outcome of planning.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub diagnostics: Vec<Diagnostic>,
    pub actions: Vec<(usize, Action)>,
}

impl Plan {
    fn push(&mut self, file: usize, action: Action) {
        if !self.actions.iter().any(|(f, a)| *f == file && *a == action) {
            self.actions.push((file, action));
        }
    }
}

/// One `links:` or `external_links:` sequence and the services that see it.
#[derive(Debug)]
struct Block {
    file: usize,
    /// The mapping holding the key (a service body or an anchor).
    holder: NodeId,
    key_node: NodeId,
    value: NodeId,
    external: bool,
    /// Services whose effective key is this one.
    consumers: Vec<usize>,
    /// The value is `*alias`: all-or-nothing.
    aliased: bool,
}

struct Item {
    node: NodeId,
    name: String,
    alias: Option<String>,
    comment: Option<String>,
}

#[derive(Clone)]
enum Blocked {
    NetworkMode(String, String),
}

/// A network unlink adds so that an alias is answered only where the
/// isolation mode allows: one per linked group (`component`) or per link
/// target (`strict`).
#[derive(Debug, Clone)]
struct Unit {
    name: String,
    /// Aliased targets that need the network and their consumers.
    members: BTreeSet<usize>,
    /// Some link of the group (or to the target) is migrated: only then is
    /// the network written.
    removed: bool,
}

pub(crate) struct Planner<'a> {
    model: &'a Model,
    opts: &'a ComposeOptions,
    plan: Plan,
    /// Effective networks of each service, including planned additions;
    /// empty list for services on a `network_mode`.
    nets: Vec<Networks>,
    original_nets: Vec<Networks>,
    blocked: Vec<Option<Blocked>>,
    /// Targets each service already depends on (any file) + planned.
    deps: Vec<BTreeSet<String>>,
    convert_v1: bool,
    isolation: Isolation,
    /// Component: the group of each service (by its first member):
    /// services connected by links or `depends_on`.
    group_of: Vec<Option<usize>>,
    /// Strict: the services linking to or depending on each service.
    consumers_of: Vec<BTreeSet<usize>>,
    /// By key (group or target), each with its creation number.
    units: BTreeMap<usize, (usize, Unit)>,
    unit_names: BTreeSet<String>,
    /// Units are known from an earlier pass; their members count as being
    /// on their network from the start, so every alias check sees them.
    prefilled: bool,
    /// Names of the units' networks, which the choice of a shared network
    /// ignores.
    planned: BTreeSet<String>,
    /// A target joining a consumer's network it is not on, in the order
    /// links first need it. Written for every link that needs it, also one
    /// that stays (UL011): a link on a user-defined network only works
    /// between services that share one.
    joins: Vec<((usize, String), (usize, Action))>,
    join_at: BTreeMap<(usize, String), usize>,
    /// Joins made before the links are met (from an earlier round).
    prejoins: Vec<(usize, String)>,
    /// `nets` before the prejoins: whether a join is needed is measured
    /// against it.
    base_nets: Vec<Networks>,
    /// The network each (links block, entry, consumer) meets its target on,
    /// as this pass chose it.
    natural_log: BTreeMap<LinkKey, String>,
    /// The choices of the choosing rounds, which the later passes follow
    /// (they start with every join those choices need already made).
    fixed_natural: Option<BTreeMap<LinkKey, String>>,
    /// `default_is_private` per group (or target).
    private_memo: BTreeMap<usize, bool>,
    clash_notes: Vec<ClashNote>,
    /// Network names declared at the top level of any file, and the
    /// external network's.
    declared_names: BTreeSet<String>,
    /// The external network's name and those declared `external: true`.
    external_names: BTreeSet<String>,
}

/// A kept link whose UL011 message is written at the end.
struct ClashNote {
    consumer: usize,
    net: String,
    alias: String,
    target: usize,
    /// (owner, network) when the link was decided.
    found: (String, String),
}

/// Marks a UL011 message to be written by `finish`.
const CLASH_NOTE: &str = "\u{1}clash ";

/// (file, `links` key node, entry node, consumer).
type LinkKey = (usize, NodeId, NodeId, usize);

impl<'a> Planner<'a> {
    pub fn new(model: &'a Model, opts: &'a ComposeOptions) -> Self {
        // A service on a `network_mode` is on no project network (unless it
        // takes part in a link and its mode is `bridge`, see
        // `network_modes`).
        let nets: Vec<Networks> = model
            .services
            .iter()
            .map(|s| {
                if model.scalar(s, "network_mode").is_some() || model.scalar(s, "net").is_some() {
                    Networks::default()
                } else {
                    model.networks(s)
                }
            })
            .collect();
        let deps = model
            .services
            .iter()
            .map(|s| {
                let mut set = BTreeSet::new();
                for hit in model.hits(s, "depends_on") {
                    let doc = &model.files[hit.file].doc;
                    for name in dep_names(doc, hit.found.value) {
                        set.insert(name);
                    }
                }
                set
            })
            .collect();
        let mut declared_names = BTreeSet::new();
        let mut external_names = BTreeSet::new();
        let external = crate::network_name_from(
            &model.files[0].path,
            crate::top_level_name(&model.files[0]),
            opts,
        );
        declared_names.insert(external.clone());
        external_names.insert(external);
        for f in model.files.iter().filter(|f| f.format != Format::V1) {
            let doc = &f.doc;
            let Some((_, v)) = doc.root.and_then(|root| doc.get(root, "networks")) else {
                continue;
            };
            for &(k, settings) in doc.entries(v) {
                let Some(name) = doc.str(k) else { continue };
                declared_names.insert(name.to_string());
                let ext = doc.get(settings, "external").map(|(_, e)| e);
                if ext.is_some_and(|e| doc.str(e) != Some("false")) {
                    external_names.insert(name.to_string());
                }
            }
        }
        Planner {
            model,
            opts,
            plan: Plan::default(),
            original_nets: nets.clone(),
            nets,
            blocked: vec![None; model.services.len()],
            deps,
            convert_v1: false,
            isolation: if opts.network.is_some() {
                Isolation::Single
            } else {
                opts.isolation
            },
            group_of: vec![None; model.services.len()],
            consumers_of: vec![BTreeSet::new(); model.services.len()],
            units: BTreeMap::new(),
            unit_names: BTreeSet::new(),
            prefilled: false,
            planned: BTreeSet::new(),
            joins: vec![],
            join_at: BTreeMap::new(),
            prejoins: vec![],
            base_nets: vec![],
            natural_log: BTreeMap::new(),
            fixed_natural: None,
            private_memo: BTreeMap::new(),
            clash_notes: vec![],
            declared_names,
            external_names,
        }
    }

    /// Plan the project in passes. The first rounds decide which network
    /// each link meets its target on and which targets must join which
    /// networks. The last pass starts with all those joins made, so an alias
    /// is checked against every name the network will answer, not only
    /// against the services the links met so far have brought there (and a
    /// second migration, which finds them there, decides alike). With
    /// `component` or `strict` a pass in between finds which services need
    /// a group's (or a target's) own network, and the last plans with all
    /// of them on it.
    pub fn run(mut self) -> Plan {
        // Choose networks until the joins the choices need are the joins
        // they were made with (usually the second round): a second
        // migration, which finds those joins written, then chooses alike.
        let mut prejoins: Vec<(usize, String)> = vec![];
        let mut first = Planner::new(self.model, self.opts);
        for _ in 0..8 {
            first = Planner::new(self.model, self.opts);
            first.prejoins = prejoins.clone();
            first.pass();
            let mut needed: Vec<(usize, String)> =
                first.joins.iter().map(|(k, _)| k.clone()).collect();
            needed.sort();
            prejoins.sort();
            let done = needed == prejoins;
            prejoins = first.joins.iter().map(|(k, _)| k.clone()).collect();
            if done {
                break;
            }
        }
        if first.natural_log.is_empty() {
            // No project link can migrate: nothing to decide twice.
            return first.finish();
        }
        if self.isolation != Isolation::Single {
            let mut second = Planner::new(self.model, self.opts);
            second.fixed_natural = Some(first.natural_log.clone());
            second.prejoins = prejoins.clone();
            second.pass();
            self.units = second
                .units
                .into_iter()
                .map(|(k, (i, u))| {
                    (
                        k,
                        (
                            i,
                            Unit {
                                removed: false,
                                ..u
                            },
                        ),
                    )
                })
                .collect();
            self.unit_names = second.unit_names;
            self.prefilled = true;
        }
        self.fixed_natural = Some(first.natural_log);
        self.prejoins = prejoins;
        self.pass();
        self.finish()
    }

    fn finish(mut self) -> Plan {
        self.write_units();
        // A kept link names the service its alias clashes with and where,
        // as the networks are once every alias and join is made: what a
        // second run finds first.
        let notes = std::mem::take(&mut self.clash_notes);
        for i in 0..self.plan.diagnostics.len() {
            let Some(k) = self.plan.diagnostics[i]
                .message
                .strip_prefix(CLASH_NOTE)
                .and_then(|k| k.parse::<usize>().ok())
            else {
                continue;
            };
            let note = &notes[k];
            let (owner, on) = self
                .clash(&note.net, &note.alias, note.target, note.consumer)
                .unwrap_or_else(|| note.found.clone());
            self.plan.diagnostics[i].message = format!(
                "alias `{}` of `{}` would clash with service `{owner}` on network `{on}`; the link is kept",
                note.alias,
                self.svc(note.target).name
            );
        }
        self.plan
    }

    fn pass(&mut self) {
        let blocks = self.blocks();
        if blocks.is_empty() {
            return;
        }
        self.convert_v1 = self
            .model
            .files
            .iter()
            .any(|f| f.format == Format::V1 && f.role != Role::Extends);
        if self.convert_v1 {
            for (i, f) in self.model.files.iter().enumerate() {
                if f.format == Format::V1 && f.role != Role::Extends {
                    self.plan.push(i, Action::ConvertV1);
                }
            }
        }
        self.network_modes(&blocks);
        if self.isolation != Isolation::Single {
            self.groups(&blocks);
        }
        self.base_nets = self.nets.clone();
        for (t, n) in &self.prejoins {
            self.nets[*t].add(n, None);
            self.nets[*t].declared = true;
        }
        if self.prefilled {
            for (_, u) in self.units.values() {
                for &m in &u.members {
                    self.nets[m].add(&u.name, None);
                }
                self.planned.insert(u.name.clone());
            }
        }
        for block in &blocks {
            self.block(block);
        }
    }

    /// The project links that can migrate, as (consumer, target).
    fn candidate_links(&self, blocks: &[Block]) -> Vec<(usize, usize)> {
        let mut out = vec![];
        for b in blocks {
            if b.external
                || self.model.files[b.file]
                    .path_after_conversion(b.holder)
                    .is_none()
                || b.consumers.iter().any(|&c| self.blocked[c].is_some())
            {
                continue;
            }
            for it in self.items(b) {
                let malformed = it.name.is_empty()
                    || it
                        .alias
                        .as_deref()
                        .is_some_and(|a| a.contains(':') || a.is_empty());
                let Some(t) = self.svc_index(&it.name) else {
                    continue;
                };
                if malformed || self.blocked[t].is_some() || b.consumers.contains(&t) {
                    continue;
                }
                for &c in &b.consumers {
                    out.push((c, t));
                }
            }
        }
        out
    }

    /// Groups (component) and each target's consumers (strict). A
    /// `depends_on` counts like a link: services that talk without links
    /// over `default` usually say so there, and a migrated link becomes
    /// one, so a second migration sees the same groups.
    fn groups(&mut self, blocks: &[Block]) {
        let mut links = self.candidate_links(blocks);
        for (s, deps) in self.deps.iter().enumerate() {
            for d in deps {
                if let Some(t) = self.svc_index(d) {
                    if t != s {
                        links.push((s, t));
                    }
                }
            }
        }
        let n = self.model.services.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &(c, t) in &links {
            let (a, b) = (root(&mut parent, c), root(&mut parent, t));
            // The smaller index is the root: a group is named by its first
            // service.
            let (lo, hi) = (a.min(b), a.max(b));
            parent[hi] = lo;
            self.consumers_of[t].insert(c);
        }
        let linked: BTreeSet<usize> = links.iter().flat_map(|&(c, t)| [c, t]).collect();
        for s in linked {
            self.group_of[s] = Some(root(&mut parent, s));
        }
    }

    /// May `s` resolve an alias of `target` under the isolation mode?
    fn in_audience(&self, s: usize, target: usize) -> bool {
        match self.isolation {
            Isolation::Single => true,
            Isolation::Component => {
                self.group_of[s].is_some() && self.group_of[s] == self.group_of[target]
            }
            Isolation::Strict => s == target || self.consumers_of[target].contains(&s),
        }
    }

    fn unit_key(&self, target: usize) -> Option<usize> {
        match self.isolation {
            Isolation::Single => None,
            Isolation::Component => self.group_of[target],
            Isolation::Strict => Some(target),
        }
    }

    /// True when every service on `default` may resolve `target`'s aliases.
    /// Called only once every join is made (`default` no longer changes),
    /// so the answer is kept per group (or target).
    fn default_is_private(&mut self, target: usize) -> bool {
        let key = self.unit_key(target).unwrap_or(target);
        if let Some(&p) = self.private_memo.get(&key) {
            return p;
        }
        let p = (0..self.model.services.len())
            .all(|s| !self.nets[s].has("default") || self.in_audience(s, target));
        self.private_memo.insert(key, p);
        p
    }

    /// Network names already taken: declared at the top level of any file
    /// of the project, the external network, and planned units.
    fn is_taken(&self, name: &str) -> bool {
        self.unit_names.contains(name) || self.declared_names.contains(name)
    }

    /// The unit network for an alias of `target` that `consumer` uses.
    fn unit_network(&mut self, consumer: usize, target: usize) -> String {
        let key = self.unit_key(target).unwrap_or(target);
        if let Some((_, u)) = self.units.get_mut(&key) {
            if !self.prefilled {
                u.members.insert(consumer);
                u.members.insert(target);
            }
            return u.name.clone();
        }
        let base = match self.isolation {
            Isolation::Component => self.svc(key).name.clone(),
            _ => self.svc(target).name.clone(),
        };
        let mut name = format!("{base}-net");
        let mut k = 2;
        while self.is_taken(&name) {
            name = format!("{base}-net-{k}");
            k += 1;
        }
        if self.prefilled {
            // Not met in the first pass (cannot happen: both passes choose
            // networks alike); keep the members' view right anyway.
            self.nets[consumer].add(&name, None);
            self.nets[target].add(&name, None);
            self.planned.insert(name.clone());
        }
        let number = self.units.len();
        self.unit_names.insert(name.clone());
        self.units.insert(
            key,
            (
                number,
                Unit {
                    name: name.clone(),
                    members: [consumer, target].into_iter().collect(),
                    removed: false,
                },
            ),
        );
        name
    }

    /// The network a link from `consumer` to `target` uses when no unit
    /// network is needed: one they share (with `component`/`strict`, a
    /// shared network other than `default` first, the target's own
    /// `<target>-net` first of all with `strict`), else the consumer's
    /// first (the target joins it).
    fn natural_network(&self, consumer: usize, target: usize) -> String {
        let own: Vec<String> = self.nets[consumer]
            .names()
            .into_iter()
            .filter(|n| !self.planned.contains(n))
            .collect();
        let shared: Vec<&String> = own.iter().filter(|n| self.nets[target].has(n)).collect();
        if self.isolation == Isolation::Strict {
            let tname = &self.svc(target).name;
            if let Some(n) = shared.iter().find(|n| is_unit_name(n, tname)) {
                return (*n).clone();
            }
        }
        if self.isolation != Isolation::Single {
            // Not an external network (containers outside the project are
            // on it), and with `strict` not another target's
            // `<service>-net` (its consumers are on it).
            let others_unit = |n: &str| {
                self.isolation == Isolation::Strict
                    && self.model.services.iter().any(|s| is_unit_name(n, &s.name))
            };
            let external = |n: &str| self.external_names.contains(n);
            if let Some(n) = shared
                .iter()
                .find(|n| n.as_str() != "default" && !external(n) && !others_unit(n))
            {
                return (*n).clone();
            }
            if let Some(n) = shared.iter().find(|n| !external(n)) {
                return (*n).clone();
            }
            if shared.is_empty() {
                if let Some(n) = own.iter().find(|n| !external(n)) {
                    return n.clone();
                }
            }
        }
        shared
            .first()
            .map(|n| (*n).clone())
            .or_else(|| own.first().cloned())
            .unwrap_or_else(|| "default".into())
    }

    /// Write the unit networks some migrated link needs: the top-level
    /// declaration and each member joining it (keeping the networks it
    /// was on).
    fn write_units(&mut self) {
        let units = std::mem::take(&mut self.units);
        let mut in_order: Vec<&(usize, Unit)> = units.values().collect();
        in_order.sort_by_key(|(i, _)| *i);
        let written: Vec<&Unit> = in_order
            .into_iter()
            .map(|(_, u)| u)
            .filter(|u| u.removed)
            .collect();
        if !written.is_empty() {
            let names = written.iter().map(|u| u.name.clone()).collect();
            self.plan.push(0, Action::AddProjectNetworks { names });
        }
        for u in written {
            for &m in &u.members {
                if let Some((f, holder, implicit)) = self.networks_place(m, &u.name) {
                    self.plan.push(
                        f,
                        Action::AddServiceNetwork {
                            holder,
                            network: u.name.clone(),
                            implicit,
                            comment: None,
                        },
                    );
                }
            }
        }
        self.units = units;
    }

    fn svc_index(&self, name: &str) -> Option<usize> {
        self.model.services.iter().position(|s| s.name == name)
    }

    fn svc(&self, i: usize) -> &'a Svc {
        &self.model.services[i]
    }

    fn blocks(&self) -> Vec<Block> {
        let mut blocks: Vec<Block> = vec![];
        for (si, svc) in self.model.services.iter().enumerate() {
            for key in ["links", "external_links"] {
                for hit in self.model.hits(svc, key) {
                    let f = hit.found;
                    let doc = &self.model.files[hit.file].doc;
                    if let Some(b) = blocks
                        .iter_mut()
                        .find(|b| b.file == hit.file && b.key_node == f.key)
                    {
                        if !b.consumers.contains(&si) {
                            b.consumers.push(si);
                        }
                        continue;
                    }
                    blocks.push(Block {
                        file: hit.file,
                        holder: f.holder,
                        key_node: f.key,
                        value: f.value,
                        external: key == "external_links",
                        consumers: vec![si],
                        aliased: matches!(doc.node(f.value).kind, Kind::Alias { .. }),
                    });
                }
            }
        }
        blocks
    }

    fn network_modes(&mut self, blocks: &[Block]) {
        // Services taking part in a link: consumers and project targets.
        let mut involved: BTreeSet<usize> = BTreeSet::new();
        for b in blocks {
            involved.extend(b.consumers.iter().copied());
            if !b.external {
                for it in self.items(b) {
                    if let Some(t) = self.svc_index(&it.name) {
                        involved.insert(t);
                    }
                }
            }
        }
        for si in involved {
            let svc = self.svc(si);
            let mut hits = self.model.hits(svc, "network_mode");
            hits.extend(self.model.hits(svc, "net"));
            hits.sort_by_key(|h| h.file);
            let Some((mode, _)) = self
                .model
                .scalar(svc, "network_mode")
                .or_else(|| self.model.scalar(svc, "net"))
            else {
                continue;
            };
            let is_consumer = blocks.iter().any(|b| b.consumers.contains(&si));
            let role = if is_consumer {
                "has links"
            } else {
                "is the target of a link"
            };
            if mode == "bridge" {
                for h in &hits {
                    let file = &self.model.files[h.file];
                    let span = file.doc.node(h.found.value).start..file.doc.node(h.found.value).end;
                    let Some(holder) = file.path_after_conversion(h.found.holder) else {
                        continue;
                    };
                    self.plan.diagnostics.push(
                        Diagnostic::new(
                            &codes::COMPOSE_NETWORK_MODE,
                            &file.path,
                            span,
                            format!(
                                "`{}` {role} but `network_mode: bridge` keeps it on Docker's default bridge",
                                svc.name
                            ),
                        )
                        .with_help(format!(
                            "migrate removes `network_mode` so `{}` joins the project network",
                            svc.name
                        ))
                        .fixable(true),
                    );
                    self.plan.push(
                        h.file,
                        Action::RemoveKey {
                            holder,
                            key: "network_mode".into(),
                        },
                    );
                }
                // Back on the project network: its declared networks or default.
                let mut n = self.model.networks(svc);
                if n.list.is_empty() {
                    n.add("default", None);
                }
                self.nets[si] = n.clone();
                self.original_nets[si] = n;
            } else {
                self.nets[si] = Networks::default();
                self.blocked[si] = Some(Blocked::NetworkMode(svc.name.clone(), mode.clone()));
                if let Some(h) = hits.last() {
                    let file = &self.model.files[h.file];
                    let span = file.doc.node(h.found.value).start..file.doc.node(h.found.value).end;
                    self.plan.diagnostics.push(
                        Diagnostic::new(
                            &codes::COMPOSE_NETWORK_MODE,
                            &file.path,
                            span,
                            format!(
                                "`{}` {role} but uses `network_mode: {mode}`, which cannot join a project network",
                                svc.name
                            ),
                        )
                        .with_help(
                            "left as it is: give the service a network (drop `network_mode`) or reach the other side through published ports",
                        ),
                    );
                }
            }
        }
    }

    fn items(&self, b: &Block) -> Vec<Item> {
        let file = &self.model.files[b.file];
        let doc = &file.doc;
        doc.items(b.value)
            .iter()
            .filter_map(|&node| {
                let raw = doc.str(node)?;
                let (name, alias) = match raw.split_once(':') {
                    Some((n, a)) => (n.to_string(), Some(a.to_string())),
                    None => (raw.to_string(), None),
                };
                let comment = crate::text::trailing_comment(&file.text, doc.node(node).end)
                    .map(|r| file.text[r].to_string());
                Some(Item {
                    node,
                    name,
                    alias,
                    comment,
                })
            })
            .collect()
    }

    fn container_name(&self, si: usize) -> Option<String> {
        self.model
            .scalar(self.svc(si), "container_name")
            .map(|(s, _)| s)
    }

    /// Who holds `name` on `net`, other than `except`.
    fn holder_of_name(&self, net: &str, name: &str, except: usize) -> Option<String> {
        for (si, svc) in self.model.services.iter().enumerate() {
            if si == except || !self.nets[si].has(net) {
                continue;
            }
            if svc.name == name
                || self.container_name(si).as_deref() == Some(name)
                || self.nets[si].aliases(net).iter().any(|a| a == name)
            {
                return Some(svc.name.clone());
            }
        }
        None
    }

    /// Who else answers `name` where an alias of `target` on `net` would be
    /// seen: on `net` and on every other network of `consumer` and of the
    /// services on `net` (a container on two networks asks both, so a name
    /// answered by another service on either is ambiguous). The network is
    /// where the clash was found: the consumer's networks first, then `net`,
    /// then the others'.
    fn clash(
        &self,
        net: &str,
        name: &str,
        target: usize,
        consumer: usize,
    ) -> Option<(String, String)> {
        // Each service's networks as they will be written: planned unit
        // networks are added last.
        let written = |si: usize| -> Vec<String> {
            let (mut real, planned): (Vec<String>, Vec<String>) = self.nets[si]
                .names()
                .into_iter()
                .partition(|n| !self.planned.contains(n));
            real.extend(planned);
            real
        };
        let mut order: Vec<String> = written(consumer);
        order.push(net.to_string());
        for si in 0..self.model.services.len() {
            if si != target && self.nets[si].has(net) {
                order.extend(written(si));
            }
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for x in order {
            if !seen.insert(x.clone()) {
                continue;
            }
            if let Some(owner) = self.holder_of_name(&x, name, target) {
                return Some((owner, x));
            }
        }
        None
    }

    fn rewritten(&self, consumer: &str, alias: &str) -> bool {
        self.opts
            .hostnames_rewritten
            .iter()
            .any(|(c, a)| c == consumer && a == alias)
    }

    /// Where a service's `networks` edits go: (file, holder path, implicit).
    fn networks_place(&self, si: usize, network: &str) -> Option<(usize, KeyPath, Vec<String>)> {
        let svc = self.svc(si);
        let hits = self.model.hits(svc, "networks");
        let chosen = hits
            .iter()
            .find(|h| {
                let doc = &self.model.files[h.file].doc;
                doc.get(h.found.value, network).is_some()
                    || doc
                        .items(h.found.value)
                        .iter()
                        .any(|&i| doc.str(i) == Some(network))
            })
            .or(hits.first());
        if let Some(h) = chosen {
            let path = self.model.files[h.file].path_after_conversion(h.found.holder)?;
            return Some((h.file, path, vec![]));
        }
        let part = svc.parts.first()?;
        let path = self.model.files[part.file].path_after_conversion(part.body)?;
        let implicit = if self.original_nets[si].declared {
            vec![]
        } else {
            vec!["default".to_string()]
        };
        Some((part.file, path, implicit))
    }

    /// "`a`", "`a` and `b`", "`a`, `b` and `c`".
    fn names(&self, b: &Block) -> String {
        let n: Vec<String> = b
            .consumers
            .iter()
            .map(|&c| format!("`{}`", self.svc(c).name))
            .collect();
        match n.len() {
            0 => String::new(),
            1 => n[0].clone(),
            k => format!("{} and {}", n[..k - 1].join(", "), n[k - 1]),
        }
    }

    fn external_network(&self) -> String {
        crate::network_name_from(
            &self.model.files[0].path,
            crate::top_level_name(&self.model.files[0]),
            self.opts,
        )
    }

    fn block(&mut self, b: &Block) {
        let items = self.items(b);
        let file = &self.model.files[b.file];
        let doc = &file.doc;
        let holder_path = file.path_after_conversion(b.holder);
        let key = if b.external {
            "external_links"
        } else {
            "links"
        };
        let own = b.consumers.iter().any(|&c| {
            self.svc(c)
                .parts
                .iter()
                .any(|p| p.file == b.file && p.body == b.holder)
        });
        let anchor = doc.node(b.holder).anchor.clone();
        let names = self.names(b);
        let subject = if !own || b.consumers.len() > 1 {
            match &anchor {
                Some(a) => format!("`{key}:` in anchor `&{a}`, inherited by {names},"),
                None => names.clone(),
            }
        } else {
            names.clone()
        };
        let mark = self.plan.actions.len();
        let nets_mark = b.aliased.then(|| (self.nets.clone(), self.joins.len()));
        let mut removed: Vec<usize> = vec![];
        let mut strip_comment: Vec<usize> = vec![];
        let mut dep_targets: Vec<(String, Option<String>)> = vec![];
        // For an aliased sequence everything must go or nothing.
        let mut item_diags: Vec<Diagnostic> = vec![];
        let mut extra_diags: Vec<Diagnostic> = vec![];

        for (idx, it) in items.iter().enumerate() {
            let span = doc.node(it.node).start..doc.node(it.node).end;
            let shown = match &it.alias {
                Some(a) => format!("`{}` as `{a}`", it.name),
                None => format!("`{}`", it.name),
            };
            let bad_format = it
                .alias
                .as_deref()
                .is_some_and(|a| a.contains(':') || a.is_empty())
                || it.name.is_empty();
            if bad_format {
                item_diags.push(
                    Diagnostic::new(
                        if b.external {
                            &codes::COMPOSE_EXTERNAL_LINKS
                        } else {
                            &codes::COMPOSE_LINKS
                        },
                        &file.path,
                        span,
                        format!("malformed `{key}` entry of {subject}"),
                    )
                    .with_help("expected `NAME` or `NAME:ALIAS`; left as it is"),
                );
                continue;
            }
            if holder_path.is_none() {
                item_diags.push(
                    Diagnostic::new(
                        if b.external {
                            &codes::COMPOSE_EXTERNAL_LINKS
                        } else {
                            &codes::COMPOSE_LINKS
                        },
                        &file.path,
                        span,
                        format!("{subject} links to {shown}"),
                    )
                    .with_help("the entry sits where unlink cannot edit it (not under a chain of mapping keys); migrate it by hand"),
                );
                continue;
            }
            if let Some(Blocked::NetworkMode(s, m)) =
                b.consumers.iter().find_map(|&c| self.blocked[c].clone())
            {
                item_diags.push(
                    Diagnostic::new(
                        if b.external {
                            &codes::COMPOSE_EXTERNAL_LINKS
                        } else {
                            &codes::COMPOSE_LINKS
                        },
                        &file.path,
                        span,
                        format!("{subject} links to {shown}"),
                    )
                    .with_help(format!(
                        "not migrated: `{s}` uses `network_mode: {m}`, which cannot join a project network"
                    )),
                );
                continue;
            }
            if b.external {
                let (d, extra, keep) = self.external_item(b, it, span.clone(), &shown, &subject);
                item_diags.push(d);
                extra_diags.extend(extra);
                if !keep {
                    removed.push(idx);
                }
                continue;
            }
            // Project link.
            let Some(target) = self.svc_index(&it.name) else {
                extra_diags.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_LINK_TARGET,
                        &file.path,
                        span.clone(),
                        format!("link target `{}` is not a service of this project", it.name),
                    )
                    .with_help("left as it is; if it is a container started elsewhere, use `external_links`"),
                );
                item_diags.push(
                    Diagnostic::new(
                        &codes::COMPOSE_LINKS,
                        &file.path,
                        span,
                        format!("{subject} links to {shown}"),
                    )
                    .with_help("not migrated: unknown target"),
                );
                continue;
            };
            if let Some(Blocked::NetworkMode(s, m)) = self.blocked[target].clone() {
                item_diags.push(
                    Diagnostic::new(
                        &codes::COMPOSE_LINKS,
                        &file.path,
                        span,
                        format!("{subject} links to {shown}"),
                    )
                    .with_help(format!(
                        "not migrated: the target `{s}` uses `network_mode: {m}`"
                    )),
                );
                continue;
            }
            if b.consumers.contains(&target) {
                item_diags.push(
                    Diagnostic::new(
                        &codes::COMPOSE_LINKS,
                        &file.path,
                        span,
                        format!("{subject} links to itself"),
                    )
                    .with_help("not migrated: a service reaches itself by its own name"),
                );
                continue;
            }
            let (d, extra, outcome) = self.project_item(b, it, target, span, &shown, &subject);
            item_diags.push(d);
            extra_diags.extend(extra);
            match outcome {
                Outcome::Keep => {}
                Outcome::Remove { comment_moved } => {
                    removed.push(idx);
                    if comment_moved {
                        strip_comment.push(idx);
                    }
                    let comment = if comment_moved {
                        None
                    } else {
                        it.comment.clone()
                    };
                    if !dep_targets.iter().any(|(t, _)| *t == it.name) {
                        dep_targets.push((it.name.clone(), comment));
                    }
                }
            }
        }

        if b.aliased && removed.len() != items.len() {
            // `links: *x` can only go as a whole: nothing planned for its
            // entries happens.
            self.plan.actions.truncate(mark);
            if let Some((nets, joins)) = nets_mark {
                self.nets = nets;
                self.joins.truncate(joins);
                self.join_at.retain(|_, i| *i < joins);
            }
            removed.clear();
            dep_targets.clear();
            for d in &mut item_diags {
                if d.fixable {
                    d.fixable = false;
                    d.help = Some(
                        "not migrated: the sequence is an alias (`*name`) and some of its entries must stay"
                            .into(),
                    );
                }
            }
        }
        self.plan.diagnostics.extend(item_diags);
        self.plan.diagnostics.extend(extra_diags);
        if !b.external {
            for &i in &removed {
                let key = self
                    .svc_index(&items[i].name)
                    .and_then(|t| self.unit_key(t));
                if let Some((_, u)) = key.and_then(|k| self.units.get_mut(&k)) {
                    u.removed = true;
                }
            }
        }
        if removed.is_empty() {
            return;
        }
        let holder_path = holder_path.expect("checked per item");
        let all = removed.len() == items.len() && items.len() == doc.items(b.value).len();

        // Start order for project links.
        let mut rename = None;
        if !b.external && !dep_targets.is_empty() {
            rename = self.plan_depends_on(b, &holder_path, &dep_targets, all, &items, &removed);
        }
        // `items` holds the string entries only; the executor counts every
        // entry of the sequence.
        let entries = doc.items(b.value);
        let at = |i: usize| {
            entries
                .iter()
                .position(|&n| n == items[i].node)
                .expect("an entry of this sequence")
        };
        self.plan.push(
            b.file,
            Action::EditLinks {
                holder: holder_path,
                key: key.to_string(),
                remove: if rename.is_some() {
                    // Duplicates of an earlier target go.
                    let mut seen = BTreeSet::new();
                    removed
                        .iter()
                        .copied()
                        .filter(|&i| !seen.insert(items[i].name.clone()))
                        .map(at)
                        .collect()
                } else {
                    removed.iter().copied().map(at).collect()
                },
                rename,
                strip_comment: strip_comment.into_iter().map(at).collect(),
            },
        );
    }

    /// Plan `depends_on`; returns the rename rewrite when the links key
    /// itself becomes `depends_on`.
    fn plan_depends_on(
        &mut self,
        b: &Block,
        holder_path: &KeyPath,
        targets: &[(String, Option<String>)],
        all_removed: bool,
        items: &[Item],
        removed: &[usize],
    ) -> Option<Vec<(usize, String)>> {
        let file = &self.model.files[b.file];
        let doc = &file.doc;
        let mut need_holder = false;
        for &c in &b.consumers {
            let svc = self.svc(c);
            let wanted: Vec<(String, Option<String>)> = targets
                .iter()
                .filter(|(t, _)| !self.deps[c].contains(t))
                .cloned()
                .collect();
            let part = svc.parts.iter().find(|p| p.file == b.file);
            let found = part.and_then(|p| doc.get_merged(p.body, "depends_on"));
            match found {
                None => need_holder = true,
                Some(f) => {
                    if !wanted.is_empty() {
                        if let Some(path) = file.path_after_conversion(f.holder) {
                            let form = if doc.is_map(f.value) {
                                DepForm::Map
                            } else {
                                DepForm::List
                            };
                            self.add_deps(b.file, path, wanted, form, None);
                        }
                    }
                }
            }
            for (t, _) in targets {
                self.deps[c].insert(t.clone());
            }
        }
        if !need_holder {
            return None;
        }
        let map_form = file.format.allows_depends_on_map()
            && file.doc.nodes.iter().any(|n| {
                if let Kind::Map { entries } = &n.kind {
                    entries
                        .iter()
                        .any(|&(k, v)| doc.str(k) == Some("depends_on") && doc.is_map(v))
                } else {
                    false
                }
            });
        if all_removed && !map_form && !b.aliased {
            // `links:` becomes `depends_on:` in place; comments stay put.
            let mut seen = BTreeSet::new();
            let rewrite = removed
                .iter()
                .filter(|&&i| seen.insert(items[i].name.clone()))
                .map(|&i| (i, items[i].name.clone()))
                .collect();
            return Some(rewrite);
        }
        let form = if map_form {
            DepForm::Map
        } else {
            DepForm::List
        };
        self.add_deps(
            b.file,
            holder_path.clone(),
            targets.to_vec(),
            form,
            Some(
                if b.external {
                    "external_links"
                } else {
                    "links"
                }
                .into(),
            ),
        );
        None
    }

    fn add_deps(
        &mut self,
        file: usize,
        holder: KeyPath,
        targets: Vec<(String, Option<String>)>,
        form: DepForm,
        after_key: Option<String>,
    ) {
        // Merge with an earlier request for the same mapping.
        for (f, a) in &mut self.plan.actions {
            if let Action::AddDependsOn {
                holder: h,
                targets: t,
                ..
            } = a
            {
                if *f == file && *h == holder {
                    for x in targets {
                        if !t.iter().any(|(n, _)| *n == x.0) {
                            t.push(x);
                        }
                    }
                    return;
                }
            }
        }
        self.plan.push(
            file,
            Action::AddDependsOn {
                holder,
                targets,
                form,
                after_key,
            },
        );
    }

    fn project_item(
        &mut self,
        b: &Block,
        it: &Item,
        target: usize,
        span: std::ops::Range<usize>,
        shown: &str,
        subject: &str,
    ) -> (Diagnostic, Vec<Diagnostic>, Outcome) {
        let file_path = self.model.files[b.file].path.clone();
        let tname = self.svc(target).name.clone();
        let consumer_label = self.names(b);
        let mut extra = vec![];
        let alias = it
            .alias
            .clone()
            .filter(|a| *a != tname && self.container_name(target).as_deref() != Some(a.as_str()));
        // 1. A shared network for every consumer; with `component` or
        // `strict`, an alias that `default` would show to services outside
        // the group (or to others than the target's consumers) goes on the
        // unit's own network instead.
        let mut shared: Vec<(usize, String)> = vec![];
        let mut uses: Vec<(usize, String)> = vec![];
        for &c in &b.consumers {
            let key = (b.file, b.key_node, it.node, c);
            let n = self
                .fixed_natural
                .as_ref()
                .and_then(|m| m.get(&key).cloned())
                .unwrap_or_else(|| self.natural_network(c, target));
            self.natural_log.insert(key, n.clone());
            let cname = self.svc(c).name.clone();
            let wants_alias = alias.as_ref().is_some_and(|a| !self.rewritten(&cname, a));
            // (The first pass only chooses networks and joins.)
            let unit = (self.isolation != Isolation::Single
                && self.fixed_natural.is_some()
                && wants_alias
                && n == "default"
                && !self.default_is_private(target))
            .then(|| self.unit_network(c, target));
            // The target joins the consumer's network even when the alias
            // goes elsewhere, so who is on which network never depends on
            // the choices above.
            if !self.base_nets[target].has(&n) {
                if let Some((f, holder, implicit)) = self.networks_place(target, &n) {
                    let key = (target, n.clone());
                    if !self.join_at.contains_key(&key) {
                        self.join_at.insert(key.clone(), self.joins.len());
                        self.joins.push((
                            key,
                            (
                                f,
                                Action::AddServiceNetwork {
                                    holder,
                                    network: n.clone(),
                                    implicit,
                                    comment: None,
                                },
                            ),
                        ));
                    }
                    self.nets[target].add(&n, None);
                    self.nets[target].declared = true;
                }
            }
            uses.push((target, n.clone()));
            shared.push((c, unit.unwrap_or(n)));
        }
        for key in uses {
            if let Some(&i) = self.join_at.get(&key) {
                let (f, a) = self.joins[i].1.clone();
                self.plan.push(f, a);
            }
        }
        // 2. The alias.
        let mut moves: Vec<(String, String)> = vec![]; // (network, alias)
        let mut rewritten_for: Vec<String> = vec![];
        if let Some(a) = &alias {
            for (c, n) in &shared {
                let cname = self.svc(*c).name.clone();
                if self.rewritten(&cname, a) {
                    rewritten_for.push(cname);
                    continue;
                }
                // (Checked even when the target already answers `a` on
                // `n`: another service may answer it too.)
                if let Some(found) = self.clash(n, a, target, *c) {
                    // Named once everything is planned (see `finish`).
                    let note = self.clash_notes.len();
                    self.clash_notes.push(ClashNote {
                        consumer: *c,
                        net: n.clone(),
                        alias: a.clone(),
                        target,
                        found,
                    });
                    extra.push(
                        Diagnostic::new(
                            &codes::ALIAS_KEPT_AS_LINK,
                            &file_path,
                            span.clone(),
                            format!("{CLASH_NOTE}{note}"),
                        )
                        .with_help(format!(
                            "on a project network the link is a private alias of {consumer_label}, so `{a}` still reaches `{tname}` there"
                        )),
                    );
                    let d = Diagnostic::new(
                        &codes::COMPOSE_LINKS,
                        &file_path,
                        span,
                        format!("{subject} links to {shown}"),
                    )
                    .with_help("kept: the alias would clash on the network (see UL011)");
                    return (d, extra, Outcome::Keep);
                }
                if self.nets[target].aliases(n).iter().any(|x| x == a) {
                    continue;
                }
                if !moves.contains(&(n.clone(), a.clone())) {
                    moves.push((n.clone(), a.clone()));
                }
            }
        }
        // 3. Commit the alias moves.
        let mut comment_moved = false;
        for (n, a) in &moves {
            if let Some((f, holder, implicit)) = self.networks_place(target, n) {
                let comment = if comment_moved {
                    None
                } else {
                    it.comment.clone()
                };
                comment_moved |= comment.is_some();
                self.plan.push(
                    f,
                    Action::AddAlias {
                        holder,
                        network: n.clone(),
                        alias: a.clone(),
                        implicit,
                        comment,
                    },
                );
                self.nets[target].add(n, Some(a));
                self.nets[target].declared = true;
                extra.push(
                    Diagnostic::new(
                        &codes::ALIAS_MOVED,
                        &file_path,
                        span.clone(),
                        format!("alias `{a}` is now a network alias of `{tname}` on network `{n}`"),
                    )
                    .with_help(format!(
                        "every service on `{n}` can now resolve `{a}`, not only {consumer_label}"
                    )),
                );
            }
        }
        let mut help = format!("migrate removes the entry and adds `{tname}` to `depends_on`");
        if !moves.is_empty() {
            let (n, a) = &moves[0];
            help.push_str(&format!(
                "; `{a}` becomes a network alias of `{tname}` on `{n}`"
            ));
            if self.planned.contains(n) {
                help.push_str(match self.isolation {
                    Isolation::Strict => ", a new network for it and the services linking to it",
                    _ => ", a new network for its linked group",
                });
            }
        }
        if !rewritten_for.is_empty() {
            help.push_str(&format!(
                "; the configs of {} now name `{tname}` directly",
                rewritten_for
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if self.convert_v1 {
            help.push_str("; the version 1 file becomes `version: '2'` with `services:`");
        }
        let d = Diagnostic::new(
            &codes::COMPOSE_LINKS,
            &file_path,
            span,
            format!("{subject} links to {shown}"),
        )
        .with_help(help)
        .fixable(true);
        (d, extra, Outcome::Remove { comment_moved })
    }

    fn external_item(
        &mut self,
        b: &Block,
        it: &Item,
        span: std::ops::Range<usize>,
        shown: &str,
        subject: &str,
    ) -> (Diagnostic, Vec<Diagnostic>, bool) {
        let file_path = self.model.files[b.file].path.clone();
        let net = self.external_network();
        let consumer_label = self.names(b);
        let mut extra = vec![];
        let alias = it.alias.clone().filter(|a| *a != it.name);
        let mut keep = false;
        let mut need_alias = false;
        if let Some(a) = &alias {
            for &c in &b.consumers {
                let cname = self.svc(c).name.clone();
                if self.rewritten(&cname, a) {
                    continue;
                }
                need_alias = true;
                let mut nets = self.nets[c].names();
                nets.push(net.clone());
                if let Some(owner) = nets
                    .iter()
                    .find_map(|n| self.holder_of_name(n, a, usize::MAX))
                {
                    extra.push(
                        Diagnostic::new(
                            &codes::ALIAS_KEPT_AS_LINK,
                            &file_path,
                            span.clone(),
                            format!(
                                "alias `{a}` of external container `{}` would clash with service `{owner}`; the external link is kept",
                                it.name
                            ),
                        )
                        .with_help(format!(
                            "on network `{net}` the external link is a private alias of {consumer_label}"
                        )),
                    );
                    keep = true;
                    need_alias = false;
                    break;
                }
            }
        }
        // Attach every consumer to the external network.
        self.plan
            .push(0, Action::AddExternalNetwork { name: net.clone() });
        let mut first = true;
        for &c in &b.consumers {
            if self.nets[c].has(&net) {
                continue;
            }
            if let Some((f, holder, implicit)) = self.networks_place(c, &net) {
                let comment = if first && !keep {
                    it.comment.clone()
                } else {
                    None
                };
                first = false;
                self.plan.push(
                    f,
                    Action::AddServiceNetwork {
                        holder,
                        network: net.clone(),
                        implicit,
                        comment,
                    },
                );
                self.nets[c].add(&net, None);
                self.nets[c].declared = true;
            }
        }
        let command = match (&alias, need_alias) {
            (Some(a), true) => format!("docker network connect --alias {a} {net} {}", it.name),
            _ => format!("docker network connect {net} {}", it.name),
        };
        extra.push(
            Diagnostic::new(
                &codes::EXTERNAL_NETWORK_CONNECT,
                &file_path,
                span.clone(),
                format!("connect the external container `{}` to `{net}`: {command}", it.name),
            )
            .with_help(format!(
                "`{net}` is declared `external: true`; create it once with `docker network create {net}` before `docker-compose up`"
            ))
            .with_severity(Severity::Info),
        );
        let d = Diagnostic::new(
            &codes::COMPOSE_EXTERNAL_LINKS,
            &file_path,
            span,
            format!("{subject} links to external container {shown}"),
        );
        let d = if keep {
            d.with_help(format!(
                "kept (see UL011); migrate attaches {consumer_label} to the external network `{net}`"
            ))
        } else {
            d.with_help(format!(
                "migrate removes the entry and attaches {consumer_label} to the external network `{net}`; then run: {command}"
            ))
            .fixable(true)
        };
        (d, extra, keep)
    }
}

/// `name` is `<service>-net` or `<service>-net-<k>`: a unit network unlink
/// names after `service`.
fn is_unit_name(name: &str, service: &str) -> bool {
    name.strip_prefix(service)
        .and_then(|r| r.strip_prefix("-net"))
        .is_some_and(|r| {
            r.is_empty()
                || r.strip_prefix('-')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
}

enum Outcome {
    Keep,
    Remove { comment_moved: bool },
}

/// Service names in a `depends_on` value (list or map form).
pub(crate) fn dep_names(doc: &crate::yaml::Doc, value: NodeId) -> Vec<String> {
    if doc.is_map(value) {
        doc.entries(value)
            .iter()
            .filter_map(|&(k, _)| doc.str(k).map(str::to_string))
            .collect()
    } else {
        doc.items(value)
            .iter()
            .filter_map(|&i| doc.str(i).map(str::to_string))
            .collect()
    }
}
