//! The whole build: a kustomization directory in, kustomize's exact output bytes out.

use crate::accumulate::{accumulate, origin, Session};
use crate::emit;
use crate::error::{Error, ErrorKind, Result};
use crate::fs::FileSystem;
use crate::generate::hash::add_hash_suffixes;
use crate::load::remote::{Remote, RemoteOptions};
use crate::load::resources::validate_metadata;
use crate::load::{LoadRestrictor, Loader};
use crate::node::{Mapping, Node, Scalar};
use crate::resource::Resource;
use crate::sort::{sort, Order};
use crate::transform::nameref::fix_name_references;
use crate::transform::vars::resolve_vars;
use rayon::prelude::*;
use std::path::Path;

/// Options of a build; the defaults are `kustomize build`'s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Which files kustomizations may read.
    pub load_restrictor: LoadRestrictor,
    /// Output order when the kustomization has no `sortOptions` (`--reorder`); `None` means
    /// kustomize's default, the legacy order.
    pub reorder: Option<Order>,
    /// Remote bases and files: online (the default), offline from the cache, or disabled.
    pub remote: RemoteOptions,
}

/// Builds kustomizations.
///
/// ```
/// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
///
/// let mut fs = MemoryFs::new();
/// fs.add_file("/app/kustomization.yaml", "resources:\n- cm.yaml\n")
///   .add_file("/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n");
/// let build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
/// assert_eq!(build.resources()[0].name(), "settings");
/// assert_eq!(
///     String::from_utf8(build.to_yaml().unwrap()).unwrap(),
///     "apiVersion: v1\ndata:\n  mode: fast\nkind: ConfigMap\nmetadata:\n  name: settings\n"
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct Kustomizer {
    options: BuildOptions,
}

/// The result of a build: resources in output order, and warnings for the user.
#[derive(Clone, Debug)]
pub struct Build {
    resources: Vec<Resource>,
    warnings: Vec<String>,
}

impl Kustomizer {
    /// A kustomizer with `options`.
    pub fn new(options: BuildOptions) -> Self {
        Kustomizer { options }
    }

    /// Builds the kustomization in directory `dir` of `fs`.
    pub fn build(&self, fs: &dyn FileSystem, dir: impl AsRef<Path>) -> Result<Build> {
        let remote = Remote::for_build(&self.options.remote);
        let loader = Loader::open(fs, dir.as_ref(), self.options.load_restrictor, remote)?;
        let mut session = Session::default();
        let (kustomization, acc) = accumulate(&loader, &mut session)?;
        let mut warnings = session.warnings;
        if let Some(remote) = loader.remote() {
            warnings.extend(remote.take_warnings());
        }
        let mut resources = acc.resources.into_vec();
        add_hash_suffixes(&mut resources)?;
        fix_name_references(&mut resources, &acc.config.name_reference)?;
        let unused = resolve_vars(&mut resources, &acc.vars, &acc.config.var_reference)?;
        if !unused.is_empty() {
            warnings.push(format!(
                "well-defined vars that were never replaced: {}",
                unused.join(",")
            ));
        }
        drop_local_config(&mut resources)?;
        let keep = origin::kept_annotations(&kustomization.build_metadata);
        resources
            .iter_mut()
            .for_each(|r| rewrite_annotations(r.node_mut(), &keep));
        let order = match (&kustomization.sort_options, &self.options.reorder) {
            (Some(options), reorder) => {
                if reorder.is_some() {
                    warnings.push(
                        "Warning: Sorting order is set both in 'kustomization.yaml' ('sortOptions') and in a CLI flag ('--reorder'). Using the kustomization file over the CLI flag."
                            .to_owned(),
                    );
                }
                Order::from_options(options)?
            }
            (None, Some(order)) => order.clone(),
            (None, None) => Order::legacy(),
        };
        sort(&mut resources, &order);
        origin::add_managed_by_label(&kustomization.build_metadata, &mut resources)?;
        Ok(Build {
            resources,
            warnings,
        })
    }
}

/// kustomize leaves out resources annotated `config.kubernetes.io/local-config` (unless the
/// annotation says `"false"`), checking on the way that every resource still has a kind and a
/// name (a patch may have removed them).
fn drop_local_config(resources: &mut Vec<Resource>) -> Result<()> {
    for r in resources.iter() {
        validate_metadata(r.node())?;
    }
    resources.retain(|r| {
        let path = [
            "metadata",
            "annotations",
            "config.kubernetes.io/local-config",
        ];
        match r.node().get_path(&path) {
            None => true,
            Some(v) => v.as_scalar().is_some_and(|s| s.as_str() == "false"),
        }
    });
    Ok(())
}

/// Annotations kustomize uses internally and removes from every resource before printing (the
/// origin and transformation annotations stay only when `buildMetadata` asks for them).
const BUILD_ANNOTATIONS: &[&str] = &[
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path",
    "config.kubernetes.io/index",
    "config.k8s.io/id",
    "internal.config.kubernetes.io/helm-generated",
];

/// Annotations removed unless `buildMetadata` keeps them.
const STRIPPED_UNLESS_ASKED: &[&str] = &[
    "config.kubernetes.io/origin",
    "alpha.config.kubernetes.io/transformations",
];

/// kustomize ends every build by rewriting each resource's annotations through a string map,
/// without its internal ones: values become their text as strings, and an empty map goes away.
fn rewrite_annotations(node: &mut Node, keep: &[&str]) {
    let Some(root) = node.as_map_mut() else {
        return;
    };
    let meta = root.get_or_insert_with("metadata", Node::map);
    let Some(meta) = meta.as_map_mut() else {
        return;
    };
    let text = |n: &Node| n.as_scalar().map_or("", |s| s.as_str()).to_owned();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: String| match pairs.iter_mut().find(|(pk, _)| *pk == k) {
        Some(slot) => slot.1 = v,
        None => pairs.push((k, v)),
    };
    match meta.get("annotations") {
        Some(Node::Map(m)) => m
            .iter()
            .for_each(|(k, v)| put(k.as_str().to_owned(), text(v))),
        // kyaml reads any node's children pairwise as keys and values.
        Some(Node::Seq(items)) => items
            .chunks(2)
            .for_each(|kv| put(text(&kv[0]), kv.get(1).map(text).unwrap_or_default())),
        _ => {}
    }
    meta.remove("annotations");
    pairs.retain(|(k, _)| {
        !BUILD_ANNOTATIONS.contains(&k.as_str())
            && (keep.contains(&k.as_str()) || !STRIPPED_UNLESS_ASKED.contains(&k.as_str()))
    });
    if !pairs.is_empty() {
        pairs.sort();
        let map: Mapping = pairs
            .into_iter()
            .map(|(k, v)| (Scalar::string(k), Node::string(v)))
            .collect();
        meta.insert("annotations", Node::Map(map));
    }
}

impl Build {
    /// The resources, in output order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The resources, to change after the build (the `extras` post-processing steps).
    pub(crate) fn resources_mut(&mut self) -> &mut Vec<Resource> {
        &mut self.resources
    }

    /// Warnings kustomize would print on stderr (deprecated fields, …).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The output, byte for byte as `kustomize build` prints it.
    pub fn to_yaml(&self) -> Result<Vec<u8>> {
        // Resources print independently: chunks print in parallel, then join in order.
        const CHUNK: usize = 16;
        let chunks: Vec<Result<Vec<u8>>> = self
            .resources
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut out = Vec::with_capacity(chunk.len() * 16 * 1024);
                for r in chunk {
                    out.extend_from_slice(b"---\n");
                    emit::write_resource(&mut out, r.node()).map_err(|e| {
                        Error::new(ErrorKind::Emit, format!("cannot print {}: {e}", r.id()))
                    })?;
                }
                Ok(out)
            })
            .collect();
        let mut out = Vec::new();
        for chunk in chunks {
            let chunk = chunk?;
            // Every document was written after a separator; the first one has none.
            let skip = if out.is_empty() { 4 } else { 0 };
            out.extend_from_slice(&chunk[skip..]);
        }
        Ok(out)
    }

    /// The output as `kustomize build -o DIR` writes it: one file per resource, named
    /// `<group>_<version>_<kind>_<name>.yaml` in lower case (empty parts left out), prefixed by
    /// `<namespace>_` when the namespaced resources span more than one namespace.
    pub fn to_files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let ids: Vec<_> = self.resources.iter().map(Resource::id).collect();
        let namespaces: std::collections::HashSet<&str> = ids
            .iter()
            .filter(|id| !id.gvk.is_cluster_scoped())
            .map(|id| id.effective_namespace())
            .collect();
        let mut files = Vec::with_capacity(self.resources.len());
        for (r, id) in self.resources.iter().zip(&ids) {
            let gvk = [id.gvk.group.as_str(), &id.gvk.version, &id.gvk.kind]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("_");
            let mut name = format!("{}_{}.yaml", gvk.to_lowercase(), id.name.to_lowercase());
            if namespaces.len() > 1 && !id.gvk.is_cluster_scoped() {
                name = format!("{}_{name}", id.effective_namespace().to_lowercase());
            }
            let mut bytes = Vec::new();
            emit::write_resource(&mut bytes, r.node())
                .map_err(|e| Error::new(ErrorKind::Emit, format!("cannot print {id}: {e}")))?;
            files.push((name, bytes));
        }
        Ok(files)
    }
}
