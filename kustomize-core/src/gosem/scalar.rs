//! Scalars as go-yaml sees them: the tag plain text resolves to, the Go value a tagged scalar
//! decodes to (go-yaml v3), and whether a string must be quoted to read back as one (go-yaml
//! v2, which prints kustomize's output).

use crate::gosem::{base64, num};
use crate::load::yaml::resolve::{self, parse_bool, parse_timestamp, Number};
use crate::load::yaml::Schema;
use crate::node::{Scalar, Tag};

pub(crate) use crate::load::yaml::resolve::Timestamp;

/// The tag go-yaml v3 gives plain (untagged, unquoted) text. kyaml writes untagged scalars
/// (created fields, replacement values); they take this tag when the resource is read again.
pub(crate) fn resolve_plain(text: &str) -> Tag {
    resolve::resolve_plain(text, Schema::Core)
}

/// A scalar kyaml writes without a tag: `text`, tagged as it reads back.
pub(crate) fn plain_scalar(text: &str) -> Scalar {
    Scalar::tagged(text, resolve_plain(text))
}

/// Whether go-yaml v2 must quote the string `s` for it to read back as a string: its YAML 1.1
/// resolver reads the plain text as something else (`yes`, `0x1F`, `1_000`, `2001-12-14`, …), or
/// it is a YAML 1.1 base-60 float, which v2 quotes though it no longer reads them.
pub(crate) fn yaml11_needs_quotes(s: &str) -> bool {
    // Base 60 needs a leading sign or digit; checking that first spares long strings a scan.
    let base60 = matches!(s.as_bytes().first(), Some(b'+' | b'-' | b'0'..=b'9'))
        && is_base60_float(s.as_bytes());
    base60 || resolve::resolve_plain(s, Schema::Yaml11) != Tag::Str
}

/// Whether go-yaml v3's encoder quotes the string `s`: its plain text reads back as something
/// else, or it is a YAML 1.1 boolean (`yes`, `off`, …) or base-60 float, which v3 quotes for
/// the sake of YAML 1.1 readers.
pub(crate) fn v3_needs_quotes(s: &str) -> bool {
    resolve_plain(s) != Tag::Str
        || parse_bool(s, Schema::Yaml11).is_some()
        || is_base60_float(s.as_bytes())
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(b: &[u8]) -> bool {
    if !b.contains(&b':') {
        return false;
    }
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two when the first is 0-5.
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The Go value go-yaml v3 decodes a scalar to when the target is an `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum GoValue {
    /// `nil`.
    Null,
    /// A `bool`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `uint64` (an integer beyond `int64`).
    Uint(u64),
    /// A `float64`.
    Float(f64),
    /// A string: the scalar's text, unchanged.
    Str,
    /// A `time.Time`.
    Time(Timestamp),
    /// `!!binary`: the decoded bytes (not necessarily UTF-8).
    Bytes(Vec<u8>),
}

/// go-yaml v3's decoding of a scalar tagged `tag`: its value, or go-yaml's complaint (without
/// the `yaml: ` prefix) when the text does not fit the tag, e.g. `cannot decode !!str `abc` as
/// a !!int`. A string with a tag is what it says; an integer tagged `!!float` is a float.
pub(crate) fn decode_v3(tag: Tag, text: &str) -> Result<GoValue, String> {
    match tag {
        Tag::Str => return Ok(GoValue::Str),
        Tag::Binary => {
            return base64::decode(text)
                .map(GoValue::Bytes)
                .ok_or_else(|| "!!binary value contains invalid base64 data".to_owned())
        }
        _ => {}
    }
    resolve::resolve_tagged(tag.name(), text, Schema::Core)?;
    let value = match tag {
        Tag::Null => Some(GoValue::Null),
        Tag::Bool => parse_bool(text, Schema::Core).map(GoValue::Bool),
        Tag::Int => num::parse_int(text).map(|n| match n {
            Number::Int(i) => GoValue::Int(i),
            Number::Uint(u) => GoValue::Uint(u),
            Number::Float(f) => GoValue::Float(f),
        }),
        Tag::Float => num::parse_float(text).map(GoValue::Float),
        Tag::Timestamp => parse_timestamp(text).map(GoValue::Time),
        Tag::Str | Tag::Binary => Some(GoValue::Str),
    };
    // The resolver accepted the text for this tag, so it has a value; this only guards that.
    value.ok_or_else(|| format!("cannot decode !!str `{text}` as a {}", tag.name()))
}

/// Whether Go's `time.Time.MarshalJSON` accepts the timestamp's zone: its hour must be below 24,
/// though go-yaml reads offsets up to `24:60`.
pub(crate) fn zone_fits_json(t: &Timestamp) -> bool {
    t.offset_seconds
        .is_none_or(|o| o.unsigned_abs() / 3600 < 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_resolution() {
        for (text, tag) in [
            ("", Tag::Null),
            ("~", Tag::Null),
            ("true", Tag::Bool),
            ("yes", Tag::Str),
            ("on", Tag::Str),
            ("12", Tag::Int),
            ("123", Tag::Int),
            ("-0x1F", Tag::Int),
            ("0x1F", Tag::Int),
            ("012", Tag::Int),
            ("0o17", Tag::Int),
            ("0b101", Tag::Int),
            ("0b-101", Tag::Int),
            ("1_000", Tag::Int),
            ("18446744073709551615", Tag::Int),
            ("99999999999999999999", Tag::Float),
            ("1e5", Tag::Float),
            ("1e3", Tag::Float),
            ("1.5", Tag::Float),
            (".5", Tag::Float),
            ("1.", Tag::Float),
            ("1e999", Tag::Str),
            (".inf", Tag::Float),
            ("2001-12-14", Tag::Timestamp),
            ("2001-12-14t21:59:43.10-05:00", Tag::Timestamp),
            ("2001-12-14 21:59:43.10", Tag::Timestamp),
            ("2001-12-14  21:59:43", Tag::Timestamp),
            ("2001-02-30", Tag::Str),
            ("1.2.3", Tag::Str),
            ("nginx", Tag::Str),
            ("0x", Tag::Str),
            ("-", Tag::Str),
        ] {
            assert_eq!(resolve_plain(text), tag, "{text:?}");
        }
        assert_eq!(plain_scalar("1"), Scalar::tagged("1", Tag::Int));
    }

    #[test]
    fn yaml11_strings_that_need_quotes() {
        for s in [
            "",
            "y",
            "Y",
            "yes",
            "Yes",
            "YES",
            "n",
            "N",
            "no",
            "on",
            "On",
            "OFF",
            "off",
            "true",
            "False",
            "~",
            "null",
            "NULL",
            ".inf",
            "-.Inf",
            "+.INF",
            ".NaN",
            "0x1F",
            "1_000",
            "012",
            "08",
            "1e3",
            "1.",
            "+.5",
            ".5",
            ".5_5",
            "-0",
            "0b101",
            "-0b11",
            "0b-1",
            "0o17",
            "99999999999999999999",
            "2001-12-14",
            "2001-12-14 21:59:43.10",
            "1:20",
            "-12:30:45",
            "190:20:30.15",
            "1_",
            "+1_000",
        ] {
            assert!(yaml11_needs_quotes(s), "{s:?} should need quotes");
        }
        for s in [
            "yES",
            "nO",
            "tRUE",
            "<<",
            "Nul",
            "0x",
            "1e400",
            "0x1p3",
            ".1e999",
            "1:60",
            "1:2:",
            "abc",
            "-",
            "+",
            ".",
            "._5",
            "2001-12-14T21:59:43",
            "v1",
            "1.2.3",
            "1e",
            "0b2",
            "-.5.5",
        ] {
            assert!(!yaml11_needs_quotes(s), "{s:?} should stay plain");
        }
    }

    #[test]
    fn yaml_v3_quotes_yaml11_booleans_and_base60() {
        for s in [
            "yes",
            "Off",
            "y",
            "1:20",
            "12",
            "true",
            "",
            "0o-1",
            "2001-12-14",
        ] {
            assert!(v3_needs_quotes(s), "{s:?}");
        }
        for s in ["a b", "*x", "yES", "0b2", "1:60"] {
            assert!(!v3_needs_quotes(s), "{s:?}");
        }
    }

    #[test]
    fn values_decode_like_yaml_v3() {
        let mismatch = |found: &str, want: &str, text: &str| {
            Err(format!("cannot decode {found} `{text}` as a {want}"))
        };
        assert_eq!(decode_v3(Tag::Int, "0x1F"), Ok(GoValue::Int(31)));
        assert_eq!(decode_v3(Tag::Int, "1_000"), Ok(GoValue::Int(1000)));
        assert_eq!(
            decode_v3(Tag::Int, "9223372036854775808"),
            Ok(GoValue::Uint(1 << 63))
        );
        assert_eq!(decode_v3(Tag::Float, "08"), Ok(GoValue::Float(8.0)));
        assert_eq!(decode_v3(Tag::Float, "1"), Ok(GoValue::Float(1.0)));
        assert_eq!(
            decode_v3(Tag::Float, "18446744073709551615"),
            mismatch("!!int", "!!float", "18446744073709551615")
        );
        assert_eq!(
            decode_v3(Tag::Int, "abc"),
            mismatch("!!str", "!!int", "abc")
        );
        assert_eq!(decode_v3(Tag::Bool, "True"), Ok(GoValue::Bool(true)));
        assert_eq!(
            decode_v3(Tag::Bool, "yes"),
            mismatch("!!str", "!!bool", "yes")
        );
        assert_eq!(decode_v3(Tag::Null, ""), Ok(GoValue::Null));
        assert_eq!(decode_v3(Tag::Null, "~"), Ok(GoValue::Null));
        let Ok(GoValue::Time(t)) = decode_v3(Tag::Timestamp, "2001-12-14t21:59:43.10-05:00") else {
            panic!("a timestamp")
        };
        assert_eq!(t.rfc3339_nano(), "2001-12-14T21:59:43.1-05:00");
        assert!(zone_fits_json(&t));
        let Ok(GoValue::Time(t)) = decode_v3(Tag::Timestamp, "2001-12-14T21:59:43+24:00") else {
            panic!("a timestamp")
        };
        assert!(!zone_fits_json(&t));
        assert_eq!(
            decode_v3(Tag::Int, "2001-12-14"),
            mismatch("!!str", "!!int", "2001-12-14")
        );
        assert_eq!(decode_v3(Tag::Str, "12"), Ok(GoValue::Str));
        assert_eq!(
            decode_v3(Tag::Binary, "aGk="),
            Ok(GoValue::Bytes(b"hi".to_vec()))
        );
        assert_eq!(
            decode_v3(Tag::Binary, "aGk"),
            Err("!!binary value contains invalid base64 data".into())
        );
    }
}
