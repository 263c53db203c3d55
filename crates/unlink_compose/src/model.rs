//! The compose project as unlink sees it: which files, which services, and
//! for each service where its keys physically live (own mapping, an anchor
//! merged with `<<`, the override file, an `extends` base).

use std::path::{Path, PathBuf};

use crate::text::Layout;
use crate::yaml::{self, Doc, Kind, NodeId};
use crate::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Main,
    Override,
    /// Read for `extends:` only; never edited.
    Extends,
}

#[derive(Debug)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub doc: Doc,
    pub format: Format,
    pub layout: Layout,
    pub role: Role,
    /// The mapping that holds the services (the root for version 1).
    pub services_map: Option<NodeId>,
}

impl SourceFile {
    pub fn parse(path: &Path, text: &str, role: Role) -> Result<SourceFile, yaml::SyntaxError> {
        let doc = yaml::parse(text)?;
        let layout = Layout::detect(text, &doc);
        let (format, services_map) = classify(&doc);
        Ok(SourceFile {
            path: path.to_path_buf(),
            text: text.to_string(),
            doc,
            format,
            layout,
            role,
            services_map,
        })
    }

    /// Services written in this file: (name, key node, body mapping).
    pub fn services(&self) -> Vec<(String, NodeId, NodeId)> {
        let Some(map) = self.services_map else {
            return vec![];
        };
        let mut out: Vec<(String, NodeId, NodeId)> = vec![];
        for &(k, v) in self.doc.entries(map) {
            let Some(name) = self.doc.str(k) else {
                continue;
            };
            if self.format == Format::V1 && (name == "version" || name.starts_with("x-")) {
                continue;
            }
            if name == "<<" {
                continue;
            }
            let Some(body) = self.doc.resolve(v) else {
                continue;
            };
            if !self.doc.is_map(body) {
                continue;
            }
            if let Some(existing) = out.iter_mut().find(|(n, _, _)| n == name) {
                *existing = (name.to_string(), k, body);
            } else {
                out.push((name.to_string(), k, body));
            }
        }
        out
    }

    /// The physical key path of a node, in the file as it will be after a
    /// version 1 file is converted (services moved under `services:`).
    pub fn path_after_conversion(&self, node: NodeId) -> Option<Vec<String>> {
        let mut p = self.doc.path_to(node)?;
        if self.format == Format::V1 {
            p.insert(0, "services".to_string());
        }
        Some(p)
    }
}

/// Decide the file format and where the services are.
pub(crate) fn classify(doc: &Doc) -> (Format, Option<NodeId>) {
    let Some(root) = doc.root else {
        return (Format::Unknown, None);
    };
    if !doc.is_map(root) {
        return (Format::Unknown, None);
    }
    let version = doc
        .get(root, "version")
        .and_then(|(_, v)| doc.str(v))
        .map(str::to_string);
    if let Some((_, services)) = doc.get(root, "services") {
        let services = doc.resolve(services);
        let format = match version.as_deref() {
            None => Format::Spec,
            Some(v) => Format::from_version(v),
        };
        // `services:` as a service name in a version 1 file is possible in
        // theory; a services value that is a mapping of mappings decides.
        return (format, services.filter(|&s| doc.is_map(s)));
    }
    if version.as_deref().is_some_and(|v| !v.starts_with('1')) {
        return (Format::from_version(version.as_deref().unwrap_or("")), None);
    }
    // Version 1: services at the top level.
    let looks_v1 = doc.entries(root).iter().any(|&(k, v)| {
        let name = doc.str(k).unwrap_or("");
        name != "version" && !name.starts_with("x-") && doc.is_map(v) && {
            let keys = doc.merged_keys(v);
            keys.iter().any(|k| SERVICE_KEYS.contains(&k.as_str()))
        }
    });
    if looks_v1 {
        (Format::V1, Some(root))
    } else {
        (Format::Unknown, None)
    }
}

/// Keys that only a service has; used to recognise version 1 files.
pub(crate) const SERVICE_KEYS: &[&str] = &[
    "image",
    "build",
    "links",
    "external_links",
    "command",
    "ports",
    "volumes",
    "environment",
    "net",
    "network_mode",
    "container_name",
    "depends_on",
    "entrypoint",
    "expose",
    "restart",
    "volumes_from",
];

/// One place a service is written: its own mapping in one file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    pub file: usize,
    pub key: NodeId,
    pub body: NodeId,
}

#[derive(Debug, Clone)]
pub(crate) struct Svc {
    pub name: String,
    pub parts: Vec<Part>,
}

/// The project: main file, optional override, files read for `extends`.
#[derive(Debug)]
pub(crate) struct Model {
    pub files: Vec<SourceFile>,
    pub services: Vec<Svc>,
}

/// A value found for a service key: which file, and where.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub file: usize,
    pub part: Part,
    pub found: yaml::Found,
}

impl Model {
    pub fn new(files: Vec<SourceFile>) -> Model {
        let mut services: Vec<Svc> = vec![];
        for (fi, f) in files.iter().enumerate() {
            if f.role == Role::Extends {
                continue;
            }
            for (name, key, body) in f.services() {
                let part = Part {
                    file: fi,
                    key,
                    body,
                };
                match services.iter_mut().find(|s| s.name == name) {
                    Some(s) => s.parts.push(part),
                    None => services.push(Svc {
                        name,
                        parts: vec![part],
                    }),
                }
            }
        }
        Model { files, services }
    }

    /// Every place `key` is found for a service, through merge keys, in
    /// file order (main before override).
    pub fn hits(&self, svc: &Svc, key: &str) -> Vec<Hit> {
        svc.parts
            .iter()
            .filter_map(|p| {
                let doc = &self.files[p.file].doc;
                doc.get_merged(p.body, key).map(|found| Hit {
                    file: p.file,
                    part: *p,
                    found,
                })
            })
            .collect()
    }

    /// The value that wins for a scalar key (override beats main; falls
    /// back to the `extends` base).
    pub fn scalar(&self, svc: &Svc, key: &str) -> Option<(String, Option<Hit>)> {
        if let Some(hit) = self.hits(svc, key).last() {
            let doc = &self.files[hit.file].doc;
            return doc
                .str(hit.found.value)
                .map(|s| (s.to_string(), Some(*hit)));
        }
        self.extends_value(svc, key, 0).map(|s| (s, None))
    }

    fn extends_value(&self, svc: &Svc, key: &str, depth: usize) -> Option<String> {
        if depth > yaml::MAX_DEPTH {
            return None;
        }
        let (file, body) = self.extends_base(svc)?;
        let doc = &self.files[file].doc;
        if let Some(found) = doc.get_merged(body, key) {
            return doc.str(found.value).map(str::to_string);
        }
        let name = self.files[file]
            .services()
            .into_iter()
            .find(|(_, _, b)| *b == body)
            .map(|(n, _, _)| n)?;
        let base = Svc {
            name,
            parts: vec![Part {
                file,
                key: body,
                body,
            }],
        };
        self.extends_value(&base, key, depth + 1)
    }

    /// The service an `extends:` points at: (file index, body).
    pub fn extends_base(&self, svc: &Svc) -> Option<(usize, NodeId)> {
        let hit = self.hits(svc, "extends").pop()?;
        let f = &self.files[hit.file];
        let doc = &f.doc;
        let (service, file) = if let Some(s) = doc.str(hit.found.value) {
            (s.to_string(), None)
        } else {
            let s = doc
                .get(hit.found.value, "service")
                .and_then(|(_, v)| doc.str(v))?;
            let file = doc
                .get(hit.found.value, "file")
                .and_then(|(_, v)| doc.str(v));
            (s.to_string(), file.map(str::to_string))
        };
        let target_file = match file {
            None => hit.file,
            Some(rel) => {
                let wanted = f.path.parent().unwrap_or(Path::new("")).join(rel);
                self.files
                    .iter()
                    .position(|g| same_path(&g.path, &wanted))?
            }
        };
        let found = self.files[target_file]
            .services()
            .into_iter()
            .find(|(n, _, _)| *n == service)
            .map(|(_, _, b)| b)?;
        if target_file == hit.file && found == hit.part.body {
            return None;
        }
        Some((target_file, found))
    }

    /// The networks a service is attached to, in order, with the aliases
    /// it holds on each. `None` when the service sets `network_mode`.
    pub fn networks(&self, svc: &Svc) -> Networks {
        let mut out = Networks::default();
        let hits = self.hits(svc, "networks");
        let mut sources: Vec<(usize, NodeId)> =
            hits.iter().map(|h| (h.file, h.found.value)).collect();
        if sources.is_empty() {
            if let Some((file, body)) = self.extends_base(svc) {
                if let Some(found) = self.files[file].doc.get_merged(body, "networks") {
                    sources.push((file, found.value));
                }
            }
        }
        for (file, value) in sources {
            out.declared = true;
            let doc = &self.files[file].doc;
            let Some(value) = doc.resolve(value) else {
                continue;
            };
            match &doc.node(value).kind {
                Kind::Seq { items } => {
                    for &i in items {
                        if let Some(n) = doc.str(i) {
                            out.add(n, None);
                        }
                    }
                }
                Kind::Map { entries } => {
                    for &(k, v) in entries {
                        let Some(n) = doc.str(k) else { continue };
                        out.add(n, None);
                        if let Some((_, aliases)) = doc.get(v, "aliases") {
                            for &a in doc.items(aliases) {
                                if let Some(a) = doc.str(a) {
                                    out.add(n, Some(a));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if !out.declared {
            out.add("default", None);
        }
        out
    }
}

/// Networks of one service and its aliases on each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Networks {
    /// True when the service writes `networks:` (else it is on `default`).
    pub declared: bool,
    pub list: Vec<(String, Vec<String>)>,
}

impl Networks {
    pub fn add(&mut self, net: &str, alias: Option<&str>) {
        let idx = match self.list.iter().position(|(n, _)| n == net) {
            Some(i) => i,
            None => {
                self.list.push((net.to_string(), vec![]));
                self.list.len() - 1
            }
        };
        if let Some(a) = alias {
            if !self.list[idx].1.iter().any(|x| x == a) {
                self.list[idx].1.push(a.to_string());
            }
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.list.iter().map(|(n, _)| n.clone()).collect()
    }

    pub fn has(&self, net: &str) -> bool {
        self.list.iter().any(|(n, _)| n == net)
    }

    pub fn aliases(&self, net: &str) -> &[String] {
        self.list
            .iter()
            .find(|(n, _)| n == net)
            .map_or(&[], |(_, a)| a.as_slice())
    }
}

fn same_path(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    };
    norm(a) == norm(b)
}
