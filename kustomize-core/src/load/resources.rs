//! Resource files: bytes to validated resource documents, as kustomize reads them.
//!
//! kustomize does not hand a file to the YAML parser whole: it first splits the text at lines that
//! start with `---` and parses the first document of each piece. It then drops empty documents,
//! insists on `kind` and `metadata.name`, and expands `List` kinds into their items. The order of
//! the resources that come out (list items after the other documents of a file) follows it.

use super::yaml::{self, Schema};
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;
use std::borrow::Cow;
use std::collections::VecDeque;

/// Parses a resource file's bytes into resource documents, each a validated mapping.
///
/// ```
/// use kustomize_core::load::resources::parse_resources;
/// let docs = parse_resources(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# nothing\n").unwrap();
/// assert_eq!(docs.len(), 1);
/// assert!(parse_resources(b"kind: ConfigMap\n").is_err()); // no metadata.name
/// ```
pub fn parse_resources(bytes: &[u8]) -> Result<Vec<Node>> {
    let docs = read_documents(bytes)?;
    let docs = drop_bad_nodes(docs)?;
    inline_lists(docs)
}

/// Whether an error came from malformed YAML (kustomize then stops trying the path as a
/// directory).
pub fn is_malformed_yaml(err: &Error) -> bool {
    err.kind() == ErrorKind::Yaml
}

/// The documents of a stream, as kyaml's byte reader returns them: empty ones dropped, a lone
/// `List` unwrapped into its items.
fn read_documents(bytes: &[u8]) -> Result<Vec<Node>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Yaml,
            format!("MalformedYAMLError: invalid UTF-8: {e}"),
        )
    })?;
    let text: Cow<'_, str> = if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let pieces = split_documents(&text)?;
    let single = pieces.len() == 1;
    let mut out = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        // Every piece but the last gets back the newline the split took.
        let owned;
        let src = if i + 1 != pieces.len() {
            owned = format!("{piece}\n");
            owned.as_str()
        } else {
            piece
        };
        let node = first_document(src)?;
        let Some(node) = node else { continue };
        if node.is_null() {
            continue;
        }
        let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
        if single
            && (kind == "List" || kind == "ResourceList")
            && (node.get("items").is_some() || node.get("functionConfig").is_some())
        {
            if let Some(Node::Seq(items)) = node.get("items") {
                out.extend(items.iter().cloned());
            }
            continue;
        }
        out.push(node);
    }
    Ok(out)
}

fn first_document(src: &str) -> Result<Option<Node>> {
    let docs = yaml::parse_documents(src.as_bytes(), Schema::Core)
        .map_err(|e| Error::new(ErrorKind::Yaml, format!("MalformedYAMLError: {e}")))?;
    Ok(docs.into_iter().next())
}

/// Splits at lines starting with `---`; anything but a comment after the marker is an error.
fn split_documents(text: &str) -> Result<Vec<&str>> {
    let mut docs = Vec::new();
    if text.is_empty() {
        return Ok(docs);
    }
    let bytes = text.as_bytes();
    let mut prev = 0;
    let mut search = 0;
    // A separator is "\n---<rest of line>\n"; matches do not overlap.
    let finder = memchr::memmem::Finder::new(b"\n---");
    while let Some(off) = finder.find(&bytes[search..]) {
        let start = search + off;
        let Some(eol) = memchr::memchr(b'\n', &bytes[start + 4..]) else {
            break;
        };
        let end = start + 4 + eol + 1;
        let rest = text[start + 4..end - 1].trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Err(Error::new(
                ErrorKind::Yaml,
                format!("invalid document separator: {}", text[start..end].trim()),
            ));
        }
        docs.push(&text[prev..start]);
        prev = end;
        search = end;
    }
    docs.push(&text[prev..]);
    Ok(docs)
}

/// Whether a node is absent, null, or an empty mapping or sequence.
fn is_nil_or_empty(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => s.is_null(),
        Node::Map(m) => m.is_empty(),
        Node::Seq(v) => v.is_empty(),
    }
}

fn meta_text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key)
        .filter(|n| !is_nil_or_empty(n))
        .map(|n| match n {
            Node::Scalar(s) => s.as_str(),
            _ => "",
        })
}

/// kyaml's metadata validation: a kind, and a name unless the kind is a list.
///
/// Empty documents pass (kustomize skips them).
pub fn validate_metadata(node: &Node) -> Result<()> {
    if is_nil_or_empty(node) {
        return Ok(());
    }
    let api_version = meta_text(node, "apiVersion");
    let kind = meta_text(node, "kind");
    let metadata = node.get("metadata").filter(|n| !is_nil_or_empty(n));
    if api_version.is_none() && kind.is_none() && metadata.is_none() {
        return Err(Error::new(ErrorKind::Resource, "missing Resource metadata"));
    }
    let kind = kind.unwrap_or("");
    let name = metadata.and_then(|m| meta_text(m, "name")).unwrap_or("");
    if kind.is_empty() {
        return Err(Error::new(
            ErrorKind::Resource,
            format!("missing kind in object with name '{name}'"),
        ));
    }
    if !kind.ends_with("List") && name.is_empty() {
        return Err(Error::new(
            ErrorKind::Resource,
            format!("missing metadata.name in object of kind '{kind}'"),
        ));
    }
    Ok(())
}

fn drop_bad_nodes(nodes: Vec<Node>) -> Result<Vec<Node>> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        if is_nil_or_empty(&node) {
            continue;
        }
        validate_metadata(&node)?;
        out.push(node);
    }
    Ok(out)
}

/// Replaces every `*List` document that has `items` by its items, appended after the remaining
/// documents (kustomize works through a queue).
fn inline_lists(nodes: Vec<Node>) -> Result<Vec<Node>> {
    let mut queue: VecDeque<Node> = nodes.into();
    let mut out = Vec::with_capacity(queue.len());
    while let Some(mut node) = queue.pop_front() {
        let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
        if !kind.ends_with("List") {
            out.push(node);
            continue;
        }
        let kind = kind.to_owned();
        let items = match node.as_map_mut().and_then(|m| m.remove("items")) {
            None => {
                out.push(node);
                continue;
            }
            Some(items) => items,
        };
        match items {
            Node::Seq(items) => {
                let items = drop_bad_nodes(items)?;
                queue.extend(items);
            }
            n if n.is_null() => {}
            other => {
                return Err(Error::new(
                    ErrorKind::Resource,
                    format!(
                        "expected array in {kind}/items, but found {}",
                        other.kind_name()
                    ),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_kyaml() {
        assert_eq!(split_documents("a\n---\nb").unwrap(), ["a", "b"]);
        assert_eq!(split_documents("a\n--- # c\nb\n").unwrap(), ["a", "b\n"]);
        assert_eq!(
            split_documents("---\na\n---\n---\nb").unwrap(),
            ["---\na", "---\nb"]
        );
        assert_eq!(split_documents("a\n---").unwrap(), ["a\n---"]);
        assert!(split_documents("a\n--- b\nc").is_err());
        assert!(split_documents("").unwrap().is_empty());
    }
}
