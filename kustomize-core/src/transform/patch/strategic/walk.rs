//! The merge walk: kyaml's `walk.Walker` driving `merge2.Merger`, with the list direction
//! kustomize uses (patch elements first).
//!
//! Every node is visited with its two sources, the target ("dest") and the patch ("origin"); the
//! visitor's answer replaces the field in the target, or removes it when there is none. The
//! comments name the kyaml functions each step reproduces, because the behaviour (including its
//! oddities) is theirs.

use super::arena::{Arena, Body, FieldInfo, Id, Kind};
use super::spine::{Outcome, Spine};
use crate::error::{Error, ErrorKind, Result};
use crate::node::{Scalar, Tag};
use crate::openapi::{Schema, SchemaRef};
use compact_str::CompactString;
use std::collections::{HashMap, HashSet};

/// `[dest, origin]`.
type Sources = [Option<Id>; 2];
const DEST: usize = 0;
const ORIGIN: usize = 1;

/// A visitor's answer: the node to put in place, and whether a null should be written rather
/// than clear the field (kyaml's `ShouldKeep`, set on nulls the target spelled out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Val {
    pub(super) id: Id,
    pub(super) keep: bool,
}

impl Val {
    fn of(id: Id) -> Val {
        Val { id, keep: false }
    }
}

/// A strategic-merge-patch directive (`$patch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    Unknown,
    Replace,
    Delete,
    Merge,
}

const PATCH_KEY: &str = "$patch";

pub(super) struct Walker<'s> {
    pub(super) arena: Arena,
    schema: &'s Schema,
}

fn transform_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Transform, msg)
}

impl<'s> Walker<'s> {
    pub(super) fn new(arena: Arena, schema: &'s Schema) -> Self {
        Walker { arena, schema }
    }

    /// kyaml's `InvalidNodeKindError`.
    fn wrong_kind(&self, expected: Kind, node: Id) -> Error {
        transform_error(format!(
            "wrong node kind: expected {} but got {}: node contents:\n{}",
            expected.go_name(),
            self.arena.kind(node).go_name(),
            self.arena.to_yaml(node)
        ))
    }

    /// `Walker.Walk`.
    pub(super) fn walk(
        &mut self,
        sources: Sources,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Val>> {
        if sources[ORIGIN].is_none() {
            return self.normalize(sources[DEST], schema);
        }
        for id in sources.into_iter().flatten() {
            self.arena.expand(id);
        }
        let schema = self.schema_for(&sources, schema);
        let kind = sources
            .iter()
            .flatten()
            .find(|&&id| !self.arena.is_null(id))
            .map(|&id| self.arena.kind(id));
        let Some(kind) = kind else {
            // Nothing but nulls: walked as a map.
            return self.walk_map(sources, schema);
        };
        for &id in sources.iter().flatten() {
            if !self.arena.is_null(id) && self.arena.kind(id) != kind {
                return Err(self.wrong_kind(kind, id));
            }
        }
        match kind {
            Kind::Map => self.walk_map(sources, schema),
            Kind::Seq if schema.is_some_and(|s| s.is_associative()) => {
                self.walk_associative_sequence(sources, schema)
            }
            Kind::Seq => Ok(self.visit_plain_list(&sources)),
            Kind::Scalar => Ok(self.visit_scalar(&sources)),
        }
    }

    /// `walk([dest, None])`: a target node the patch does not mention. kyaml still walks it,
    /// which drops empty-valued fields and normalizes associative lists; this does the same
    /// without the general machinery where the outcome is known to be the node itself.
    fn normalize(
        &mut self,
        dest: Option<Id>,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Val>> {
        let Some(d) = dest else {
            return Ok(None);
        };
        let sources: Sources = [Some(d), None];
        let schema = self.schema_for(&sources, schema);
        if let Body::Ext(node) = self.arena.body_mut(d) {
            // Untouched target subtrees are normalized as documents, unless this very node
            // needs the general walk.
            let mut node = std::mem::take(node);
            let outcome = Spine::new(self.schema).normalize_here(&mut node, schema);
            let (node, result) = match outcome {
                Ok(Some(Outcome::Set(value))) => (value, Some(true)),
                Ok(Some(Outcome::Remove)) => (node, Some(false)),
                Ok(Some(Outcome::Keep)) => (node, Some(true)),
                Ok(None) => (node, None),
                Err(e) => {
                    *self.arena.body_mut(d) = Body::Ext(node);
                    return Err(e);
                }
            };
            *self.arena.body_mut(d) = Body::Ext(node);
            match result {
                Some(kept) => return Ok(kept.then_some(Val::of(d))),
                None => self.arena.expand(d),
            }
        }
        match self.arena.body(d) {
            Body::Ext(_) => Ok(Some(Val::of(d))),
            Body::Scalar(s) if s.tag == Tag::Null => self.walk_map(sources, schema),
            Body::Scalar(_) => Ok(Some(Val::of(d))),
            Body::Seq(_) if schema.is_some_and(|s| s.is_associative()) => {
                self.walk_associative_sequence(sources, schema)
            }
            Body::Seq(_) => Ok(Some(Val::of(d))),
            Body::Map(entries) => {
                if has_duplicate_keys(entries) {
                    return self.walk_map(sources, schema);
                }
                let fields: Vec<(CompactString, Id)> =
                    entries.iter().map(|(k, v)| (k.text.clone(), *v)).collect();
                for (name, value) in fields {
                    let result =
                        self.normalize(Some(value), schema.and_then(|s| s.field(&name)))?;
                    match result {
                        Some(v) if v.keep || !self.arena.is_null(v.id) => {
                            self.arena.assign(value, v.id)
                        }
                        _ => self.arena.remove_field(d, &name),
                    }
                }
                Ok(Some(Val::of(d)))
            }
        }
    }

    /// Whether kyaml's merge of an associative list with itself alone leaves it as it is (each
    /// element merely normalized): every element is a non-empty map with a value for each merge
    /// key that any element has (or, for primitives, a non-empty scalar), and no two elements
    /// share key values.
    fn is_regular_list(&self, list: Id, keys: &[&str]) -> bool {
        let items = self.arena.items(list);
        let value = |info: FieldInfo<'_>| !info.nil_or_empty && !info.text.is_empty();
        if keys.is_empty() {
            let mut seen = HashSet::with_capacity(items.len());
            return items.iter().all(|&e| {
                self.arena.kind(e) == Kind::Scalar
                    && !self.arena.is_null(e)
                    && !self.arena.text(e).is_empty()
                    && seen.insert(self.arena.text(e))
            });
        }
        let valid: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| {
                items
                    .iter()
                    .any(|&e| self.arena.field_info(e, k).is_some_and(value))
            })
            .collect();
        if valid.is_empty() {
            return false;
        }
        let mut seen = HashSet::with_capacity(items.len());
        items.iter().all(|&e| {
            if self.arena.kind(e) != Kind::Map || self.arena.map_len(e) == 0 {
                return false;
            }
            let tuple: Option<Vec<&str>> = valid
                .iter()
                .map(|k| {
                    self.arena
                        .field_info(e, k)
                        .filter(|i| value(*i))
                        .map(|i| i.text)
                })
                .collect();
            tuple.is_some_and(|t| seen.insert(t))
        })
    }

    /// `Walker.GetSchema`: the schema handed down, else that of the first source naming a known
    /// `apiVersion` and `kind` (so an embedded object, say a Pod template inside a custom
    /// resource, merges by its own schema).
    fn schema_for(
        &self,
        sources: &Sources,
        schema: Option<SchemaRef<'s>>,
    ) -> Option<SchemaRef<'s>> {
        if schema.is_some() {
            return schema;
        }
        for &id in sources.iter().flatten() {
            if self.arena.is_null(id) {
                continue;
            }
            let meta = |key: &str| {
                self.arena
                    .field_info(id, key)
                    .filter(|i| !i.nil_or_empty)
                    .map_or("", |i| i.text)
            };
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

    /// `Walker.walkMap`.
    fn walk_map(
        &mut self,
        mut sources: Sources,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Val>> {
        let Some(dest) = self.visit_map(&sources, schema)? else {
            return Ok(None);
        };
        sources[DEST] = Some(dest.id);

        // Every field of either side, in byte order.
        let mut names: Vec<CompactString> = Vec::new();
        for &id in sources.iter().flatten() {
            if let Body::Map(entries) = self.arena.body(id) {
                names.extend(entries.iter().map(|(k, _)| k.text.clone()));
            }
        }
        names.sort_unstable();
        names.dedup();

        for name in &names {
            let field_schema = schema.and_then(|s| s.field(name));
            let values = [
                sources[DEST].and_then(|d| self.arena.field(d, name)),
                sources[ORIGIN].and_then(|o| self.arena.field(o, name)),
            ];
            let val = self.walk(values, field_schema)?;
            self.set_field(dest.id, name, &sources, val);
        }
        Ok(Some(dest))
    }

    /// `FieldSetter`: puts a visitor's answer into the map, or clears the field.
    fn set_field(&mut self, map: Id, name: &str, sources: &Sources, val: Option<Val>) {
        let Some(val) = val.filter(|v| v.keep || !self.arena.is_null(v.id)) else {
            self.arena.remove_field(map, name);
            return;
        };
        if let Some(existing) = self.arena.field(map, name) {
            // The existing value node takes the new contents, in place.
            self.arena.assign(existing, val.id);
            return;
        }
        // A new entry: its key is spelled as the patch (or target) spelled it.
        let key = sources
            .iter()
            .rev()
            .flatten()
            .find_map(|&s| self.arena.field_key(s, name).cloned())
            .unwrap_or_else(|| Scalar::string(name));
        if let Body::Map(entries) = self.arena.body_mut(map) {
            entries.push((key, val.id));
        }
    }

    /// `Merger.VisitMap`.
    fn visit_map(
        &mut self,
        sources: &Sources,
        _schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Val>> {
        let (dest, origin) = (sources[DEST], sources[ORIGIN]);
        if self.arena.missing_or_null(dest) {
            // Adding: the patch's map, after taking its own directive. A malformed directive is
            // ignored here (and stays in the output).
            if self.directive(origin).unwrap_or(Directive::Unknown) == Directive::Delete {
                return Ok(None);
            }
            if let (None, Some(d)) = (origin, dest) {
                // A null the target spelled out (`null`, `~`) survives; an empty value does not.
                let text = self.arena.text(d);
                if !text.is_empty() {
                    let null = self
                        .arena
                        .push(Body::Scalar(Scalar::tagged(text.to_owned(), Tag::Null)));
                    return Ok(Some(Val {
                        id: null,
                        keep: true,
                    }));
                }
            }
            return Ok(origin.map(Val::of));
        }
        if origin.is_some_and(|o| self.arena.is_null(o)) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin.map(Val::of),
            _ => dest.map(Val::of),
        })
    }

    /// `Merger.VisitScalar`: the patch's value if it has one.
    fn visit_scalar(&self, sources: &Sources) -> Option<Val> {
        sources[ORIGIN].or(sources[DEST]).map(Val::of)
    }

    /// `Merger.VisitList` for lists without a merge strategy: the patch's list replaces.
    fn visit_plain_list(&self, sources: &Sources) -> Option<Val> {
        sources[ORIGIN].or(sources[DEST]).map(Val::of)
    }

    /// `Merger.VisitList` for associative lists.
    fn visit_associative_list(&mut self, sources: &Sources) -> Result<Option<Val>> {
        let (dest, origin) = (sources[DEST], sources[ORIGIN]);
        if self.arena.missing_or_null(dest) {
            return Ok(origin.map(Val::of));
        }
        if origin.is_some_and(|o| self.arena.is_null(o)) {
            return Ok(None);
        }
        Ok(match self.directive(origin)? {
            Directive::Delete => None,
            Directive::Replace => origin.map(Val::of),
            _ => dest.map(Val::of),
        })
    }

    /// `determineSmpDirective`: reads (and removes) the patch node's `$patch` directive.
    fn directive(&mut self, patch: Option<Id>) -> Result<Directive> {
        let Some(patch) = patch else {
            return Ok(Directive::Merge);
        };
        match self.arena.kind(patch) {
            Kind::Map => {
                let Some(value) = self.arena.field(patch, PATCH_KEY) else {
                    return Ok(Directive::Merge);
                };
                let directive = parse_directive(self.arena.text(value))?;
                self.arena.remove_field(patch, PATCH_KEY);
                Ok(directive)
            }
            Kind::Seq => {
                // A list directive is an element that is a map of `$patch` alone.
                let element = self.arena.items(patch).iter().copied().find(|&e| {
                    self.arena.kind(e) == Kind::Map && self.arena.field(e, PATCH_KEY).is_some()
                });
                let Some(element) = element else {
                    return Ok(Directive::Merge);
                };
                if self.arena.map_len(element) > 1 {
                    return Ok(Directive::Merge);
                }
                let Some(value) = self.arena.field(element, PATCH_KEY) else {
                    return Ok(Directive::Merge);
                };
                let text = self.arena.text(value).to_owned();
                let directive = parse_directive(&text)?;
                self.element_setter(patch, None, &[PATCH_KEY], &[&text])?;
                Ok(directive)
            }
            Kind::Scalar => Err(transform_error(format!(
                "no implemented strategic merge patch strategy for '{}' ('{}')",
                self.arena.short_tag(patch),
                self.arena.to_yaml(patch)
            ))),
        }
    }

    /// `Walker.walkAssociativeSequence`.
    fn walk_associative_sequence(
        &mut self,
        mut sources: Sources,
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Val>> {
        let Some(dest) = self.visit_associative_list(&sources)? else {
            return Ok(None);
        };
        sources[DEST] = Some(dest.id);
        let keys: Vec<&'s str> = schema
            .map(|s| s.merge_keys().iter().map(CompactString::as_str).collect())
            .unwrap_or_default();
        // (A list is only associative with a strategy, so kyaml's inference of a key for lists
        // without one never runs here.)
        if sources[ORIGIN].is_none() && self.is_regular_list(dest.id, &keys) {
            if !keys.is_empty() {
                let element_schema = schema.and_then(|s| s.elements());
                let elements = self.arena.items(dest.id).to_vec();
                for element in elements {
                    // A non-empty map keeps its keys, so it stays itself.
                    self.normalize(Some(element), element_schema)?;
                }
            }
            return Ok(Some(dest));
        }
        if let (Some(origin), true) = (sources[ORIGIN], use_index()) {
            if let Some(val) = self.merge_keyed_lists(dest.id, origin, &keys, schema)? {
                return Ok(val);
            }
        }
        let values = self.element_values(&sources, &keys);
        if !values.is_empty() || !keys.is_empty() {
            return self.set_associative_elements(&sources, schema, values, &keys, dest.id);
        }
        let values = self.element_primitive_values(&sources);
        self.set_associative_elements(&sources, schema, values, &[""], dest.id)
    }

    /// `Walker.setAssociativeSequenceElements` and `appendListNode` for the common shape of
    /// associative list, in time linear in the lists' lengths: two distinct lists of non-empty
    /// maps, each element with a value for every merge key that any element has a value for
    /// (the keys kyaml matches by), no key values repeated within a list. kyaml's general algorithm (below) finds every element by scanning the lists, which
    /// is quadratic; on this shape its outcome is known element by element, so an index by key
    /// values does. The merged list holds, for each key tuple (the patch's first, in its order,
    /// then the target's others) that the merge does not delete, the target's element if it has
    /// one and else the merged one; with several keys, the target's surviving elements move to
    /// the end instead, in their order (`appendListNode` removes and re-appends them). Returns
    /// `None` when the lists are not of that shape.
    fn merge_keyed_lists(
        &mut self,
        dest: Id,
        origin: Id,
        keys: &[&str],
        schema: Option<SchemaRef<'s>>,
    ) -> Result<Option<Option<Val>>> {
        if dest == origin {
            return Ok(None);
        }
        // kyaml matches by the keys that some element has a value for (`validateKeys`).
        let keys: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| {
                let lists = [self.arena.items(dest), self.arena.items(origin)];
                lists
                    .into_iter()
                    .flatten()
                    .any(|&e| self.arena.field_info(e, k).is_some_and(has_value))
            })
            .collect();
        if keys.is_empty() {
            return Ok(None);
        }
        let keys = keys.as_slice();
        let (Some(dest_tuples), Some(origin_tuples)) =
            (self.key_tuples(dest, keys), self.key_tuples(origin, keys))
        else {
            return Ok(None);
        };
        if dest_tuples.is_empty() && origin_tuples.is_empty() {
            return Ok(None);
        }
        let dest_items = self.arena.items(dest).to_vec();
        let origin_items = self.arena.items(origin).to_vec();
        let mut dest_index: HashMap<&[CompactString], usize> =
            HashMap::with_capacity(dest_tuples.len());
        for (i, t) in dest_tuples.iter().enumerate() {
            if dest_index.insert(t, i).is_some() {
                return Ok(None);
            }
        }
        let mut origin_index: HashMap<&[CompactString], usize> =
            HashMap::with_capacity(origin_tuples.len());
        for (i, t) in origin_tuples.iter().enumerate() {
            if origin_index.insert(t, i).is_some() {
                return Ok(None);
            }
        }

        // kyaml's order of key tuples: the patch's, then the target's others.
        let order = origin_tuples.iter().chain(
            dest_tuples
                .iter()
                .filter(|t| !origin_index.contains_key(t.as_slice())),
        );
        let element_schema = schema.and_then(|s| s.elements());
        // Per key tuple in that order: the element it ends as, and whether the target had it.
        let mut merged: Vec<(Id, Option<usize>)> = Vec::with_capacity(dest_items.len());
        let mut dest_gone = vec![false; dest_items.len()];
        for tuple in order {
            let at_dest = dest_index.get(tuple.as_slice()).copied();
            let sources: Sources = [
                at_dest.map(|i| dest_items[i]),
                origin_index.get(tuple.as_slice()).map(|&i| origin_items[i]),
            ];
            let val = self.walk(sources, element_schema)?;
            let Some(val) = val.filter(|v| !self.arena.is_empty_map(Some(v.id))) else {
                // The merge deleted the element: gone from the target as well.
                if let Some(i) = at_dest {
                    dest_gone[i] = true;
                }
                continue;
            };
            for (key, value) in keys.iter().zip(tuple) {
                if self.field_or_null(val.id, key).is_none() {
                    self.set_key(val.id, key, value)?;
                }
            }
            merged.push((val.id, at_dest));
        }

        let items: Vec<Id> = if keys.len() == 1 {
            merged
                .iter()
                .map(|&(id, at_dest)| at_dest.map_or(id, |i| dest_items[i]))
                .collect()
        } else {
            let new = merged
                .iter()
                .filter(|(_, at_dest)| at_dest.is_none())
                .map(|&(id, _)| id);
            let kept = dest_items
                .iter()
                .zip(&dest_gone)
                .filter(|(_, &gone)| !gone)
                .map(|(&id, _)| id);
            new.chain(kept).collect()
        };
        // The target list loses its deleted elements, as kyaml's `ElementSetter` removes them
        // from it (a node other lists may share).
        let remaining: Vec<Id> = dest_items
            .iter()
            .zip(&dest_gone)
            .filter(|(_, &gone)| !gone)
            .map(|(&id, _)| id)
            .collect();
        if let Body::Seq(list) = self.arena.body_mut(dest) {
            *list = remaining;
        }
        let result = self.arena.push(Body::Seq(items));
        Ok(Some(Some(Val::of(result))))
    }

    /// Each element's merge-key values, if every element of `list` is a non-empty map with a
    /// value for every key.
    fn key_tuples(&self, list: Id, keys: &[&str]) -> Option<Vec<Vec<CompactString>>> {
        self.arena
            .items(list)
            .iter()
            .map(|&e| {
                if self.arena.kind(e) != Kind::Map || self.arena.map_len(e) == 0 {
                    return None;
                }
                keys.iter()
                    .map(|k| {
                        self.arena
                            .field_info(e, k)
                            .filter(|&i| has_value(i))
                            .map(|i| CompactString::from(i.text))
                    })
                    .collect()
            })
            .collect()
    }

    /// `Walker.elementValues`: each element's merge-key values, patch elements first, distinct.
    fn element_values(&self, sources: &Sources, keys: &[&str]) -> Vec<Vec<CompactString>> {
        let mut out: Vec<Vec<CompactString>> = Vec::new();
        let mut seen: HashSet<Vec<CompactString>> = HashSet::new();
        for &src in [sources[ORIGIN], sources[DEST]].iter().flatten() {
            if self.arena.kind(src) != Kind::Seq {
                continue;
            }
            for &element in self.arena.items(src) {
                if keys.is_empty() {
                    continue;
                }
                let values: Vec<CompactString> = keys
                    .iter()
                    .map(|key| {
                        self.arena
                            .field_info(element, key)
                            .filter(|i| !i.nil_or_empty)
                            .map_or(CompactString::default(), |i| CompactString::from(i.text))
                    })
                    .collect();
                if seen.insert(values.clone()) {
                    out.push(values);
                }
            }
        }
        out
    }

    /// `Walker.elementPrimitiveValues`: the distinct element texts, patch elements first.
    fn element_primitive_values(&self, sources: &Sources) -> Vec<Vec<CompactString>> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut out = Vec::new();
        for &src in [sources[ORIGIN], sources[DEST]].iter().flatten() {
            for &element in self.arena.items(src) {
                let text = self.arena.text(element);
                if seen.insert(text) {
                    out.push(vec![CompactString::from(text)]);
                }
            }
        }
        out
    }

    /// `Walker.setAssociativeSequenceElements`.
    fn set_associative_elements(
        &mut self,
        sources: &Sources,
        schema: Option<SchemaRef<'s>>,
        mut values_list: Vec<Vec<CompactString>>,
        keys: &[&str],
        dest: Id,
    ) -> Result<Option<Val>> {
        let items_to_add = self.arena.push(Body::Seq(Vec::new()));
        let element_schema = schema.and_then(|s| s.elements());
        // Tuples only merge where one lacks a value (distinct full tuples never agree).
        if keys.len() > 1 && values_list.iter().any(|v| v.iter().any(|c| c.is_empty())) {
            merge_values(&mut values_list);
        }
        let mut valid_keys: Vec<&str> = Vec::new();
        for values in &values_list {
            if values.is_empty() {
                continue;
            }
            let (vk, vv) = validate_keys(&values_list, values, keys);
            valid_keys = vk;
            let valid_values = vv;
            let element_sources = self.element_value_list(sources, &valid_keys, &valid_values);
            let val = self.walk(element_sources, element_schema)?;

            let mut removed = false;
            for (i, key) in valid_keys.iter().enumerate() {
                let gone = match val {
                    None => true,
                    Some(v) => self.arena.is_empty_map(Some(v.id)),
                };
                if gone {
                    // Delete the element from the target.
                    let values: Vec<&str> =
                        valid_values.iter().map(CompactString::as_str).collect();
                    self.element_setter(dest, None, &valid_keys, &values)?;
                    removed = true;
                } else if let Some(v) = val {
                    if self.field_or_null(v.id, key).is_none() && !valid_values[i].is_empty() {
                        // The merged element must carry its key.
                        self.set_key(v.id, key, &valid_values[i])?;
                    }
                }
            }
            if removed {
                continue;
            }
            let Some(val) = val else {
                continue;
            };
            let values: Vec<&str> = valid_values.iter().map(CompactString::as_str).collect();
            self.element_setter(items_to_add, Some(val.id), &valid_keys, &values)?;
        }

        let mut result = dest;
        if !values_list.is_empty() {
            // Patch elements go first: the target's elements are laid over the new list.
            result = self.append_list_node(items_to_add, dest, &valid_keys)?;
        }
        if self.arena.is_null(result) {
            return Ok(None);
        }
        Ok(Some(Val::of(result)))
    }

    /// `RNode.Field(key) != nil` on a node that may be a scalar (no fields then).
    fn field_or_null(&self, id: Id, key: &str) -> Option<FieldInfo<'_>> {
        self.arena.field_info(id, key)
    }

    /// `SetField(key, NewScalarRNode(value))` on a merged element.
    fn set_key(&mut self, element: Id, key: &str, value: &str) -> Result<()> {
        self.arena.expand(element);
        if key.is_empty() {
            // A primitive element is overwritten by a fresh scalar of the same text.
            if self.arena.kind(element) != Kind::Scalar {
                return Err(self.wrong_kind(Kind::Scalar, element));
            }
            if let Body::Scalar(s) = self.arena.body_mut(element) {
                // The text is the element's own; only the tag would be re-resolved, and a
                // string keeps reading as the same string because kyaml keeps its quoting.
                s.text = CompactString::from(value);
            }
            return Ok(());
        }
        match self.arena.body(element) {
            Body::Map(_) => {}
            // Fields of a null go nowhere.
            Body::Scalar(s) if s.tag == Tag::Null => return Ok(()),
            _ => return Err(self.wrong_kind(Kind::Map, element)),
        }
        let id = self.arena.push(Body::Scalar(Scalar::string(value)));
        if let Body::Map(entries) = self.arena.body_mut(element) {
            entries.push((Scalar::string(key), id));
        }
        Ok(())
    }

    /// `Walker.elementValueList`: the element of each source that the values identify.
    fn element_value_list(
        &self,
        sources: &Sources,
        keys: &[&str],
        values: &[CompactString],
    ) -> Sources {
        let (keys, values) = validate_keys(std::slice::from_ref(&values.to_vec()), values, keys);
        let values: Vec<&str> = values.iter().map(CompactString::as_str).collect();
        let mut out: Sources = [None, None];
        for (i, src) in sources.iter().enumerate() {
            out[i] = src.and_then(|s| self.element_list(s, &keys, &values));
        }
        out
    }

    /// `RNode.ElementList` (`ElementMatcher`): the first element whose key fields hold exactly
    /// these texts; for the key `""`, the first element whose own text is the value.
    fn element_list(&self, seq: Id, keys: &[&str], values: &[&str]) -> Option<Id> {
        if self.arena.kind(seq) != Kind::Seq {
            return None;
        }
        let keys = if keys.is_empty() { &[""][..] } else { keys };
        let values = if values.is_empty() { &[""][..] } else { values };
        if keys[0].is_empty() {
            return self
                .arena
                .items(seq)
                .iter()
                .copied()
                .find(|&e| self.arena.text(e) == values[0]);
        }
        for &element in self.arena.items(seq) {
            let null = self.arena.is_null(element);
            if !null && self.arena.kind(element) != Kind::Map {
                continue;
            }
            if keys.len() != values.len() {
                return None;
            }
            if null {
                continue;
            }
            let matches = keys.iter().zip(values).all(|(key, value)| {
                self.arena
                    .field_info(element, key)
                    .is_some_and(|i| i.text == *value)
            });
            if matches {
                return Some(element);
            }
        }
        None
    }

    /// `FieldMatcher{Name, StringValue}` on a list element, as `ElementSetter` uses it: with an
    /// empty value any value matches; with an empty name the element itself is compared.
    fn field_matcher(&self, element: Id, name: &str, value: &str) -> Result<Option<&str>> {
        if self.arena.is_null(element) {
            return Ok(None);
        }
        if name.is_empty() {
            if self.arena.kind(element) != Kind::Scalar {
                return Err(self.wrong_kind(Kind::Scalar, element));
            }
            let text = self.arena.text(element);
            return Ok((text == value).then_some(text));
        }
        if self.arena.kind(element) != Kind::Map {
            return Err(self.wrong_kind(Kind::Map, element));
        }
        Ok(self
            .arena
            .field_info(element, name)
            .map(|i| i.text)
            .filter(|&t| value.is_empty() || t == value))
    }

    /// `ElementSetter`: replaces the elements matching the key values with `element` (appending
    /// it if none matched), or removes them when `element` is `None`. Null and empty-map elements
    /// are dropped on the way.
    fn element_setter(
        &mut self,
        seq: Id,
        element: Option<Id>,
        keys: &[&str],
        values: &[&str],
    ) -> Result<Option<Id>> {
        if self.arena.kind(seq) != Kind::Seq && !self.arena.is_null(seq) {
            return Err(self.wrong_kind(Kind::Seq, seq));
        }
        let keys = if keys.is_empty() { &[""][..] } else { keys };
        let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
        let old: Vec<Id> = self.arena.items(seq).to_vec();
        let mut kept = Vec::with_capacity(old.len() + 1);
        let mut matched_any = false;
        for e in old {
            if self.arena.is_null(e) || self.arena.is_empty_map(Some(e)) {
                continue;
            }
            if self.arena.kind(e) != Kind::Map && mapping_setter {
                kept.push(e);
                continue;
            }
            let mut found = true;
            let mut val = None;
            for (j, key) in keys.iter().enumerate() {
                if let Some(value) = values.get(j) {
                    val = self.field_matcher(e, key, value)?;
                }
                if val.is_none() {
                    found = false;
                    break;
                }
            }
            if !found {
                if !values.is_empty() {
                    kept.push(e);
                }
                continue;
            }
            matched_any = true;
            if let Some(new) = element {
                kept.push(new);
            }
        }
        let deleting = element.is_none_or(|e| self.arena.is_null(e));
        if !deleting && !matched_any {
            kept.extend(element);
        }
        if let Body::Seq(items) = self.arena.body_mut(seq) {
            *items = kept;
        }
        Ok(if deleting { None } else { element })
    }

    /// `appendListNode`: lays each element of `src` over `dst` (replacing the element with the
    /// same key values, else appending) and returns `dst`.
    fn append_list_node(&mut self, dst: Id, src: Id, keys: &[&str]) -> Result<Id> {
        let elements: Vec<Id> = self.arena.items(src).to_vec();
        for element in elements {
            if keys.first().is_none_or(|k| k.is_empty()) {
                let text = self.arena.text(element).to_owned();
                self.element_setter(dst, Some(element), &[""], &[&text])?;
                continue;
            }
            let mut values: Vec<String> = Vec::with_capacity(keys.len());
            for key in keys {
                match self.field_matcher(element, key, "")? {
                    // An element without the key is appended as it is.
                    None => self.append(dst, element),
                    Some(text) => values.push(text.to_owned()),
                }
            }
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            if keys.len() > 1 {
                // Several keys: drop the matches first so that the element is not doubled.
                self.element_setter(dst, None, keys, &values)?;
            }
            self.element_setter(dst, Some(element), keys, &values)?;
        }
        Ok(dst)
    }

    fn append(&mut self, seq: Id, element: Id) {
        if let Body::Seq(items) = self.arena.body_mut(seq) {
            items.push(element);
        }
    }
}

/// A merge-key field that counts as a value: not null, not an empty collection, not empty text.
fn has_value(info: FieldInfo<'_>) -> bool {
    !info.nil_or_empty && !info.text.is_empty()
}

#[cfg(test)]
thread_local! {
    /// Set by tests that compare the indexed list merge with the general algorithm.
    pub(super) static GENERAL_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether associative lists of the common shape merge through an index
/// ([`Walker::merge_keyed_lists`]).
fn use_index() -> bool {
    #[cfg(test)]
    return !GENERAL_ONLY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    true
}

fn parse_directive(text: &str) -> Result<Directive> {
    match text {
        "delete" => Ok(Directive::Delete),
        "replace" => Ok(Directive::Replace),
        "merge" => Ok(Directive::Merge),
        other => Err(transform_error(format!("unknown patch strategy '{other}'"))),
    }
}

/// `validateKeys`: the keys that some element has a value for (all keys if none has), and this
/// element's values for them.
fn validate_keys<'k>(
    values_list: &[Vec<CompactString>],
    values: &[CompactString],
    keys: &[&'k str],
) -> (Vec<&'k str>, Vec<CompactString>) {
    let mut valid = vec![false; keys.len()];
    for vs in values_list {
        for (i, v) in vs.iter().enumerate() {
            if !v.is_empty() && i < keys.len() {
                valid[i] = true;
            }
        }
    }
    if !valid.iter().any(|&v| v) {
        return (keys.to_vec(), values.to_vec());
    }
    let is_valid = |k: &str| keys.iter().zip(&valid).any(|(key, &ok)| ok && *key == k);
    let valid_keys: Vec<&str> = keys.iter().copied().filter(|k| is_valid(k)).collect();
    let valid_values = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !v.is_empty() || keys.get(*i).is_some_and(|k| is_valid(k)))
        .map(|(_, v)| v.clone())
        .collect();
    (valid_keys, valid_values)
}

/// `mergeValues`: tuples that agree wherever both have a value (and agree somewhere) are taken
/// as one, e.g. a port given with and without its protocol.
fn merge_values(list: &mut [Vec<CompactString>]) {
    for i in 0..list.len() {
        let first = list[i].clone();
        for j in 0..list.len() {
            if let Some(merged) = match_values(&first, &list[j]) {
                list[i] = merged.clone();
                list[j] = merged;
            }
        }
    }
}

fn match_values(a: &[CompactString], b: &[CompactString]) -> Option<Vec<CompactString>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            out.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if !x.is_empty() {
            out.push(x.clone());
        } else {
            out.push(y.clone());
        }
    }
    common.then_some(out)
}

/// Whether a mapping repeats a key (kyaml then sees only the first).
fn has_duplicate_keys(entries: &[(Scalar, Id)]) -> bool {
    if entries.len() <= 8 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(j, _)| j.text == k.text));
    }
    let mut seen = HashSet::with_capacity(entries.len());
    !entries.iter().all(|(k, _)| seen.insert(k.text.as_str()))
}
