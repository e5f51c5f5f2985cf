//! The transform stage: kustomize's builtin transformers, run over a kustomization's resources
//! in kustomize's order ([`run_builtin_transformers`]):
//!
//! 1. strategic-merge patches and `patches` ([`patch`]),
//! 2. `namespace` ([`namespace`]),
//! 3. `namePrefix` and `nameSuffix` ([`prefix_suffix`]),
//! 4. `labels` and `commonLabels` ([`labels`]), `commonAnnotations` ([`annotations`]),
//! 5. JSON 6902 patches ([`patch`]),
//! 6. `replicas` ([`replicas`]), `images` ([`images`]),
//! 7. `replacements` ([`replacements`]),
//!
//! then the `transformers:` plugins and validators (`plugins`). Name references ([`nameref`])
//! and vars ([`vars`]) run once, at the end of the build.
//!
//! Every transformer that edits fields finds them the same way: field specs ([`fieldspec`],
//! kustomize's tables kept as data in `fieldspec/*.txt`) name the fields, and one walker
//! ([`path`]) follows them; replacements and vars follow kyaml paths with that same walker.
//! Patches and replacements pick their resources with [`select`].

pub mod annotations;
pub mod fieldspec;
pub(crate) mod gojson;
pub mod images;
pub mod labels;
pub mod nameref;
pub mod namespace;
pub mod patch;
pub mod path;
pub(crate) mod plugins;
pub mod prefix_suffix;
pub mod replacements;
pub mod replicas;
pub mod select;
pub mod vars;

#[cfg(test)]
pub(crate) mod testutil;

use crate::accumulate::Session;
use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::load::kustomization::Kustomization;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::resource::{Resource, ResourceList};
use fieldspec::{FieldSpec, TransformerConfig};
use labels::{LabelOptions, Pairs};
use namespace::{NamespaceTransformer, RoleBindingSubjects};
use prefix_suffix::Affix;

/// The transformer configuration a kustomization adds: the builtin one merged with its
/// `configurations:` files.
pub fn load_config(loader: &Loader<'_>, k: &Kustomization) -> Result<TransformerConfig> {
    let mut files = Vec::with_capacity(k.configurations.len());
    for path in &k.configurations {
        let bytes = loader.read(path)?;
        let docs = parse_documents(&bytes, Schema::Yaml11)
            .map_err(|e| Error::new(ErrorKind::Yaml, format!("{path}: {e}")))?;
        let node = docs.into_iter().next().unwrap_or_default();
        files.push(
            TransformerConfig::from_node(&node)
                .with_context(|| format!("configuration file '{path}'"))?,
        );
    }
    TransformerConfig::for_kustomization(&files)
}

/// Runs a kustomization's builtin transformers over `resources`, in kustomize's order:
/// strategic-merge patches, patches, namespace, name prefix and suffix, labels, annotations, JSON
/// 6902 patches, replicas, images, replacements. After each one (each patch, label entry, image,
/// … is a transformer of its own) `trail` does kustomize's bookkeeping.
pub fn run_builtin_transformers(
    loader: &Loader<'_>,
    k: &Kustomization,
    config: &TransformerConfig,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    let trail = plugins::Trail::new(loader, session);
    if !k.patches_strategic_merge.is_empty() {
        patch::apply_patches_strategic_merge(
            loader,
            session,
            &k.patches_strategic_merge,
            resources,
        )?;
        trail.builtin("PatchStrategicMergeTransformer", resources)?;
    }
    for entry in &k.patches {
        patch::apply_patches(loader, session, std::slice::from_ref(entry), resources)?;
        trail.builtin("PatchTransformer", resources)?;
    }
    if !k.namespace.is_empty() {
        let t = NamespaceTransformer {
            namespace: &k.namespace,
            field_specs: &config.namespace,
            unset_only: false,
            subjects: RoleBindingSubjects::DefaultOnly,
        };
        set_namespace(&t, resources)?;
        trail.builtin("NamespaceTransformer", resources)?;
    }
    if !k.name_prefix.is_empty() {
        add_name_affix(
            Affix::Prefix,
            &k.name_prefix,
            &config.name_prefix,
            resources,
        )?;
        trail.builtin("PrefixTransformer", resources)?;
    }
    if !k.name_suffix.is_empty() {
        add_name_affix(
            Affix::Suffix,
            &k.name_suffix,
            &config.name_suffix,
            resources,
        )?;
        trail.builtin("SuffixTransformer", resources)?;
    }
    add_labels(k, config, resources, &trail)?;
    if let Some(annotations) = k.common_annotations.as_ref().filter(|a| !a.is_empty()) {
        let pairs = Pairs::new(annotations.iter().cloned());
        for_each_node(resources, |r| {
            annotations::apply_annotations(r.node_mut(), &pairs, &config.common_annotations)
        })?;
        trail.builtin("AnnotationsTransformer", resources)?;
    }
    for entry in &k.patches_json6902 {
        patch::apply_patches_json6902(loader, std::slice::from_ref(entry), resources)?;
        trail.builtin("PatchJson6902Transformer", resources)?;
    }
    for entry in &k.replicas {
        set_replicas(entry, &config.replicas, resources)?;
        trail.builtin("ReplicaCountTransformer", resources)?;
    }
    for image in &k.images {
        set_image(image, &config.images, resources)?;
        trail.builtin("ImageTagTransformer", resources)?;
    }
    if !k.replacements.is_empty() {
        let replacements = replacements::load_replacements(&k.replacements, loader)?;
        replacements::apply_replacements(resources, &replacements)?;
        trail.builtin("ReplacementTransformer", resources)?;
    }
    Ok(())
}

/// One `images:` entry (kustomize's ImageTagTransformer) over every resource.
pub(crate) fn set_image(
    image: &crate::load::kustomization::Image,
    specs: &[FieldSpec],
    resources: &mut ResourceList,
) -> Result<()> {
    let updater = images::ImageUpdater::new(images::ImageTag {
        name: image.name.clone(),
        new_name: image.new_name.clone(),
        new_tag: image.new_tag.clone(),
        digest: image.digest.clone(),
        tag_suffix: image.tag_suffix.clone(),
    });
    for_each_node(resources, |r| updater.apply(r.node_mut(), specs))
}

pub(crate) fn for_each_node(
    resources: &mut ResourceList,
    mut f: impl FnMut(&mut Resource) -> Result<()>,
) -> Result<()> {
    resources.update(|list| list.iter_mut().try_for_each(&mut f))
}

/// kustomize's NamespaceTransformer: every resource records its id, then gets the namespace; no
/// two resources may end up with the same id.
pub(crate) fn set_namespace(
    t: &NamespaceTransformer<'_>,
    resources: &mut ResourceList,
) -> Result<()> {
    let is_cluster_scoped = |gvk: &crate::resource::Gvk| gvk.is_cluster_scoped();
    resources.update(|list| {
        let mut seen = std::collections::HashSet::with_capacity(list.len());
        for r in list.iter_mut() {
            r.store_previous_id();
            t.apply(r.node_mut(), &is_cluster_scoped)?;
            if t.unset_only && plugins::kept_spelled_null_namespace(r) {
                r.meta.untagged_null_namespace = true;
            }
            if !seen.insert(r.id().key()) {
                return Err(Error::new(
                    ErrorKind::ResourceId,
                    format!("namespace transformation produces ID conflict: {}", r.id()),
                ));
            }
        }
        Ok(())
    })
}

/// kustomize's Prefix/SuffixTransformer: the name (and other specs) get the affix; each rename
/// is recorded for name references.
pub(crate) fn add_name_affix(
    affix: Affix,
    value: &str,
    specs: &[FieldSpec],
    resources: &mut ResourceList,
) -> Result<()> {
    for_each_node(resources, |r| {
        let org_gvk = r.original_id().gvk;
        let outcome = prefix_suffix::apply_name_affix(r.node_mut(), &org_gvk, affix, value, specs)?;
        for previous in outcome.previous_names {
            match affix {
                Affix::Prefix => r.meta.prefixes.push(value.to_owned()),
                Affix::Suffix => r.meta.suffixes.push(value.to_owned()),
            }
            r.store_previous_id_named(&previous);
        }
        Ok(())
    })
}

/// `labels:` entries, then `commonLabels` (one more LabelTransformer, even when empty, if there
/// are `labels:` entries).
fn add_labels(
    k: &Kustomization,
    config: &TransformerConfig,
    resources: &mut ResourceList,
    trail: &plugins::Trail,
) -> Result<()> {
    for entry in &k.labels {
        let options = LabelOptions {
            fields: entry
                .fields
                .iter()
                .map(|f| {
                    FieldSpec::new(
                        crate::resource::Gvk::new(&f.group, &f.version, &f.kind),
                        &f.path,
                        f.create,
                    )
                })
                .collect(),
            include_selectors: entry.include_selectors,
            include_templates: entry.include_templates,
            include_volume_claim_templates: entry.include_volume_claim_templates,
        };
        let specs = labels::label_field_specs(&options, config)?;
        let pairs = Pairs::new(entry.pairs.iter().cloned());
        for_each_node(resources, |r| {
            labels::apply_labels(r.node_mut(), &pairs, &specs)
        })?;
        trail.builtin("LabelTransformer", resources)?;
    }
    let common = k.common_labels.as_deref().unwrap_or_default();
    if !common.is_empty() {
        let pairs = Pairs::new(common.iter().cloned());
        for_each_node(resources, |r| {
            labels::apply_labels(r.node_mut(), &pairs, &config.common_labels)
        })?;
    }
    if !common.is_empty() || !k.labels.is_empty() {
        trail.builtin("LabelTransformer", resources)?;
    }
    Ok(())
}

/// One `replicas:` entry: every resource any of whose ids has the entry's name.
pub(crate) fn set_replicas(
    entry: &crate::load::kustomization::Replica,
    specs: &[FieldSpec],
    resources: &mut ResourceList,
) -> Result<()> {
    let replica = replicas::Replica {
        name: entry.name.clone(),
        count: entry.count,
    };
    let mut found = false;
    resources.update(|list| {
        for spec in specs {
            for r in list.iter_mut() {
                let mut ids = r.previous_ids();
                ids.push(r.id());
                if replicas::replica_matches(&ids, &replica, spec) {
                    found = true;
                    replicas::apply_replica(r.node_mut(), &replica, spec)?;
                }
            }
        }
        Ok(())
    })?;
    if found {
        Ok(())
    } else {
        Err(replicas::replica_not_found(&replica, specs))
    }
}
