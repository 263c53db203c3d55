//! A located YAML tree: every node knows the bytes it came from.
//!
//! Built from `saphyr-parser` events (a YAML 1.2 parser with start/end marks
//! for every event). Marks count characters; this module turns them into byte
//! offsets once, so everything above works on bytes. Aliases stay aliases
//! (they point at the anchored node) and merge keys stay ordinary `<<`
//! entries: resolving them is the caller's business, with a depth limit, so a
//! recursive alias can never hang anything.
//!
//! Only the first document is built; compose reads exactly one.

use saphyr_parser::{Event, Parser, ScalarStyle};

pub(crate) type NodeId = usize;

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Single,
    Double,
    Block,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Scalar { value: String, style: Style },
    Seq { items: Vec<NodeId> },
    Map { entries: Vec<(NodeId, NodeId)> },
    Alias { target: Option<NodeId> },
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    /// First byte of the node, properties (`&anchor`, `!tag`) included.
    pub start: usize,
    /// First byte of the content, after the properties.
    pub content_start: usize,
    /// One past the last byte of content (trailing line breaks of block
    /// scalars excluded).
    pub end: usize,
    pub anchor: Option<String>,
    /// A `[..]` / `{..}` collection.
    pub flow: bool,
}

/// Where and why the text is not YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub nodes: Vec<Node>,
    pub root: Option<NodeId>,
    /// For each node that is the (non-alias) value of a mapping entry: the
    /// mapping and the key. Built on the first `path_to`.
    parents: std::sync::OnceLock<Vec<Option<(NodeId, NodeId)>>>,
}

/// How deep alias and merge chains are followed before giving up.
pub(crate) const MAX_DEPTH: usize = 32;

enum Frame {
    Seq(NodeId),
    Map(NodeId, Option<NodeId>, std::collections::HashSet<String>),
}

pub(crate) fn parse(text: &str) -> Result<Doc, SyntaxError> {
    let bytes_at = CharToByte::new(text);
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, NodeId> = Default::default();
    let mut root = None;
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            offset: bytes_at.get(e.marker().index()),
            message: e.info().to_string(),
        })?;
        let start = bytes_at.get(span.start.index());
        let end = bytes_at.get(span.end.index());
        let building = documents == 1;
        let finished = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        offset: start,
                        message: "a compose file holds one YAML document, found a second".into(),
                    });
                }
                None
            }
            _ if !building => None,
            Event::Scalar(value, style, anchor_id, _tag) => {
                let (anchor, content_start) = properties(text, start);
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::Single,
                    ScalarStyle::DoubleQuoted => Style::Double,
                    _ => Style::Block,
                };
                let mut end = end.max(content_start);
                if style == Style::Block {
                    let b = text.as_bytes();
                    while end > content_start && matches!(b[end - 1], b'\n' | b'\r' | b' ') {
                        end -= 1;
                    }
                }
                let id = nodes.len();
                nodes.push(Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        style,
                    },
                    start,
                    content_start: if style == Style::Block {
                        start
                    } else {
                        content_start
                    },
                    end,
                    anchor,
                    flow: false,
                });
                if anchor_id > 0 {
                    anchors.insert(anchor_id, id);
                }
                Some(id)
            }
            Event::Alias(anchor_id) => {
                let id = nodes.len();
                nodes.push(Node {
                    kind: Kind::Alias {
                        target: anchors.get(&anchor_id).copied(),
                    },
                    start,
                    content_start: start,
                    end,
                    anchor: None,
                    flow: false,
                });
                Some(id)
            }
            Event::SequenceStart(anchor_id, _) | Event::MappingStart(anchor_id, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let (anchor, mut content_start) = properties(text, start);
                let b = text.as_bytes();
                while content_start < b.len() && matches!(b[content_start], b' ' | b'\t') {
                    content_start += 1;
                }
                let flow = content_start < b.len() && matches!(b[content_start], b'[' | b'{');
                let id = nodes.len();
                nodes.push(Node {
                    kind: if is_map {
                        Kind::Map { entries: vec![] }
                    } else {
                        Kind::Seq { items: vec![] }
                    },
                    start,
                    content_start,
                    end: content_start,
                    anchor,
                    flow,
                });
                if anchor_id > 0 {
                    anchors.insert(anchor_id, id);
                }
                stack.push(if is_map {
                    Frame::Map(id, None, Default::default())
                } else {
                    Frame::Seq(id)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let id = match stack.pop() {
                    Some(Frame::Seq(id)) | Some(Frame::Map(id, _, _)) => id,
                    None => {
                        return Err(SyntaxError {
                            offset: start,
                            message: "unbalanced collection end".into(),
                        })
                    }
                };
                let last_child_end = match &nodes[id].kind {
                    Kind::Seq { items } => items.last().map(|&i| nodes[i].end),
                    Kind::Map { entries } => {
                        entries.last().map(|&(k, v)| nodes[k].end.max(nodes[v].end))
                    }
                    _ => None,
                };
                let node = &mut nodes[id];
                node.end = if node.flow {
                    end
                } else {
                    last_child_end.unwrap_or(node.content_start)
                };
                Some(id)
            }
            _ => None,
        };
        if let Some(id) = finished {
            if let Some(Frame::Seq(parent) | Frame::Map(parent, None, _)) = stack.last() {
                let parent = *parent;
                let first = match &nodes[parent].kind {
                    Kind::Seq { items } => items.is_empty(),
                    Kind::Map { entries } => entries.is_empty(),
                    _ => false,
                };
                if first && !nodes[parent].flow {
                    let mut child_start = nodes[id].start;
                    if matches!(nodes[parent].kind, Kind::Seq { .. }) {
                        let b = text.as_bytes();
                        let mut p = child_start;
                        while p > 0 && b[p - 1] == b' ' {
                            p -= 1;
                        }
                        if p > 0 && b[p - 1] == b'-' {
                            child_start = p - 1;
                        }
                    }
                    let p = &mut nodes[parent];
                    p.content_start = child_start;
                    p.start = p.start.min(child_start);
                }
            }
            match stack.last_mut() {
                Some(Frame::Seq(parent)) => {
                    let parent = *parent;
                    if let Kind::Seq { items } = &mut nodes[parent].kind {
                        items.push(id);
                    }
                }
                Some(Frame::Map(parent, pending, seen)) => {
                    let parent = *parent;
                    match pending.take() {
                        None => {
                            if let Kind::Scalar { value, .. } = &nodes[id].kind {
                                if !seen.insert(value.clone()) {
                                    return Err(SyntaxError {
                                        offset: nodes[id].start,
                                        message: format!("duplicate key `{value}` in one mapping"),
                                    });
                                }
                            }
                            *pending = Some(id);
                        }
                        Some(key) => {
                            if let Kind::Map { entries } = &mut nodes[parent].kind {
                                entries.push((key, id));
                            }
                        }
                    }
                }
                None => {
                    if root.is_none() {
                        root = Some(id);
                    }
                }
            }
        }
    }
    Ok(Doc {
        nodes,
        root,
        parents: Default::default(),
    })
}

/// Skip `&anchor` and `!tag` properties at `at`; returns the anchor name and
/// where the content starts.
fn properties(text: &str, at: usize) -> (Option<String>, usize) {
    let b = text.as_bytes();
    let mut pos = at;
    let mut anchor = None;
    loop {
        while pos < b.len() && matches!(b[pos], b' ' | b'\t') {
            pos += 1;
        }
        if pos < b.len() && (b[pos] == b'&' || b[pos] == b'!') {
            let tok_start = pos;
            while pos < b.len()
                && !matches!(
                    b[pos],
                    b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}'
                )
            {
                pos += 1;
            }
            if b[tok_start] == b'&' {
                anchor = Some(text[tok_start + 1..pos].to_string());
            }
            continue;
        }
        break;
    }
    if anchor.is_none() && pos == at {
        return (None, at);
    }
    (anchor, pos.min(b.len()))
}

struct CharToByte {
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharToByte {
                table: None,
                len: text.len(),
            };
        }
        let mut table: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        table.push(text.len());
        CharToByte {
            table: Some(table),
            len: text.len(),
        }
    }

    fn get(&self, index: usize) -> usize {
        match &self.table {
            None => index.min(self.len),
            Some(t) => t.get(index).copied().unwrap_or(self.len),
        }
    }
}

impl Doc {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Follow aliases to the node they name (bounded).
    pub fn resolve(&self, mut id: NodeId) -> Option<NodeId> {
        for _ in 0..MAX_DEPTH {
            match self.nodes[id].kind {
                Kind::Alias { target } => id = target?,
                _ => return Some(id),
            }
        }
        None
    }

    /// The string value of a scalar (aliases followed).
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[self.resolve(id)?].kind {
            Kind::Scalar { value, .. } => Some(value.as_str()),
            _ => None,
        }
    }

    pub fn is_null(&self, id: NodeId) -> bool {
        match &self.nodes[id].kind {
            Kind::Scalar { value, style } => {
                *style == Style::Plain
                    && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// Entries of a mapping (aliases followed for the mapping itself).
    pub fn entries(&self, id: NodeId) -> &[(NodeId, NodeId)] {
        match self.resolve(id).map(|i| &self.nodes[i].kind) {
            Some(Kind::Map { entries }) => entries,
            _ => &[],
        }
    }

    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.resolve(id).map(|i| &self.nodes[i].kind) {
            Some(Kind::Seq { items }) => items,
            _ => &[],
        }
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(
            self.resolve(id).map(|i| &self.nodes[i].kind),
            Some(Kind::Map { .. })
        )
    }

    /// The entry written under `key` in this very mapping (no merge keys).
    pub fn get(&self, map: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        self.entries(map)
            .iter()
            .rev()
            .find(|(k, _)| self.str(*k) == Some(key))
            .copied()
    }

    /// The entry that applies under `key`, looking through `<<` merge keys the
    /// way YAML 1.1 does: the mapping's own keys first, then each merged
    /// mapping in order. Returns the physical mapping that holds the entry.
    pub fn get_merged(&self, map: NodeId, key: &str) -> Option<Found> {
        self.get_merged_depth(map, key, 0)
    }

    fn get_merged_depth(&self, map: NodeId, key: &str, depth: usize) -> Option<Found> {
        if depth > MAX_DEPTH {
            return None;
        }
        let map = self.resolve(map)?;
        if let Some((k, v)) = self.get(map, key) {
            return Some(Found {
                holder: map,
                key: k,
                value: v,
            });
        }
        for source in self.merge_sources(map) {
            if let Some(found) = self.get_merged_depth(source, key, depth + 1) {
                return Some(found);
            }
        }
        None
    }

    /// The mappings merged into `map` by `<<`, in priority order.
    pub fn merge_sources(&self, map: NodeId) -> Vec<NodeId> {
        let mut out = vec![];
        let Some(map) = self.resolve(map) else {
            return out;
        };
        for &(k, v) in self.entries(map) {
            if self.str(k) != Some("<<") {
                continue;
            }
            let Some(v) = self.resolve(v) else { continue };
            match &self.nodes[v].kind {
                Kind::Map { .. } => out.push(v),
                Kind::Seq { items } => out.extend(
                    items
                        .iter()
                        .filter_map(|&i| self.resolve(i))
                        .filter(|&i| self.is_map(i)),
                ),
                _ => {}
            }
        }
        out
    }

    /// Every key visible in `map` through merges (own keys first), unique.
    pub fn merged_keys(&self, map: NodeId) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        let mut queue = vec![(map, 0usize)];
        let mut seen = vec![];
        while let Some((m, depth)) = queue.pop() {
            let Some(m) = self.resolve(m) else { continue };
            if depth > MAX_DEPTH || seen.contains(&m) {
                continue;
            }
            seen.push(m);
            for &(k, _) in self.entries(m) {
                if let Some(s) = self.str(k) {
                    if s != "<<" && !out.iter().any(|o| o == s) {
                        out.push(s.to_string());
                    }
                }
            }
            for s in self.merge_sources(m).into_iter().rev() {
                queue.push((s, depth + 1));
            }
        }
        out
    }

    /// Keys from the root to `target` through mappings only, if it is
    /// reachable that way (the physical place of the node).
    /// At most 17 keys deep. (The walk goes up from `target`, through an
    /// index of parents built once: the planner asks for many paths.)
    pub fn path_to(&self, target: NodeId) -> Option<Vec<String>> {
        let root = self.root?;
        let parents = self.parents.get_or_init(|| {
            let mut parents = vec![None; self.nodes.len()];
            for (id, node) in self.nodes.iter().enumerate() {
                if let Kind::Map { entries } = &node.kind {
                    for &(k, v) in entries {
                        if !matches!(self.nodes[v].kind, Kind::Alias { .. }) {
                            parents[v] = Some((id, k));
                        }
                    }
                }
            }
            parents
        });
        let mut path = vec![];
        let mut id = target;
        while id != root {
            let (map, key) = (*parents.get(id)?)?;
            let Kind::Scalar { value, .. } = &self.nodes[key].kind else {
                return None;
            };
            path.push(value.clone());
            if path.len() > 17 {
                return None;
            }
            id = map;
        }
        path.reverse();
        Some(path)
    }

    /// Follow a key path from the root through mappings only.
    pub fn at_path(&self, path: &[String]) -> Option<NodeId> {
        let mut id = self.root?;
        for key in path {
            let (_, v) = self.get(id, key)?;
            if matches!(self.nodes[v].kind, Kind::Alias { .. }) {
                return None;
            }
            id = v;
        }
        Some(id)
    }
}

/// A mapping entry found through merge keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    /// The mapping that physically holds the entry.
    pub holder: NodeId,
    pub key: NodeId,
    pub value: NodeId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes() {
        let text = "é: &a [x, 'y']\nb: *a\n";
        let doc = parse(text).unwrap();
        let root = doc.root.unwrap();
        let (_, v) = doc.get(root, "é").unwrap();
        assert_eq!(&text[doc.node(v).start..doc.node(v).end], "&a [x, 'y']");
        assert_eq!(doc.node(v).anchor.as_deref(), Some("a"));
        let (_, b) = doc.get(root, "b").unwrap();
        assert_eq!(doc.items(b).len(), 2);
        let y = doc.items(b)[1];
        assert_eq!(&text[doc.node(y).start..doc.node(y).end], "'y'");
    }

    #[test]
    fn block_collections_end_at_last_content() {
        let text = "a:\n  b: |\n    text\n\n  c:\n    - 1 # x\nd: 2\n";
        let doc = parse(text).unwrap();
        let (_, a) = doc.get(doc.root.unwrap(), "a").unwrap();
        assert_eq!(
            &text[doc.node(a).start..doc.node(a).end],
            "b: |\n    text\n\n  c:\n    - 1"
        );
    }

    #[test]
    fn recursive_alias_does_not_hang() {
        let doc = parse("a: &a [*a]\nb: &b {<<: *b}\n").unwrap();
        let root = doc.root.unwrap();
        let (_, b) = doc.get(root, "b").unwrap();
        assert!(doc.get_merged(b, "x").is_none());
        assert_eq!(doc.merged_keys(b), Vec::<String>::new());
    }

    #[test]
    fn tabs_are_a_positioned_error() {
        let err = parse("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(err.offset, 4);
    }

    #[test]
    fn merge_keys_are_followed() {
        let text = "x: &x {links: [db], image: a}\ny:\n  <<: *x\n  image: b\n";
        let doc = parse(text).unwrap();
        let (_, y) = doc.get(doc.root.unwrap(), "y").unwrap();
        let f = doc.get_merged(y, "links").unwrap();
        assert_ne!(f.holder, y);
        assert_eq!(
            doc.str(doc.get_merged(y, "image").unwrap().value),
            Some("b")
        );
        assert_eq!(doc.merged_keys(y), vec!["image", "links"]);
    }
}
