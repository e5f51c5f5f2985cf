//! The composer: parser events to a [`Node`] tree, with the semantics of what reads the tree in
//! kustomize — kyaml's alias expansion and merge keys plus go-yaml v3's final decode for
//! [`Schema::Core`]; go-yaml v2's decode into Go values for [`Schema::Yaml11`].
//!
//! Errors that kustomize only meets after parsing (merge keys, duplicate or non-scalar keys,
//! values contradicting their tags) do not stop composing: they are collected, ordered as
//! kustomize would meet them, and reported once the document is read.

use super::parser::{Event, Parser, Props};
use super::resolve::{self, Number, Resolved};
use super::scanner::{is_alpha, Flavor, Mark, RawError, ScalarStyle};
use super::{ErrorKind, Schema, YamlError};
use crate::node::{Mapping, Node, Scalar, Tag};
use compact_str::CompactString;
use std::collections::{HashMap, HashSet};

/// Copying beyond this many nodes for anchors and aliases in one file is refused. kyaml expands
/// aliases without limit (and so does kustomize, until memory runs out); this bounds a "billion
/// laughs" bomb, also one repeated in every document of a file, and nested anchors (each of
/// which the reader copies whole), while leaving room for any realistic use: a million nodes
/// make a document of some 20 MB once printed. go-yaml v2's ratio rule is a further limit on
/// alias expansion in [`Schema::Yaml11`] files.
pub(crate) const ALIAS_BUDGET: usize = 1_000_000;

/// Deepest nesting of collections a document may have, aliases expanded. kustomize cannot go
/// deeper either: `encoding/json` refuses to decode more than 10000 levels (kustomization and
/// configuration files), and printing a resource re-reads its JSON with go-yaml, whose flow
/// nesting stops at 10000. Refusing here also bounds the recursion of every later stage.
pub(crate) const MAX_DEPTH: usize = 10_000;

/// When a collected error is met, relative to others of the same document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    /// kyaml's reading steps after parsing (alias expansion, merge keys).
    Read = 1,
    /// go-yaml's decode of the finished document into Go values.
    Decode = 2,
}

/// An error met after parsing, with its place in kustomize's order of work.
#[derive(Clone, Debug)]
pub(crate) struct Deferred {
    pub phase: Phase,
    /// Pre-order position of the node that raised it.
    pub order: usize,
    /// Whether go-yaml aborts on it (`failf`) or collects it (`unmarshal errors`).
    pub fatal: bool,
    pub error: YamlError,
}

/// A composed document and what kustomize would still complain about.
pub(crate) struct Composed {
    pub node: Node,
    pub deferred: Vec<Deferred>,
    /// Nodes copied for anchors and aliases, this document's and earlier ones' (see
    /// [`Composer::with_expanded`]).
    pub expanded: usize,
}

#[derive(Clone)]
enum Anchor {
    /// The anchored node is still being read (an alias to it would contain itself).
    Open,
    /// The anchored node, its size in go-yaml v2's decode walk, its node count and its height
    /// (levels of collections, 0 for a scalar).
    Done(Node, usize, usize, usize),
}

struct KeyInfo {
    scalar: Scalar,
    line: usize,
    merge: bool,
    /// The key cannot be kept (not a scalar); its value is dropped.
    invalid: bool,
}

struct MergeValue {
    node: Node,
    from_alias: bool,
    /// For a sequence value: which elements were aliases.
    elem_aliases: Vec<bool>,
    /// Number of explicit entries before it (v2 applies merges in document order).
    at: usize,
}

enum Frame {
    Seq {
        /// Where this sequence's items start on the composer's item stack.
        items_start: usize,
        anchor: Option<CompactString>,
        order: usize,
        line: usize,
        count_start: usize,
        /// Alias flags of the items, kept when the sequence is a merge value.
        aliases: Option<Vec<bool>>,
    },
    Map {
        /// Where this mapping's entries (and their key lines) start on the composer's stacks.
        entries_start: usize,
        key: Option<KeyInfo>,
        merges: Vec<MergeValue>,
        anchor: Option<CompactString>,
        order: usize,
        line: usize,
        count_start: usize,
    },
}

pub(crate) struct Composer<'p, 'a> {
    parser: &'p mut Parser<'a>,
    schema: Schema,
    flavor: Flavor,
    anchors: HashMap<CompactString, Anchor>,
    stack: Vec<Frame>,
    /// Items of the open sequences, entries (and key lines) of the open mappings: shared so
    /// that each finished collection is one exact-size allocation.
    items: Vec<Node>,
    entries: Vec<(Scalar, Node)>,
    lines: Vec<usize>,
    deferred: Vec<Deferred>,
    order: usize,
    /// go-yaml v2's decode counters (`decodeCount`, `aliasCount`).
    decode_count: usize,
    alias_count: usize,
    alias_ratio_failed: bool,
    /// Set once an alias limit is hit: later aliases expand to null.
    aliases_stopped: bool,
    /// Nodes copied for anchors and by alias expansion so far, in this file.
    expanded: usize,
    /// Names that some alias in the text may use (every name after a `*`), found when the
    /// first anchor is met: anchors no alias names are not kept, which spares copying them.
    alias_names: Option<HashSet<CompactString>>,
}

fn raw_to_yaml(e: RawError, flavor: Flavor) -> YamlError {
    YamlError {
        line: e.line(flavor),
        message: e.problem.into_owned(),
        kind: ErrorKind::Syntax,
    }
}

/// What is known about a node when it is added to its parent.
struct Attach {
    node: Node,
    from_alias: bool,
    merge_key: bool,
    line: usize,
    order: usize,
    /// For a sequence that was a merge value: which items were aliases.
    elem_aliases: Vec<bool>,
}

impl<'p, 'a> Composer<'p, 'a> {
    pub fn new(parser: &'p mut Parser<'a>, schema: Schema, flavor: Flavor) -> Self {
        Composer {
            parser,
            schema,
            flavor,
            anchors: HashMap::new(),
            stack: Vec::with_capacity(32),
            items: Vec::with_capacity(256),
            entries: Vec::with_capacity(256),
            lines: Vec::with_capacity(256),
            deferred: Vec::new(),
            order: 0,
            decode_count: 0,
            alias_count: 0,
            alias_ratio_failed: false,
            aliases_stopped: false,
            expanded: 0,
            alias_names: None,
        }
    }

    /// Counts `used` nodes already copied for anchors and aliases by earlier documents of the
    /// same file against [`ALIAS_BUDGET`].
    pub fn with_expanded(mut self, used: usize) -> Self {
        self.expanded = used;
        self
    }

    fn next(&mut self) -> Result<Event, YamlError> {
        self.parser
            .next_event()
            .map_err(|e| raw_to_yaml(*e, self.flavor))
    }

    /// Reads the stream's first document, as go-yaml's `Decoder.Decode` (v3) and `Unmarshal`
    /// (v2) do: `None` when the stream holds no document. The parser is left after the
    /// document's end, having looked ahead as go-yaml does.
    pub fn first_document(mut self) -> Result<Option<Composed>, YamlError> {
        match self.next()? {
            Event::StreamStart => {}
            _ => return Err(internal()),
        }
        match self.next()? {
            Event::StreamEnd => return Ok(None),
            Event::DocumentStart => {}
            _ => return Err(internal()),
        }
        // The document node itself counts in v2's decode.
        self.decode_count += 1;
        let node = self.compose_root()?;
        match self.next()? {
            Event::DocumentEnd => {}
            _ => return Err(internal()),
        }
        Ok(Some(Composed {
            node,
            deferred: self.deferred,
            expanded: self.expanded,
        }))
    }

    fn next_order(&mut self) -> usize {
        self.order += 1;
        self.order
    }

    /// The phase of go-yaml's decode errors: kustomize meets v3's when printing, after kyaml's
    /// reading steps; v2's decode is the only step after parsing.
    fn decode_phase(&self) -> Phase {
        match self.schema {
            Schema::Core => Phase::Decode,
            Schema::Yaml11 => Phase::Read,
        }
    }

    fn defer(
        &mut self,
        phase: Phase,
        order: usize,
        fatal: bool,
        message: String,
        line: Option<usize>,
    ) {
        let kind = match phase {
            Phase::Read if self.schema == Schema::Core => ErrorKind::Document,
            _ => ErrorKind::Decode,
        };
        self.defer_kind(phase, order, fatal, message, line, kind);
    }

    fn defer_kind(
        &mut self,
        phase: Phase,
        order: usize,
        fatal: bool,
        message: String,
        line: Option<usize>,
        kind: ErrorKind,
    ) {
        self.deferred.push(Deferred {
            phase,
            order,
            fatal,
            error: YamlError {
                line,
                message,
                kind,
            },
        });
    }

    /// Counts nodes of v2's decode walk and applies go-yaml's alias ratio limit.
    #[inline]
    fn count_decode(&mut self, n: usize, aliased: usize, order: usize) {
        if self.schema == Schema::Yaml11 && !self.alias_ratio_failed {
            self.count_decode_v2(n, aliased, order);
        }
    }

    fn count_decode_v2(&mut self, n: usize, aliased: usize, order: usize) {
        self.decode_count += n;
        self.alias_count += aliased;
        if ratio_exceeded(self.alias_count, self.decode_count) {
            self.alias_ratio_failed = true;
            self.aliases_stopped = true;
            self.defer(
                Phase::Read,
                order,
                true,
                "document contains excessive aliasing".into(),
                None,
            );
        }
    }

    fn compose_root(&mut self) -> Result<Node, YamlError> {
        loop {
            let event = self.next()?;
            let done = match event {
                Event::Scalar {
                    props,
                    value,
                    style,
                    mark,
                } => {
                    let order = self.next_order();
                    self.count_decode(1, 0, order);
                    let root = self.stack.is_empty();
                    let (scalar, merge_key) =
                        self.make_scalar(&props, value, style, mark, order, root);
                    let node = Node::Scalar(scalar);
                    if let Some(a) = props.and_then(|p| p.anchor) {
                        if self.keeps_anchor(&a) {
                            self.anchors.insert(a, Anchor::Done(node.clone(), 1, 1, 0));
                        }
                    }
                    self.attach(Attach {
                        node,
                        from_alias: false,
                        merge_key,
                        line: mark.line + 1,
                        order,
                        elem_aliases: Vec::new(),
                    })
                }
                Event::Alias { name, mark } => {
                    let order = self.next_order();
                    let node = self.expand_alias(&name, order, mark.line + 1)?;
                    self.attach(Attach {
                        node,
                        from_alias: true,
                        merge_key: false,
                        line: mark.line + 1,
                        order,
                        elem_aliases: Vec::new(),
                    })
                }
                Event::SequenceStart { props, mark } => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(too_deep(Some(mark.line + 1)));
                    }
                    let order = self.next_order();
                    self.count_decode(1, 0, order);
                    let tracks = matches!(
                        self.stack.last(),
                        Some(Frame::Map { key: Some(k), .. }) if k.merge
                    );
                    let anchor = props
                        .and_then(|p| p.anchor)
                        .filter(|a| self.keeps_anchor(a));
                    if let Some(a) = &anchor {
                        // go-yaml names the node when it starts: an anchor inside it with the
                        // same name replaces it for later aliases.
                        self.anchors.insert(a.clone(), Anchor::Open);
                    }
                    self.stack.push(Frame::Seq {
                        items_start: self.items.len(),
                        anchor,
                        order,
                        line: mark.line + 1,
                        count_start: self.decode_count,
                        aliases: tracks.then(Vec::new),
                    });
                    None
                }
                Event::MappingStart { props, mark } => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(too_deep(Some(mark.line + 1)));
                    }
                    let order = self.next_order();
                    self.count_decode(1, 0, order);
                    let anchor = props
                        .and_then(|p| p.anchor)
                        .filter(|a| self.keeps_anchor(a));
                    if let Some(a) = &anchor {
                        // go-yaml names the node when it starts: an anchor inside it with the
                        // same name replaces it for later aliases.
                        self.anchors.insert(a.clone(), Anchor::Open);
                    }
                    self.stack.push(Frame::Map {
                        entries_start: self.entries.len(),
                        key: None,
                        merges: Vec::new(),
                        anchor,
                        order,
                        line: mark.line + 1,
                        count_start: self.decode_count,
                    });
                    None
                }
                Event::SequenceEnd => {
                    let Some(Frame::Seq {
                        items_start,
                        anchor,
                        order,
                        line,
                        count_start,
                        aliases,
                    }) = self.stack.pop()
                    else {
                        return Err(internal());
                    };
                    let node = Node::Seq(self.items.split_off(items_start));
                    self.anchor_done(anchor, &node, count_start);
                    self.attach(Attach {
                        node,
                        from_alias: false,
                        merge_key: false,
                        line,
                        order,
                        elem_aliases: aliases.unwrap_or_default(),
                    })
                }
                Event::MappingEnd => {
                    let Some(Frame::Map {
                        entries_start,
                        merges,
                        anchor,
                        order,
                        line,
                        count_start,
                        ..
                    }) = self.stack.pop()
                    else {
                        return Err(internal());
                    };
                    let entries = self.entries.split_off(entries_start);
                    let node = self.finish_mapping(entries, entries_start, merges, order);
                    self.lines.truncate(entries_start);
                    self.anchor_done(anchor, &node, count_start);
                    self.attach(Attach {
                        node,
                        from_alias: false,
                        merge_key: false,
                        line,
                        order,
                        elem_aliases: Vec::new(),
                    })
                }
                _ => return Err(internal()),
            };
            if let Some(root) = done {
                return Ok(root);
            }
        }
    }

    /// Whether an anchor named `name` must be kept: some alias may name it.
    fn keeps_anchor(&mut self, name: &str) -> bool {
        let parser = &self.parser;
        self.alias_names
            .get_or_insert_with(|| alias_names(parser.source()))
            .contains(name)
    }

    fn anchor_done(&mut self, anchor: Option<CompactString>, node: &Node, count_start: usize) {
        let Some(a) = anchor else {
            return;
        };
        // Still open means no anchor inside redefined the name (those finished first).
        if !matches!(self.anchors.get(&a), Some(Anchor::Open)) {
            return;
        }
        let size = self.decode_count.saturating_sub(count_start) + 1;
        if self.aliases_stopped {
            // Aliases expand to null from now on: no copy needed.
            self.anchors
                .insert(a, Anchor::Done(Node::null(), size, 1, 0));
            return;
        }
        // Nested anchors are each copied whole, so the copies count against the budget.
        let (count, height) = node_count_and_height(node);
        if self.expanded + count > ALIAS_BUDGET {
            self.stop_aliases(self.order);
            self.anchors
                .insert(a, Anchor::Done(Node::null(), size, 1, 0));
            return;
        }
        self.expanded += count;
        self.anchors
            .insert(a, Anchor::Done(node.clone(), size, count, height));
    }

    /// Refuses any further alias expansion: go-yaml's (or the budget's) "excessive aliasing",
    /// reported once the document is read (a later syntax error comes first).
    fn stop_aliases(&mut self, order: usize) {
        self.aliases_stopped = true;
        self.defer_kind(
            Phase::Read,
            order,
            true,
            "document contains excessive aliasing".into(),
            None,
            ErrorKind::Decode,
        );
    }

    fn expand_alias(&mut self, name: &str, order: usize, line: usize) -> Result<Node, YamlError> {
        match self.anchors.get(name) {
            None => Err(YamlError {
                line: None,
                message: format!("unknown anchor '{name}' referenced"),
                kind: ErrorKind::Syntax,
            }),
            Some(Anchor::Open) => {
                let message = format!("anchor '{name}' value contains itself");
                if self.schema == Schema::Core {
                    // kyaml recurses forever on this (kustomize dies of stack exhaustion).
                    return Err(YamlError {
                        line: None,
                        message,
                        kind: ErrorKind::Decode,
                    });
                }
                self.defer(Phase::Read, order, true, message, None);
                Ok(Node::null())
            }
            Some(Anchor::Done(node, size, count, height)) => {
                if self.aliases_stopped {
                    return Ok(Node::null());
                }
                if self.levels_above_alias() + height > MAX_DEPTH {
                    return Err(too_deep(Some(line)));
                }
                let (size, count) = (*size, *count);
                let refused = match self.schema {
                    Schema::Core => self.expanded + count > ALIAS_BUDGET,
                    // The ratio only grows while an alias is walked, so checking where the walk
                    // ends tells whether go-yaml fails somewhere inside it.
                    Schema::Yaml11 => {
                        ratio_exceeded(self.alias_count + size, self.decode_count + 1 + size)
                    }
                };
                if refused {
                    // No further expansion, so a bomb costs nothing more.
                    self.stop_aliases(order);
                    return Ok(Node::null());
                }
                let node = node.clone();
                self.expanded += count;
                // The alias node, then its target walked again under the alias.
                self.count_decode(1 + size, size, order);
                Ok(node)
            }
        }
    }

    /// How many collections will hold an alias's node once the document is read: those open
    /// around it, less the ones a merge key dissolves (a merged mapping's entries join the
    /// mapping holding `<<`, also from a list of mappings to merge).
    fn levels_above_alias(&self) -> usize {
        let open = self.stack.len();
        match self.stack.last() {
            Some(Frame::Map { key: Some(k), .. }) if k.merge => open - 1,
            Some(Frame::Seq {
                aliases: Some(_), ..
            }) => open.saturating_sub(2),
            _ => open,
        }
    }

    /// A scalar's tag as the consumer of `schema` sees it, and whether it is a merge key.
    fn make_scalar(
        &mut self,
        props: &Props,
        value: CompactString,
        style: ScalarStyle,
        mark: Mark,
        order: usize,
        root: bool,
    ) -> (Scalar, bool) {
        let plain = style == ScalarStyle::Plain;
        let short = props.as_ref().and_then(|p| p.tag.as_deref()).map(short_tag);
        let line = Some(mark.line + 1);
        let phase = self.decode_phase();
        let (tag, merge) = match self.schema {
            Schema::Core => match short.as_deref() {
                None | Some("!") => {
                    if !plain {
                        (Tag::Str, false)
                    } else if value.len() == 2 && value == "<<" {
                        (Tag::Str, true)
                    } else {
                        (resolve::resolve_plain(&value, Schema::Core), false)
                    }
                }
                Some(t) => {
                    if root && t == "!!null" {
                        // kyaml skips a document whose root is tagged null before decoding it.
                        return (Scalar::null(), false);
                    }
                    match resolve::resolve_tagged(t, &value, Schema::Core) {
                        Ok(Resolved::Tag(tag)) => (tag, false),
                        Ok(Resolved::Merge) => (Tag::Str, true),
                        Err(message) => {
                            self.defer(phase, order, true, message, line);
                            // The node keeps its explicit tag: kustomize only fails when it
                            // prints it (the printer checks), and a patch never is printed.
                            (explicit_tag(t).unwrap_or(Tag::Str), false)
                        }
                    }
                }
            },
            Schema::Yaml11 => {
                let (tag, merge) = match short.as_deref() {
                    None if plain => (
                        resolve::resolve_plain(&value, Schema::Yaml11),
                        value == "<<",
                    ),
                    None => (Tag::Str, false),
                    // v2 leaves the non-specific tag unresolved: a string, though still a
                    // merge key when plain.
                    Some("!") => (Tag::Str, plain && value == "<<"),
                    Some(t) => match resolve::resolve_tagged(t, &value, Schema::Yaml11) {
                        Ok(Resolved::Tag(tag)) => (tag, false),
                        Ok(Resolved::Merge) => (Tag::Str, value == "<<"),
                        Err(message) => {
                            self.defer(phase, order, true, message, line);
                            (Tag::Str, false)
                        }
                    },
                };
                // Decoding into interface{} gives timestamps as their text.
                let tag = if tag == Tag::Timestamp { Tag::Str } else { tag };
                (tag, merge)
            }
        };
        (Scalar { text: value, tag }, merge)
    }

    /// Adds a finished node to its parent; returns it when it is the document's root.
    fn attach(&mut self, a: Attach) -> Option<Node> {
        let schema = self.schema;
        let mut complaint: Option<String> = None;
        {
            let Some(top) = self.stack.last_mut() else {
                return Some(a.node);
            };
            match top {
                Frame::Seq { aliases, .. } => {
                    self.items.push(a.node);
                    if let Some(flags) = aliases {
                        flags.push(a.from_alias);
                    }
                }
                Frame::Map {
                    entries_start,
                    key,
                    merges,
                    ..
                } => match key.take() {
                    None => {
                        *key = Some(match a.node {
                            Node::Scalar(scalar) => KeyInfo {
                                scalar,
                                line: a.line,
                                merge: a.merge_key && !a.from_alias,
                                invalid: false,
                            },
                            other => {
                                complaint =
                                    Some(format!("invalid map key: {}", go_value(&other, schema)));
                                KeyInfo {
                                    scalar: Scalar::null(),
                                    line: a.line,
                                    merge: false,
                                    invalid: true,
                                }
                            }
                        });
                    }
                    Some(k) if k.invalid => {}
                    Some(k) if k.merge => merges.push(MergeValue {
                        node: a.node,
                        from_alias: a.from_alias,
                        elem_aliases: a.elem_aliases,
                        at: self.entries.len() - *entries_start,
                    }),
                    Some(k) => {
                        self.entries.push((k.scalar, a.node));
                        self.lines.push(k.line);
                    }
                },
            }
        }
        if let Some(message) = complaint {
            let phase = self.decode_phase();
            self.defer(phase, a.order, true, message, Some(a.line));
        }
        None
    }

    fn finish_mapping(
        &mut self,
        entries: Vec<(Scalar, Node)>,
        lines_start: usize,
        merges: Vec<MergeValue>,
        order: usize,
    ) -> Node {
        match self.schema {
            Schema::Core => self.finish_core_mapping(entries, lines_start, merges, order),
            Schema::Yaml11 => self.finish_v2_mapping(entries, merges, order),
        }
    }

    /// kyaml's merge keys (explicit keys win, then earlier merge sources), then go-yaml v3's
    /// duplicate key check.
    fn finish_core_mapping(
        &mut self,
        mut entries: Vec<(Scalar, Node)>,
        lines_start: usize,
        mut merges: Vec<MergeValue>,
        order: usize,
    ) -> Node {
        let line = |c: &Self, i: usize| c.lines.get(lines_start + i).copied().unwrap_or(0);
        for (i, (k, _)) in entries.iter().enumerate() {
            if k.tag == Tag::Null && !k.text.is_empty() {
                // kustomize cannot print a mapping keyed by a spelled-out null (`~`, `null`): its
                // re-encode makes the key collide with itself. An empty key prints as "".
                let mut key = String::new();
                go_quote(&k.text, &mut key);
                let l = line(self, i);
                let message = format!("line {l}: mapping key {key} already defined at line {l}");
                self.defer(Phase::Decode, order, false, message, Some(l));
            }
        }
        for (first, dup) in duplicate_pairs(&entries) {
            let mut key = String::new();
            go_quote(&entries[dup].0.text, &mut key);
            let (l_dup, l_first) = (line(self, dup), line(self, first));
            let message =
                format!("line {l_dup}: mapping key {key} already defined at line {l_first}");
            self.defer(Phase::Decode, order, false, message, Some(l_dup));
        }
        if merges.is_empty() {
            return Node::Map(Mapping::from_entries(entries));
        }
        if merges.len() > 1 {
            self.defer(Phase::Read, order, true, "duplicate merge key".into(), None);
            return Node::Map(Mapping::from_entries(entries));
        }
        let merge = merges.remove(0);
        let sources = match kyaml_merge_sources(merge) {
            Ok(s) => s,
            Err(message) => {
                self.defer(Phase::Read, order, true, message.into(), None);
                return Node::Map(Mapping::from_entries(entries));
            }
        };
        let explicit = entries.len();
        let mut index: HashMap<CompactString, usize> = HashMap::with_capacity(explicit);
        for (i, (k, _)) in entries.iter().enumerate() {
            index.entry(k.text.clone()).or_insert(i);
        }
        for source in sources {
            for (k, v) in source {
                match index.get(&k.text) {
                    Some(&i) if i < explicit => {}
                    Some(&i) => entries[i].1 = v,
                    None => {
                        index.insert(k.text.clone(), entries.len());
                        entries.push((k, v));
                    }
                }
            }
        }
        Node::Map(Mapping::from_entries(entries))
    }

    /// go-yaml v2's decode into a Go map: entries and merges applied in document order, a
    /// later key replacing an equal earlier one (keys compare as Go values).
    fn finish_v2_mapping(
        &mut self,
        entries: Vec<(Scalar, Node)>,
        merges: Vec<MergeValue>,
        order: usize,
    ) -> Node {
        let mut out = GoMap::default();
        let mut entries = entries.into_iter();
        let mut done = 0;
        for merge in merges {
            for e in entries.by_ref().take(merge.at - done) {
                out.set(e, self.schema);
            }
            done = merge.at;
            if let Err(message) = v2_merge(merge, &mut out, self.schema) {
                self.defer(Phase::Read, order, true, message.into(), None);
            }
        }
        for e in entries {
            out.set(e, self.schema);
        }
        Node::Map(Mapping::from_entries(out.entries))
    }
}

const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";

/// kyaml's `findMergeValues`: the mappings to merge, in the order kyaml applies them (the last
/// applied wins, so a sequence's first element comes last).
fn kyaml_merge_sources(merge: MergeValue) -> Result<Vec<Mapping>, &'static str> {
    const ALIAS_NON_MAP: &str = "invalid map merge: received alias for a non-map value";
    match merge.node {
        Node::Map(m) => Ok(vec![m]),
        _ if merge.from_alias => Err(ALIAS_NON_MAP),
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let aliased = merge.elem_aliases.get(i).copied().unwrap_or(false);
                match item {
                    Node::Map(m) => out.push(m),
                    Node::Seq(_) if !aliased => {
                        return Err("invalid map merge: received a nested sequence")
                    }
                    _ if aliased => return Err(ALIAS_NON_MAP),
                    _ => return Err(WANT_MAP),
                }
            }
            out.reverse();
            Ok(out)
        }
        Node::Scalar(_) => Err(WANT_MAP),
    }
}

/// go-yaml v2's `merge`: a mapping, or a sequence of mappings applied last to first.
fn v2_merge(merge: MergeValue, out: &mut GoMap, schema: Schema) -> Result<(), &'static str> {
    match merge.node {
        Node::Map(m) => {
            for e in m {
                out.set(e, schema);
            }
            Ok(())
        }
        Node::Seq(items) if !merge.from_alias => {
            if items.iter().any(|i| !matches!(i, Node::Map(_))) {
                return Err(WANT_MAP);
            }
            for item in items.into_iter().rev() {
                if let Node::Map(m) = item {
                    for e in m {
                        out.set(e, schema);
                    }
                }
            }
            Ok(())
        }
        _ => Err(WANT_MAP),
    }
}

/// Pairs of entries whose keys have the same text, as go-yaml v3 reports them: for each key,
/// every later key equal to it.
fn duplicate_pairs(entries: &[(Scalar, Node)]) -> Vec<(usize, usize)> {
    let n = entries.len();
    let mut pairs = Vec::new();
    if n <= 16 {
        for i in 0..n {
            for j in i + 1..n {
                if entries[i].0.text == entries[j].0.text {
                    pairs.push((i, j));
                }
            }
        }
        return pairs;
    }
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::with_capacity(n);
    let mut any = false;
    for (i, (k, _)) in entries.iter().enumerate() {
        let v = seen.entry(k.text.as_str()).or_default();
        any |= !v.is_empty();
        v.push(i);
    }
    if any {
        for group in seen.values().filter(|g| g.len() > 1) {
            for (a, &i) in group.iter().enumerate() {
                for &j in &group[a + 1..] {
                    pairs.push((i, j));
                }
            }
        }
        pairs.sort_unstable();
    }
    pairs
}

/// A key as a Go map compares it after go-yaml v2 decoded it into `interface{}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum GoKey {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(CompactString),
    /// NaN never equals anything, itself included.
    Unique,
}

fn go_key(k: &Scalar, schema: Schema) -> GoKey {
    match k.tag {
        Tag::Null => GoKey::Nil,
        Tag::Bool => GoKey::Bool(resolve::parse_bool(&k.text, schema).unwrap_or(false)),
        Tag::Int => match resolve::parse_int(&k.text) {
            Some(Number::Int(i)) => GoKey::Int(i),
            Some(Number::Uint(u)) => GoKey::Uint(u),
            _ => GoKey::Str(k.text.clone()),
        },
        Tag::Float => match resolve::parse_float(&k.text) {
            Some(f) if f.is_nan() => GoKey::Unique,
            // -0 and 0 are the same key.
            Some(f) => GoKey::Float((f + 0.0).to_bits()),
            None => GoKey::Str(k.text.clone()),
        },
        Tag::Binary => match resolve::decode_base64(&k.text) {
            Some(bytes) => GoKey::Str(CompactString::from(String::from_utf8_lossy(&bytes))),
            None => GoKey::Str(k.text.clone()),
        },
        Tag::Str | Tag::Timestamp => GoKey::Str(k.text.clone()),
    }
}

/// An insertion-ordered map with Go map semantics on its keys.
#[derive(Default)]
struct GoMap {
    entries: Vec<(Scalar, Node)>,
    index: HashMap<GoKey, usize>,
}

impl GoMap {
    fn set(&mut self, (k, v): (Scalar, Node), schema: Schema) {
        let key = go_key(&k, schema);
        if key == GoKey::Unique {
            self.entries.push((k, v));
            return;
        }
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = v,
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push((k, v));
            }
        }
    }
}

fn internal() -> YamlError {
    YamlError {
        line: None,
        message: "internal error: unexpected event".into(),
        kind: ErrorKind::Syntax,
    }
}

/// `tag:yaml.org,2002:int` to `!!int`.
fn short_tag(tag: &str) -> CompactString {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => {
            let mut s = CompactString::const_new("!!");
            s.push_str(rest);
            s
        }
        None => CompactString::from(tag),
    }
}

/// go-yaml's alias check: too large a share of the decoded nodes came from aliases.
fn ratio_exceeded(alias_count: usize, decode_count: usize) -> bool {
    alias_count > 100
        && decode_count > 1000
        && (alias_count as f64 / decode_count as f64) > allowed_alias_ratio(decode_count)
}

/// go-yaml's allowance for alias-expanded nodes as a share of all decoded nodes.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// Every name written after a `*` in `src`: a superset of the names its aliases use (a `*`
/// inside a scalar or comment adds a name that is never looked up, which costs nothing).
fn alias_names(src: &[u8]) -> HashSet<CompactString> {
    let mut names = HashSet::new();
    for at in memchr::memchr_iter(b'*', src) {
        let rest = &src[at + 1..];
        let len = rest.iter().take_while(|&&c| is_alpha(c)).count();
        if len > 0 {
            names.insert(CompactString::from_utf8_lossy(&rest[..len]));
        }
    }
    names
}

/// The nesting is deeper than kustomize can read or print.
fn too_deep(line: Option<usize>) -> YamlError {
    YamlError {
        line,
        message: format!("exceeded max depth of {MAX_DEPTH}"),
        kind: ErrorKind::Syntax,
    }
}

/// Nodes in `node` (keys included) and its height in collections, counted without recursion.
fn node_count_and_height(node: &Node) -> (usize, usize) {
    let mut count = 0;
    let mut height = 0;
    let mut stack = vec![(node, 0)];
    while let Some((n, depth)) = stack.pop() {
        count += 1;
        match n {
            Node::Scalar(_) => height = height.max(depth),
            Node::Seq(items) => {
                height = height.max(depth + 1);
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Node::Map(m) => {
                height = height.max(depth + 1);
                count += m.len();
                stack.extend(m.iter().map(|(_, v)| (v, depth + 1)));
            }
        }
    }
    (count, height)
}

/// Go's `%#v` of a decoded value, as go-yaml's "invalid map key" message prints it.
fn go_value(node: &Node, schema: Schema) -> String {
    let mut out = String::new();
    write_go_value(node, schema, &mut out);
    out
}

fn write_go_value(node: &Node, schema: Schema, out: &mut String) {
    match node {
        Node::Scalar(s) => write_go_scalar(s, schema, out),
        Node::Seq(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_go_value(item, schema, out);
            }
            out.push('}');
        }
        Node::Map(m) => {
            let string_keys = m.iter().all(|(k, _)| k.tag == Tag::Str);
            if schema == Schema::Core && string_keys {
                out.push_str("map[string]interface {}{");
            } else {
                out.push_str("map[interface {}]interface {}{");
            }
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.text.cmp(&b.0.text));
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_go_scalar(k, schema, out);
                out.push(':');
                write_go_value(v, schema, out);
            }
            out.push('}');
        }
    }
}

fn write_go_scalar(s: &Scalar, schema: Schema, out: &mut String) {
    use std::fmt::Write;
    match s.tag {
        Tag::Null => out.push_str("interface {}(nil)"),
        Tag::Bool => out.push_str(match resolve::parse_bool(&s.text, schema) {
            Some(true) => "true",
            _ => "false",
        }),
        Tag::Int => match resolve::parse_int(&s.text) {
            Some(Number::Int(i)) => {
                let _ = write!(out, "{i}");
            }
            Some(Number::Uint(u)) => {
                let _ = write!(out, "0x{u:x}");
            }
            _ => out.push_str(&s.text),
        },
        Tag::Float => match resolve::parse_float(&s.text) {
            Some(f) => {
                let _ = write!(out, "{f}");
            }
            None => out.push_str(&s.text),
        },
        Tag::Str | Tag::Timestamp | Tag::Binary => go_quote(&s.text, out),
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0C' => out.push_str("\\f"),
            '\x0B' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7F => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

/// An approximation of Go's `unicode.IsPrint` for the characters YAML text can hold.
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7F..0xA0).contains(&u)
        || u == 0xAD
        || (0x2028..=0x2029).contains(&u)
        || (0xFFF9..=0xFFFB).contains(&u)
        || u == 0xFEFF
        || (0xE000..=0xF8FF).contains(&u))
}

/// Our tag for an explicit YAML core tag.
fn explicit_tag(short: &str) -> Option<Tag> {
    Some(match short {
        "!!bool" => Tag::Bool,
        "!!int" => Tag::Int,
        "!!float" => Tag::Float,
        "!!timestamp" => Tag::Timestamp,
        "!!binary" => Tag::Binary,
        "!!null" => Tag::Null,
        "!!str" => Tag::Str,
        _ => return None,
    })
}
