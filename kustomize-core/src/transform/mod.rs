//! Transformers that edit resources in place: namespace, name prefix and suffix, labels,
//! annotations, images and replicas, all driven by field specs ([`fieldspec`]) and one path
//! walker ([`walk`]).
//!
//! Each transformer works on one resource at a time (a `&mut Node`); what spans resources stays
//! with the caller, as in kustomize's builtins:
//! * order within a kustomization: namespace, prefix, suffix, each `labels:` entry then
//!   `commonLabels`, `commonAnnotations`, each `replicas:` entry, each `images:` entry;
//! * the configuration: an accumulator starts from an empty [`fieldspec::TransformerConfig`]
//!   and merges each sub-kustomization's, then the kustomization's own
//!   ([`fieldspec::TransformerConfig::for_kustomization`]), then the one from its `crds:`;
//! * ids: after the namespace transformer no two resources may share an id; prefix and suffix
//!   report renames ([`prefix_suffix::AffixOutcome`]) for the id history that name references
//!   and replicas rely on; a replicas entry matches any id of a resource and fails if it matched
//!   nothing ([`replicas::replica_not_found`]);
//! * kustomize drops its `internal.config.kubernetes.io/` annotations when it prints.

pub mod annotations;
pub mod fieldspec;
pub mod images;
pub mod labels;
pub mod namespace;
pub mod prefix_suffix;
pub mod replicas;
pub mod walk;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod testutil;
