//! `unlink graph`: containers as nodes, links as edges labelled with their
//! alias, planned networks as clusters. Output order follows the input, so
//! the same files always give the same text.

use crate::cli::GraphFormat;
use crate::project::Project;
use std::fmt::Write;

pub fn render(p: &Project, format: GraphFormat) -> String {
    match format {
        GraphFormat::Mermaid => mermaid(p),
        GraphFormat::Dot => dot(p),
        GraphFormat::Json => json(p),
    }
}

fn id(n: usize) -> String {
    format!("c{n}")
}

fn edges(p: &Project) -> Vec<(usize, usize, String)> {
    p.graph
        .links
        .iter()
        .filter_map(|e| Some((e.consumer, e.target?, e.alias.clone().unwrap_or_default())))
        .collect()
}

/// For each node, the networks it joins, in plan order; a node is drawn in
/// the cluster of its first network and tied to the others with a dotted line
/// (neither mermaid nor dot can put one node in two clusters).
fn homes(p: &Project) -> (Vec<Option<usize>>, Vec<(usize, usize)>) {
    let mut home = vec![None; p.graph.nodes.len()];
    let mut extra = Vec::new();
    for (ni, net) in p.plan.networks.iter().enumerate() {
        for &m in &net.members {
            if home[m].is_none() {
                home[m] = Some(ni);
            } else {
                extra.push((m, ni));
            }
        }
    }
    (home, extra)
}

fn mermaid(p: &Project) -> String {
    let mut out = String::from("flowchart LR\n");
    let (home, extra) = homes(p);
    for (ni, net) in p.plan.networks.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph {}[\"network {}\"]",
            sanitize(&net.name),
            net.name
        );
        for &m in net.members.iter().filter(|&&m| home[m] == Some(ni)) {
            let _ = writeln!(out, "    {}[\"{}\"]", id(m), p.graph.label(m));
        }
        out.push_str("  end\n");
    }
    for (n, h) in home.iter().enumerate() {
        if h.is_none() {
            let _ = writeln!(out, "  {}[\"{}\"]", id(n), p.graph.label(n));
        }
    }
    for (c, t, alias) in edges(p) {
        let _ = writeln!(out, "  {} -->|{}| {}", id(c), alias, id(t));
    }
    for (m, ni) in extra {
        let _ = writeln!(
            out,
            "  {} -.- {}",
            id(m),
            sanitize(&p.plan.networks[ni].name)
        );
    }
    out
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn dot(p: &Project) -> String {
    let mut out = String::from("digraph links {\n  rankdir=LR;\n");
    let (home, extra) = homes(p);
    for (ni, net) in p.plan.networks.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{ni} {{\n    label=\"network {}\";",
            net.name
        );
        let _ = writeln!(out, "    net_{ni} [shape=point, style=invis];");
        for &m in net.members.iter().filter(|&&m| home[m] == Some(ni)) {
            let _ = writeln!(out, "    {} [label=\"{}\"];", id(m), p.graph.label(m));
        }
        out.push_str("  }\n");
    }
    for (n, h) in home.iter().enumerate() {
        if h.is_none() {
            let _ = writeln!(out, "  {} [label=\"{}\"];", id(n), p.graph.label(n));
        }
    }
    for (c, t, alias) in edges(p) {
        let _ = writeln!(out, "  {} -> {} [label=\"{}\"];", id(c), id(t), alias);
    }
    for (m, ni) in extra {
        let _ = writeln!(
            out,
            "  {} -> net_{ni} [style=dashed, arrowhead=none];",
            id(m)
        );
    }
    out.push_str("}\n");
    out
}

fn json(p: &Project) -> String {
    let nodes: Vec<_> = (0..p.graph.nodes.len())
        .map(|n| serde_json::json!({"id": id(n), "name": p.graph.nodes[n].name}))
        .collect();
    let links: Vec<_> = p
        .graph
        .links
        .iter()
        .map(|e| {
            serde_json::json!({
                "consumer": id(e.consumer),
                "target": e.target.map(id),
                "target_name": e.target_name,
                "alias": e.alias,
                "legacy": e.legacy,
                "file": p.inputs[e.at.file].path.to_string_lossy().replace('\\', "/"),
            })
        })
        .collect();
    let networks: Vec<_> = p
        .plan
        .networks
        .iter()
        .map(|n| serde_json::json!({"name": n.name, "members": n.members.iter().map(|&m| id(m)).collect::<Vec<_>>(), "managed": n.managed}))
        .collect();
    let mut s = serde_json::to_string_pretty(
        &serde_json::json!({"containers": nodes, "links": links, "networks": networks}),
    )
    .unwrap_or_default();
    s.push('\n');
    s
}
