//! Rewriting the images of a build for another registry: prefix mirroring and digest-to-tag.
//!
//! References are split as kustomize's `images:` transformer splits them (name, `:tag`,
//! `@digest`; a `:` before the first `/` is a registry port). Names are compared in Docker's
//! fully qualified form, so `nginx`, `docker.io/nginx` and `docker.io/library/nginx` are one
//! image. Every place [`crate::extras::ImageInventory`] lists is rewritten, fields and embedded
//! configuration text alike; in text only the image values change, every other byte stays.

use super::images::{find_sites, node_at_mut, scalar_at, FieldSite, Seg};
use super::reference::{
    canonical_name, canonical_prefix, is_placeholder, is_valid_prefix, is_valid_tag,
};
use super::text::HitKind;
use crate::build::Build;
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;
use crate::resource::Resource;
use crate::transform::images::split_image;
use std::fmt;
use std::str::FromStr;

/// One mirror rule: images whose registry/repository begins with `from` (on path boundaries)
/// move to `to`.
///
/// `from` is a registry host (`gcr.io`, `registry.local:5000`) or a repository prefix
/// (`ghcr.io/kubeflow`, `docker.io/bitnami`). Without a host `docker.io` is implied, and a single
/// name is an official Docker Hub image: `nginx` means `docker.io/library/nginx`. The part of the
/// fully qualified name after `from` is appended to `to`; tag and digest are kept.
///
/// ```
/// use kustomize_core::extras::ImageMirror;
///
/// let m: ImageMirror = "gcr.io=mirror.local:5000/gcr.io".parse().unwrap();
/// assert_eq!(
///     m.apply("gcr.io/knative/queue@sha256:0123456789abcdef0123456789abcdef").as_deref(),
///     Some("mirror.local:5000/gcr.io/knative/queue@sha256:0123456789abcdef0123456789abcdef")
/// );
/// assert_eq!(m.apply("gcr.io.example.com/x:1"), None); // not on a path boundary
///
/// let hub = ImageMirror::new("docker.io", "mirror.local:5000/hub").unwrap();
/// assert_eq!(hub.apply("nginx:1.25").as_deref(), Some("mirror.local:5000/hub/library/nginx:1.25"));
/// assert_eq!(hub.apply("kserve/agent:v0.15.0").as_deref(), Some("mirror.local:5000/hub/kserve/agent:v0.15.0"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageMirror {
    from: String,
    canonical_from: String,
    to: String,
}

impl ImageMirror {
    /// A rule moving images under `from` to `to`. Both must be a registry host or a repository
    /// (no tag, no digest); a trailing `/` is ignored.
    ///
    /// ```
    /// use kustomize_core::extras::ImageMirror;
    /// assert!(ImageMirror::new("quay.io", "registry.internal:5000/quay").is_ok());
    /// assert!(ImageMirror::new("quay.io/x:1", "r.io").is_err());
    /// ```
    pub fn new(from: &str, to: &str) -> Result<Self> {
        let from = from.trim().trim_end_matches('/');
        let to = to.trim().trim_end_matches('/');
        for (what, value) in [("source", from), ("target", to)] {
            if !is_valid_prefix(value) {
                return Err(Error::new(
                    ErrorKind::Transform,
                    format!(
                        "invalid image mirror {what} {value:?}: want a registry host or a repository, without tag or digest"
                    ),
                ));
            }
        }
        Ok(ImageMirror {
            from: from.to_owned(),
            canonical_from: canonical_prefix(from),
            to: to.to_owned(),
        })
    }

    /// The prefix as given.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageMirror;
    /// assert_eq!(ImageMirror::new("nginx", "m.io/nginx").unwrap().from(), "nginx");
    /// ```
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The replacement prefix.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageMirror;
    /// assert_eq!(ImageMirror::new("nginx", "m.io/nginx").unwrap().to(), "m.io/nginx");
    /// ```
    pub fn to(&self) -> &str {
        &self.to
    }

    /// The length of the matched part of a fully qualified name, if the rule applies to it.
    fn matched(&self, canonical: &str) -> Option<usize> {
        let rest = canonical.strip_prefix(self.canonical_from.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then_some(self.canonical_from.len())
    }

    /// What `image` becomes under this rule alone, or `None` if the rule does not apply.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageMirror;
    /// let m = ImageMirror::new("nginx", "mirror.local:5000/nginx").unwrap();
    /// assert_eq!(m.apply("docker.io/library/nginx:1").as_deref(), Some("mirror.local:5000/nginx:1"));
    /// assert_eq!(m.apply("nginx-ingress:1"), None);
    /// ```
    pub fn apply(&self, image: &str) -> Option<String> {
        let (name, tag, digest) = split_image(image);
        let canonical = canonical_name(name);
        let n = self.matched(&canonical)?;
        Some(join(
            &format!("{}{}", self.to, &canonical[n..]),
            tag,
            digest,
        ))
    }

    /// What a `hub` (a registry/repository prefix in Helm-style values) becomes.
    fn apply_to_prefix(&self, prefix: &str) -> Option<String> {
        let canonical = canonical_prefix(prefix);
        let n = self.matched(&canonical)?;
        Some(format!("{}{}", self.to, &canonical[n..]))
    }
}

fn join(name: &str, tag: &str, digest: &str) -> String {
    let mut out = name.to_owned();
    if !tag.is_empty() {
        out.push(':');
        out.push_str(tag);
    }
    if !digest.is_empty() {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// Parses `FROM=TO`, the form of `kbuild --image-mirror`.
///
/// ```
/// use kustomize_core::extras::ImageMirror;
/// let m: ImageMirror = "ghcr.io/kubeflow=registry.internal:5000/kubeflow".parse().unwrap();
/// assert_eq!((m.from(), m.to()), ("ghcr.io/kubeflow", "registry.internal:5000/kubeflow"));
/// assert!("no-equals-sign".parse::<ImageMirror>().is_err());
/// ```
impl FromStr for ImageMirror {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let Some((from, to)) = s.split_once('=') else {
            return Err(Error::new(
                ErrorKind::Transform,
                format!("invalid image mirror {s:?}: want FROM=TO"),
            ));
        };
        ImageMirror::new(from, to)
    }
}

/// `FROM=TO`.
///
/// ```
/// # use kustomize_core::extras::ImageMirror;
/// assert_eq!(ImageMirror::new("gcr.io", "m.io").unwrap().to_string(), "gcr.io=m.io");
/// ```
impl fmt::Display for ImageMirror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.from, self.to)
    }
}

/// How to rewrite a build's images: mirror rules (the longest matching source wins; a rule for a
/// source given twice replaces the earlier one) and, optionally, a tag that replaces every
/// digest (`name[:tag]@digest` becomes `name:TAG`, as kustomize's `newTag` does).
///
/// ```
/// use kustomize_core::extras::{ImageMirror, ImageRewriter};
///
/// let rewriter = ImageRewriter::new()
///     .mirror(ImageMirror::new("gcr.io", "mirror.local:5000/gcr").unwrap())
///     .mirror(ImageMirror::new("gcr.io/knative-releases", "mirror.local:5000/knative").unwrap())
///     .digest_to_tag("v1.17.0")
///     .unwrap();
/// assert_eq!(
///     rewriter.rewrite("gcr.io/knative-releases/serving/queue@sha256:0123456789abcdef0123456789abcdef").as_deref(),
///     Some("mirror.local:5000/knative/serving/queue:v1.17.0")
/// );
/// assert_eq!(rewriter.rewrite("gcr.io/ml-pipeline/minio:2019").as_deref(), Some("mirror.local:5000/gcr/ml-pipeline/minio:2019"));
/// assert_eq!(rewriter.rewrite("quay.io/x/y:1"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRewriter {
    mirrors: Vec<ImageMirror>,
    digest_to_tag: Option<String>,
}

impl ImageRewriter {
    /// A rewriter that changes nothing.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageRewriter;
    /// assert!(ImageRewriter::new().is_empty());
    /// ```
    pub fn new() -> Self {
        ImageRewriter::default()
    }

    /// Adds a mirror rule.
    ///
    /// ```
    /// # use kustomize_core::extras::{ImageMirror, ImageRewriter};
    /// let r = ImageRewriter::new().mirror("quay.io=m.io/quay".parse::<ImageMirror>().unwrap());
    /// assert_eq!(r.mirrors().len(), 1);
    /// ```
    pub fn mirror(mut self, rule: ImageMirror) -> Self {
        self.mirrors
            .retain(|m| m.canonical_from != rule.canonical_from);
        self.mirrors.push(rule);
        // Longest source first, so the most specific rule wins.
        self.mirrors
            .sort_by_key(|m| std::cmp::Reverse(m.canonical_from.len()));
        self
    }

    /// Replaces digests with `:tag`; `tag` must be a valid tag.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageRewriter;
    /// let r = ImageRewriter::new().digest_to_tag("mirrored").unwrap();
    /// assert_eq!(r.rewrite("a/b:1@sha256:0123456789abcdef0123456789abcdef").as_deref(), Some("a/b:mirrored"));
    /// assert!(ImageRewriter::new().digest_to_tag("no tags with spaces").is_err());
    /// ```
    pub fn digest_to_tag(mut self, tag: &str) -> Result<Self> {
        if !is_valid_tag(tag) {
            return Err(Error::new(
                ErrorKind::Transform,
                format!("invalid tag {tag:?}: want letters, digits, '_', '.' and '-', not starting with '.' or '-', at most 128"),
            ));
        }
        self.digest_to_tag = Some(tag.to_owned());
        Ok(self)
    }

    /// The mirror rules, most specific first.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageRewriter;
    /// assert!(ImageRewriter::new().mirrors().is_empty());
    /// ```
    pub fn mirrors(&self) -> &[ImageMirror] {
        &self.mirrors
    }

    /// The tag that replaces digests, if any.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageRewriter;
    /// assert_eq!(ImageRewriter::new().digest_tag(), None);
    /// ```
    pub fn digest_tag(&self) -> Option<&str> {
        self.digest_to_tag.as_deref()
    }

    /// Whether the rewriter changes nothing.
    ///
    /// ```
    /// # use kustomize_core::extras::ImageRewriter;
    /// assert!(!ImageRewriter::new().digest_to_tag("x").unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.mirrors.is_empty() && self.digest_to_tag.is_none()
    }

    /// What `image` becomes, or `None` if it stays as it is. Placeholders never change.
    ///
    /// ```
    /// # use kustomize_core::extras::{ImageMirror, ImageRewriter};
    /// let r = ImageRewriter::new().mirror(ImageMirror::new("docker.io", "m.io/hub").unwrap());
    /// assert_eq!(r.rewrite("busybox").as_deref(), Some("m.io/hub/library/busybox"));
    /// assert_eq!(r.rewrite("${IMAGE}"), None);
    /// ```
    pub fn rewrite(&self, image: &str) -> Option<String> {
        if is_placeholder(image) || image.is_empty() {
            return None;
        }
        let mirrored = self.mirrors.iter().find_map(|m| m.apply(image));
        let current = mirrored.as_deref().unwrap_or(image);
        let result = match &self.digest_to_tag {
            Some(tag) => {
                let (name, _, digest) = split_image(current);
                if digest.is_empty() {
                    None
                } else {
                    Some(join(name, tag, ""))
                }
            }
            None => None,
        };
        result.or(mirrored).filter(|new| new != image)
    }

    fn rewrite_hub(&self, hub: &str) -> Option<String> {
        self.mirrors
            .iter()
            .find_map(|m| m.apply_to_prefix(hub))
            .filter(|new| new != hub)
    }

    /// Rewrites every image named by `resource`; returns how many values changed.
    ///
    /// ```
    /// use kustomize_core::extras::{ImageMirror, ImageRewriter};
    /// use kustomize_core::load::yaml::{parse_documents, Schema};
    /// use kustomize_core::Resource;
    ///
    /// let doc = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: gcr.io/a/b:1\n";
    /// let node = parse_documents(doc.as_bytes(), Schema::Core).unwrap().remove(0);
    /// let mut pod = Resource::new(node);
    /// let r = ImageRewriter::new().mirror(ImageMirror::new("gcr.io", "m.io").unwrap());
    /// assert_eq!(r.apply(&mut pod), 1);
    /// assert_eq!(pod.node().get_path(&["spec", "containers"]).unwrap().as_seq().unwrap()[0].str_at(&["image"]), Some("m.io/a/b:1"));
    /// ```
    pub fn apply(&self, resource: &mut Resource) -> usize {
        if self.is_empty() {
            return 0;
        }
        let sites = find_sites(resource.node());
        let node = resource.node_mut();
        let mut changed = 0;
        for FieldSite { path, .. } in &sites.fields {
            if let Some(new) = scalar_at(node, path).and_then(|old| self.rewrite(old)) {
                changed += set_string(node, path, new);
            }
        }
        for site in &sites.texts {
            let Some(text) = scalar_at(node, &site.path) else {
                continue;
            };
            let mut out = String::with_capacity(text.len() + 64);
            let mut last = 0;
            let mut edits = 0;
            for hit in &site.hits {
                let Some(old) = text.get(hit.range.clone()) else {
                    continue;
                };
                let new = match hit.kind {
                    HitKind::Image => self.rewrite(old),
                    HitKind::Hub => self.rewrite_hub(old),
                    HitKind::HubRelative => None,
                };
                if let Some(new) = new {
                    out.push_str(&text[last..hit.range.start]);
                    out.push_str(&new);
                    last = hit.range.end;
                    edits += 1;
                }
            }
            if edits > 0 {
                out.push_str(&text[last..]);
                changed += edits * set_string(node, &site.path, out);
            }
        }
        changed
    }
}

/// Replaces the string at `path`, keeping it a string; 1 if it was there.
fn set_string(node: &mut Node, path: &[Seg], value: String) -> usize {
    match node_at_mut(node, path) {
        Some(Node::Scalar(s)) => {
            s.text = value.into();
            1
        }
        _ => 0,
    }
}

impl Build {
    /// Rewrites the images of every resource (fields and embedded configuration text); returns
    /// how many values changed. ConfigMap names keep the hash suffix of their built content.
    ///
    /// ```
    /// use kustomize_core::extras::{ImageMirror, ImageRewriter};
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [pod.yaml]\n").add_file(
    ///     "/app/pod.yaml",
    ///     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n",
    /// );
    /// let mut build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    /// let rewriter = ImageRewriter::new().mirror("docker.io=registry.local:5000/hub".parse::<ImageMirror>().unwrap());
    /// assert_eq!(build.rewrite_images(&rewriter), 1);
    /// assert_eq!(build.images().to_text(), "registry.local:5000/hub/library/nginx:1.25\n");
    /// ```
    pub fn rewrite_images(&mut self, rewriter: &ImageRewriter) -> usize {
        self.resources_mut()
            .iter_mut()
            .map(|r| rewriter.apply(r))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn rules(rs: &[&str]) -> ImageRewriter {
        rs.iter().fold(ImageRewriter::new(), |r, s| {
            r.mirror(s.parse::<ImageMirror>().unwrap())
        })
    }

    #[test]
    fn prefixes_match_on_path_boundaries() {
        let r = rules(&[
            "gcr.io=m:5000/gcr.io",
            "nginx=m:5000/official/nginx",
            "reg:5000/team=m:5000/team",
        ]);
        assert_eq!(
            r.rewrite("gcr.io/a:1").as_deref(),
            Some("m:5000/gcr.io/a:1")
        );
        assert_eq!(r.rewrite("gcr.iox/a:1"), None);
        assert_eq!(r.rewrite("nginx").as_deref(), Some("m:5000/official/nginx"));
        assert_eq!(
            r.rewrite("docker.io/nginx:1").as_deref(),
            Some("m:5000/official/nginx:1")
        );
        assert_eq!(r.rewrite("nginx/other:1"), None);
        assert_eq!(
            r.rewrite(&format!("reg:5000/team/app:2@{D}")).as_deref(),
            Some(format!("m:5000/team/app:2@{D}").as_str())
        );
        assert_eq!(r.rewrite("reg:5000/teams/app:2"), None);
        assert_eq!(r.rewrite("reg/team/app:2"), None);
    }

    #[test]
    fn most_specific_rule_wins_and_later_duplicates_replace() {
        let r = rules(&["ghcr.io=a.io", "ghcr.io/kubeflow=b.io/kf", "ghcr.io=c.io"]);
        assert_eq!(
            r.rewrite("ghcr.io/kubeflow/x:1").as_deref(),
            Some("b.io/kf/x:1")
        );
        assert_eq!(
            r.rewrite("ghcr.io/other/x:1").as_deref(),
            Some("c.io/other/x:1")
        );
        assert_eq!(r.mirrors().len(), 2);
    }

    #[test]
    fn digest_to_tag_follows_kustomize_new_tag() {
        let r = rules(&["gcr.io=m.io"]).digest_to_tag("v1").unwrap();
        assert_eq!(
            r.rewrite(&format!("gcr.io/a@{D}")).as_deref(),
            Some("m.io/a:v1")
        );
        assert_eq!(
            r.rewrite(&format!("quay.io/a:old@{D}")).as_deref(),
            Some("quay.io/a:v1")
        );
        assert_eq!(r.rewrite("quay.io/a:old"), None);
        assert_eq!(
            r.rewrite(&format!("reg:5000/a@{D}")).as_deref(),
            Some("reg:5000/a:v1")
        );
    }

    #[test]
    fn bad_rules() {
        for bad in [
            "",
            "=x",
            "gcr.io=",
            "gcr.io",
            "a b=x",
            "gcr.io/x:1=y",
            "x=y@sha256:00",
        ] {
            assert!(bad.parse::<ImageMirror>().is_err(), "{bad}");
        }
    }

    #[test]
    fn hubs_move_with_their_prefix() {
        let r = rules(&["gcr.io=m:5000/gcr.io"]);
        assert_eq!(
            r.rewrite_hub("gcr.io/istio-release").as_deref(),
            Some("m:5000/gcr.io/istio-release")
        );
        assert_eq!(r.rewrite_hub("docker.io/istio"), None);
    }
}
