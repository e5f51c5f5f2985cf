//! Keeping only some resources of a build: `--select` and `--exclude`.
//!
//! Selectors are kustomize's patch-target selectors ([`Selector`]): `group`, `version`, `kind`,
//! `name` and `namespace` are regular expressions (Go syntax, anchored at both ends, empty
//! matching anything), `labelSelector` and `annotationSelector` are Kubernetes label selectors.
//! They are matched against each resource as the build prints it: its `apiVersion` split into
//! group and version, its `kind`, its name, and its namespace as written (empty when unset, so
//! `namespace=.+` selects exactly the resources that have one).
//!
//! A resource is kept when it matches at least one selected selector (or none were given) and
//! no excluded one. So for any selector `S`, the builds filtered with `select S` and with
//! `exclude S` partition the full build.

use crate::build::Build;
use crate::error::{Error, ErrorKind, Result};
use crate::load::decode::{At, Decode};
use crate::load::kustomization::Selector;
use crate::load::yaml::{parse_documents, Schema};
use crate::node::Node;
use crate::resource::{Gvk, Resource};
use crate::transform::select::{LabelSelector, LabelSet, SelectorRegex};

/// The fields of a selector, in the text form's spelling.
const FIELDS: [&str; 7] = [
    "group",
    "version",
    "kind",
    "name",
    "namespace",
    "labelSelector",
    "annotationSelector",
];

/// Parses a selector from the command line.
///
/// Two forms are accepted:
/// * `key=value` pairs separated by commas, keys among `group`, `version`, `kind`, `name`,
///   `namespace`, `labelSelector` and `annotationSelector`:
///   `kind=Deployment,namespace=kubeflow`. A comma followed by something that is not one of
///   these keys and `=` continues the previous value, so label selectors keep their commas:
///   `labelSelector=app=web,tier in (a,b),kind=Service`.
/// * a YAML flow mapping, exactly as a patch `target` is written in a kustomization:
///   `{kind: Deployment, labelSelector: "app=web,kind=x"}`, for values the first form cannot
///   hold.
///
/// ```
/// use kustomize_core::extras::parse_selector;
///
/// let s = parse_selector("kind=CustomResourceDefinition").unwrap();
/// assert_eq!(s.kind, "CustomResourceDefinition");
///
/// let s = parse_selector("group=apps,labelSelector=app in (a,b),tier=web,name=api-.*").unwrap();
/// assert_eq!((s.group.as_str(), s.label_selector.as_str(), s.name.as_str()), ("apps", "app in (a,b),tier=web", "api-.*"));
///
/// let s = parse_selector("{kind: ConfigMap, annotationSelector: 'team=ml,kind=x'}").unwrap();
/// assert_eq!(s.annotation_selector, "team=ml,kind=x");
///
/// assert!(parse_selector("colour=blue").is_err());
/// assert!(parse_selector("").is_err());
/// ```
pub fn parse_selector(text: &str) -> Result<Selector> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        return parse_flow(trimmed);
    }
    let mut selector = Selector::default();
    let mut current: Option<&mut String> = None;
    let mut seen = Vec::new();
    if trimmed.is_empty() {
        return Err(bad(text, "it is empty"));
    }
    for part in trimmed.split(',') {
        let field = part.split_once('=').and_then(|(key, value)| {
            let key = key.trim();
            FIELDS.contains(&key).then_some((key, value))
        });
        match field {
            Some((key, value)) => {
                if seen.contains(&key) {
                    return Err(bad(text, &format!("{key} is given twice")));
                }
                seen.push(key);
                let slot = match key {
                    "group" => &mut selector.group,
                    "version" => &mut selector.version,
                    "kind" => &mut selector.kind,
                    "name" => &mut selector.name,
                    "namespace" => &mut selector.namespace,
                    "labelSelector" => &mut selector.label_selector,
                    _ => &mut selector.annotation_selector,
                };
                slot.push_str(value.trim());
                current = Some(slot);
            }
            None => match current.as_deref_mut() {
                Some(slot) => {
                    slot.push(',');
                    slot.push_str(part.trim());
                }
                None => {
                    return Err(bad(
                        text,
                        &format!("want KEY=VALUE pairs, KEY one of {}", FIELDS.join(", ")),
                    ))
                }
            },
        }
    }
    Ok(selector)
}

fn bad(text: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Transform,
        format!("invalid selector {text:?}: {why}"),
    )
}

fn parse_flow(text: &str) -> Result<Selector> {
    let docs =
        parse_documents(text.as_bytes(), Schema::Yaml11).map_err(|e| bad(text, &e.to_string()))?;
    let doc = docs.into_iter().next().unwrap_or_default();
    if !matches!(doc, Node::Map(_)) {
        return Err(bad(text, "want a mapping"));
    }
    Selector::decode(
        &doc,
        At {
            strukt: "Selector",
            path: "",
            lenient: false,
        },
    )
    .map_err(|e| bad(text, e.message()))
}

/// A selector compiled for matching.
#[derive(Clone, Debug)]
struct Compiled {
    ids: SelectorRegex,
    labels: LabelSelector,
    annotations: LabelSelector,
}

impl Compiled {
    fn new(selector: &Selector) -> Result<Self> {
        let label =
            |s: &str| LabelSelector::parse(s).map_err(|e| Error::new(ErrorKind::Transform, e));
        Ok(Compiled {
            ids: SelectorRegex::new(selector)?,
            labels: label(&selector.label_selector)?,
            annotations: label(&selector.annotation_selector)?,
        })
    }

    fn matches(&self, r: &Resource) -> bool {
        let Gvk {
            group,
            version,
            kind,
        } = r.gvk();
        let node = r.node();
        self.ids.match_gvk(&group, &version, &kind)
            && self.ids.match_name(r.name())
            && self.ids.match_namespace(r.namespace())
            && self.labels.matches(LabelSet::of(node, "labels"))
            && self.annotations.matches(LabelSet::of(node, "annotations"))
    }
}

/// Which resources to keep: those matching any selected selector (all, if none is selected) and
/// no excluded one.
///
/// ```
/// use kustomize_core::extras::{parse_selector, ResourceFilter};
/// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
///
/// let mut fs = MemoryFs::new();
/// fs.add_file("/app/kustomization.yaml", "resources: [all.yaml]\n").add_file(
///     "/app/all.yaml",
///     "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.org\n---\napiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\n",
/// );
/// let kustomizer = Kustomizer::new(BuildOptions::default());
/// let crds = parse_selector("kind=CustomResourceDefinition").unwrap();
///
/// let mut first = kustomizer.build(&fs, "/app").unwrap();
/// first.retain(&ResourceFilter::new().select(&crds).unwrap());
/// let mut second = kustomizer.build(&fs, "/app").unwrap();
/// second.retain(&ResourceFilter::new().exclude(&crds).unwrap());
///
/// assert_eq!(first.resources()[0].kind(), "CustomResourceDefinition");
/// assert_eq!(second.resources()[0].kind(), "Widget");
/// assert_eq!(first.resources().len() + second.resources().len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct ResourceFilter {
    select: Vec<Compiled>,
    exclude: Vec<Compiled>,
}

impl ResourceFilter {
    /// A filter that keeps everything.
    ///
    /// ```
    /// # use kustomize_core::extras::ResourceFilter;
    /// assert!(ResourceFilter::new().is_empty());
    /// ```
    pub fn new() -> Self {
        ResourceFilter::default()
    }

    /// Also keeps resources `selector` matches (once any selector is selected, resources that
    /// match none are dropped). Fails on an invalid regular expression or label selector.
    ///
    /// ```
    /// # use kustomize_core::extras::{parse_selector, ResourceFilter};
    /// let f = ResourceFilter::new().select(&parse_selector("kind=Service|Deployment").unwrap());
    /// assert!(f.is_ok());
    /// assert!(ResourceFilter::new().select(&parse_selector("kind=(").unwrap()).is_err());
    /// ```
    pub fn select(mut self, selector: &Selector) -> Result<Self> {
        self.select.push(Compiled::new(selector)?);
        Ok(self)
    }

    /// Drops resources `selector` matches. Fails on an invalid regular expression or label
    /// selector.
    ///
    /// ```
    /// # use kustomize_core::extras::{parse_selector, ResourceFilter};
    /// let f = ResourceFilter::new().exclude(&parse_selector("labelSelector=tier notin (web)").unwrap());
    /// assert!(!f.unwrap().is_empty());
    /// ```
    pub fn exclude(mut self, selector: &Selector) -> Result<Self> {
        self.exclude.push(Compiled::new(selector)?);
        Ok(self)
    }

    /// Whether the filter keeps everything.
    ///
    /// ```
    /// # use kustomize_core::extras::ResourceFilter;
    /// assert!(ResourceFilter::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.exclude.is_empty()
    }

    /// Whether `resource` is kept.
    ///
    /// ```
    /// use kustomize_core::extras::{parse_selector, ResourceFilter};
    /// use kustomize_core::load::yaml::{parse_documents, Schema};
    /// use kustomize_core::Resource;
    ///
    /// let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: prod\n  labels:\n    tier: web\n";
    /// let r = Resource::new(parse_documents(doc.as_bytes(), Schema::Core).unwrap().remove(0));
    /// let keep = |s: &str| ResourceFilter::new().select(&parse_selector(s).unwrap()).unwrap().keeps(&r);
    /// assert!(keep("group=apps,kind=Deployment,namespace=prod"));
    /// assert!(keep("labelSelector=tier in (web,api)"));
    /// assert!(keep("name=a.*"));
    /// assert!(!keep("name=a")); // anchored
    /// assert!(!keep("version=v1beta1"));
    /// ```
    pub fn keeps(&self, resource: &Resource) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(resource)))
            && !self.exclude.iter().any(|s| s.matches(resource))
    }
}

impl Build {
    /// Keeps only the resources `filter` keeps, in order; returns how many were dropped.
    ///
    /// ```
    /// use kustomize_core::extras::{parse_selector, ResourceFilter};
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [a.yaml]\n").add_file(
    ///     "/app/a.yaml",
    ///     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n",
    /// );
    /// let mut build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    /// let namespaced = ResourceFilter::new().select(&parse_selector("namespace=.+").unwrap()).unwrap();
    /// assert_eq!(build.retain(&namespaced), 1);
    /// assert_eq!(build.resources()[0].kind(), "ConfigMap");
    /// ```
    pub fn retain(&mut self, filter: &ResourceFilter) -> usize {
        if filter.is_empty() {
            return 0;
        }
        let resources = self.resources_mut();
        let before = resources.len();
        resources.retain(|r| filter.keeps(r));
        before - resources.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form() {
        let s = parse_selector(" kind = Deployment , namespace=kube-.*").unwrap();
        assert_eq!(
            (s.kind.as_str(), s.namespace.as_str()),
            ("Deployment", "kube-.*")
        );
        let s = parse_selector("annotationSelector=a=b,c,labelSelector=x!=y").unwrap();
        assert_eq!(s.annotation_selector, "a=b,c");
        assert_eq!(s.label_selector, "x!=y");
        assert!(parse_selector("kind=A,kind=B").is_err());
        assert!(parse_selector("Deployment").is_err());
        assert!(parse_selector("{kind: [a]}").is_err());
        assert!(parse_selector("{kinds: a}").is_err());
        let s = parse_selector("{group: apps, name: 'x,y'}").unwrap();
        assert_eq!((s.group.as_str(), s.name.as_str()), ("apps", "x,y"));
    }
}
