//! Test helpers: documents read with the real YAML reader (JSON is YAML), compared structurally.

use crate::load::yaml::{parse_documents, Schema};
use crate::node::Node;
use crate::resource::{Resource, ResourceList};

/// Parses one resource-style document (YAML or JSON).
pub(crate) fn yaml(src: &str) -> Node {
    let docs = yaml_docs(src);
    assert_eq!(docs.len(), 1, "expected one document");
    docs.into_iter().next().unwrap_or_default()
}

/// Parses a stream of documents.
pub(crate) fn yaml_docs(src: &str) -> Vec<Node> {
    parse_documents(src.as_bytes(), Schema::Core)
        .unwrap_or_else(|e| panic!("bad test YAML: {e}\n{src}"))
}

/// A node from JSON text.
pub(crate) fn node(json: &str) -> Node {
    yaml(json)
}

/// Asserts that `actual` equals the document `expected` (text and tags, key order included).
#[track_caller]
pub(crate) fn assert_yaml(actual: &Node, expected: &str) {
    assert_eq!(*actual, yaml(expected), "\nexpected:\n{expected}");
}

/// A resource list from documents.
pub(crate) fn resources(docs: &[&str]) -> ResourceList {
    let mut list = ResourceList::new();
    for d in docs {
        list.append(Resource::new(node(d))).unwrap();
    }
    list
}
