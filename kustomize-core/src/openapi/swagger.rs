//! The part of a Swagger (OpenAPI v2) document that kustomize's schema lookups read, and the
//! reading of it from a parsed YAML/JSON document.
//!
//! kyaml only ever asks a schema four questions: the schema of a named field (`properties`, else
//! `additionalProperties`), the schema of an array's items (only when `type` is exactly
//! `["array"]`), the patch strategy, and the merge keys. References are followed through
//! `#/definitions/…`. Everything else in a Swagger document is dropped here.

use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;

/// One schema object as far as kyaml reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawSchema {
    /// `$ref`, when present (its siblings are then ignored by lookups, as in kube-openapi).
    pub reference: Option<String>,
    /// `type` (a string or a list of strings).
    pub types: Vec<String>,
    /// `items` when it is a single schema.
    pub items: Option<Box<RawSchema>>,
    /// `additionalProperties` when it is a schema (not a boolean).
    pub additional: Option<Box<RawSchema>>,
    /// `properties`, in document order.
    pub properties: Vec<(String, RawSchema)>,
    /// `x-kubernetes-patch-strategy`.
    pub strategy: Option<String>,
    /// `x-kubernetes-patch-merge-key`.
    pub merge_key: Option<String>,
    /// `x-kubernetes-list-map-keys`.
    pub list_map_keys: Option<Vec<String>>,
    /// `x-kubernetes-group-version-kind` entries as `(apiVersion, kind)`.
    pub gvks: Vec<(String, String)>,
}

/// One Swagger document: its definitions and, per API path with a GET operation that names a
/// group-version-kind, that path and the `(apiVersion, kind)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawSwagger {
    /// `definitions`, in document order.
    pub definitions: Vec<(String, RawSchema)>,
    /// `(path, (apiVersion, kind))` for every path whose `get` carries a gvk extension.
    pub paths: Vec<(String, (String, String))>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Kustomization, msg)
}

/// `apiVersion` spelled from a gvk object (`group/version`, or `version` for the core group).
fn type_meta(obj: &Node) -> Option<(String, String)> {
    let version = obj.get("version")?.as_str()?;
    let kind = obj.get("kind")?.as_str()?;
    let api_version = match obj.get("group").and_then(Node::as_str) {
        Some(g) if !g.is_empty() => format!("{g}/{version}"),
        _ => version.to_owned(),
    };
    Some((api_version, kind.to_owned()))
}

fn strings(node: &Node) -> Option<Vec<String>> {
    node.as_seq()?
        .iter()
        .map(|n| n.as_str().map(str::to_owned))
        .collect()
}

impl RawSchema {
    /// Reads a schema object. Parts of unexpected shapes are ignored, as lookups would not find
    /// them either.
    pub fn from_node(node: &Node) -> RawSchema {
        let mut s = RawSchema::default();
        let Some(map) = node.as_map() else {
            return s;
        };
        for (key, value) in map.iter() {
            match key.as_str() {
                "$ref" => s.reference = value.as_str().map(str::to_owned),
                "type" => {
                    s.types = match value {
                        Node::Seq(_) => strings(value).unwrap_or_default(),
                        _ => value
                            .as_str()
                            .map(|t| vec![t.to_owned()])
                            .unwrap_or_default(),
                    }
                }
                "items" if value.as_map().is_some() => {
                    s.items = Some(Box::new(RawSchema::from_node(value)));
                }
                "additionalProperties" if value.as_map().is_some() => {
                    s.additional = Some(Box::new(RawSchema::from_node(value)));
                }
                "properties" => {
                    if let Some(props) = value.as_map() {
                        s.properties = props
                            .iter()
                            .map(|(k, v)| (k.as_str().to_owned(), RawSchema::from_node(v)))
                            .collect();
                    }
                }
                // go-openapi lower-cases extension names before kyaml looks them up.
                k if k.len() > 2 && k[..2].eq_ignore_ascii_case("x-") => {
                    match k.to_ascii_lowercase().as_str() {
                        "x-kubernetes-patch-strategy" => {
                            s.strategy = value.as_str().map(str::to_owned)
                        }
                        "x-kubernetes-patch-merge-key" => {
                            s.merge_key = value.as_str().map(str::to_owned)
                        }
                        "x-kubernetes-list-map-keys" => s.list_map_keys = strings(value),
                        "x-kubernetes-group-version-kind" => {
                            if let Some(items) = value.as_seq() {
                                s.gvks = items.iter().filter_map(type_meta).collect();
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        s
    }
}

impl RawSwagger {
    /// Reads a whole Swagger document (as kustomize's `openapi: path:` file holds it).
    pub fn from_node(doc: &Node) -> Result<RawSwagger> {
        let Some(root) = doc.as_map() else {
            return Err(bad(format!(
                "invalid schema file: expected an OpenAPI document, got {}",
                doc.kind_name()
            )));
        };
        let mut out = RawSwagger::default();
        if let Some(defs) = root.get("definitions").and_then(Node::as_map) {
            out.definitions = defs
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), RawSchema::from_node(v)))
                .collect();
        }
        if let Some(paths) = root.get("paths").and_then(Node::as_map) {
            for (path, item) in paths.iter() {
                let gvk = item
                    .get("get")
                    .and_then(|op| op.get("x-kubernetes-group-version-kind"))
                    .and_then(type_meta);
                if let Some(gvk) = gvk {
                    out.paths.push((path.as_str().to_owned(), gvk));
                }
            }
        }
        Ok(out)
    }
}
