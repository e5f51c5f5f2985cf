//! Just enough of the protobuf wire format, and of gnostic's `openapi.v2.Document` message, to read
//! the parts of a Swagger document that kyaml's lookups use.
//!
//! Field numbers are those of gnostic's `OpenAPIv2.proto`: Document.paths = 8, .definitions = 9;
//! Schema._ref = 1, .additional_properties = 21, .type = 22, .items = 23, .properties = 25,
//! .vendor_extension = 31; NamedX.name = 1, .value = 2; Any.yaml = 2; PathItem.get = 2;
//! Operation.vendor_extension = 13.

use crate::yamlish;
use kustomize_core::openapi::{RawSchema, RawSwagger};

/// One field of a message: its number and, for length-delimited fields, the bytes.
struct Field<'a> {
    number: u64,
    bytes: Option<&'a [u8]>,
}

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf.get(*pos).ok_or("truncated varint")?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("varint too long".into())
}

fn fields(buf: &[u8]) -> Result<Vec<Field<'_>>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        let number = key >> 3;
        let field = match key & 7 {
            0 => {
                varint(buf, &mut pos)?;
                Field {
                    number,
                    bytes: None,
                }
            }
            1 => {
                pos += 8;
                Field {
                    number,
                    bytes: None,
                }
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?).map_err(|e| e.to_string())?;
                let bytes = buf.get(pos..pos + len).ok_or("truncated field")?;
                pos += len;
                Field {
                    number,
                    bytes: Some(bytes),
                }
            }
            5 => {
                pos += 4;
                Field {
                    number,
                    bytes: None,
                }
            }
            w => return Err(format!("unsupported wire type {w}")),
        };
        out.push(field);
    }
    if pos != buf.len() {
        return Err("truncated message".into());
    }
    Ok(out)
}

fn string(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

/// `(name, value bytes)` of a NamedX message.
fn named(buf: &[u8]) -> Result<(String, &[u8]), String> {
    let mut name = String::new();
    let mut value: &[u8] = &[];
    for f in fields(buf)? {
        match (f.number, f.bytes) {
            (1, Some(b)) => name = string(b)?,
            (2, Some(b)) => value = b,
            _ => {}
        }
    }
    Ok((name, value))
}

/// The YAML text of an Any message.
fn any_yaml(buf: &[u8]) -> Result<String, String> {
    for f in fields(buf)? {
        if let (2, Some(b)) = (f.number, f.bytes) {
            return string(b);
        }
    }
    Ok(String::new())
}

fn gvk(value: &yamlish::Value) -> Option<(String, String)> {
    let get = |k: &str| value.get(k).and_then(yamlish::Value::as_str);
    let version = get("version")?;
    let kind = get("kind")?;
    let api_version = match get("group") {
        Some(g) if !g.is_empty() => format!("{g}/{version}"),
        _ => version.to_owned(),
    };
    Some((api_version, kind.to_owned()))
}

fn schema(buf: &[u8]) -> Result<RawSchema, String> {
    let mut s = RawSchema::default();
    for f in fields(buf)? {
        let Some(b) = f.bytes else {
            continue;
        };
        match f.number {
            1 => s.reference = Some(string(b)?),
            21 => {
                for g in fields(b)? {
                    if let (1, Some(inner)) = (g.number, g.bytes) {
                        s.additional = Some(Box::new(schema(inner)?));
                    }
                }
            }
            22 => {
                for g in fields(b)? {
                    if let (1, Some(t)) = (g.number, g.bytes) {
                        s.types.push(string(t)?);
                    }
                }
            }
            23 => {
                let items: Vec<&[u8]> = fields(b)?
                    .into_iter()
                    .filter(|g| g.number == 1)
                    .filter_map(|g| g.bytes)
                    .collect();
                // kube-openapi keeps a lone items schema as the items schema; a list of several
                // is a tuple, which lookups ignore.
                if let [only] = items[..] {
                    s.items = Some(Box::new(schema(only)?));
                }
            }
            25 => {
                for g in fields(b)? {
                    if let (1, Some(prop)) = (g.number, g.bytes) {
                        let (name, value) = named(prop)?;
                        s.properties.push((name, schema(value)?));
                    }
                }
            }
            31 => {
                let (name, value) = named(b)?;
                let text = any_yaml(value)?;
                match name.to_ascii_lowercase().as_str() {
                    "x-kubernetes-patch-strategy" => {
                        s.strategy = yamlish::parse(&text)?.as_str().map(str::to_owned)
                    }
                    "x-kubernetes-patch-merge-key" => {
                        s.merge_key = yamlish::parse(&text)?.as_str().map(str::to_owned)
                    }
                    "x-kubernetes-list-map-keys" => {
                        s.list_map_keys = yamlish::parse(&text)?.as_strings()
                    }
                    "x-kubernetes-group-version-kind" => {
                        if let yamlish::Value::List(items) = yamlish::parse(&text)? {
                            s.gvks = items.iter().filter_map(gvk).collect();
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(s)
}

/// Reads an `openapi.v2.Document`.
pub fn document(buf: &[u8]) -> Result<RawSwagger, String> {
    let mut out = RawSwagger::default();
    for f in fields(buf)? {
        let Some(b) = f.bytes else {
            continue;
        };
        match f.number {
            8 => {
                for p in fields(b)? {
                    let (2, Some(item)) = (p.number, p.bytes) else {
                        continue;
                    };
                    let (path, path_item) = named(item)?;
                    for op in fields(path_item)? {
                        let (2, Some(get)) = (op.number, op.bytes) else {
                            continue;
                        };
                        for ext in fields(get)? {
                            let (13, Some(e)) = (ext.number, ext.bytes) else {
                                continue;
                            };
                            let (name, value) = named(e)?;
                            if name == "x-kubernetes-group-version-kind" {
                                if let Some(t) = gvk(&yamlish::parse(&any_yaml(value)?)?) {
                                    out.paths.push((path.clone(), t));
                                }
                            }
                        }
                    }
                }
            }
            9 => {
                for d in fields(b)? {
                    if let (1, Some(def)) = (d.number, d.bytes) {
                        let (name, value) = named(def)?;
                        out.definitions.push((name, schema(value)?));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
