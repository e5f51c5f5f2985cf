//! Bytes to scanner input, as go-yaml's reader sees them: byte order marks, UTF-16, and the
//! characters YAML forbids.
//!
//! go-yaml decodes its input lazily, 512 raw bytes at a time, and fails only when the scanner
//! asks for a chunk holding a bad character. So a bad byte far past the end of the document
//! being read goes unnoticed. To mirror that without decoding lazily, the text is validated at
//! once and, when it holds a bad character, cut at the start of the chunk go-yaml would fail on;
//! the scanner reports the reader's error if it ever looks past the cut.

use std::borrow::Cow;

/// Text ready for the scanner.
pub(crate) struct Text<'a> {
    /// The text, without byte order mark, cut before the chunk holding a bad character.
    pub text: Cow<'a, str>,
    /// go-yaml's reader error for the bad character, if there is one.
    pub reader_error: Option<&'static str>,
}

const CHUNK: usize = 512;

/// Prepares one go-yaml input.
pub(crate) fn decode(raw: &[u8]) -> Text<'_> {
    if raw.len() >= 2 && raw[0] == 0xFF && raw[1] == 0xFE {
        return decode_utf16(&raw[2..], false);
    }
    if raw.len() >= 2 && raw[0] == 0xFE && raw[1] == 0xFF {
        return decode_utf16(&raw[2..], true);
    }
    let start = if raw.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &raw[start..];
    let (bad, width, message) = match first_problem(body) {
        Ok(text) => {
            return Text {
                text: Cow::Borrowed(text),
                reader_error: None,
            }
        }
        Err(problem) => problem,
    };
    let cut = failing_chunk_start(raw, start, start + bad, width) - start;
    // The cut falls on a character boundary inside the valid part.
    Text {
        text: Cow::Borrowed(std::str::from_utf8(&body[..cut]).unwrap_or_default()),
        reader_error: Some(message),
    }
}

/// A character go-yaml's reader rejects: its offset, how many bytes it must see before it can
/// tell (`None`: at once), and the reader's message.
type Problem = (usize, Option<usize>, &'static str);

/// The text, validated once, or the first character go-yaml's reader rejects.
fn first_problem(body: &[u8]) -> Result<&str, Problem> {
    let (valid, utf8_problem) = match std::str::from_utf8(body) {
        Ok(text) => {
            return match first_disallowed(body) {
                None => Ok(text),
                Some(at) => Err(disallowed(body, at)),
            }
        }
        Err(e) => {
            let at = e.valid_up_to();
            (at, (at, go_utf8_problem(&body[at..])))
        }
    };
    if let Some(at) = first_disallowed(&body[..valid]) {
        return Err(disallowed(body, at));
    }
    let (at, (width, message)) = utf8_problem;
    Err((at, width, message))
}

fn disallowed(body: &[u8], at: usize) -> Problem {
    (
        at,
        Some(utf8_width(body[at])),
        "control characters are not allowed",
    )
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        b if b & 0x80 == 0 => 1,
        b if b & 0xE0 == 0xC0 => 2,
        b if b & 0xF0 == 0xE0 => 3,
        _ => 4,
    }
}

/// go-yaml's complaint about the malformed UTF-8 at the start of `s`, and the bytes it reads
/// before complaining (`None` when the leading byte alone is wrong).
fn go_utf8_problem(s: &[u8]) -> (Option<usize>, &'static str) {
    let lead = s[0];
    let width = match lead {
        b if b & 0x80 == 0 => 1,
        b if b & 0xE0 == 0xC0 => 2,
        b if b & 0xF0 == 0xE0 => 3,
        b if b & 0xF8 == 0xF0 => 4,
        _ => return (None, "invalid leading UTF-8 octet"),
    };
    if width > s.len() {
        return (Some(width), "incomplete UTF-8 octet sequence");
    }
    let mut value: u32 = u32::from(match width {
        2 => lead & 0x1F,
        3 => lead & 0x0F,
        _ => lead & 0x07,
    });
    for &c in &s[1..width] {
        if c & 0xC0 != 0x80 {
            return (Some(width), "invalid trailing UTF-8 octet");
        }
        value = (value << 6) | u32::from(c & 0x3F);
    }
    let shortest = match width {
        2 => value >= 0x80,
        3 => value >= 0x800,
        _ => value >= 0x10000,
    };
    if !shortest {
        return (Some(width), "invalid length of a UTF-8 sequence");
    }
    (Some(width), "invalid Unicode character")
}

/// The first character of valid UTF-8 text outside YAML's printable set (go-yaml allows tab,
/// line feed, carriage return, NEL and everything printable).
fn first_disallowed(s: &[u8]) -> Option<usize> {
    // Blocks of printable ASCII and line feeds, nearly all of any YAML file, are passed over
    // with a test the compiler vectorizes; the others get the word-by-word look.
    const BLOCK: usize = 32;
    let mut i = 0;
    while let Some(block) = s.get(i..i + BLOCK) {
        let odd = block.iter().fold(0u8, |acc, &b| {
            acc | u8::from(!(b.wrapping_sub(0x20) < 0x5F || b == b'\n'))
        });
        if odd != 0 {
            if let Some(bad) = disallowed_in(s, i, i + BLOCK) {
                return Some(bad);
            }
        }
        i += BLOCK;
    }
    disallowed_in(s, i, s.len())
}

/// [`first_disallowed`] for the characters starting in `s[from..to]`, a word at a time.
fn disallowed_in(s: &[u8], from: usize, to: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const M7F: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // The high bit of each byte of `x` that is zero (exact, no carries between bytes).
    let zero_bytes = |x: u64| !(((x & M7F) + M7F) | x | M7F);
    let mut i = from;
    while let Some(chunk) = s.get(i..(i + 8).min(to)).filter(|c| c.len() == 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // ASCII bytes below 0x20 and DEL at once: (b + 1) mod 128 is below 0x21 just for them.
        let t = ((w & M7F) + LO) & M7F;
        let ctrl = !(t + 0x5F * LO) & !w & HI;
        let high = w & HI;
        if ctrl | high == 0 {
            i += 8;
            continue;
        }
        let mut suspicious = 0;
        if ctrl != 0 {
            // Line breaks are the usual ones; tabs and CRs rarer.
            suspicious = ctrl & !zero_bytes(w ^ (b'\n' as u64 * LO));
            if suspicious != 0 {
                suspicious &=
                    !(zero_bytes(w ^ (b'\t' as u64 * LO)) | zero_bytes(w ^ (b'\r' as u64 * LO)));
            }
        }
        if high != 0 {
            // Only C1 controls (lead 0xC2) and U+FFFE/U+FFFF (lead 0xEF) are refused.
            suspicious |= zero_bytes(w ^ (0xC2 * LO)) | zero_bytes(w ^ (0xEF * LO));
        }
        if suspicious == 0 {
            i += 8;
            continue;
        }
        let first = i + (suspicious.trailing_zeros() / 8) as usize;
        if let Some(bad) = check_from(s, first, first + 1) {
            return Some(bad);
        }
        i = first + 1;
    }
    check_from(s, i, to)
}

/// Checks the characters starting in `s[from..to]` one by one (`from` starts a character).
fn check_from(s: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to.min(s.len()) {
        let c = s[i];
        match c {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7E => {}
            0xC2 => {
                let n = s.get(i + 1).copied().unwrap_or(0);
                if (0x80..=0x9F).contains(&n) && n != 0x85 {
                    return Some(i);
                }
            }
            0xEF => {
                if s.get(i + 1) == Some(&0xBF) && matches!(s.get(i + 2), Some(0xBE | 0xBF)) {
                    return Some(i);
                }
            }
            c if c >= 0x80 => {}
            _ => return Some(i),
        }
        i += 1;
    }
    None
}

/// Where go-yaml's decoded text ends when it fails on the character at raw offset `bad`: the
/// start of the decoding round that meets it. Rounds read up to 512 raw bytes, keeping an
/// incomplete character for the next round.
fn failing_chunk_start(raw: &[u8], start: usize, bad: usize, width: Option<usize>) -> usize {
    let len = raw.len();
    let mut raw_end = len.min(CHUNK);
    let mut decoded = start;
    loop {
        let seen = match width {
            None => bad < raw_end,
            Some(w) => bad + w <= raw_end || (raw_end == len && bad < raw_end),
        };
        if seen || raw_end >= len {
            return decoded;
        }
        // Keep an incomplete character for the next round.
        let mut boundary = raw_end;
        let mut back = 0;
        while back < 3 && boundary > decoded && raw[boundary - 1] & 0xC0 == 0x80 {
            boundary -= 1;
            back += 1;
        }
        if boundary > decoded {
            let lead = raw[boundary - 1];
            if lead >= 0xC0 && boundary - 1 + utf8_width(lead) > raw_end {
                boundary -= 1;
            } else {
                boundary = raw_end;
            }
        } else {
            boundary = raw_end;
        }
        let leftover = raw_end - boundary;
        decoded = boundary;
        raw_end = len.min(raw_end + (CHUNK - leftover));
    }
}

/// UTF-16 input, transcoded. A bad code unit stops the text before any of it is read (go-yaml's
/// chunking is not modelled for UTF-16).
fn decode_utf16(body: &[u8], big_endian: bool) -> Text<'static> {
    let mut out = String::with_capacity(body.len());
    let unit = |i: usize| {
        if big_endian {
            u16::from_be_bytes([body[i], body[i + 1]])
        } else {
            u16::from_le_bytes([body[i], body[i + 1]])
        }
    };
    let mut i = 0;
    let fail = |message: &'static str| Text {
        text: Cow::Owned(String::new()),
        reader_error: Some(message),
    };
    while i < body.len() {
        if i + 2 > body.len() {
            return fail("incomplete UTF-16 character");
        }
        let u = unit(i);
        let c = if (0xDC00..0xE000).contains(&u) {
            return fail("unexpected low surrogate area");
        } else if (0xD800..0xDC00).contains(&u) {
            if i + 4 > body.len() {
                return fail("incomplete UTF-16 surrogate pair");
            }
            let u2 = unit(i + 2);
            if !(0xDC00..0xE000).contains(&u2) {
                return fail("expected low surrogate area");
            }
            i += 4;
            0x10000 + ((u32::from(u) & 0x3FF) << 10) + (u32::from(u2) & 0x3FF)
        } else {
            i += 2;
            u32::from(u)
        };
        let allowed = matches!(c, 0x09 | 0x0A | 0x0D | 0x85)
            || (0x20..=0x7E).contains(&c)
            || (0xA0..=0xD7FF).contains(&c)
            || (0xE000..=0xFFFD).contains(&c)
            || (0x10000..=0x10FFFF).contains(&c);
        if !allowed {
            return fail("control characters are not allowed");
        }
        match char::from_u32(c) {
            Some(ch) => out.push(ch),
            None => return fail("invalid Unicode character"),
        }
    }
    Text {
        text: Cow::Owned(out),
        reader_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_are_dropped() {
        assert_eq!(&*decode(b"\xEF\xBB\xBFa: 1").text, "a: 1");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(&*decode(&le).text, "a: é");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a: 𝄞".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(&*decode(&be).text, "a: 𝄞");
    }

    #[test]
    fn reader_messages_match_go_yaml() {
        let msg = |b: &[u8]| decode(b).reader_error;
        assert_eq!(msg(b"a: \xff"), Some("invalid leading UTF-8 octet"));
        assert_eq!(msg(b"a: \xc3"), Some("incomplete UTF-8 octet sequence"));
        assert_eq!(msg(b"a: \xc3("), Some("invalid trailing UTF-8 octet"));
        assert_eq!(
            msg(b"a: \xc0\x80"),
            Some("invalid length of a UTF-8 sequence")
        );
        assert_eq!(msg(b"a: \xed\xa0\x80"), Some("invalid Unicode character"));
        assert_eq!(
            msg(b"a: \xf4\x90\x80\x80"),
            Some("invalid Unicode character")
        );
        assert_eq!(msg(b"a: \x01"), Some("control characters are not allowed"));
        assert_eq!(msg(b"a: \x7f"), Some("control characters are not allowed"));
        assert_eq!(
            msg(b"a: \xc2\x80"),
            Some("control characters are not allowed")
        );
        assert_eq!(
            msg(b"a: \xef\xbf\xbe"),
            Some("control characters are not allowed")
        );
        assert_eq!(msg(b"a: \xc2\x85\t\r\n"), None);
        assert_eq!(msg(b"a: \0"), Some("control characters are not allowed"));
        // Past the first eight bytes the word-at-a-time scan finds them too, at any offset.
        for at in 8..40 {
            for bad in [&b"\x01"[..], b"\x7f", b"\xc2\x9f", b"\xef\xbf\xbf", b"\x1b"] {
                let mut text = vec![b'a'; at];
                text.extend_from_slice(bad);
                text.extend_from_slice(b"\tb\r\n\xc2\x85\xc3\xa9 tail text");
                assert_eq!(
                    first_problem(&text).err().map(|p| p.0),
                    Some(at),
                    "{at} {bad:?}"
                );
                let mut fine = vec![b'a'; at];
                fine.extend_from_slice("\t\r\n\u{85}\u{a0}é\u{fffd}✓😀 tail text".as_bytes());
                assert!(first_problem(&fine).is_ok(), "{at}");
            }
        }
    }

    #[test]
    fn word_scan_matches_the_byte_scan() {
        // Every ASCII byte, and pairs of them, at every place in a word.
        for b in 0u8..0x80 {
            for c in [b'a', b'\n', b'\t', 0x7F, 0x0B, b'\r', 0] {
                for at in 0..70 {
                    let mut text = vec![b' '; 80];
                    text[at] = b;
                    text[at + 1] = c;
                    assert_eq!(
                        first_disallowed(&text),
                        check_from(&text, 0, text.len()),
                        "{b:#x} {c:#x} at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_bytes_cut_at_their_chunk() {
        // A bad byte in the first 512 bytes fails at once.
        let t = decode(b"a: 1\n\xff");
        assert!(t.text.is_empty());
        // One in the third chunk leaves the first two readable.
        let mut raw = vec![b'#'; 1100];
        raw[1050] = 0xFF;
        let t = decode(&raw);
        assert_eq!(t.text.len(), 1024);
        // A character split across the chunk boundary moves the boundary back.
        let mut raw = vec![b'#'; 1100];
        raw[511] = 0xC3;
        raw[512] = 0xA9;
        raw[1030] = 0x01;
        let t = decode(&raw);
        assert_eq!(t.text.len(), 1023);
    }
}
