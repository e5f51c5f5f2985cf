//! Resource selection: which resources a patch `target` or a replacement `select`/`reject` names.
//!
//! A [`Selector`] names resources by group, version, kind, name and namespace — each a Go regular
//! expression anchored at both ends, an empty field matching anything — and by Kubernetes label
//! and annotation selectors. Patches ([`select`]) compare the name and namespace with both the
//! resource's current id and its original one (the first id it had in the build), namespaces in
//! their *effective* form (`default` for none, `_non_namespaceable_` for cluster-scoped kinds).
//! Replacements ([`TargetMatcher`]) compare every id the resource ever had, namespaces as stored.

mod goregex;
mod labels;

pub use labels::{LabelSelector, LabelSet};

use crate::error::{Error, ErrorKind, Result};
use crate::load::kustomization::Selector;
use crate::node::Node;
use crate::resource::{Gvk, ResId, Resource, ResourceList};
use regex::Regex;

pub(crate) use goregex::compile as compile_go_regex;
pub(crate) use labels::go_quote;

/// A selector's id fields compiled into anchored regular expressions (kustomize's
/// `SelectorRegex`).
#[derive(Clone, Debug)]
pub struct SelectorRegex {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
}

fn anchored(pattern: &str) -> Result<Option<Regex>> {
    if pattern.is_empty() {
        return Ok(None);
    }
    compile_go_regex(&format!("^(?:{pattern})$"))
        .map(Some)
        .map_err(|e| Error::new(ErrorKind::Transform, e))
}

fn matches(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_none_or(|re| re.is_match(s))
}

impl SelectorRegex {
    /// Compiles the id fields of `sel`; a field that is not a valid Go regular expression is an
    /// error worded like Go's (`error parsing regexp: …`).
    pub fn new(sel: &Selector) -> Result<Self> {
        Ok(SelectorRegex {
            group: anchored(&sel.group)?,
            version: anchored(&sel.version)?,
            kind: anchored(&sel.kind)?,
            name: anchored(&sel.name)?,
            namespace: anchored(&sel.namespace)?,
        })
    }

    /// Whether group, version and kind match (unset fields match anything).
    pub fn match_gvk(&self, group: &str, version: &str, kind: &str) -> bool {
        matches(&self.group, group) && matches(&self.version, version) && matches(&self.kind, kind)
    }

    /// Whether the name matches.
    pub fn match_name(&self, name: &str) -> bool {
        matches(&self.name, name)
    }

    /// Whether the namespace matches.
    pub fn match_namespace(&self, namespace: &str) -> bool {
        matches(&self.namespace, namespace)
    }

    /// Whether every id field of `id` matches.
    pub fn match_id(&self, id: &ResId) -> bool {
        self.match_gvk(&id.gvk.group, &id.gvk.version, &id.gvk.kind)
            && self.match_name(&id.name)
            && self.match_namespace(&id.namespace)
    }
}

fn parse_label_selector(s: &str) -> Result<LabelSelector> {
    LabelSelector::parse(s).map_err(|e| Error::new(ErrorKind::Transform, e))
}

/// Whether a resource's labels and annotations satisfy `sel`'s label and annotation selectors.
pub fn matches_label_and_annotation_selectors(node: &Node, sel: &Selector) -> Result<bool> {
    let annotations = parse_label_selector(&sel.annotation_selector)?;
    let labels = parse_label_selector(&sel.label_selector)?;
    Ok(annotations.matches(LabelSet::of(node, "annotations"))
        && labels.matches(LabelSet::of(node, "labels")))
}

/// Splits an `apiVersion` into group and version.
fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// The namespace ids are compared by: `_non_namespaceable_` for cluster-scoped kinds, `default`
/// for none.
fn effective_namespace<'a>(api_version: &str, kind: &str, namespace: &'a str) -> &'a str {
    if crate::openapi::is_cluster_scoped(api_version, kind) {
        "_non_namespaceable_"
    } else if namespace.is_empty() {
        "default"
    } else {
        namespace
    }
}

/// The original name and effective namespace of a resource: those of its first previous id, or
/// its current ones.
fn original_name_and_namespace(r: &Resource) -> (&str, &str) {
    match r.meta.prev_ids.first() {
        Some((kind, name, ns)) => (name, effective_namespace(r.api_version(), kind, ns)),
        None => (
            r.name(),
            effective_namespace(r.api_version(), r.kind(), r.namespace()),
        ),
    }
}

/// Indices, in order, of the resources `sel` selects, as kustomize's `ResMap.Select` (used for
/// patch targets) selects them.
///
/// The namespace and name must match either the original or the current id; group, version and
/// kind the current ones; then the label and annotation selectors must match. An invalid regular
/// expression or label selector is an error.
pub fn select(resources: &ResourceList, sel: &Selector) -> Result<Vec<usize>> {
    let sr = SelectorRegex::new(sel)?;
    let labels = parse_label_selector(&sel.label_selector)?;
    let annotations = parse_label_selector(&sel.annotation_selector)?;
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let (org_name, org_ns) = original_name_and_namespace(r);
        let api_version = r.api_version();
        let kind = r.kind();
        let cur_ns = effective_namespace(api_version, kind, r.namespace());
        if !sr.match_namespace(org_ns) && !sr.match_namespace(cur_ns) {
            continue;
        }
        if !sr.match_name(org_name) && !sr.match_name(r.name()) {
            continue;
        }
        let (group, version) = split_api_version(api_version);
        if !sr.match_gvk(group, version, kind) {
            continue;
        }
        if !labels.matches(LabelSet::of(r.node(), "labels")) {
            continue;
        }
        if !annotations.matches(LabelSet::of(r.node(), "annotations")) {
            continue;
        }
        out.push(i);
    }
    Ok(out)
}

/// Every id a resource has had: the current one (namespace as written) followed by its previous
/// ids, oldest first (namespaces in their effective form, as kustomize records them). This is
/// what replacements match sources and targets against.
pub fn all_ids(r: &Resource) -> Vec<ResId> {
    let mut ids = Vec::with_capacity(1 + r.meta.prev_ids.len());
    ids.push(r.id());
    if !r.meta.prev_ids.is_empty() {
        ids.extend(r.previous_ids());
    }
    ids
}

fn resid_is_empty(sel: &Selector) -> bool {
    sel.group.is_empty()
        && sel.version.is_empty()
        && sel.kind.is_empty()
        && sel.name.is_empty()
        && sel.namespace.is_empty()
}

/// A label or annotation selector parsed up front; kustomize parses it for each resource it
/// tests, so a bad one is only reported when there is a resource to test.
type Parsed = std::result::Result<LabelSelector, String>;

fn parsed(p: &Parsed) -> Result<&LabelSelector> {
    p.as_ref()
        .map_err(|e| Error::new(ErrorKind::Transform, e.clone()))
}

/// A replacement target's `select` and `reject` selectors, compiled (kustomize's
/// `TargetSelectorRegex` together with the label and annotation filtering of the replacement
/// filter).
#[derive(Clone, Debug)]
pub struct TargetMatcher {
    select: SelectorRegex,
    select_meta: (Parsed, Parsed),
    /// Rejects with some id field set.
    reject_ids: Vec<SelectorRegex>,
    /// Rejects with a label or annotation selector: (annotations, labels).
    reject_meta: Vec<(Parsed, Parsed)>,
}

impl TargetMatcher {
    /// Compiles `select` and `reject`. Invalid regular expressions fail here; invalid label or
    /// annotation selectors fail in [`TargetMatcher::matches`], as in kustomize.
    pub fn new(select: &Selector, reject: &[Selector]) -> Result<Self> {
        let select_re = SelectorRegex::new(select)?;
        let mut reject_ids = Vec::new();
        for r in reject {
            let re = SelectorRegex::new(r)?;
            if !resid_is_empty(r) {
                reject_ids.push(re);
            }
        }
        let meta = |s: &Selector| {
            (
                LabelSelector::parse(&s.annotation_selector),
                LabelSelector::parse(&s.label_selector),
            )
        };
        Ok(TargetMatcher {
            select: select_re,
            select_meta: meta(select),
            reject_ids,
            reject_meta: reject
                .iter()
                .filter(|r| !r.annotation_selector.is_empty() || !r.label_selector.is_empty())
                .map(meta)
                .collect(),
        })
    }

    /// Whether the target applies to `r`: its labels and annotations satisfy `select`'s
    /// selectors and no reject's selectors, no reject's id fields match any of its ids, and
    /// `select`'s id fields match one of its ids.
    pub fn matches(&self, r: &Resource) -> Result<bool> {
        let node = r.node();
        let meta_matches = |(a, l): &(Parsed, Parsed)| -> Result<bool> {
            let a = parsed(a)?;
            let l = parsed(l)?;
            Ok(a.matches(LabelSet::of(node, "annotations"))
                && l.matches(LabelSet::of(node, "labels")))
        };
        if !meta_matches(&self.select_meta)? {
            return Ok(false);
        }
        for reject in &self.reject_meta {
            if meta_matches(reject)? {
                return Ok(false);
            }
        }
        let ids = all_ids(r);
        if self
            .reject_ids
            .iter()
            .any(|re| ids.iter().any(|id| re.match_id(id)))
        {
            return Ok(false);
        }
        Ok(ids.iter().any(|id| self.select.match_id(id)))
    }
}

/// Whether `id` is selected by a replacement source's id fields: exact comparison, unset fields
/// match anything, namespaces compared in their effective form (kustomize's `IsSelectedBy`).
pub fn id_selected_by(id: &ResId, selector: &ResId) -> bool {
    (selector.name.is_empty() || selector.name == id.name)
        && (selector.namespace.is_empty()
            || selector.effective_namespace() == id.effective_namespace())
        && gvk_selected_by(&id.gvk, &selector.gvk)
}

fn gvk_selected_by(gvk: &Gvk, selector: &Gvk) -> bool {
    (selector.group.is_empty() || gvk.group == selector.group)
        && (selector.version.is_empty() || gvk.version == selector.version)
        && (selector.kind.is_empty() || gvk.kind == selector.kind)
}

/// kustomize's spelling of an id in messages: like [`ResId`]'s, with `[noName]` for no name.
pub fn resid_string(id: &ResId) -> String {
    let name = if id.name.is_empty() {
        "[noName]"
    } else {
        &id.name
    };
    let ns = if id.namespace.is_empty() {
        "[noNs]"
    } else {
        &id.namespace
    };
    format!("{}/{}.{}", id.gvk, name, ns)
}

#[cfg(test)]
mod tests;
