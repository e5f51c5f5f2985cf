//! The merge on the documents themselves, for the parts where kyaml's node sharing cannot show:
//! maps present on both sides, scalars, plain lists, and target subtrees the patch does not
//! mention (which kyaml still walks, normalizing them). Everything else (associative lists the
//! patch touches, maps the patch adds or replaces) is handed, subtree by subtree, to the arena
//! walk in [`super::walk`], which reproduces kyaml's sharing.
//!
//! Most of a resource is usually untouched by its patch, so this keeps the cost of a patch close
//! to the size of the patch rather than of the resource.

use super::arena::{Arena, Id};
use super::walk::Walker;
use crate::error::Result;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::openapi::{Schema, SchemaRef};
use std::collections::HashSet;

/// What the parent does with a field after walking it.
pub(super) enum Outcome {
    /// The target's value stays (possibly changed in place).
    Keep,
    /// The field is removed.
    Remove,
    /// The field takes this value.
    Set(Node),
}

pub(super) struct Spine<'s> {
    schema: &'s Schema,
}

const PATCH_KEY: &str = "$patch";

fn go_kind(node: &Node) -> &'static str {
    match node {
        Node::Scalar(_) => "ScalarNode",
        Node::Seq(_) => "SequenceNode",
        Node::Map(_) => "MappingNode",
    }
}

fn same_kind(a: &Node, b: &Node) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn has_duplicate_keys(m: &Mapping) -> bool {
    if m.len() <= 16 {
        return m
            .keys()
            .enumerate()
            .any(|(i, k)| m.keys().take(i).any(|j| j == k));
    }
    let mut seen = HashSet::with_capacity(m.len());
    !m.keys().all(|k| seen.insert(k))
}

/// Whether a list of texts repeats one.
fn has_duplicates<T: Ord + Eq>(mut items: Vec<T>) -> bool {
    if items.len() <= 16 {
        return items
            .iter()
            .enumerate()
            .any(|(i, x)| items[..i].contains(x));
    }
    items.sort_unstable();
    items.windows(2).any(|w| w[0] == w[1])
}

/// A scalar that counts as a value for kyaml's metadata and key lookups: not null, not empty.
fn value_text(node: &Node) -> Option<&str> {
    match node {
        Node::Scalar(s) if s.tag != Tag::Null && !s.text.is_empty() => Some(&s.text),
        _ => None,
    }
}

impl<'s> Spine<'s> {
    pub(super) fn new(schema: &'s Schema) -> Self {
        Spine { schema }
    }

    /// `Walker.GetSchema` on documents.
    fn schema_for(
        &self,
        nodes: [Option<&Node>; 2],
        schema: Option<SchemaRef<'s>>,
    ) -> Option<SchemaRef<'s>> {
        if schema.is_some() {
            return schema;
        }
        for node in nodes.into_iter().flatten() {
            let Node::Map(m) = node else {
                continue;
            };
            let meta = |key: &str| m.get(key).and_then(value_text).unwrap_or("");
            let (api_version, kind) = (meta("apiVersion"), meta("kind"));
            if api_version.is_empty() || kind.is_empty() {
                continue;
            }
            if let Some(s) = self.schema.resource(api_version, kind) {
                return Some(s);
            }
        }
        None
    }

    /// Runs the arena walk on one subtree. The target's node moves into the arena (unexpanded)
    /// and comes back, merged or not, into `dest`; the outcome tells whether the field keeps it.
    fn via_arena(
        &self,
        dest: Option<&mut Node>,
        origin: Option<&Node>,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Outcome> {
        self.via_arena_restoring(dest, origin, schema, false)
    }

    /// [`Spine::via_arena`]; with `restore`, `dest` also gets its node back when the field takes
    /// another one (the top of a resource keeps its node whatever the patch says).
    fn via_arena_restoring(
        &self,
        dest: Option<&mut Node>,
        origin: Option<&Node>,
        schema: Option<SchemaRef<'s>>,
        restore: bool,
    ) -> Result<Outcome> {
        let mut arena = Arena::with_capacity(64);
        let mut dest = dest;
        let d = dest
            .as_deref_mut()
            .map(|n| arena.add_lazy(std::mem::take(n)));
        let o = origin.map(|n| arena.add(n));
        let mut walker = Walker::new(arena, self.schema);
        let result = walker.walk([d, o], schema)?;
        let value = result.filter(|v| v.keep || !walker.arena.is_null(v.id));
        let other = value.map(|v| v.id).filter(|&id| Some(id) != d);
        // The target's own node comes back when it is the result, or when asked to.
        let keep_dest = d.filter(|_| other.is_none() || restore);
        let roots: Vec<Id> = keep_dest.into_iter().chain(other).collect();
        let mut nodes = walker.arena.into_nodes(&roots).into_iter();
        if let (Some(slot), Some(_)) = (dest, keep_dest) {
            if let Some(node) = nodes.next() {
                *slot = node;
            }
        }
        Ok(match (value, nodes.next()) {
            (None, _) => Outcome::Remove,
            (Some(_), Some(node)) => Outcome::Set(node),
            (Some(_), None) => Outcome::Keep,
        })
    }

    /// The top of a resource: like [`Spine::walk_both`], but the target keeps its own node even
    /// when the patch would replace it (kustomize ignores such a result).
    pub(super) fn walk_root(&self, target: &mut Node, patch: &Node) -> Result<Outcome> {
        let plain_merge = match (&*target, patch) {
            (Node::Map(d), Node::Map(o)) => {
                o.get(PATCH_KEY)
                    .is_none_or(|v| v.as_scalar().is_some_and(|s| s.text == "merge"))
                    && !has_duplicate_keys(d)
                    && !has_duplicate_keys(o)
            }
            _ => true,
        };
        if plain_merge {
            self.walk_both(target, patch, None)
        } else {
            self.via_arena_restoring(Some(target), Some(patch), None, true)
        }
    }

    /// A field both sides have.
    pub(super) fn walk_both(
        &self,
        dest: &mut Node,
        origin: &Node,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Outcome> {
        let schema = self.schema_for([Some(dest), Some(origin)], schema);
        let (dest_null, origin_null) = (dest.is_null(), origin.is_null());
        if dest_null && origin_null {
            return Ok(Outcome::Remove);
        }
        let kind_node: &Node = if dest_null { origin } else { dest };
        if !origin_null && !same_kind(kind_node, origin) {
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::Transform,
                format!(
                    "wrong node kind: expected {} but got {}: node contents:\n{}",
                    go_kind(kind_node),
                    go_kind(origin),
                    super::arena::to_yaml(origin)
                ),
            ));
        }
        match kind_node {
            Node::Map(_) => {
                if dest_null {
                    return self.via_arena(Some(dest), Some(origin), schema);
                }
                if origin_null {
                    return Ok(Outcome::Remove);
                }
                let (Node::Map(d), Node::Map(o)) = (&mut *dest, origin) else {
                    return Ok(Outcome::Keep);
                };
                let directive = match o.get(PATCH_KEY) {
                    None => "merge",
                    Some(v) => match v {
                        Node::Scalar(s) => s.text.as_str(),
                        _ => "",
                    },
                };
                match directive {
                    "merge" if !has_duplicate_keys(d) && !has_duplicate_keys(o) => {
                        self.merge_maps(d, o, schema)?;
                        Ok(Outcome::Keep)
                    }
                    "delete" => Ok(Outcome::Remove),
                    // Replacements (and anything odd) take the general path, which also words
                    // the error for an unknown directive.
                    _ => self.via_arena(Some(dest), Some(origin), schema),
                }
            }
            Node::Seq(_) if schema.is_some_and(|s| s.is_associative()) => {
                self.via_arena(Some(dest), Some(origin), schema)
            }
            _ if origin_null => Ok(Outcome::Remove),
            _ => Ok(Outcome::Set(origin.clone())),
        }
    }

    /// Two maps merged field by field (the patch's `$patch: merge`, if any, is not a field).
    fn merge_maps(
        &self,
        dest: &mut Mapping,
        origin: &Mapping,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<()> {
        // kyaml visits fields in byte order; each field only touches its own subtree.
        let mut names: Vec<&str> = origin.keys().filter(|k| *k != PATCH_KEY).collect();
        let mut dest_only: Vec<Scalar> = Vec::new();
        for (k, _) in dest.iter() {
            if k.text == PATCH_KEY || !origin.contains_key(&k.text) {
                dest_only.push(k.clone());
            }
        }
        names.extend(dest_only.iter().map(|k| k.text.as_str()));
        names.sort_unstable();
        let mut removed: Vec<&str> = Vec::new();
        for name in names {
            let field_schema = schema.and_then(|s| s.field(name));
            let outcome = match (dest.get_mut(name), origin.get(name)) {
                (Some(d), None) => self.normalize(d, field_schema)?,
                (Some(d), Some(o)) => self.walk_both(d, o, field_schema)?,
                (None, Some(o)) => self.via_arena(None, Some(o), field_schema)?,
                (None, None) => Outcome::Keep,
            };
            match outcome {
                Outcome::Keep => {}
                Outcome::Remove => removed.push(name),
                Outcome::Set(value) => {
                    if let Some(slot) = dest.get_mut(name) {
                        *slot = value;
                    } else {
                        // A new field, keyed as the patch spells it.
                        let key = origin
                            .iter()
                            .find(|(k, _)| k.text == name)
                            .map_or_else(|| Scalar::string(name), |(k, _)| k.clone());
                        dest.push(key, value);
                    }
                }
            }
        }
        if !removed.is_empty() {
            dest.retain(|k, _| !removed.contains(&k.text.as_str()));
        }
        Ok(())
    }

    /// A target subtree the patch does not mention (`walk([dest, None])`).
    pub(super) fn normalize(
        &self,
        node: &mut Node,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Outcome> {
        match self.normalize_here(node, schema)? {
            Some(outcome) => Ok(outcome),
            None => self.via_arena(Some(node), None, schema),
        }
    }

    /// [`Spine::normalize`], except that where this node itself needs the arena walk (a map with
    /// repeated keys, an associative list kyaml would rearrange) it answers `None` and leaves the
    /// node as it was; its children are normalized in full.
    pub(super) fn normalize_here(
        &self,
        node: &mut Node,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Outcome>> {
        let schema = self.schema_for([Some(node), None], schema);
        match node {
            Node::Scalar(s) if s.tag == Tag::Null => Ok(Some(if s.text.is_empty() {
                // An empty value goes; a spelled-out null stays.
                Outcome::Remove
            } else {
                Outcome::Keep
            })),
            Node::Scalar(_) => Ok(Some(Outcome::Keep)),
            Node::Seq(items) if schema.is_some_and(|s| s.is_associative()) => {
                let keys = schema.map(|s| s.merge_keys()).unwrap_or_default();
                if !is_regular_list(items, keys) {
                    return Ok(None);
                }
                if !keys.is_empty() {
                    let element_schema = schema.and_then(|s| s.elements());
                    for item in items.iter_mut() {
                        // A non-empty map keeps its keys, so it stays in the list.
                        self.normalize(item, element_schema)?;
                    }
                }
                Ok(Some(Outcome::Keep))
            }
            Node::Seq(_) => Ok(Some(Outcome::Keep)),
            Node::Map(m) => {
                if has_duplicate_keys(m) {
                    return Ok(None);
                }
                let mut removed: Vec<compact_str::CompactString> = Vec::new();
                for (k, v) in m.iter_mut() {
                    let field_schema = schema.and_then(|s| s.field(&k.text));
                    match self.normalize(v, field_schema)? {
                        Outcome::Keep => {}
                        Outcome::Remove => removed.push(k.text.clone()),
                        Outcome::Set(value) => *v = value,
                    }
                }
                if !removed.is_empty() {
                    m.retain(|k, _| !removed.contains(&k.text));
                }
                Ok(Some(Outcome::Keep))
            }
        }
    }
}

/// Whether kyaml's merge of an associative list with nothing leaves it as it is (each element
/// merely normalized): every element is a non-empty map with a value for each merge key that any
/// element has (or, for primitives, a non-empty scalar), and no two elements share key values.
fn is_regular_list(items: &[Node], keys: &[compact_str::CompactString]) -> bool {
    if keys.is_empty() {
        let texts: Option<Vec<&str>> = items.iter().map(value_text).collect();
        return texts.is_some_and(|t| !has_duplicates(t));
    }
    let has_value = |e: &Node, k: &str| {
        e.get(k).is_some_and(|v| {
            !is_nil_or_empty(v) && v.as_scalar().is_some_and(|s| !s.text.is_empty())
        })
    };
    let valid: Vec<&str> = keys
        .iter()
        .map(|k| k.as_str())
        .filter(|k| items.iter().any(|e| has_value(e, k)))
        .collect();
    if items
        .iter()
        .any(|e| e.as_map().is_none_or(Mapping::is_empty))
    {
        return false;
    }
    match valid[..] {
        [] => false,
        [key] => {
            let texts: Option<Vec<&str>> = items
                .iter()
                .map(|e| e.get(key).and_then(value_text))
                .collect();
            texts.is_some_and(|t| !has_duplicates(t))
        }
        _ => {
            let tuples: Option<Vec<Vec<&str>>> = items
                .iter()
                .map(|e| {
                    valid
                        .iter()
                        .map(|k| e.get(k).and_then(value_text))
                        .collect()
                })
                .collect();
            tuples.is_some_and(|t| !has_duplicates(t))
        }
    }
}

fn is_nil_or_empty(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => s.tag == Tag::Null,
        Node::Seq(items) => items.is_empty(),
        Node::Map(m) => m.is_empty(),
    }
}
