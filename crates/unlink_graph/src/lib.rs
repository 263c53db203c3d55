//! The link graph.
//!
//! Containers are nodes; each `--link TARGET:ALIAS` is an edge from the
//! consumer to the target, labelled with the alias and with where it was
//! written. A container started in several places (a Makefile's `run` and
//! `restart` targets, or `start.sh` and a Makefile) is one node with several
//! runs, found by its name. A run without a statically known name is a node of
//! its own: it can consume links but nobody can link to it.
//!
//! The graph knows nothing about syntax: it reads the located facts of
//! `unlink_locate` and answers questions the planner and `unlink graph` ask:
//! which links are legacy (the consumer sits on the default bridge), which
//! containers form a connected group, who consumes a target.

use indexmap::IndexMap;
use unlink_docker::{Action, Run};
use unlink_locate::FileFacts;

/// A command in the input: file index and command index within the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CmdRef {
    pub file: usize,
    pub cmd: usize,
}

/// Index of a node.
pub type NodeId = usize;

/// How a run attaches to networks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkMode {
    /// No `--network`, or `bridge`/`default`: the default bridge.
    DefaultBridge,
    /// A user-defined network, by name.
    User(String),
    Host,
    None,
    /// `container:NAME`.
    Container,
    /// A network given through something unlink cannot read.
    Unknown,
}

/// The network mode of a run, from its first `--network`.
pub fn network_mode(run: &Run) -> NetworkMode {
    match run.networks().first() {
        None => NetworkMode::DefaultBridge,
        Some(opt) => match opt.value.as_deref() {
            None => NetworkMode::Unknown,
            Some("bridge" | "default") => NetworkMode::DefaultBridge,
            Some("host") => NetworkMode::Host,
            Some("none") => NetworkMode::None,
            Some(v) if v.starts_with("container:") => NetworkMode::Container,
            // The extended `name=NET,alias=…` syntax.
            Some(v) if v.starts_with("name=") => NetworkMode::User(
                v["name=".len()..]
                    .split(',')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            ),
            Some(v) => NetworkMode::User(v.to_string()),
        },
    }
}

/// A container.
#[derive(Debug, Clone)]
pub struct Container {
    /// The name, when known statically.
    pub name: Option<String>,
    /// Every `docker run`/`create` that starts it, in input order.
    pub runs: Vec<CmdRef>,
}

/// One `--link`.
#[derive(Debug, Clone)]
pub struct LinkEdge {
    pub consumer: NodeId,
    /// The target node, when a run in the input starts it.
    pub target: Option<NodeId>,
    /// The target's name as written (leading `/` stripped), when known.
    pub target_name: Option<String>,
    pub alias: Option<String>,
    /// Where the link is written.
    pub at: CmdRef,
    /// Index into the run's `links`.
    pub index: usize,
    /// The consumer sits on the default bridge: a legacy link.
    pub legacy: bool,
}

/// The whole graph.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Container>,
    pub links: Vec<LinkEdge>,
    by_name: IndexMap<String, NodeId>,
    /// Every run with its node, in input order (so sorted by `CmdRef`): a
    /// vector walked in order, not a table hashed at random, for a file of
    /// 40,000 runs.
    by_run: Vec<(CmdRef, NodeId)>,
}

/// The run behind a command reference.
pub fn run_at(files: &[FileFacts], at: CmdRef) -> Option<&Run> {
    match &files[at.file].commands[at.cmd].docker.action {
        Action::Run(r) => Some(r),
        _ => None,
    }
}

impl Graph {
    /// Build the graph of every run in `files`.
    pub fn build(files: &[FileFacts]) -> Graph {
        let mut g = Graph::default();
        for (fi, f) in files.iter().enumerate() {
            for (ci, c) in f.commands.iter().enumerate() {
                let Action::Run(run) = &c.docker.action else {
                    continue;
                };
                let at = CmdRef { file: fi, cmd: ci };
                let name = run.name().and_then(|n| n.value.as_deref());
                let id = match name {
                    Some(n) => *g.by_name.entry(n.to_string()).or_insert_with(|| {
                        g.nodes.push(Container {
                            name: Some(n.to_string()),
                            runs: Vec::new(),
                        });
                        g.nodes.len() - 1
                    }),
                    None => {
                        g.nodes.push(Container {
                            name: None,
                            runs: Vec::new(),
                        });
                        g.nodes.len() - 1
                    }
                };
                g.nodes[id].runs.push(at);
                g.by_run.push((at, id));
            }
        }
        for &(at, consumer) in &g.by_run {
            let run = run_at(files, at).expect("a run");
            let legacy = network_mode(run) == NetworkMode::DefaultBridge;
            for (index, link) in run.links.iter().enumerate() {
                let target = link.target.as_ref().and_then(|t| g.by_name.get(t).copied());
                g.links.push(LinkEdge {
                    consumer,
                    target,
                    target_name: link.target.clone(),
                    alias: link.alias.clone(),
                    at,
                    index,
                    legacy,
                });
            }
        }
        g
    }

    /// The node a run belongs to.
    pub fn node_of(&self, at: CmdRef) -> Option<NodeId> {
        self.by_run
            .binary_search_by_key(&at, |&(r, _)| r)
            .ok()
            .map(|i| self.by_run[i].1)
    }

    /// The node named `name`.
    pub fn node_named(&self, name: &str) -> Option<NodeId> {
        self.by_name.get(name).copied()
    }

    /// A display name for a node.
    pub fn label(&self, id: NodeId) -> String {
        self.nodes[id]
            .name
            .clone()
            .unwrap_or_else(|| format!("(unnamed #{id})"))
    }

    /// Groups of nodes connected by the links `keep` accepts, each in
    /// first-appearance order, the groups ordered by their first member.
    /// Nodes without such links are left out.
    pub fn components(&self, keep: &dyn Fn(&LinkEdge) -> bool) -> Vec<Vec<NodeId>> {
        let mut parent: Vec<NodeId> = (0..self.nodes.len()).collect();
        fn find(p: &mut [NodeId], mut x: NodeId) -> NodeId {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        let mut linked = vec![false; self.nodes.len()];
        for e in self.links.iter().filter(|e| keep(e)) {
            let Some(t) = e.target else { continue };
            linked[e.consumer] = true;
            linked[t] = true;
            let (a, b) = (find(&mut parent, e.consumer), find(&mut parent, t));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi] = lo;
            }
        }
        let mut groups: IndexMap<NodeId, Vec<NodeId>> = IndexMap::new();
        for (id, &is_linked) in linked.iter().enumerate() {
            if is_linked {
                let root = find(&mut parent, id);
                groups.entry(root).or_default().push(id);
            }
        }
        groups.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn node_of_finds_each_run_and_only_runs() {
        let src = b"docker network create n\n\
                    docker run -d --name a img\n\
                    docker run -d --name b --link a:db img\n\
                    docker run -d --name a img\n\
                    docker run -d img\n";
        let facts = vec![unlink_locate::script::read(Path::new("up.sh"), src)];
        let g = Graph::build(&facts);
        let at = |cmd| CmdRef { file: 0, cmd };
        assert_eq!(g.node_of(at(0)), None, "a network create is no container");
        let a = g.node_of(at(1)).expect("a");
        assert_eq!(g.node_named("a"), Some(a));
        assert_eq!(
            g.node_of(at(3)),
            Some(a),
            "a second run of `a` is the same container"
        );
        let b = g.node_of(at(2)).expect("b");
        assert_ne!(a, b);
        let unnamed = g.node_of(at(4)).expect("the unnamed run");
        assert!(unnamed != a && unnamed != b);
        assert_eq!(g.node_of(at(5)), None);
        assert_eq!(g.node_of(CmdRef { file: 1, cmd: 0 }), None);
        assert_eq!(g.nodes[a].runs, vec![at(1), at(3)]);
        let link = &g.links[0];
        assert_eq!((link.consumer, link.target, link.at), (b, Some(a), at(2)));
        assert_eq!(link.alias.as_deref(), Some("db"));
    }
}
