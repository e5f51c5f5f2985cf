//! Strategic-merge patching, exactly as kustomize v5.8 does it.
//!
//! kustomize applies a strategic-merge patch (`patchesStrategicMerge`, and `patches` entries that
//! are not JSON 6902) with kyaml's `merge2.Merge(patch, target, ListIncreaseDirection: Prepend)`,
//! not with apimachinery's strategic patch. Its rules, which this module reproduces:
//!
//! - **Schema.** A node's schema comes from its parent's (`properties`, else
//!   `additionalProperties`; list elements from `items`). Where there is none (the resource's type
//!   is unknown, or the field is not in the schema), a map that has both `apiVersion` and `kind`
//!   takes the schema of that type, so objects embedded in custom resources merge by their own.
//! - **Maps** merge field by field; a field the patch sets to `null` (or `~`, or leaves empty) is
//!   removed, also from maps and lists. Fields only the target has are kept; but a target field
//!   whose value is empty (`key:`) is dropped, while `key: null` or `key: ~` stays.
//! - **Scalars** and **lists without a `merge` patch strategy** (including every list of a type
//!   without schema, and e.g. `tolerations`, `args`) are replaced by the patch's value.
//! - **Associative lists** (`x-kubernetes-patch-strategy` containing `merge`) merge elements by
//!   their merge keys (`x-kubernetes-list-map-keys` if present, else
//!   `x-kubernetes-patch-merge-key`, e.g. `containers` by `name`, `ports` by `containerPort` and
//!   `protocol`). The result lists the patch's elements first (in patch order, merged with their
//!   target twins), then the target's other elements. Lists of primitives with `merge` (e.g.
//!   `finalizers`) become the distinct values, patch's first. `x-kubernetes-list-type` plays no
//!   part; `retainKeys` is not implemented (only `merge` counts).
//! - **Directives.** `$patch: delete` removes the map (at the top: the whole resource; in a list:
//!   that element); `$patch: replace` replaces the map or list, but does nothing at the top of a
//!   resource or on an element of an associative list (the target's element comes back);
//!   `$patch: merge` is the default; any other value fails with `unknown patch strategy '…'`. In a
//!   list a directive is an element that is a map of `$patch` alone; it only acts on associative
//!   lists the target has (elsewhere it stays in the output as an element).
//!   `$setElementOrder/…`, `$retainKeys` and `$deleteFromPrimitiveList/…` are not directives to
//!   kyaml: they are ordinary fields and end up in the output.
//! - A patch node whose kind (map, list, scalar) differs from the target's fails with `wrong node
//!   kind: expected … but got …`.
//!
//! The merge keeps kyaml's quirks too (an element without its merge key in an associative list
//! collapses the list, for instance), because kustomize's output has them. Those quirks come from
//! nodes shared between lists while kyaml merges, so associative lists the patch touches are merged
//! on an arena of shared nodes (`walk`, a close port of kyaml's walker); the rest of the resource
//! is merged, and the parts the patch does not mention normalized, on the documents directly
//! (`spine`), so that a patch costs about its own size.

mod arena;
mod spine;
mod walk;

use crate::error::Result;
use crate::node::{Node, Scalar};
use crate::openapi::Schema;
use spine::{Outcome, Spine};

/// What became of the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The target holds the merged resource.
    Merged,
    /// The resource is gone: the patch said `$patch: delete` at its top, or nothing is left of it
    /// (kustomize drops empty resources).
    Deleted,
}

/// Merges `patch` into `target` as kyaml's `merge2.Merge` does for kustomize.
///
/// On error the target may be partly merged; kustomize stops the build then.
pub fn merge(target: &mut Node, patch: &Node, schema: &Schema) -> Result<MergeOutcome> {
    match Spine::new(schema).walk_root(target, patch)? {
        Outcome::Remove => Ok(MergeOutcome::Deleted),
        // kustomize keeps its own node: a replacement of the whole resource (a top-level
        // `$patch: replace`) is dropped.
        Outcome::Set(_) => Ok(MergeOutcome::Merged),
        Outcome::Keep if is_nil_or_empty(target) => Ok(MergeOutcome::Deleted),
        Outcome::Keep => Ok(MergeOutcome::Merged),
    }
}

fn is_nil_or_empty(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => s.is_null(),
        Node::Seq(items) => items.is_empty(),
        Node::Map(m) => m.is_empty(),
    }
}

/// How a patch may change its target's identity (`patches[].options`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PatchOptions {
    /// `allowNameChange`: the patch's `metadata.name` stays.
    pub allow_name_change: bool,
    /// `allowKindChange`: the patch's `kind` stays.
    pub allow_kind_change: bool,
    /// The patch was matched by a selector or by id through kustomize's resource map
    /// (`patches` with `target:`, and `patchesStrategicMerge`): the patch first takes the
    /// target's `apiVersion` (and keeps its own `kind`, even an absent one, which then empties
    /// the target's unless restored).
    pub retarget: bool,
}

/// Applies a strategic-merge patch to one resource as kustomize's `Resource.ApplySmPatch` does:
/// merges, then restores the target's `kind` and `metadata.name` (unless the options allow them
/// to change) and its `metadata.namespace` (always; removed if the target had none).
pub fn apply_to_resource(
    target: &mut Node,
    patch: &Node,
    schema: &Schema,
    options: PatchOptions,
) -> Result<MergeOutcome> {
    let text_at = |node: &Node, path: &[&str]| node.str_at(path).unwrap_or("").to_owned();
    let name = text_at(target, &["metadata", "name"]);
    let namespace = text_at(target, &["metadata", "namespace"]);
    let kind = text_at(target, &["kind"]);

    let outcome = if options.retarget {
        let mut patch = patch.clone();
        let api_version = text_at(target, &["apiVersion"]);
        let patch_kind = text_at(&patch, &["kind"]);
        if let Some(m) = patch.as_map_mut() {
            m.insert("apiVersion", Node::string(api_version));
            m.insert("kind", Node::string(patch_kind));
        }
        merge(target, &patch, schema)?
    } else {
        merge(target, patch, schema)?
    };
    if outcome == MergeOutcome::Deleted {
        return Ok(outcome);
    }
    let Some(root) = target.as_map_mut() else {
        return Ok(outcome);
    };
    if !options.allow_kind_change {
        root.insert("kind", Node::string(kind));
    }
    if !options.allow_name_change {
        let meta = root.get_or_insert_with("metadata", Node::map);
        if let Some(meta) = meta.as_map_mut() {
            meta.insert_scalar_key(Scalar::string("name"), Node::string(name));
        }
    }
    if namespace.is_empty() {
        if let Some(meta) = root.get_mut("metadata").and_then(Node::as_map_mut) {
            meta.remove("namespace");
        }
    } else if let Some(meta) = root.get_or_insert_with("metadata", Node::map).as_map_mut() {
        meta.insert("namespace", Node::string(namespace));
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests;
