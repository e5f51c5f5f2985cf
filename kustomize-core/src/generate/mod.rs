//! Generation: ConfigMaps and Secrets from `configMapGenerator` and `secretGenerator`, and the
//! content hash kustomize appends to their names.

pub mod hash;
mod kv;

use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::load::kustomization::{GeneratorArgs, GeneratorOptions, Kustomization};
use crate::load::Loader;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::{Behavior, Resource, ResourceList};

/// Which kind a generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratorKind {
    /// `configMapGenerator`.
    ConfigMap,
    /// `secretGenerator`.
    Secret,
}

/// Runs a kustomization's generators (ConfigMaps first, then Secrets, each in listed order) and
/// folds their output into `resources` by each one's `behavior`. `mark` sees each generated
/// resource first (origin tracking annotates it there).
pub fn run_generators(
    loader: &Loader<'_>,
    k: &Kustomization,
    resources: &mut ResourceList,
    mark: &mut dyn FnMut(GeneratorKind, &mut Resource) -> Result<()>,
) -> Result<()> {
    let jobs = k
        .config_map_generator
        .iter()
        .map(|a| (GeneratorKind::ConfigMap, a))
        .chain(
            k.secret_generator
                .iter()
                .map(|a| (GeneratorKind::Secret, a)),
        );
    for (kind, args) in jobs {
        let options = merge_options(args.options.as_ref(), k.generator_options.as_ref());
        let mut generated = generate(loader, kind, args, &options)?;
        mark(kind, &mut generated)?;
        absorb(resources, generated)
            .with_context(|| format!("merging from generator '{}'", args.name))?;
    }
    Ok(())
}

/// A generator's own options completed by the kustomization's `generatorOptions` (its own win).
fn merge_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> GeneratorOptions {
    let mut out = local.cloned().unwrap_or_default();
    let Some(global) = global else { return out };
    let fill = |mine: &mut Option<Vec<(String, String)>>,
                theirs: &Option<Vec<(String, String)>>| {
        let Some(theirs) = theirs else { return };
        let mine = mine.get_or_insert_with(Vec::new);
        for (k, v) in theirs {
            if !mine.iter().any(|(mk, _)| mk == k) {
                mine.push((k.clone(), v.clone()));
            }
        }
    };
    fill(&mut out.labels, &global.labels);
    fill(&mut out.annotations, &global.annotations);
    out.disable_name_suffix_hash |= global.disable_name_suffix_hash;
    out.immutable |= global.immutable;
    out
}

/// Makes the resource one generator entry describes.
pub fn generate(
    loader: &Loader<'_>,
    kind: GeneratorKind,
    args: &GeneratorArgs,
    options: &GeneratorOptions,
) -> Result<Resource> {
    if args.name.is_empty() {
        return Err(Error::new(
            ErrorKind::Transform,
            "a configmap must have a name",
        ));
    }
    let pairs = kv::load_pairs(loader, args).with_context(|| "loading KV pairs")?;
    let mut data: Vec<(String, Vec<u8>)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        if data.iter().any(|(k, _)| *k == key) {
            return Err(Error::new(
                ErrorKind::Transform,
                format!("configmap {} illegally repeats the key `{key}`", args.name),
            ));
        }
        data.push((key, value));
    }
    data.sort_by(|a, b| a.0.cmp(&b.0));

    let mut metadata = Mapping::new();
    metadata.insert("name", args.name.as_str());
    if !args.namespace.is_empty() {
        metadata.insert("namespace", args.namespace.as_str());
    }
    let mut root = Mapping::new();
    root.insert("apiVersion", "v1");
    root.insert(
        "kind",
        match kind {
            GeneratorKind::ConfigMap => "ConfigMap",
            GeneratorKind::Secret => "Secret",
        },
    );
    root.insert("metadata", Node::Map(metadata));
    match kind {
        GeneratorKind::ConfigMap => {
            let (mut text, mut binary) = (Mapping::new(), Mapping::new());
            for (key, value) in data {
                match String::from_utf8(value) {
                    Ok(s) => text.insert(key, s),
                    Err(e) => binary.insert(key, base64_lines(e.as_bytes())),
                };
            }
            if !text.is_empty() {
                root.insert("data", Node::Map(text));
            }
            if !binary.is_empty() {
                root.insert("binaryData", Node::Map(binary));
            }
        }
        GeneratorKind::Secret => {
            let type_ = if args.type_.is_empty() {
                "Opaque"
            } else {
                &args.type_
            };
            root.insert("type", type_);
            let secret_data: Mapping = data
                .iter()
                .map(|(k, v)| (Scalar::string(k.as_str()), Node::string(base64_lines(v))))
                .collect();
            root.insert("data", Node::Map(secret_data));
        }
    }
    let mut node = Node::Map(root);
    let meta = node.get_mut("metadata").and_then(Node::as_map_mut);
    if let Some(meta) = meta {
        for (field, pairs) in [
            ("labels", &options.labels),
            ("annotations", &options.annotations),
        ] {
            if let Some(pairs) = pairs.as_ref().filter(|p| !p.is_empty()) {
                let map = meta.get_or_insert_with(field, Node::map);
                if let Some(map) = map.as_map_mut() {
                    for (k, v) in pairs {
                        map.insert(k.as_str(), v.as_str());
                    }
                }
            }
        }
    }
    if options.immutable {
        if let Some(root) = node.as_map_mut() {
            root.insert_scalar_key(
                Scalar::string("immutable"),
                Node::Scalar(Scalar::tagged("true", Tag::Bool)),
            );
        }
    }
    let mut resource = Resource::new(node);
    resource.meta.needs_hash = !options.disable_name_suffix_hash;
    resource.meta.generated = true;
    resource.meta.behavior = match args.behavior.as_str() {
        "replace" => Behavior::Replace,
        "merge" => Behavior::Merge,
        _ => Behavior::Create,
    };
    Ok(resource)
}

/// Base64 as kustomize writes generated data: one line if short, else lines of 70 characters
/// each ending in a newline.
fn base64_lines(bytes: &[u8]) -> String {
    const LINE: usize = 70;
    let encoded = crate::gosem::base64::encode(bytes);
    if encoded.len() < LINE {
        return encoded;
    }
    let mut out = String::with_capacity(encoded.len() + encoded.len() / LINE + 1);
    for chunk in encoded.as_bytes().chunks(LINE) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Adds a generated resource to `resources`, or merges it into / replaces the one it names.
pub(crate) fn absorb(resources: &mut ResourceList, mut generated: Resource) -> Result<()> {
    let id = generated.id();
    let matches = resources.matching_any_id(&id);
    match (matches.as_slice(), generated.meta.behavior) {
        ([], Behavior::Create) => resources.append(generated),
        ([], _) => Err(Error::new(
            ErrorKind::Transform,
            format!("id {id} does not exist; cannot merge or replace"),
        )),
        ([_], Behavior::Create) => Err(Error::new(
            ErrorKind::Transform,
            format!("id {id} exists; behavior must be merge or replace"),
        )),
        (&[index], behavior) => resources.update(|list| {
            let old = &list[index];
            copy_metadata_from(&mut generated, old);
            if behavior == Behavior::Merge {
                for field in ["data", "binaryData"] {
                    merge_string_map(&mut generated, old, field);
                }
                // A merge keeps the base resource's origin (buildMetadata).
                crate::accumulate::origin::keep_origin(&mut generated, old)?;
            }
            list[index] = generated;
            Ok(())
        }),
        (_, _) => Err(Error::new(
            ErrorKind::Transform,
            format!("found multiple objects that could accept merge of {id}"),
        )),
    }
}

fn string_map(node: &Node, path: &[&str]) -> Vec<(String, Node)> {
    node.get_path(path)
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Sets `field` (under `metadata` if `meta`) to `old`'s entries overridden by `new`'s.
fn set_merged(new: &mut Resource, old: &Resource, path: &[&str]) {
    let mut merged = string_map(old.node(), path);
    for (k, v) in string_map(new.node(), path) {
        match merged.iter_mut().find(|(mk, _)| *mk == k) {
            Some(slot) => slot.1 = v,
            None => merged.push((k, v)),
        }
    }
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = new.node_mut();
    for p in parents {
        let Some(map) = node.as_map_mut() else { return };
        node = map.get_or_insert_with(p, Node::map);
    }
    let Some(map) = node.as_map_mut() else { return };
    if merged.is_empty() {
        map.remove(last);
    } else {
        map.insert(
            *last,
            Node::Map(
                merged
                    .into_iter()
                    .map(|(k, v)| (Scalar::string(k), v))
                    .collect(),
            ),
        );
    }
}

/// kustomize's "copy merge" of metadata when a generator replaces or merges into a resource: the
/// old labels and annotations with the new ones on top, the old name and namespace, the old
/// build history.
fn copy_metadata_from(new: &mut Resource, old: &Resource) {
    set_merged(new, old, &["metadata", "labels"]);
    set_merged(new, old, &["metadata", "annotations"]);
    new.set_name(old.name());
    let ns = old.namespace().to_owned();
    if let Some(meta) = new
        .node_mut()
        .get_mut("metadata")
        .and_then(Node::as_map_mut)
    {
        if ns.is_empty() {
            meta.remove("namespace");
        } else {
            meta.insert("namespace", ns);
        }
    }
    // Build history comes from the old resource; the hash suffix only if both asked for it.
    new.meta.prev_ids = old.meta.prev_ids.clone();
    new.meta.prefixes = old.meta.prefixes.clone();
    new.meta.suffixes = old.meta.suffixes.clone();
    new.meta.ref_var_names = old.meta.ref_var_names.clone();
    new.meta.needs_hash = new.meta.needs_hash && old.meta.needs_hash;
    new.meta.behavior = old.meta.behavior;
}

fn merge_string_map(new: &mut Resource, old: &Resource, field: &str) {
    set_merged(new, old, &[field]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_go() {
        let long = base64_lines(&[b'x'; 60]);
        assert_eq!(long.lines().map(str::len).collect::<Vec<_>>(), [70, 10]);
        assert!(long.ends_with('\n'));
    }
}
