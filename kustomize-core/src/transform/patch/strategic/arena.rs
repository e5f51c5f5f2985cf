//! Nodes with identity, for the merge.
//!
//! kyaml merges by mutating shared `*yaml.Node`s: a merged list element is the very node inside
//! the target list, a replaced field overwrites the node in place, and several lists can hold the
//! same element. The outcome of some patches depends on that sharing, so the merge works on an
//! arena of nodes addressed by id, which behaves the same way, and converts back at the end.
//!
//! Target subtrees enter the arena unexpanded ([`Body::Ext`]) and are expanded one level at a
//! time only where the patch reaches, so that the cost follows the patch, not the resource.

use crate::node::{Mapping, Node, Scalar, Tag};

/// Index of a node in the [`Arena`].
pub(super) type Id = u32;

/// A node's contents. Collections hold ids, so copying a body shares the children, as assigning
/// a `yaml.Node` does.
#[derive(Clone, Debug)]
pub(super) enum Body {
    Scalar(Scalar),
    Seq(Vec<Id>),
    Map(Vec<(Scalar, Id)>),
    /// A target collection not yet expanded (never a scalar).
    Ext(Node),
}

/// What a shallow look at a field's value tells.
#[derive(Clone, Copy, Debug)]
pub(super) struct FieldInfo<'a> {
    /// go-yaml's `Value`: a scalar's text, empty for collections.
    pub(super) text: &'a str,
    /// Null, an empty map or an empty list (kyaml's `IsNilOrEmpty`).
    pub(super) nil_or_empty: bool,
}

fn node_info(node: &Node) -> FieldInfo<'_> {
    match node {
        Node::Scalar(s) => FieldInfo {
            text: &s.text,
            nil_or_empty: s.tag == Tag::Null,
        },
        Node::Seq(items) => FieldInfo {
            text: "",
            nil_or_empty: items.is_empty(),
        },
        Node::Map(m) => FieldInfo {
            text: "",
            nil_or_empty: m.is_empty(),
        },
    }
}

/// The three kinds of node kyaml tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar,
    Seq,
    Map,
}

impl Kind {
    /// go-yaml's name for the kind, as kyaml's error messages print it.
    pub(super) fn go_name(self) -> &'static str {
        match self {
            Kind::Scalar => "ScalarNode",
            Kind::Seq => "SequenceNode",
            Kind::Map => "MappingNode",
        }
    }
}

#[derive(Default)]
pub(super) struct Arena {
    nodes: Vec<Body>,
}

impl Arena {
    pub(super) fn with_capacity(n: usize) -> Self {
        Arena {
            nodes: Vec::with_capacity(n),
        }
    }

    pub(super) fn push(&mut self, body: Body) -> Id {
        self.nodes.push(body);
        (self.nodes.len() - 1) as Id
    }

    /// Copies a document into the arena.
    pub(super) fn add(&mut self, node: &Node) -> Id {
        let body = match node {
            Node::Scalar(s) => Body::Scalar(s.clone()),
            Node::Seq(items) => Body::Seq(items.iter().map(|n| self.add(n)).collect()),
            Node::Map(m) => Body::Map(m.iter().map(|(k, v)| (k.clone(), self.add(v))).collect()),
        };
        self.push(body)
    }

    /// Moves a target document into the arena, unexpanded.
    pub(super) fn add_lazy(&mut self, node: Node) -> Id {
        match node {
            Node::Scalar(s) => self.push(Body::Scalar(s)),
            other => self.push(Body::Ext(other)),
        }
    }

    /// Expands an unexpanded node by one level, so that its children have ids.
    pub(super) fn expand(&mut self, id: Id) {
        if !matches!(self.body(id), Body::Ext(_)) {
            return;
        }
        let Body::Ext(node) = std::mem::replace(self.body_mut(id), Body::Seq(Vec::new())) else {
            return;
        };
        let body = match node {
            Node::Scalar(s) => Body::Scalar(s),
            Node::Seq(items) => Body::Seq(items.into_iter().map(|n| self.add_lazy(n)).collect()),
            Node::Map(m) => Body::Map(m.into_iter().map(|(k, v)| (k, self.add_lazy(v))).collect()),
        };
        *self.body_mut(id) = body;
    }

    /// The documents the given nodes stand for, taken out of the arena (nodes reachable more
    /// than once are copied).
    pub(super) fn into_nodes(mut self, roots: &[Id]) -> Vec<Node> {
        let mut refs = vec![0u32; self.nodes.len()];
        let mut stack: Vec<Id> = roots.to_vec();
        while let Some(id) = stack.pop() {
            refs[id as usize] += 1;
            if refs[id as usize] > 1 {
                continue;
            }
            match self.body(id) {
                Body::Seq(items) => stack.extend(items.iter().copied()),
                Body::Map(entries) => stack.extend(entries.iter().map(|(_, v)| *v)),
                Body::Scalar(_) | Body::Ext(_) => {}
            }
        }
        roots.iter().map(|&r| self.take(r, &refs)).collect()
    }

    fn take(&mut self, id: Id, refs: &[u32]) -> Node {
        if refs[id as usize] > 1 {
            return self.to_node(id);
        }
        match std::mem::replace(self.body_mut(id), Body::Seq(Vec::new())) {
            Body::Scalar(s) => Node::Scalar(s),
            Body::Ext(node) => node,
            Body::Seq(items) => Node::Seq(items.into_iter().map(|i| self.take(i, refs)).collect()),
            Body::Map(entries) => {
                let mut m = Mapping::with_capacity(entries.len());
                for (k, v) in entries {
                    let value = self.take(v, refs);
                    m.push(k, value);
                }
                Node::Map(m)
            }
        }
    }

    /// Builds the document a node stands for.
    pub(super) fn to_node(&self, id: Id) -> Node {
        match self.body(id) {
            Body::Scalar(s) => Node::Scalar(s.clone()),
            Body::Ext(node) => node.clone(),
            Body::Seq(items) => Node::Seq(items.iter().map(|&i| self.to_node(i)).collect()),
            Body::Map(entries) => {
                let mut m = Mapping::with_capacity(entries.len());
                for (k, v) in entries {
                    m.push(k.clone(), self.to_node(*v));
                }
                Node::Map(m)
            }
        }
    }

    pub(super) fn body(&self, id: Id) -> &Body {
        &self.nodes[id as usize]
    }

    pub(super) fn body_mut(&mut self, id: Id) -> &mut Body {
        &mut self.nodes[id as usize]
    }

    /// Overwrites a node with a copy of another (kyaml's `SetYNode`): everything holding `id` now
    /// sees `from`'s contents.
    pub(super) fn assign(&mut self, id: Id, from: Id) {
        if id != from {
            let body = self.nodes[from as usize].clone();
            self.nodes[id as usize] = body;
        }
    }

    pub(super) fn kind(&self, id: Id) -> Kind {
        match self.body(id) {
            Body::Scalar(_) | Body::Ext(Node::Scalar(_)) => Kind::Scalar,
            Body::Seq(_) | Body::Ext(Node::Seq(_)) => Kind::Seq,
            Body::Map(_) | Body::Ext(Node::Map(_)) => Kind::Map,
        }
    }

    /// Tagged null (kyaml's `IsTaggedNull`).
    pub(super) fn is_null(&self, id: Id) -> bool {
        match self.body(id) {
            Body::Scalar(s) => s.tag == Tag::Null,
            Body::Ext(node) => node.is_null(),
            _ => false,
        }
    }

    /// Absent or tagged null (kyaml's `IsMissingOrNull`).
    pub(super) fn missing_or_null(&self, id: Option<Id>) -> bool {
        id.is_none_or(|id| self.is_null(id))
    }

    /// Absent, null or an empty mapping (kyaml's `IsEmptyMap`).
    pub(super) fn is_empty_map(&self, id: Option<Id>) -> bool {
        match id {
            None => true,
            Some(id) => match self.body(id) {
                Body::Scalar(s) => s.tag == Tag::Null,
                Body::Map(entries) => entries.is_empty(),
                Body::Seq(_) => false,
                Body::Ext(Node::Map(m)) => m.is_empty(),
                Body::Ext(node) => node.is_null(),
            },
        }
    }

    /// Null, or an empty mapping or sequence (kyaml's `IsNilOrEmpty` of a present node).
    pub(super) fn is_nil_or_empty(&self, id: Id) -> bool {
        match self.body(id) {
            Body::Scalar(s) => s.tag == Tag::Null,
            Body::Map(entries) => entries.is_empty(),
            Body::Seq(items) => items.is_empty(),
            Body::Ext(node) => node_info(node).nil_or_empty,
        }
    }

    /// The node's `Value` as go-yaml holds it: a scalar's text, empty for collections.
    pub(super) fn text(&self, id: Id) -> &str {
        match self.body(id) {
            Body::Scalar(s) => &s.text,
            Body::Ext(node) => node_info(node).text,
            _ => "",
        }
    }

    /// A shallow look at the value of the first entry named `key`, without expanding anything.
    pub(super) fn field_info(&self, id: Id, key: &str) -> Option<FieldInfo<'_>> {
        match self.body(id) {
            Body::Map(entries) => {
                entries
                    .iter()
                    .find(|(k, _)| k.text == key)
                    .map(|(_, v)| match self.body(*v) {
                        Body::Ext(node) => node_info(node),
                        _ => FieldInfo {
                            text: self.text(*v),
                            nil_or_empty: self.is_nil_or_empty(*v),
                        },
                    })
            }
            Body::Ext(Node::Map(m)) => m.get(key).map(node_info),
            _ => None,
        }
    }

    /// The value of the first entry named `key`, if this is a mapping that has one.
    pub(super) fn field(&self, id: Id, key: &str) -> Option<Id> {
        match self.body(id) {
            Body::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| *v),
            _ => None,
        }
    }

    /// The key scalar of the first entry named `key`.
    pub(super) fn field_key(&self, id: Id, key: &str) -> Option<&Scalar> {
        match self.body(id) {
            Body::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(k, _)| k),
            _ => None,
        }
    }

    /// The elements, if this is a sequence.
    pub(super) fn items(&self, id: Id) -> &[Id] {
        match self.body(id) {
            Body::Seq(items) => items,
            _ => &[],
        }
    }

    /// Number of entries of a mapping (0 for other nodes).
    pub(super) fn map_len(&self, id: Id) -> usize {
        match self.body(id) {
            Body::Map(entries) => entries.len(),
            Body::Ext(Node::Map(m)) => m.len(),
            _ => 0,
        }
    }

    /// Removes the first entry named `key` from a mapping.
    pub(super) fn remove_field(&mut self, id: Id, key: &str) {
        if let Body::Map(entries) = self.body_mut(id) {
            if let Some(i) = entries.iter().position(|(k, _)| k.text == key) {
                entries.remove(i);
            }
        }
    }

    /// kyaml's short tag of a node (`!!map`, `!!str`, …).
    pub(super) fn short_tag(&self, id: Id) -> &'static str {
        match self.body(id) {
            Body::Map(_) => "!!map",
            Body::Seq(_) => "!!seq",
            Body::Scalar(s) => Node::Scalar(s.clone()).kind_name(),
            Body::Ext(node) => node.kind_name(),
        }
    }

    /// The node as go-yaml v3's encoder (kyaml's `String()`) would print it, for error messages.
    pub(super) fn to_yaml(&self, id: Id) -> String {
        to_yaml(&self.to_node(id))
    }
}

/// A document as go-yaml v3's encoder (kyaml's `String()`) would print it, for error messages:
/// block style, four-space indentation. Scalars print plain when that reads back the same, else
/// double-quoted; the source's own quoting style is not known here.
pub(super) fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    emit(node, 0, &mut out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn emit(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Scalar(s) => {
            out.push_str(&scalar_text(s));
            out.push('\n');
        }
        Node::Seq(items) if items.is_empty() => out.push_str("[]\n"),
        Node::Map(m) if m.is_empty() => out.push_str("{}\n"),
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    push_indent(out, indent);
                }
                out.push_str("- ");
                emit(item, indent + 2, out);
            }
        }
        Node::Map(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    push_indent(out, indent);
                }
                out.push_str(&scalar_text(k));
                out.push(':');
                let inline = match v {
                    Node::Scalar(_) => true,
                    Node::Seq(items) => items.is_empty(),
                    Node::Map(m) => m.is_empty(),
                };
                if inline {
                    out.push(' ');
                    emit(v, indent, out);
                } else {
                    out.push('\n');
                    push_indent(out, indent + 4);
                    emit(v, indent + 4, out);
                }
            }
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A scalar as go-yaml v3 would print a node with this text and tag in its default style.
fn scalar_text(s: &Scalar) -> String {
    let t = s.text.as_str();
    let plain_ok = !t.is_empty()
        && !t.starts_with([
            ' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"',
            '%', '@', '`',
        ])
        && !t.ends_with(' ')
        && !t.contains(": ")
        && !t.contains(" #")
        && !t.contains(['\n', '\t', '\r']);
    let reads_as_string = !matches!(
        t,
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~"
    ) && t.parse::<f64>().is_err();
    if s.tag != Tag::Str || (plain_ok && reads_as_string) {
        if t.is_empty() && s.tag == Tag::Null {
            return "null".into();
        }
        return t.to_owned();
    }
    let mut q = String::with_capacity(t.len() + 2);
    q.push('"');
    for c in t.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
