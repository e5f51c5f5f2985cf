//! YAML timestamps as go-yaml v3 reads them (`time.Parse` with its four layouts) and as Go's
//! `encoding/json` writes a `time.Time` (RFC 3339 with nanoseconds).

/// Parses a plain YAML timestamp and formats it as `time.RFC3339Nano`; `None` if go-yaml would
/// not read it as a timestamp.
pub(crate) fn rfc3339_nano(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    let year = fixed_digits(b, &mut i, 4)?;
    expect(b, &mut i, b'-')?;
    let month = short_digits(b, &mut i)?;
    expect(b, &mut i, b'-')?;
    let day = short_digits(b, &mut i)?;
    let (mut hour, mut minute, mut second, mut nanos, mut offset) = (0, 0, 0, 0u32, 0i32);
    if i < b.len() {
        // `T`, `t`, or (no zone allowed then) a space.
        let sep = b[i];
        i += 1;
        if !matches!(sep, b'T' | b't' | b' ') {
            return None;
        }
        hour = short_digits(b, &mut i)?;
        expect(b, &mut i, b':')?;
        minute = short_digits(b, &mut i)?;
        expect(b, &mut i, b':')?;
        second = short_digits(b, &mut i)?;
        if i + 1 < b.len() && matches!(b[i], b'.' | b',') && b[i + 1].is_ascii_digit() {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let frac = &s[start..i.min(start + 9)];
            nanos = format!("{frac:0<9}").parse().ok()?;
        }
        if sep != b' ' {
            match b.get(i) {
                Some(b'Z') => i += 1,
                Some(&c @ (b'+' | b'-')) => {
                    i += 1;
                    let h = fixed_digits(b, &mut i, 2)?;
                    expect(b, &mut i, b':')?;
                    let m = fixed_digits(b, &mut i, 2)?;
                    if h > 24 || m > 60 {
                        return None;
                    }
                    offset = (h * 60 + m) as i32 * if c == b'-' { -1 } else { 1 };
                }
                _ => return None,
            }
        }
    }
    if i != b.len() {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut out = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    if offset == 0 {
        out.push('Z');
    } else {
        let a = offset.unsigned_abs();
        out.push(if offset < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}:{:02}", a / 60, a % 60));
    }
    Some(out)
}

fn expect(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (b.get(*i) == Some(&c)).then(|| *i += 1)
}

fn fixed_digits(b: &[u8], i: &mut usize, n: usize) -> Option<u32> {
    let d = b.get(*i..*i + n)?;
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *i += n;
    Some(d.iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0')))
}

/// One or two digits (Go's non-padded layout elements).
fn short_digits(b: &[u8], i: &mut usize) -> Option<u32> {
    let first = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut v = u32::from(first - b'0');
    if let Some(&c) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        *i += 1;
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        assert_eq!(
            rfc3339_nano("2001-12-14t21:59:43.10-05:00").as_deref(),
            Some("2001-12-14T21:59:43.1-05:00")
        );
        assert_eq!(
            rfc3339_nano("2001-12-14").as_deref(),
            Some("2001-12-14T00:00:00Z")
        );
        assert_eq!(
            rfc3339_nano("2001-1-2 3:04:05").as_deref(),
            Some("2001-01-02T03:04:05Z")
        );
        assert_eq!(
            rfc3339_nano("2001-12-14T21:59:43+00:00").as_deref(),
            Some("2001-12-14T21:59:43Z")
        );
        assert_eq!(rfc3339_nano("2001-02-30"), None);
        assert_eq!(rfc3339_nano("2001-12-14 21:59:43 -5"), None);
    }
}
