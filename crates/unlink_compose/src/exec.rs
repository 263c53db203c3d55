//! Carrying out one [`Action`] on the current text of one file.
//!
//! Each function reads the freshly parsed document, finds its place by key
//! path and returns byte-range edits that touch only the lines it changes.
//! Inserted lines take the file's line ending and indentation habits. Every
//! function first checks whether its work is already done, so running an
//! action twice changes nothing.

use unlink_edit::Edit;

use crate::plan::{Action, DepForm};
use crate::text::{
    column, first_on_line, insertion, line_content_end, line_start, next_line_start, scalar,
    trailing_comment, Layout,
};
use crate::yaml::{Doc, Kind, NodeId};

pub(crate) type Result<T> = std::result::Result<T, String>;

pub(crate) fn run(action: &Action, text: &str, doc: &Doc, layout: &Layout) -> Result<Vec<Edit>> {
    let cx = Cx { text, doc, layout };
    match action {
        Action::ConvertV1 => cx.convert_v1(),
        Action::RemoveKey { holder, key } => cx.remove_key(&cx.map_at(holder)?, key),
        Action::AddExternalNetwork { name } => cx.add_external_network(name),
        Action::AddProjectNetworks { names } => cx.add_project_networks(names),
        Action::AddServiceNetwork {
            holder,
            network,
            implicit,
            comment,
        } => cx.add_service_network(cx.map_at(holder)?, network, implicit, comment.as_deref()),
        Action::AddAlias {
            holder,
            network,
            alias,
            implicit,
            comment,
        } => cx.add_alias(
            cx.map_at(holder)?,
            network,
            alias,
            implicit,
            comment.as_deref(),
        ),
        Action::AddDependsOn {
            holder,
            targets,
            form,
            after_key,
        } => cx.add_depends_on(cx.map_at(holder)?, targets, form, after_key.as_deref()),
        Action::EditLinks {
            holder,
            key,
            remove,
            rename,
            strip_comment,
        } => cx.edit_links(
            cx.map_at(holder)?,
            key,
            remove,
            rename.as_deref(),
            strip_comment,
        ),
    }
}

struct Cx<'a> {
    text: &'a str,
    doc: &'a Doc,
    layout: &'a Layout,
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

fn comment_suffix(c: Option<&str>) -> &str {
    c.unwrap_or("")
}

impl Cx<'_> {
    fn map_at(&self, path: &[String]) -> Result<NodeId> {
        let id = self
            .doc
            .at_path(path)
            .ok_or_else(|| format!("cannot find `{}`", path.join(".")))?;
        if !self.doc.is_map(id) {
            return Err(format!("`{}` is not a mapping", path.join(".")));
        }
        Ok(id)
    }

    fn node(&self, id: NodeId) -> &crate::yaml::Node {
        self.doc.node(id)
    }

    /// Column of a block mapping's keys.
    fn key_indent(&self, map: NodeId) -> usize {
        match self.doc.entries(map).first() {
            Some(&(k, _)) => column(self.text, self.node(k).start),
            None => column(self.text, self.node(map).content_start),
        }
    }

    fn entry_end(&self, k: NodeId, v: NodeId) -> usize {
        self.node(k).end.max(self.node(v).end)
    }

    /// Where new lines go after the entry `k: v` (start of the next line).
    fn after_entry(&self, k: NodeId, v: NodeId) -> usize {
        next_line_start(self.text, self.entry_end(k, v))
    }

    fn insert_lines(&self, at: usize, lines: &[String]) -> Edit {
        Edit::insert(at, insertion(self.text, at, lines, self.layout))
    }

    /// Lines of a block sequence under a key at column `key_col`.
    fn seq_lines(&self, key_col: usize, items: &[(String, Option<&str>)]) -> Vec<String> {
        let ind = spaces(key_col + self.layout.seq_offset);
        items
            .iter()
            .map(|(v, c)| format!("{ind}- {}{}", scalar(v), comment_suffix(*c)))
            .collect()
    }

    /// The `-` of a block sequence item.
    fn dash_of(&self, item: NodeId) -> Result<usize> {
        let b = self.text.as_bytes();
        let mut p = self.node(item).start;
        while p > 0 && b[p - 1] == b' ' {
            p -= 1;
        }
        if p > 0 && b[p - 1] == b'-' && first_on_line(self.text, p - 1) {
            Ok(p - 1)
        } else {
            Err("a sequence item that does not start its line".into())
        }
    }

    /// The bytes of a block sequence item's lines.
    fn item_lines(&self, item: NodeId) -> Result<std::ops::Range<usize>> {
        let dash = self.dash_of(item)?;
        Ok(line_start(self.text, dash)..next_line_start(self.text, self.node(item).end))
    }

    /// The position just after the `:` that follows a block key.
    fn after_colon(&self, k: NodeId) -> Result<usize> {
        let b = self.text.as_bytes();
        let mut p = self.node(k).end;
        while p < b.len() && b[p] == b' ' {
            p += 1;
        }
        if p < b.len() && b[p] == b':' {
            Ok(p + 1)
        } else {
            Err("cannot find the `:` after a key".into())
        }
    }

    /// Insert `, x` (or `x`) before the closing bracket of a flow collection.
    fn flow_append(&self, coll: NodeId, piece: &str) -> Edit {
        let n = self.node(coll);
        let last_end = match &n.kind {
            Kind::Seq { items } => items.last().map(|&i| self.node(i).end),
            Kind::Map { entries } => entries.last().map(|&(k, v)| self.entry_end(k, v)),
            _ => None,
        };
        match last_end {
            Some(e) => Edit::insert(e, format!(", {piece}")),
            None => Edit::insert(n.end - 1, piece.to_string()),
        }
    }

    fn is_empty_null(&self, v: NodeId) -> bool {
        self.doc.is_null(v) && self.node(v).start == self.node(v).end
    }

    // ---- actions ----

    fn convert_v1(&self) -> Result<Vec<Edit>> {
        let root = self.doc.root.ok_or("empty file")?;
        let entries = self.doc.entries(root);
        let &(k0, _) = entries.first().ok_or("no services")?;
        if self.doc.get(root, "services").is_some() {
            return Ok(vec![]);
        }
        let text = self.text;
        let first_line = line_start(text, self.node(k0).start);
        // Comments right above the first service belong to it, unless they
        // open the file (a header).
        let mut block_start = first_line;
        while block_start > 0 {
            let prev = line_start(text, block_start - 1);
            if text[prev..block_start].trim_start().starts_with('#') {
                block_start = prev;
            } else {
                break;
            }
        }
        let before = &text[..block_start];
        let header = before
            .lines()
            .all(|l| l.trim().is_empty() || l.trim() == "---" || l.starts_with('%'));
        let at = if header { first_line } else { block_start };
        let mut edits = vec![];
        let version_entry = self.doc.get(root, "version");
        let mut skip = 0..0;
        let mut head = vec![];
        match version_entry {
            Some((vk, vv)) => {
                edits.push(Edit::replace(self.node(vv).start..self.node(vv).end, "'2'"));
                skip = line_start(text, self.node(vk).start)..self.after_entry(vk, vv);
            }
            None => head.push("version: '2'".to_string()),
        }
        head.push("services:".to_string());
        edits.push(Edit::insert(at, self.layout.lines(&head)));
        let unit = spaces(self.layout.unit);
        let mut pos = at;
        while pos < text.len() {
            let end = next_line_start(text, pos);
            let line = &text[pos..end];
            if !line.trim().is_empty() && !skip.contains(&pos) {
                edits.push(Edit::insert(pos, unit.clone()));
            }
            pos = end;
        }
        for &(k, v) in entries {
            if self.doc.str(k) == Some("version") {
                continue;
            }
            if let Some((nk, _)) = self.doc.get(v, "net") {
                edits.push(Edit::replace(
                    self.node(nk).start..self.node(nk).end,
                    "network_mode",
                ));
            }
        }
        Ok(edits)
    }

    fn remove_entry(&self, map: NodeId, k: NodeId, v: NodeId) -> Result<Vec<Edit>> {
        if self.node(map).flow {
            return self.flow_remove_entry(map, k);
        }
        if !first_on_line(self.text, self.node(k).start) {
            return Err("a key that does not start its line".into());
        }
        if self.doc.entries(map).len() == 1 {
            return Err("removing the only key would leave an empty mapping".into());
        }
        let key_line = line_start(self.text, self.node(k).start);
        let vn = self.node(v);
        let key_line_end = next_line_start(self.text, self.node(k).end);
        if vn.flow
            || !matches!(vn.kind, Kind::Seq { .. } | Kind::Map { .. })
            || vn.content_start < key_line_end
        {
            return Ok(vec![Edit::delete(key_line..self.after_entry(k, v))]);
        }
        // A block collection: delete the key line and each item's lines;
        // full-line comments between them stay where they are.
        let mut edits = vec![Edit::delete(key_line..key_line_end)];
        match &vn.kind {
            Kind::Seq { items } => {
                for &i in items {
                    edits.push(Edit::delete(self.item_lines(i)?));
                }
            }
            _ => {
                edits = vec![Edit::delete(key_line..self.after_entry(k, v))];
            }
        }
        Ok(edits)
    }

    fn flow_remove_entry(&self, map: NodeId, k: NodeId) -> Result<Vec<Edit>> {
        let entries = self.doc.entries(map);
        let idx = entries
            .iter()
            .position(|&(kk, _)| kk == k)
            .ok_or("no such key")?;
        let (_, v) = entries[idx];
        let start = self.node(k).start;
        let end = self.node(v).end.max(self.node(k).end);
        let range = if idx + 1 < entries.len() {
            start..self.node(entries[idx + 1].0).start
        } else if idx > 0 {
            let (pk, pv) = entries[idx - 1];
            self.entry_end(pk, pv)..end
        } else {
            start..end
        };
        Ok(vec![Edit::delete(range)])
    }

    fn remove_key(&self, map: &NodeId, key: &str) -> Result<Vec<Edit>> {
        match self.doc.get(*map, key) {
            None => Ok(vec![]),
            Some((k, v)) => self.remove_entry(*map, k, v),
        }
    }

    fn add_external_network(&self, name: &str) -> Result<Vec<Edit>> {
        let root = self.doc.root.ok_or("empty file")?;
        let u = self.layout.unit;
        match self.doc.get(root, "networks") {
            None => {
                let at = next_line_start(self.text, self.node(root).end);
                Ok(vec![self.insert_lines(
                    at,
                    &[
                        "networks:".to_string(),
                        format!("{}{}:", spaces(u), scalar(name)),
                        format!("{}external: true", spaces(2 * u)),
                    ],
                )])
            }
            Some((k, v)) => {
                if self.doc.get(v, name).is_some() {
                    return Ok(vec![]);
                }
                let vn = self.node(v);
                if vn.flow {
                    return Ok(vec![
                        self.flow_append(v, &format!("{}: {{external: true}}", scalar(name)))
                    ]);
                }
                if self.is_empty_null(v) {
                    let col = column(self.text, self.node(k).start);
                    return Ok(vec![self.insert_lines(
                        self.after_entry(k, v),
                        &[
                            format!("{}{}:", spaces(col + u), scalar(name)),
                            format!("{}external: true", spaces(col + 2 * u)),
                        ],
                    )]);
                }
                if !self.doc.is_map(v) {
                    return Err("top-level `networks` is not a mapping".into());
                }
                let ind = self.key_indent(v);
                Ok(vec![self.insert_lines(
                    self.after_entry(k, v),
                    &[
                        format!("{}{}:", spaces(ind), scalar(name)),
                        format!("{}external: true", spaces(ind + u)),
                    ],
                )])
            }
        }
    }

    /// Declare each of `names` (no settings) under the top-level
    /// `networks:`.
    fn add_project_networks(&self, names: &[String]) -> Result<Vec<Edit>> {
        let root = self.doc.root.ok_or("empty file")?;
        let u = self.layout.unit;
        let existing = self.doc.get(root, "networks");
        let names: Vec<&String> = names
            .iter()
            .filter(|n| existing.is_none_or(|(_, v)| self.doc.get(v, n).is_none()))
            .collect();
        if names.is_empty() {
            return Ok(vec![]);
        }
        let keys = |col: usize| -> Vec<String> {
            names
                .iter()
                .map(|n| format!("{}{}:", spaces(col), scalar(n)))
                .collect()
        };
        match existing {
            None => {
                let at = next_line_start(self.text, self.node(root).end);
                let mut lines = vec!["networks:".to_string()];
                lines.extend(keys(u));
                Ok(vec![self.insert_lines(at, &lines)])
            }
            Some((k, v)) => {
                if self.node(v).flow {
                    let pieces: Vec<String> = names
                        .iter()
                        .map(|n| format!("{}: {{}}", scalar(n)))
                        .collect();
                    return Ok(vec![self.flow_append(v, &pieces.join(", "))]);
                }
                if self.is_empty_null(v) {
                    let col = column(self.text, self.node(k).start);
                    return Ok(vec![
                        self.insert_lines(self.after_entry(k, v), &keys(col + u))
                    ]);
                }
                if !self.doc.is_map(v) {
                    return Err("top-level `networks` is not a mapping".into());
                }
                let ind = self.key_indent(v);
                Ok(vec![self.insert_lines(self.after_entry(k, v), &keys(ind))])
            }
        }
    }

    fn add_service_network(
        &self,
        svc: NodeId,
        network: &str,
        implicit: &[String],
        comment: Option<&str>,
    ) -> Result<Vec<Edit>> {
        match self.doc.get(svc, "networks") {
            None => {
                let mut names: Vec<(String, Option<&str>)> =
                    implicit.iter().map(|n| (n.clone(), None)).collect();
                if !implicit.iter().any(|n| n == network) {
                    names.push((network.to_string(), comment));
                }
                if self.node(svc).flow {
                    let list: Vec<String> = names.iter().map(|(n, _)| scalar(n)).collect();
                    return Ok(vec![
                        self.flow_append(svc, &format!("networks: [{}]", list.join(", ")))
                    ]);
                }
                let col = self.key_indent(svc);
                let mut lines = vec![format!("{}networks:", spaces(col))];
                lines.extend(self.seq_lines(col, &names));
                Ok(vec![self.insert_lines(
                    next_line_start(self.text, self.node(svc).end),
                    &lines,
                )])
            }
            Some((k, v)) => {
                let vn = self.node(v);
                match &vn.kind {
                    Kind::Seq { items } => {
                        if items.iter().any(|&i| self.doc.str(i) == Some(network)) {
                            return Ok(vec![]);
                        }
                        if vn.flow {
                            return Ok(vec![self.flow_append(v, &scalar(network))]);
                        }
                        let last = *items.last().ok_or("empty networks list")?;
                        let dash = self.dash_of(last)?;
                        let col = column(self.text, dash);
                        Ok(vec![self.insert_lines(
                            next_line_start(self.text, self.node(last).end),
                            &[format!(
                                "{}- {}{}",
                                spaces(col),
                                scalar(network),
                                comment_suffix(comment)
                            )],
                        )])
                    }
                    Kind::Map { .. } => {
                        if self.doc.get(v, network).is_some() {
                            return Ok(vec![]);
                        }
                        if vn.flow {
                            return Ok(vec![
                                self.flow_append(v, &format!("{}: {{}}", scalar(network)))
                            ]);
                        }
                        let ind = self.key_indent(v);
                        Ok(vec![self.insert_lines(
                            self.after_entry(k, v),
                            &[format!(
                                "{}{}:{}",
                                spaces(ind),
                                scalar(network),
                                comment_suffix(comment)
                            )],
                        )])
                    }
                    _ if self.is_empty_null(v) => {
                        let col = column(self.text, self.node(k).start);
                        Ok(vec![self.insert_lines(
                            self.after_entry(k, v),
                            &self.seq_lines(col, &[(network.to_string(), comment)]),
                        )])
                    }
                    _ => Err("`networks` is neither a list nor a mapping".into()),
                }
            }
        }
    }

    /// Lines `aliases:` + `- alias` under a network key at column `net_col`.
    fn alias_lines(&self, net_col: usize, alias: &str, comment: Option<&str>) -> Vec<String> {
        let col = net_col + self.layout.unit;
        let mut lines = vec![format!("{}aliases:", spaces(col))];
        lines.extend(self.seq_lines(col, &[(alias.to_string(), comment)]));
        lines
    }

    fn add_alias(
        &self,
        svc: NodeId,
        network: &str,
        alias: &str,
        implicit: &[String],
        comment: Option<&str>,
    ) -> Result<Vec<Edit>> {
        let u = self.layout.unit;
        let Some((k, v)) = self.doc.get(svc, "networks") else {
            let mut names: Vec<String> = implicit.to_vec();
            if !names.iter().any(|n| n == network) {
                names.push(network.to_string());
            }
            if self.node(svc).flow {
                let inner: Vec<String> = names
                    .iter()
                    .map(|n| {
                        if n == network {
                            format!("{}: {{aliases: [{}]}}", scalar(n), scalar(alias))
                        } else {
                            format!("{}: {{}}", scalar(n))
                        }
                    })
                    .collect();
                return Ok(vec![
                    self.flow_append(svc, &format!("networks: {{{}}}", inner.join(", ")))
                ]);
            }
            let col = self.key_indent(svc);
            let mut lines = vec![format!("{}networks:", spaces(col))];
            for n in &names {
                lines.push(format!("{}{}:", spaces(col + u), scalar(n)));
                if n == network {
                    lines.extend(self.alias_lines(col + u, alias, comment));
                }
            }
            return Ok(vec![self.insert_lines(
                next_line_start(self.text, self.node(svc).end),
                &lines,
            )]);
        };
        let vn = self.node(v);
        let key_col = column(self.text, self.node(k).start);
        match &vn.kind {
            Kind::Seq { items } => {
                // List form → map form, keeping each item's comment.
                let col = key_col + u;
                let names: Vec<String> = items
                    .iter()
                    .map(|&i| {
                        self.doc
                            .str(i)
                            .map(str::to_string)
                            .ok_or("a network that is not a name")
                    })
                    .collect::<std::result::Result<_, _>>()?;
                let mut edits = vec![];
                if vn.flow {
                    let colon = self.after_colon(k)?;
                    edits.push(Edit::delete(colon..vn.end));
                    let mut lines = vec![];
                    for n in &names {
                        lines.push(format!("{}{}:", spaces(col), scalar(n)));
                        if n == network {
                            lines.extend(self.alias_lines(col, alias, comment));
                        }
                    }
                    if !names.iter().any(|n| n == network) {
                        lines.push(format!("{}{}:", spaces(col), scalar(network)));
                        lines.extend(self.alias_lines(col, alias, comment));
                    }
                    edits.push(self.insert_lines(next_line_start(self.text, vn.end), &lines));
                    return Ok(edits);
                }
                for (&i, n) in items.iter().zip(&names) {
                    let range = self.item_lines(i)?;
                    let item = self.node(i);
                    let raw = &self.text[item.content_start..item.end];
                    let tail = &self.text[item.end..line_content_end(self.text, item.end)];
                    let mut lines = vec![format!("{}{}:{}", spaces(col), raw, tail)];
                    if n == network {
                        lines.extend(self.alias_lines(col, alias, comment));
                    }
                    let mut new = self.layout.lines(&lines);
                    if range.end == self.text.len() && !self.text.ends_with('\n') {
                        new.truncate(new.len() - self.layout.eol.len());
                    }
                    edits.push(Edit::replace(range, new));
                }
                if !names.iter().any(|n| n == network) {
                    let mut lines = vec![format!("{}{}:", spaces(col), scalar(network))];
                    lines.extend(self.alias_lines(col, alias, comment));
                    edits.push(self.insert_lines(next_line_start(self.text, vn.end), &lines));
                }
                Ok(edits)
            }
            Kind::Map { .. } if vn.flow => match self.doc.get(v, network) {
                None => Ok(vec![self.flow_append(
                    v,
                    &format!("{}: {{aliases: [{}]}}", scalar(network), scalar(alias)),
                )]),
                Some((_, nv)) => self.alias_into_network_value(nv, alias, comment, 0),
            },
            Kind::Map { .. } => match self.doc.get(v, network) {
                None => {
                    let col = self.key_indent(v);
                    let mut lines = vec![format!("{}{}:", spaces(col), scalar(network))];
                    lines.extend(self.alias_lines(col, alias, comment));
                    Ok(vec![self.insert_lines(self.after_entry(k, v), &lines)])
                }
                Some((nk, nv)) => {
                    let net_col = column(self.text, self.node(nk).start);
                    if self.doc.is_null(nv) {
                        let mut edits = vec![];
                        if self.node(nv).end > self.node(nv).start {
                            let colon = self.after_colon(nk)?;
                            edits.push(Edit::delete(colon..self.node(nv).end));
                        }
                        edits.push(self.insert_lines(
                            self.after_entry(nk, nv),
                            &self.alias_lines(net_col, alias, comment),
                        ));
                        return Ok(edits);
                    }
                    self.alias_into_network_value(nv, alias, comment, net_col)
                }
            },
            _ if self.is_empty_null(v) => {
                let mut lines = vec![];
                let col = key_col + u;
                let mut names: Vec<String> = implicit.to_vec();
                if !names.iter().any(|n| n == network) {
                    names.push(network.to_string());
                }
                for n in &names {
                    lines.push(format!("{}{}:", spaces(col), scalar(n)));
                    if n == network {
                        lines.extend(self.alias_lines(col, alias, comment));
                    }
                }
                Ok(vec![self.insert_lines(self.after_entry(k, v), &lines)])
            }
            _ => Err("`networks` is neither a list nor a mapping".into()),
        }
    }

    /// Add an alias inside a network's settings mapping.
    fn alias_into_network_value(
        &self,
        nv: NodeId,
        alias: &str,
        comment: Option<&str>,
        net_col: usize,
    ) -> Result<Vec<Edit>> {
        if !self.doc.is_map(nv) {
            return Err("network settings that are not a mapping".into());
        }
        let n = self.node(nv);
        match self.doc.get(nv, "aliases") {
            Some((ak, av)) => {
                if self
                    .doc
                    .items(av)
                    .iter()
                    .any(|&i| self.doc.str(i) == Some(alias))
                {
                    return Ok(vec![]);
                }
                let avn = self.node(av);
                if avn.flow || self.is_empty_null(av) {
                    if avn.flow {
                        return Ok(vec![self.flow_append(av, &scalar(alias))]);
                    }
                    let col = column(self.text, self.node(ak).start);
                    return Ok(vec![self.insert_lines(
                        self.after_entry(ak, av),
                        &self.seq_lines(col, &[(alias.to_string(), comment)]),
                    )]);
                }
                let last = *self.doc.items(av).last().ok_or("empty aliases")?;
                let dash = self.dash_of(last)?;
                Ok(vec![self.insert_lines(
                    next_line_start(self.text, self.node(last).end),
                    &[format!(
                        "{}- {}{}",
                        spaces(column(self.text, dash)),
                        scalar(alias),
                        comment_suffix(comment)
                    )],
                )])
            }
            None => {
                if n.flow {
                    return Ok(vec![
                        self.flow_append(nv, &format!("aliases: [{}]", scalar(alias)))
                    ]);
                }
                let col = self.key_indent(nv);
                let mut lines = vec![format!("{}aliases:", spaces(col))];
                lines.extend(self.seq_lines(col, &[(alias.to_string(), comment)]));
                let _ = net_col;
                Ok(vec![
                    self.insert_lines(next_line_start(self.text, n.end), &lines)
                ])
            }
        }
    }

    fn add_depends_on(
        &self,
        svc: NodeId,
        targets: &[(String, Option<String>)],
        form: &DepForm,
        after_key: Option<&str>,
    ) -> Result<Vec<Edit>> {
        let u = self.layout.unit;
        match self.doc.get(svc, "depends_on") {
            Some((k, v)) => {
                let existing = crate::plan::dep_names(self.doc, v);
                let new: Vec<&(String, Option<String>)> = targets
                    .iter()
                    .filter(|(t, _)| !existing.contains(t))
                    .collect();
                if new.is_empty() {
                    return Ok(vec![]);
                }
                let v = self.doc.resolve(v).ok_or("unresolvable depends_on")?;
                let vn = self.node(v);
                let is_map = self.doc.is_map(v);
                if vn.flow {
                    let pieces: Vec<String> = new
                        .iter()
                        .map(|(t, _)| {
                            if is_map {
                                format!("{}: {{condition: service_started}}", scalar(t))
                            } else {
                                scalar(t)
                            }
                        })
                        .collect();
                    return Ok(vec![self.flow_append(v, &pieces.join(", "))]);
                }
                if self.is_empty_null(v) {
                    let col = column(self.text, self.node(k).start);
                    let items: Vec<(String, Option<&str>)> =
                        new.iter().map(|(t, c)| (t.clone(), c.as_deref())).collect();
                    return Ok(vec![self.insert_lines(
                        self.after_entry(k, v),
                        &self.seq_lines(col, &items),
                    )]);
                }
                let at = next_line_start(self.text, vn.end);
                let mut lines = vec![];
                if is_map {
                    let col = self.key_indent(v);
                    for (t, c) in new {
                        lines.push(format!(
                            "{}{}:{}",
                            spaces(col),
                            scalar(t),
                            comment_suffix(c.as_deref())
                        ));
                        lines.push(format!("{}condition: service_started", spaces(col + u)));
                    }
                } else {
                    let last = *self.doc.items(v).last().ok_or("empty depends_on")?;
                    let col = column(self.text, self.dash_of(last)?);
                    for (t, c) in new {
                        lines.push(format!(
                            "{}- {}{}",
                            spaces(col),
                            scalar(t),
                            comment_suffix(c.as_deref())
                        ));
                    }
                }
                Ok(vec![self.insert_lines(at, &lines)])
            }
            None => {
                if self.node(svc).flow {
                    let list: Vec<String> = targets.iter().map(|(t, _)| scalar(t)).collect();
                    let piece = match form {
                        DepForm::List => format!("depends_on: [{}]", list.join(", ")),
                        DepForm::Map => format!(
                            "depends_on: {{{}}}",
                            list.iter()
                                .map(|t| format!("{t}: {{condition: service_started}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    return Ok(vec![self.flow_append(svc, &piece)]);
                }
                let col = self.key_indent(svc);
                let at = match after_key.and_then(|key| self.doc.get(svc, key)) {
                    Some((k, v)) => self.after_entry(k, v),
                    None => next_line_start(self.text, self.node(svc).end),
                };
                let mut lines = vec![format!("{}depends_on:", spaces(col))];
                match form {
                    DepForm::List => {
                        let items: Vec<(String, Option<&str>)> = targets
                            .iter()
                            .map(|(t, c)| (t.clone(), c.as_deref()))
                            .collect();
                        lines.extend(self.seq_lines(col, &items));
                    }
                    DepForm::Map => {
                        for (t, c) in targets {
                            lines.push(format!(
                                "{}{}:{}",
                                spaces(col + u),
                                scalar(t),
                                comment_suffix(c.as_deref())
                            ));
                            lines
                                .push(format!("{}condition: service_started", spaces(col + 2 * u)));
                        }
                    }
                }
                Ok(vec![self.insert_lines(at, &lines)])
            }
        }
    }

    /// A scalar's source text with its value replaced, quotes kept.
    fn rewrite_scalar(&self, item: NodeId, value: &str) -> String {
        let n = self.node(item);
        let raw = &self.text[n.content_start..n.end];
        match raw.chars().next() {
            Some(q @ ('"' | '\'')) => format!("{q}{value}{q}"),
            _ => scalar(value),
        }
    }

    fn edit_links(
        &self,
        holder: NodeId,
        key: &str,
        remove: &[usize],
        rename: Option<&[(usize, String)]>,
        strip_comment: &[usize],
    ) -> Result<Vec<Edit>> {
        let Some((k, v)) = self.doc.get(holder, key) else {
            return Ok(vec![]);
        };
        let aliased = matches!(self.node(v).kind, Kind::Alias { .. });
        let items: Vec<NodeId> = self.doc.items(v).to_vec();
        if rename.is_none() && remove.len() >= items.len() {
            return self.remove_entry(holder, k, v);
        }
        if aliased {
            return Err("cannot edit single entries of an aliased sequence".into());
        }
        let vn = self.node(v);
        let mut edits = vec![];
        if let Some(rewrites) = rename {
            edits.push(Edit::replace(
                self.node(k).start..self.node(k).end,
                "depends_on",
            ));
            if vn.flow {
                let kept: Vec<String> = rewrites
                    .iter()
                    .filter(|(i, _)| !remove.contains(i))
                    .map(|(i, t)| self.rewrite_scalar(items[*i], t))
                    .collect();
                edits.push(Edit::replace(
                    vn.content_start..vn.end,
                    format!("[{}]", kept.join(", ")),
                ));
                return Ok(edits);
            }
            for (i, t) in rewrites {
                if remove.contains(i) {
                    continue;
                }
                let n = self.node(items[*i]);
                let new = self.rewrite_scalar(items[*i], t);
                if self.text[n.content_start..n.end] != new {
                    edits.push(Edit::replace(n.content_start..n.end, new));
                }
                if strip_comment.contains(i) {
                    if let Some(c) = trailing_comment(self.text, n.end) {
                        edits.push(Edit::delete(c));
                    }
                }
            }
            for &i in remove {
                edits.push(Edit::delete(self.item_lines(items[i])?));
            }
            return Ok(edits);
        }
        if vn.flow {
            let kept: Vec<&str> = items
                .iter()
                .enumerate()
                .filter(|(i, _)| !remove.contains(i))
                .map(|(_, &n)| &self.text[self.node(n).start..self.node(n).end])
                .collect();
            edits.push(Edit::replace(
                vn.content_start..vn.end,
                format!("[{}]", kept.join(", ")),
            ));
            return Ok(edits);
        }
        for &i in remove {
            edits.push(Edit::delete(self.item_lines(items[i])?));
        }
        Ok(edits)
    }
}
