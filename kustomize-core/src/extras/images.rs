//! Which images a build deploys, and where each one is named.
//!
//! An image is named in one of these places (every resource but `CustomResourceDefinition`s,
//! which kustomize's `images:` transformer leaves alone too):
//! * the `image` of each entry of a `containers`, `initContainers` or `ephemeralContainers` list,
//!   anywhere in the resource, whatever its kind (pod templates of workloads and of custom
//!   resources alike);
//! * the other fields kustomize's `images:` transformer rewrites (pod image volumes);
//! * any other `image` field holding a well-formed reference (`spec.container.image`);
//! * the `value` of a container environment variable whose name ends in `IMAGE`;
//! * a ConfigMap `data` entry whose key names an image (`queue-sidecar-image`, `cacheImage`);
//! * configuration text in a ConfigMap's `data` (YAML or JSON, read lexically): the values of
//!   keys that name an image (`image`, `defaultJobImage`, …).
//!
//! Template placeholders (`$VAR`, `${VAR}`, `{{ … }}`) are never images.

use super::reference::{is_placeholder, is_well_formed};
use super::text::{self, is_image_key, HitKind, TextHit};
use crate::build::Build;
use crate::gosem::json::write_string as json_string;
use crate::node::{Node, Tag};
use crate::resource::Resource;
use crate::transform::fieldspec::TransformerConfig;
use crate::transform::path::gvk_of;
use compact_str::CompactString;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// Where in a resource an image is named.
///
/// ```
/// use kustomize_core::extras::{ImageInventory, ImageSource};
/// use kustomize_core::load::yaml::{parse_documents, Schema};
/// use kustomize_core::Resource;
///
/// let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  cacheImage: registry.k8s.io/busybox\n";
/// let r = Resource::new(parse_documents(doc.as_bytes(), Schema::Core).unwrap().remove(0));
/// let inventory = ImageInventory::of(&[r]);
/// assert_eq!(inventory.uses("registry.k8s.io/busybox")[0].source, ImageSource::ConfigMapEntry);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImageSource {
    /// The `image` of an entry of a `containers`, `initContainers` or `ephemeralContainers` list.
    Container,
    /// Another field kustomize's `images:` transformer treats as an image (an image volume's
    /// `reference`).
    TransformerField,
    /// Any other `image` field holding a well-formed reference.
    ImageField,
    /// The `value` of a container environment variable whose name ends in `IMAGE`.
    EnvVar,
    /// A ConfigMap `data` entry whose key names an image.
    ConfigMapEntry,
    /// An image key inside configuration text in a ConfigMap's `data`.
    EmbeddedText,
    /// A bare name inside Helm-style configuration text that also has a `hub` (Istio's
    /// `"image": "proxyv2"`): the program pulls `hub/name:tag`. Listed as written; mirroring
    /// rewrites the `hub` instead.
    HubRelativeText,
}

impl ImageSource {
    /// A short lower-case name, as the JSON listing spells it.
    ///
    /// ```
    /// use kustomize_core::extras::ImageSource;
    /// assert_eq!(ImageSource::EmbeddedText.as_str(), "embedded-text");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ImageSource::Container => "container",
            ImageSource::TransformerField => "transformer-field",
            ImageSource::ImageField => "image-field",
            ImageSource::EnvVar => "env-var",
            ImageSource::ConfigMapEntry => "configmap-entry",
            ImageSource::EmbeddedText => "embedded-text",
            ImageSource::HubRelativeText => "hub-relative-text",
        }
    }

    /// Whether the image sits inside configuration text rather than in a field of its own.
    ///
    /// ```
    /// use kustomize_core::extras::ImageSource;
    /// assert!(ImageSource::EmbeddedText.is_embedded());
    /// assert!(!ImageSource::Container.is_embedded());
    /// ```
    pub fn is_embedded(self) -> bool {
        matches!(
            self,
            ImageSource::EmbeddedText | ImageSource::HubRelativeText
        )
    }
}

/// One place an image is named.
///
/// ```
/// use kustomize_core::extras::{ImageInventory, ImageSource};
/// use kustomize_core::load::yaml::{parse_documents, Schema};
/// use kustomize_core::Resource;
///
/// let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n";
/// let r = Resource::new(parse_documents(doc.as_bytes(), Schema::Core).unwrap().remove(0));
/// let inventory = ImageInventory::of(&[r]);
/// let u = &inventory.uses("nginx:1.25")[0];
/// assert_eq!((u.kind.as_str(), u.namespace.as_str(), u.name.as_str()), ("Deployment", "prod", "web"));
/// assert_eq!(u.path, "spec.template.spec.containers[0].image");
/// assert_eq!((u.source, u.line), (ImageSource::Container, None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUse {
    /// The resource's `apiVersion`.
    pub api_version: String,
    /// The resource's `kind`.
    pub kind: String,
    /// The resource's namespace, empty when it has none.
    pub namespace: String,
    /// The resource's name.
    pub name: String,
    /// The field, as `spec.template.spec.containers[0].image` (keys that are not plain words
    /// are quoted: `data["config.yaml"]`). For embedded text, the field holding the text.
    pub path: String,
    /// What kind of place it is.
    pub source: ImageSource,
    /// For embedded text, the 1-based line of the text that names the image.
    pub line: Option<usize>,
}

/// The images of a build: unique, sorted, each with the places that name it (in output order).
///
/// ```
/// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
///
/// let mut fs = MemoryFs::new();
/// fs.add_file("/app/kustomization.yaml", "resources: [job.yaml]\n").add_file(
///     "/app/job.yaml",
///     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: wait\n        image: busybox:1.36\n      containers:\n      - name: run\n        image: registry.local:5000/tools/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
/// );
/// let build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
/// let images = build.images();
/// assert_eq!(
///     images.images().collect::<Vec<_>>(),
///     [
///         "busybox:1.36",
///         "registry.local:5000/tools/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
///     ]
/// );
/// assert_eq!(images.uses("busybox:1.36")[0].path, "spec.template.spec.initContainers[0].image");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageInventory {
    entries: BTreeMap<String, Vec<ImageUse>>,
}

impl ImageInventory {
    /// The inventory of `resources`.
    ///
    /// ```
    /// use kustomize_core::extras::ImageInventory;
    /// use kustomize_core::load::yaml::{parse_documents, Schema};
    /// use kustomize_core::Resource;
    ///
    /// let doc = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: nginx\n";
    /// let nodes = parse_documents(doc.as_bytes(), Schema::Core).unwrap();
    /// let resources: Vec<Resource> = nodes.into_iter().map(Resource::new).collect();
    /// assert_eq!(ImageInventory::of(&resources).to_text(), "nginx\n");
    /// ```
    pub fn of(resources: &[Resource]) -> Self {
        let mut entries: BTreeMap<String, Vec<ImageUse>> = BTreeMap::new();
        for r in resources {
            let node = r.node();
            let sites = find_sites(node);
            if sites.is_empty() {
                continue;
            }
            let use_at = |path: &[Seg], source, line| ImageUse {
                api_version: r.api_version().to_owned(),
                kind: r.kind().to_owned(),
                namespace: r.namespace().to_owned(),
                name: r.name().to_owned(),
                path: render_path(path),
                source,
                line,
            };
            for site in &sites.fields {
                if let Some(image) = scalar_at(node, &site.path) {
                    entries.entry(image.to_owned()).or_default().push(use_at(
                        &site.path,
                        site.source,
                        None,
                    ));
                }
            }
            for site in &sites.texts {
                let Some(text) = scalar_at(node, &site.path) else {
                    continue;
                };
                for hit in &site.hits {
                    let source = match hit.kind {
                        HitKind::Image => ImageSource::EmbeddedText,
                        HitKind::HubRelative => ImageSource::HubRelativeText,
                        HitKind::Hub => continue,
                    };
                    let Some(image) = text.get(hit.range.clone()) else {
                        continue;
                    };
                    entries.entry(image.to_owned()).or_default().push(use_at(
                        &site.path,
                        source,
                        Some(hit.line),
                    ));
                }
            }
        }
        ImageInventory { entries }
    }

    /// The images, sorted, each once.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert_eq!(ImageInventory::default().images().count(), 0);
    /// ```
    pub fn images(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The places that name `image`, in output order (empty if none does).
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert!(ImageInventory::default().uses("nginx").is_empty());
    /// ```
    pub fn uses(&self, image: &str) -> &[ImageUse] {
        self.entries.get(image).map_or(&[], Vec::as_slice)
    }

    /// Each image with the places that name it, sorted by image.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// for (image, uses) in ImageInventory::default().iter() {
    ///     println!("{image}: {} uses", uses.len());
    /// }
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &[ImageUse])> {
        self.entries
            .iter()
            .map(|(image, uses)| (image.as_str(), uses.as_slice()))
    }

    /// The number of distinct images.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert_eq!(ImageInventory::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no image is named.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert!(ImageInventory::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One image a line, sorted (what `kbuild --list-images` prints).
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert_eq!(ImageInventory::default().to_text(), "");
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for image in self.entries.keys() {
            out.push_str(image);
            out.push('\n');
        }
        out
    }

    /// The inventory as JSON (what `kbuild --list-images --format json` prints): an object whose
    /// `images` array holds, per image, `image` and `uses`, each use with `apiVersion`, `kind`,
    /// `namespace`, `name`, `path`, `source`, `embedded` and, for embedded text, `line`.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageInventory;
    /// assert_eq!(ImageInventory::default().to_json(), "{\"images\": []}\n");
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"images\": [");
        for (i, (image, uses)) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n  " } else { ",\n  " });
            out.push_str("{\"image\": ");
            json_string(&mut out, image);
            out.push_str(", \"uses\": [");
            for (j, u) in uses.iter().enumerate() {
                out.push_str(if j == 0 { "\n    " } else { ",\n    " });
                out.push_str("{\"apiVersion\": ");
                json_string(&mut out, &u.api_version);
                out.push_str(", \"kind\": ");
                json_string(&mut out, &u.kind);
                out.push_str(", \"namespace\": ");
                json_string(&mut out, &u.namespace);
                out.push_str(", \"name\": ");
                json_string(&mut out, &u.name);
                out.push_str(", \"path\": ");
                json_string(&mut out, &u.path);
                out.push_str(", \"source\": ");
                json_string(&mut out, u.source.as_str());
                let _ = write!(out, ", \"embedded\": {}", u.source.is_embedded());
                if let Some(line) = u.line {
                    let _ = write!(out, ", \"line\": {line}");
                }
                out.push('}');
            }
            out.push_str(if uses.is_empty() { "]}" } else { "\n  ]}" });
        }
        out.push_str(if self.entries.is_empty() {
            "]}\n"
        } else {
            "\n]}\n"
        });
        out
    }
}

impl Build {
    /// Every image the build deploys, with where each is named (see [`crate::extras`] for the
    /// places looked at).
    ///
    /// ```
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [cm.yaml]\n").add_file(
    ///     "/app/cm.yaml",
    ///     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  config.yaml: |\n    suggestions:\n    - algorithm: random\n      image: ghcr.io/example/suggest:v1\n",
    /// );
    /// let build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    /// let images = build.images();
    /// let uses = images.uses("ghcr.io/example/suggest:v1");
    /// assert_eq!(uses[0].path, "data[\"config.yaml\"]");
    /// assert_eq!(uses[0].line, Some(3));
    /// assert!(uses[0].source.is_embedded());
    /// ```
    pub fn images(&self) -> ImageInventory {
        ImageInventory::of(self.resources())
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the places (shared by the inventory and by mirroring).

/// One step of a path into a resource.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Key(CompactString),
    Index(usize),
}

/// A scalar field holding one image.
#[derive(Clone, Debug)]
pub(crate) struct FieldSite {
    pub path: Vec<Seg>,
    pub source: ImageSource,
}

/// A string field holding configuration text, with the values found in it.
#[derive(Clone, Debug)]
pub(crate) struct TextSite {
    pub path: Vec<Seg>,
    pub hits: Vec<TextHit>,
}

/// Every place in one resource.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sites {
    pub fields: Vec<FieldSite>,
    pub texts: Vec<TextSite>,
}

impl Sites {
    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.texts.is_empty()
    }
}

const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// A non-null string scalar's text.
fn string_of(node: &Node) -> Option<&str> {
    match node {
        Node::Scalar(s) if s.tag == Tag::Str => Some(s.as_str()),
        _ => None,
    }
}

/// The string at `path`.
pub(crate) fn scalar_at<'a>(node: &'a Node, path: &[Seg]) -> Option<&'a str> {
    let mut n = node;
    for seg in path {
        n = match seg {
            Seg::Key(k) => n.get(k)?,
            Seg::Index(i) => n.as_seq()?.get(*i)?,
        };
    }
    string_of(n)
}

/// The node at `path`, mutably.
pub(crate) fn node_at_mut<'a>(node: &'a mut Node, path: &[Seg]) -> Option<&'a mut Node> {
    let mut n = node;
    for seg in path {
        n = match seg {
            Seg::Key(k) => n.get_mut(k)?,
            Seg::Index(i) => n.as_seq_mut()?.get_mut(*i)?,
        };
    }
    Some(n)
}

fn render_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Seg::Key(k)
                if !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Key(k) => {
                out.push('[');
                json_string(&mut out, k);
                out.push(']');
            }
        }
    }
    out
}

/// Every place in `node` (a resource) that names an image.
pub(crate) fn find_sites(node: &Node) -> Sites {
    let mut sites = Sites::default();
    let kind = node.str_at(&["kind"]).unwrap_or("");
    if kind == "CustomResourceDefinition" {
        return sites;
    }
    let is_config_map = kind == "ConfigMap";
    let mut path = Vec::new();
    if let Node::Map(root) = node {
        for (k, v) in root.iter() {
            // A ConfigMap's data is configuration, read below; metadata never names images.
            if k.as_str() == "metadata" || (is_config_map && k.as_str() == "data") {
                continue;
            }
            path.push(Seg::Key(k.text.clone()));
            walk(v, &mut path, false, &mut sites);
            path.pop();
        }
    }
    transformer_fields(node, &mut sites);
    if is_config_map {
        config_map_data(node, &mut sites);
    }
    sites
}

/// Accepts an image value: container images need only be real values; elsewhere the value must
/// be a well-formed reference.
fn accept(value: &str, source: ImageSource) -> bool {
    !value.is_empty()
        && !is_placeholder(value)
        && (source == ImageSource::Container || is_well_formed(value))
}

fn walk(node: &Node, path: &mut Vec<Seg>, container: bool, sites: &mut Sites) {
    match node {
        Node::Map(m) => {
            for (k, v) in m.iter() {
                let key = k.as_str();
                if key == "metadata" {
                    continue;
                }
                path.push(Seg::Key(k.text.clone()));
                if key == "image" {
                    let source = if container {
                        ImageSource::Container
                    } else {
                        ImageSource::ImageField
                    };
                    if string_of(v).is_some_and(|s| accept(s, source)) {
                        sites.fields.push(FieldSite {
                            path: path.clone(),
                            source,
                        });
                    }
                }
                match v {
                    Node::Seq(items) if CONTAINER_LISTS.contains(&key) => {
                        for (i, item) in items.iter().enumerate() {
                            path.push(Seg::Index(i));
                            walk(item, path, true, sites);
                            path.pop();
                        }
                    }
                    Node::Seq(items) if container && key == "env" => {
                        env_vars(items, path, sites);
                        walk(v, path, false, sites);
                    }
                    _ => walk(v, path, false, sites),
                }
                path.pop();
            }
        }
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(item, path, false, sites);
                path.pop();
            }
        }
        Node::Scalar(_) => {}
    }
}

fn env_vars(items: &[Node], path: &[Seg], sites: &mut Sites) {
    for (i, item) in items.iter().enumerate() {
        let named_image = item
            .get("name")
            .and_then(string_of)
            .is_some_and(is_image_key);
        let value = item.get("value").and_then(string_of);
        if named_image && value.is_some_and(|v| accept(v, ImageSource::EnvVar)) {
            let mut p = path.to_vec();
            p.push(Seg::Index(i));
            p.push(Seg::Key(CompactString::const_new("value")));
            sites.fields.push(FieldSite {
                path: p,
                source: ImageSource::EnvVar,
            });
        }
    }
}

/// The fields of the builtin `images` field specs that the generic walk did not find.
fn transformer_fields(node: &Node, sites: &mut Sites) {
    let gvk = gvk_of(node);
    let mut seen: HashSet<Vec<Seg>> = sites.fields.iter().map(|s| s.path.clone()).collect();
    let mut found = Vec::new();
    for spec in &TransformerConfig::builtin().images {
        if !spec.selects(&gvk) {
            continue;
        }
        let segments: Vec<&str> = spec.path().segments().collect();
        follow(node, &segments, &mut Vec::new(), &mut found);
    }
    for path in found {
        if seen.contains(&path) {
            continue;
        }
        if scalar_at(node, &path).is_some_and(|s| accept(s, ImageSource::TransformerField)) {
            seen.insert(path.clone());
            sites.fields.push(FieldSite {
                path,
                source: ImageSource::TransformerField,
            });
        }
    }
}

/// Follows field-spec segments read-only, through sequences as kustomize's walker does.
fn follow(node: &Node, segments: &[&str], path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(path.clone());
        return;
    };
    match node {
        Node::Map(m) => {
            if let Some(v) = m.get(first) {
                path.push(Seg::Key(CompactString::from(*first)));
                follow(v, rest, path, out);
                path.pop();
            }
        }
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                follow(item, segments, path, out);
                path.pop();
            }
        }
        Node::Scalar(_) => {}
    }
}

fn config_map_data(node: &Node, sites: &mut Sites) {
    let Some(data) = node.get("data").and_then(Node::as_map) else {
        return;
    };
    for (k, v) in data.iter() {
        let Some(value) = string_of(v) else {
            continue;
        };
        let path = vec![
            Seg::Key(CompactString::const_new("data")),
            Seg::Key(k.text.clone()),
        ];
        if is_image_key(k.as_str()) && accept(value, ImageSource::ConfigMapEntry) {
            sites.fields.push(FieldSite {
                path,
                source: ImageSource::ConfigMapEntry,
            });
            continue;
        }
        let hits = text::scan(value);
        if !hits.is_empty() {
            sites.texts.push(TextSite { path, hits });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{parse_documents, Schema};

    fn inventory(doc: &str) -> ImageInventory {
        let nodes = parse_documents(doc.as_bytes(), Schema::Core).unwrap();
        let resources: Vec<Resource> = nodes.into_iter().map(Resource::new).collect();
        ImageInventory::of(&resources)
    }

    fn paths(inv: &ImageInventory) -> Vec<(String, String, ImageSource)> {
        inv.iter()
            .flat_map(|(image, uses)| {
                uses.iter()
                    .map(move |u| (image.to_owned(), u.path.clone(), u.source))
            })
            .collect()
    }

    #[test]
    fn every_kind_of_field() {
        let inv = inventory(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    image: not-this\nspec:\n  ephemeralContainers:\n  - name: debug\n    image: busybox\n  containers:\n  - name: app\n    image: Weird_Value\n    env:\n    - name: SIDECAR_IMAGE\n      value: reg.io/side:1\n    - name: OTHER\n      value: reg.io/not-an-image-var:1\n    - name: TEMPLATE_IMAGE\n      value: $(REGISTRY)/x\n  - name: templated\n    image: ${IMAGE}\n  volumes:\n  - name: models\n    image:\n      reference: reg.io/models:v2\n---\napiVersion: serving.kserve.io/v1alpha1\nkind: ClusterStorageContainer\nmetadata:\n  name: default\nspec:\n  container:\n    image: kserve/storage-initializer:v0.15.0\n  note:\n    image: not an image\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: never\n",
        );
        assert_eq!(
            paths(&inv),
            [
                (
                    "Weird_Value".to_owned(),
                    "spec.containers[0].image".to_owned(),
                    ImageSource::Container
                ),
                (
                    "busybox".to_owned(),
                    "spec.ephemeralContainers[0].image".to_owned(),
                    ImageSource::Container
                ),
                (
                    "kserve/storage-initializer:v0.15.0".to_owned(),
                    "spec.container.image".to_owned(),
                    ImageSource::ImageField
                ),
                (
                    "reg.io/models:v2".to_owned(),
                    "spec.volumes[0].image.reference".to_owned(),
                    ImageSource::TransformerField
                ),
                (
                    "reg.io/side:1".to_owned(),
                    "spec.containers[0].env[0].value".to_owned(),
                    ImageSource::EnvVar
                ),
            ]
        );
    }

    #[test]
    fn config_map_entries_and_text() {
        let inv = inventory(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  queue-sidecar-image: gcr.io/q@sha256:0123456789abcdef0123456789abcdef\n  other: gcr.io/not-named-as-image\n  agent: |\n    {\n        \"image\" : \"kserve/agent:v0.15.0\"\n    }\n",
        );
        assert_eq!(
            paths(&inv),
            [
                (
                    "gcr.io/q@sha256:0123456789abcdef0123456789abcdef".to_owned(),
                    "data.queue-sidecar-image".to_owned(),
                    ImageSource::ConfigMapEntry
                ),
                (
                    "kserve/agent:v0.15.0".to_owned(),
                    "data.agent".to_owned(),
                    ImageSource::EmbeddedText
                ),
            ]
        );
        assert_eq!(inv.uses("kserve/agent:v0.15.0")[0].line, Some(2));
    }

    #[test]
    fn json_listing() {
        let inv = inventory(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  containers:\n  - image: nginx\n",
        );
        assert_eq!(
            inv.to_json(),
            "{\"images\": [\n  {\"image\": \"nginx\", \"uses\": [\n    {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"namespace\": \"ns\", \"name\": \"p\", \"path\": \"spec.containers[0].image\", \"source\": \"container\", \"embedded\": false}\n  ]}\n]}\n"
        );
    }

    #[test]
    fn paths_quote_unusual_keys() {
        let path = [
            Seg::Key("data".into()),
            Seg::Key("a.yaml".into()),
            Seg::Index(2),
        ];
        assert_eq!(render_path(&path), "data[\"a.yaml\"][2]");
    }
}
