//! The one document model every stage of a build works on.
//!
//! A [`Node`] is a parsed YAML value: a [`Scalar`], a sequence, or a [`Mapping`]. Scalars keep the
//! text they were written with together with the tag the YAML resolver gave them, because kustomize
//! keeps both: transformers read and write the text, and only the final printing step turns the
//! (text, tag) pair into a typed value (see [`crate::emit`]).
//!
//! Mappings keep their entries in document order. Printing sorts keys, so order only matters to
//! stages that kustomize itself makes order-sensitive.

use compact_str::CompactString;
use std::fmt;

/// The resolved YAML tag of a scalar.
///
/// Resolution follows the schema the text was read with (see [`crate::load::yaml::Schema`]);
/// scalars that transformers create are [`Tag::Str`] unless they say otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// `null`, `~`, or an empty value.
    Null,
    /// `true` / `false` (and, in YAML 1.1 files, `yes`, `on`, …).
    Bool,
    /// An integer in any notation the schema accepts (`12`, `0x1F`, `0o17`, …).
    Int,
    /// A floating point number (`1.5`, `1e3`, `.inf`, …).
    Float,
    /// A string.
    Str,
    /// A timestamp such as `2001-12-14t21:59:43.10-05:00`.
    Timestamp,
    /// Base64 text tagged `!!binary`.
    Binary,
}

impl Tag {
    /// The tag's YAML name (`!!str`, `!!int`, …), as go-yaml spells it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Tag::Null => "!!null",
            Tag::Bool => "!!bool",
            Tag::Int => "!!int",
            Tag::Float => "!!float",
            Tag::Str => "!!str",
            Tag::Timestamp => "!!timestamp",
            Tag::Binary => "!!binary",
        }
    }
}

/// A scalar: its text (after YAML unescaping) and its resolved tag.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Scalar {
    /// The scalar's value as text, exactly as the document spelled it after unescaping.
    pub text: CompactString,
    /// What the YAML resolver decided the text means.
    pub tag: Tag,
}

impl Scalar {
    /// A string scalar.
    pub fn string(text: impl Into<CompactString>) -> Self {
        Scalar {
            text: text.into(),
            tag: Tag::Str,
        }
    }

    /// A scalar with an explicit tag.
    pub fn tagged(text: impl Into<CompactString>, tag: Tag) -> Self {
        Scalar {
            text: text.into(),
            tag,
        }
    }

    /// The null scalar.
    pub fn null() -> Self {
        Scalar {
            text: CompactString::const_new("null"),
            tag: Tag::Null,
        }
    }

    /// The scalar's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The tag's YAML name (`!!str`, `!!int`, …).
    pub fn tag_name(&self) -> &'static str {
        self.tag.name()
    }

    /// Whether this scalar is tagged null.
    pub fn is_null(&self) -> bool {
        self.tag == Tag::Null
    }
}

impl fmt::Debug for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tag == Tag::Str {
            write!(f, "{:?}", self.text.as_str())
        } else {
            write!(f, "{:?}!{:?}", self.text.as_str(), self.tag)
        }
    }
}

/// A YAML value.
#[derive(Clone, PartialEq)]
pub enum Node {
    /// A scalar value.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping.
    Map(Mapping),
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Scalar(s) => s.fmt(f),
            Node::Seq(items) => f.debug_list().entries(items).finish(),
            Node::Map(m) => m.fmt(f),
        }
    }
}

impl Default for Node {
    fn default() -> Self {
        Node::Scalar(Scalar::null())
    }
}

impl From<Scalar> for Node {
    fn from(s: Scalar) -> Self {
        Node::Scalar(s)
    }
}

impl From<Mapping> for Node {
    fn from(m: Mapping) -> Self {
        Node::Map(m)
    }
}

impl From<Vec<Node>> for Node {
    fn from(v: Vec<Node>) -> Self {
        Node::Seq(v)
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Self {
        Node::string(s)
    }
}

impl From<String> for Node {
    fn from(s: String) -> Self {
        Node::string(s)
    }
}

impl Node {
    /// A string scalar node.
    pub fn string(text: impl Into<CompactString>) -> Self {
        Node::Scalar(Scalar::string(text))
    }

    /// The null node.
    pub fn null() -> Self {
        Node::Scalar(Scalar::null())
    }

    /// An empty mapping node.
    pub fn map() -> Self {
        Node::Map(Mapping::new())
    }

    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, if this is a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) if s.tag != Tag::Null => Some(&s.text),
            _ => None,
        }
    }

    /// The mapping, if this is one.
    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The mapping, mutably, if this is one.
    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The sequence, if this is one.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match self {
            Node::Seq(v) => Some(v),
            _ => None,
        }
    }

    /// The sequence, mutably, if this is one.
    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Seq(v) => Some(v),
            _ => None,
        }
    }

    /// Whether this node is the null scalar.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.tag == Tag::Null)
    }

    /// The value at `key` if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    /// The value at `key`, mutably, if this is a mapping that has it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.get_mut(key)
    }

    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Follows a path of mapping keys, mutably.
    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |node, key| node.get_mut(key))
    }

    /// The text of the scalar at a path of mapping keys.
    pub fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.get_path(path)?.as_str()
    }

    /// A short name for the node's kind, as YAML calls it (`!!map`, `!!seq`, `!!str`, …); used in
    /// error messages that mirror kustomize's.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Map(_) => "!!map",
            Node::Seq(_) => "!!seq",
            Node::Scalar(s) => s.tag_name(),
        }
    }
}

/// A mapping whose keys are scalars, in document order.
///
/// Lookups compare key text. Most Kubernetes mappings are small, so a vector beats hashing; stages
/// that merge large mappings build their own index.
#[derive(Clone, Default, PartialEq)]
pub struct Mapping {
    entries: Vec<(Scalar, Node)>,
}

impl fmt::Debug for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Self {
        Mapping {
            entries: Vec::new(),
        }
    }

    /// An empty mapping with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Mapping {
            entries: Vec::with_capacity(n),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the mapping has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.text == key)
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    /// The value at `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value` (a string key), replacing an existing value in place or appending.
    /// Returns the previous value.
    pub fn insert(
        &mut self,
        key: impl Into<CompactString>,
        value: impl Into<Node>,
    ) -> Option<Node> {
        self.insert_scalar_key(Scalar::string(key), value.into())
    }

    /// Sets the entry for `key` (keeping the key's tag), replacing in place or appending.
    pub fn insert_scalar_key(&mut self, key: Scalar, value: Node) -> Option<Node> {
        match self.position(&key.text) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// A mapping holding `entries` in the given order, without looking for repeated keys. The
    /// reader uses this; callers must know the keys are distinct (or, like the reader, report
    /// repeats themselves).
    pub fn from_entries(entries: Vec<(Scalar, Node)>) -> Self {
        Mapping { entries }
    }

    /// Appends an entry without looking for an existing key. The parser uses this; callers must
    /// know the key is new.
    pub fn push(&mut self, key: Scalar, value: Node) {
        self.entries.push((key, value));
    }

    /// Removes `key`, keeping the order of the other entries. Returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let i = self.position(key)?;
        Some(self.entries.remove(i).1)
    }

    /// The value at `key`, inserting `make()` first if it is absent.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Node) -> &mut Node {
        let i = match self.position(key) {
            Some(i) => i,
            None => {
                self.entries.push((Scalar::string(key), make()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    /// Entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Scalar, &Node)> + DoubleEndedIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Entries in order, values mutable.
    pub fn iter_mut(
        &mut self,
    ) -> impl ExactSizeIterator<Item = (&Scalar, &mut Node)> + DoubleEndedIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.text.as_str())
    }

    /// Keeps only the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Scalar, &mut Node) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl IntoIterator for Mapping {
    type Item = (Scalar, Node);
    type IntoIter = std::vec::IntoIter<(Scalar, Node)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl FromIterator<(Scalar, Node)> for Mapping {
    fn from_iter<I: IntoIterator<Item = (Scalar, Node)>>(iter: I) -> Self {
        let mut m = Mapping::new();
        for (k, v) in iter {
            m.insert_scalar_key(k, v);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_replaces_in_place_and_keeps_order() {
        let mut m = Mapping::new();
        m.insert("b", "1");
        m.insert("a", "2");
        assert_eq!(m.insert("b", "3"), Some(Node::string("1")));
        assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(m.get("b").and_then(Node::as_str), Some("3"));
    }

    #[test]
    fn paths_follow_mappings_only() {
        let mut meta = Mapping::new();
        meta.insert("name", "x");
        let mut root = Mapping::new();
        root.insert("metadata", Node::Map(meta));
        let root = Node::Map(root);
        assert_eq!(root.str_at(&["metadata", "name"]), Some("x"));
        assert_eq!(root.str_at(&["metadata", "name", "deeper"]), None);
        assert!(Node::null().as_str().is_none());
    }
}
