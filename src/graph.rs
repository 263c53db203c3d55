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

fn mermaid(p: &Project) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut clustered = vec![false; p.graph.nodes.len()];
    for net in &p.plan.networks {
        let _ = writeln!(
            out,
            "  subgraph {}[\"network {}\"]",
            sanitize(&net.name),
            net.name
        );
        for &m in &net.members {
            clustered[m] = true;
            let _ = writeln!(out, "    {}[\"{}\"]", id(m), p.graph.label(m));
        }
        out.push_str("  end\n");
    }
    for (n, done) in clustered.iter().enumerate() {
        if !done {
            let _ = writeln!(out, "  {}[\"{}\"]", id(n), p.graph.label(n));
        }
    }
    for (c, t, alias) in edges(p) {
        let _ = writeln!(out, "  {} -->|{}| {}", id(c), alias, id(t));
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
    let mut clustered = vec![false; p.graph.nodes.len()];
    for (i, net) in p.plan.networks.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label=\"network {}\";",
            net.name
        );
        for &m in &net.members {
            clustered[m] = true;
            let _ = writeln!(out, "    {} [label=\"{}\"];", id(m), p.graph.label(m));
        }
        out.push_str("  }\n");
    }
    for (n, done) in clustered.iter().enumerate() {
        if !done {
            let _ = writeln!(out, "  {} [label=\"{}\"];", id(n), p.graph.label(n));
        }
    }
    for (c, t, alias) in edges(p) {
        let _ = writeln!(out, "  {} -> {} [label=\"{}\"];", id(c), id(t), alias);
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
