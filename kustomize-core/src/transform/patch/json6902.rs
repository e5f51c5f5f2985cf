//! JSON 6902 patches, with the exact semantics of the library kustomize uses
//! (`gopkg.in/evanphx/json-patch.v4`) and of kustomize's patch transformers around it.
//!
//! The library is lenient and quirky, and kustomize users meet its quirks:
//!
//! * `replace` of a missing object key adds it; `add` at index `-1` appends; `test` of a missing
//!   key against `null` passes; a path without a leading `/` drops its first segment.
//! * `test` compares scalars by their JSON text: `1` is not `1.0`, and a string written with `<`
//!   in a JSON patch is not the `\u003c` Go writes for the resource.
//! * Operations may omit `value` (`add` then adds `null`); unknown operations fail with
//!   `Unexpected kind: …`; some malformed patches crash kustomize (reported here as errors that
//!   start with `panic:`).
//!
//! kustomize applies a patch by turning the whole resource into JSON and back (see
//! [`crate::transform::gojson`]): afterwards every number is a float64 written the Go way (big
//! integers lose precision) and timestamps are strings. The transformers then re-set the
//! annotations, which turns their values into strings and drops an empty annotations map.

use crate::error::{Error, ErrorKind, Result};
use crate::load::kustomization::Selector;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::{Resource, ResourceList};
use crate::transform::gojson::{self, atoi, Json};
use crate::transform::select::select;

const PANIC_NIL: &str = "panic: runtime error: invalid memory address or nil pointer dereference";
const PANIC_NIL_MAP: &str = "panic: assignment to entry in nil map";
const MISSING: &str = "missing value";
const INVALID_INDEX: &str = "invalid index referenced";

fn transform_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Transform, message)
}

/// One operation: the fields the library reads, as raw JSON (`None` when absent).
#[derive(Clone, Debug, Default, PartialEq)]
struct Operation {
    op: Option<Json>,
    path: Option<Json>,
    from: Option<Json>,
    value: Option<Json>,
}

/// A decoded JSON 6902 patch.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPatch {
    ops: Vec<Operation>,
    /// The patch text was JSON `null` (Go's nil patch, which kustomize treats as "no patch").
    nil: bool,
}

fn string_field(field: &Option<Json>, missing: &str) -> std::result::Result<String, String> {
    match field {
        None | Some(Json::Nil) => Err(missing.to_owned()),
        Some(v) => v.as_string().ok_or_else(|| {
            format!(
                "json: cannot unmarshal {} into Go value of type string",
                v.type_word()
            )
        }),
    }
}

impl Operation {
    fn kind(&self) -> String {
        match &self.op {
            Some(v) => v.as_string().unwrap_or_else(|| "unknown".to_owned()),
            None => "unknown".to_owned(),
        }
    }

    fn path(&self) -> std::result::Result<String, String> {
        string_field(&self.path, "operation missing path field: missing value")
    }

    fn from(&self) -> std::result::Result<String, String> {
        string_field(&self.from, "operation, missing from field: missing value")
    }

    /// The value node: absent is a nil node, `null` a node without raw text.
    fn value(&self) -> Json {
        match &self.value {
            None => Json::Nil,
            Some(Json::Nil) => Json::RawNil,
            Some(v) => v.clone(),
        }
    }

    fn from_entries(entries: Vec<(String, Json)>) -> Self {
        let mut op = Operation::default();
        for (k, v) in entries {
            match k.as_str() {
                "op" => op.op = Some(v),
                "path" => op.path = Some(v),
                "from" => op.from = Some(v),
                "value" => op.value = Some(v),
                _ => {}
            }
        }
        op
    }
}

impl JsonPatch {
    /// Decodes patch text the way kustomize's JSON 6902 filter does: text starting with `[` is
    /// JSON, anything else YAML (YAML 1.1, first document only) converted to JSON.
    ///
    /// ```
    /// use kustomize_core::transform::patch::json6902::JsonPatch;
    /// let p = JsonPatch::parse(r#"[{"op": "add", "path": "/spec/replicas", "value": 3}]"#).unwrap();
    /// assert_eq!(p.len(), 1);
    /// assert!(JsonPatch::parse("[{").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        if text.starts_with('[') {
            Self::from_json(text)
        } else {
            Self::from_yaml(text)
        }
    }

    /// Decodes JSON text (`jsonpatch.DecodePatch`), with Go's error messages.
    pub fn from_json(text: &str) -> Result<Self> {
        let value = gojson::parse(text).map_err(transform_error)?;
        Self::from_value(value).map_err(transform_error)
    }

    /// Decodes YAML text through sigs.k8s.io/yaml's `YAMLToJSON`.
    pub fn from_yaml(text: &str) -> Result<Self> {
        let docs = parse_documents(text.as_bytes(), Schema::Yaml11)
            .map_err(|e| transform_error(e.to_string()))?;
        let value = match docs.first() {
            Some(doc) => yaml11_to_json(doc).map_err(transform_error)?,
            None => Json::Nil,
        };
        Self::from_value(value).map_err(transform_error)
    }

    fn from_value(value: Json) -> std::result::Result<Self, String> {
        match value {
            Json::Nil => Ok(JsonPatch {
                ops: Vec::new(),
                nil: true,
            }),
            Json::Array(items) => {
                let mut ops = Vec::with_capacity(items.len());
                let mut first_error = None;
                for item in items {
                    match item {
                        Json::Object(entries) => ops.push(Operation::from_entries(entries)),
                        Json::Nil => ops.push(Operation::default()),
                        other => {
                            // Go keeps decoding and reports the first mismatch at the end.
                            first_error.get_or_insert_with(|| {
                                format!(
                                    "json: cannot unmarshal {} into Go value of type jsonpatch.Operation",
                                    other.type_word()
                                )
                            });
                        }
                    }
                }
                match first_error {
                    Some(e) => Err(e),
                    None => Ok(JsonPatch { ops, nil: false }),
                }
            }
            other => Err(format!(
                "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                other.type_word()
            )),
        }
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there are no operations.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Whether the patch text was JSON `null` (kustomize then applies no JSON patch at all).
    pub fn is_nil(&self) -> bool {
        self.nil
    }

    /// Applies the patch to a resource document as kustomize's JSON 6902 filter does: through
    /// JSON and back. The document is unchanged if an operation fails.
    pub fn apply_to_node(&self, node: &mut Node) -> Result<()> {
        let mut doc = gojson::from_node(node, true).map_err(transform_error)?;
        for op in &self.ops {
            apply_op(&mut doc, op).map_err(transform_error)?;
        }
        if !matches!(doc, Json::Object(_)) {
            return Err(transform_error(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                doc.type_word()
            )));
        }
        *node = gojson::to_node(doc).map_err(transform_error)?;
        Ok(())
    }
}

/// Applies one operation (`Patch.ApplyIndent`'s loop body).
fn apply_op(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    match op.kind().as_str() {
        "add" => op_add(doc, op),
        "remove" => op_remove(doc, op),
        "replace" => op_replace(doc, op),
        "move" => op_move(doc, op),
        "test" => op_test(doc, op),
        "copy" => op_copy(doc, op),
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// Wraps a container error, except a crash, which Go would not have wrapped.
fn wrap(prefix: String, e: String) -> String {
    if e.starts_with("panic: ") {
        e
    } else {
        format!("{prefix}: {e}")
    }
}

/// RFC 6901 unescaping: `~1` is `/`, `~0` is `~` (one left-to-right pass).
fn decode_key(k: &str) -> String {
    if !k.contains('~') {
        return k.to_owned();
    }
    let mut out = String::with_capacity(k.len());
    let mut rest = k;
    while let Some(i) = rest.find('~') {
        out.push_str(&rest[..i]);
        match rest.as_bytes().get(i + 1) {
            Some(b'1') => {
                out.push('/');
                rest = &rest[i + 2..];
            }
            Some(b'0') => {
                out.push('~');
                rest = &rest[i + 2..];
            }
            _ => {
                out.push('~');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Resolves an array index for reading or replacing (`partialArray.get`).
fn index_for_get(len: usize, key: &str) -> std::result::Result<usize, String> {
    let idx = atoi(key)?;
    let len = len as i64;
    let mut i = idx;
    if i < 0 {
        if i < -len {
            return Err(format!(
                "Unable to access invalid index: {idx}: {INVALID_INDEX}"
            ));
        }
        i += len;
    }
    if i >= len {
        return Err(format!(
            "Unable to access invalid index: {i}: {INVALID_INDEX}"
        ));
    }
    Ok(i as usize)
}

/// The library's `findObject`: the container holding the path's last segment, and that
/// segment unescaped. Only the segments between the first and the last are walked, so a path
/// without a leading `/` loses its first segment.
fn find_object<'a>(doc: &'a mut Json, path: &str) -> Option<(&'a mut Json, String)> {
    let split: Vec<&str> = path.split('/').collect();
    if split.len() < 2 {
        return None;
    }
    let key = decode_key(split[split.len() - 1]);
    let mut cur = doc;
    for part in &split[1..split.len() - 1] {
        let part = decode_key(part);
        let next = match cur {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| *k == part).map(|(_, v)| v),
            Json::Array(items) => match index_for_get(items.len(), &part) {
                Ok(i) => items.get_mut(i),
                Err(_) => None,
            },
            _ => None,
        }?;
        match next {
            Json::Object(_) | Json::Array(_) | Json::Null => cur = next,
            // Nil nodes, nodes without raw text, and scalars cannot be walked into.
            _ => return None,
        }
    }
    Some((cur, key))
}

/// `container.get`: `Ok(None)` is Go's nil (a missing key, or a JSON null).
fn con_get<'a>(con: &'a Json, key: &str) -> std::result::Result<Option<&'a Json>, String> {
    match con {
        Json::Object(entries) => Ok(entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Json::Nil))),
        Json::Array(items) => {
            let i = index_for_get(items.len(), key)?;
            Ok(Some(&items[i]).filter(|v| !matches!(v, Json::Nil)))
        }
        _ => Ok(None),
    }
}

/// `container.add`.
fn con_add(con: &mut Json, key: &str, val: Json) -> std::result::Result<(), String> {
    match con {
        Json::Object(entries) => {
            gojson::object_insert(entries, key.to_owned(), val);
            Ok(())
        }
        Json::Array(items) => {
            if key == "-" {
                items.push(val);
                return Ok(());
            }
            let idx = atoi(key)
                .map_err(|e| format!("value was not a proper array index: '{key}': {e}"))?;
            let size = items.len() as i64 + 1;
            if idx >= size {
                return Err(format!(
                    "Unable to access invalid index: {idx}: {INVALID_INDEX}"
                ));
            }
            let mut i = idx;
            if i < 0 {
                if i < -size {
                    return Err(format!(
                        "Unable to access invalid index: {idx}: {INVALID_INDEX}"
                    ));
                }
                i += size;
            }
            items.insert(i as usize, val);
            Ok(())
        }
        _ => Err(PANIC_NIL_MAP.to_owned()),
    }
}

/// `container.set` (for `replace`, after `get` succeeded).
fn con_set(con: &mut Json, key: &str, val: Json) -> std::result::Result<(), String> {
    match con {
        Json::Object(entries) => {
            gojson::object_insert(entries, key.to_owned(), val);
            Ok(())
        }
        Json::Array(items) => {
            let i = index_for_get(items.len(), key)?;
            items[i] = val;
            Ok(())
        }
        _ => Err(PANIC_NIL_MAP.to_owned()),
    }
}

/// `container.remove`, returning the removed node.
fn con_remove(con: &mut Json, key: &str) -> std::result::Result<Json, String> {
    match con {
        Json::Object(entries) => match entries.iter().position(|(k, _)| k == key) {
            Some(i) => Ok(entries.remove(i).1),
            None => Err(format!(
                "Unable to remove nonexistent key: {key}: {MISSING}"
            )),
        },
        Json::Array(items) => {
            let idx = atoi(key)?;
            let len = items.len() as i64;
            if idx >= len {
                return Err(format!(
                    "Unable to access invalid index: {idx}: {INVALID_INDEX}"
                ));
            }
            let mut i = idx;
            if i < 0 {
                if i < -len {
                    return Err(format!(
                        "Unable to access invalid index: {idx}: {INVALID_INDEX}"
                    ));
                }
                i += len;
            }
            Ok(items.remove(i as usize))
        }
        _ => Err(format!(
            "Unable to remove nonexistent key: {key}: {MISSING}"
        )),
    }
}

fn op_add(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let path = op
        .path()
        .map_err(|_| format!("add operation failed to decode path: {MISSING}"))?;
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "add operation does not apply: doc is missing path: \"{path}\": {MISSING}"
        ));
    };
    con_add(con, &key, op.value()).map_err(|e| wrap(format!("error in add for path: '{path}'"), e))
}

fn op_remove(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let path = op
        .path()
        .map_err(|_| format!("remove operation failed to decode path: {MISSING}"))?;
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "remove operation does not apply: doc is missing path: \"{path}\": {MISSING}"
        ));
    };
    con_remove(con, &key)
        .map(drop)
        .map_err(|e| wrap(format!("error in remove for path: '{path}'"), e))
}

fn op_replace(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let path = op
        .path()
        .map_err(|e| format!("replace operation failed to decode path: {e}"))?;
    if path.is_empty() {
        return match op.value() {
            Json::Nil => Err(PANIC_NIL.to_owned()),
            v @ (Json::Object(_) | Json::Array(_)) => {
                *doc = v;
                Ok(())
            }
            // Go formats the nil error it wraps as `%!w(<nil>)`.
            _ => Err("replace operation value must be object or array: %!w(<nil>)".to_owned()),
        };
    }
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "replace operation does not apply: doc is missing path: {path}: {MISSING}"
        ));
    };
    if con_get(con, &key).is_err() {
        return Err(format!(
            "replace operation does not apply: doc is missing key: {path}: {MISSING}"
        ));
    }
    con_set(con, &key, op.value())
        .map_err(|e| wrap(format!("error in remove for path: '{path}'"), e))
}

fn op_move(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let from = op
        .from()
        .map_err(|e| format!("move operation failed to decode from: {e}"))?;
    let Some((con, key)) = find_object(doc, &from) else {
        return Err(format!(
            "move operation does not apply: doc is missing from path: {from}: {MISSING}"
        ));
    };
    con_get(con, &key).map_err(|e| wrap(format!("error in move for path: '{key}'"), e))?;
    let val =
        con_remove(con, &key).map_err(|e| wrap(format!("error in move for path: '{key}'"), e))?;
    let path = op
        .path()
        .map_err(|e| format!("move operation failed to decode path: {e}"))?;
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "move operation does not apply: doc is missing destination path: {path}: {MISSING}"
        ));
    };
    con_add(con, &key, val).map_err(|e| wrap(format!("error in move for path: '{path}'"), e))
}

fn op_test(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let path = op
        .path()
        .map_err(|e| format!("test operation failed to decode path: {e}"))?;
    let failed = || format!("testing value {path} failed: test failed");
    let value = op.value();
    if path.is_empty() {
        if matches!(value, Json::Nil) {
            return Err(PANIC_NIL.to_owned());
        }
        return if equal(doc, &value)? {
            Ok(())
        } else {
            Err(failed())
        };
    }
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "test operation does not apply: is missing path: {path}: {MISSING}"
        ));
    };
    let val =
        con_get(con, &key).map_err(|e| wrap(format!("error in test for path: '{path}'"), e))?;
    match (val, &value) {
        (None, Json::Nil | Json::RawNil) => Ok(()),
        (None, _) | (Some(_), Json::Nil) => Err(failed()),
        (Some(v), value) => {
            if equal(v, value)? {
                Ok(())
            } else {
                Err(failed())
            }
        }
    }
}

fn op_copy(doc: &mut Json, op: &Operation) -> std::result::Result<(), String> {
    let from = op
        .from()
        .map_err(|e| format!("copy operation failed to decode from: {e}"))?;
    let Some((con, key)) = find_object(doc, &from) else {
        return Err(format!(
            "copy operation does not apply: doc is missing from path: {from}: {MISSING}"
        ));
    };
    let val = con_get(con, &key)
        .map_err(|e| wrap(format!("error in copy for from: '{from}'"), e))?
        .map(deep_copy)
        .unwrap_or(Json::Nil);
    let path = op
        .path()
        .map_err(|_| format!("copy operation failed to decode path: {MISSING}"))?;
    let Some((con, key)) = find_object(doc, &path) else {
        return Err(format!(
            "copy operation does not apply: doc is missing destination path: {path}: {MISSING}"
        ));
    };
    con_add(con, &key, val).map_err(|e| wrap("error while adding value during copy".into(), e))
}

/// The library's `deepCopy`: the value marshalled to JSON and read back lazily. Strings come
/// back with HTML characters escaped; a node without raw text becomes a raw `null`.
fn deep_copy(v: &Json) -> Json {
    fn nested(v: &Json) -> Json {
        match v {
            Json::Nil | Json::RawNil | Json::Null => Json::Nil,
            Json::Scalar(raw) => Json::Scalar(gojson::html_escape_raw(raw).into()),
            Json::Object(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), nested(v)))
                    .collect(),
            ),
            Json::Array(items) => Json::Array(items.iter().map(nested).collect()),
        }
    }
    match v {
        Json::RawNil | Json::Null => Json::Null,
        other => nested(other),
    }
}

/// The library's `lazyNode.equal`. `Err` is a crash of the Go code (a nil node compared).
fn equal(n: &Json, o: &Json) -> std::result::Result<bool, String> {
    if matches!(n, Json::Nil) || matches!(o, Json::Nil) {
        return Err(PANIC_NIL.to_owned());
    }
    match n {
        // Neither an object nor an array: compared by raw text, and only with raw nodes.
        Json::Scalar(a) => Ok(matches!(o, Json::Scalar(b) if a == b)),
        Json::RawNil => Ok(matches!(o, Json::RawNil)),
        // A raw `null` decodes as an empty object.
        Json::Null | Json::Object(_) => {
            let empty = Vec::new();
            let a = match n {
                Json::Object(e) => e,
                _ => &empty,
            };
            let b = match o {
                Json::Object(e) => e,
                Json::Null => &empty,
                _ => return Ok(false),
            };
            if a.len() != b.len() {
                return Ok(false);
            }
            for (k, v) in a {
                let Some((_, ov)) = b.iter().find(|(bk, _)| bk == k) else {
                    return Ok(false);
                };
                match (v, ov) {
                    (Json::Nil, Json::Nil) => continue,
                    (Json::Nil, _) | (_, Json::Nil) => return Ok(false),
                    _ => {
                        if !equal(v, ov)? {
                            return Ok(false);
                        }
                    }
                }
            }
            Ok(true)
        }
        Json::Array(a) => {
            let empty = Vec::new();
            let b = match o {
                Json::Array(items) => items,
                Json::Null => &empty,
                _ => return Ok(false),
            };
            if a.len() != b.len() {
                return Ok(false);
            }
            for (x, y) in a.iter().zip(b) {
                if !equal(x, y)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Json::Nil => Err(PANIC_NIL.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// YAML patch text to JSON: sigs.k8s.io/yaml's `YAMLToJSON` (go-yaml v2, YAML 1.1).

/// go-yaml v2's reading of a YAML 1.1 boolean.
fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// A YAML 1.1 scalar as go-yaml v2 decodes it into an `interface{}`.
fn yaml11_scalar(s: &Scalar) -> std::result::Result<gojson::GoScalar<'_>, String> {
    use gojson::GoScalar;
    Ok(match s.tag {
        Tag::Bool => match yaml11_bool(s.as_str()) {
            Some(b) => GoScalar::Bool(b),
            None => return gojson::go_scalar(s),
        },
        // v2 leaves timestamps as written when the target is an `interface{}`.
        Tag::Timestamp => GoScalar::Str(std::borrow::Cow::Borrowed(s.as_str())),
        _ => return gojson::go_scalar(s),
    })
}

/// A map key as sigs.k8s.io/yaml turns it into a JSON object key.
fn yaml11_key(k: &Scalar) -> std::result::Result<String, String> {
    use gojson::{GoScalar, Num};
    match yaml11_scalar(k)? {
        GoScalar::Str(s) => Ok(s.into_owned()),
        GoScalar::Bool(b) => Ok(b.to_string()),
        GoScalar::Num(Num::Int(i)) => Ok(i.to_string()),
        // Floats are spelled at 32-bit precision, as go-yaml writes float keys.
        GoScalar::Num(Num::Float(f)) => Ok(match f {
            f if f.is_nan() => ".nan".to_owned(),
            f if f == f64::INFINITY => ".inf".to_owned(),
            f if f == f64::NEG_INFINITY => "-.inf".to_owned(),
            f => format_g32(f as f32),
        }),
        GoScalar::Num(Num::Uint(u)) => Err(format!(
            "unsupported map key of type: uint64, key: 0x{u:x}, value: …"
        )),
        GoScalar::Null => Err("unsupported map key of type: <nil>, key: <nil>".to_owned()),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`.
fn format_g32(f: f32) -> String {
    // The shortest digits that identify the float32, in Go's %g layout.
    let shortest = format!("{f:e}");
    let (mantissa, exp) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(digits);
            out.push_str(&"0".repeat(int_len - digits.len()));
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// A YAML 1.1 document as `YAMLToJSON` converts it.
fn yaml11_to_json(node: &Node) -> std::result::Result<Json, String> {
    match node {
        Node::Scalar(s) => gojson::scalar_json(&yaml11_scalar(s)?),
        Node::Seq(items) => items
            .iter()
            .map(yaml11_to_json)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Json::Array),
        Node::Map(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m.iter() {
                gojson::object_insert(&mut entries, yaml11_key(k)?, yaml11_to_json(v)?);
            }
            Ok(Json::Object(entries))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// kustomize's transformers around the filter.

/// Whether an annotation is one kustomize restores after a JSON patch (its internal ones).
fn is_internal_annotation(key: &str) -> bool {
    key.starts_with("internal.config.kubernetes.io/")
        || matches!(
            key,
            "config.kubernetes.io/path" | "config.kubernetes.io/index" | "config.k8s.io/id"
        )
}

/// `metadata.annotations` as kyaml's `GetAnnotations` reads them: scalar texts, `""` for other
/// values, the last duplicate winning.
fn annotations_of(node: &Node) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let Some(Node::Map(a)) = node.get("metadata").and_then(|m| m.get("annotations")) else {
        return out;
    };
    for (k, v) in a.iter() {
        let value = match v {
            Node::Scalar(s) => s.as_str().to_owned(),
            _ => String::new(),
        };
        match out.iter_mut().find(|(key, _)| key == k.as_str()) {
            Some(slot) => slot.1 = value,
            None => out.push((k.as_str().to_owned(), value)),
        }
    }
    out
}

/// kyaml's `SetAnnotations`: `metadata` created if missing, `annotations` replaced by a mapping
/// of string values in sorted key order, or removed when there are none.
fn set_annotations(node: &mut Node, mut annotations: Vec<(String, String)>) -> Result<()> {
    let Some(root) = node.as_map_mut() else {
        return Ok(());
    };
    let meta = root.get_or_insert_with("metadata", Node::map);
    let meta = match meta {
        Node::Map(m) => m,
        // A null `metadata` swallows the annotations without complaint.
        n if n.is_null() => return Ok(()),
        other => {
            return Err(transform_error(format!(
                "wrong node kind: expected MappingNode but got {}",
                if other.as_seq().is_some() {
                    "SequenceNode"
                } else {
                    "ScalarNode"
                }
            )))
        }
    };
    meta.remove("annotations");
    if annotations.is_empty() {
        return Ok(());
    }
    annotations.sort_by(|a, b| a.0.cmp(&b.0));
    let mut m = Mapping::with_capacity(annotations.len());
    for (k, v) in annotations {
        m.push(Scalar::string(k), Node::string(v));
    }
    meta.insert("annotations", Node::Map(m));
    Ok(())
}

/// Applies `patch` to one resource as kustomize's patch transformers do: the JSON round trip,
/// then the annotations re-set (internal ones restored to their values from before the patch).
/// `strict` makes a failure to re-set the annotations an error (`patchesJson6902` checks it,
/// `patches` ignores it).
pub fn apply_to_resource(res: &mut Resource, patch: &JsonPatch, strict: bool) -> Result<()> {
    let internal: Vec<(String, String)> = annotations_of(res.node())
        .into_iter()
        .filter(|(k, _)| is_internal_annotation(k))
        .collect();
    if res.meta.has_build_annotations() {
        // kustomize keeps its build state in annotations, so the mapping exists for the patch.
        if let Some(meta) = res
            .node_mut()
            .get_mut("metadata")
            .and_then(Node::as_map_mut)
        {
            if !matches!(meta.get("annotations"), Some(Node::Map(_))) {
                meta.insert("annotations", Node::map());
            }
        }
    }
    patch.apply_to_node(res.node_mut())?;
    let mut annotations = annotations_of(res.node());
    for (k, v) in internal {
        match annotations.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => annotations.push((k, v)),
        }
    }
    match set_annotations(res.node_mut(), annotations) {
        Err(e) if strict => Err(e),
        _ => Ok(()),
    }
}

/// What a `patches` entry's text turned out to be (kustomize's `PatchTransformer` tries both).
#[derive(Clone, Debug, PartialEq)]
pub enum PatchKind {
    /// Strategic-merge patches: the resource documents of the text (possibly none, in which
    /// case kustomize applies nothing — not even a JSON reading of the text).
    StrategicMerge(Vec<Node>),
    /// A JSON 6902 patch.
    Json(JsonPatch),
}

/// Tells a strategic-merge patch from a JSON 6902 one as kustomize's `PatchTransformer` does.
/// `text` is the patch (inline text already trimmed, or the file's content); `source` names it
/// in messages, as kustomize does: `[patch: "…"]` or `[path: "…"]`.
///
/// The text is read both ways: as resources (strategic merge) and as JSON operations (YAML
/// converted to JSON unless it starts with `[`). If both readings succeed with something in
/// them it is an error; if neither succeeds, too. Otherwise the strategic-merge reading wins
/// whenever it succeeded, even when empty.
///
/// ```
/// use kustomize_core::transform::patch::json6902::{classify_patch, PatchKind};
/// let k = classify_patch(r#"[{"op": "remove", "path": "/spec"}]"#, "[patch: \"…\"]").unwrap();
/// assert!(matches!(k, PatchKind::Json(_)));
/// ```
pub fn classify_patch(text: &str, source: &str) -> Result<PatchKind> {
    let sm = crate::load::resources::parse_patches(text.as_bytes());
    let json = json_patch_from_bytes(text);
    match (sm, json) {
        (Ok(sm), Ok(json)) if !sm.is_empty() && !json.is_empty() => Err(transform_error(format!(
            "illegally qualifies as both an SM and JSON patch: {source}"
        ))),
        // kustomize stops at "unable to parse"; the two readings' reasons say what is wrong.
        (Err(sm), Err(json)) => Err(transform_error(format!(
            "unable to parse SM or JSON patch from {source}: not a strategic-merge patch ({}), not a JSON patch ({})",
            one_line(sm.message()),
            one_line(json.message())
        ))),
        (Ok(sm), _) => Ok(PatchKind::StrategicMerge(sm)),
        (Err(_), Ok(json)) => Ok(PatchKind::Json(json)),
    }
}

/// `message` on one line: line breaks (go-yaml's lists of errors) become `; `.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `PatchTransformer`'s own reading of JSON patch text (an empty text is an error).
fn json_patch_from_bytes(text: &str) -> Result<JsonPatch> {
    if text.is_empty() {
        return Err(transform_error("empty json patch operations"));
    }
    JsonPatch::parse(text)
}

/// The JSON 6902 half of a `patches` entry (kustomize's `PatchTransformer`): every resource the
/// target selects records its current id as a previous one, then gets the patch. A nil patch
/// (text `null`) does nothing; a missing target is an error.
pub fn apply_patches_entry(
    resources: &mut ResourceList,
    target: Option<&Selector>,
    patch: &JsonPatch,
    source: &str,
) -> Result<()> {
    if patch.is_nil() {
        return Ok(());
    }
    let Some(target) = target else {
        return Err(transform_error(format!(
            "must specify a target for JSON patch {source}"
        )));
    };
    let selected = select(resources, target)?;
    if selected.is_empty() {
        return Ok(());
    }
    resources.update(|list| {
        for i in selected {
            let res = &mut list[i];
            res.store_previous_id();
            apply_to_resource(res, patch, false)
                .map_err(|e| e.context(format!("applying JSON patch {source} to {}", res.id())))?;
        }
        Ok(())
    })
}

/// A `patchesJson6902` entry, read and checked as kustomize's `PatchJson6902Transformer`
/// configures itself: a target with a name, exactly one of `path` and `patch`, and a patch with
/// at least one operation.
pub fn load_json6902_entry(
    entry: &crate::load::kustomization::Patch,
    loader: &Loader<'_>,
) -> Result<(Selector, JsonPatch)> {
    let Some(target) = entry.target.clone() else {
        // kustomize dereferences the missing target and crashes.
        return Err(transform_error(PANIC_NIL));
    };
    if target.name.is_empty() {
        return Err(transform_error("must specify the target name"));
    }
    if entry.path.is_empty() && entry.patch.is_empty() {
        return Err(transform_error("empty file path and empty jsonOp"));
    }
    let mut text = entry.patch.clone();
    if !entry.path.is_empty() {
        if !entry.patch.is_empty() {
            return Err(transform_error(
                "must specify a file path or jsonOp, not both",
            ));
        }
        let bytes = loader.read(&entry.path)?;
        text = String::from_utf8_lossy(&bytes).into_owned();
        if text.is_empty() {
            return Err(transform_error(format!(
                "patch file '{}' empty seems to be empty",
                entry.path
            )));
        }
    }
    if !text.starts_with('[') {
        // The YAML is converted to JSON text first; messages show that text.
        let docs = parse_documents(text.as_bytes(), Schema::Yaml11)
            .map_err(|e| transform_error(e.to_string()))?;
        let value = match docs.first() {
            Some(doc) => yaml11_to_json(doc).map_err(transform_error)?,
            None => Json::Nil,
        };
        let mut json = String::new();
        gojson::write(&mut json, &value, None);
        text = json;
    }
    let patch = JsonPatch::from_json(&text).map_err(|e| e.context(format!("decoding {text}")))?;
    if patch.is_empty() {
        return Err(transform_error(format!(
            "patch appears to be empty; file={}, JsonOp={text}",
            entry.path
        )));
    }
    Ok((target, patch))
}

/// Applies a `patchesJson6902` entry (see [`load_json6902_entry`]) to the resources its target
/// selects. Unlike `patches`, previous ids are not recorded.
pub fn apply_json6902_entry(
    resources: &mut ResourceList,
    target: &Selector,
    patch: &JsonPatch,
) -> Result<()> {
    let selected = select(resources, target)?;
    if selected.is_empty() {
        return Ok(());
    }
    resources.update(|list| {
        for i in selected {
            let res = &mut list[i];
            apply_to_resource(res, patch, true)
                .map_err(|e| e.context(format!("applying JSON patch to {}", res.id())))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
