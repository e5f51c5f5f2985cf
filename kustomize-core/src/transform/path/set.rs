//! Setters: how kyaml's field setter writes a value where the walk arrived.

use super::{plain_key, NodeKind, WalkError};
use crate::gosem::scalar::resolve_plain;
use crate::node::{Node, Scalar, Tag};

/// Whether the scalar `old` was written quoted. kyaml keeps the style of the node it replaces,
/// and a quoted replacement reads back as a string whatever its tag says. The node model keeps
/// no style: a string whose text would not read back as a string must have been quoted; any
/// other string is taken as plain, the common case.
fn was_quoted(old: &Node) -> bool {
    matches!(old, Node::Scalar(s) if s.tag == Tag::Str && resolve_plain(&s.text) != Tag::Str)
}

/// The type a scalar written by kyaml over `old` reads back as: `tag` is the tag kustomize gives
/// it (`None` for its empty tag, which leaves the type to the text).
pub fn replacement_tag(old: &Node, new_text: &str, tag: Option<Tag>) -> Tag {
    match tag {
        Some(Tag::Str) => Tag::Str,
        _ if was_quoted(old) => Tag::Str,
        Some(t) => t,
        None => resolve_plain(new_text),
    }
}

/// kyaml's field setter without a field name: replaces the scalar (or `null`) `node` with
/// `text`. A mapping or sequence is a wrong-kind error. `tag` is the tag kustomize writes, or
/// `None` for its empty tag (see [`replacement_tag`]).
pub fn set_scalar(node: &mut Node, text: &str, tag: Option<Tag>) -> Result<(), WalkError> {
    if !matches!(node, Node::Scalar(_)) {
        return Err(WalkError::wrong_kind(NodeKind::Scalar, node));
    }
    let tag = replacement_tag(node, text, tag);
    *node = Node::Scalar(Scalar::tagged(text, tag));
    Ok(())
}

/// kyaml's field setter with a field name and a `!!str` value: sets `key` in the mapping `node`,
/// replacing an existing value in place or appending (with a plain key). A `null` node is left
/// alone (kyaml writes into a node that never prints); a scalar or sequence is a wrong-kind
/// error.
pub fn set_entry_str(node: &mut Node, key: &str, value: &str) -> Result<(), WalkError> {
    match node {
        Node::Map(map) => {
            match map.get_mut(key) {
                Some(existing) => *existing = Node::string(value),
                None => map.push(plain_key(key), Node::string(value)),
            }
            Ok(())
        }
        Node::Scalar(s) if s.tag == Tag::Null => Ok(()),
        _ => Err(WalkError::wrong_kind(NodeKind::Map, node)),
    }
}
