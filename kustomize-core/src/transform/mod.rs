//! The transform stage: changes to the accumulated resources, as kustomize's builtin
//! transformers make them, in kustomize's order.
//!
//! Per-resource transformers (namespace, name prefix and suffix, labels, annotations, images,
//! replicas) are driven by field specs ([`fieldspec`]) through one path walker ([`walk`]);
//! patches ([`patch`]) and [`replacements`] select their targets with [`select`].

pub mod annotations;
pub mod fieldpath;
pub mod fieldspec;
pub(crate) mod gojson;
pub mod images;
pub mod labels;
pub mod namespace;
pub mod patch;
pub mod prefix_suffix;
pub mod replacements;
pub mod replicas;
pub mod select;
pub mod walk;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
pub(crate) mod testutil;
#[cfg(test)]
mod testyaml;

use crate::accumulate::Session;
use crate::error::Result;
use crate::load::kustomization::Kustomization;
use crate::load::Loader;
use crate::resource::ResourceList;

/// Runs a kustomization's builtin transformers over `resources`, in kustomize's order:
/// strategic-merge patches, patches, namespace, name prefix and suffix, labels, annotations, JSON
/// 6902 patches, replicas, images, replacements.
pub fn run_builtin_transformers(
    loader: &Loader<'_>,
    k: &Kustomization,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    patch::apply_patches_strategic_merge(loader, session, &k.patches_strategic_merge, resources)?;
    patch::apply_patches(loader, session, &k.patches, resources)?;
    patch::apply_patches_json6902(loader, &k.patches_json6902, resources)?;
    if !k.replacements.is_empty() {
        let replacements = replacements::load_replacements(&k.replacements, loader)?;
        replacements::apply_replacements(resources, &replacements)?;
    }
    Ok(())
}
