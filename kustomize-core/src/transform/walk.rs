//! The one field-path walker every transformer uses.
//!
//! kustomize addresses fields with `/`-separated paths (`spec/template/metadata/labels`). Walking
//! such a path, as kustomize's field-spec filter does:
//!
//! * `\/` escapes a slash inside one segment (`metadata/annotations/a.io\/b`); one leading `/` is
//!   ignored.
//! * A sequence met on the way is entered element by element with the *same* remaining path, so
//!   `spec/containers/image` reaches the image of every container.
//! * A segment ending in `[]` (`containers[]`) names a field that should be a sequence: it is never
//!   created, and a `null` there becomes an empty sequence.
//! * A missing field is skipped unless the spec says `create`; then intermediate fields are created
//!   as mappings and the last one as the transformer's kind (a mapping for labels, a scalar for
//!   names). A `null` field is turned into that kind the same way.
//! * A `null` node met with path left is skipped; a scalar met with path left is an error.
//!
//! The setter receives each node the path reaches (a fresh scalar or mapping when it was created).

use crate::error::{Error, ErrorKind};
use crate::gosem::num::atoi;
use crate::gosem::scalar::resolve_plain;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::Gvk;
use compact_str::CompactString;
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
                dump_node(node)
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

/// What to create when the path names a field that is absent (or `null`).
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

/// One parsed segment of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    /// The segment without its `[]` suffix, untrimmed (kustomize quotes it so in errors).
    name: CompactString,
    /// The segment ended in `[]`.
    seq_hint: bool,
    /// How the segment looks a field up.
    lookup: Lookup,
}

/// How kyaml's path getter reads one segment (after trimming white space).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Lookup {
    /// A mapping key.
    Field(CompactString),
    /// Only white space: the lookup yields the node itself.
    Itself,
    /// A sequence index or `-`; on a mapping this is a wrong-kind error.
    SequenceIndex,
    /// A negative index.
    NegativeIndex(i64),
    /// `*`.
    Wildcard,
    /// `[name=value]`; on a mapping this is a wrong-kind error.
    ElementMatch,
    /// `[...]` without `=`.
    BadElementMatch,
}

/// A field path, split and classified once so walking allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    raw: Box<str>,
    segments: Box<[Segment]>,
}

impl FieldPath {
    /// Parses a path as kustomize splits it.
    pub fn parse(raw: &str) -> Self {
        let segments = split_path(raw)
            .into_iter()
            .map(|part| {
                let (name, seq_hint) = match part.strip_suffix("[]") {
                    Some(short) => (short, true),
                    None => (part.as_str(), false),
                };
                Segment {
                    name: CompactString::from(name),
                    seq_hint,
                    lookup: classify(name),
                }
            })
            .collect();
        FieldPath {
            raw: raw.into(),
            segments,
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The segments with `\/` escapes resolved and any `[]` suffix removed.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &str> {
        self.segments.iter().map(|s| s.name.as_str())
    }
}

/// Splits on `/`, dropping one leading empty segment and joining segments whose predecessor ends
/// in a backslash (the backslash is dropped).
fn split_path(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && parts[0].is_empty() {
        parts.remove(0);
    }
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        match out.last_mut() {
            Some(last) if i > 0 && last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => out.push(part.to_owned()),
        }
    }
    out
}

fn classify(name: &str) -> Lookup {
    // kyaml trims Go's white space (ASCII and Unicode) before it interprets a path part.
    let part = name.trim();
    if part.is_empty() {
        return Lookup::Itself;
    }
    if let Some(n) = atoi(part) {
        return if n < 0 {
            Lookup::NegativeIndex(n)
        } else {
            Lookup::SequenceIndex
        };
    }
    if part == "-" {
        return Lookup::SequenceIndex;
    }
    if part == "*" {
        return Lookup::Wildcard;
    }
    if part.starts_with('[') && part.ends_with(']') {
        let inner = part.trim_start_matches('[');
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        return if inner.contains('=') {
            Lookup::ElementMatch
        } else {
            Lookup::BadElementMatch
        };
    }
    Lookup::Field(CompactString::from(part))
}

/// Walks `path` from `node`, calling `set` on every node it reaches.
///
/// Errors are not yet prefixed with the field and object (see [`walk_resource`]).
pub fn walk<F>(
    node: &mut Node,
    path: &FieldPath,
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    walk_from(node, &path.segments, create, set)
}

fn walk_from<F>(
    node: &mut Node,
    path: &[Segment],
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    let Some(first) = path.first() else {
        return set(node);
    };
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => Ok(()),
        Node::Scalar(_) => Err(WalkError::new("expected sequence or mapping node")),
        Node::Seq(items) => {
            for item in items.iter_mut() {
                walk_from(item, path, create, set).map_err(|e| {
                    e.context(format_args!("visit traversal on path: {}", go_list(path)))
                })?;
            }
            Ok(())
        }
        Node::Map(_) => {
            if first.name.is_empty() {
                return Err(WalkError::new("cannot set or create an empty field name"));
            }
            let last = path.len() == 1;
            // What the field becomes when it is created or found `null`. kustomize never creates
            // a field whose segment says it is a sequence, but does turn a `null` one into `[]`.
            let turns_into = if first.seq_hint {
                Become::Seq
            } else {
                match create {
                    Create::No => Become::Nothing,
                    Create::Map => Become::Map,
                    Create::Scalar { .. } if !last => Become::Map,
                    Create::Scalar { null_tag } => Become::Scalar(null_tag),
                }
            };
            let creating = matches!(turns_into, Become::Map | Become::Scalar(_));
            let field = lookup(node, first, creating, last, create)
                .map_err(|e| e.context(format_args!("fieldName: {}", first.name)))?;
            let Some((field, created)) = field else {
                return Ok(());
            };
            if let Node::Scalar(s) = &*field {
                if s.tag == Tag::Null && !created {
                    match turns_into {
                        Become::Nothing => {}
                        Become::Seq => *field = Node::Seq(Vec::new()),
                        Become::Map => *field = Node::Map(Mapping::new()),
                        // kyaml keeps the text and only retags the node.
                        Become::Scalar(Some(tag)) => {
                            *field = Node::Scalar(Scalar::tagged(s.text.clone(), tag))
                        }
                        Become::Scalar(None) => {}
                    }
                }
            }
            walk_from(field, &path[1..], create, set)
        }
    }
}

/// What a created or `null` field turns into.
#[derive(Clone, Copy)]
enum Become {
    Nothing,
    Seq,
    Map,
    Scalar(Option<Tag>),
}

/// Looks `seg` up in the mapping `node`, creating it when asked. `None` means absent; the flag
/// says the field was just created.
fn lookup<'a>(
    node: &'a mut Node,
    seg: &Segment,
    creating: bool,
    last: bool,
    create: Create,
) -> Result<Option<(&'a mut Node, bool)>, WalkError> {
    match &seg.lookup {
        Lookup::Itself => Ok(Some((node, false))),
        Lookup::SequenceIndex | Lookup::ElementMatch => {
            Err(WalkError::wrong_kind(NodeKind::Seq, node))
        }
        Lookup::NegativeIndex(n) => Err(WalkError::new(format!(
            "array index {n} cannot be negative"
        ))),
        Lookup::Wildcard => Err(WalkError::new("wildcard is not supported in PathGetter")),
        Lookup::BadElementMatch => Err(WalkError::new(
            "list path element must contain fieldName=fieldValue for element to match",
        )),
        Lookup::Field(key) => {
            let Node::Map(map) = node else {
                return Ok(None);
            };
            let created = creating && !map.contains_key(key);
            if created {
                // kyaml appends a plain, untagged key: it reads back as its text resolves.
                let value = match (last, create) {
                    (true, Create::Scalar { .. }) => Node::Scalar(Scalar::tagged("", Tag::Null)),
                    _ => Node::Map(Mapping::new()),
                };
                map.push(Scalar::tagged(key.clone(), resolve_plain(key)), value);
            }
            Ok(map.get_mut(key).map(|v| (v, created)))
        }
    }
}

/// Go's `%v` of a string slice: `[a b c]`.
fn go_list(path: &[Segment]) -> String {
    let mut s = String::from("[");
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&seg.name);
        if seg.seq_hint {
            s.push_str("[]");
        }
    }
    s.push(']');
    s
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

/// Walks `path` in the resource `root` and prefixes any error as kustomize's field-spec filter
/// does: `considering field '<path>' of object <id>: …`.
pub fn walk_resource<F>(
    root: &mut Node,
    path: &FieldPath,
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    match walk(root, path, create, set) {
        Ok(()) => Ok(()),
        Err(e) => Err(e.context(format_args!(
            "considering field '{}' of object {}",
            path.as_str(),
            object_id(root)
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Setters: how kyaml's field setter writes a value where the walk arrived.

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
/// replacing an existing value in place or appending. A `null` node is left alone (kyaml writes
/// into a node that never prints); a scalar or sequence is a wrong-kind error. A new key is plain
/// and untagged, so it reads back as whatever its text resolves to (`"1"` becomes an integer key).
pub fn set_entry_str(node: &mut Node, key: &str, value: &str) -> Result<(), WalkError> {
    match node {
        Node::Map(map) => {
            match map.get_mut(key) {
                Some(existing) => *existing = Node::string(value),
                None => map.push(Scalar::tagged(key, resolve_plain(key)), Node::string(value)),
            }
            Ok(())
        }
        Node::Scalar(s) if s.tag == Tag::Null => Ok(()),
        _ => Err(WalkError::wrong_kind(NodeKind::Map, node)),
    }
}

// ---------------------------------------------------------------------------------------------
// Node dumps for error messages, shaped like kyaml's encoder output (indent 2, sequences not
// indented under their key, keys in document order).

/// `node` as kyaml prints it inside error messages; ends with a newline.
pub fn dump_node(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(m) if !m.is_empty() => dump_map(&mut out, m, 0),
        Node::Seq(s) if !s.is_empty() => dump_seq(&mut out, s, 0),
        _ => {
            dump_inline(&mut out, node);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn dump_map(out: &mut String, m: &Mapping, ind: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        dump_scalar(out, k);
        out.push(':');
        dump_value(out, v, ind, ind + 2);
    }
}

fn dump_seq(out: &mut String, items: &[Node], ind: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str("- ");
        match item {
            Node::Map(m) if !m.is_empty() => dump_map(out, m, ind + 2),
            Node::Seq(s) if !s.is_empty() => dump_seq(out, s, ind + 2),
            _ => {
                dump_inline(out, item);
                out.push('\n');
            }
        }
    }
}

/// A mapping value after `key:`; `map_ind` is where nested keys go.
fn dump_value(out: &mut String, v: &Node, seq_ind: usize, map_ind: usize) {
    match v {
        Node::Map(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, map_ind);
            dump_map(out, m, map_ind);
        }
        Node::Seq(s) if !s.is_empty() => {
            out.push('\n');
            indent(out, seq_ind);
            dump_seq(out, s, seq_ind);
        }
        _ => {
            out.push(' ');
            dump_inline(out, v);
            out.push('\n');
        }
    }
}

fn dump_inline(out: &mut String, node: &Node) {
    match node {
        Node::Map(_) => out.push_str("{}"),
        Node::Seq(_) => out.push_str("[]"),
        Node::Scalar(s) => dump_scalar(out, s),
    }
}

fn dump_scalar(out: &mut String, s: &Scalar) {
    let text = s.text.as_str();
    if s.tag != Tag::Str {
        out.push_str(text);
        return;
    }
    if resolve_plain(text) == Tag::Str && plain_safe(text) {
        out.push_str(text);
    } else if !text.is_empty()
        && resolve_plain(text) == Tag::Str
        && text
            .chars()
            .all(|c| c == ' ' || (!c.is_control() && c != '\u{feff}'))
    {
        out.push('\'');
        out.push_str(&text.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

/// Whether YAML can print `text` as a plain scalar in block context.
fn plain_safe(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    let indicator = matches!(
        first,
        b'#' | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    );
    let risky_start =
        matches!(first, b'-' | b'?' | b':') && (b.len() == 1 || matches!(b[1], b' ' | b'\t'));
    if indicator || risky_start || text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control() || c == '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Node)]) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.insert(*k, v.clone());
        }
        Node::Map(m)
    }

    fn set_x(n: &mut Node) -> Result<(), WalkError> {
        set_scalar(n, "x", Some(Tag::Str))
    }

    #[test]
    fn splits_paths_like_kustomize() {
        let p = FieldPath::parse("/metadata/annotations/a.io\\/b");
        assert_eq!(
            p.segments().collect::<Vec<_>>(),
            ["metadata", "annotations", "a.io/b"]
        );
        let p = FieldPath::parse("spec/containers[]/image");
        assert_eq!(
            p.segments().collect::<Vec<_>>(),
            ["spec", "containers", "image"]
        );
        assert!(p.segments[1].seq_hint);
        assert_eq!(FieldPath::parse("").segments().collect::<Vec<_>>(), [""]);
        assert_eq!(FieldPath::parse("a//b").segments().len(), 3);
    }

    #[test]
    fn walks_every_sequence_element_with_the_same_path() {
        let mut n = map(&[(
            "spec",
            map(&[(
                "containers",
                Node::Seq(vec![
                    map(&[("image", Node::string("a"))]),
                    map(&[("name", Node::string("b"))]),
                    Node::null(),
                ]),
            )]),
        )]);
        let mut seen = 0;
        walk(
            &mut n,
            &FieldPath::parse("spec/containers/image"),
            Create::No,
            &mut |v: &mut Node| {
                seen += 1;
                set_x(v)
            },
        )
        .unwrap();
        assert_eq!(seen, 1);
        assert_eq!(n.str_at(&["spec", "containers"]), None);
        let first = &n
            .get_path(&["spec", "containers"])
            .unwrap()
            .as_seq()
            .unwrap()[0];
        assert_eq!(first.str_at(&["image"]), Some("x"));
    }

    #[test]
    fn creates_maps_on_the_way_and_the_requested_kind_at_the_end() {
        let mut n = map(&[("kind", Node::string("X"))]);
        walk(
            &mut n,
            &FieldPath::parse("metadata/labels"),
            Create::Map,
            &mut |v: &mut Node| set_entry_str(v, "a", "1"),
        )
        .unwrap();
        assert_eq!(n.str_at(&["metadata", "labels", "a"]), Some("1"));
        let mut n = map(&[("kind", Node::string("X"))]);
        walk(
            &mut n,
            &FieldPath::parse("metadata/namespace"),
            Create::Scalar {
                null_tag: Some(Tag::Str),
            },
            &mut set_x,
        )
        .unwrap();
        assert_eq!(n.str_at(&["metadata", "namespace"]), Some("x"));
    }

    #[test]
    fn never_creates_sequence_fields_but_turns_their_nulls_into_empty_sequences() {
        let mut n = map(&[("spec", map(&[("containers", Node::null())]))]);
        let mut calls = 0;
        walk(
            &mut n,
            &FieldPath::parse("spec/containers[]/image"),
            Create::Map,
            &mut |_: &mut Node| {
                calls += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(calls, 0);
        assert_eq!(
            n.get_path(&["spec", "containers"]),
            Some(&Node::Seq(Vec::new()))
        );
        let mut n = map(&[("spec", Node::map())]);
        walk(
            &mut n,
            &FieldPath::parse("spec/initContainers[]/image"),
            Create::Map,
            &mut set_x,
        )
        .unwrap();
        assert_eq!(n.get_path(&["spec", "initContainers"]), None);
    }

    #[test]
    fn null_without_create_is_handed_to_the_setter_and_null_midway_is_skipped() {
        let mut n = map(&[("a", Node::null()), ("b", Node::null())]);
        let mut reached = Vec::new();
        walk(
            &mut n,
            &FieldPath::parse("a"),
            Create::No,
            &mut |v: &mut Node| {
                reached.push(v.clone());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(reached, [Node::null()]);
        walk(&mut n, &FieldPath::parse("b/c"), Create::No, &mut set_x).unwrap();
        assert_eq!(n.get("b"), Some(&Node::null()));
    }

    #[test]
    fn scalar_midway_is_an_error_worded_as_kustomize() {
        let mut n = map(&[
            ("apiVersion", Node::string("apps/v1")),
            ("kind", Node::string("Deployment")),
            ("metadata", map(&[("name", Node::string("d"))])),
            ("spec", map(&[("selector", Node::string("foo"))])),
        ]);
        let err = walk_resource(
            &mut n,
            &FieldPath::parse("spec/selector/matchLabels"),
            Create::Map,
            &mut set_x,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "considering field 'spec/selector/matchLabels' of object \
             Deployment.v1.apps/d.[noNs]: expected sequence or mapping node"
        );
    }

    #[test]
    fn index_segments_on_a_mapping_are_wrong_kind_errors() {
        let mut n = map(&[
            ("apiVersion", Node::string("v1")),
            ("kind", Node::string("ConfigMap")),
            ("metadata", map(&[("name", Node::string("s"))])),
        ]);
        let err =
            walk_resource(&mut n, &FieldPath::parse("12"), Create::Map, &mut set_x).unwrap_err();
        assert_eq!(
            err.message(),
            "considering field '12' of object ConfigMap.v1.[noGrp]/s.[noNs]: fieldName: 12: \
             wrong node kind: expected SequenceNode but got MappingNode: node contents:\n\
             apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"
        );
        assert_eq!(err.wrong_kind_found(), Some(NodeKind::Map));
        let err = walk(
            &mut n,
            &FieldPath::parse("metadata//b"),
            Create::No,
            &mut set_x,
        )
        .unwrap_err();
        assert_eq!(err.message(), "cannot set or create an empty field name");
        let err = walk(&mut n, &FieldPath::parse("*"), Create::No, &mut set_x).unwrap_err();
        assert_eq!(
            err.message(),
            "fieldName: *: wildcard is not supported in PathGetter"
        );
        let err = walk(&mut n, &FieldPath::parse("-3"), Create::No, &mut set_x).unwrap_err();
        assert_eq!(
            err.message(),
            "fieldName: -3: array index -3 cannot be negative"
        );
    }

    #[test]
    fn setters_type_values_as_kyaml_does() {
        let mut m = Node::map();
        set_entry_str(&mut m, "1", "2").unwrap();
        set_entry_str(&mut m, "on", "true").unwrap();
        let map = m.as_map().unwrap();
        let keys: Vec<_> = map
            .iter()
            .map(|(k, v)| (k.tag, v.as_scalar().unwrap().tag))
            .collect();
        assert_eq!(keys, [(Tag::Int, Tag::Str), (Tag::Str, Tag::Str)]);
        let mut null = Node::null();
        set_entry_str(&mut null, "a", "b").unwrap();
        assert_eq!(null, Node::null());
        let mut s = Node::string("x");
        let err = set_entry_str(&mut s, "a", "b").unwrap_err();
        assert_eq!(
            err.message(),
            "wrong node kind: expected MappingNode but got ScalarNode: node contents:\nx\n"
        );

        let mut plain_int = Node::Scalar(Scalar::tagged("1", Tag::Int));
        set_scalar(&mut plain_int, "10", None).unwrap();
        assert_eq!(plain_int.as_scalar().unwrap().tag, Tag::Int);
        let mut quoted = Node::string("1");
        set_scalar(&mut quoted, "10", None).unwrap();
        assert_eq!(quoted.as_scalar().unwrap().tag, Tag::Str);
        let mut map_node = Node::map();
        assert_eq!(
            set_scalar(&mut map_node, "x", None)
                .unwrap_err()
                .wrong_kind_found(),
            Some(NodeKind::Map)
        );
    }

    #[test]
    fn dumps_nodes_like_kyaml() {
        let n = map(&[
            (
                "a",
                Node::Seq(vec![map(&[
                    ("x", Node::string("1")),
                    ("y", Node::string("b")),
                ])]),
            ),
            ("b", Node::map()),
            ("c", Node::string("x: y")),
            ("d", Node::Scalar(Scalar::tagged("3", Tag::Int))),
        ]);
        assert_eq!(
            dump_node(&n),
            "a:\n- x: \"1\"\n  y: b\nb: {}\nc: 'x: y'\nd: 3\n"
        );
    }
}
