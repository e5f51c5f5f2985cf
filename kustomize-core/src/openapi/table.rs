//! The compact text form of a [`Schema`], in which the built-in schema is embedded.
//!
//! ```text
//! kbuild-openapi 1
//! N <node count>
//! <one line per node, in id order>
//! T <apiVersion> <kind> <node id>        resource types
//! S <apiVersion> <kind> <n|c>[p]         scopes: namespaced / cluster, p = kyaml's hard-coded
//! ```
//!
//! A node line is space-separated: `a` (an array) or `-`, then optionally `i<id>` (items),
//! `m<id>` (additionalProperties), `s<strategy>`, `k<key>,<key>…`, then `<property>=<id>` pairs
//! sorted by name. Structurally equal nodes are merged, so the table is the minimal graph that
//! answers every lookup the same way.

use super::{by_type_set, Id, Schema, SchemaNode, Scope};
use crate::error::{Error, ErrorKind, Result};
use compact_str::CompactString;
use std::collections::HashMap;
use std::fmt::Write as _;

const MAGIC: &str = "kbuild-openapi 1";

fn bad(line: usize, what: &str) -> Error {
    Error::new(
        ErrorKind::Kustomization,
        format!("openapi table line {}: {what}", line + 1),
    )
}

fn parse_id(s: &str, count: usize, line: usize) -> Result<Id> {
    match s.parse::<Id>() {
        Ok(id) if (id as usize) < count => Ok(id),
        _ => Err(bad(line, "bad node id")),
    }
}

impl Schema {
    /// Parses the compact table form.
    pub fn from_table(text: &str) -> Result<Schema> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, MAGIC)) => {}
            _ => return Err(bad(0, "not an openapi table")),
        }
        let count = match lines.next() {
            Some((i, l)) => l
                .strip_prefix("N ")
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| bad(i, "expected the node count"))?,
            None => return Err(bad(1, "expected the node count")),
        };
        let mut out = Schema {
            nodes: Vec::with_capacity(count),
            ..Schema::default()
        };
        for _ in 0..count {
            let (i, line) = lines.next().ok_or_else(|| bad(count, "too few nodes"))?;
            out.nodes.push(parse_node(line, count, i)?);
        }
        for (i, line) in lines {
            let mut parts = line.split(' ');
            let (tag, api_version, kind, value) =
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(t), Some(a), Some(k), Some(v)) => (t, a, k, v),
                    _ => return Err(bad(i, "expected four fields")),
                };
            match tag {
                "T" => {
                    let id = parse_id(value, count, i)?;
                    by_type_set(&mut out.types, api_version, kind, id);
                }
                "S" => {
                    let scope = match value {
                        "n" | "np" | "c" | "cp" => Scope {
                            namespaced: value.starts_with('n'),
                            precomputed: value.ends_with('p'),
                        },
                        _ => return Err(bad(i, "bad scope")),
                    };
                    by_type_set(&mut out.scopes, api_version, kind, scope);
                }
                _ => return Err(bad(i, "unknown entry")),
            }
        }
        Ok(out)
    }

    /// The compact table form: nodes unreachable from any type are dropped and structurally equal
    /// nodes merged. Names containing spaces or `=` cannot be written.
    pub fn to_table(&self) -> Result<String> {
        let mut types: Vec<(&str, &str, Id)> = self
            .types
            .iter()
            .flat_map(|(kind, list)| {
                list.iter()
                    .map(move |(av, id)| (av.as_str(), kind.as_str(), *id))
            })
            .collect();
        types.sort_unstable();
        let classes = self.minimal_classes(types.iter().map(|t| t.2));
        let mut out = String::new();
        let _ = writeln!(out, "{MAGIC}\nN {}", classes.representatives.len());
        for &rep in &classes.representatives {
            let node = &self.nodes[rep as usize];
            let class = |id: Id| classes.of[id as usize];
            out.push(if node.array { 'a' } else { '-' });
            if let Some(items) = node.items {
                let _ = write!(out, " i{}", class(items));
            }
            if let Some(additional) = node.additional {
                let _ = write!(out, " m{}", class(additional));
            }
            if let Some(strategy) = &node.strategy {
                check_name(strategy)?;
                let _ = write!(out, " s{strategy}");
            }
            if !node.keys.is_empty() {
                out.push_str(" k");
                for (i, key) in node.keys.iter().enumerate() {
                    check_name(key)?;
                    if key.contains(',') || key.is_empty() {
                        return Err(bad(0, "merge key cannot be written"));
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(key);
                }
            }
            for (name, id) in &node.props {
                check_name(name)?;
                let _ = write!(out, " {name}={}", class(*id));
            }
            out.push('\n');
        }
        for (api_version, kind, id) in &types {
            check_name(api_version)?;
            check_name(kind)?;
            let _ = writeln!(out, "T {api_version} {kind} {}", classes.of[*id as usize]);
        }
        let mut scopes: Vec<(&str, &str, Scope)> = self
            .scopes
            .iter()
            .flat_map(|(kind, list)| {
                list.iter()
                    .map(move |(av, s)| (av.as_str(), kind.as_str(), *s))
            })
            .collect();
        scopes.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (api_version, kind, scope) in scopes {
            check_name(api_version)?;
            check_name(kind)?;
            let _ = writeln!(
                out,
                "S {api_version} {kind} {}{}",
                if scope.namespaced { 'n' } else { 'c' },
                if scope.precomputed { "p" } else { "" }
            );
        }
        Ok(out)
    }

    /// Partitions the nodes reachable from `roots` into classes of nodes that answer every lookup
    /// alike (Moore's refinement), numbering classes by first reach.
    fn minimal_classes(&self, roots: impl Iterator<Item = Id>) -> Classes {
        // Reachable nodes, in breadth-first order from the roots.
        let mut order: Vec<Id> = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut visit = |id: Id, order: &mut Vec<Id>| {
            if !std::mem::replace(&mut seen[id as usize], true) {
                order.push(id);
            }
        };
        for root in roots {
            visit(root, &mut order);
        }
        let mut next = 0;
        while next < order.len() {
            let node = &self.nodes[order[next] as usize];
            next += 1;
            for id in node
                .items
                .iter()
                .chain(node.additional.iter())
                .chain(node.props.iter().map(|(_, id)| id))
            {
                visit(*id, &mut order);
            }
        }

        // Start from what a node says about itself, then split by what its children are.
        let mut class: Vec<u32> = vec![u32::MAX; self.nodes.len()];
        let mut count = {
            let mut ids: HashMap<LocalKey<'_>, u32> = HashMap::new();
            for &id in &order {
                let node = &self.nodes[id as usize];
                let key = LocalKey {
                    array: node.array,
                    strategy: node.strategy.as_deref(),
                    keys: &node.keys,
                    items: node.items.is_some(),
                    additional: node.additional.is_some(),
                    props: node.props.iter().map(|(n, _)| n.as_str()).collect(),
                };
                let n = ids.len() as u32;
                class[id as usize] = *ids.entry(key).or_insert(n);
            }
            ids.len()
        };
        loop {
            let mut ids: HashMap<Vec<u32>, u32> = HashMap::new();
            let mut refined = vec![u32::MAX; self.nodes.len()];
            for &id in &order {
                let node = &self.nodes[id as usize];
                let of = |c: Option<Id>| c.map_or(u32::MAX, |c| class[c as usize]);
                let mut key = vec![class[id as usize], of(node.items), of(node.additional)];
                key.extend(node.props.iter().map(|(_, c)| class[*c as usize]));
                let n = ids.len() as u32;
                refined[id as usize] = *ids.entry(key).or_insert(n);
            }
            class = refined;
            if ids.len() == count {
                break;
            }
            count = ids.len();
        }

        // Renumber classes by first reach so that the table reads top-down.
        let mut number = vec![u32::MAX; count];
        let mut representatives = Vec::new();
        for &id in &order {
            let c = class[id as usize] as usize;
            if number[c] == u32::MAX {
                number[c] = representatives.len() as u32;
                representatives.push(id);
            }
        }
        let of = class
            .iter()
            .map(|&c| if c == u32::MAX { 0 } else { number[c as usize] })
            .collect();
        Classes {
            of,
            representatives,
        }
    }
}

/// A node's own facts, without its children's identities.
#[derive(Hash, PartialEq, Eq)]
struct LocalKey<'a> {
    array: bool,
    strategy: Option<&'a str>,
    keys: &'a [CompactString],
    items: bool,
    additional: bool,
    props: Vec<&'a str>,
}

struct Classes {
    /// Class number of every node (0 for unreachable nodes, which nothing refers to).
    of: Vec<u32>,
    /// One node of each class, by class number.
    representatives: Vec<Id>,
}

fn check_name(s: &str) -> Result<()> {
    if s.is_empty() || s.contains([' ', '=', '\n', '\r']) {
        return Err(bad(0, &format!("name {s:?} cannot be written")));
    }
    Ok(())
}

fn parse_node(line: &str, count: usize, i: usize) -> Result<SchemaNode> {
    let mut tokens = line.split(' ');
    let mut node = SchemaNode {
        array: match tokens.next() {
            Some("a") => true,
            Some("-") => false,
            _ => return Err(bad(i, "bad node")),
        },
        ..SchemaNode::default()
    };
    for token in tokens {
        if let Some((name, id)) = token.rsplit_once('=') {
            node.props
                .push((CompactString::from(name), parse_id(id, count, i)?));
            continue;
        }
        let (kind, rest) = token.split_at(token.chars().next().map_or(0, char::len_utf8));
        match kind {
            "i" => node.items = Some(parse_id(rest, count, i)?),
            "m" => node.additional = Some(parse_id(rest, count, i)?),
            "s" => node.strategy = Some(CompactString::from(rest)),
            "k" => node.keys = rest.split(',').map(CompactString::from).collect(),
            _ => return Err(bad(i, "bad node field")),
        }
    }
    if !node.props.windows(2).all(|w| w[0].0 < w[1].0) {
        return Err(bad(i, "properties out of order"));
    }
    Ok(node)
}
