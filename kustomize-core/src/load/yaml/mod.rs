//! The YAML reader: bytes of a YAML or JSON file to [`Node`] documents, read exactly as
//! kustomize reads them.
//!
//! kustomize reads YAML along two paths, and [`Schema`] picks one:
//!
//! - [`Schema::Core`], resources and patches: kyaml's `ByteReader` turns CR LF into LF, cuts the
//!   file at every line starting with `---` (anything but a comment after it is an error), and
//!   has go-yaml v3 decode the *first* document of each piece; a second document inside a piece
//!   (after `...`) is ignored, though go-yaml's look-ahead may still trip on it. Aliases are then
//!   expanded and merge keys applied (kyaml's `DeAnchor`), and scalars mean what go-yaml v3's
//!   resolver and final decode make of them.
//! - [`Schema::Yaml11`], kustomization files and other configuration: sigs.k8s.io/yaml hands the
//!   whole file to go-yaml v2, which decodes its first document into Go values (YAML 1.1
//!   booleans, later duplicate keys replacing earlier ones, merge keys in document order).
//!
//! The scanner and parser follow go-yaml's algorithm (itself a port of libyaml), so a file is
//! accepted or rejected, and an error placed on a line, as kustomize does it.

mod compose;
mod fast;
mod input;
mod parser;
pub mod resolve;
mod scanner;

use crate::node::Node;
use compose::{Composer, Deferred, Phase};
use parser::Parser;
use scanner::{Flavor, Scanner};
use std::borrow::Cow;
use std::fmt;

/// Which YAML reading path (and resolver) applies.
///
/// Scalars keep their text; the [`crate::Tag`] says what the schema's resolver made of it, and
/// [`resolve`] turns tagged text into values the way Go does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// go-yaml v3's rules, which kustomize (kyaml) applies to resources and patches. Only
    /// `true`/`false` (three spellings) are booleans; `012` is octal, `0o17`, `0x1F`, `0b11`
    /// and `1_000` are integers; timestamps are [`crate::Tag::Timestamp`]; explicit tags are
    /// resolved (`!!str 12` is a string, `!!int "12"` an integer, custom tags strings,
    /// `!!binary` text stays base64 under [`crate::Tag::Binary`]).
    Core,
    /// go-yaml v2's YAML 1.1 rules, which kustomize (through sigs.k8s.io/yaml) applies to
    /// kustomization files and other configuration it decodes into Go structs: `yes`, `on`,
    /// `y` (and their opposites) are booleans too; timestamps and scalars tagged `!` stay
    /// strings, as they do when go-yaml v2 decodes into `interface{}`.
    Yaml11,
}

/// Where in kustomize's reading a [`YamlError`] arises; it decides how kustomize reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// go-yaml could not parse the text (kustomize: `MalformedYAMLError: yaml: ...`).
    Syntax,
    /// kyaml's own reading steps rejected the file: a bad `---` separator line, a bad merge
    /// key. The message is kyaml's, without a `yaml:` prefix.
    Document,
    /// go-yaml's decode of the parsed document into Go values fails: duplicate keys, keys
    /// that are not scalars, values contradicting their explicit tags. For resources kustomize
    /// meets these only when it prints the result.
    Decode,
}

/// A YAML error, worded and positioned as go-yaml (or kyaml) words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// The line go-yaml names, when it names one. For syntax errors this is go-yaml's figure,
    /// which for parser errors is often the line before the problem. For decode errors it is
    /// the line of the offending node, which go-yaml's message leaves out.
    pub line: Option<usize>,
    /// go-yaml's description (`did not find expected key`, …).
    pub message: String,
    /// Which step of reading raised it.
    pub kind: YamlErrorKind,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, self.line) {
            (YamlErrorKind::Document, _) => f.write_str(&self.message),
            // go-yaml's decode errors name no line (the `line` field still does).
            (YamlErrorKind::Decode, _) | (_, None) => write!(f, "yaml: {}", self.message),
            (_, Some(line)) => write!(f, "yaml: line {line}: {}", self.message),
        }
    }
}

impl std::error::Error for YamlError {}

pub(crate) use YamlErrorKind as ErrorKind;

/// Reads a file as kustomize reads it with `schema`.
///
/// With [`Schema::Core`] the result holds one node per piece of the file between `---` lines,
/// in order; a piece with no document (empty, only comments) or whose document is null gives
/// [`Node::null()`], and an empty file gives no nodes. kustomize skips the null ones; it rejects
/// a piece whose document is another scalar or a sequence (`missing Resource metadata`).
///
/// With [`Schema::Yaml11`] the result holds exactly one node: the file's first document, or
/// null when it has none. Later documents are not read at all.
pub fn parse_documents(src: &[u8], schema: Schema) -> Result<Vec<Node>, YamlError> {
    match schema {
        Schema::Core => read_resources(src, true),
        Schema::Yaml11 => read_config(src),
    }
}

/// Like [`parse_documents`] with [`Schema::Core`], without go-yaml's decode checks (duplicate
/// keys, values that contradict their tags): kustomize meets those only when it prints a
/// resource, so a patch, which is never printed, may break them. Duplicate keys stay in the
/// mappings (lookups find the first, as kustomize's do).
pub fn parse_documents_unchecked(src: &[u8]) -> Result<Vec<Node>, YamlError> {
    read_resources(src, false)
}

/// What each reader made of one piece of a file (see [`compare_readers`]).
#[doc(hidden)]
#[derive(Debug)]
pub struct PieceReading {
    /// The piece's length in bytes.
    pub len: usize,
    /// The fast path's answer, if it gave one.
    pub fast: Option<Node>,
    /// The exact reader's document, or its error (decode checks included).
    pub exact: Result<Node, YamlError>,
}

/// Reads `src` as [`parse_documents`] would, each piece with both the fast path and the exact
/// reader, for differential tests and fuzzing: wherever `fast` is given it must equal `exact`.
/// A file whose `---` lines kyaml rejects gives no pieces.
#[doc(hidden)]
pub fn compare_readers(src: &[u8], schema: Schema) -> Vec<PieceReading> {
    let read = |piece: &[u8]| {
        let input = input::decode(piece);
        let fast = match input.reader_error {
            None => fast::parse(&input.text, schema, &mut fast::Scratch::default()),
            Some(_) => None,
        };
        let exact = exact_document(&input, schema, 0).and_then(|c| {
            let Some(c) = c else {
                return Ok(Node::null());
            };
            for phase in [Phase::Read, Phase::Decode] {
                if let Some(e) = first_failure(&c.deferred, phase) {
                    return Err(e);
                }
            }
            Ok(c.node)
        });
        PieceReading {
            len: piece.len(),
            fast,
            exact,
        }
    };
    match schema {
        Schema::Core => {
            let text = normalize_crlf(src);
            match split_documents(&text) {
                Ok(pieces) => pieces.into_iter().map(read).collect(),
                Err(_) => Vec::new(),
            }
        }
        Schema::Yaml11 => vec![read(src)],
    }
}

/// The exact reader on one go-yaml input: its first document, if any.
fn exact_document(
    input: &input::Text<'_>,
    schema: Schema,
    expanded: usize,
) -> Result<Option<compose::Composed>, YamlError> {
    let flavor = match schema {
        Schema::Core => Flavor::V3,
        Schema::Yaml11 => Flavor::V2,
    };
    let scanner = Scanner::new(&input.text, flavor, input.reader_error);
    let mut parser = Parser::new(scanner);
    Composer::new(&mut parser, schema, flavor)
        .with_expanded(expanded)
        .first_document()
}

/// kyaml's `ByteReader.Read` followed by `DeAnchor`, with go-yaml v3's decode checks if `check`.
fn read_resources(src: &[u8], check: bool) -> Result<Vec<Node>, YamlError> {
    let text = normalize_crlf(src);
    let pieces = split_documents(&text)?;
    let mut docs = Vec::with_capacity(pieces.len());
    let mut deferred: Vec<Vec<Deferred>> = Vec::new();
    let mut scratch = fast::Scratch::default();
    // One alias budget for the whole file: every piece is kept until all are read. The fast
    // path takes no aliases, so only exact readings spend it.
    let mut expanded = 0;
    for piece in pieces {
        let input = input::decode(piece);
        if input.reader_error.is_none() {
            if let Some(node) = fast::parse(&input.text, Schema::Core, &mut scratch) {
                docs.push(node);
                continue;
            }
        }
        match exact_document(&input, Schema::Core, expanded)? {
            None => docs.push(Node::null()),
            Some(c) => {
                expanded = c.expanded;
                if !c.deferred.is_empty() {
                    deferred.push(c.deferred);
                }
                docs.push(c.node);
            }
        }
    }
    // kyaml expands aliases and merges only after every piece parsed; go-yaml's decode checks
    // come later still, when kustomize prints.
    let phases: &[Phase] = if check {
        &[Phase::Read, Phase::Decode]
    } else {
        &[Phase::Read]
    };
    for &phase in phases {
        for doc in &deferred {
            if let Some(e) = first_failure(doc, phase) {
                return Err(e);
            }
        }
    }
    Ok(docs)
}

/// sigs.k8s.io/yaml's `YAMLToJSON`: go-yaml v2 decodes the first document.
fn read_config(src: &[u8]) -> Result<Vec<Node>, YamlError> {
    let input = input::decode(src);
    if input.reader_error.is_none() {
        if let Some(node) = fast::parse(&input.text, Schema::Yaml11, &mut fast::Scratch::default())
        {
            return Ok(vec![node]);
        }
    }
    match exact_document(&input, Schema::Yaml11, 0)? {
        None => Ok(vec![Node::null()]),
        Some(c) => match first_failure(&c.deferred, Phase::Read) {
            Some(e) => Err(e),
            None => Ok(vec![c.node]),
        },
    }
}

/// The error go-yaml reports for one document's collected problems of one phase: the first
/// fatal one it meets, or else all the collected ones together.
fn first_failure(deferred: &[Deferred], phase: Phase) -> Option<YamlError> {
    let in_phase = deferred.iter().filter(|d| d.phase == phase);
    if let Some(d) = in_phase.clone().filter(|d| d.fatal).min_by_key(|d| d.order) {
        return Some(d.error.clone());
    }
    let mut collected: Vec<&Deferred> = in_phase.filter(|d| !d.fatal).collect();
    if collected.is_empty() {
        return None;
    }
    collected.sort_by_key(|d| d.order);
    let mut message = String::from("unmarshal errors:");
    for d in collected {
        message.push_str("\n  ");
        message.push_str(&d.error.message);
    }
    Some(YamlError {
        line: None,
        message,
        kind: YamlErrorKind::Decode,
    })
}

/// kyaml replaces every CR LF with LF before anything else.
fn normalize_crlf(src: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\r', src).is_none() {
        return Cow::Borrowed(src);
    }
    let mut out = Vec::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = memchr::memchr(b'\r', rest) {
        out.extend_from_slice(&rest[..i]);
        if rest.get(i + 1) == Some(&b'\n') {
            out.push(b'\n');
            rest = &rest[i + 2..];
        } else {
            out.push(b'\r');
            rest = &rest[i + 1..];
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// kyaml's `splitDocuments`: cuts at every match of `\n---.*\n` (matches do not overlap), each
/// piece but the last keeping its final line break. Text after `---` other than blanks and a
/// comment is an error.
fn split_documents(s: &[u8]) -> Result<Vec<&[u8]>, YamlError> {
    let mut docs = Vec::new();
    if s.is_empty() {
        return Ok(docs);
    }
    let mut prev = 0;
    let mut from = 0;
    while let Some(rel) = memchr::memmem::find(&s[from..], b"\n---") {
        let start = from + rel;
        let Some(nl) = memchr::memchr(b'\n', &s[start + 4..]) else {
            break;
        };
        let end = start + 4 + nl + 1;
        let rest = String::from_utf8_lossy(&s[start + 4..end]);
        let rest = rest.trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            let sep = String::from_utf8_lossy(&s[start..end]);
            return Err(YamlError {
                line: None,
                message: format!("invalid document separator: {}", sep.trim()),
                kind: YamlErrorKind::Document,
            });
        }
        docs.push(&s[prev..start + 1]);
        prev = end;
        from = end;
    }
    docs.push(&s[prev..]);
    Ok(docs)
}

#[cfg(test)]
mod tests;
