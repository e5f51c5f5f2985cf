//! `images:` (kustomize's ImageTagTransformer).
//!
//! Each entry rewrites the images it matches, in every resource except
//! `CustomResourceDefinition`s, in two passes (as kustomize does, so some fields see both):
//! 1. anywhere in the resource, each element of a sequence under a key `containers` or
//!    `initContainers` (not `ephemeralContainers`) has its `image` updated;
//! 2. the fields named by the `images` field specs (pod specs, templates, image volumes, plus
//!    custom ones); nothing is created.
//!
//! Matching: the entry's `name` is used as a regular expression, anchored, followed by an
//! optional `:tag` and an optional `@algorithm:digest`. An invalid expression matches nothing.
//! The new image is `newName` (or the old name), then `newTag` and/or `digest` replace tag and
//! digest (a `newTag` alone drops the digest, a `digest` alone drops the tag), or `tagSuffix` is
//! appended to the tag.

use super::fieldspec::FieldSpec;
use super::path::{gvk_of, set_scalar, visit_resource, Create, NodeKind, WalkError};
use crate::error::Result;
use crate::node::{Node, Tag};
use regex::Regex;

/// One `images:` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageTag {
    /// `name`: which images to change.
    pub name: String,
    /// `newName`.
    pub new_name: String,
    /// `newTag`.
    pub new_tag: String,
    /// `digest`.
    pub digest: String,
    /// `tagSuffix`.
    pub tag_suffix: String,
}

/// An `images:` entry ready to apply (its pattern compiled once).
#[derive(Clone, Debug)]
pub struct ImageUpdater {
    tag: ImageTag,
    pattern: Option<Regex>,
}

impl ImageUpdater {
    /// Prepares `tag`.
    pub fn new(tag: ImageTag) -> Self {
        let pattern = Regex::new(&format!(
            "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{{}}-]*)?$",
            tag.name
        ))
        .ok();
        ImageUpdater { tag, pattern }
    }

    /// The entry.
    pub fn image_tag(&self) -> &ImageTag {
        &self.tag
    }

    /// Whether `image` is one this entry changes.
    pub fn matches(&self, image: &str) -> bool {
        self.pattern.as_ref().is_some_and(|p| p.is_match(image))
    }

    /// The image `image` becomes, if this entry changes it.
    pub fn updated(&self, image: &str) -> Option<String> {
        if !self.matches(image) {
            return None;
        }
        let (name, tag, digest) = split_image(image);
        let t = &self.tag;
        let mut out = if t.new_name.is_empty() {
            name.to_owned()
        } else {
            t.new_name.clone()
        };
        let (tag, digest): (std::borrow::Cow<'_, str>, &str) =
            if !t.new_tag.is_empty() && !t.digest.is_empty() {
                (t.new_tag.as_str().into(), &t.digest)
            } else if !t.new_tag.is_empty() {
                (t.new_tag.as_str().into(), "")
            } else if !t.digest.is_empty() {
                ("".into(), &t.digest)
            } else if !t.tag_suffix.is_empty() {
                (format!("{tag}{}", t.tag_suffix).into(), "")
            } else {
                (tag.into(), digest)
            };
        if !tag.is_empty() {
            out.push(':');
            out.push_str(&tag);
        }
        if !digest.is_empty() {
            out.push('@');
            out.push_str(digest);
        }
        Some(out)
    }

    /// Applies the entry to one resource; `specs` is the `images` list of the transformer config.
    pub fn apply(&self, node: &mut Node, specs: &[FieldSpec]) -> Result<()> {
        if node.str_at(&["kind"]) == Some("CustomResourceDefinition") {
            return Ok(());
        }
        self.update_containers(node)
            .map_err(WalkError::into_error)?;
        let gvk = gvk_of(node);
        for fs in specs {
            if !fs.selects(&gvk) {
                continue;
            }
            visit_resource(node, fs.path(), Create::No, &mut |n: &mut Node| self.set(n))?;
        }
        Ok(())
    }

    /// Updates an image scalar (`null` reads as its spelling, as in kustomize).
    fn set(&self, node: &mut Node) -> Result<(), WalkError> {
        let Node::Scalar(s) = &*node else {
            return Err(WalkError::wrong_kind(NodeKind::Scalar, node));
        };
        match self.updated(&s.text) {
            Some(new) => set_scalar(node, &new, None),
            None => Ok(()),
        }
    }

    /// Pass 1: depth first, a key's value before the key itself.
    fn update_containers(&self, node: &mut Node) -> Result<(), WalkError> {
        match node {
            Node::Map(m) => {
                for (k, v) in m.iter_mut() {
                    self.update_containers(v)?;
                    if k.text == "containers" || k.text == "initContainers" {
                        if let Node::Seq(items) = v {
                            for item in items.iter_mut() {
                                match item {
                                    Node::Map(c) => {
                                        if let Some(image) = c.get_mut("image") {
                                            self.set(image)?;
                                        }
                                    }
                                    Node::Scalar(s) if s.tag == Tag::Null => {}
                                    other => {
                                        return Err(WalkError::wrong_kind(NodeKind::Map, other))
                                    }
                                }
                            }
                        }
                    }
                }
                Ok(())
            }
            Node::Seq(items) => items.iter_mut().try_for_each(|i| self.update_containers(i)),
            Node::Scalar(_) => Ok(()),
        }
    }
}

/// Splits an image into name, tag and digest as kustomize does: the first `@` or `:` after the
/// first `/` (if any, and not at the start) ends the name.
pub fn split_image(image: &str) -> (&str, &str, &str) {
    let slash = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[slash..];
    let at = search.find('@');
    let colon = search.find(':');
    match (at, colon) {
        (None, None) => (image, "", ""),
        (Some(a), c) if c.is_none_or(|c| a < c) => {
            let a = a + slash;
            (&image[..a], "", &image[a + 1..])
        }
        (Some(a), Some(c)) => {
            let (a, c) = (a + slash, c + slash);
            (&image[..c], &image[c + 1..a], &image[a + 1..])
        }
        (None, Some(c)) => {
            let c = c + slash;
            (&image[..c], &image[c + 1..], "")
        }
        (Some(_), None) => (image, "", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::fieldspec::TransformerConfig;
    use crate::transform::testutil::{assert_yaml, yaml};

    fn entry(name: &str) -> ImageTag {
        ImageTag {
            name: name.into(),
            ..ImageTag::default()
        }
    }

    #[test]
    fn splits_images_like_kustomize() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1.2"), ("nginx", "1.2", ""));
        assert_eq!(
            split_image("reg:5000/nginx:1.2"),
            ("reg:5000/nginx", "1.2", "")
        );
        assert_eq!(split_image("reg:5000/nginx"), ("reg:5000/nginx", "", ""));
        assert_eq!(split_image("nginx@sha256:ab"), ("nginx", "", "sha256:ab"));
        assert_eq!(
            split_image("nginx:1@sha256:ab"),
            ("nginx", "1", "sha256:ab")
        );
        assert_eq!(split_image("a/b@sha256:x:y"), ("a/b", "", "sha256:x:y"));
    }

    #[test]
    fn computes_new_images() {
        let mut t = entry("nginx");
        t.new_tag = "2".into();
        let u = ImageUpdater::new(t.clone());
        assert_eq!(u.updated("nginx@sha256:ab").as_deref(), Some("nginx:2"));
        assert_eq!(u.updated("nginx:1@sha512:ab").as_deref(), Some("nginx:2"));
        assert_eq!(u.updated("nginx2:1"), None);
        assert_eq!(u.updated("my/nginx:1"), None);
        t.digest = "sha256:cd".into();
        assert_eq!(
            ImageUpdater::new(t.clone()).updated("nginx:1").as_deref(),
            Some("nginx:2@sha256:cd")
        );
        t.new_tag.clear();
        t.new_name = "r.io/x".into();
        assert_eq!(
            ImageUpdater::new(t).updated("nginx:1").as_deref(),
            Some("r.io/x@sha256:cd")
        );
        let mut s = entry("busybox");
        s.tag_suffix = "-s".into();
        assert_eq!(
            ImageUpdater::new(s).updated("busybox").as_deref(),
            Some("busybox:-s")
        );
        // The name is a regular expression; invalid ones match nothing.
        assert!(ImageUpdater::new(entry("ngi.x")).matches("nginx"));
        assert!(!ImageUpdater::new(entry("ngi[nx")).matches("ngi[nx"));
    }

    #[test]
    fn updates_containers_anywhere_and_the_field_specs_too() {
        let mut s = entry("busybox");
        s.tag_suffix = "-x".into();
        let u = ImageUpdater::new(s);
        let specs = &TransformerConfig::builtin().images;
        let mut pod = yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: busybox:1\n  ephemeralContainers:\n  - image: busybox:1\n  initContainers: null\n");
        u.apply(&mut pod, specs).unwrap();
        // Both passes reach spec/containers; ephemeral containers are not touched; the null
        // initContainers becomes an empty list.
        assert_yaml(
            &pod,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: busybox:1-x-x\n  ephemeralContainers:\n  - image: busybox:1\n  initContainers: []\n",
        );
        let mut custom = yaml("apiVersion: x.io/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  deep:\n    initContainers:\n    - image: busybox\n    - name: none\n");
        u.apply(&mut custom, specs).unwrap();
        assert_eq!(
            custom
                .get_path(&["spec", "deep", "initContainers"])
                .and_then(Node::as_seq)
                .unwrap()[0]
                .str_at(&["image"]),
            Some("busybox:-x")
        );
        let src = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: busybox\n";
        let mut crd = yaml(src);
        u.apply(&mut crd, specs).unwrap();
        assert_yaml(&crd, src);
    }

    #[test]
    fn bad_container_entries_fail() {
        let u = ImageUpdater::new(entry("a"));
        let mut n =
            yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - a\n");
        let err = u.apply(&mut n, &[]).unwrap_err();
        assert_eq!(
            err.message(),
            "wrong node kind: expected MappingNode but got ScalarNode: node contents:\na\n"
        );
        let mut n = yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image:\n      a: b\n");
        assert!(u.apply(&mut n, &[]).is_err());
    }
}
