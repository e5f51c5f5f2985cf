//! YAML timestamps as go-yaml reads them and Go's `encoding/json` writes them.
//!
//! go-yaml (v2 and v3 alike) recognises a timestamp by trying four Go `time.Parse` layouts in
//! turn; a value that parses becomes a `time.Time`, which `encoding/json` writes in RFC 3339 with
//! nanoseconds. The same test decides whether go-yaml v2 must quote a string that merely looks
//! like a timestamp. This module reproduces exactly what those layouts accept (one- or two-digit
//! fields, any number of fraction digits, `,` as decimal mark, runs of spaces, range checks).

/// A parsed timestamp: the wall-clock fields as written plus the zone offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timestamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Offset east of UTC in seconds; 0 for UTC and for layouts without a zone.
    offset: i32,
}

/// The layouts go-yaml tries, reduced to what differs between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `2006-1-2T15:4:5.999999999Z07:00` (and the lower-case `t` variant).
    DateTimeZone(u8),
    /// `2006-1-2 15:4:5.999999999`
    DateSpaceTime,
    /// `2006-1-2`
    Date,
}

/// go-yaml's `parseTimestamp`: `Some` when one of its layouts accepts `s` entirely.
pub(crate) fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    // go-yaml's quick check: exactly four digits, then '-'.
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    [
        Layout::DateTimeZone(b'T'),
        Layout::DateTimeZone(b't'),
        Layout::DateSpaceTime,
        Layout::Date,
    ]
    .into_iter()
    .find_map(|layout| parse_layout(b, layout))
}

/// Go's `getnum(s, false)`: one digit, or two if two follow.
fn getnum(s: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *s.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match s.get(1) {
        Some(d1) if d1.is_ascii_digit() => {
            Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..]))
        }
        _ => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

/// Go's fixed two-digit `getnum(s, true)`.
fn getnum2(s: &[u8]) -> Option<u32> {
    match s {
        [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

/// Matches one literal layout byte.
fn lit(s: &[u8], c: u8) -> Option<&[u8]> {
    match s.split_first() {
        Some((&first, rest)) if first == c => Some(rest),
        _ => None,
    }
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_layout(b: &[u8], layout: Layout) -> Option<Timestamp> {
    let year = b[..4]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    let s = lit(&b[4..], b'-')?;
    let (month, s) = getnum(s)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let s = lit(s, b'-')?;
    let (day, mut s) = getnum(s)?;
    let mut t = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: 0,
    };
    match layout {
        Layout::Date => {}
        Layout::DateTimeZone(sep) => {
            s = lit(s, sep)?;
            s = parse_clock(s, &mut t)?;
            s = parse_zone(s, &mut t)?;
        }
        Layout::DateSpaceTime => {
            // A space in a Go layout matches one or more spaces (or none at the very end).
            if let Some(&c) = s.first() {
                if c != b' ' {
                    return None;
                }
            }
            while let Some((b' ', rest)) = s.split_first() {
                s = rest;
            }
            s = parse_clock(s, &mut t)?;
        }
    }
    if !s.is_empty() || t.day < 1 || t.day > days_in(t.month, t.year) {
        return None;
    }
    Some(t)
}

/// `15:4:5.999999999`: hour, minute, second, optional fraction.
fn parse_clock<'s>(s: &'s [u8], t: &mut Timestamp) -> Option<&'s [u8]> {
    let (hour, s) = getnum(s)?;
    if hour >= 24 {
        return None;
    }
    let s = lit(s, b':')?;
    let (minute, s) = getnum(s)?;
    if minute >= 60 {
        return None;
    }
    let s = lit(s, b':')?;
    let (second, mut s) = getnum(s)?;
    if second >= 60 {
        return None;
    }
    t.hour = hour;
    t.minute = minute;
    t.second = second;
    // Fraction: a '.' or ',' followed by at least one digit; every digit is consumed, the first
    // nine count.
    if s.len() >= 2 && (s[0] == b'.' || s[0] == b',') && s[1].is_ascii_digit() {
        let digits = s[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut nanos = 0u32;
        for i in 0..9 {
            let d = if i < digits {
                u32::from(s[1 + i] - b'0')
            } else {
                0
            };
            nanos = nanos * 10 + d;
        }
        t.nanos = nanos;
        s = &s[1 + digits..];
    }
    Some(s)
}

/// `Z07:00`: `Z`, or a sign and `hh:mm`.
fn parse_zone<'s>(s: &'s [u8], t: &mut Timestamp) -> Option<&'s [u8]> {
    if let Some(rest) = lit(s, b'Z') {
        return Some(rest);
    }
    if s.len() < 6 || s[3] != b':' {
        return None;
    }
    let hours = getnum2(&s[1..3])?;
    let minutes = getnum2(&s[4..6])?;
    // Go accepts offsets up to 24 hours and 60 minutes.
    if hours > 24 || minutes > 60 {
        return None;
    }
    let offset = i32::try_from((hours * 60 + minutes) * 60).ok()?;
    t.offset = match s[0] {
        b'+' => offset,
        b'-' => -offset,
        _ => return None,
    };
    Some(&s[6..])
}

impl Timestamp {
    /// Whether Go's `time.Time.MarshalJSON` accepts the zone offset (its hour must be below 24;
    /// go-yaml itself accepts offsets up to 24:60).
    pub(crate) fn offset_fits_rfc3339(&self) -> bool {
        self.offset.unsigned_abs() / 3600 < 24
    }

    /// Appends the timestamp in Go's `time.RFC3339Nano` layout, as `encoding/json` writes a
    /// `time.Time`: fraction without trailing zeros, `Z` for a zero offset.
    pub(crate) fn write_rfc3339_nano(&self, out: &mut Vec<u8>) {
        fn two(out: &mut Vec<u8>, v: u32) {
            out.push(b'0' + (v / 10 % 10) as u8);
            out.push(b'0' + (v % 10) as u8);
        }
        two(out, self.year / 100);
        two(out, self.year % 100);
        out.push(b'-');
        two(out, self.month);
        out.push(b'-');
        two(out, self.day);
        out.push(b'T');
        two(out, self.hour);
        out.push(b':');
        two(out, self.minute);
        out.push(b':');
        two(out, self.second);
        if self.nanos != 0 {
            out.push(b'.');
            let mut digits = [0u8; 9];
            let mut n = self.nanos;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (n % 10) as u8;
                n /= 10;
            }
            let len = 9 - digits.iter().rev().take_while(|&&d| d == b'0').count();
            out.extend_from_slice(&digits[..len]);
        }
        if self.offset == 0 {
            out.push(b'Z');
        } else {
            out.push(if self.offset < 0 { b'-' } else { b'+' });
            let minutes = self.offset.unsigned_abs() / 60;
            two(out, minutes / 60);
            out.push(b':');
            two(out, minutes % 60);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> Option<String> {
        parse_timestamp(s).map(|t| {
            let mut out = Vec::new();
            t.write_rfc3339_nano(&mut out);
            String::from_utf8(out).unwrap()
        })
    }

    #[test]
    fn accepts_go_yaml_layouts() {
        assert_eq!(
            fmt("2001-12-14t21:59:43.10-05:00").as_deref(),
            Some("2001-12-14T21:59:43.1-05:00")
        );
        assert_eq!(fmt("2001-12-14").as_deref(), Some("2001-12-14T00:00:00Z"));
        assert_eq!(
            fmt("2001-12-14 21:59:43.10").as_deref(),
            Some("2001-12-14T21:59:43.1Z")
        );
        assert_eq!(
            fmt("2001-1-2T3:4:5Z").as_deref(),
            Some("2001-01-02T03:04:05Z")
        );
        assert_eq!(
            fmt("2001-12-14T21:59:43+00:00").as_deref(),
            Some("2001-12-14T21:59:43Z")
        );
        assert_eq!(
            fmt("2001-12-14T21:59:43.123456789012-05:30").as_deref(),
            Some("2001-12-14T21:59:43.123456789-05:30")
        );
        assert_eq!(
            fmt("2001-12-14   1:2:3,5").as_deref(),
            Some("2001-12-14T01:02:03.5Z")
        );
        assert_eq!(fmt("2000-02-29").as_deref(), Some("2000-02-29T00:00:00Z"));
    }

    #[test]
    fn rejects_what_go_rejects() {
        for s in [
            "2001-12-14T21:59:43",
            "2001-13-01",
            "2001-02-29",
            "1900-02-29",
            "2001-12-32",
            "2001-12-14 24:00:00",
            "2001-12-14T21:59:43+5:00",
            "2001-12-14x",
            "20011-12-14",
            "2001-012-14",
            "2001-12-14 ",
            "2001-12-14T21:59:60Z",
        ] {
            assert_eq!(fmt(s), None, "{s}");
        }
    }
}
