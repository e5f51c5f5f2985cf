//! kustomize's `ReplacementTransformer`: copy a value from one resource (or a literal) into
//! fields of others.
//!
//! * The source is one resource picked by exact id (any id it ever had), its `fieldPath`
//!   (default `metadata.name`) read with kyaml's `PathGetter`, optionally split at a delimiter.
//! * Each target selects resources with regular expressions (`select`, minus `reject`), then
//!   sets every `fieldPaths` entry with kyaml's `PathMatcher`, creating missing fields when
//!   `options.create` is set.
//! * A scalar target keeps its tag and takes the source's text, so `"2"` into `replicas: 1`
//!   gives the number 2, while `"abc"` into it makes the build fail when printing. A mapping or
//!   sequence target is replaced by the source node. Created fields and `sourceValue` have no
//!   tag and read as whatever their text says (`"123"` becomes a number).
//! * A path that runs into a string holding JSON or YAML edits inside that string (v5.8).

use crate::emit::kyaml_string;
use crate::error::{Error, ErrorKind, Result};
use crate::gosem::scalar::{plain_scalar, resolve_plain};
use crate::load::decode::{At, Decode};
use crate::load::kustomization::{FieldOptions, ReplacementField, SourceSelector, TargetSelector};
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::{Node, Scalar, Tag};
use crate::resource::{Gvk, ResId, Resource, ResourceList};
use crate::transform::gojson;
use crate::transform::path::{
    find, find_embedded, get, node_at_mut, parse_embedded, value_text, Embedded, FieldPath,
    NodeKind, Reader, Target,
};
use crate::transform::select::{all_ids, go_quote, id_selected_by, resid_string, TargetMatcher};

fn err(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Transform, message)
}

/// The default source and target field.
const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// Reads the `replacements` of a kustomization: inline entries as they are, `path` entries
/// from their files (a YAML list of replacements, or a single one), in order.
pub fn load_replacements(
    fields: &[ReplacementField],
    loader: &Loader<'_>,
) -> Result<Vec<ReplacementField>> {
    let mut out = Vec::with_capacity(fields.len());
    for r in fields {
        if r.path.is_empty() {
            out.push(r.clone());
            continue;
        }
        if r.source.is_some() || !r.targets.is_empty() {
            return Err(err("cannot specify both path and inline replacement"));
        }
        let bytes = loader.read(&r.path)?;
        out.extend(parse_replacement_file(&bytes)?);
    }
    Ok(out)
}

/// Decodes a replacements file: a list of replacements or a single one. Unknown fields are
/// ignored, as sigs.k8s.io/yaml's non-strict decoding ignores them.
pub fn parse_replacement_file(bytes: &[u8]) -> Result<Vec<ReplacementField>> {
    let docs = parse_documents(bytes, Schema::Yaml11)
        .map_err(|e| Error::new(ErrorKind::Yaml, e.to_string()))?;
    let doc = docs.into_iter().next().unwrap_or_default();
    let at = At {
        strukt: "Replacement",
        path: "",
        lenient: false,
    };
    match &doc {
        Node::Seq(items) => items
            .iter()
            .map(|item| {
                if item.is_null() {
                    Ok(ReplacementField::default())
                } else {
                    ReplacementField::decode(&strip_unknown(item, REPLACEMENT), at)
                }
            })
            .collect(),
        Node::Map(_) => Ok(vec![ReplacementField::decode(
            &strip_unknown(&doc, REPLACEMENT),
            at,
        )?]),
        Node::Scalar(s) => {
            let kind = match s.tag {
                Tag::Null => "invalid",
                Tag::Bool => "bool",
                Tag::Int => "int",
                Tag::Float => "float64",
                _ => "string",
            };
            Err(err(format!(
                "unsupported replacement type encountered within replacement path: {kind}"
            )))
        }
    }
}

/// The JSON fields of the Go structs a replacement decodes into, for dropping unknown keys.
struct Shape {
    fields: &'static [(&'static str, Option<&'static Shape>, bool)],
}

const SELECTOR: Shape = Shape {
    fields: &[
        ("group", None, false),
        ("version", None, false),
        ("kind", None, false),
        ("name", None, false),
        ("namespace", None, false),
        ("annotationSelector", None, false),
        ("labelSelector", None, false),
    ],
};
const OPTIONS: Shape = Shape {
    fields: &[
        ("delimiter", None, false),
        ("index", None, false),
        ("encoding", None, false),
        ("create", None, false),
    ],
};
const SOURCE: Shape = Shape {
    fields: &[
        ("group", None, false),
        ("version", None, false),
        ("kind", None, false),
        ("name", None, false),
        ("namespace", None, false),
        ("fieldPath", None, false),
        ("options", Some(&OPTIONS), false),
    ],
};
const TARGET: Shape = Shape {
    fields: &[
        ("select", Some(&SELECTOR), false),
        ("reject", Some(&SELECTOR), true),
        ("fieldPaths", None, false),
        ("options", Some(&OPTIONS), false),
    ],
};
const REPLACEMENT: &Shape = &Shape {
    fields: &[
        ("source", Some(&SOURCE), false),
        ("targets", Some(&TARGET), true),
        ("sourceValue", None, false),
    ],
};

/// A copy of `node` without the keys `shape` does not know (Go matches names case-insensitively
/// when no exact match exists).
fn strip_unknown(node: &Node, shape: &Shape) -> Node {
    let Node::Map(m) = node else {
        return node.clone();
    };
    let mut out = crate::node::Mapping::with_capacity(m.len());
    for (k, v) in m.iter() {
        let known = shape
            .fields
            .iter()
            .find(|(n, ..)| *n == k.as_str())
            .or_else(|| {
                shape
                    .fields
                    .iter()
                    .find(|(n, ..)| n.eq_ignore_ascii_case(k.as_str()))
            });
        let Some((_, inner, list)) = known else {
            continue;
        };
        let v = match (inner, v) {
            (Some(inner), Node::Seq(items)) if *list => {
                Node::Seq(items.iter().map(|i| strip_unknown(i, inner)).collect())
            }
            (Some(inner), v) if !*list => strip_unknown(v, inner),
            (_, v) => v.clone(),
        };
        out.push(k.clone(), v);
    }
    Node::Map(out)
}

/// The value a replacement copies: a node, and whether it has no tag (a `sourceValue`).
#[derive(Clone, Debug)]
struct Value {
    node: Node,
    untagged: bool,
    /// The text kyaml's `Value` holds: the scalar's text, `""` for collections, unless a
    /// delimiter option rewrote it.
    text: String,
}

impl Value {
    /// The node to put where a whole node goes.
    fn whole(&self) -> Node {
        match &self.node {
            Node::Scalar(_) if self.untagged => Node::Scalar(plain_scalar(&self.text)),
            Node::Scalar(s) => Node::Scalar(Scalar::tagged(self.text.as_str(), s.tag)),
            other => other.clone(),
        }
    }
}

/// Applies replacements (already loaded, see [`load_replacements`]) in order.
///
/// A resource whose id changes (a replaced `metadata.name`) is looked up by its new id by the
/// replacements that follow.
pub fn apply_replacements(
    resources: &mut ResourceList,
    replacements: &[ReplacementField],
) -> Result<()> {
    for r in replacements {
        if (r.source_value.is_none() && r.source.is_none()) || r.targets.is_empty() {
            return Err(err(
                "replacements must specify a source and at least one target",
            ));
        }
        let value = get_replacement(resources, r)?;
        resources.update(|list| apply_targets(list, &value, &r.targets))?;
    }
    Ok(())
}

fn source_id(s: &SourceSelector) -> ResId {
    ResId {
        gvk: Gvk::new(s.group.as_str(), s.version.as_str(), s.kind.as_str()),
        name: s.name.clone(),
        namespace: s.namespace.clone(),
    }
}

/// kustomize's spelling of a source selector in messages.
fn source_string(s: &SourceSelector) -> String {
    let mut parts = vec![resid_string(&source_id(s))];
    if !s.field_path.is_empty() {
        parts.push(s.field_path.clone());
    }
    if let Some(o) = &s.options {
        if !o.delimiter.is_empty() || o.create {
            parts.push(format!("{}({}), create={}", o.delimiter, o.index, o.create));
        }
    }
    parts.join(":")
}

fn get_replacement(resources: &ResourceList, r: &ReplacementField) -> Result<Value> {
    if r.source_value.is_some() && r.source.is_some() {
        return Err(err("value and resource selectors are mutually exclusive"));
    }
    if let Some(v) = &r.source_value {
        return Ok(Value {
            node: Node::Scalar(Scalar::tagged(v.as_str(), Tag::Str)),
            untagged: true,
            text: v.clone(),
        });
    }
    let Some(source) = &r.source else {
        return Err(err(
            "replacements must specify a source and at least one target",
        ));
    };
    let selector = source_id(source);
    let mut found: Option<&Resource> = None;
    for res in resources.iter() {
        if all_ids(res).iter().any(|id| id_selected_by(id, &selector)) {
            if found.is_some() {
                return Err(err(format!(
                    "multiple matches for selector {}",
                    source_string(source)
                )));
            }
            found = Some(res);
        }
    }
    let Some(res) = found else {
        return Err(err(format!(
            "nothing selected by {}",
            source_string(source)
        )));
    };
    let field_path = if source.field_path.is_empty() {
        DEFAULT_FIELD_PATH
    } else {
        &source.field_path
    };
    let found = get(
        res.node(),
        FieldPath::kyaml(field_path, Reader::Getter).parts(),
    )
    .map_err(|e| err(format!("error looking up replacement source: {e}")))?;
    let node = match found {
        Some((_, n)) if !is_nil_or_empty(n) => n,
        _ => {
            return Err(err(format!(
                "fieldPath `{field_path}` is missing for replacement source {}",
                resid_string(&selector)
            )))
        }
    };
    refine(source.options.as_ref(), node)
}

/// kyaml's `IsNilOrEmpty`: null, or an empty mapping or sequence.
fn is_nil_or_empty(n: &Node) -> bool {
    match n {
        Node::Scalar(s) => s.tag == Tag::Null,
        Node::Map(m) => m.is_empty(),
        Node::Seq(v) => v.is_empty(),
    }
}

/// A source's `options.delimiter` and `options.index`.
fn refine(options: Option<&FieldOptions>, node: &Node) -> Result<Value> {
    let text = value_text(node).to_owned();
    let Some(o) = options.filter(|o| !o.delimiter.is_empty()) else {
        return Ok(Value {
            node: node.clone(),
            untagged: false,
            text,
        });
    };
    if !matches!(node, Node::Scalar(_)) {
        return Err(err("delimiter option can only be used with scalar nodes"));
    }
    let parts: Vec<&str> = text.split(o.delimiter.as_str()).collect();
    if o.index < 0 || o.index >= parts.len() as i64 {
        return Err(err(format!(
            "options.index {} is out of bounds for value {text}",
            o.index
        )));
    }
    Ok(Value {
        node: node.clone(),
        untagged: false,
        text: parts[o.index as usize].to_owned(),
    })
}

fn apply_targets(
    list: &mut [Resource],
    value: &Value,
    targets: &[Option<TargetSelector>],
) -> Result<()> {
    for target in targets {
        let Some(target) = target else {
            return Err(err(
                "panic: runtime error: invalid memory address or nil pointer dereference",
            ));
        };
        let Some(select) = &target.select else {
            return Err(err("target must specify resources to select"));
        };
        let matcher = TargetMatcher::new(select, &target.reject)
            .map_err(|e| err(format!("error creating target selector: {}", e.message())))?;
        let default_paths = [DEFAULT_FIELD_PATH.to_owned()];
        let field_paths = if target.field_paths.is_empty() {
            &default_paths[..]
        } else {
            &target.field_paths[..]
        };
        for res in list.iter_mut() {
            if matcher.matches(res)? {
                copy_value_to_target(res.node_mut(), value, field_paths, target.options.as_ref())?;
            }
        }
    }
    Ok(())
}

fn field_retrieval_error(field_path: &str, create: bool) -> String {
    if create {
        format!(
            "unable to find or create field {} in replacement target",
            go_quote(field_path)
        )
    } else {
        format!(
            "unable to find field {} in replacement target",
            go_quote(field_path)
        )
    }
}

fn copy_value_to_target(
    node: &mut Node,
    value: &Value,
    field_paths: &[String],
    options: Option<&FieldOptions>,
) -> Result<()> {
    let create = options
        .filter(|o| o.create)
        .map(|_| NodeKind::of(&value.node));
    for fp in field_paths {
        let path = FieldPath::kyaml(fp, Reader::Matcher);
        if set_in_structured_data(node, value, &path, create).is_some() {
            continue;
        }
        let targets = find(node, path.parts(), create).map_err(|e| {
            err(format!(
                "{}: {e}",
                field_retrieval_error(fp, create.is_some())
            ))
        })?;
        if targets.is_empty() {
            return Err(err(field_retrieval_error(fp, create.is_some())));
        }
        for t in targets {
            match t {
                Target::Attached { hops, untagged } => {
                    if let Some(target) = node_at_mut(node, &hops) {
                        set_field_value(options, target, untagged, value)?;
                    }
                }
                Target::Detached {
                    node: mut copy,
                    untagged,
                } => set_field_value(options, &mut copy, untagged, value)?,
            }
        }
    }
    Ok(())
}

/// kyaml's `setFieldValue`: a scalar takes the value's text (and keeps its tag, unless it was
/// just created without one); anything else becomes the value.
fn set_field_value(
    options: Option<&FieldOptions>,
    target: &mut Node,
    untagged: bool,
    value: &Value,
) -> Result<()> {
    let mut text = value.text.clone();
    if let Some(o) = options.filter(|o| !o.delimiter.is_empty()) {
        let Node::Scalar(t) = target else {
            return Err(err("delimiter option can only be used with scalar nodes"));
        };
        let mut parts: Vec<&str> = t.as_str().split(o.delimiter.as_str()).collect();
        let v = if matches!(&value.node, Node::Scalar(s) if s.tag == Tag::Null) {
            ""
        } else {
            text.as_str()
        };
        if o.index < 0 {
            parts.insert(0, v);
        } else if o.index as usize >= parts.len() {
            parts.push(v);
        } else {
            parts[o.index as usize] = v;
        }
        text = parts.join(o.delimiter.as_str());
    }
    match target {
        Node::Scalar(t) => {
            let tag = if untagged {
                resolve_plain(&text)
            } else {
                t.tag
            };
            *t = Scalar::tagged(text, tag);
        }
        other => {
            let v = Value {
                text,
                ..value.clone()
            };
            *other = v.whole();
        }
    }
    Ok(())
}

/// kustomize v5.8's `setValueInStructuredData`: when a proper prefix of the path ends at a string
/// that parses as YAML, the rest of the path is set inside that string, which is then written
/// back as JSON (if it looked like JSON) or YAML. `None` when that does not apply or fails, in
/// which case kustomize falls back to the plain path.
fn set_in_structured_data(
    node: &mut Node,
    value: &Value,
    path: &FieldPath,
    create: Option<NodeKind>,
) -> Option<()> {
    let parts = path.parts();
    if parts.len() < 2 {
        return None;
    }
    // kustomize reads the prefixes with kyaml's `PathGetter`.
    let prefixes = FieldPath::kyaml(path.as_str(), Reader::Getter);
    let mut found = None;
    for i in 1..=parts.len() {
        let Ok(Some((hops, Node::Scalar(s)))) = get(node, &prefixes.parts()[..i]) else {
            continue;
        };
        if i < parts.len() {
            if let Ok(doc) = parse_embedded(s.as_str()) {
                found = Some((i, hops, doc, s.as_str().to_owned()));
                break;
            }
        }
    }
    let (i, hops, mut doc, original) = found?;
    let targets = find_embedded(&mut doc, &parts[i..], create).ok()?;
    if targets.is_empty() {
        return None;
    }
    let Embedded::Doc(root) = &mut doc else {
        return None;
    };
    for t in targets {
        if let Target::Attached { hops, untagged } = t {
            let Some(target) = node_at_mut(root, &hops) else {
                continue;
            };
            match target {
                Node::Scalar(t) => {
                    let tag = if untagged {
                        resolve_plain(&value.text)
                    } else {
                        t.tag
                    };
                    *t = Scalar::tagged(value.text.as_str(), tag);
                }
                other => *other = value.whole(),
            }
        }
    }
    let trimmed = original.trim();
    let serialized = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let json = gojson::from_node(root, false).ok()?;
        let pretty = original.contains('\n') && original.contains("  ");
        let mut out = String::new();
        gojson::write(&mut out, &json, pretty.then_some(0));
        out
    } else {
        kyaml_string(root).trim().to_owned()
    };
    if let Some(Node::Scalar(s)) = node_at_mut(node, &hops) {
        s.text = serialized.into();
    }
    Some(())
}

#[cfg(test)]
mod tests;
