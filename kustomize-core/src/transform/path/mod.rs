//! Field paths, and the one walker that follows them for every transformer, name references,
//! vars and replacements.
//!
//! A [`FieldPath`] is a list of steps ([`Step`]): a mapping field, an element by index, the last
//! element, the elements matching `[name=value]`, every element (`*`), or the node itself.
//! kustomize writes paths in two syntaxes, and each has its parser:
//!
//! * field specs, `/`-separated ([`FieldPath::field_spec`]): `spec/template/spec/containers/image`,
//!   `metadata/annotations/a.io\/b`, `spec/containers[]/image`;
//! * kyaml paths, `.`-separated ([`FieldPath::kyaml`], [`FieldPath::var_ref`]):
//!   `spec.containers.[name=app].image`, `data.a\.b`, `spec.ports[0].port` (vars only).
//!
//! The walker follows a path the way the kyaml filter kustomize runs in each place does:
//!
//! * [`visit`], kustomize's field-spec filter (transformers, name references, var references):
//!   a sequence met on the way is entered element by element with the same remaining path;
//!   fields are created on request; every node reached is handed to a setter.
//! * [`get`], kyaml's `PathGetter` (replacement sources, vars): one node, the first element
//!   whose field equals `[name=value]` exactly; a missing part means nothing is found.
//! * [`find`], kyaml's `PathMatcher` (replacement targets): every node, elements whose field
//!   contains a match of the regular expression in `[name=value]`, `*`, missing parts created on
//!   request, and a path running into a string of YAML continues inside it.
//!
//! A step means the same to all three where kyaml's filters agree ([`visit`] reads each step on
//! a mapping exactly as [`get`] does); where they do not, the walker says so.

mod parse;
mod set;
mod walk;

pub use parse::{FieldPath, PathPart, Reader, Step};
pub use set::{replacement_tag, set_entry_str, set_scalar};
pub use walk::{
    find, find_embedded, get, node_at, node_at_mut, parse_embedded, visit, visit_resource,
    Embedded, Hop, Target,
};

use crate::emit::kyaml_string;
use crate::error::{Error, ErrorKind};
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::Gvk;
use std::fmt;

/// The three shapes of YAML node, named as kyaml names them in error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar.
    Scalar,
    /// A sequence.
    Seq,
    /// A mapping.
    Map,
}

impl NodeKind {
    /// The kind of `node`.
    pub fn of(node: &Node) -> Self {
        match node {
            Node::Scalar(_) => NodeKind::Scalar,
            Node::Seq(_) => NodeKind::Seq,
            Node::Map(_) => NodeKind::Map,
        }
    }

    fn go_name(self) -> &'static str {
        match self {
            NodeKind::Scalar => "ScalarNode",
            NodeKind::Seq => "SequenceNode",
            NodeKind::Map => "MappingNode",
        }
    }

    /// A new, empty node of this kind, as kyaml creates one; an empty untagged scalar reads as
    /// null until it is given a value.
    fn new_node(self) -> Node {
        match self {
            NodeKind::Map => Node::map(),
            NodeKind::Seq => Node::Seq(Vec::new()),
            NodeKind::Scalar => Node::Scalar(Scalar::tagged("", Tag::Null)),
        }
    }
}

/// An error met while walking a path or setting a value, worded as kustomize words it.
///
/// Wrong-kind errors remember the kind actually found, because the namespace transformer words
/// its failure differently when a field spec targets a mapping or sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    message: String,
    wrong_kind: Option<NodeKind>,
}

impl WalkError {
    /// An error with a plain message.
    pub fn new(message: impl Into<String>) -> Self {
        WalkError {
            message: message.into(),
            wrong_kind: None,
        }
    }

    /// kyaml's "wrong node kind" error for `node`, which was expected to be `expected`.
    pub fn wrong_kind(expected: NodeKind, node: &Node) -> Self {
        let actual = NodeKind::of(node);
        WalkError {
            message: format!(
                "wrong node kind: expected {} but got {}: node contents:\n{}",
                expected.go_name(),
                actual.go_name(),
                kyaml_string(node)
            ),
            wrong_kind: Some(actual),
        }
    }

    /// Prefixes the message (`prefix: message`), keeping what kind of error it is.
    pub fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For a wrong-kind error, the kind of node actually found.
    pub fn wrong_kind_found(&self) -> Option<NodeKind> {
        self.wrong_kind
    }

    /// This error as a build error.
    pub fn into_error(self) -> Error {
        Error::new(ErrorKind::Transform, self.message)
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<WalkError> for Error {
    fn from(e: WalkError) -> Self {
        e.into_error()
    }
}

/// What [`visit`] creates when the path names a field that is absent (or `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Create {
    /// Create nothing: absent fields end the walk.
    No,
    /// Create intermediate mappings and a last mapping (labels, annotations).
    Map,
    /// Create intermediate mappings and a last scalar. A `null` last field becomes a scalar with
    /// `null_tag` (kustomize's "create tag"), or stays `null` when that is `None`.
    Scalar {
        /// The tag given to a `null` last field.
        null_tag: Option<Tag>,
    },
}

impl Create {
    /// What a transformer writing scalars tagged `tag` creates through a field spec: the field
    /// (and a `null` one takes the tag) when the spec says `create`, else nothing.
    pub fn scalar_if(create: bool, tag: Tag) -> Create {
        if create {
            Create::Scalar {
                null_tag: Some(tag),
            }
        } else {
            Create::No
        }
    }
}

/// The gvk kustomize matches field specs against: from the resource's own `apiVersion` and
/// `kind`, whatever its id says.
pub fn gvk_of(node: &Node) -> Gvk {
    let api_version = node.str_at(&["apiVersion"]).unwrap_or("");
    let kind = node.str_at(&["kind"]).unwrap_or("");
    Gvk::from_api_version(api_version, kind)
}

/// A resource's id as kustomize prints it in errors: `Kind.version.group/name.namespace`, with
/// `[noName]` and `[noNs]` for blanks.
pub fn object_id(node: &Node) -> String {
    let gvk = gvk_of(node);
    let name = node.str_at(&["metadata", "name"]).unwrap_or("");
    let ns = node.str_at(&["metadata", "namespace"]).unwrap_or("");
    format!(
        "{gvk}/{}.{}",
        if name.is_empty() { "[noName]" } else { name },
        if ns.is_empty() { "[noNs]" } else { ns }
    )
}

/// A scalar's value as kyaml's `yaml.Node.Value` holds it (`""` for mappings and sequences).
pub fn value_text(node: &Node) -> &str {
    match node {
        Node::Scalar(s) => s.as_str(),
        _ => "",
    }
}

/// A new mapping key as kyaml appends it: plain and untagged, so it reads back as whatever its
/// text resolves to (`"1"` becomes an integer key).
fn plain_key(key: &str) -> Scalar {
    crate::gosem::scalar::plain_scalar(key)
}

/// An empty mapping, for the mappings kyaml creates on the way.
fn new_map() -> Node {
    Node::Map(Mapping::new())
}

#[cfg(test)]
mod tests;
