//! The walker: one reading of each step ([`enter`]), and the three ways kustomize follows a
//! path with it ([`visit`], [`get`], [`find`]).

use super::{
    new_map, object_id, plain_key, value_text, Create, FieldPath, NodeKind, PathPart, Step,
    WalkError,
};
use crate::emit::kyaml_string;
use crate::gosem::scalar::plain_scalar;
use crate::load::yaml::{parse_documents, Schema};
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::transform::select::compile_go_regex;
use compact_str::CompactString;

/// What one step reaches from a node, as kyaml's `PathGetter` reads it.
enum Reach<'p> {
    /// The node itself.
    Itself,
    /// The mapping field with this key, if it is there.
    Field(&'p str),
    /// The sequence element at this position.
    Element(usize),
    /// Nothing: the path ends here without a match.
    Nothing,
}

fn bad_match() -> WalkError {
    WalkError::new("list path element must contain fieldName=fieldValue for element to match")
}

/// The elements of a sequence step's node: none for `null`, an error for anything else.
fn elements(node: &Node) -> Result<&[Node], WalkError> {
    match node {
        Node::Seq(items) => Ok(items),
        n if n.is_null() => Ok(&[]),
        n => Err(WalkError::wrong_kind(NodeKind::Seq, n)),
    }
}

/// kyaml `PathGetter`'s reading of one step at `node`.
fn enter<'p>(node: &Node, step: &'p Step) -> Result<Reach<'p>, WalkError> {
    Ok(match step {
        Step::Itself => Reach::Itself,
        Step::Field(key) => match node {
            Node::Map(_) => Reach::Field(key),
            n if n.is_null() => Reach::Nothing,
            n => return Err(WalkError::wrong_kind(NodeKind::Map, n)),
        },
        Step::Index(i) => {
            if *i < elements(node)?.len() {
                Reach::Element(*i)
            } else {
                Reach::Nothing
            }
        }
        Step::Last => match elements(node)?.len() {
            0 => {
                return Err(WalkError::new(
                    "panic: runtime error: index out of range [-1]",
                ))
            }
            n => Reach::Element(n - 1),
        },
        Step::Negative(n) => {
            return Err(WalkError::new(format!(
                "array index {n} cannot be negative"
            )))
        }
        Step::Every => return Err(WalkError::new("wildcard is not supported in PathGetter")),
        Step::BadMatch => return Err(bad_match()),
        Step::Match { key, value } => {
            let items = elements(node)?;
            // The first element that matches exactly.
            let pos = if key.is_empty() {
                items.iter().position(|e| value_text(e) == value)
            } else {
                items.iter().position(|e| match e {
                    Node::Map(m) => m.get(key).is_some_and(|v| value_text(v) == value),
                    _ => false,
                })
            };
            pos.map_or(Reach::Nothing, Reach::Element)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// kustomize's field-spec filter.

/// Walks `path` from `node` as kustomize's field-spec filter does, calling `set` on every node
/// it reaches:
///
/// * a sequence met with path left is entered element by element with the *same* remaining
///   path, so `spec/containers/image` reaches the image of every container;
/// * on a mapping, each part is one `PathGetter` step; a field missing (or `null`) is created
///   as `create` says (intermediate fields as mappings), except a part written `name[]`, which
///   is never created but turns a `null` into an empty sequence;
/// * a `null` met with path left ends the walk; a scalar is an error.
///
/// Errors are not yet prefixed with the field and object (see [`visit_resource`]).
pub fn visit<F>(
    node: &mut Node,
    path: &FieldPath,
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    visit_from(node, path.parts(), create, set)
}

/// [`visit`] in the resource `root`, errors prefixed as kustomize's field-spec filter prefixes
/// them: `considering field '<path>' of object <id>: …`.
pub fn visit_resource<F>(
    root: &mut Node,
    path: &FieldPath,
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    match visit(root, path, create, set) {
        Ok(()) => Ok(()),
        Err(e) => Err(e.context(format_args!(
            "considering field '{}' of object {}",
            path.as_str(),
            object_id(root)
        ))),
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

fn visit_from<F>(
    node: &mut Node,
    parts: &[PathPart],
    create: Create,
    set: &mut F,
) -> Result<(), WalkError>
where
    F: FnMut(&mut Node) -> Result<(), WalkError>,
{
    let Some(first) = parts.first() else {
        return set(node);
    };
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => Ok(()),
        Node::Scalar(_) => Err(WalkError::new("expected sequence or mapping node")),
        Node::Seq(items) => {
            for item in items.iter_mut() {
                visit_from(item, parts, create, set).map_err(|e| {
                    e.context(format_args!("visit traversal on path: {}", go_list(parts)))
                })?;
            }
            Ok(())
        }
        Node::Map(_) => {
            if first.text.is_empty() {
                return Err(WalkError::new("cannot set or create an empty field name"));
            }
            let last = parts.len() == 1;
            // What the field becomes when it is created or found `null`. kustomize never creates
            // a field whose part says it is a sequence, but does turn a `null` one into `[]`.
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
            let reach = enter(node, &first.step)
                .map_err(|e| e.context(format_args!("fieldName: {}", first.text)))?;
            let (field, created) = match reach {
                Reach::Itself => (node, false),
                Reach::Field(key) => {
                    let Node::Map(map) = node else {
                        return Ok(());
                    };
                    let created = creating && !map.contains_key(key);
                    if created {
                        let value = match (last, create) {
                            (true, Create::Scalar { .. }) => NodeKind::Scalar.new_node(),
                            _ => new_map(),
                        };
                        map.push(plain_key(key), value);
                    }
                    match map.get_mut(key) {
                        Some(field) => (field, created),
                        None => return Ok(()),
                    }
                }
                // Element steps are errors on a mapping.
                Reach::Element(_) | Reach::Nothing => return Ok(()),
            };
            if let Node::Scalar(s) = &*field {
                if s.tag == Tag::Null && !created {
                    match turns_into {
                        Become::Nothing | Become::Scalar(None) => {}
                        Become::Seq => *field = Node::Seq(Vec::new()),
                        Become::Map => *field = new_map(),
                        // kyaml keeps the text and only retags the node.
                        Become::Scalar(Some(tag)) => {
                            *field = Node::Scalar(Scalar::tagged(s.text.clone(), tag))
                        }
                    }
                }
            }
            visit_from(field, &parts[1..], create, set)
        }
    }
}

/// Go's `%v` of the remaining parts: `[a b c]`.
fn go_list(parts: &[PathPart]) -> String {
    let mut s = String::from("[");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&part.text);
        if part.seq_hint {
            s.push_str("[]");
        }
    }
    s.push(']');
    s
}

// ---------------------------------------------------------------------------------------------
// kyaml's PathGetter.

/// One hop from a node to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hop {
    /// A mapping key.
    Key(CompactString),
    /// A sequence index.
    Index(usize),
}

/// Follows `parts` from `node` as kyaml's `PathGetter` does, creating nothing: the node reached
/// and the hops to it, or `None` when some part is missing.
#[allow(clippy::type_complexity)]
pub fn get<'n>(
    node: &'n Node,
    parts: &[PathPart],
) -> Result<Option<(Vec<Hop>, &'n Node)>, WalkError> {
    let mut cur = node;
    let mut hops = Vec::new();
    for part in parts {
        let next = match enter(cur, &part.step)? {
            Reach::Itself => continue,
            Reach::Field(key) => cur.get(key).map(|n| (Hop::Key(key.into()), n)),
            Reach::Element(i) => cur
                .as_seq()
                .and_then(|s| s.get(i))
                .map(|n| (Hop::Index(i), n)),
            Reach::Nothing => None,
        };
        match next {
            Some((hop, n)) => {
                hops.push(hop);
                cur = n;
            }
            None => return Ok(None),
        }
    }
    Ok(Some((hops, cur)))
}

/// Follows `hops` from `root`.
pub fn node_at<'a>(root: &'a Node, hops: &[Hop]) -> Option<&'a Node> {
    hops.iter().try_fold(root, |n, hop| match (n, hop) {
        (Node::Map(m), Hop::Key(k)) => m.get(k),
        (Node::Seq(v), Hop::Index(i)) => v.get(*i),
        _ => None,
    })
}

/// Follows `hops` from `root`, mutably.
pub fn node_at_mut<'a>(root: &'a mut Node, hops: &[Hop]) -> Option<&'a mut Node> {
    hops.iter().try_fold(root, |n, hop| match (n, hop) {
        (Node::Map(m), Hop::Key(k)) => m.get_mut(k),
        (Node::Seq(v), Hop::Index(i)) => v.get_mut(*i),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// kyaml's PathMatcher.

/// A node [`find`] matched.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A node of the document.
    Attached {
        /// How to reach it from the document's root.
        hops: Vec<Hop>,
        /// The match created it just now as an untagged scalar.
        untagged: bool,
    },
    /// A node of a copy kustomize discards (inside a string it parsed, or created under a null);
    /// setting it changes nothing, but it counts as found.
    Detached {
        /// The node.
        node: Node,
        /// Created untagged.
        untagged: bool,
    },
}

/// The result of parsing a string as YAML the way `yaml.Unmarshal` into a `yaml.Node` does.
#[derive(Clone, Debug, PartialEq)]
pub enum Embedded {
    /// No document at all (empty or comment-only text): a node of no kind.
    Zero,
    /// The first document's root.
    Doc(Node),
}

/// Parses a string's content as YAML.
pub fn parse_embedded(text: &str) -> Result<Embedded, String> {
    let docs = parse_documents(text.as_bytes(), Schema::Core).map_err(|e| e.to_string())?;
    Ok(match docs.into_iter().next() {
        Some(doc) => Embedded::Doc(doc),
        None => Embedded::Zero,
    })
}

/// Recursion kyaml would take without end (a created element its own pattern does not match)
/// crashes kustomize; this depth stands in for Go's stack.
const MAX_DEPTH: usize = 256;

fn stack_overflow() -> WalkError {
    WalkError::new("panic: runtime error: stack overflow")
}

/// kyaml's `getPathPartKind`: what to create for a part, given the part after it.
fn part_kind(next: Option<&PathPart>, create: NodeKind) -> NodeKind {
    match next {
        None => create,
        Some(p) if p.text.is_empty() => create,
        Some(p) if matches!(p.step, Step::Index(_) | Step::Match { .. } | Step::BadMatch) => {
            NodeKind::Seq
        }
        Some(_) => NodeKind::Map,
    }
}

/// The text kyaml compares in a sequence match: a scalar's value, or the YAML of anything else.
fn match_text(node: &Node) -> String {
    match node {
        Node::Scalar(s) => s.as_str().trim().to_owned(),
        other => kyaml_string(other).trim().to_owned(),
    }
}

/// kyaml's `PathMatcher` over one document.
struct Matcher<'p> {
    create: Option<NodeKind>,
    /// Hops to the untagged scalars created during this match.
    created: Vec<Vec<Hop>>,
    parts: &'p [PathPart],
    depth: usize,
}

/// Finds (and with `create`, makes: a last node of that kind) the nodes `parts` names in
/// `root`, as kyaml's `PathMatcher` does.
pub fn find(
    root: &mut Node,
    parts: &[PathPart],
    create: Option<NodeKind>,
) -> Result<Vec<Target>, WalkError> {
    let mut m = Matcher {
        create,
        created: Vec::new(),
        parts,
        depth: 0,
    };
    let mut out = Vec::new();
    m.filter(root, 0, &mut Vec::new(), &mut out)?;
    Ok(out)
}

/// [`find`] on an [`Embedded`] document.
pub fn find_embedded(
    doc: &mut Embedded,
    parts: &[PathPart],
    create: Option<NodeKind>,
) -> Result<Vec<Target>, WalkError> {
    match doc {
        Embedded::Doc(root) => find(root, parts, create),
        Embedded::Zero => {
            let step = parts.first().map(|p| &p.step);
            if let Some(Step::BadMatch) = step {
                return Err(bad_match());
            }
            let expected = match step {
                Some(Step::Index(_) | Step::Match { .. } | Step::BadMatch | Step::Every) => {
                    "SequenceNode"
                }
                _ => "MappingNode",
            };
            Err(WalkError::new(format!(
                "wrong node kind: expected {expected} but got "
            )))
        }
    }
}

/// Copies what a match found in `root`, a node kustomize throws away, as detached targets.
fn detach(root: &Node, targets: Vec<Target>, out: &mut Vec<Target>) {
    for t in targets {
        match t {
            Target::Attached { hops, untagged } => {
                if let Some(node) = node_at(root, &hops) {
                    out.push(Target::Detached {
                        node: node.clone(),
                        untagged,
                    });
                }
            }
            d => out.push(d),
        }
    }
}

impl Matcher<'_> {
    fn filter(
        &mut self,
        node: &mut Node,
        at: usize,
        hops: &mut Vec<Hop>,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(stack_overflow());
        }
        let parts = self.parts;
        let result = match parts.get(at).map(|p| &p.step) {
            None => {
                let untagged = self.created.iter().any(|c| c == hops);
                out.push(Target::Attached {
                    hops: hops.clone(),
                    untagged,
                });
                Ok(())
            }
            Some(Step::Index(i)) => self.index(node, *i, at, hops, out),
            Some(Step::Match { .. } | Step::BadMatch) => self.seq(node, at, hops, out),
            Some(Step::Every) => self.every(node, at, hops, out),
            // Anything else names a field, as written.
            Some(_) => self.field(node, at, hops, out),
        };
        self.depth -= 1;
        result
    }

    /// Matches the rest of the path in a node created under a `null`: found, but attached to
    /// nothing.
    fn under_null(
        &mut self,
        mut node: Node,
        at: usize,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        let mut sub = Matcher {
            create: self.create,
            created: Vec::new(),
            parts: &self.parts[at + 1..],
            depth: self.depth,
        };
        if at + 1 == self.parts.len() && self.create == Some(NodeKind::Scalar) {
            sub.created.push(Vec::new());
        }
        let mut found = Vec::new();
        sub.filter(&mut node, 0, &mut Vec::new(), &mut found)?;
        detach(&node, found, out);
        Ok(())
    }

    fn field(
        &mut self,
        node: &mut Node,
        at: usize,
        hops: &mut Vec<Hop>,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        let parts = self.parts;
        let name = &parts[at].text;
        let next = parts.get(at + 1);
        match node {
            Node::Map(m) => {
                let created = if m.contains_key(name) {
                    false
                } else {
                    let Some(create) = self.create else {
                        return Ok(());
                    };
                    m.insert(name.clone(), part_kind(next, create).new_node());
                    true
                };
                hops.push(Hop::Key(name.clone()));
                if created && next.is_none() && self.create == Some(NodeKind::Scalar) {
                    self.created.push(hops.clone());
                }
                let result = match m.get_mut(name) {
                    // A string with more path to go: kyaml reads on inside its content, in a
                    // copy.
                    Some(Node::Scalar(s)) if next.is_some() => {
                        let mut doc = parse_embedded(s.as_str()).map_err(WalkError::new)?;
                        let targets = find_embedded(&mut doc, &parts[at + 1..], self.create)?;
                        match &doc {
                            Embedded::Doc(root) => detach(root, targets, out),
                            Embedded::Zero => {}
                        }
                        Ok(())
                    }
                    Some(field) => self.filter(field, at + 1, hops, out),
                    None => Ok(()),
                };
                hops.pop();
                result
            }
            n if n.is_null() => match self.create {
                Some(create) => self.under_null(part_kind(next, create).new_node(), at, out),
                None => Ok(()),
            },
            n => Err(WalkError::wrong_kind(NodeKind::Map, n)),
        }
    }

    fn index(
        &mut self,
        node: &mut Node,
        idx: usize,
        at: usize,
        hops: &mut Vec<Hop>,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        let next = self.parts.get(at + 1);
        match node {
            Node::Seq(items) => {
                let mut created = false;
                if items.len() == idx {
                    if let Some(create) = self.create {
                        items.push(part_kind(next, create).new_node());
                        created = true;
                    }
                }
                if items.len() < idx + 1 {
                    return Err(WalkError::new(format!(
                        "index {idx} specified but only {} elements found",
                        items.len()
                    )));
                }
                hops.push(Hop::Index(idx));
                if created && next.is_none() && self.create == Some(NodeKind::Scalar) {
                    self.created.push(hops.clone());
                }
                let result = self.filter(&mut items[idx], at + 1, hops, out);
                hops.pop();
                result
            }
            n if n.is_null() => match self.create {
                Some(create) if idx == 0 => {
                    self.under_null(part_kind(next, create).new_node(), at, out)
                }
                _ => Err(WalkError::new(format!(
                    "index {idx} specified but only 0 elements found"
                ))),
            },
            n => Err(WalkError::wrong_kind(NodeKind::Seq, n)),
        }
    }

    fn every(
        &mut self,
        node: &mut Node,
        at: usize,
        hops: &mut Vec<Hop>,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        match node {
            Node::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    hops.push(Hop::Index(i));
                    let r = self.filter(item, at + 1, hops, out);
                    hops.pop();
                    r?;
                }
                Ok(())
            }
            n if n.is_null() => Ok(()),
            n => Err(WalkError::wrong_kind(NodeKind::Seq, n)),
        }
    }

    fn seq(
        &mut self,
        node: &mut Node,
        at: usize,
        hops: &mut Vec<Hop>,
        out: &mut Vec<Target>,
    ) -> Result<(), WalkError> {
        let parts = self.parts;
        let Step::Match {
            key: field,
            value: pattern,
        } = &parts[at].step
        else {
            return Err(bad_match());
        };
        let primitive = field.is_empty();
        let before = out.len();
        match &mut *node {
            Node::Seq(items) => {
                let mut re = None;
                for (i, item) in items.iter_mut().enumerate() {
                    let re = match &re {
                        Some(re) => re,
                        None => re.insert(compile_go_regex(pattern).map_err(WalkError::new)?),
                    };
                    if primitive {
                        if re.is_match(&match_text(item)) {
                            hops.push(Hop::Index(i));
                            out.push(Target::Attached {
                                hops: hops.clone(),
                                untagged: self.created.iter().any(|c| c == hops),
                            });
                            hops.pop();
                        }
                        continue;
                    }
                    let matched = match &*item {
                        Node::Map(m) => m.get(field).is_some_and(|v| re.is_match(&match_text(v))),
                        _ => false,
                    };
                    if matched {
                        hops.push(Hop::Index(i));
                        let r = self.filter(item, at + 1, hops, out);
                        hops.pop();
                        r?;
                    }
                }
            }
            n if n.is_null() => {}
            n => return Err(WalkError::wrong_kind(NodeKind::Seq, n)),
        }
        if out.len() > before || self.create.is_none() {
            return Ok(());
        }
        let Node::Seq(items) = node else {
            // Appending to a null sequence is lost, so the search never ends in kyaml.
            return Err(stack_overflow());
        };
        let value = Node::Scalar(plain_scalar(pattern));
        let mut created = hops.clone();
        created.push(Hop::Index(items.len()));
        if primitive {
            items.push(value);
        } else {
            let mut m = Mapping::new();
            m.insert(field.clone(), value);
            items.push(Node::Map(m));
            created.push(Hop::Key(field.clone()));
        }
        self.created.push(created);
        // Search again; this time the new element is there.
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(stack_overflow());
        }
        let r = self.seq(node, at, hops, out);
        self.depth -= 1;
        r
    }
}
