//! Deciding what to do: one pass over the project that yields the findings
//! and a list of [`Action`]s, each naming the place it edits by a key path
//! (so actions can be carried out one after the other on re-parsed text).
//!
//! `check` and `migrate` share this pass, so a finding is marked fixable
//! exactly when `migrate` fixes it.

use std::collections::BTreeSet;

use unlink_diagnostics::{codes, Diagnostic, Severity};

use crate::model::{Model, Networks, Role, Svc};
use crate::yaml::{Kind, NodeId};
use crate::{ComposeOptions, Format};

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
            Action::AddExternalNetwork { .. } => 2,
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
}

impl<'a> Planner<'a> {
    pub fn new(model: &'a Model, opts: &'a ComposeOptions) -> Self {
        let nets: Vec<Networks> = model.services.iter().map(|s| model.networks(s)).collect();
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
        Planner {
            model,
            opts,
            plan: Plan::default(),
            original_nets: nets.clone(),
            nets,
            blocked: vec![None; model.services.len()],
            deps,
            convert_v1: false,
        }
    }

    pub fn run(mut self) -> Plan {
        let blocks = self.blocks();
        if blocks.is_empty() {
            return self.plan;
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
        for block in &blocks {
            self.block(block);
        }
        self.plan
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
            // `links: *x` can only go as a whole.
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
        // 1. A shared network for every consumer.
        let mut shared: Vec<(usize, String)> = vec![];
        for &c in &b.consumers {
            let cn = self.nets[c].names();
            let n = cn
                .iter()
                .find(|n| self.nets[target].has(n))
                .cloned()
                .or_else(|| cn.first().cloned())
                .unwrap_or_else(|| "default".into());
            if !self.nets[target].has(&n) {
                if let Some((f, holder, implicit)) = self.networks_place(target, &n) {
                    self.plan.push(
                        f,
                        Action::AddServiceNetwork {
                            holder,
                            network: n.clone(),
                            implicit,
                            comment: None,
                        },
                    );
                    self.nets[target].add(&n, None);
                    self.nets[target].declared = true;
                }
            }
            shared.push((c, n));
        }
        // 2. The alias.
        let alias = it
            .alias
            .clone()
            .filter(|a| *a != tname && self.container_name(target).as_deref() != Some(a.as_str()));
        let mut moves: Vec<(String, String)> = vec![]; // (network, alias)
        let mut rewritten_for: Vec<String> = vec![];
        if let Some(a) = &alias {
            for (c, n) in &shared {
                let cname = self.svc(*c).name.clone();
                if self.rewritten(&cname, a) {
                    rewritten_for.push(cname);
                    continue;
                }
                if self.nets[target].aliases(n).iter().any(|x| x == a) {
                    continue;
                }
                if let Some(owner) = self.holder_of_name(n, a, target) {
                    extra.push(
                        Diagnostic::new(
                            &codes::ALIAS_KEPT_AS_LINK,
                            &file_path,
                            span.clone(),
                            format!(
                                "alias `{a}` of `{tname}` would clash with service `{owner}` on network `{n}`; the link is kept"
                            ),
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
