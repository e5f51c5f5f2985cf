//! Resources and their identities.

use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;
use std::collections::HashMap;
use std::fmt;

/// Group, version and kind of a resource, as kustomize identifies it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    /// API group; empty for the core group.
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
}

impl Gvk {
    /// A gvk from its parts.
    pub fn new(
        group: impl Into<String>,
        version: impl Into<String>,
        kind: impl Into<String>,
    ) -> Self {
        Gvk {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    /// Splits an `apiVersion` (`apps/v1`, `v1`) and pairs it with `kind`.
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk::new(group, version, kind)
    }

    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// kustomize's spelling: `Kind.version.group`, with `[noKind]`, `[noVer]`, `[noGrp]` for blanks.
impl fmt::Display for Gvk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or = |s: &str, blank: &'static str| {
            if s.is_empty() {
                blank.to_owned()
            } else {
                s.to_owned()
            }
        };
        write!(
            f,
            "{}.{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]")
        )
    }
}

/// A resource's identity: gvk, name and namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResId {
    /// Group, version, kind.
    pub gvk: Gvk,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`; empty when unset.
    pub namespace: String,
}

/// kustomize's spelling: `Kind.version.group/name.namespace`, `[noNs]` for no namespace.
impl fmt::Display for ResId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        write!(f, "{}/{}.{}", self.gvk, self.name, ns)
    }
}

impl ResId {
    /// The namespace kustomize compares ids by: cluster-scoped kinds have none, and an empty
    /// namespace means `default`.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            "_non_namespaceable_"
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// Whether two ids name the same resource (gvk, name, and effective namespace equal).
    pub fn same_as(&self, other: &ResId) -> bool {
        self.gvk == other.gvk
            && self.name == other.name
            && self.effective_namespace() == other.effective_namespace()
    }

    /// A key that is equal for ids that are [`ResId::same_as`] each other.
    pub(crate) fn key(&self) -> (Gvk, String, String) {
        (
            self.gvk.clone(),
            self.name.clone(),
            self.effective_namespace().to_owned(),
        )
    }
}

impl Gvk {
    /// Whether kustomize knows this kind to be cluster-scoped (from the Kubernetes schema it
    /// embeds); unknown kinds are namespaced.
    pub fn is_cluster_scoped(&self) -> bool {
        crate::openapi::is_cluster_scoped_gvk(&self.group, &self.version, &self.kind)
    }
}

/// How a generated resource combines with one of the same id from a base.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behavior {
    /// `create` (or unset): the id must be new.
    #[default]
    Create,
    /// `replace`: replaces the base's resource, keeping its name and metadata.
    Replace,
    /// `merge`: merges data into the base's resource.
    Merge,
}

/// What a build tracks about a resource besides its document (kustomize keeps these as internal
/// annotations and strips them before printing).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct BuildMeta {
    /// Earlier (kind, name, namespace) of the resource, oldest first, for name references.
    pub prev_ids: Vec<(String, String, String)>,
    /// Whether the name gets a content hash suffix at the end of the build.
    pub needs_hash: bool,
    /// How a generated resource merges with an existing one.
    pub behavior: Behavior,
    /// Name prefixes added, oldest first.
    pub prefixes: Vec<String>,
    /// Name suffixes added, oldest first.
    pub suffixes: Vec<String>,
    /// Names of the vars that refer to this resource.
    pub ref_var_names: Vec<String>,
    /// Made by a generator.
    pub generated: bool,
    /// `metadata.namespace` is a spelled-out null (`null`, `~`) that kyaml has turned into an
    /// untagged scalar (a NamespaceTransformer with `unsetOnly` kept it): its text is the
    /// namespace, while it still prints as null.
    pub untagged_null_namespace: bool,
}

impl BuildMeta {
    /// The build history a document already carries: kustomize keeps previous ids and name
    /// affixes in internal annotations, so a file that holds them (say, output saved with
    /// `buildMetadata`-like tooling) starts its build with that history.
    fn from_annotations(node: &Node) -> Self {
        let mut meta = BuildMeta::default();
        let Some(annotations) = node
            .get_path(&["metadata", "annotations"])
            .and_then(Node::as_map)
        else {
            return meta;
        };
        let csv = |key: &str| -> Option<Vec<String>> {
            let text = annotations.get(key)?.as_scalar()?.as_str();
            Some(text.split(',').map(str::to_owned).collect())
        };
        if let Some(names) = csv("internal.config.kubernetes.io/previousNames") {
            let kinds = csv("internal.config.kubernetes.io/previousKinds").unwrap_or_default();
            let namespaces =
                csv("internal.config.kubernetes.io/previousNamespaces").unwrap_or_default();
            // kustomize cannot use lists of unequal length (it stops); keep none then.
            if kinds.len() == names.len() && namespaces.len() == names.len() {
                meta.prev_ids = kinds
                    .into_iter()
                    .zip(names)
                    .zip(namespaces)
                    .map(|((kind, name), ns)| (kind, name, ns))
                    .collect();
            }
        }
        meta.prefixes = csv("internal.config.kubernetes.io/prefixes").unwrap_or_default();
        meta.suffixes = csv("internal.config.kubernetes.io/suffixes").unwrap_or_default();
        meta
    }

    /// Whether kustomize would have put internal annotations on the resource by now (so that its
    /// `metadata.annotations` mapping exists, which JSON patches can observe).
    pub fn has_build_annotations(&self) -> bool {
        self.generated
            || self.needs_hash
            || !self.prev_ids.is_empty()
            || !self.prefixes.is_empty()
            || !self.suffixes.is_empty()
    }
}

/// One resource of a build: its document and what the build knows about its history.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    node: Node,
    pub(crate) meta: BuildMeta,
}

impl Resource {
    /// Wraps a document that has passed [`crate::load::resources::parse_resources`]'s checks.
    pub fn new(node: Node) -> Self {
        let meta = BuildMeta::from_annotations(&node);
        Resource { node, meta }
    }

    /// Sets `metadata.name`.
    pub fn set_name(&mut self, name: &str) {
        if let Some(meta) = self
            .node
            .as_map_mut()
            .map(|m| m.get_or_insert_with("metadata", Node::map))
        {
            if let Some(meta) = meta.as_map_mut() {
                meta.insert("name", name);
            }
        }
    }

    /// Records the current id as a previous one (before a name or namespace change).
    pub(crate) fn store_previous_id(&mut self) {
        let id = self.id();
        let ns = id.effective_namespace().to_owned();
        self.meta.prev_ids.push((id.gvk.kind, id.name, ns));
    }

    /// Records the current kind and namespace with `name` as a previous id.
    pub(crate) fn store_previous_id_named(&mut self, name: &str) {
        let id = self.id();
        let ns = id.effective_namespace().to_owned();
        self.meta.prev_ids.push((id.gvk.kind, name.to_owned(), ns));
    }

    /// The id the resource had when it entered the build (its first previous id, or its current
    /// one).
    pub fn original_id(&self) -> ResId {
        self.previous_ids()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.id())
    }

    /// The ids the resource had before, oldest first.
    pub fn previous_ids(&self) -> Vec<ResId> {
        let gvk = self.gvk();
        self.meta
            .prev_ids
            .iter()
            .map(|(kind, name, ns)| ResId {
                gvk: Gvk {
                    kind: kind.clone(),
                    ..gvk.clone()
                },
                name: name.clone(),
                namespace: ns.clone(),
            })
            .collect()
    }

    /// The document.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The document, to change it.
    pub fn node_mut(&mut self) -> &mut Node {
        &mut self.node
    }

    /// Unwraps the document.
    pub fn into_node(self) -> Node {
        self.node
    }

    fn text(&self, path: &[&str]) -> &str {
        self.node.str_at(path).unwrap_or("")
    }

    /// `apiVersion`.
    pub fn api_version(&self) -> &str {
        self.text(&["apiVersion"])
    }

    /// `kind`.
    pub fn kind(&self) -> &str {
        self.text(&["kind"])
    }

    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.text(&["metadata", "name"])
    }

    /// `metadata.namespace`, empty when unset.
    pub fn namespace(&self) -> &str {
        match self.node.get_path(&["metadata", "namespace"]) {
            Some(Node::Scalar(s)) if self.meta.untagged_null_namespace => s.as_str(),
            Some(n) => n.as_str().unwrap_or(""),
            None => "",
        }
    }

    /// Group, version and kind.
    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }

    /// The resource's current id.
    pub fn id(&self) -> ResId {
        ResId {
            gvk: self.gvk(),
            name: self.name().to_owned(),
            namespace: self.namespace().to_owned(),
        }
    }
}

/// An ordered list of resources. Appending checks that the id is new, as kustomize does;
/// changes made through [`ResourceList::update`] are not checked (kustomize does not either).
#[derive(Clone, Debug, Default)]
pub struct ResourceList {
    resources: Vec<Resource>,
    /// First index of each current id; valid only when `fresh`.
    index: HashMap<(Gvk, String, String), usize>,
    fresh: bool,
}

impl ResourceList {
    /// An empty list.
    pub fn new() -> Self {
        ResourceList {
            fresh: true,
            ..Default::default()
        }
    }

    /// Number of resources.
    pub fn len(&self) -> usize {
        self.resources.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    fn refresh(&mut self) {
        if self.fresh {
            return;
        }
        self.index.clear();
        for (i, r) in self.resources.iter().enumerate() {
            self.index.entry(r.id().key()).or_insert(i);
        }
        self.fresh = true;
    }

    /// Appends a resource; its id must not be taken.
    pub fn append(&mut self, resource: Resource) -> Result<()> {
        self.refresh();
        let id = resource.id();
        let key = id.key();
        if self.index.contains_key(&key) {
            return Err(Error::new(
                ErrorKind::ResourceId,
                format!("may not add resource with an already registered id: {id}"),
            ));
        }
        self.index.insert(key, self.resources.len());
        self.resources.push(resource);
        Ok(())
    }

    /// Appends every resource of `other`, in order.
    pub fn append_all(&mut self, other: ResourceList) -> Result<()> {
        other.resources.into_iter().try_for_each(|r| self.append(r))
    }

    /// The resources, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.resources.iter()
    }

    /// The resources as a slice.
    pub fn as_slice(&self) -> &[Resource] {
        &self.resources
    }

    /// Indices of resources whose current or any previous id is [`ResId::same_as`] `id`.
    pub fn matching_any_id(&self, id: &ResId) -> Vec<usize> {
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.id().same_as(id) || r.previous_ids().iter().any(|p| p.same_as(id)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The first resource whose current id is [`ResId::same_as`] `id`.
    pub fn get(&self, id: &ResId) -> Option<&Resource> {
        if self.fresh {
            self.index.get(&id.key()).map(|&i| &self.resources[i])
        } else {
            self.resources.iter().find(|r| r.id().same_as(id))
        }
    }

    /// Changes the resources in place: edit, reorder, remove.
    pub fn update<T>(&mut self, change: impl FnOnce(&mut Vec<Resource>) -> Result<T>) -> Result<T> {
        self.fresh = false;
        change(&mut self.resources)
    }

    /// The resources, in order, as a vector.
    pub fn into_vec(self) -> Vec<Resource> {
        self.resources
    }
}

impl<'a> IntoIterator for &'a ResourceList {
    type Item = &'a Resource;
    type IntoIter = std::slice::Iter<'a, Resource>;
    fn into_iter(self) -> Self::IntoIter {
        self.resources.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_ids_as_kustomize_does() {
        let id = ResId {
            gvk: Gvk::from_api_version("v1", "ConfigMap"),
            name: "istio".into(),
            namespace: "istio-system".into(),
        };
        assert_eq!(id.to_string(), "ConfigMap.v1.[noGrp]/istio.istio-system");
        let apps = Gvk::from_api_version("apps/v1", "Deployment");
        assert_eq!(apps.to_string(), "Deployment.v1.apps");
        assert_eq!(apps.api_version(), "apps/v1");
    }
}
