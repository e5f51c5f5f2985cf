//! Name references: when a resource was renamed (prefix, suffix, hash), the fields that refer
//! to it by name follow (kustomize's `FixBackReferences`).
//!
//! For each `nameReference` entry (a referral kind and the fields of other kinds that name it),
//! every resource whose original gvk a field spec selects is a referrer; the name found at the
//! field is looked up among the resources that were renamed from it, narrowed as kustomize
//! narrows them (kind, `roleRef` kind, namespace, and prefixes/suffixes shared with the
//! referrer), and replaced by the referral's current name (and namespace, for `{name,
//! namespace}` references).

use super::fieldspec::{gvk_selected, NameReference};
use super::walk::{walk_resource, Create, WalkError};
use crate::error::{Error, ErrorKind, Result};
use crate::node::{Node, Tag};
use crate::resource::{Gvk, ResId, Resource};
use std::collections::{HashMap, HashSet};

/// What the name-reference pass knows of a resource that may be referred to.
struct Referral {
    id: ResId,
    cluster_scoped: bool,
    namespace: String,
    original_namespace: String,
    previous: Vec<ResId>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Referral {
    fn of(r: &Resource) -> Self {
        let id = r.id();
        Referral {
            cluster_scoped: id.gvk.is_cluster_scoped(),
            namespace: id.effective_namespace().to_owned(),
            original_namespace: r.original_id().effective_namespace().to_owned(),
            previous: r.previous_ids(),
            prefixes: r.meta.prefixes.clone(),
            suffixes: r.meta.suffixes.clone(),
            id,
        }
    }
}

/// Whether the shorter list is the tail of the longer (empty matches only empty).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long[long.len() - short.len()..] == *short
}

fn affixes_match(a: &Referral, b: &Referral, allow_empty: bool) -> bool {
    let prefixes = (allow_empty && (a.prefixes.is_empty() || b.prefixes.is_empty()))
        || same_ending(&a.prefixes, &b.prefixes);
    let suffixes = (allow_empty && (a.suffixes.is_empty() || b.suffixes.is_empty()))
        || same_ending(&a.suffixes, &b.suffixes);
    prefixes && suffixes
}

/// Rewrites name references in `resources` after renames.
pub fn fix_name_references(resources: &mut [Resource], backrefs: &[NameReference]) -> Result<()> {
    // kustomize reads every referrer's subject namespaces before updating anything, whether or
    // not something was renamed, and rejects a RoleBinding whose ServiceAccount subject has a
    // namespace that is not a string.
    for r in resources.iter().filter(|r| r.kind() == "RoleBinding") {
        let gvk = r.original_id().gvk;
        let is_referrer = backrefs
            .iter()
            .flat_map(|b| &b.referrers)
            .any(|spec| gvk_selected(&gvk, spec.gvk()));
        if is_referrer {
            check_subject_namespaces(r)?;
        }
    }
    let referrals: Vec<Referral> = resources.iter().map(Referral::of).collect();
    // Candidates are looked up by a previous name; an index keeps that linear.
    let mut by_previous_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in referrals.iter().enumerate() {
        let mut seen = HashSet::new();
        for p in &r.previous {
            if seen.insert(p.name.as_str()) {
                by_previous_name.entry(p.name.as_str()).or_default().push(i);
            }
        }
    }
    if by_previous_name.is_empty() {
        return Ok(());
    }
    let original_gvks: Vec<Gvk> = resources.iter().map(|r| r.original_id().gvk).collect();
    for (ri, referrer) in resources.iter_mut().enumerate() {
        let subject_namespaces = role_binding_subject_namespaces(referrer);
        for backref in backrefs {
            for spec in &backref.referrers {
                if !gvk_selected(&original_gvks[ri], spec.gvk()) {
                    continue;
                }
                let ctx = Context {
                    referrals: &referrals,
                    by_previous_name: &by_previous_name,
                    subject_namespaces: &subject_namespaces,
                    referrer: ri,
                    target: &backref.referral,
                    role_ref: role_ref_gvk(referrer.node(), spec.path_str()),
                };
                walk_resource(
                    referrer.node_mut(),
                    spec.path(),
                    Create::No,
                    &mut |n: &mut Node| ctx.set(n),
                )
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Transform,
                        format!(
                            "updating name reference in '{}' field of '{}': {}",
                            spec.path_str(),
                            referrals[ri].id,
                            e.message()
                        ),
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// The namespaces of a RoleBinding's ServiceAccount subjects (resources there may be referred
/// to across namespaces).
fn role_binding_subject_namespaces(referrer: &Resource) -> Vec<String> {
    if referrer.kind() != "RoleBinding" {
        return Vec::new();
    }
    let subjects = referrer
        .node()
        .get("subjects")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    subjects
        .iter()
        .filter(|s| s.str_at(&["kind"]) == Some("ServiceAccount"))
        .filter_map(|s| s.str_at(&["namespace"]).map(str::to_owned))
        .collect()
}

/// Fails when a ServiceAccount subject of RoleBinding `r` has a `namespace` that does not
/// decode as a string (null, a number, a map…), as kustomize does.
fn check_subject_namespaces(r: &Resource) -> Result<()> {
    let subjects = r
        .node()
        .get("subjects")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    for subject in subjects {
        let Some(ns) = subject.get("namespace") else {
            continue;
        };
        if subject.str_at(&["kind"]) != Some("ServiceAccount") {
            continue;
        }
        // A YAML decoder into a generic value keeps timestamps and binary text as strings.
        let is_string = ns
            .as_scalar()
            .is_some_and(|s| matches!(s.tag, Tag::Str | Tag::Timestamp | Tag::Binary));
        if !is_string {
            return Err(Error::new(
                ErrorKind::Resource,
                format!(
                    "Invalid Input: namespace is blank for resource \"{}\"",
                    r.id()
                ),
            ));
        }
    }
    Ok(())
}

/// For `…roleRef/name` fields: the kind the roleRef names (with its apiGroup).
fn role_ref_gvk(node: &Node, path: &str) -> Option<Gvk> {
    if !path.ends_with("roleRef/name") {
        return None;
    }
    let role_ref = node.get("roleRef")?;
    let group = role_ref.get("apiGroup")?.as_scalar()?.as_str();
    let kind = role_ref.get("kind")?.as_scalar()?.as_str();
    Some(Gvk::new(group, "", kind))
}

struct Context<'a> {
    referrals: &'a [Referral],
    by_previous_name: &'a HashMap<&'a str, Vec<usize>>,
    subject_namespaces: &'a [String],
    referrer: usize,
    target: &'a Gvk,
    role_ref: Option<Gvk>,
}

impl Context<'_> {
    fn set(&self, node: &mut Node) -> Result<(), WalkError> {
        match node {
            Node::Scalar(s) if s.is_null() => Ok(()),
            Node::Scalar(_) => self.set_scalar(node),
            Node::Map(_) => self.set_mapping(node),
            Node::Seq(items) => {
                for item in items {
                    match item {
                        Node::Scalar(s) if s.is_null() => {}
                        Node::Scalar(_) => self.set_scalar(item)?,
                        Node::Map(_) => self.set_mapping(item)?,
                        Node::Seq(_) => {
                            return Err(WalkError::new(
                                "a sequence element is expected to be either a string or a map of string",
                            ))
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn set_scalar(&self, node: &mut Node) -> Result<(), WalkError> {
        let Node::Scalar(s) = node else { return Ok(()) };
        let old = s.as_str().to_owned();
        let candidates: Vec<usize> = self
            .named(&old)
            .filter(|&i| self.could_refer_to(i))
            .collect();
        let Some(referral) = self.select(candidates, false)? else {
            return Ok(());
        };
        let name = &self.referrals[referral].id.name;
        if *name != old {
            *node = Node::string(name.as_str());
        }
        Ok(())
    }

    fn set_mapping(&self, node: &mut Node) -> Result<(), WalkError> {
        let Node::Map(map) = node else { return Ok(()) };
        let Some(name_node) = map.get("name") else {
            return Err(WalkError::new("path config error; no 'name' field in node"));
        };
        let old = name_node.as_scalar().map_or("", |s| s.as_str()).to_owned();
        let namespace = map
            .get("namespace")
            .map(|n| n.as_scalar().map_or("", |s| s.as_str()).to_owned());
        let candidates: Vec<usize> = match &namespace {
            None => self
                .named(&old)
                .filter(|&i| self.could_refer_to(i))
                .collect(),
            Some(ns) => {
                let pool = self.named(&old).filter(|&i| self.could_refer_to(i));
                // Candidates originally in that namespace; failing any, those in it now.
                let originally_there = |i: usize| {
                    let r = &self.referrals[i];
                    !r.cluster_scoped && r.original_namespace == *ns
                };
                if (0..self.referrals.len()).any(|i| originally_there(i) && self.could_refer_to(i))
                {
                    pool.filter(|&i| originally_there(i)).collect()
                } else {
                    pool.filter(|&i| self.referrals[i].namespace == *ns)
                        .collect()
                }
            }
        };
        let Some(referral) = self.select(candidates, true)? else {
            return Ok(());
        };
        let r = &self.referrals[referral].id;
        if r.name == old && r.namespace.is_empty() {
            return Ok(());
        }
        map.insert("name", r.name.as_str());
        if !r.namespace.is_empty() {
            map.insert("namespace", r.namespace.as_str());
        }
        Ok(())
    }

    /// kustomize's `SubsetThatCouldBeReferencedByResource`: anything for a cluster-scoped
    /// referrer; else cluster-scoped resources, those in the referrer's namespace, and (for a
    /// RoleBinding) those in the namespaces of its ServiceAccount subjects.
    fn could_refer_to(&self, i: usize) -> bool {
        let me = &self.referrals[self.referrer];
        let r = &self.referrals[i];
        me.cluster_scoped
            || r.cluster_scoped
            || r.namespace == me.namespace
            || self.subject_namespaces.contains(&r.id.namespace)
    }

    /// Resources that once had `name`.
    fn named<'s>(&'s self, name: &str) -> impl Iterator<Item = usize> + 's {
        self.by_previous_name
            .get(name)
            .into_iter()
            .flatten()
            .copied()
    }

    /// kustomize's `selectReferral`, after the name and candidate-set filters.
    fn select(
        &self,
        candidates: Vec<usize>,
        with_namespace: bool,
    ) -> Result<Option<usize>, WalkError> {
        let referrer = &self.referrals[self.referrer];
        let selected_by = |i: usize, gvk: &Gvk| {
            self.referrals[i]
                .previous
                .iter()
                .any(|p| gvk_selected(&p.gvk, gvk))
        };
        let mut c: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| selected_by(i, self.target))
            .collect();
        if let Some(role_ref) = &self.role_ref {
            c.retain(|&i| selected_by(i, role_ref));
        }
        if !referrer.cluster_scoped {
            c.retain(|&i| {
                let r = &self.referrals[i];
                r.cluster_scoped
                    || r.id.gvk.kind == "ServiceAccount"
                    || r.namespace == referrer.namespace
            });
        }
        if c.len() == 1 {
            return Ok(Some(c[0]));
        }
        c.retain(|&i| affixes_match(&self.referrals[i], referrer, true));
        if c.len() > 1 {
            c.retain(|&i| affixes_match(&self.referrals[i], referrer, false));
        }
        match c.len() {
            0 => Ok(None),
            1 => Ok(Some(c[0])),
            _ => {
                let first = &self.referrals[c[0]].id;
                let identical = c.iter().all(|&i| {
                    let r = &self.referrals[i].id;
                    r.name == first.name && (!with_namespace || r.namespace == first.namespace)
                });
                if identical {
                    return Ok(Some(c[0]));
                }
                let ids: Vec<String> = c
                    .iter()
                    .map(|&i| self.referrals[i].id.to_string())
                    .collect();
                Err(WalkError::new(format!(
                    "found multiple possible referrals: {}",
                    ids.join(", ")
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_ending_compares_tails() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(same_ending(&v(&["a", "b"]), &v(&["b"])));
        assert!(!same_ending(&v(&["a", "b"]), &v(&["a"])));
        assert!(same_ending(&v(&[]), &v(&[])));
        assert!(!same_ending(&v(&[]), &v(&["a"])));
    }
}
