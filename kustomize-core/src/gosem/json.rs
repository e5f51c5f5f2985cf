//! Strings as Go's `encoding/json` writes them.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Appends `s` as a JSON string literal, escaped as `encoding/json` escapes (`<`, `>`, `&`,
/// U+2028 and U+2029 included, for HTML safety).
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

/// Bytes as a string the way `encoding/json` writes them: every byte that does not start a valid
/// UTF-8 sequence becomes one U+FFFD (Rust's `from_utf8_lossy` replaces whole sequences).
pub(crate) fn lossy_utf8(bytes: &[u8]) -> Cow<'_, str> {
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
    fn escapes_like_go() {
        let mut s = String::new();
        write_string(&mut s, "a<b>&\"\\\n\u{1}\u{2028}é\u{8}\t");
        assert_eq!(s, r#""a\u003cb\u003e\u0026\"\\\n\u0001\u2028é\b\t""#);
        assert_eq!(html_escape_raw(r#""a<b""#), r#""a\u003cb""#);
        assert!(matches!(html_escape_raw("1"), Cow::Borrowed("1")));
    }

    #[test]
    fn invalid_utf8_becomes_one_replacement_per_byte() {
        assert_eq!(lossy_utf8(b"\xe2\x82A"), "\u{FFFD}\u{FFFD}A");
        assert_eq!(lossy_utf8(b"\xed\xa0\x80"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(lossy_utf8(b"\xf4\x90\x80\x80").chars().count(), 4);
        assert_eq!(lossy_utf8(b"a\xffb\xe2\x82"), "a\u{FFFD}b\u{FFFD}\u{FFFD}");
    }
}
