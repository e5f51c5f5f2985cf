//! Beyond `kustomize build`: what people who install from kustomizations do with the output.
//!
//! Everything here works on a finished [`Build`] and leaves kustomize's output alone unless asked:
//! * [`Build::images`]: every image the build deploys ([`ImageInventory`]), in container fields
//!   and in configuration text carried by ConfigMaps (see [`images`] for the places looked at);
//! * [`Build::rewrite_images`]: move images to a mirror registry and turn digests into tags
//!   ([`ImageRewriter`], [`ImageMirror`]);
//! * [`Build::retain`]: keep the resources kustomize's patch-target selectors select, or drop
//!   them ([`ResourceFilter`], [`parse_selector`]), e.g. CRDs first, then the rest;
//! * [`Build::check_golden`] / [`Build::update_golden`]: compare with an expected output and get
//!   a unified diff whose hunks name their resource ([`unified_diff`]).
//!
//! [`OutputOptions`] bundles the steps the way `kbuild`'s flags do.
//!
//! ```
//! use kustomize_core::extras::{parse_selector, ImageMirror, OutputOptions};
//! use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
//!
//! let mut fs = MemoryFs::new();
//! fs.add_file("/app/kustomization.yaml", "resources: [app.yaml]\n").add_file(
//!     "/app/app.yaml",
//!     "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: jobs.example.org\n---\napiVersion: example.org/v1\nkind: Job\nmetadata:\n  name: nightly\nspec:\n  template:\n    spec:\n      containers:\n      - name: run\n        image: gcr.io/example/run@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
//! );
//! let options = OutputOptions::new()
//!     .exclude(parse_selector("kind=CustomResourceDefinition").unwrap())
//!     .image_mirror("gcr.io=registry.local:5000/gcr".parse::<ImageMirror>().unwrap())
//!     .digest_to_tag("nightly");
//!
//! let mut build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
//! build.apply(&options).unwrap();
//! assert_eq!(build.resources().len(), 1);
//! assert_eq!(build.images().to_text(), "registry.local:5000/gcr/example/run:nightly\n");
//! ```

mod filter;
mod golden;
pub mod images;
mod mirror;
mod reference;
mod text;

pub use filter::{parse_selector, ResourceFilter};
pub use golden::{unified_diff, GoldenCheck};
pub use images::{ImageInventory, ImageSource, ImageUse};
pub use mirror::{ImageMirror, ImageRewriter};

use crate::build::Build;
use crate::error::Result;
use crate::load::kustomization::Selector;

/// What to do to a build before using it, as `kbuild`'s flags say it: which resources to keep
/// (`--select`, `--exclude`) and how to rewrite images (`--image-mirror`, `--digest-to-tag`).
/// The default does nothing.
///
/// ```
/// use kustomize_core::extras::{parse_selector, OutputOptions};
///
/// let options = OutputOptions::new().select(parse_selector("kind=CustomResourceDefinition").unwrap());
/// assert_eq!(options.select.len(), 1);
/// assert!(OutputOptions::default().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputOptions {
    /// Keep only resources matching one of these (all, if empty).
    pub select: Vec<Selector>,
    /// Drop resources matching any of these.
    pub exclude: Vec<Selector>,
    /// Mirror rules.
    pub image_mirrors: Vec<ImageMirror>,
    /// The tag that replaces image digests.
    pub digest_to_tag: Option<String>,
}

impl OutputOptions {
    /// Options that change nothing.
    ///
    /// ```
    /// # use kustomize_core::extras::OutputOptions;
    /// assert_eq!(OutputOptions::new(), OutputOptions::default());
    /// ```
    pub fn new() -> Self {
        OutputOptions::default()
    }

    /// Adds a selector to keep.
    ///
    /// ```
    /// # use kustomize_core::extras::{parse_selector, OutputOptions};
    /// let o = OutputOptions::new().select(parse_selector("namespace=kubeflow").unwrap());
    /// assert_eq!(o.select[0].namespace, "kubeflow");
    /// ```
    pub fn select(mut self, selector: Selector) -> Self {
        self.select.push(selector);
        self
    }

    /// Adds a selector to drop.
    ///
    /// ```
    /// # use kustomize_core::extras::{parse_selector, OutputOptions};
    /// let o = OutputOptions::new().exclude(parse_selector("kind=Secret").unwrap());
    /// assert_eq!(o.exclude[0].kind, "Secret");
    /// ```
    pub fn exclude(mut self, selector: Selector) -> Self {
        self.exclude.push(selector);
        self
    }

    /// Adds a mirror rule.
    ///
    /// ```
    /// # use kustomize_core::extras::{ImageMirror, OutputOptions};
    /// let o = OutputOptions::new().image_mirror(ImageMirror::new("quay.io", "m.io/quay").unwrap());
    /// assert_eq!(o.image_mirrors.len(), 1);
    /// ```
    pub fn image_mirror(mut self, rule: ImageMirror) -> Self {
        self.image_mirrors.push(rule);
        self
    }

    /// Sets the tag that replaces digests (checked when the options are applied).
    ///
    /// ```
    /// # use kustomize_core::extras::OutputOptions;
    /// assert_eq!(OutputOptions::new().digest_to_tag("v1").digest_to_tag.as_deref(), Some("v1"));
    /// ```
    pub fn digest_to_tag(mut self, tag: impl Into<String>) -> Self {
        self.digest_to_tag = Some(tag.into());
        self
    }

    /// Whether the options change nothing.
    ///
    /// ```
    /// # use kustomize_core::extras::OutputOptions;
    /// assert!(!OutputOptions::new().digest_to_tag("v1").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.select.is_empty()
            && self.exclude.is_empty()
            && self.image_mirrors.is_empty()
            && self.digest_to_tag.is_none()
    }

    /// The resource filter these options describe; fails on an invalid selector.
    ///
    /// ```
    /// # use kustomize_core::extras::{parse_selector, OutputOptions};
    /// let o = OutputOptions::new().select(parse_selector("kind=(").unwrap());
    /// assert!(o.filter().is_err());
    /// ```
    pub fn filter(&self) -> Result<ResourceFilter> {
        let mut filter = ResourceFilter::new();
        for s in &self.select {
            filter = filter.select(s)?;
        }
        for s in &self.exclude {
            filter = filter.exclude(s)?;
        }
        Ok(filter)
    }

    /// The image rewriter these options describe; fails on an invalid tag.
    ///
    /// ```
    /// # use kustomize_core::extras::OutputOptions;
    /// assert!(OutputOptions::new().digest_to_tag("bad tag").rewriter().is_err());
    /// ```
    pub fn rewriter(&self) -> Result<ImageRewriter> {
        let mut rewriter = self
            .image_mirrors
            .iter()
            .cloned()
            .fold(ImageRewriter::new(), ImageRewriter::mirror);
        if let Some(tag) = &self.digest_to_tag {
            rewriter = rewriter.digest_to_tag(tag)?;
        }
        Ok(rewriter)
    }
}

impl Build {
    /// Applies `options`: drops the resources they filter out, then rewrites images. Nothing is
    /// changed if an option is invalid.
    ///
    /// ```
    /// use kustomize_core::extras::{parse_selector, OutputOptions};
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [a.yaml]\n").add_file(
    ///     "/app/a.yaml",
    ///     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n",
    /// );
    /// let mut build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    /// build.apply(&OutputOptions::new().exclude(parse_selector("name=a").unwrap())).unwrap();
    /// assert_eq!(build.resources()[0].name(), "b");
    /// ```
    pub fn apply(&mut self, options: &OutputOptions) -> Result<()> {
        let filter = options.filter()?;
        let rewriter = options.rewriter()?;
        self.retain(&filter);
        self.rewrite_images(&rewriter);
        Ok(())
    }
}
