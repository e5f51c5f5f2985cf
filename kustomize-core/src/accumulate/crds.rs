//! `crds:`: OpenAPI definitions whose `x-kubernetes-*` extensions teach the transformers about
//! custom kinds (kustomize's `LoadConfigFromCRDs`).
//!
//! A file maps type names (`github.com/org/pkg/apis/v1.MyKind`) to definitions, each holding a
//! `Schema`. Every type whose schema has `kind`, `apiVersion` and `metadata` properties is a
//! Kubernetes kind, named by the part of the type name after its last dot; its properties are
//! walked, following `$ref`s to other types of the file, and for each property:
//!
//! * `x-kubernetes-annotation` makes it a `commonAnnotations` field;
//! * `x-kubernetes-label-selector` a `commonLabels` field;
//! * `x-kubernetes-identity` a `namePrefix` field;
//! * `x-kubernetes-object-ref-api-version` with `x-kubernetes-object-ref-kind` a name reference
//!   to that version and kind, at the property's `x-kubernetes-object-ref-name-key` (default
//!   `name`).
//!
//! Extensions count only when their value is a string and their key is spelled in lower case;
//! field specs never create fields and select by kind alone.

use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::load::decode::json_key;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::{Node, Tag};
use crate::resource::Gvk;
use crate::transform::fieldspec::{FieldSpec, FieldSpecLists, NameReference, TransformerConfig};

/// A walk through `$ref`s this deep can only be a cycle (kustomize recurses until its stack
/// runs out).
const MAX_DEPTH: usize = 100;

fn error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Kustomization, message)
}

/// Go's `%v` of a string slice.
fn go_list(paths: &[String]) -> String {
    format!("[{}]", paths.join(" "))
}

/// Merges the configuration the `crds:` files describe into `config`.
pub(crate) fn merge_crds(
    loader: &Loader<'_>,
    paths: &[String],
    config: &mut TransformerConfig,
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let crds = load(loader, paths).with_context(|| format!("loading CRDs {}", go_list(paths)))?;
    *config = config
        .merge(&crds)
        .with_context(|| format!("merging CRDs {}", crds.go_debug()))?;
    Ok(())
}

fn load(loader: &Loader<'_>, paths: &[String]) -> Result<TransformerConfig> {
    let mut out = TransformerConfig::default();
    for path in paths {
        let bytes = loader.read(path)?;
        let types = parse_definitions(&bytes)
            .with_context(|| format!("unable to parse open API definition from '{path}'"))?;
        out = out.merge(&config_from_types(&types)?)?;
    }
    Ok(out)
}

/// One type's schema: its properties, `$ref` and extensions.
#[derive(Debug, Default)]
struct ApiSchema {
    properties: Vec<(String, ApiSchema)>,
    reference: Option<String>,
    /// Extensions whose value is a string. kube-openapi keeps their keys as spelled but looks
    /// them up lower-cased, so only lower-case spellings are ever found.
    extensions: Vec<(String, String)>,
}

impl ApiSchema {
    fn extension(&self, key: &str) -> Option<&str> {
        self.extensions
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn has_property(&self, name: &str) -> bool {
        self.properties.iter().any(|(n, _)| n == name)
    }
}

fn type_error(node: &Node, go_type: &str) -> Error {
    let what = match node {
        Node::Map(_) => "object",
        Node::Seq(_) => "array",
        Node::Scalar(s) => match s.tag {
            Tag::Bool => "bool",
            Tag::Int | Tag::Float => "number",
            _ => "string",
        },
    };
    error(format!(
        "json: cannot unmarshal {what} into Go value of type {go_type}"
    ))
}

/// The entries of a JSON object, keys as sigs.k8s.io/yaml turns them into JSON keys.
fn entries(node: &Node) -> Result<Vec<(String, &Node)>> {
    let Node::Map(map) = node else {
        return Ok(Vec::new());
    };
    map.iter()
        .map(|(k, v)| Ok((json_key(k)?, v)))
        .collect::<Result<Vec<_>>>()
}

/// Reads the file's type map: JSON when it starts with `{`, else YAML (both read here by the
/// YAML 1.1 reader, of which JSON is a subset).
fn parse_definitions(bytes: &[u8]) -> Result<Vec<(String, ApiSchema)>> {
    if bytes.is_empty() {
        // kustomize indexes the first byte and crashes.
        return Err(error(
            "panic: runtime error: index out of range [0] with length 0",
        ));
    }
    let docs = parse_documents(bytes, Schema::Yaml11)
        .map_err(|e| Error::new(ErrorKind::Yaml, e.to_string()))?;
    let doc = docs.into_iter().next().unwrap_or_default();
    let root = match &doc {
        Node::Scalar(s) if s.is_null() => return Ok(Vec::new()),
        Node::Map(_) => &doc,
        other => return Err(type_error(other, "accumulator.nameToApiMap")),
    };
    let mut out: Vec<(String, ApiSchema)> = Vec::new();
    for (name, def) in entries(root)? {
        let schema = match def {
            Node::Scalar(s) if s.is_null() => ApiSchema::default(),
            Node::Map(_) => {
                // Go matches the field name `Schema` exactly, else ignoring case; the last
                // matching key wins.
                let fields = entries(def)?;
                let exact = fields.iter().rev().find(|(k, _)| k == "Schema");
                let any = fields
                    .iter()
                    .rev()
                    .find(|(k, _)| k.eq_ignore_ascii_case("Schema"));
                match exact.or(any) {
                    Some((_, node)) => parse_schema(node)?,
                    None => ApiSchema::default(),
                }
            }
            other => return Err(type_error(other, "accumulator.OpenAPIDefinition")),
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = schema,
            None => out.push((name, schema)),
        }
    }
    Ok(out)
}

fn parse_schema(node: &Node) -> Result<ApiSchema> {
    let mut schema = ApiSchema::default();
    match node {
        Node::Scalar(s) if s.is_null() => return Ok(schema),
        Node::Map(_) => {}
        other => return Err(type_error(other, "spec.Schema")),
    }
    for (key, value) in entries(node)? {
        if key == "properties" {
            match value {
                Node::Scalar(s) if s.is_null() => schema.properties.clear(),
                Node::Map(_) => {
                    schema.properties.clear();
                    for (name, prop) in entries(value)? {
                        let prop = parse_schema(prop)?;
                        match schema.properties.iter_mut().find(|(n, _)| *n == name) {
                            Some(slot) => slot.1 = prop,
                            None => schema.properties.push((name, prop)),
                        }
                    }
                }
                other => return Err(type_error(other, "map[string]spec.Schema")),
            }
        } else if key == "$ref" {
            if let Some(s) = value.as_scalar().filter(|s| s.tag == Tag::Str) {
                schema.reference = Some(s.text.to_string());
            }
        } else if key.to_ascii_lowercase().starts_with("x-") {
            if let Some(s) = value.as_scalar().filter(|s| s.tag == Tag::Str) {
                schema.extensions.push((key, s.text.to_string()));
            }
        }
    }
    Ok(schema)
}

/// The lists one Kubernetes kind of the file contributes.
#[derive(Default)]
struct Found {
    annotations: Vec<FieldSpec>,
    labels: Vec<FieldSpec>,
    prefixes: Vec<FieldSpec>,
    references: Vec<NameReference>,
}

fn config_from_types(types: &[(String, ApiSchema)]) -> Result<TransformerConfig> {
    let mut out = TransformerConfig::default();
    for (name, def) in types {
        if !(def.has_property("kind")
            && def.has_property("apiVersion")
            && def.has_property("metadata"))
        {
            continue;
        }
        let kind = name.rsplit('.').next().unwrap_or(name);
        let gvk = Gvk::new("", "", kind);
        let mut found = Found::default();
        walk(&mut found, &gvk, types, name, &mut Vec::new())?;
        let lists = FieldSpecLists {
            common_annotations: found.annotations,
            common_labels: found.labels,
            name_prefix: found.prefixes,
            name_reference: found.references,
            ..Default::default()
        };
        out = out.merge(&TransformerConfig::from(lists))?;
    }
    Ok(out)
}

fn walk(
    found: &mut Found,
    gvk: &Gvk,
    types: &[(String, ApiSchema)],
    type_name: &str,
    path: &mut Vec<String>,
) -> Result<()> {
    let Some((_, def)) = types.iter().find(|(n, _)| n == type_name) else {
        return Ok(());
    };
    if path.len() > MAX_DEPTH {
        return Err(error(format!(
            "goroutine stack exceeds limit: $ref cycle through {type_name}"
        )));
    }
    for (prop_name, prop) in &def.properties {
        path.push(prop_name.clone());
        let spec = |extra: Option<&str>| {
            let mut p = path.join("/");
            if let Some(extra) = extra {
                p.push('/');
                p.push_str(extra);
            }
            FieldSpec::new(gvk.clone(), &p, false)
        };
        if prop.extension("x-kubernetes-annotation").is_some() {
            found.annotations.push(spec(None));
        }
        if prop.extension("x-kubernetes-label-selector").is_some() {
            found.labels.push(spec(None));
        }
        if prop.extension("x-kubernetes-identity").is_some() {
            found.prefixes.push(spec(None));
        }
        if let (Some(version), Some(kind)) = (
            prop.extension("x-kubernetes-object-ref-api-version"),
            prop.extension("x-kubernetes-object-ref-kind"),
        ) {
            let key = prop
                .extension("x-kubernetes-object-ref-name-key")
                .unwrap_or("name");
            let referrer = spec(Some(key));
            let referral = Gvk::new("", version, kind);
            match found.references.iter_mut().find(|r| r.referral == referral) {
                Some(r) => {
                    if !r.referrers.contains(&referrer) {
                        r.referrers.push(referrer);
                    }
                }
                None => found.references.push(NameReference {
                    referral,
                    referrers: vec![referrer],
                }),
            }
        }
        if let Some(reference) = &prop.reference {
            walk(found, gvk, types, reference, path)?;
        }
        path.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_extensions_through_refs() {
        let text = r#"{
  "x/v1.Thing": {"Schema": {"properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {},
    "spec": {"$ref": "x/v1.ThingSpec"}}}},
  "x/v1.ThingSpec": {"schema": {"properties": {
    "selector": {"x-kubernetes-label-selector": ""},
    "notes": {"x-kubernetes-annotation": ""},
    "loud": {"X-Kubernetes-Annotation": ""},
    "ignored": {"x-kubernetes-identity": true},
    "secret": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "Secret"}}}}
}"#;
        let types = parse_definitions(text.as_bytes()).unwrap();
        let cfg = config_from_types(&types).unwrap();
        let paths = |l: &[FieldSpec]| {
            l.iter()
                .map(|f| f.path_str().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(&cfg.common_labels), ["spec/selector"]);
        assert_eq!(paths(&cfg.common_annotations), ["spec/notes"]);
        assert!(cfg.name_prefix.is_empty());
        assert_eq!(cfg.name_reference[0].referral, Gvk::new("", "v1", "Secret"));
        assert_eq!(
            paths(&cfg.name_reference[0].referrers),
            ["spec/secret/name"]
        );
        assert_eq!(cfg.common_labels[0].gvk().kind, "Thing");
    }
}
