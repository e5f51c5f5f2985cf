//! The printer: resources to the exact bytes `kustomize build` prints.
//!
//! kustomize v5.8 prints a resource by a round trip: kyaml encodes it with go-yaml v3 and decodes
//! that into Go values, `encoding/json` marshals those, and `sigs.k8s.io/yaml` reads the JSON back
//! with go-yaml v2 and marshals it as YAML. This module produces the result of that trip directly
//! from a [`Node`], without the intermediate texts:
//!
//! * [`crate::gosem`]: the Go value each (text, tag) decodes to, which strings v2 must quote,
//!   and Go's number and timestamp formats;
//! * [`order`]: v2's key order;
//! * [`writer`]: v2's emitter (styles, escapes, folding at 80 columns, indentation).
//!
//! Failures are kustomize's too: `.inf`/`.nan`, explicit tags that do not fit their text, bad
//! `!!binary`, float or bool keys in nested mappings, duplicate keys, and characters go-yaml v2
//! refuses to read back (DEL, C1 controls, U+FFFE, U+FFFF).

mod kyaml;
mod order;
mod writer;

pub use kyaml::{kyaml_string, marshal_yaml};

use crate::gosem::json::lossy_utf8;
use crate::gosem::num::format_json_reread;
use crate::gosem::scalar::{decode_v3, yaml11_needs_quotes, zone_fits_json, GoValue};
use crate::node::{Mapping, Node, Scalar, Tag};
use std::borrow::Cow;
use std::fmt;
use writer::{analyze, select_style, Writer};

/// A resource that kustomize could not print either (a key JSON cannot hold, a NaN, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitError {
    /// What is wrong, worded as kustomize words it (without the dump of the resource kustomize
    /// puts in front).
    pub message: String,
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EmitError {}

impl From<EmitError> for crate::Error {
    fn from(e: EmitError) -> Self {
        crate::Error::new(crate::ErrorKind::Emit, e.message)
    }
}

/// Appends one resource, printed as kustomize prints it, to `out`. On error `out` is left as it
/// was.
pub fn write_resource(out: &mut Vec<u8>, resource: &Node) -> Result<(), EmitError> {
    Printer::new().write(out, resource)
}

/// Appends resources as `kustomize build` prints a build: documents separated by `---` lines,
/// no leading separator. On error `out` is left as it was.
pub fn write_resources<'a>(
    out: &mut Vec<u8>,
    resources: impl IntoIterator<Item = &'a Node>,
) -> Result<(), EmitError> {
    let start = out.len();
    let mut printer = Printer::new();
    for (i, resource) in resources.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"---\n");
        }
        if let Err(e) = printer.write(out, resource) {
            out.truncate(start);
            return Err(e);
        }
    }
    Ok(())
}

/// Which step of kustomize's round trip would fail first; a resource can hold several problems
/// and kustomize reports the one its earliest step meets.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Stage {
    /// go-yaml v3 decoding the encoded resource.
    Decode,
    /// `encoding/json`.
    Json,
    /// go-yaml v2 reading the JSON.
    Reread,
}

/// One mapping entry during printing: the key as go-yaml v2 will see it.
struct Entry<'a> {
    key: Cow<'a, str>,
    value: &'a Node,
}

/// A string as go-yaml v2 reads it back from JSON, or why it cannot.
enum Reread {
    Same,
    Changed(String),
    Refused,
}

/// Reusable scratch space and the first error of each stage.
struct Printer<'a> {
    entries: Vec<Entry<'a>>,
    order: Vec<u32>,
    scratch: Vec<u32>,
    error: Option<(Stage, String)>,
    /// Collections open around the node being printed.
    depth: usize,
}

/// go-yaml v2 reads back at most this many nested JSON objects and arrays; kustomize fails to
/// print a deeper resource. Stopping there also bounds the printer's recursion.
const MAX_DEPTH: usize = 10_000;

impl<'a> Printer<'a> {
    fn new() -> Self {
        Printer {
            entries: Vec::new(),
            order: Vec::new(),
            scratch: Vec::new(),
            error: None,
            depth: 0,
        }
    }

    fn fail(&mut self, stage: Stage, message: impl Into<String>) {
        if self.error.as_ref().is_none_or(|(s, _)| stage < *s) {
            self.error = Some((stage, message.into()));
        }
    }

    fn write(&mut self, out: &mut Vec<u8>, resource: &'a Node) -> Result<(), EmitError> {
        let start = out.len();
        self.error = None;
        self.depth = 0;
        self.entries.clear();
        self.order.clear();
        {
            let mut w = Writer::new(out);
            match resource {
                Node::Scalar(s) => {
                    // kyaml decodes a resource into a map; a scalar cannot be one.
                    let what = s.tag.name();
                    self.fail(
                        Stage::Decode,
                        format!(
                            "yaml: unmarshal errors:\n  line 1: cannot unmarshal {what} `{}` into map[string]interface {{}}",
                            s.text
                        ),
                    );
                }
                _ => self.node(&mut w, resource, true, false),
            }
            // Document end: finish the last line.
            w.indent = -1;
            w.write_indent();
        }
        if let Some((_, message)) = self.error.take() {
            out.truncate(start);
            return Err(EmitError { message });
        }
        Ok(())
    }

    /// Emits a value. `root` marks the resource itself (its keys are decoded differently);
    /// `in_mapping` tells whether the value belongs to a mapping key.
    fn node(&mut self, w: &mut Writer<'_>, node: &'a Node, root: bool, in_mapping: bool) {
        if let Node::Scalar(s) = node {
            return self.scalar(w, s);
        }
        if self.depth == MAX_DEPTH {
            return self.fail(
                Stage::Reread,
                format!("yaml: exceeded max depth of {MAX_DEPTH}"),
            );
        }
        self.depth += 1;
        match node {
            Node::Map(m) if m.is_empty() => w.write_empty_flow(b'{', b'}'),
            Node::Map(m) => self.mapping(w, m, root),
            Node::Seq(items) if items.is_empty() => w.write_empty_flow(b'[', b']'),
            Node::Seq(items) => {
                let indentless = in_mapping && !w.indention;
                let saved = w.increase_indent(false, indentless);
                for item in items {
                    w.write_indent();
                    w.write_indicator(b"-", true, false, true);
                    self.node(w, item, false, false);
                }
                w.indent = saved;
            }
            Node::Scalar(_) => {}
        }
        self.depth -= 1;
    }

    fn scalar(&mut self, w: &mut Writer<'_>, s: &'a Scalar) {
        if s.tag == Tag::Str {
            self.string(w, &s.text, false);
            return;
        }
        if s.tag == Tag::Int && is_canonical_decimal(s.text.as_bytes()) {
            w.write_plain_token(s.text.as_bytes());
            return;
        }
        let value = match decode_v3(s.tag, &s.text) {
            Ok(v) => v,
            Err(e) => {
                self.fail(Stage::Decode, format!("yaml: {e}"));
                return;
            }
        };
        match value {
            GoValue::Null => w.write_plain_token(b"null"),
            GoValue::Bool(true) => w.write_plain_token(b"true"),
            GoValue::Bool(false) => w.write_plain_token(b"false"),
            GoValue::Int(i) => w.write_plain_token(itoa::Buffer::new().format(i).as_bytes()),
            GoValue::Uint(u) => w.write_plain_token(itoa::Buffer::new().format(u).as_bytes()),
            GoValue::Float(f) if f.is_finite() => {
                w.write_plain_token(format_json_reread(f).as_bytes());
            }
            GoValue::Float(f) => self.fail(Stage::Json, json_float_message(f)),
            GoValue::Str => self.string(w, &s.text, false),
            GoValue::Time(t) if !zone_fits_json(&t) => self.fail(Stage::Json, TIMEZONE_RANGE),
            // RFC 3339 text; v2 quotes it because it reads as a timestamp.
            GoValue::Time(t) => self.string(w, &t.rfc3339_nano(), false),
            GoValue::Bytes(bytes) => {
                let text = lossy_utf8(&bytes);
                self.string(w, &text, false);
            }
        }
    }

    /// Emits a string value (or key, when `simple_key`) as go-yaml v2 prints it after reading it
    /// back from JSON.
    fn string(&mut self, w: &mut Writer<'_>, text: &str, simple_key: bool) {
        let a = analyze(text);
        if a.reread_changes {
            match reread(text) {
                Reread::Same => {}
                Reread::Changed(t) => return self.string(w, &t, simple_key),
                Reread::Refused => return self.fail(Stage::Reread, CONTROL_CHARS),
            }
        }
        let plain_reads_back = !a.newline && !yaml11_needs_quotes(text);
        let style = select_style(&a, plain_reads_back, simple_key);
        w.write_scalar(text, &a, style, simple_key);
    }

    fn mapping(&mut self, w: &mut Writer<'_>, m: &'a Mapping, root: bool) {
        let base = self.entries.len();
        let mut all_str = true;
        for (k, v) in m.iter() {
            all_str &= k.tag == Tag::Str;
            self.entries.push(Entry {
                key: Cow::Borrowed(&k.text),
                value: v,
            });
        }
        let n = self.entries.len() - base;
        if all_str {
            // Keys that v2 would not read back as they are (rare) are handled like other keys.
            for i in base..base + n {
                if may_change_on_reread(self.entries[i].key.as_bytes()) {
                    let key = std::mem::take(&mut self.entries[i].key);
                    self.entries[i].key = self.reread_key(key);
                }
            }
        } else {
            self.check_duplicate_texts(m);
            for (i, (k, _)) in m.iter().enumerate() {
                let key = self.json_key(k, root);
                self.entries[base + i].key = key;
            }
        }

        let obase = self.order.len();
        self.order.extend((base..base + n).map(|i| i as u32));
        let entries = &self.entries;
        order::sort_indices(&mut self.order[obase..], &mut self.scratch, |a, b| {
            order::key_less(&entries[a as usize].key, &entries[b as usize].key)
        });
        if all_str
            && n > 2
            && m.keys()
                .any(|k| k.bytes().any(|c| c.is_ascii_digit() || c >= 0x80))
        {
            // Repeated keys end up side by side (and are reported below) when v2's order is
            // transitive. Without digits it is (character class, then code point); with digits
            // it can go round in circles ("1" < "01" < "0o12" < "1"), so look for repeats
            // directly.
            self.check_duplicate_texts(m);
        }

        let saved = w.increase_indent(false, false);
        for pos in obase..obase + n {
            let e = self.order[pos] as usize;
            if pos + 1 < obase + n {
                let next = self.order[pos + 1] as usize;
                if self.entries[e].key == self.entries[next].key {
                    // Same key twice. With string keys this is the same text, which go-yaml v3
                    // refuses; otherwise JSON ends up with one member for both.
                    if all_str {
                        let message = duplicate_message(&self.entries[e].key);
                        self.fail(Stage::Decode, message);
                    }
                    continue;
                }
            }
            let key = std::mem::take(&mut self.entries[e].key);
            let value = self.entries[e].value;
            w.write_indent();
            Self::key(w, &key);
            self.node(w, value, false, true);
        }
        w.indent = saved;
        self.entries.truncate(base);
        self.order.truncate(obase);
    }

    /// Writes a mapping key and its `:`, quoted where v2 would not read it back as a string.
    fn key(w: &mut Writer<'_>, key: &str) {
        w.write_key(key, !yaml11_needs_quotes(key));
    }

    /// The JSON member name a key becomes. The resource's own keys are decoded into Go strings
    /// from their text; nested mappings with any non-string key are decoded as
    /// `map[interface{}]interface{}`, whose keys `encoding/json` formats by their Go type.
    fn json_key(&mut self, k: &'a Scalar, root: bool) -> Cow<'a, str> {
        let key = self.json_key_text(k, root);
        self.reread_key(key)
    }

    /// A JSON member name as go-yaml v2 reads it back (it sorts and prints keys that way).
    fn reread_key(&mut self, key: Cow<'a, str>) -> Cow<'a, str> {
        match reread(&key) {
            Reread::Same => key,
            Reread::Changed(_) => {
                // A raw NEL is a line break to v2, and a flow mapping's key cannot span lines.
                self.fail(Stage::Reread, "yaml: did not find expected ',' or '}'");
                key
            }
            Reread::Refused => {
                self.fail(Stage::Reread, CONTROL_CHARS);
                key
            }
        }
    }

    fn json_key_text(&mut self, k: &'a Scalar, root: bool) -> Cow<'a, str> {
        if k.tag == Tag::Str {
            return Cow::Borrowed(&k.text);
        }
        if k.tag == Tag::Null {
            // kustomize fails on null keys, reporting them as duplicates.
            self.fail(Stage::Decode, duplicate_message(&k.text));
            return Cow::Borrowed(&k.text);
        }
        let value = match decode_v3(k.tag, &k.text) {
            Ok(v) => v,
            Err(e) => {
                self.fail(Stage::Decode, format!("yaml: {e}"));
                return Cow::Borrowed(&k.text);
            }
        };
        if let GoValue::Bytes(bytes) = &value {
            return Cow::Owned(lossy_utf8(bytes).into_owned());
        }
        if root {
            return Cow::Borrowed(&k.text);
        }
        match value {
            GoValue::Int(i) => Cow::Owned(i.to_string()),
            GoValue::Uint(u) => Cow::Owned(u.to_string()),
            GoValue::Time(t) if !zone_fits_json(&t) => {
                self.fail(Stage::Json, TIMEZONE_RANGE);
                Cow::Borrowed(&k.text)
            }
            GoValue::Time(t) => Cow::Owned(t.rfc3339_nano()),
            GoValue::Str => Cow::Borrowed(&k.text),
            _ => {
                self.fail(
                    Stage::Json,
                    "json: unsupported value: jsontext: object member name must be a string",
                );
                Cow::Borrowed(&k.text)
            }
        }
    }

    /// go-yaml v3 refuses a mapping whose keys repeat a text, whatever their tags.
    fn check_duplicate_texts(&mut self, m: &Mapping) {
        let mut keys: Vec<&str> = m.keys().collect();
        keys.sort_unstable();
        if let Some(p) = keys.windows(2).find(|p| p[0] == p[1]) {
            self.fail(Stage::Decode, duplicate_message(p[0]));
        }
    }
}

const CONTROL_CHARS: &str = "yaml: control characters are not allowed";
const TIMEZONE_RANGE: &str =
    "json: error calling MarshalJSON for type *time.Time: timezone hour outside of range [0,23]";

/// Plain decimal text that `strconv` would print back unchanged (no sign, no leading zero,
/// fits `int64`).
fn is_canonical_decimal(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= 18
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1)
}

/// How go-yaml v2 reads a JSON string back. JSON escapes control characters, LS and PS but leaves
/// DEL, C1 controls, U+FFFE and U+FFFF raw, which v2's reader refuses; and a raw NEL is a line
/// break to v2, folded like any break in a double-quoted scalar.
fn reread(s: &str) -> Reread {
    let b = s.as_bytes();
    // Fast path: none of the bytes that can start such characters.
    if memchr::memchr3(0x7F, 0xC2, 0xEF, b).is_none() {
        return Reread::Same;
    }
    let mut nel = false;
    for c in s.chars() {
        match c {
            '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => return Reread::Refused,
            '\u{85}' => nel = true,
            '\u{80}'..='\u{9F}' => return Reread::Refused,
            _ => {}
        }
    }
    if !nel {
        return Reread::Same;
    }
    // Fold as v2's double-quoted scanner does: spaces before a break are dropped, spaces after
    // it skipped; one break becomes a space, more breaks become newlines (one fewer).
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    loop {
        while let Some(&c) = chars.peek() {
            if c == ' ' || c == '\u{85}' {
                break;
            }
            out.push(c);
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut whitespace = 0usize;
        let mut leading_break = false;
        let mut trailing_breaks = 0usize;
        while let Some(&c) = chars.peek() {
            match c {
                ' ' if !leading_break => whitespace += 1,
                ' ' => {}
                '\u{85}' if !leading_break => {
                    whitespace = 0;
                    leading_break = true;
                }
                '\u{85}' => trailing_breaks += 1,
                _ => break,
            }
            chars.next();
        }
        if leading_break {
            if trailing_breaks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', trailing_breaks));
            }
        } else {
            out.extend(std::iter::repeat_n(' ', whitespace));
        }
    }
    Reread::Changed(out)
}

fn json_float_message(f: f64) -> String {
    let v = if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    };
    format!("json: unsupported value: {v}")
}

/// Whether `b` holds a byte that starts a character go-yaml v2 does not read back from JSON as
/// itself (see [`reread`]). Keys are short: a plain loop beats a vectorized search's setup.
#[inline]
fn may_change_on_reread(b: &[u8]) -> bool {
    if b.len() > 32 {
        return memchr::memchr3(0x7F, 0xC2, 0xEF, b).is_some();
    }
    b.iter().any(|&c| matches!(c, 0x7F | 0xC2 | 0xEF))
}

/// go-yaml v3's duplicate key report (its line numbers refer to kyaml's re-encoding of the
/// resource, which the printer does not produce, so they are left out).
fn duplicate_message(key: &str) -> String {
    format!("yaml: unmarshal errors:\n  mapping key {key:?} already defined")
}

#[cfg(test)]
mod tests;
