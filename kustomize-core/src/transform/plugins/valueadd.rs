//! kustomize's `ValueAddTransformer`: writes one value into fields of selected resources, either
//! as the whole field or as a part inserted into a file path the field holds.

use super::configs::{decode, ValueAddConfig, ValueAddTarget, ValueAddTargets};
use crate::error::{Error, ErrorKind, Result};
use crate::gosem::scalar::resolve_plain;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::ResourceList;
use crate::transform::namespace::{NamespaceTransformer, RoleBindingSubjects};
use crate::transform::path::set_scalar;
use crate::transform::select::select;

fn error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Transform, message)
}

/// A configured `ValueAddTransformer`.
#[derive(Clone, Debug)]
pub(crate) struct ValueAdd {
    value: String,
    targets: Vec<ValueAddTarget>,
}

impl ValueAdd {
    /// Checks and completes a config as the plugin's `Config` does: the value defaults to the
    /// kustomization directory's name, `targetFilePath` adds targets, and every target needs a
    /// field path and a non-negative position.
    pub(crate) fn configure(loader: &Loader<'_>, config: ValueAddConfig) -> Result<ValueAdd> {
        let mut value = config.value.trim().to_owned();
        if value.is_empty() {
            value = loader
                .root()
                .file_name()
                .map_or_else(|| "/".to_owned(), |n| n.to_string_lossy().into_owned());
        }
        let mut targets = config.targets;
        if !config.target_file_path.is_empty() {
            let bytes = loader.read(&config.target_file_path)?;
            let docs = parse_documents(&bytes, Schema::Yaml11)
                .map_err(|e| Error::new(ErrorKind::Yaml, e.to_string()))?;
            if let Some(doc) = docs.into_iter().next().filter(|d| !d.is_null()) {
                let more: ValueAddTargets = decode(&doc, "")?;
                targets.extend(more.targets);
            }
        }
        if targets.is_empty() {
            return Err(error("must specify at least one target"));
        }
        for t in &targets {
            if t.field_path.is_empty() {
                return Err(error("fieldPath cannot be empty"));
            }
            if t.file_path_position < 0 {
                return Err(error(format!(
                    "value of FilePathPosition ({}) cannot be negative",
                    t.file_path_position
                )));
            }
        }
        Ok(ValueAdd { value, targets })
    }

    /// The same transformer writing `value` instead.
    pub(crate) fn with_value(&self, value: &str) -> ValueAdd {
        ValueAdd {
            value: value.to_owned(),
            targets: self.targets.clone(),
        }
    }

    /// Applies every target in turn.
    pub(crate) fn apply(&self, resources: &mut ResourceList) -> Result<()> {
        for t in &self.targets {
            let indices: Vec<usize> = match &t.selector {
                None => (0..resources.len()).collect(),
                Some(sel) => select(resources, sel)?,
            };
            resources.update(|list| {
                for i in indices {
                    let node = list[i].node_mut();
                    if t.field_path == "metadata/namespace" {
                        NamespaceTransformer {
                            namespace: &self.value,
                            field_specs: &[],
                            unset_only: false,
                            subjects: RoleBindingSubjects::DefaultOnly,
                        }
                        .apply(node, &|gvk| gvk.is_cluster_scoped())?;
                    } else {
                        add_value(node, &t.field_path, t.file_path_position, &self.value)?;
                    }
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// The field path's parts: split at `/`, where `\/` keeps a slash in a part.
fn split_field_path(path: &str) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for part in path.split('/') {
        match fields.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => fields.push(part.to_owned()),
        }
    }
    fields
}

fn is_list_index(part: &str) -> bool {
    part.starts_with('[') && part.ends_with(']')
}

/// The kind kyaml creates for a missing field, from the part after it.
fn created_for(next: Option<&str>) -> Node {
    match next {
        None => Node::Scalar(Scalar::tagged("", Tag::Null)),
        Some(p) if is_list_index(p) || p.parse::<i64>().is_ok() => Node::Seq(Vec::new()),
        Some(_) => Node::map(),
    }
}

/// kyaml's `LookupCreate(ScalarNode, …)`, then the value set as an untagged scalar (or inserted
/// into the file path the scalar holds).
fn add_value(node: &mut Node, path: &str, position: i64, value: &str) -> Result<()> {
    let parts = split_field_path(path);
    let mut cur = node;
    let mut created = false;
    for (i, part) in parts.iter().enumerate() {
        let next = parts.get(i + 1).map(String::as_str);
        if let Ok(index) = part.parse::<i64>() {
            if index < 0 {
                return Err(error(format!("array index {index} cannot be negative")));
            }
            let Some(item) = cur
                .as_seq_mut()
                .and_then(|items| items.get_mut(index as usize))
            else {
                return Ok(());
            };
            cur = item;
        } else if part == "-" {
            let Some(item) = cur.as_seq_mut().and_then(|items| items.last_mut()) else {
                return Ok(());
            };
            cur = item;
        } else if is_list_index(part) {
            let inner = &part[1..part.len() - 1];
            let Some((key, want)) = inner.split_once('=') else {
                return Err(error(format!("wrong node kind: {part}")));
            };
            let found = cur.kind_name();
            let Some(items) = cur.as_seq_mut() else {
                return Err(error(format!(
                    "wrong node kind: expected SequenceNode but got {found}"
                )));
            };
            let pos = items
                .iter()
                .position(|item| item.get(key).and_then(Node::as_str) == Some(want));
            let pos = match pos {
                Some(p) => p,
                None => {
                    let mut m = Mapping::new();
                    m.push(
                        Scalar::tagged(key, resolve_plain(key)),
                        Node::Scalar(Scalar::tagged(want, resolve_plain(want))),
                    );
                    items.push(Node::Map(m));
                    items.len() - 1
                }
            };
            cur = &mut items[pos];
        } else {
            if cur.is_null() {
                *cur = Node::map();
            }
            let found = cur.kind_name();
            let Some(map) = cur.as_map_mut() else {
                return Err(error(format!(
                    "wrong node kind: expected MappingNode but got {found}"
                )));
            };
            if !map.contains_key(part) {
                map.push(
                    Scalar::tagged(part.as_str(), resolve_plain(part)),
                    created_for(next),
                );
                created = next.is_none();
            }
            let Some(field) = map.get_mut(part) else {
                return Ok(());
            };
            cur = field;
        }
    }
    let Node::Scalar(s) = &*cur else {
        return Err(error(format!(
            "wrong node kind: expected ScalarNode but got {}",
            cur.kind_name()
        )));
    };
    let old = if created {
        String::new()
    } else {
        s.text.to_string()
    };
    let new = if position > 0 {
        insert_path_part(&old, (position - 1) as usize, value)
    } else {
        value.to_owned()
    };
    set_scalar(cur, &new, None).map_err(|e| error(e.to_string()))
}

/// kyaml's `PathSplit`: a leading empty part marks an absolute path.
fn path_split(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    let (dir, base) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path),
    };
    if dir == "/" {
        return if base.is_empty() {
            vec![String::new()]
        } else {
            vec![String::new(), base.to_owned()]
        };
    }
    let dir = dir.strip_suffix('/').unwrap_or(dir);
    if dir.is_empty() {
        return vec![base.to_owned()];
    }
    let mut out = path_split(dir);
    out.push(base.to_owned());
    out
}

/// kyaml's `InsertPathPart`.
fn insert_path_part(path: &str, pos: usize, part: &str) -> String {
    if part.is_empty() {
        return path.to_owned();
    }
    let mut parts = path_split(path);
    let mut pos = pos.min(parts.len());
    if parts.first().is_some_and(String::is_empty) && pos < parts.len() {
        pos += 1;
    }
    parts.insert(pos, part.to_owned());
    if parts[0].is_empty() {
        format!(
            "/{}",
            crate::accumulate::origin::join("", &parts[1..].join("/"))
        )
    } else {
        crate::accumulate::origin::join("", &parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_path_parts_as_kyaml_does() {
        assert_eq!(insert_path_part("", 3, "PEACH"), "PEACH");
        assert_eq!(insert_path_part("/", 3, "PEACH"), "/PEACH");
        assert_eq!(insert_path_part("pie", 0, "PEACH"), "PEACH/pie");
        assert_eq!(insert_path_part("/pie", 0, "PEACH"), "/PEACH/pie");
        assert_eq!(insert_path_part("raw", 1, "PEACH"), "raw/PEACH");
        assert_eq!(insert_path_part("/raw", 1, "PEACH"), "/raw/PEACH");
        assert_eq!(
            insert_path_part("a/nice/warm/pie", 3, "PEACH"),
            "a/nice/warm/PEACH/pie"
        );
        assert_eq!(
            insert_path_part("/a/nice/warm/pie", 3, "PEACH"),
            "/a/nice/warm/PEACH/pie"
        );
    }

    #[test]
    fn splits_field_paths_keeping_escaped_slashes() {
        assert_eq!(
            split_field_path(r"metadata/annotations/a.b\/c"),
            ["metadata", "annotations", "a.b/c"]
        );
    }
}
