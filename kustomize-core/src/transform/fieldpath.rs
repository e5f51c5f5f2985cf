//! kyaml's field paths, as replacements use them: `spec.template.spec.containers.[name=app].image`.
//!
//! A path is split at `.` (a `\.` is a literal dot; `[a.b]` keeps its dots, and loses its
//! brackets unless it holds `=`). Sources are read with kyaml's `PathGetter`: `[name=value]`
//! picks the first sequence element whose `name` is exactly `value`, numbers index, `-` is the
//! last element. Targets are found with kyaml's `PathMatcher`: `[name=value]` matches *every*
//! element whose `name` contains a match of the regular expression `value` (unanchored), `*`
//! matches every element, numbers index; missing parts are created on request. A path that
//! runs into a string holding YAML or JSON continues inside it (kustomize v5.8).

use crate::gosem::json::write_string;
use crate::gosem::num::atoi;
use crate::gosem::scalar::{plain_scalar, resolve_plain};
use crate::load::yaml::{parse_documents, Schema};
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::transform::select::compile_go_regex;

/// Splits a field path as kustomize's `SmarterPathSplitter(path, ".")` does.
///
/// ```
/// use kustomize_core::transform::fieldpath::split_path;
/// assert_eq!(
///     split_path("spec.containers.[name=a.b].image"),
///     ["spec", "containers", "[name=a.b]", "image"]
/// );
/// assert_eq!(split_path("metadata.annotations.[a.b/c]"), ["metadata", "annotations", "a.b/c"]);
/// assert_eq!(split_path(r"data.a\.b"), ["data", "a.b"]);
/// ```
pub fn split_path(path: &str) -> Vec<String> {
    let mut ps: Vec<&str> = path.split('.').collect();
    if ps.len() > 1 && ps[0].is_empty() {
        ps.remove(0);
    }
    let mut split: Vec<String> = vec![ps[0].to_owned()];
    for p in &ps[1..] {
        let last = split.len() - 1;
        if let Some(stripped) = split[last].strip_suffix('\\') {
            split[last] = format!("{stripped}.{p}");
        } else {
            split.push((*p).to_owned());
        }
    }
    let mut out = Vec::with_capacity(split.len());
    let mut i = 0;
    while i < split.len() {
        let elem = &split[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            let mut bracketed = vec![elem.as_str()];
            while i < split.len() - 1 {
                i += 1;
                bracketed.push(&split[i]);
                if split[i].ends_with(']') {
                    break;
                }
            }
            let joined = bracketed.join(".");
            if joined.contains('=') {
                out.push(joined);
            } else {
                out.push(joined.trim_matches(['[', ']']).to_owned());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

/// kyaml's name for a node's kind.
fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Map(_) => "MappingNode",
        Node::Seq(_) => "SequenceNode",
        Node::Scalar(_) => "ScalarNode",
    }
}

/// kyaml's `InvalidNodeKindError` message.
fn wrong_kind(expected: &str, node: &Node) -> String {
    format!(
        "wrong node kind: expected {expected} but got {}: node contents:\n{}",
        kind_name(node),
        dump(node)
    )
}

fn is_null(node: &Node) -> bool {
    matches!(node, Node::Scalar(s) if s.tag == Tag::Null)
}

/// `strconv.Atoi(p) == nil && p >= 0`.
fn is_idx_number(p: &str) -> bool {
    atoi(p).is_some_and(|i| i >= 0)
}

fn is_list_index(p: &str) -> bool {
    p.starts_with('[') && p.ends_with(']')
}

/// `[name=value]` to (`name`, `value`).
fn split_index_name_value(p: &str) -> Result<(String, String), String> {
    let elem = p.strip_suffix(']').unwrap_or(p);
    let elem = elem.strip_prefix('[').unwrap_or(elem);
    match elem.split_once('=') {
        Some((k, v)) => Ok((k.to_owned(), v.to_owned())),
        None => Err(
            "list path element must contain fieldName=fieldValue for element to match".to_owned(),
        ),
    }
}

/// The text kyaml compares in a sequence match: a scalar's value, or the YAML of anything else.
fn match_text(node: &Node) -> String {
    match node {
        Node::Scalar(s) => s.as_str().trim().to_owned(),
        other => dump(other).trim().to_owned(),
    }
}

/// A scalar's value as kyaml's `yaml.Node.Value` holds it (`""` for mappings and sequences).
pub(crate) fn value_text(node: &Node) -> &str {
    match node {
        Node::Scalar(s) => s.as_str(),
        _ => "",
    }
}

/// Reads a path with kyaml's `PathGetter` (no creation): `Ok(None)` when some part is missing.
pub fn lookup<'a>(node: &'a Node, parts: &[String]) -> Result<Option<&'a Node>, String> {
    Ok(lookup_steps(node, parts)?.and_then(|steps| node_at(node, &steps)))
}

/// Like [`lookup`], but says how to reach the node.
pub fn lookup_steps(node: &Node, parts: &[String]) -> Result<Option<Vec<Step>>, String> {
    let mut cur = node;
    let mut steps = Vec::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        fn elements(n: &Node) -> Result<&[Node], String> {
            match n {
                Node::Seq(items) => Ok(items),
                n if is_null(n) => Ok(&[]),
                n => Err(wrong_kind("SequenceNode", n)),
            }
        }
        let next: Option<(Step, &Node)> = if let Some(idx) = atoi(part) {
            if idx < 0 {
                return Err(format!("array index {idx} cannot be negative"));
            }
            let idx = idx as usize;
            elements(cur)?.get(idx).map(|n| (Step::Index(idx), n))
        } else if part == "-" {
            let items = elements(cur)?;
            match items.last() {
                Some(last) => Some((Step::Index(items.len() - 1), last)),
                None => {
                    return Err("panic: runtime error: index out of range [-1]".to_owned());
                }
            }
        } else if part == "*" {
            return Err("wildcard is not supported in PathGetter".to_owned());
        } else if is_list_index(part) {
            let (name, value) = split_index_name_value(part)?;
            let items = elements(cur)?;
            let pos = if name.is_empty() {
                items.iter().position(|e| value_text(e) == value)
            } else {
                items.iter().position(|e| match e {
                    Node::Map(m) => m.get(&name).is_some_and(|v| value_text(v) == value),
                    _ => false,
                })
            };
            pos.map(|i| (Step::Index(i), &items[i]))
        } else {
            match cur {
                Node::Map(m) => m.get(part).map(|n| (Step::Key(part.to_owned()), n)),
                n if is_null(n) => None,
                n => return Err(wrong_kind("MappingNode", n)),
            }
        };
        match next {
            Some((step, n)) => {
                steps.push(step);
                cur = n;
            }
            None => return Ok(None),
        }
    }
    Ok(Some(steps))
}

/// The kind of node a replacement creates at the end of a path (that of the value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A scalar, created without a tag (it takes the type its text reads as).
    Scalar,
    /// A mapping.
    Map,
    /// A sequence.
    Seq,
}

impl Kind {
    /// The kind of `node`.
    pub fn of(node: &Node) -> Kind {
        match node {
            Node::Map(_) => Kind::Map,
            Node::Seq(_) => Kind::Seq,
            Node::Scalar(_) => Kind::Scalar,
        }
    }

    fn new_node(self) -> Node {
        match self {
            Kind::Map => Node::map(),
            Kind::Seq => Node::Seq(Vec::new()),
            // An empty untagged scalar reads as null until it is given a value.
            Kind::Scalar => Node::Scalar(Scalar::tagged("", Tag::Null)),
        }
    }
}

/// kyaml's `getPathPartKind`: what to create for a part, given the part after it.
fn part_kind(next: Option<&String>, create: Kind) -> Kind {
    match next {
        None => create,
        Some(n) if n.is_empty() => create,
        Some(n) if is_list_index(n) || is_idx_number(n) => Kind::Seq,
        Some(_) => Kind::Map,
    }
}

/// One step from a node to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A node a path matched.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A node of the document.
    Attached {
        /// How to reach it from the document's root.
        path: Vec<Step>,
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

/// Follows `path` from `root`, mutably.
pub fn node_at_mut<'a>(root: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    path.iter().try_fold(root, |n, step| match (n, step) {
        (Node::Map(m), Step::Key(k)) => m.get_mut(k),
        (Node::Seq(v), Step::Index(i)) => v.get_mut(*i),
        _ => None,
    })
}

/// Follows `path` from `root`.
pub fn node_at<'a>(root: &'a Node, path: &[Step]) -> Option<&'a Node> {
    path.iter().try_fold(root, |n, step| match (n, step) {
        (Node::Map(m), Step::Key(k)) => m.get(k),
        (Node::Seq(v), Step::Index(i)) => v.get(*i),
        _ => None,
    })
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

/// kyaml's `PathMatcher` over one document.
struct Matcher<'p> {
    create: Option<Kind>,
    /// Paths of the untagged scalars created during this match.
    created: Vec<Vec<Step>>,
    parts: &'p [String],
    depth: usize,
}

/// Finds (and with `create`, makes) the nodes `parts` names in `root`, as kyaml's `PathMatcher`
/// does.
pub fn match_path(
    root: &mut Node,
    parts: &[String],
    create: Option<Kind>,
) -> Result<Vec<Target>, String> {
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

/// [`match_path`] on an [`Embedded`] document.
pub fn match_embedded(
    doc: &mut Embedded,
    parts: &[String],
    create: Option<Kind>,
) -> Result<Vec<Target>, String> {
    match doc {
        Embedded::Doc(root) => match_path(root, parts, create),
        Embedded::Zero => {
            let first = parts.first().map(String::as_str).unwrap_or("");
            if !is_idx_number(first) && is_list_index(first) {
                split_index_name_value(first)?;
            }
            let expected = if is_idx_number(first) || is_list_index(first) || first == "*" {
                "SequenceNode"
            } else {
                "MappingNode"
            };
            Err(format!("wrong node kind: expected {expected} but got "))
        }
    }
}

/// Runs a matcher on a copy that will be thrown away and reports its targets as detached.
fn detached(
    mut doc: Embedded,
    parts: &[String],
    create: Option<Kind>,
    out: &mut Vec<Target>,
) -> Result<(), String> {
    let targets = match_embedded(&mut doc, parts, create)?;
    let Embedded::Doc(root) = &doc else {
        return Ok(());
    };
    for t in targets {
        match t {
            Target::Attached { path, untagged } => {
                if let Some(node) = node_at(root, &path) {
                    out.push(Target::Detached {
                        node: node.clone(),
                        untagged,
                    });
                }
            }
            d => out.push(d),
        }
    }
    Ok(())
}

impl Matcher<'_> {
    fn filter(
        &mut self,
        node: &mut Node,
        at: usize,
        path: &mut Vec<Step>,
        out: &mut Vec<Target>,
    ) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("panic: runtime error: stack overflow".to_owned());
        }
        let result = match self.parts.get(at) {
            None => {
                let untagged = self.created.iter().any(|c| c == path);
                out.push(Target::Attached {
                    path: path.clone(),
                    untagged,
                });
                Ok(())
            }
            Some(p) if is_idx_number(p) => self.index(node, at, path, out),
            Some(p) if is_list_index(p) => self.seq(node, at, path, out),
            Some(p) if p == "*" => self.every(node, at, path, out),
            Some(_) => self.field(node, at, path, out),
        };
        self.depth -= 1;
        result
    }

    fn field(
        &mut self,
        node: &mut Node,
        at: usize,
        path: &mut Vec<Step>,
        out: &mut Vec<Target>,
    ) -> Result<(), String> {
        let name = &self.parts[at];
        let next = self.parts.get(at + 1);
        match node {
            Node::Map(m) => {
                let created = if m.contains_key(name) {
                    false
                } else {
                    let Some(create) = self.create else {
                        return Ok(());
                    };
                    m.insert(name.as_str(), part_kind(next, create).new_node());
                    true
                };
                path.push(Step::Key(name.clone()));
                if created && next.is_none() && self.create == Some(Kind::Scalar) {
                    self.created.push(path.clone());
                }
                let result = match m.get_mut(name) {
                    // A string with more path to go: kyaml reads on inside its content, in a
                    // copy.
                    Some(Node::Scalar(s)) if next.is_some() => {
                        let doc = parse_embedded(s.as_str())?;
                        detached(doc, &self.parts[at + 1..], self.create, out)
                    }
                    Some(field) => self.filter(field, at + 1, path, out),
                    None => Ok(()),
                };
                path.pop();
                result
            }
            n if is_null(n) => {
                // Fields created under a null are attached to nothing.
                let Some(create) = self.create else {
                    return Ok(());
                };
                let mut field = part_kind(next, create).new_node();
                let mut sub = Matcher {
                    create: self.create,
                    created: Vec::new(),
                    parts: &self.parts[at + 1..],
                    depth: self.depth,
                };
                let mut found = Vec::new();
                if next.is_none() && create == Kind::Scalar {
                    sub.created.push(Vec::new());
                }
                sub.filter(&mut field, 0, &mut Vec::new(), &mut found)?;
                for t in found {
                    if let Target::Attached { path: p, untagged } = t {
                        if let Some(node) = node_at(&field, &p) {
                            out.push(Target::Detached {
                                node: node.clone(),
                                untagged,
                            });
                        }
                    } else {
                        out.push(t);
                    }
                }
                Ok(())
            }
            n => Err(wrong_kind("MappingNode", n)),
        }
    }

    fn index(
        &mut self,
        node: &mut Node,
        at: usize,
        path: &mut Vec<Step>,
        out: &mut Vec<Target>,
    ) -> Result<(), String> {
        let idx = atoi(&self.parts[at]).unwrap_or(0) as usize;
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
                    return Err(format!(
                        "index {idx} specified but only {} elements found",
                        items.len()
                    ));
                }
                path.push(Step::Index(idx));
                if created && next.is_none() && self.create == Some(Kind::Scalar) {
                    self.created.push(path.clone());
                }
                let result = self.filter(&mut items[idx], at + 1, path, out);
                path.pop();
                result
            }
            n if is_null(n) => match self.create {
                Some(create) if idx == 0 => {
                    let elem = part_kind(next, create).new_node();
                    let mut sub = Matcher {
                        create: self.create,
                        created: Vec::new(),
                        parts: &self.parts[at + 1..],
                        depth: self.depth,
                    };
                    if next.is_none() && create == Kind::Scalar {
                        sub.created.push(Vec::new());
                    }
                    let mut elem = elem;
                    let mut found = Vec::new();
                    sub.filter(&mut elem, 0, &mut Vec::new(), &mut found)?;
                    for t in found {
                        if let Target::Attached { path: p, untagged } = t {
                            if let Some(node) = node_at(&elem, &p) {
                                out.push(Target::Detached {
                                    node: node.clone(),
                                    untagged,
                                });
                            }
                        } else {
                            out.push(t);
                        }
                    }
                    Ok(())
                }
                _ => Err(format!("index {idx} specified but only 0 elements found")),
            },
            n => Err(wrong_kind("SequenceNode", n)),
        }
    }

    fn every(
        &mut self,
        node: &mut Node,
        at: usize,
        path: &mut Vec<Step>,
        out: &mut Vec<Target>,
    ) -> Result<(), String> {
        match node {
            Node::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    path.push(Step::Index(i));
                    let r = self.filter(item, at + 1, path, out);
                    path.pop();
                    r?;
                }
                Ok(())
            }
            n if is_null(n) => Ok(()),
            n => Err(wrong_kind("SequenceNode", n)),
        }
    }

    fn seq(
        &mut self,
        node: &mut Node,
        at: usize,
        path: &mut Vec<Step>,
        out: &mut Vec<Target>,
    ) -> Result<(), String> {
        let (field, pattern) = split_index_name_value(&self.parts[at])?;
        let primitive = field.is_empty();
        let before = out.len();
        match &mut *node {
            Node::Seq(items) => {
                let mut re = None;
                for (i, item) in items.iter_mut().enumerate() {
                    let re = match &re {
                        Some(re) => re,
                        None => re.insert(compile_go_regex(&pattern)?),
                    };
                    if primitive {
                        if re.is_match(&match_text(item)) {
                            path.push(Step::Index(i));
                            out.push(Target::Attached {
                                path: path.clone(),
                                untagged: self.created.iter().any(|c| c == path),
                            });
                            path.pop();
                        }
                        continue;
                    }
                    let matched = match &*item {
                        Node::Map(m) => m.get(&field).is_some_and(|v| re.is_match(&match_text(v))),
                        _ => false,
                    };
                    if matched {
                        path.push(Step::Index(i));
                        let r = self.filter(item, at + 1, path, out);
                        path.pop();
                        r?;
                    }
                }
            }
            n if is_null(n) => {}
            n => return Err(wrong_kind("SequenceNode", n)),
        }
        let node = &mut *node;
        if out.len() > before {
            return Ok(());
        }
        let Some(_) = self.create else {
            return Ok(());
        };
        let Node::Seq(items) = node else {
            // Appending to a null sequence is lost, so the search never ends in kyaml.
            return Err("panic: runtime error: stack overflow".to_owned());
        };
        let value = Node::Scalar(plain_scalar(&pattern));
        let i = items.len();
        if primitive {
            items.push(value);
            let mut p = path.clone();
            p.push(Step::Index(i));
            self.created.push(p);
        } else {
            let mut m = Mapping::new();
            m.insert(field.as_str(), value);
            items.push(Node::Map(m));
            let mut p = path.clone();
            p.push(Step::Index(i));
            p.push(Step::Key(field.clone()));
            self.created.push(p);
        }
        // Search again; this time the new element is there.
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("panic: runtime error: stack overflow".to_owned());
        }
        let r = self.seq(node, at, path, out);
        self.depth -= 1;
        r
    }
}

// ---------------------------------------------------------------------------------------------
// A small YAML writer in go-yaml v3's block style (kyaml's `String()`), for kustomize messages
// that show a node and for structured data written back into a string.

fn plain_ok(s: &Scalar) -> bool {
    let t = s.as_str();
    if t.is_empty() {
        return s.tag == Tag::Null;
    }
    if resolve_plain(t) != s.tag {
        return false;
    }
    let b = t.as_bytes();
    let first = b[0];
    if b" \t".contains(&b[b.len() - 1]) || first == b' ' {
        return false;
    }
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first) {
        let lone_indicator = matches!(first, b'-' | b'?' | b':')
            && b.get(1).is_some_and(|c| *c != b' ' && *c != b'\t');
        if !lone_indicator {
            return false;
        }
    }
    !(t.contains(": ")
        || t.contains(" #")
        || t.ends_with(':')
        || t.chars().any(|c| c.is_control() || c == '\u{feff}'))
}

fn write_scalar(out: &mut String, s: &Scalar, indent: usize) {
    let t = s.as_str();
    if plain_ok(s) {
        out.push_str(t);
        return;
    }
    if s.tag == Tag::Str && t.contains('\n') && !t.chars().any(|c| c.is_control() && c != '\n') {
        let chomp = if t.ends_with('\n') { "" } else { "-" };
        out.push('|');
        out.push_str(chomp);
        for line in t.strip_suffix('\n').unwrap_or(t).split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&" ".repeat(indent));
                out.push_str(line);
            }
        }
        return;
    }
    if !t.chars().any(|c| c.is_control()) && !t.contains('\'') && s.tag == Tag::Str {
        out.push('\'');
        out.push_str(t);
        out.push('\'');
        return;
    }
    out.push_str(&gojson_quote(t));
}

fn gojson_quote(t: &str) -> String {
    let mut q = String::new();
    write_string(&mut q, t);
    q
}

fn write_block(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Scalar(s) => {
            write_scalar(out, s, indent);
            out.push('\n');
        }
        Node::Map(m) if m.is_empty() => out.push_str("{}\n"),
        Node::Seq(v) if v.is_empty() => out.push_str("[]\n"),
        Node::Map(m) => {
            for (n, (k, v)) in m.iter().enumerate() {
                if n > 0 {
                    out.push_str(&" ".repeat(indent));
                }
                write_scalar(out, k, indent);
                out.push(':');
                match v {
                    Node::Map(c) if !c.is_empty() => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent + 2));
                        write_block(out, v, indent + 2);
                    }
                    Node::Seq(c) if !c.is_empty() => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent));
                        write_block(out, v, indent);
                    }
                    _ => {
                        out.push(' ');
                        write_block(out, v, indent + 2);
                    }
                }
            }
        }
        Node::Seq(items) => {
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str("- ");
                write_block(out, item, indent + 2);
            }
        }
    }
}

/// A node written as YAML in block style, ending with a newline.
pub fn dump(node: &Node) -> String {
    let mut out = String::new();
    write_block(&mut out, node, 0);
    out
}

#[cfg(test)]
mod tests;
