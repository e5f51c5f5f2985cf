//! The two YAML resolvers on kustomize's output path.
//!
//! * go-yaml v3 turns each (text, tag) of the resource into a Go value
//!   ([`resolve_v3`]); explicit tags that do not fit the text make kustomize fail.
//! * go-yaml v2's YAML 1.1 resolver decides which strings must be quoted on output
//!   ([`plain_is_not_string`]): `yes`, `n`, `0x1F`, `1_000`, `2001-12-14`, …

use super::gonum::{
    is_yaml_style_float, parse_finite_f64, parse_go_float_dot, parse_int_base0, parse_uint_base0,
};
use super::gotime::{parse_timestamp, Timestamp};
use crate::node::Tag;
use std::borrow::Cow;

/// What the first byte of a plain scalar hints at (go-yaml's `resolveTable`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// Cannot be anything but a string.
    None,
    /// A sign: number or timestamp.
    Sign,
    /// A digit: number or timestamp.
    Digit,
    /// May be a word from the resolver's table.
    Word,
    /// `.`: maybe a float.
    Dot,
}

fn hint(s: &[u8]) -> Hint {
    match s.first() {
        None => Hint::Word,
        Some(b'+' | b'-') => Hint::Sign,
        Some(b'0'..=b'9') => Hint::Digit,
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Hint::Word
        }
        Some(b'.') => Hint::Dot,
        Some(_) => Hint::None,
    }
}

/// Words go-yaml v2 (YAML 1.1) resolves to something other than a string.
fn is_yaml11_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | ""
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

/// Removes every `_`, as go-yaml does before trying integer and float syntax.
fn strip_underscores(s: &str) -> Cow<'_, str> {
    if s.contains('_') {
        Cow::Owned(s.chars().filter(|&c| c != '_').collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether go-yaml v2 would read `s`, written as a plain scalar, as anything but a string (or
/// would quote it anyway, as it does for YAML 1.1 base-60 floats). Such strings are printed
/// double-quoted.
pub(crate) fn plain_is_not_string(s: &str) -> bool {
    let b = s.as_bytes();
    match hint(b) {
        Hint::None => false,
        Hint::Word => is_yaml11_word(s),
        Hint::Dot => is_yaml11_word(s) || parse_go_float_dot(s).is_some(),
        Hint::Sign | Hint::Digit => {
            if is_yaml11_word(s) || parse_timestamp(s).is_some() || is_base60_float(b) {
                return true;
            }
            let plain = strip_underscores(s);
            let p = plain.as_bytes();
            parse_int_base0(p).is_some()
                || parse_uint_base0(p).is_some()
                || (is_yaml_style_float(p) && parse_finite_f64(&plain).is_some())
        }
    }
}

/// go-yaml v2's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
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

/// The Go value go-yaml v3 decodes a scalar to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum V3Value {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// The scalar's text, unchanged.
    Str,
    Time(Timestamp),
    /// `!!binary`: the decoded bytes (not necessarily UTF-8).
    Bytes(Vec<u8>),
}

/// Why go-yaml v3 refuses a scalar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum V3Error {
    /// An explicit tag the text does not fit: (what the text is, the tag).
    Mismatch(&'static str, &'static str),
    /// `!!binary` text that is not base64.
    Base64,
}

pub(crate) fn tag_name(tag: Tag) -> &'static str {
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

/// go-yaml v3's `resolve(tag, text)` followed by its `!!binary` decoding: the value kustomize's
/// `MarshalJSON` hands to `encoding/json`.
pub(crate) fn resolve_v3(tag: Tag, text: &str) -> Result<V3Value, V3Error> {
    match tag {
        Tag::Str => return Ok(V3Value::Str),
        Tag::Binary => {
            return decode_base64(text)
                .map(V3Value::Bytes)
                .ok_or(V3Error::Base64)
        }
        _ => {}
    }
    let (found, value) = resolve_v3_untagged(tag, text);
    if found == tag {
        return Ok(value);
    }
    // An integer explicitly tagged `!!float` becomes a float (but not one beyond int64).
    if tag == Tag::Float {
        if let V3Value::Int(i) = value {
            return Ok(V3Value::Float(i as f64));
        }
    }
    Err(V3Error::Mismatch(tag_name(found), tag_name(tag)))
}

/// What `text` resolves to on its own; `tag` only matters for whether timestamps are tried.
fn resolve_v3_untagged(tag: Tag, text: &str) -> (Tag, V3Value) {
    let b = text.as_bytes();
    let h = hint(b);
    if h == Hint::None {
        return (Tag::Str, V3Value::Str);
    }
    match text {
        "true" | "True" | "TRUE" => return (Tag::Bool, V3Value::Bool(true)),
        "false" | "False" | "FALSE" => return (Tag::Bool, V3Value::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => return (Tag::Null, V3Value::Null),
        ".nan" | ".NaN" | ".NAN" => return (Tag::Float, V3Value::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return (Tag::Float, V3Value::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return (Tag::Float, V3Value::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    match h {
        Hint::Dot => {
            if let Some(f) = parse_go_float_dot(text) {
                return (Tag::Float, V3Value::Float(f));
            }
        }
        Hint::Sign | Hint::Digit => {
            if tag == Tag::Timestamp {
                if let Some(t) = parse_timestamp(text) {
                    return (Tag::Timestamp, V3Value::Time(t));
                }
            }
            let plain = strip_underscores(text);
            let p = plain.as_bytes();
            if let Some(i) = parse_int_base0(p) {
                return (Tag::Int, V3Value::Int(i));
            }
            if let Some(u) = parse_uint_base0(p) {
                return (Tag::Int, V3Value::Uint(u));
            }
            if is_yaml_style_float(p) {
                if let Some(f) = parse_finite_f64(&plain) {
                    return (Tag::Float, V3Value::Float(f));
                }
            }
            // go-yaml also tries `0b`/`-0b`/`0o`/`-0o` prefixes by hand; Go's base-0 parsing
            // above already accepts all of them.
        }
        Hint::Word | Hint::None => {}
    }
    (Tag::Str, V3Value::Str)
}

/// Go's `base64.StdEncoding.DecodeString`: standard alphabet, padding required, `\r` and `\n`
/// ignored anywhere.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if clean.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let chunks = clean.len() / 4;
    for (n, q) in clean.chunks_exact(4).enumerate() {
        let last = n + 1 == chunks;
        let pad = if last && q[2] == b'=' && q[3] == b'=' {
            2
        } else if last && q[3] == b'=' {
            1
        } else {
            0
        };
        let mut acc = 0u32;
        for &c in &q[..4 - pad] {
            acc = (acc << 6) | val(c)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Bytes to a string as Go's `encoding/json` writes them: every byte that does not start a
/// valid UTF-8 sequence becomes one U+FFFD.
pub(crate) fn lossy_utf8_go(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            let mut rest = bytes;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let (good, bad) = rest.split_at(e.valid_up_to());
                        // `good` is valid by construction.
                        out.push_str(std::str::from_utf8(good).unwrap_or_default());
                        // Go replaces byte by byte: the bytes of a broken sequence each become
                        // one U+FFFD.
                        let n = e.error_len().unwrap_or(bad.len());
                        for _ in 0..n {
                            out.push('\u{FFFD}');
                        }
                        rest = &bad[n..];
                    }
                }
            }
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_needs_quotes() {
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
            assert!(plain_is_not_string(s), "{s:?} should need quotes");
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
            assert!(!plain_is_not_string(s), "{s:?} should stay plain");
        }
    }

    #[test]
    fn v3_values() {
        assert_eq!(resolve_v3(Tag::Int, "0x1F"), Ok(V3Value::Int(31)));
        assert_eq!(resolve_v3(Tag::Int, "1_000"), Ok(V3Value::Int(1000)));
        assert_eq!(
            resolve_v3(Tag::Int, "9223372036854775808"),
            Ok(V3Value::Uint(1 << 63))
        );
        assert_eq!(resolve_v3(Tag::Float, "08"), Ok(V3Value::Float(8.0)));
        assert_eq!(resolve_v3(Tag::Float, "1"), Ok(V3Value::Float(1.0)));
        assert_eq!(
            resolve_v3(Tag::Float, "18446744073709551615"),
            Err(V3Error::Mismatch("!!int", "!!float"))
        );
        assert_eq!(
            resolve_v3(Tag::Int, "abc"),
            Err(V3Error::Mismatch("!!str", "!!int"))
        );
        assert_eq!(resolve_v3(Tag::Bool, "True"), Ok(V3Value::Bool(true)));
        assert_eq!(
            resolve_v3(Tag::Bool, "yes"),
            Err(V3Error::Mismatch("!!str", "!!bool"))
        );
        assert_eq!(resolve_v3(Tag::Null, ""), Ok(V3Value::Null));
        assert!(matches!(
            resolve_v3(Tag::Timestamp, "2001-12-14"),
            Ok(V3Value::Time(_))
        ));
        assert_eq!(
            resolve_v3(Tag::Int, "2001-12-14"),
            Err(V3Error::Mismatch("!!str", "!!int"))
        );
        assert_eq!(resolve_v3(Tag::Str, "12"), Ok(V3Value::Str));
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGk"), None);
        assert_eq!(decode_base64("aG k="), None);
        assert_eq!(decode_base64("aGk=aGk="), None);
        assert_eq!(decode_base64(""), Some(Vec::new()));
        assert_eq!(decode_base64("/w=="), Some(vec![0xff]));
    }

    #[test]
    fn invalid_utf8_becomes_one_replacement_per_byte() {
        assert_eq!(lossy_utf8_go(b"\xe2\x82A"), "\u{FFFD}\u{FFFD}A");
        assert_eq!(lossy_utf8_go(b"\xed\xa0\x80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(lossy_utf8_go(b"\xf4\x90\x80\x80").chars().count(), 4);
        assert_eq!(
            lossy_utf8_go(b"a\xffb\xe2\x82"),
            "a\u{FFFD}b\u{FFFD}\u{FFFD}"
        );
    }
}
