//! The JSON side of kustomize: resource documents as Go's `encoding/json` sees them after
//! go-yaml v3 decoded them, JSON text as Go reads and writes it, and the way back to YAML.
//!
//! kustomize round-trips a resource through JSON whenever a library needs `interface{}` values
//! (JSON 6902 patches, structured data inside strings). The round trip is observable: numbers
//! come back as float64 (big integers lose precision), timestamps become RFC 3339 strings, and
//! keys are sorted. [`Json`] keeps scalars as their raw JSON text because the patch library
//! compares values by that text.

pub(crate) mod num;
mod time;

pub(crate) use num::{atoi, format_g, format_json_float, parse_int_base0, Num};

use crate::node::{Mapping, Node, Scalar, Tag};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// A JSON value as the JSON patch library holds it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    /// A Go nil pointer: a JSON `null` inside a document, or a patch operation without `value`.
    Nil,
    /// A node whose raw text is nil: the `value` of an operation that says `"value": null`.
    RawNil,
    /// A node whose raw text is `null` (a copy of a [`Json::RawNil`]): it decodes as an empty
    /// object with no room for entries.
    Null,
    /// A string, number or boolean: its raw JSON text, without insignificant whitespace.
    Scalar(Box<str>),
    /// An object; keys unique, in first-insertion order.
    Object(Vec<(String, Json)>),
    /// An array.
    Array(Vec<Json>),
}

impl Json {
    /// Go's word for the JSON type, as in `cannot unmarshal number into …`.
    pub fn type_word(&self) -> &'static str {
        match self {
            Json::Nil | Json::RawNil | Json::Null => "null",
            Json::Object(_) => "object",
            Json::Array(_) => "array",
            Json::Scalar(raw) => match raw.as_bytes().first() {
                Some(b'"') => "string",
                Some(b't' | b'f') => "bool",
                _ => "number",
            },
        }
    }

    /// The decoded string, if this is a JSON string.
    pub fn as_string(&self) -> Option<String> {
        match self {
            Json::Scalar(raw) if raw.starts_with('"') => Some(decode_string(raw)),
            _ => None,
        }
    }
}

/// Sets `key` in an object's entries, replacing in place (Go maps: the last duplicate wins).
pub(crate) fn object_insert(entries: &mut Vec<(String, Json)>, key: String, value: Json) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading JSON text.

/// Parses JSON text with Go's syntax rules and error messages. `null` becomes [`Json::Nil`].
pub(crate) fn parse(text: &str) -> Result<Json, String> {
    let mut p = JsonParser {
        s: text.as_bytes(),
        src: text,
        i: 0,
        depth: 0,
    };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(format!(
            "invalid character {} after top-level value",
            p.quote_here()
        ));
    }
    Ok(v)
}

struct JsonParser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    /// Objects and arrays open around the current position.
    depth: usize,
}

/// `encoding/json` refuses text nesting objects and arrays deeper than this.
const MAX_DEPTH: usize = 10_000;

const EOF: &str = "unexpected end of JSON input";

/// Go's `quoteChar`: how `encoding/json` shows an unexpected character.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_owned(),
        '"' => "'\"'".to_owned(),
        c => {
            let q = crate::transform::select::go_quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn quote_here(&self) -> String {
        let c = self.src[self.i..].chars().next().unwrap_or('\u{fffd}');
        quote_char(c)
    }

    fn err(&self, context: &str) -> String {
        if self.i >= self.s.len() {
            return EOF.to_owned();
        }
        format!("invalid character {} {context}", self.quote_here())
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.s.get(self.i) {
            None => Err(EOF.to_owned()),
            Some(b'{' | b'[') if self.depth == MAX_DEPTH => Err(self.err("exceeded max depth")),
            Some(b'{') => {
                self.depth += 1;
                let v = self.object();
                self.depth -= 1;
                v
            }
            Some(b'[') => {
                self.depth += 1;
                let v = self.array();
                self.depth -= 1;
                v
            }
            Some(b'"') => {
                let start = self.i;
                self.string()?;
                Ok(Json::Scalar(self.src[start..self.i].into()))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                self.number()?;
                Ok(Json::Scalar(self.src[start..self.i].into()))
            }
            Some(b't') => self.literal("true").map(|_| Json::Scalar("true".into())),
            Some(b'f') => self.literal("false").map(|_| Json::Scalar("false".into())),
            Some(b'n') => self.literal("null").map(|_| Json::Nil),
            Some(_) => Err(self.err("looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), String> {
        for (k, expected) in word.bytes().enumerate() {
            if k == 0 {
                self.i += 1;
                continue;
            }
            match self.s.get(self.i) {
                None => return Err(EOF.to_owned()),
                Some(&c) if c == expected => self.i += 1,
                Some(_) => {
                    return Err(self.err(&format!(
                        "in literal {word} (expecting {})",
                        quote_char(expected as char)
                    )))
                }
            }
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Json, String> {
        self.i += 1;
        let mut entries = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Json::Object(entries));
        }
        loop {
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("looking for beginning of object key string"));
            }
            let start = self.i;
            self.string()?;
            let key = decode_string(&self.src[start..self.i]);
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("after object key"));
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            object_insert(&mut entries, key, v);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Json::Object(entries));
                }
                _ => return Err(self.err("after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.err("after array element")),
            }
        }
    }

    fn string(&mut self) -> Result<(), String> {
        self.i += 1;
        loop {
            match self.s.get(self.i) {
                None => return Err(EOF.to_owned()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.s.get(self.i) {
                        None => return Err(EOF.to_owned()),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                match self.s.get(self.i) {
                                    None => return Err(EOF.to_owned()),
                                    Some(c) if c.is_ascii_hexdigit() => self.i += 1,
                                    Some(_) => {
                                        return Err(self.err("in \\u hexadecimal character escape"))
                                    }
                                }
                            }
                        }
                        Some(_) => return Err(self.err("in string escape code")),
                    }
                }
                Some(&c) if c < 0x20 => return Err(self.err("in string literal")),
                Some(_) => self.i += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<(), String> {
        if self.s[self.i] == b'-' {
            self.i += 1;
            if !self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                return Err(self.err("in numeric literal"));
            }
        }
        if self.s[self.i] == b'0' {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err("after decimal point in numeric literal"));
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("in exponent of numeric literal"));
            }
        }
        Ok(())
    }
}

/// Decodes a JSON string literal (quotes included) that has passed [`parse`]; lone surrogates
/// become U+FFFD as in Go.
pub(crate) fn decode_string(raw: &str) -> String {
    let inner = &raw[1..raw.len().saturating_sub(1).max(1)];
    if !inner.contains('\\') {
        return inner.to_owned();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    let hex4 = |chars: &mut std::str::Chars<'_>| -> u32 {
        let s: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&s, 16).unwrap_or(0xfffd)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let u = hex4(&mut chars);
                if (0xD800..0xDC00).contains(&u) {
                    let rest = chars.as_str();
                    if let Some(after) = rest.strip_prefix("\\u") {
                        let mut look = after.chars();
                        let lo = hex4(&mut look);
                        if (0xDC00..0xE000).contains(&lo) {
                            chars = look;
                            let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                            continue;
                        }
                    }
                    out.push('\u{fffd}');
                } else {
                    out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing JSON text.

/// Appends `s` as Go's `encoding/json` writes a string (HTML characters escaped).
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Raw JSON text with `<`, `>`, `&`, U+2028 and U+2029 escaped, as `json.Marshal` re-emits a
/// `json.RawMessage`.
pub(crate) fn html_escape_raw(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 12);
    for c in raw.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Appends `v` as `json.Marshal` (no indent) or `json.MarshalIndent(v, "", "  ")` writes it:
/// object keys sorted bytewise.
pub(crate) fn write(out: &mut String, v: &Json, indent: Option<usize>) {
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    };
    match v {
        Json::Nil | Json::RawNil | Json::Null => out.push_str("null"),
        Json::Scalar(raw) => out.push_str(&html_escape_raw(raw)),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                if let Some(level) = indent {
                    newline(out, level + 1);
                }
                write(out, item, indent.map(|l| l + 1));
            }
            if let Some(level) = indent {
                newline(out, level);
            }
            out.push(']');
        }
        Json::Object(entries) => {
            let mut sorted: Vec<&(String, Json)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (n, (k, item)) in sorted.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                if let Some(level) = indent {
                    newline(out, level + 1);
                }
                write_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, item, indent.map(|l| l + 1));
            }
            if let Some(level) = indent {
                newline(out, level);
            }
            out.push('}');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// YAML nodes to JSON, as go-yaml v3 decodes them into `interface{}` and `encoding/json` encodes
// the result.

/// A scalar as go-yaml v3 decodes it into an `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum GoScalar<'a> {
    /// `nil`.
    Null,
    /// A bool.
    Bool(bool),
    /// A number.
    Num(Num),
    /// A string (timestamps become their RFC 3339 text, `!!binary` its decoded bytes).
    Str(Cow<'a, str>),
}

fn tag_name(tag: Tag) -> &'static str {
    match tag {
        Tag::Null => "!!null",
        Tag::Bool => "!!bool",
        Tag::Int => "!!int",
        Tag::Float => "!!float",
        Tag::Str => "!!str",
        Tag::Timestamp => "!!timestamp",
        Tag::Binary => "!!binary",
    }
}

/// Decodes a scalar as go-yaml v3 does for an `interface{}` target. Text that does not fit its
/// tag is go-yaml's error (`cannot decode !!str `x` as a !!int`).
pub(crate) fn go_scalar(s: &Scalar) -> Result<GoScalar<'_>, String> {
    let text = s.as_str();
    let mismatch = |found: &str| {
        format!(
            "yaml: cannot decode {found} `{text}` as a {}",
            tag_name(s.tag)
        )
    };
    match s.tag {
        Tag::Str => Ok(GoScalar::Str(Cow::Borrowed(text))),
        Tag::Null => match text {
            "" | "~" | "null" | "Null" | "NULL" => Ok(GoScalar::Null),
            _ => Err(mismatch(untagged_name(text))),
        },
        Tag::Bool => match text {
            "true" | "True" | "TRUE" => Ok(GoScalar::Bool(true)),
            "false" | "False" | "FALSE" => Ok(GoScalar::Bool(false)),
            _ => Err(mismatch(untagged_name(text))),
        },
        Tag::Int => resolve_int(text)
            .filter(|n| !matches!(n, Num::Float(_)))
            .map(GoScalar::Num)
            .ok_or_else(|| mismatch(untagged_name(text))),
        Tag::Float => resolve_float(text)
            .map(|f| GoScalar::Num(Num::Float(f)))
            .ok_or_else(|| mismatch(untagged_name(text))),
        Tag::Timestamp => time::rfc3339_nano(text)
            .map(|t| GoScalar::Str(Cow::Owned(t)))
            .ok_or_else(|| mismatch(untagged_name(text))),
        Tag::Binary => decode_base64(text)
            .map(|b| GoScalar::Str(Cow::Owned(String::from_utf8_lossy(&b).into_owned())))
            .ok_or_else(|| "yaml: !!binary value contains invalid base64 data".to_owned()),
    }
}

/// What go-yaml v3 resolves untagged `text` to (for messages).
fn untagged_name(text: &str) -> &'static str {
    tag_name(resolve_plain(text).tag)
}

/// go-yaml v3's integer resolution: underscores dropped, Go base-0 syntax, beyond 64 bits a float.
fn resolve_int(text: &str) -> Option<Num> {
    let plain = text.replace('_', "");
    parse_int_base0(&plain).or_else(|| {
        num::is_yaml_style_float(&plain)
            .then(|| num::parse_float(&plain))
            .flatten()
            .map(Num::Float)
    })
}

fn resolve_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    if text.starts_with('.') {
        return num::parse_float(text);
    }
    match resolve_int(text)? {
        Num::Int(i) => Some(i as f64),
        Num::Uint(u) => Some(u as f64),
        Num::Float(f) => Some(f),
    }
}

/// The scalar go-yaml v3 makes of plain (untagged, unquoted) text: the tag it resolves to.
/// kyaml creates such untagged scalars (`sourceValue`, created fields); they take this tag when
/// the resource is next read.
pub(crate) fn resolve_plain(text: &str) -> Scalar {
    let tag = match text {
        "" | "~" | "null" | "Null" | "NULL" => Tag::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Tag::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => Tag::Float,
        _ => match text.as_bytes()[0] {
            b'.' if num::parse_float(text).is_some() => Tag::Float,
            b'+' | b'-' | b'0'..=b'9' => {
                if time::rfc3339_nano(text).is_some() && is_timestamp_shaped(text) {
                    Tag::Timestamp
                } else {
                    match resolve_int(text) {
                        Some(Num::Float(_)) => Tag::Float,
                        Some(_) => Tag::Int,
                        None => Tag::Str,
                    }
                }
            }
            _ => Tag::Str,
        },
    };
    Scalar::tagged(text, tag)
}

/// go-yaml's quick check before trying timestamp layouts: four digits then `-`.
fn is_timestamp_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// Go's `base64.StdEncoding.DecodeString` (padding required; `\r` and `\n` ignored).
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b'\r' && *b != b'\n')
        .collect();
    if clean.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for (n, chunk) in clean.chunks(4).enumerate() {
        let last = n + 1 == clean.len() / 4;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = (acc << 6) | val(c)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// The JSON text `encoding/json` writes for a decoded scalar.
pub(crate) fn scalar_json(v: &GoScalar<'_>) -> Result<Json, String> {
    Ok(match v {
        GoScalar::Null => Json::Nil,
        GoScalar::Bool(b) => Json::Scalar(if *b { "true" } else { "false" }.into()),
        GoScalar::Num(Num::Int(i)) => Json::Scalar(i.to_string().into()),
        GoScalar::Num(Num::Uint(u)) => Json::Scalar(u.to_string().into()),
        GoScalar::Num(Num::Float(f)) => {
            if f.is_nan() {
                return Err("json: unsupported value: NaN".into());
            }
            if f.is_infinite() {
                let sign = if *f > 0.0 { "+" } else { "-" };
                return Err(format!("json: unsupported value: {sign}Inf"));
            }
            Json::Scalar(format_json_float(*f).into())
        }
        GoScalar::Str(s) => {
            let mut raw = String::with_capacity(s.len() + 2);
            write_string(&mut raw, s);
            Json::Scalar(raw.into())
        }
    })
}

/// A document as `json.Marshal` sees it after go-yaml v3 decoded it: `top` says whether this is
/// the resource itself (decoded into a `map[string]interface{}`, so any scalar key works) or a
/// nested mapping (which needs string keys, else Go cannot encode it).
pub(crate) fn from_node(node: &Node, top: bool) -> Result<Json, String> {
    match node {
        Node::Scalar(s) => scalar_json(&go_scalar(s)?),
        Node::Seq(items) => items
            .iter()
            .map(|n| from_node(n, false))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array),
        Node::Map(m) => {
            if !top && m.iter().any(|(k, _)| k.tag != Tag::Str) {
                return Err("json: unsupported type: map[interface {}]interface {}".into());
            }
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m.iter() {
                object_insert(&mut entries, k.as_str().to_owned(), from_node(v, false)?);
            }
            Ok(Json::Object(entries))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON back to YAML nodes: `json.Unmarshal` into `interface{}` (numbers become float64), then
// go-yaml v3 marshals that and kyaml parses the text again.

/// The node kyaml ends up with for a JSON value (see the section comment).
pub(crate) fn to_node(v: Json) -> Result<Node, String> {
    Ok(match v {
        Json::Nil | Json::RawNil | Json::Null => Node::Scalar(Scalar::null()),
        Json::Scalar(raw) => match raw.as_bytes().first() {
            Some(b'"') => Node::string(decode_string(&raw)),
            Some(b't') => Node::Scalar(Scalar::tagged("true", Tag::Bool)),
            Some(b'f') => Node::Scalar(Scalar::tagged("false", Tag::Bool)),
            _ => {
                let f = raw
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| {
                        format!("json: cannot unmarshal number {raw} into Go value of type float64")
                    })?;
                float_node(f)
            }
        },
        Json::Array(items) => Node::Seq(
            items
                .into_iter()
                .map(to_node)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Json::Object(mut entries) => {
            entries.sort_by(|a, b| natural_cmp(&a.0, &b.0));
            let mut m = Mapping::with_capacity(entries.len());
            for (k, v) in entries {
                m.push(Scalar::string(k), to_node(v)?);
            }
            Node::Map(m)
        }
    })
}

/// A float64 as go-yaml v3 writes it and reads it back.
pub(crate) fn float_node(f: f64) -> Node {
    let text = format_g(f);
    let tag = if parse_int_base0(&text).is_some() {
        Tag::Int
    } else {
        Tag::Float
    };
    Node::Scalar(Scalar::tagged(text, tag))
}

/// go-yaml's "natural" key order for string keys: digit runs compare as numbers, letters sort
/// after other characters.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if natural_less(a, b) {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

fn natural_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut digits = false;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            digits = ar[i].is_ascii_digit();
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            for j in (0..i).rev() {
                if !ar[j].is_ascii_digit() {
                    break;
                }
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_go_errors() {
        assert_eq!(
            parse("[1,]").unwrap_err(),
            "invalid character ']' looking for beginning of value"
        );
        assert_eq!(
            parse("{\"a\" 1}").unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            parse("{\"a\":1 2}").unwrap_err(),
            "invalid character '2' after object key:value pair"
        );
        assert_eq!(
            parse("[1 2]").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            parse("{1:2}").unwrap_err(),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(parse("[1").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(
            parse("1 x").unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(parse("tru").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(
            parse("trux").unwrap_err(),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(
            parse("-x").unwrap_err(),
            "invalid character 'x' in numeric literal"
        );
        assert_eq!(
            parse("1.x").unwrap_err(),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(
            parse("\"\\x\"").unwrap_err(),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            parse("'a'").unwrap_err(),
            "invalid character '\\'' looking for beginning of value"
        );
    }

    #[test]
    fn keeps_raw_scalars_and_last_duplicate() {
        let v = parse(r#" {"a": 1.0, "b": "x\u0041", "a": [true, null]} "#).unwrap();
        assert_eq!(
            v,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![Json::Scalar("true".into()), Json::Nil])
                ),
                ("b".into(), Json::Scalar("\"x\\u0041\"".into())),
            ])
        );
        assert_eq!(decode_string("\"x\\u0041\\ud83d\\ude00\\n\""), "xA😀\n");
        assert_eq!(decode_string("\"\\ud800\""), "\u{fffd}");
    }

    #[test]
    fn writes_like_encoding_json() {
        let v = parse(r#"{"z": [1, 2], "a": "<&>", "e": {}, "l": []}"#).unwrap();
        let mut s = String::new();
        write(&mut s, &v, None);
        assert_eq!(s, r#"{"a":"\u003c\u0026\u003e","e":{},"l":[],"z":[1,2]}"#);
        let mut s = String::new();
        write(&mut s, &v, Some(0));
        assert_eq!(
            s,
            "{\n  \"a\": \"\\u003c\\u0026\\u003e\",\n  \"e\": {},\n  \"l\": [],\n  \"z\": [\n    1,\n    2\n  ]\n}"
        );
    }

    #[test]
    fn scalars_decode_like_yaml_v3() {
        let j = |text: &str, tag: Tag| {
            let s = Scalar::tagged(text, tag);
            go_scalar(&s).and_then(|g| scalar_json(&g))
        };
        assert_eq!(j("0x1F", Tag::Int), Ok(Json::Scalar("31".into())));
        assert_eq!(j("1_000", Tag::Int), Ok(Json::Scalar("1000".into())));
        assert_eq!(
            j("18446744073709551615", Tag::Int),
            Ok(Json::Scalar("18446744073709551615".into()))
        );
        assert_eq!(j("1e3", Tag::Float), Ok(Json::Scalar("1000".into())));
        assert_eq!(j("1", Tag::Float), Ok(Json::Scalar("1".into())));
        assert_eq!(j(".5", Tag::Float), Ok(Json::Scalar("0.5".into())));
        assert_eq!(
            j(".inf", Tag::Float),
            Err("json: unsupported value: +Inf".into())
        );
        assert_eq!(j("True", Tag::Bool), Ok(Json::Scalar("true".into())));
        assert_eq!(j("~", Tag::Null), Ok(Json::Nil));
        assert_eq!(j("a<b", Tag::Str), Ok(Json::Scalar("\"a\\u003cb\"".into())));
        assert_eq!(
            j("2001-12-14", Tag::Timestamp),
            Ok(Json::Scalar("\"2001-12-14T00:00:00Z\"".into()))
        );
        assert_eq!(j("aGk=", Tag::Binary), Ok(Json::Scalar("\"hi\"".into())));
        assert_eq!(
            j("abc", Tag::Int),
            Err("yaml: cannot decode !!str `abc` as a !!int".into())
        );
    }

    #[test]
    fn back_to_yaml_through_float64() {
        let n = |raw: &str| to_node(Json::Scalar(raw.into())).unwrap();
        assert_eq!(n("3"), Node::Scalar(Scalar::tagged("3", Tag::Int)));
        assert_eq!(
            n("1000000"),
            Node::Scalar(Scalar::tagged("1e+06", Tag::Float))
        );
        assert_eq!(
            n("9007199254740993"),
            Node::Scalar(Scalar::tagged("9.007199254740992e+15", Tag::Float))
        );
        assert_eq!(n("1.50"), Node::Scalar(Scalar::tagged("1.5", Tag::Float)));
        assert_eq!(n("\"x\""), Node::string("x"));
        assert!(to_node(Json::Scalar("1e400".into())).is_err());
    }

    #[test]
    fn plain_text_resolution() {
        assert_eq!(resolve_plain("123").tag, Tag::Int);
        assert_eq!(resolve_plain("1.5").tag, Tag::Float);
        assert_eq!(resolve_plain("yes").tag, Tag::Str);
        assert_eq!(resolve_plain("true").tag, Tag::Bool);
        assert_eq!(resolve_plain("").tag, Tag::Null);
        assert_eq!(resolve_plain("2001-12-14").tag, Tag::Timestamp);
        assert_eq!(resolve_plain("1e3").tag, Tag::Float);
        assert_eq!(resolve_plain("0x1F").tag, Tag::Int);
        assert_eq!(resolve_plain("-").tag, Tag::Str);
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["a10", "a2", "a1", "B", "_x", "10", "2"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(keys, ["_x", "2", "10", "B", "a1", "a2", "a10"]);
    }
}
