//! What a scalar's text means: go-yaml's tag resolution, for both schemas, and the value parsers
//! later stages need to turn resolved text into numbers, timestamps and bytes exactly as Go does.
//!
//! go-yaml v3 (resources) and v2 (kustomization files) share one algorithm and differ only in which
//! words are booleans and in v3's extra `0o` handling; [`Schema`] selects between them. Number
//! syntax follows Go's `strconv` (base prefixes, underscores, range errors) and timestamps follow
//! the four `time.Parse` layouts go-yaml tries.

use super::Schema;
use crate::node::Tag;

/// A resolved tag, including the merge key marker that [`Tag`] has no room for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A value tag.
    Tag(Tag),
    /// `<<`: a merge key.
    Merge,
}

/// The class of a scalar's first byte, as go-yaml's resolver table has it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    None,
    Sign,
    Digit,
    Word,
    Dot,
}

fn hint(text: &str) -> Hint {
    match text.as_bytes().first() {
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

/// The fixed words of each schema's resolver. (`<<` is among them in go-yaml's table but
/// unreachable there: `<` has no resolver class. The parsers mark plain `<<` keys themselves.)
fn lookup_word(text: &str, schema: Schema) -> Option<Tag> {
    let tag = match text {
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Tag::Bool,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO"
        | "off" | "Off" | "OFF"
            if schema == Schema::Yaml11 =>
        {
            Tag::Bool
        }
        "" | "~" | "null" | "Null" | "NULL" => Tag::Null,
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => Tag::Float,
        _ => return None,
    };
    Some(tag)
}

/// The tag go-yaml gives a plain scalar that carries no explicit tag.
pub(crate) fn resolve_plain(text: &str, schema: Schema) -> Tag {
    resolve_implicit(text, schema, true)
}

/// The resolver's search, for an untagged scalar (`timestamps` true) or one whose explicit tag is
/// a value tag other than `!!timestamp` (`timestamps` false).
fn resolve_implicit(text: &str, schema: Schema, timestamps: bool) -> Tag {
    let h = hint(text);
    // No fixed word is longer than five characters.
    if h == Hint::None || (h == Hint::Word && text.len() > 5) {
        return Tag::Str;
    }
    if let Some(tag) = lookup_word(text, schema) {
        return tag;
    }
    match h {
        Hint::Word | Hint::None => Tag::Str,
        Hint::Dot => {
            if go_parse_float(text).is_some() {
                Tag::Float
            } else {
                Tag::Str
            }
        }
        Hint::Digit | Hint::Sign => {
            if timestamps && parse_timestamp(text).is_some() {
                Tag::Timestamp
            } else {
                match number_class(text, schema) {
                    Some(NumClass::Int) => Tag::Int,
                    Some(NumClass::Float) => Tag::Float,
                    None => Tag::Str,
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum NumClass {
    Int,
    Float,
}

/// Whether a digit- or sign-led scalar is an integer or a float, and which integer (signed or
/// unsigned, never both). `None` means it is a string.
fn number_value(text: &str, schema: Schema) -> Option<Number> {
    let plain_buf;
    let plain: &str = if text.contains('_') {
        plain_buf = text.replace('_', "");
        &plain_buf
    } else {
        text
    };
    if let Some(v) = go_parse_int(plain.as_bytes()) {
        return Some(Number::Int(v));
    }
    if let Some(v) = go_parse_uint(plain.as_bytes(), 0) {
        return Some(Number::Uint(v));
    }
    if yaml_style_float(plain.as_bytes()) {
        if let Some(f) = go_parse_float(plain) {
            return Some(Number::Float(f));
        }
    }
    // go-yaml then retries the digits after a `0b`/`0o` prefix in that base, which only adds
    // forms such as `0b-101` (a sign after the prefix) to what Go's own prefix handling took.
    let b = plain.as_bytes();
    if let Some(rest) = b.strip_prefix(b"0b") {
        if let Some(v) = go_parse_int_base(rest, 2) {
            return Some(Number::Int(v));
        }
        if let Some(v) = go_parse_uint(rest, 2) {
            return Some(Number::Uint(v));
        }
    } else if let Some(rest) = b.strip_prefix(b"-0b") {
        let mut neg = Vec::with_capacity(rest.len() + 1);
        neg.push(b'-');
        neg.extend_from_slice(rest);
        if let Some(v) = go_parse_int_base(&neg, 2) {
            return Some(Number::Int(v));
        }
    }
    if schema == Schema::Core {
        if let Some(rest) = b.strip_prefix(b"0o") {
            if let Some(v) = go_parse_int_base(rest, 8) {
                return Some(Number::Int(v));
            }
            if let Some(v) = go_parse_uint(rest, 8) {
                return Some(Number::Uint(v));
            }
        } else if let Some(rest) = b.strip_prefix(b"-0o") {
            let mut neg = Vec::with_capacity(rest.len() + 1);
            neg.push(b'-');
            neg.extend_from_slice(rest);
            if let Some(v) = go_parse_int_base(&neg, 8) {
                return Some(Number::Int(v));
            }
        }
    }
    None
}

fn number_class(text: &str, schema: Schema) -> Option<NumClass> {
    number_value(text, schema).map(|n| match n {
        Number::Float(_) => NumClass::Float,
        Number::Int(_) | Number::Uint(_) => NumClass::Int,
    })
}

/// A number as go-yaml decodes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer that fits `int64`.
    Int(i64),
    /// An integer above `int64`'s range (go-yaml's `uint64`).
    Uint(u64),
    /// A float.
    Float(f64),
}

/// The tag of a scalar that carries an explicit tag, or go-yaml's complaint.
///
/// `tag` is the tag in short form (`!!int`, `!Custom`); `"!"` and an absent tag are handled by the
/// caller. Tags go-yaml does not resolve (custom ones, `!!seq`, `!!map`, `!!merge`) give a string,
/// as decoding into a Go value does.
pub(crate) fn resolve_tagged(tag: &str, text: &str, schema: Schema) -> Result<Resolved, String> {
    let want = match tag {
        "!!str" => return Ok(Resolved::Tag(Tag::Str)),
        "!!binary" => {
            if decode_base64(text).is_none() {
                return Err("!!binary value contains invalid base64 data".into());
            }
            return Ok(Resolved::Tag(Tag::Binary));
        }
        "!!merge" => return Ok(Resolved::Merge),
        "!!bool" => Tag::Bool,
        "!!int" => Tag::Int,
        "!!float" => Tag::Float,
        "!!null" => Tag::Null,
        "!!timestamp" => Tag::Timestamp,
        _ => return Ok(Resolved::Tag(Tag::Str)),
    };
    let got = resolve_implicit(text, schema, want == Tag::Timestamp);
    if got == want {
        return Ok(Resolved::Tag(want));
    }
    if want == Tag::Float && got == Tag::Int {
        // An integer is accepted as a float, unless it only fits `uint64`.
        if let Some(Number::Int(_)) = number_value(text, schema) {
            return Ok(Resolved::Tag(Tag::Float));
        }
    }
    Err(format!(
        "cannot decode {} `{text}` as a {}",
        tag_name(got),
        tag_name(want)
    ))
}

fn tag_name(t: Tag) -> &'static str {
    match t {
        Tag::Null => "!!null",
        Tag::Bool => "!!bool",
        Tag::Int => "!!int",
        Tag::Float => "!!float",
        Tag::Str => "!!str",
        Tag::Timestamp => "!!timestamp",
        Tag::Binary => "!!binary",
    }
}

/// The value of an integer-tagged scalar's text, as go-yaml computes it (underscores dropped, Go
/// base prefixes, a leading `0` meaning octal, `0o`/`0b` forms). Works for both schemas: the
/// forms only v3 takes (`0o-17`) never carry an integer tag under v2.
pub fn parse_int(text: &str) -> Option<Number> {
    match number_value(text, Schema::Core)? {
        n @ (Number::Int(_) | Number::Uint(_)) => Some(n),
        Number::Float(_) => None,
    }
}

/// The value of a float-tagged scalar's text: `.inf`/`.nan` words, decimal floats, and integers
/// that an explicit `!!float` tag turned into floats.
pub fn parse_float(text: &str) -> Option<f64> {
    match text {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if text.starts_with('.') {
        return go_parse_float(text);
    }
    match number_value(text, Schema::Core)? {
        Number::Float(f) => Some(f),
        Number::Int(i) => Some(i as f64),
        Number::Uint(u) => Some(u as f64),
    }
}

/// The value of a boolean-tagged scalar's text under `schema`.
pub fn parse_bool(text: &str, schema: Schema) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if schema == Schema::Yaml11 => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if schema == Schema::Yaml11 => {
            Some(false)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Go's strconv, as far as go-yaml relies on it.

fn digit_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 10),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// `strconv.ParseUint(s, base, 64)` for base 0 (prefix detection, underscores per
/// `underscoreOK`), 2, 8, 10 or 16.
fn go_parse_uint(s: &[u8], base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let s0 = s;
    let mut s = s;
    let base0 = base == 0;
    let mut base = base;
    if base0 {
        base = 10;
        if s[0] == b'0' {
            if s.len() >= 3 && s[1].eq_ignore_ascii_case(&b'b') {
                base = 2;
                s = &s[2..];
            } else if s.len() >= 3 && s[1].eq_ignore_ascii_case(&b'o') {
                base = 8;
                s = &s[2..];
            } else if s.len() >= 3 && s[1].eq_ignore_ascii_case(&b'x') {
                base = 16;
                s = &s[2..];
            } else {
                base = 8;
                s = &s[1..];
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in s {
        if c == b'_' && base0 {
            underscores = true;
            continue;
        }
        let d = digit_value(c)?;
        if d >= base {
            return None;
        }
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    if underscores && !underscore_ok(s0) {
        return None;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int(s: &[u8]) -> Option<i64> {
    go_parse_int_base(s, 0)
}

fn go_parse_int_base(s: &[u8], base: u32) -> Option<i64> {
    let (neg, digits) = match s.first() {
        None => return None,
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
    };
    let un = go_parse_uint(digits, base)?;
    const CUTOFF: u64 = 1 << 63;
    if !neg && un >= CUTOFF {
        return None;
    }
    if neg && un > CUTOFF {
        return None;
    }
    Some(if neg {
        (un as i64).wrapping_neg()
    } else {
        un as i64
    })
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &[u8]) -> bool {
    let mut s = s;
    let mut saw = b'^';
    if let Some(b'+' | b'-') = s.first() {
        s = &s[1..];
    }
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &[u8]) -> bool {
    let mut i = 0;
    if let Some(b'+' | b'-') = s.first() {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if s.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = s.get(i) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == s.len()
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml can reach (it never passes hex
/// floats or `inf` words here: callers only come with text that starts with a digit, a sign or a
/// dot). Overflow is an error, as in Go; underscores follow `underscoreOK`.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Grammar: [sign] (digits [. digits*] | . digits) [(e|E) [sign] digits], underscores allowed
    // between digits.
    let mut i = 0;
    if let Some(b'+' | b'-') = b.first() {
        i = 1;
    }
    let mut mantissa_digits = 0;
    let mut underscores = false;
    let mut saw_dot = false;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => mantissa_digits += 1,
            b'_' => underscores = true,
            b'.' if !saw_dot => saw_dot = true,
            _ => break,
        }
        i += 1;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let mut exp_digits = 0;
        while i < b.len() {
            match b[i] {
                b'0'..=b'9' => exp_digits += 1,
                b'_' => underscores = true,
                _ => break,
            }
            i += 1;
        }
        if exp_digits == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let value: f64 = if underscores {
        if !underscore_ok(b) {
            return None;
        }
        s.replace('_', "").parse().ok()?
    } else {
        s.parse().ok()?
    };
    if value.is_infinite() {
        return None;
    }
    Some(value)
}

// ---------------------------------------------------------------------------------------------
// Timestamps: the layouts go-yaml hands to Go's time.Parse, checked the way time.Parse checks.

/// A timestamp as go-yaml reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Year (four digits in the text).
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
    /// Fraction of the second in nanoseconds (digits past the ninth are dropped).
    pub nanosecond: u32,
    /// The zone offset east of UTC in seconds when the text gave one as `±hh:mm`; `None` for `Z`
    /// and for layouts without a zone (both mean UTC).
    pub offset_seconds: Option<i32>,
}

impl Timestamp {
    /// The timestamp as Go's `time.Time` marshals it to JSON (RFC 3339 with nanoseconds,
    /// trailing zeros of the fraction dropped, `Z` for a zero offset), which is how kustomize
    /// prints timestamps.
    pub fn rfc3339_nano(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(35);
        let _ = write!(
            s,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanosecond != 0 {
            let frac = format!("{:09}", self.nanosecond);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        match self.offset_seconds {
            None | Some(0) => s.push('Z'),
            Some(off) => {
                let sign = if off < 0 { '-' } else { '+' };
                let off = off.unsigned_abs();
                let _ = write!(s, "{sign}{:02}:{:02}", off / 3600, off / 60 % 60);
            }
        }
        s
    }
}

/// Parses `text` as go-yaml's resolver does (`2006-1-2T15:4:5.999999999Z07:00`, the same with
/// `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`).
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let s = text.as_bytes();
    // Quick check: four digits and a dash.
    if s.len() < 5 || !s[..4].iter().all(u8::is_ascii_digit) || s[4] != b'-' {
        return None;
    }
    let year = s[..4]
        .iter()
        .fold(0i32, |acc, &c| acc * 10 + i32::from(c - b'0'));
    let rest = &s[5..];
    let (month, rest) = getnum(rest, false)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let rest = rest.strip_prefix(b"-")?;
    let (day, rest) = getnum(rest, false)?;
    let mut ts = Timestamp {
        year,
        month: month as u8,
        day: day as u8,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        offset_seconds: None,
    };
    let parsed = if rest.is_empty() {
        true
    } else {
        [b'T', b't', b' ']
            .iter()
            .any(|&sep| parse_time_part(rest, sep, &mut ts).is_some())
    };
    if !parsed {
        return None;
    }
    if ts.day < 1 || u32::from(ts.day) > days_in(u32::from(ts.month), year) {
        return None;
    }
    Some(ts)
}

/// The time of day after the date, for the layout whose separator is `sep` (`T`/`t` layouts
/// require a zone; the space layout forbids one).
fn parse_time_part(rest: &[u8], sep: u8, ts: &mut Timestamp) -> Option<()> {
    let rest = if sep == b' ' {
        // A space in a Go layout matches one or more spaces.
        if rest.first() != Some(&b' ') {
            return None;
        }
        let n = rest.iter().take_while(|&&c| c == b' ').count();
        &rest[n..]
    } else {
        rest.strip_prefix(&[sep])?
    };
    let (hour, rest) = getnum(rest, false)?;
    if hour >= 24 {
        return None;
    }
    let rest = rest.strip_prefix(b":")?;
    let (minute, rest) = getnum(rest, false)?;
    if minute >= 60 {
        return None;
    }
    let rest = rest.strip_prefix(b":")?;
    let (second, mut rest) = getnum(rest, false)?;
    if second >= 60 {
        return None;
    }
    let mut nanos = 0u32;
    if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && rest[1].is_ascii_digit() {
        let n = 1 + rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let digits = &rest[1..n.min(10)];
        let mut v: u32 = digits
            .iter()
            .fold(0, |acc, &c| acc * 10 + u32::from(c - b'0'));
        for _ in digits.len()..9 {
            v *= 10;
        }
        nanos = v;
        rest = &rest[n..];
    }
    let offset = if sep == b' ' {
        None
    } else if let Some(r) = rest.strip_prefix(b"Z") {
        rest = r;
        None
    } else {
        if rest.len() < 6 || rest[3] != b':' {
            return None;
        }
        let sign = rest[0];
        let (hh, _) = getnum(&rest[1..3], true)?;
        let (mm, _) = getnum(&rest[4..6], true)?;
        if hh > 24 || mm > 60 {
            return None;
        }
        let off = (hh as i32 * 60 + mm as i32) * 60;
        let off = match sign {
            b'+' => off,
            b'-' => -off,
            _ => return None,
        };
        rest = &rest[6..];
        Some(off)
    };
    if !rest.is_empty() {
        return None;
    }
    ts.hour = hour as u8;
    ts.minute = minute as u8;
    ts.second = second as u8;
    ts.nanosecond = nanos;
    ts.offset_seconds = offset;
    Some(())
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    let d0 = *s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1) {
        Some(&d1) if d1.is_ascii_digit() => {
            Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..]))
        }
        _ if fixed => None,
        _ => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

fn days_in(month: u32, year: i32) -> u32 {
    match month {
        2 => {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            if leap {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------------
// Base64, as Go's `base64.StdEncoding.DecodeString` accepts it.

/// Decodes `!!binary` text: standard alphabet, padding required, line breaks (`\r`, `\n`)
/// ignored, non-zero trailing bits tolerated.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let data: Vec<u8> = text.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if data.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let groups = data.len() / 4;
    for (g, quad) in data.chunks_exact(4).enumerate() {
        let last = g + 1 == groups;
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut v = 0u32;
        for &c in &quad[..4 - pad] {
            v = (v << 6) | val(c)?;
        }
        v <<= 6 * pad as u32;
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(s: &str) -> Tag {
        resolve_plain(s, Schema::Core)
    }
    fn v11(s: &str) -> Tag {
        resolve_plain(s, Schema::Yaml11)
    }
    const fn t(tag: Tag) -> Tag {
        tag
    }

    #[test]
    fn booleans_differ_between_schemas() {
        for w in ["true", "True", "TRUE", "false", "False", "FALSE"] {
            assert_eq!(core(w), t(Tag::Bool), "{w}");
            assert_eq!(v11(w), t(Tag::Bool), "{w}");
        }
        for w in [
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off",
            "Off", "OFF",
        ] {
            assert_eq!(core(w), t(Tag::Str), "{w}");
            assert_eq!(v11(w), t(Tag::Bool), "{w}");
        }
        for w in ["tRUE", "yES", "oN"] {
            assert_eq!(core(w), t(Tag::Str));
            assert_eq!(v11(w), t(Tag::Str));
        }
        assert_eq!(parse_bool("on", Schema::Yaml11), Some(true));
        assert_eq!(parse_bool("on", Schema::Core), None);
        assert_eq!(parse_bool("False", Schema::Core), Some(false));
    }

    #[test]
    fn nulls_and_words() {
        for w in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(core(w), t(Tag::Null));
            assert_eq!(v11(w), t(Tag::Null));
        }
        assert_eq!(core("nULL"), t(Tag::Str));
        assert_eq!(core("<<"), t(Tag::Str));
        assert_eq!(v11("<<"), t(Tag::Str));
        for w in [
            ".inf", ".Inf", ".INF", "+.inf", "-.INF", ".nan", ".NaN", ".NAN",
        ] {
            assert_eq!(core(w), t(Tag::Float), "{w}");
        }
        assert_eq!(core(".iNf"), t(Tag::Str));
        assert_eq!(core("-.nan"), t(Tag::Str));
    }

    #[test]
    fn integers() {
        let ints = [
            "0",
            "12",
            "-0",
            "+1",
            "012",
            "0o12",
            "0O12",
            "0x1F",
            "0X1f",
            "0b101",
            "0B11",
            "-0b101",
            "1_000",
            "1__0",
            "0x_1F",
            "_1_",
            "-_1",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "0b-101",
            "0b+11",
            "-0x1F",
            "+0x1F",
        ];
        for w in ints {
            let expect = if w == "_1_" { Tag::Str } else { Tag::Int };
            assert_eq!(core(w), t(expect), "{w}");
        }
        assert_eq!(core("0o-17"), t(Tag::Int));
        // v2 has no `0o` retry: a sign after the prefix makes it a string.
        assert_eq!(v11("0o-17"), t(Tag::Str));
        assert_eq!(v11("0o17"), t(Tag::Int));
        assert_eq!(parse_int("012"), Some(Number::Int(10)));
        assert_eq!(parse_int("-0"), Some(Number::Int(0)));
        assert_eq!(parse_int("0b-11"), Some(Number::Int(-3)));
        assert_eq!(parse_int("0o-17"), Some(Number::Int(-15)));
        assert_eq!(parse_int("0x_1F"), Some(Number::Int(31)));
        assert_eq!(parse_int("1__0"), Some(Number::Int(10)));
        assert_eq!(
            parse_int("9223372036854775808"),
            Some(Number::Uint(9223372036854775808))
        );
        assert_eq!(
            parse_int("-9223372036854775808"),
            Some(Number::Int(i64::MIN))
        );
        assert_eq!(parse_int("0x"), None);
        assert_eq!(parse_int("0b"), None);
    }

    #[test]
    fn floats() {
        for w in [
            "1.5",
            "1e3",
            "12e03",
            ".5",
            "-.5",
            "+.5",
            "1.",
            "0.",
            "08",
            "09.5",
            "-1E-3",
            "100000000000000000000",
            ".5_0",
            "1e-400",
        ] {
            assert_eq!(core(w), t(Tag::Float), "{w}");
        }
        for w in [
            "1e400", ".", "._5", ".5_", ".e3", "1e", "1.2.3", "0x1p3", "1_e3",
        ] {
            let r = core(w);
            // `1_e3` strips to `1e3`, a float.
            let expect = if w == "1_e3" { Tag::Float } else { Tag::Str };
            assert_eq!(r, t(expect), "{w}");
        }
        assert_eq!(parse_float("08"), Some(8.0));
        assert_eq!(parse_float(".5_0"), Some(0.5));
        assert_eq!(parse_float("12e03"), Some(12000.0));
        assert_eq!(parse_float("0x10"), Some(16.0));
        assert!(parse_float(".NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("-.inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("1e400"), None);
    }

    #[test]
    fn timestamps() {
        for w in [
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14T21:59:43.10-05:00",
            "2001-12-14T21:59:43Z",
            "2001-12-14 21:59:43.10",
            "2001-12-14  21:59:43",
            "2001-1-2T3:4:5Z",
            "2004-02-29",
            "2001-12-14T21:59:43,5Z",
        ] {
            assert_eq!(core(w), t(Tag::Timestamp), "{w}");
            assert_eq!(v11(w), t(Tag::Timestamp), "{w}");
        }
        for w in [
            "2001-02-29",
            "2001-12-14T24:00:00Z",
            "2001-13-01",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-14T21:59:43",
            "2001-12-14T21:59:43+0500",
            "2001-12-14x",
            "20011-12-14",
            "2001-123-1",
            "2001-12-14 21:59:43Z",
        ] {
            assert_ne!(core(w), t(Tag::Timestamp), "{w}");
        }
        let ts = parse_timestamp("2001-12-14t21:59:43.10-05:00").expect("timestamp");
        assert_eq!(
            (ts.hour, ts.nanosecond, ts.offset_seconds),
            (21, 100_000_000, Some(-5 * 3600))
        );
        assert_eq!(ts.rfc3339_nano(), "2001-12-14T21:59:43.1-05:00");
        let ts = parse_timestamp("2001-12-14T21:59:43.1234567891Z").expect("timestamp");
        assert_eq!((ts.nanosecond, ts.offset_seconds), (123_456_789, None));
        assert_eq!(ts.rfc3339_nano(), "2001-12-14T21:59:43.123456789Z");
        let ts = parse_timestamp("2001-2-3").expect("timestamp");
        assert_eq!(ts.rfc3339_nano(), "2001-02-03T00:00:00Z");
        let ts = parse_timestamp("2001-12-14T21:59:43+01:30").expect("timestamp");
        assert_eq!(ts.rfc3339_nano(), "2001-12-14T21:59:43+01:30");
    }

    #[test]
    fn explicit_tags() {
        let c = |tag: &str, s: &str| resolve_tagged(tag, s, Schema::Core);
        let t = Resolved::Tag;
        assert_eq!(c("!!int", "12"), Ok(t(Tag::Int)));
        assert_eq!(c("!!str", "12"), Ok(t(Tag::Str)));
        assert_eq!(c("!!float", "1"), Ok(t(Tag::Float)));
        assert_eq!(c("!!float", "1e3"), Ok(t(Tag::Float)));
        assert_eq!(c("!!null", ""), Ok(t(Tag::Null)));
        assert_eq!(c("!!bool", "true"), Ok(t(Tag::Bool)));
        assert_eq!(c("!!timestamp", "2001-12-14"), Ok(t(Tag::Timestamp)));
        assert_eq!(c("!Foo", "12"), Ok(t(Tag::Str)));
        assert_eq!(c("!!seq", "x"), Ok(t(Tag::Str)));
        assert_eq!(c("!!merge", "x"), Ok(Resolved::Merge));
        assert_eq!(c("!!binary", "aGVsbG8="), Ok(t(Tag::Binary)));
        assert_eq!(
            c("!!int", "abc"),
            Err("cannot decode !!str `abc` as a !!int".into())
        );
        assert_eq!(
            c("!!bool", "yes"),
            Err("cannot decode !!str `yes` as a !!bool".into())
        );
        assert_eq!(
            resolve_tagged("!!bool", "yes", Schema::Yaml11),
            Ok(t(Tag::Bool))
        );
        assert_eq!(
            c("!!int", "2001-12-14"),
            Err("cannot decode !!str `2001-12-14` as a !!int".into())
        );
        assert_eq!(
            c("!!float", "18446744073709551615"),
            Err("cannot decode !!int `18446744073709551615` as a !!float".into())
        );
        assert_eq!(
            c("!!binary", "!!!"),
            Err("!!binary value contains invalid base64 data".into())
        );
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64(""), Some(vec![]));
        assert_eq!(decode_base64("aGVsbG8"), None);
        assert_eq!(decode_base64("aG=sbG8="), None);
        assert_eq!(decode_base64("aGVsbG8=aGVs"), None);
        assert_eq!(decode_base64("a==="), None);
    }
}
