//! The content hash kustomize appends to generated ConfigMap and Secret names.
//!
//! The hash is the SHA-256 of a small JSON document (kind, data, and type or binaryData /
//! stringData), written as Go's `encoding/json` writes it; its first ten hex digits, with a few
//! digits and vowels swapped for letters so the suffix never reads as a number or a word. The
//! document has a `name` key too, but kustomize looks the name up under a key that never exists
//! (`metadata/name` as one field name), so it is always empty: the name does not affect the hash.

use crate::error::{Error, ErrorKind, Result};
use crate::gosem::json::write_string;
use crate::gosem::num::{format_json_float, parse_float, parse_int, Number};
use crate::node::{Node, Tag};
use crate::resource::Resource;
use sha2::{Digest, Sha256};

/// Appends `-<hash>` to the name of every resource that asked for it, recording the old name.
pub fn add_hash_suffixes(resources: &mut [Resource]) -> Result<()> {
    for r in resources.iter_mut().filter(|r| r.meta.needs_hash) {
        let hash = content_hash(r)?;
        let name = format!("{}-{hash}", r.name());
        r.store_previous_id();
        r.set_name(&name);
    }
    Ok(())
}

/// The ten-character hash kustomize computes for a ConfigMap or Secret.
pub fn content_hash(r: &Resource) -> Result<String> {
    let node = r.node();
    let mut doc = String::with_capacity(256);
    let field = |path: &[&str]| node.get_path(path);
    let put = |doc: &mut String, key: &str, value: Option<&Node>| -> Result<()> {
        if doc.len() > 1 {
            doc.push(',');
        }
        write_string(doc, key);
        doc.push(':');
        match value {
            Some(v @ Node::Map(_)) | Some(v @ Node::Seq(_)) => write_json(doc, v),
            Some(Node::Scalar(s)) => {
                write_string(doc, s.as_str());
                Ok(())
            }
            None => {
                doc.push_str("\"\"");
                Ok(())
            }
        }
    };
    doc.push('{');
    match r.kind() {
        "ConfigMap" => {
            if let Some(b @ Node::Map(_)) = field(&["binaryData"]) {
                put(&mut doc, "binaryData", Some(b))?;
            }
            put(&mut doc, "data", field(&["data"]))?;
            put(&mut doc, "kind", Some(&Node::string("ConfigMap")))?;
            put(&mut doc, "name", None)?;
        }
        "Secret" => {
            put(&mut doc, "data", field(&["data"]))?;
            put(&mut doc, "kind", Some(&Node::string("Secret")))?;
            put(&mut doc, "name", None)?;
            if let Some(s @ Node::Map(_)) = field(&["stringData"]) {
                put(&mut doc, "stringData", Some(s))?;
            }
            put(&mut doc, "type", field(&["type"]))?;
        }
        other => {
            return Err(Error::new(
                ErrorKind::Transform,
                format!("cannot compute a name hash for kind '{other}': only ConfigMap and Secret are supported"),
            ))
        }
    }
    doc.push('}');
    Ok(encode(&Sha256::digest(doc.as_bytes())))
}

fn encode(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest
        .iter()
        .flat_map(|b| [HEX[(b >> 4) as usize], HEX[(b & 15) as usize]])
        .take(10)
        .map(|c| match c {
            b'0' => 'g',
            b'1' => 'h',
            b'3' => 'k',
            b'a' => 'm',
            b'e' => 't',
            c => c as char,
        })
        .collect()
}

/// Writes a node as Go's `encoding/json` writes the value kustomize decodes it to (object keys
/// sorted).
fn write_json(out: &mut String, node: &Node) -> Result<()> {
    match node {
        Node::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k.as_str());
                out.push(':');
                write_json(out, v)?;
            }
            out.push('}');
        }
        Node::Seq(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, v)?;
            }
            out.push(']');
        }
        Node::Scalar(s) => match s.tag {
            Tag::Null => out.push_str("null"),
            Tag::Bool => out.push_str(if s.as_str().eq_ignore_ascii_case("true") {
                "true"
            } else {
                "false"
            }),
            Tag::Int => match parse_int(s.as_str()) {
                Some(Number::Int(i)) => out.push_str(&i.to_string()),
                Some(Number::Uint(u)) => out.push_str(&u.to_string()),
                _ => out.push_str(s.as_str()),
            },
            Tag::Float => match parse_float(s.as_str()) {
                Some(f) if f.is_finite() => out.push_str(&format_json_float(f)),
                _ => {
                    return Err(Error::new(
                        ErrorKind::Transform,
                        format!("json: unsupported value: {}", s.as_str()),
                    ))
                }
            },
            Tag::Str | Tag::Timestamp | Tag::Binary => write_string(out, s.as_str()),
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash_of(
        kind: crate::generate::GeneratorKind,
        name: &str,
        literals: &[&str],
        type_: &str,
    ) -> String {
        let fs = crate::fs::MemoryFs::new();
        let loader =
            crate::load::Loader::new(&fs, std::path::Path::new("/"), Default::default()).unwrap();
        let args = crate::load::kustomization::GeneratorArgs {
            name: name.into(),
            literals: literals.iter().map(|s| s.to_string()).collect(),
            type_: type_.into(),
            ..Default::default()
        };
        let r = crate::generate::generate(&loader, kind, &args, &Default::default()).unwrap();
        content_hash(&r).unwrap()
    }

    /// Names kustomize v5.8 gave these generators.
    #[test]
    fn hashes_match_kustomize() {
        use crate::generate::GeneratorKind::{ConfigMap, Secret};
        assert_eq!(hash_of(ConfigMap, "yy", &[], ""), "6ct58987ht");
        assert_eq!(
            hash_of(ConfigMap, "z", &["big=1.5", "n=12"], ""),
            "4297774c6m"
        );
        assert_eq!(hash_of(Secret, "s", &["k=v"], ""), "ftgtgc4t9f");
        assert_eq!(
            hash_of(ConfigMap, "x", &["a=b", "c=<&>\u{2028}"], ""),
            "g4cm8bd297"
        );
        let long = format!("k={}", "a".repeat(87));
        assert_eq!(
            hash_of(Secret, "s2", &[&long], "kubernetes.io/tls"),
            "t8fgh9g6ht"
        );
    }
}
