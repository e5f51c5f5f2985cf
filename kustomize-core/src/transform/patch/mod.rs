//! Patches: strategic-merge and JSON 6902, and telling one from the other.
//!
//! Three kustomization fields patch resources, each with its own rules for finding targets:
//! `patchesStrategicMerge` (targets found by the patch's own id), `patches` (by `target:` or,
//! for strategic-merge patches without one, by the patch's id) and `patchesJson6902` (by
//! `target:`).

pub mod json6902;
pub mod strategic;

use crate::accumulate::Session;
use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::load::kustomization::Patch;
use crate::load::resources::parse_patches;
use crate::load::Loader;
use crate::node::Node;
use crate::resource::{Resource, ResourceList};
use crate::transform::select::select;
use json6902::{classify_patch, PatchKind};
use strategic::{MergeOutcome, PatchOptions};

fn error(msg: String) -> Error {
    Error::new(ErrorKind::Transform, msg)
}

/// The one resource whose current or previous id is the patch's id.
fn target_of(resources: &ResourceList, patch: &Node) -> Result<usize> {
    let id = Resource::new(patch.clone()).id();
    match resources.matching_any_id(&id).as_slice() {
        [one] => Ok(*one),
        [] => Err(error(format!(
            "no matches for Id {id}; failed to find unique target for patch {id}"
        ))),
        _ => Err(error(format!(
            "multiple matches for Id {id}; failed to find unique target for patch {id}"
        ))),
    }
}

/// Applies one strategic-merge patch to the resources at `indices`, dropping those it deletes.
fn merge_into(
    session: &mut Session,
    resources: &mut ResourceList,
    indices: &[usize],
    patch: &Node,
    options: PatchOptions,
) -> Result<()> {
    let schema = session.schema.schema();
    resources.update(|list| {
        let mut deleted = Vec::new();
        for &i in indices {
            let r = &mut list[i];
            if options.allow_name_change || options.allow_kind_change {
                r.store_previous_id();
            }
            let outcome = strategic::apply_to_resource(r.node_mut(), patch, schema, options)
                .map_err(|e| e.context(format!("applying strategic merge patch to {}", r.id())))?;
            if outcome == MergeOutcome::Deleted {
                deleted.push(i);
            }
        }
        for i in deleted.into_iter().rev() {
            list.remove(i);
        }
        Ok(())
    })
}

/// `patchesStrategicMerge`: each entry is inline YAML or a file of patches.
pub fn apply_patches_strategic_merge(
    loader: &Loader<'_>,
    session: &mut Session,
    entries: &[String],
    resources: &mut ResourceList,
) -> Result<()> {
    let mut patches = Vec::new();
    for entry in entries {
        match parse_patches(entry.as_bytes()) {
            Ok(inline) => patches.extend(inline),
            Err(_) => {
                let bytes = loader.read(entry)?;
                patches.extend(
                    parse_patches(&bytes).with_context(|| format!("patch file '{entry}'"))?,
                );
            }
        }
    }
    if patches.is_empty() && !entries.is_empty() {
        return Err(error(format!(
            "patch appears to be empty; files={entries:?}"
        )));
    }
    for patch in &patches {
        let i = target_of(resources, patch)?;
        merge_into(
            session,
            resources,
            &[i],
            patch,
            PatchOptions {
                retarget: true,
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// `patches`: each entry a strategic-merge or JSON 6902 patch, inline or from a file, applied to
/// its `target:` or (strategic merge only) to the resource its id names.
pub fn apply_patches(
    loader: &Loader<'_>,
    session: &mut Session,
    entries: &[Patch],
    resources: &mut ResourceList,
) -> Result<()> {
    for entry in entries {
        let inline = entry.patch.trim();
        let (text, source) = match (inline.is_empty(), entry.path.is_empty()) {
            (true, true) => return Err(error("must specify one of patch and path".into())),
            (false, false) => {
                return Err(error("patch and path can't be set at the same time".into()))
            }
            (false, true) => (inline.to_owned(), format!("[patch: {inline:?}]")),
            (true, false) => {
                let bytes = loader.read(&entry.path).map_err(|e| {
                    e.context(format!(
                        "failed to get the patch file from path({})",
                        entry.path
                    ))
                })?;
                (
                    String::from_utf8_lossy(&bytes).into_owned(),
                    format!("[path: {:?}]", entry.path),
                )
            }
        };
        let options = entry.options.clone().unwrap_or_default();
        match classify_patch(&text, &source)? {
            PatchKind::Json(patch) => {
                json6902::apply_patches_entry(resources, entry.target.as_ref(), &patch, &source)?
            }
            PatchKind::StrategicMerge(patches) => {
                let mut options = PatchOptions {
                    allow_name_change: options.allow_name_change,
                    allow_kind_change: options.allow_kind_change,
                    retarget: false,
                };
                match &entry.target {
                    Some(target) => {
                        if patches.len() > 1 {
                            return Err(error(format!(
                                "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field: {source}"
                            )));
                        }
                        let Some(patch) = patches.first() else {
                            continue;
                        };
                        let selected = select(resources, target)?;
                        options.retarget = true;
                        merge_into(session, resources, &selected, patch, options)
                            .with_context(|| format!("patch {source}"))?;
                    }
                    None => {
                        for patch in &patches {
                            let i = target_of(resources, patch).map_err(|e| {
                                e.context(format!(
                                    "no resource matches strategic merge patch \"{}\"",
                                    Resource::new(patch.clone()).id()
                                ))
                            })?;
                            merge_into(session, resources, &[i], patch, options)
                                .with_context(|| format!("patch {source}"))?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// `patchesJson6902`: JSON patches, each with a target.
pub fn apply_patches_json6902(
    loader: &Loader<'_>,
    entries: &[Patch],
    resources: &mut ResourceList,
) -> Result<()> {
    for entry in entries {
        let (target, patch) = json6902::load_json6902_entry(entry, loader)?;
        json6902::apply_json6902_entry(resources, &target, &patch).map_err(|e| {
            match entry.path.as_str() {
                "" => e,
                path => e.context(format!("patchesJson6902 file '{path}'")),
            }
        })?;
    }
    Ok(())
}
