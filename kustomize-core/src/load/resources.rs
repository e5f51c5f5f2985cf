//! Resource files: bytes to validated resource documents, as kustomize reads them.
//!
//! kustomize does not hand a file to the YAML parser whole: it first splits the text at lines that
//! start with `---` and parses the first document of each piece. It then drops empty documents,
//! insists on `kind` and `metadata.name`, and expands `List` kinds into their items. The order of
//! the resources that come out (list items after the other documents of a file) follows it.

use super::yaml::{self, Schema};
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;
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
    let docs = read_documents(bytes, true)?;
    let docs = drop_bad_nodes(docs)?;
    inline_lists(docs)
}

/// [`parse_resources`] for patches: go-yaml's decode checks (duplicate keys, …), which kustomize
/// only meets when printing, are skipped.
pub fn parse_patches(bytes: &[u8]) -> Result<Vec<Node>> {
    let docs = read_documents(bytes, false)?;
    let docs = drop_bad_nodes(docs)?;
    inline_lists(docs)
}

/// Whether an error came from malformed YAML (kustomize then stops trying the path as a
/// directory).
pub fn is_malformed_yaml(err: &Error) -> bool {
    err.kind() == ErrorKind::Yaml
}

/// The documents of a stream, as kyaml's byte reader returns them: empty ones dropped, a lone
/// `List` unwrapped into its items. The reader splits at `---` lines as kyaml does and gives one
/// node per piece (null for an empty one). `check` runs go-yaml's decode checks.
fn read_documents(bytes: &[u8], check: bool) -> Result<Vec<Node>> {
    let parsed = if check {
        yaml::parse_documents(bytes, Schema::Core)
    } else {
        yaml::parse_documents_unchecked(bytes)
    };
    let pieces =
        parsed.map_err(|e| Error::new(ErrorKind::Yaml, format!("MalformedYAMLError: {e}")))?;
    let single = pieces.len() == 1;
    let mut out = Vec::with_capacity(pieces.len());
    for node in pieces {
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

    fn names(src: &str) -> Vec<String> {
        parse_resources(src.as_bytes())
            .unwrap()
            .iter()
            .map(|n| n.str_at(&["metadata", "name"]).unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn lists_are_inlined_after_the_other_documents() {
        let cm = |n: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n");
        let list = format!(
            "apiVersion: v1\nkind: ConfigMapList\nitems:\n- {}",
            cm("b").replace('\n', "\n  ").trim_end()
        );
        assert_eq!(names(&format!("{list}\n---\n{}", cm("a"))), ["a", "b"]);
        assert_eq!(
            names(&format!("---\n# only a comment\n---\n{}", cm("c"))),
            ["c"]
        );
    }

    #[test]
    fn documents_need_kind_and_name() {
        assert!(parse_resources(b"- a\n- b\n").is_err());
        assert!(parse_resources(b"apiVersion: v1\nkind: ConfigMap\n").is_err());
        assert!(parse_resources(b"kind: List\n").is_ok());
    }

    #[test]
    fn patches_may_repeat_keys() {
        let src = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: 1\n  k: 2\n";
        assert!(parse_resources(src).is_err());
        let patches = parse_patches(src).unwrap();
        assert_eq!(patches[0].str_at(&["data", "k"]), Some("1"));
    }
}
