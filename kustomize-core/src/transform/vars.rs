//! `vars`: `$(NAME)` references replaced by a field of another resource.
//!
//! Each kustomization's vars are attached to the resource they name (by any of its ids) and
//! collected upwards through bases; names must be unique. At the end of the build, each var's
//! value is read from its resource, and `$(NAME)` in the string fields the `varReference` field
//! specs name is replaced: a field that is exactly `$(NAME)` takes the value with its type, a
//! longer text gets it spliced in as text. `$$` escapes a dollar.

use super::fieldspec::FieldSpec;
use super::path::{get, visit_resource, Create, FieldPath, WalkError};
use crate::accumulate::Accumulated;
use crate::error::{Error, ErrorKind, Result};
use crate::gosem::num::{atoi, format_g, parse_go_bool};
use crate::load::kustomization::Var;
use crate::node::{Node, Scalar, Tag};
use crate::resource::{Gvk, ResId, Resource};
use std::collections::HashMap;

fn error(msg: String) -> Error {
    Error::new(ErrorKind::Transform, msg)
}

/// The var's field path, `metadata.name` when unset.
fn field_path(var: &Var) -> &str {
    if var.fieldref.field_path.is_empty() {
        "metadata.name"
    } else {
        &var.fieldref.field_path
    }
}

/// The gvk a var's `objref` names (`apiVersion` wins over `group`/`version`).
fn objref_gvk(var: &Var) -> Gvk {
    let o = &var.objref;
    let mut gvk = Gvk::new(&o.group, &o.version, &o.kind);
    if !o.api_version.is_empty() {
        match o.api_version.split('/').collect::<Vec<_>>().as_slice() {
            [g, v] => {
                gvk.group = g.to_string();
                gvk.version = v.to_string();
            }
            [v] => gvk.version = v.to_string(),
            _ => {}
        }
    }
    gvk
}

/// Adds a var to a set; a name may appear once.
pub fn add_var(vars: &mut Vec<Var>, var: Var) -> Result<()> {
    if vars.iter().any(|v| v.name == var.name) {
        return Err(error(format!("var '{}' already encountered", var.name)));
    }
    vars.push(var);
    Ok(())
}

/// kustomize's `MergeVars`: each var is attached to the one resource it names (if any; more than
/// one is an error), then added to the set.
pub fn merge_vars(acc: &mut Accumulated, incoming: &[Var]) -> Result<()> {
    for var in incoming {
        let target = ResId {
            gvk: objref_gvk(var),
            name: var.objref.name.clone(),
            namespace: var.objref.namespace.clone(),
        };
        let strict = !target.namespace.is_empty() || target.gvk.is_cluster_scoped();
        let matches = |id: &ResId| {
            if strict {
                id.same_as(&target)
            } else {
                id.name == target.name && id.gvk == target.gvk
            }
        };
        let matched: Vec<usize> = acc
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| matches(&r.id()) || r.previous_ids().iter().any(matches))
            .map(|(i, _)| i)
            .collect();
        if matched.len() > 1 {
            return Err(error(format!(
                "found {} resId matches for var {} (unable to disambiguate)",
                matched.len(),
                var.name
            )));
        }
        if let [i] = matched[..] {
            acc.resources.update(|list| {
                list[i].meta.ref_var_names.push(var.name.clone());
                Ok(())
            })?;
        }
    }
    for var in incoming {
        add_var(&mut acc.vars, var.clone())?;
    }
    Ok(())
}

/// A var's value as kustomize reads it from a field: typed for scalars it can parse.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A mapping or sequence: kustomize leaves such references alone.
    Composite,
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_g(*f),
            Value::Bool(b) => b.to_string(),
            Value::Composite => String::new(),
        }
    }
}

fn field_value(r: &Resource, path: &str) -> Option<Value> {
    let (_, node) = get(r.node(), FieldPath::var_ref(path).parts()).ok()??;
    match node {
        Node::Map(_) | Node::Seq(_) => Some(Value::Composite),
        Node::Scalar(s) => match s.tag {
            Tag::Str => Some(Value::Str(s.as_str().to_owned())),
            Tag::Int => atoi(s.as_str()).map(Value::Int),
            Tag::Float => s.as_str().parse::<f64>().ok().map(Value::Float),
            Tag::Bool => parse_go_bool(s.as_str()).map(Value::Bool),
            _ => Some(Value::Str(s.as_str().to_owned())),
        },
    }
}

/// Replaces `$(VAR)` references in the `varReference` fields of every resource. Returns the
/// names of vars that were never used (kustomize logs them).
pub fn resolve_vars(
    resources: &mut [Resource],
    vars: &[Var],
    specs: &[FieldSpec],
) -> Result<Vec<String>> {
    if vars.is_empty() {
        return Ok(Vec::new());
    }
    let mut sorted: Vec<&Var> = vars.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut values: HashMap<String, Value> = HashMap::with_capacity(sorted.len());
    for var in sorted {
        let holder = resources
            .iter()
            .find(|r| r.meta.ref_var_names.contains(&var.name))
            .ok_or_else(|| {
                error(format!(
                    "var '{}' cannot be mapped to a field in the set of known resources",
                    var.name
                ))
            })?;
        let value = field_value(holder, field_path(var)).ok_or_else(|| {
            error(format!(
                "field specified in var '{}' not found in corresponding resource",
                var.name
            ))
        })?;
        values.insert(var.name.clone(), value);
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in resources.iter_mut() {
        let gvk = r.gvk();
        for spec in specs.iter().filter(|s| s.selects(&gvk)) {
            visit_resource(
                r.node_mut(),
                spec.path(),
                Create::No,
                &mut |n: &mut Node| replace_in(n, &values, &mut counts),
            )?;
        }
    }
    let mut unused: Vec<String> = values
        .keys()
        .filter(|k| !counts.contains_key(k.as_str()))
        .cloned()
        .collect();
    unused.sort();
    Ok(unused)
}

fn is_string(s: &Scalar) -> bool {
    s.tag == Tag::Str
}

fn replace_in<'v>(
    node: &mut Node,
    values: &'v HashMap<String, Value>,
    counts: &mut HashMap<&'v str, usize>,
) -> Result<(), WalkError> {
    match node {
        Node::Scalar(s) if s.is_null() => Ok(()),
        Node::Scalar(s) => {
            if is_string(s) {
                *s = expand(s.as_str(), values, counts);
            }
            Ok(())
        }
        Node::Map(m) => {
            for (k, v) in m.iter_mut() {
                if !is_string(k) {
                    return Err(WalkError::new(format!(
                        "invalid map key: value='{}', tag='{}'",
                        k.as_str(),
                        Node::Scalar(k.clone()).kind_name()
                    )));
                }
                if let Node::Scalar(s) = v {
                    if is_string(s) {
                        *s = expand(s.as_str(), values, counts);
                    }
                }
            }
            Ok(())
        }
        Node::Seq(items) => {
            for item in items {
                match item {
                    Node::Scalar(s) if is_string(s) => *s = expand(s.as_str(), values, counts),
                    _ => return Err(WalkError::new("invalid value type expect a string")),
                }
            }
            Ok(())
        }
    }
}

/// kustomize's `DoReplacements`: `$(NAME)` expanded, `$$` made `$`, anything else kept.
fn expand<'v>(
    input: &str,
    values: &'v HashMap<String, Value>,
    counts: &mut HashMap<&'v str, usize>,
) -> Scalar {
    let mut lookup = |name: &str| -> Option<&'v Value> {
        let (key, value) = values.get_key_value(name)?;
        if matches!(value, Value::Composite) {
            return None;
        }
        *counts.entry(key.as_str()).or_insert(0) += 1;
        Some(value)
    };
    // A field that is exactly one reference takes the value's type.
    if let Some(name) = input.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
        if !name.contains(')') {
            return match lookup(name) {
                Some(Value::Int(i)) => Scalar::tagged(i.to_string(), Tag::Int),
                Some(Value::Bool(b)) => Scalar::tagged(b.to_string(), Tag::Bool),
                Some(Value::Float(f)) => Scalar::tagged(f.to_string(), Tag::Float),
                Some(v) => Scalar::string(v.text()),
                None => Scalar::string(input),
            };
        }
    }
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.push_str(&input[checkpoint..cursor]);
            let rest = &input[cursor + 1..];
            let advance = match rest.as_bytes()[0] {
                b'$' => {
                    out.push('$');
                    1
                }
                b'(' => match rest.find(')') {
                    Some(close) => {
                        let name = &rest[1..close];
                        match lookup(name) {
                            Some(v) => out.push_str(&v.text()),
                            None => {
                                out.push_str("$(");
                                out.push_str(name);
                                out.push(')');
                            }
                        }
                        close + 1
                    }
                    None => {
                        out.push_str("$(");
                        1
                    }
                },
                _ => {
                    // `$x`: both characters kept (x may be multi-byte).
                    let c = rest.chars().next().map_or(1, char::len_utf8);
                    out.push('$');
                    out.push_str(&rest[..c]);
                    c
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    if checkpoint < input.len() {
        out.push_str(&input[checkpoint..]);
    }
    Scalar::string(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Scalar {
        let mut values = HashMap::new();
        values.insert("A".to_owned(), Value::Str("x".into()));
        values.insert("N".to_owned(), Value::Int(3));
        let mut counts = HashMap::new();
        expand(input, &values, &mut counts)
    }

    #[test]
    fn expands_like_kustomize() {
        assert_eq!(run("$(A)-$(N)"), Scalar::string("x-3"));
        assert_eq!(run("$(N)"), Scalar::tagged("3", Tag::Int));
        assert_eq!(run("$$(A)"), Scalar::string("$(A)"));
        assert_eq!(run("$(B) $(A"), Scalar::string("$(B) $(A"));
        assert_eq!(run("a$"), Scalar::string("a$"));
        assert_eq!(run("$é$(A)"), Scalar::string("$éx"));
    }
}
