//! Decoding configuration documents into typed values the way kustomize decodes them.
//!
//! kustomize turns a kustomization file into JSON (`sigs.k8s.io/yaml`, YAML 1.1 rules) and decodes
//! that with Go's `encoding/json`, unknown fields disallowed. The consequences users meet are
//! reproduced here: keys match field names exactly or, failing that, ignoring case; a `null` value
//! leaves a field unset; a value of the wrong JSON type is an error (`namespace: 12` is a number,
//! not a string); the last of two keys naming the same field wins.

use crate::error::{Error, ErrorKind, Result};
use crate::gosem::num::{format_float32_g, parse_float, parse_int, Number};
use crate::load::yaml::resolve::parse_bool;
use crate::load::yaml::Schema;
use crate::node::{Node, Scalar, Tag};

/// The JSON type a node becomes on its way to Go's decoder.
fn json_type(node: &Node) -> &'static str {
    match node {
        Node::Map(_) => "object",
        Node::Seq(_) => "array",
        Node::Scalar(s) => match s.tag {
            Tag::Null => "null",
            Tag::Bool => "bool",
            Tag::Int | Tag::Float => "number",
            Tag::Str | Tag::Timestamp | Tag::Binary => "string",
        },
    }
}

/// Where a value sits, for error messages: the Go struct and the dotted JSON path of the field;
/// and how strictly it is decoded.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub strukt: &'a str,
    pub path: &'a str,
    /// Unknown fields are ignored (plain `sigs.k8s.io/yaml.Unmarshal`, as plugin configs are
    /// read) rather than rejected (kustomization files).
    pub lenient: bool,
}

fn type_error(node: &Node, at: At<'_>, go_type: &str) -> Error {
    let what = match node {
        Node::Scalar(s) if matches!(s.tag, Tag::Int | Tag::Float) => format!("number {}", s.text),
        _ => json_type(node).to_owned(),
    };
    Error::new(
        ErrorKind::Kustomization,
        format!(
            "json: cannot unmarshal {what} into Go struct field {}.{} of type {go_type}",
            at.strukt, at.path
        ),
    )
}

/// A value that can be decoded from a configuration node.
pub(crate) trait Decode: Sized {
    /// Decodes `node` (never null: null leaves fields unset before this is called).
    fn decode(node: &Node, at: At<'_>) -> Result<Self>;
}

impl Decode for String {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        match node {
            Node::Scalar(s) if matches!(s.tag, Tag::Str | Tag::Binary) => Ok(s.text.to_string()),
            Node::Scalar(s) if s.tag == Tag::Timestamp => Ok(s.text.to_string()),
            Node::Scalar(s) if at.lenient => {
                coerced_string(s).ok_or_else(|| type_error(node, at, "string"))
            }
            _ => Err(type_error(node, at, "string")),
        }
    }
}

/// `sigs.k8s.io/yaml.Unmarshal` turns a number or boolean headed for a string field into its Go
/// text (integers in decimal, floats as 32-bit `%g`, `true`/`false`); the value is the one the
/// scalar had after kustomize's JSON round trip of the document, where a whole float is an
/// integer.
pub(crate) fn coerced_string(s: &Scalar) -> Option<String> {
    match s.tag {
        Tag::Bool => bool::decode(
            &Node::Scalar(s.clone()),
            At {
                strukt: "",
                path: "",
                lenient: false,
            },
        )
        .ok()
        .map(|b| b.to_string()),
        Tag::Int => match parse_int(&s.text)? {
            Number::Int(i) => Some(i.to_string()),
            Number::Uint(u) => Some(u.to_string()),
            Number::Float(_) => None,
        },
        Tag::Float => {
            let f = parse_float(&s.text)?;
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                Some((f as i64).to_string())
            } else {
                Some(format_float32_g(f))
            }
        }
        _ => None,
    }
}

impl Decode for bool {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        match node {
            Node::Scalar(s) if s.tag == Tag::Bool => {
                Ok(parse_bool(&s.text, Schema::Yaml11) == Some(true))
            }
            _ => Err(type_error(node, at, "bool")),
        }
    }
}

impl Decode for i64 {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        let Node::Scalar(s) = node else {
            return Err(type_error(node, at, "int64"));
        };
        match s.tag {
            Tag::Int => int64(&s.text).ok_or_else(|| type_error(node, at, "int64")),
            // JSON carries a whole float such as `2.0` as `2`, which Go decodes into an integer.
            Tag::Float => match parse_float(&s.text) {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(f as i64),
                _ => Err(type_error(node, at, "int64")),
            },
            _ => Err(type_error(node, at, "int64")),
        }
    }
}

/// The value of integer text that fits `int64` (go-yaml's syntax: `0x1F`, `017`, `1_000`, …).
fn int64(text: &str) -> Option<i64> {
    match parse_int(text)? {
        Number::Int(i) => Some(i),
        Number::Uint(_) | Number::Float(_) => None,
    }
}

impl<T: Decode + Default> Decode for Vec<T> {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        let Node::Seq(items) = node else {
            return Err(type_error(node, at, &format!("[]{}", go_name::<T>())));
        };
        items
            .iter()
            .map(|item| {
                if item.is_null() {
                    Ok(T::default())
                } else {
                    T::decode(item, at)
                }
            })
            .collect()
    }
}

/// The JSON object key sigs.k8s.io/yaml makes of a YAML 1.1 key: booleans and numbers become
/// their Go text (`y` is `"true"`, `0x1F` is `"31"`, floats in 32-bit precision); null and other
/// keys are errors.
pub(crate) fn json_key(key: &Scalar) -> Result<String> {
    let unsupported = || {
        Error::new(
            ErrorKind::Kustomization,
            format!(
                "unsupported map key of type: {}, key: {:?}",
                key.tag_name(),
                key.as_str()
            ),
        )
    };
    match key.tag {
        Tag::Str | Tag::Binary => Ok(key.as_str().to_owned()),
        Tag::Bool => Ok(bool::decode(
            &Node::Scalar(key.clone()),
            At {
                strukt: "",
                path: "",
                lenient: false,
            },
        )?
        .to_string()),
        Tag::Int => int64(key.as_str())
            .map(|i| i.to_string())
            .ok_or_else(unsupported),
        Tag::Float => {
            let f = parse_float(key.as_str()).ok_or_else(unsupported)?;
            Ok(format_float32_g(f))
        }
        Tag::Null | Tag::Timestamp => Err(unsupported()),
    }
}

/// Go's `map[string]string`, in document order (kustomize applies them in sorted order anyway).
impl Decode for Vec<(String, String)> {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        let Node::Map(map) = node else {
            return Err(type_error(node, at, "map[string]string"));
        };
        let mut out: Vec<(String, String)> = Vec::with_capacity(map.len());
        for (k, v) in map.iter() {
            let k = json_key(k)?;
            let value = if v.is_null() {
                String::new()
            } else {
                String::decode(v, at)?
            };
            match out.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = value,
                None => out.push((k, value)),
            }
        }
        Ok(out)
    }
}

fn go_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    match full {
        "alloc::string::String" => "string",
        _ => full.rsplit("::").next().unwrap_or(full),
    }
}

/// The fields of one JSON object, matched to a struct's field names as Go matches them.
pub(crate) struct Fields<'a> {
    values: Vec<Option<&'a Node>>,
    strukt: &'a str,
    lenient: bool,
}

impl<'a> Fields<'a> {
    /// Matches the keys of `node` (which must be a mapping) against `names`, the struct's JSON
    /// field names in declaration order. Unknown keys are an error.
    pub fn new(node: &'a Node, strukt: &'a str, names: &[&str]) -> Result<Self> {
        Self::with_mode(node, strukt, names, false)
    }

    /// [`Fields::new`], or with `lenient` set, ignoring unknown keys as Go's decoder does
    /// unless told to disallow them.
    pub fn with_mode(
        node: &'a Node,
        strukt: &'a str,
        names: &[&str],
        lenient: bool,
    ) -> Result<Self> {
        let Node::Map(map) = node else {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!(
                    "json: cannot unmarshal {} into Go value of type {strukt}",
                    json_type(node)
                ),
            ));
        };
        let mut values = vec![None; names.len()];
        for (key, value) in map.iter() {
            let key = json_key(key)?;
            let key = key.as_str();
            let index = names
                .iter()
                .position(|n| *n == key)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(key)));
            match index {
                // Go leaves a field untouched when its JSON value is null.
                Some(i) if value.is_null() => {
                    let _ = i;
                }
                Some(i) => values[i] = Some(value),
                None if lenient => {}
                None => {
                    return Err(Error::new(
                        ErrorKind::Kustomization,
                        format!("json: unknown field \"{key}\""),
                    ))
                }
            }
        }
        Ok(Fields {
            values,
            strukt,
            lenient,
        })
    }

    /// Decodes field number `i` (its index in `names`), if present.
    pub fn get<T: Decode>(&self, i: usize, path: &str) -> Result<Option<T>> {
        match self.raw(i) {
            None => Ok(None),
            Some(node) => T::decode(
                node,
                At {
                    strukt: self.strukt,
                    path,
                    lenient: self.lenient,
                },
            )
            .map(Some),
        }
    }

    /// Whether field number `i` is present with a non-null value.
    pub fn has(&self, i: usize) -> bool {
        self.raw(i).is_some()
    }

    /// The raw node of field number `i`, if present.
    pub fn raw(&self, i: usize) -> Option<&'a Node> {
        self.values.get(i).copied().flatten()
    }
}

/// Declares a struct decoded from a JSON object with Go's rules. Each field lists its JSON name;
/// fields of embedded Go structs are simply listed inline, as Go promotes them.
macro_rules! decodable {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident as $go:literal {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty = $json:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        $vis struct $name {
            $( $(#[$fmeta])* $fvis $field: $ty ),*
        }

        impl $crate::load::decode::Decode for $name {
            fn decode(
                node: &$crate::node::Node,
                at: $crate::load::decode::At<'_>,
            ) -> $crate::error::Result<Self> {
                const NAMES: &[&str] = &[$($json),*];
                let fields =
                    $crate::load::decode::Fields::with_mode(node, $go, NAMES, at.lenient)?;
                let mut out = $name::default();
                let mut _i = 0usize;
                $(
                    if let Some(v) = fields.get::<$ty>(_i, $json)? {
                        out.$field = v;
                    }
                    _i += 1;
                )*
                Ok(out)
            }
        }
    };
}
pub(crate) use decodable;

impl<T: Decode> Decode for Option<T> {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        T::decode(node, at).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(node: &Node, at: At<'_>) -> Result<Self> {
        T::decode(node, at).map(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Mapping, Scalar};

    decodable! {
        struct Demo as "Demo" {
            name: String = "name",
            count: i64 = "count",
            on: bool = "on",
            tags: Vec<String> = "tags",
            labels: Vec<(String, String)> = "labels",
            inner: Option<Box<Demo>> = "inner",
        }
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.push(Scalar::string(k), v);
        }
        Node::Map(m)
    }

    fn at() -> At<'static> {
        At {
            strukt: "Demo",
            path: "",
            lenient: false,
        }
    }

    #[test]
    fn matches_names_case_insensitively_and_skips_nulls() {
        let node = map(vec![
            ("NAME", Node::string("x")),
            ("count", Node::Scalar(Scalar::tagged("2.0", Tag::Float))),
            ("tags", Node::Seq(vec![Node::string("a"), Node::null()])),
            ("on", Node::null()),
            ("inner", map(vec![("name", Node::string("y"))])),
        ]);
        let d = Demo::decode(&node, at()).unwrap();
        assert_eq!(d.name, "x");
        assert_eq!(d.count, 2);
        assert!(!d.on);
        assert_eq!(d.tags, ["a", ""]);
        assert_eq!(d.inner.unwrap().name, "y");
    }

    #[test]
    fn rejects_unknown_fields_and_wrong_types() {
        let unknown = map(vec![("nmae", Node::string("x"))]);
        let err = Demo::decode(&unknown, at()).unwrap_err();
        assert_eq!(err.message(), "json: unknown field \"nmae\"");

        let number = map(vec![("name", Node::Scalar(Scalar::tagged("12", Tag::Int)))]);
        let err = Demo::decode(&number, at()).unwrap_err();
        assert_eq!(
            err.message(),
            "json: cannot unmarshal number 12 into Go struct field Demo.name of type string"
        );

        let fraction = map(vec![(
            "count",
            Node::Scalar(Scalar::tagged("1.5", Tag::Float)),
        )]);
        assert!(Demo::decode(&fraction, at()).is_err());
    }

    #[test]
    fn yaml11_integers() {
        assert_eq!(int64("0x1F"), Some(31));
        assert_eq!(int64("0X1F"), Some(31));
        assert_eq!(int64("017"), Some(15));
        assert_eq!(int64("-1_000"), Some(-1000));
        assert_eq!(int64("0b101"), Some(5));
        assert_eq!(int64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(int64("9223372036854775808"), None);
        assert_eq!(int64("abc"), None);
    }
}
