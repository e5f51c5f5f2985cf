//! Go's number syntax (`strconv.ParseInt`/`ParseUint` with base 0, `ParseFloat`) and the two
//! float formats on kustomize's output path: `encoding/json`'s and `strconv.FormatFloat(f, 'g',
//! -1, 64)`, which go-yaml v2 prints floats with.

/// `strconv.ParseUint(s, 0, 64)` on text without underscores.
pub(crate) fn parse_uint_base0(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let (base, digits): (u64, &[u8]) = if s[0] == b'0' {
        match s.get(1).map(|c| c | 0x20) {
            Some(b'b') if s.len() >= 3 => (2, &s[2..]),
            Some(b'o') if s.len() >= 3 => (8, &s[2..]),
            Some(b'x') if s.len() >= 3 => (16, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        if u64::from(d) >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)` on text without underscores.
pub(crate) fn parse_int_base0(s: &[u8]) -> Option<i64> {
    let (neg, rest) = match s.first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u > 1 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub(crate) fn is_yaml_style_float(s: &[u8]) -> bool {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: usize| {
        s[i.min(s.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if s.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return false;
        }
        i += 1 + n;
    } else {
        let n = digits(i);
        if n == 0 {
            return false;
        }
        i += n;
        if s.get(i) == Some(&b'.') {
            i += 1 + digits(i + 1);
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == s.len()
}

/// Parses decimal float text whose syntax is already known to be valid (no underscores);
/// `None` where Go's `ParseFloat` reports a range error (overflow to infinity).
pub(crate) fn parse_finite_f64(s: &str) -> Option<f64> {
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// Go's `strconv.ParseFloat(s, 64)` for text starting with `.` (the only non-numeric-looking
/// text go-yaml hands to it unfiltered): digits with Go's digit-separator underscores, an
/// optional exponent, and nothing else.
pub(crate) fn parse_go_float_dot(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.first() != Some(&b'.') {
        return None;
    }
    let mut i = 1;
    let mut saw_digit = false;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        saw_digit |= b[i].is_ascii_digit();
        i += 1;
    }
    if !saw_digit {
        return None;
    }
    if i < b.len() && (b[i] | 0x20) == b'e' {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return None;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    if i != b.len() {
        return None;
    }
    if b.contains(&b'_') {
        if !underscores_ok(b) {
            return None;
        }
        let stripped: String = s.chars().filter(|&c| c != '_').collect();
        parse_finite_f64(&stripped)
    } else {
        parse_finite_f64(s)
    }
}

/// Go's `underscoreOK` for a number without base prefix: every underscore sits between digits.
fn underscores_ok(b: &[u8]) -> bool {
    let mut saw = b'^';
    for &c in b {
        if c.is_ascii_digit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// The shortest decimal digits that round-trip `f` (finite, non-zero), and the position of the
/// decimal point: `f = 0.DIGITS × 10^dp`.
struct Digits {
    buf: [u8; 24],
    len: usize,
    dp: i32,
}

impl Digits {
    fn of(f: f64) -> Digits {
        let mut rb = ryu::Buffer::new();
        let text = rb.format_finite(f.abs()).as_bytes();
        let (mantissa, exp) = match text.iter().position(|&c| c == b'e' || c == b'E') {
            Some(p) => (
                &text[..p],
                std::str::from_utf8(&text[p + 1..])
                    .ok()
                    .and_then(|e| e.parse::<i32>().ok())
                    .unwrap_or(0),
            ),
            None => (text, 0),
        };
        let mut d = Digits {
            buf: [0; 24],
            len: 0,
            dp: 0,
        };
        let mut int_digits = 0i32;
        let mut seen_point = false;
        for &c in mantissa {
            if c == b'.' {
                seen_point = true;
                continue;
            }
            if d.len == 0 && c == b'0' {
                // Leading zeros only move the decimal point.
                if seen_point {
                    int_digits -= 1;
                }
                continue;
            }
            if d.len < d.buf.len() {
                d.buf[d.len] = c;
                d.len += 1;
            }
            if !seen_point {
                int_digits += 1;
            }
        }
        while d.len > 0 && d.buf[d.len - 1] == b'0' {
            d.len -= 1;
        }
        d.dp = int_digits + exp;
        d
    }

    fn digits(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Appends what kustomize prints for a finite float: `encoding/json` writes it, go-yaml v2 reads
/// that back (whole numbers that fit `int64`/`uint64` become integers) and prints it again.
pub(crate) fn write_float(out: &mut Vec<u8>, f: f64) {
    if f == 0.0 {
        // JSON `0` or `-0`, both read back as the integer 0.
        out.push(b'0');
        return;
    }
    let d = Digits::of(f);
    let digits = d.digits();
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // encoding/json writes whole floats below 1e21 as digits padded with zeros; that text is
        // an integer to go-yaml when it fits 64 bits.
        let mut value: i128 = 0;
        for i in 0..d.dp.max(0) as usize {
            let digit = digits.get(i).map_or(0, |c| c - b'0');
            value = value * 10 + i128::from(digit);
        }
        if f < 0.0 {
            value = -value;
        }
        if value >= i128::from(i64::MIN) && value <= i128::from(u64::MAX) {
            let mut b = itoa::Buffer::new();
            out.extend_from_slice(b.format(value).as_bytes());
            return;
        }
    }
    write_go_g(out, f < 0.0, digits, d.dp);
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` from the shortest digits.
fn write_go_g(out: &mut Vec<u8>, neg: bool, digits: &[u8], dp: i32) {
    if neg {
        out.push(b'-');
    }
    let exp = dp - 1;
    // With the shortest digits Go switches to %e when the exponent is below -4 or at least 6.
    if !(-4..6).contains(&exp) {
        // %e form: d.ddde±XX with at least two exponent digits.
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        let mut b = itoa::Buffer::new();
        out.extend_from_slice(b.format(e).as_bytes());
    } else if dp <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', dp.unsigned_abs() as usize));
        out.extend_from_slice(digits);
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            out.extend_from_slice(digits);
            out.extend(std::iter::repeat_n(b'0', dp - digits.len()));
        } else {
            out.extend_from_slice(&digits[..dp]);
            out.push(b'.');
            out.extend_from_slice(&digits[dp..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(f: f64) -> String {
        let mut out = Vec::new();
        write_float(&mut out, f);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_print_as_kustomize_prints_them() {
        assert_eq!(float(1.0), "1");
        assert_eq!(float(-0.0), "0");
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(1.5e-7), "1.5e-07");
        assert_eq!(float(1e20), "1e+20");
        assert_eq!(float(1e21), "1e+21");
        assert_eq!(float(123456789.5), "1.234567895e+08");
        assert_eq!(float(1e-6), "1e-06");
        assert_eq!(float(1e-5), "1e-05");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(100.25), "100.25");
        assert_eq!(float(9223372036854775808.0), "9223372036854776000");
        assert_eq!(float(1e19), "10000000000000000000");
        assert_eq!(float(-1e19), "-1e+19");
        assert_eq!(float(18446744073709551616.0), "1.8446744073709552e+19");
        assert_eq!(float(1000.0), "1000");
        assert_eq!(float(-2.5), "-2.5");
        assert_eq!(float(123456.5), "123456.5");
        assert_eq!(float(1234567.5), "1.2345675e+06");
        assert_eq!(float(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(float(5e-324), "5e-324");
    }

    #[test]
    fn go_integer_syntax() {
        assert_eq!(parse_int_base0(b"0x1F"), Some(31));
        assert_eq!(parse_int_base0(b"012"), Some(10));
        assert_eq!(parse_int_base0(b"0o12"), Some(10));
        assert_eq!(parse_int_base0(b"0b101"), Some(5));
        assert_eq!(parse_int_base0(b"-0b11"), Some(-3));
        assert_eq!(parse_int_base0(b"+12"), Some(12));
        assert_eq!(parse_int_base0(b"-0"), Some(0));
        assert_eq!(parse_int_base0(b"0"), Some(0));
        assert_eq!(parse_int_base0(b"08"), None);
        assert_eq!(parse_int_base0(b"0x"), None);
        assert_eq!(parse_int_base0(b"-"), None);
        assert_eq!(parse_int_base0(b"++1"), None);
        assert_eq!(parse_int_base0(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int_base0(b"9223372036854775808"), None);
        assert_eq!(parse_uint_base0(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_uint_base0(b"18446744073709551616"), None);
        assert_eq!(parse_uint_base0(b"+1"), None);
    }

    #[test]
    fn go_float_syntax() {
        assert!(is_yaml_style_float(b"1."));
        assert!(is_yaml_style_float(b"+.5"));
        assert!(is_yaml_style_float(b"1e3"));
        assert!(is_yaml_style_float(b"08"));
        assert!(!is_yaml_style_float(b"."));
        assert!(!is_yaml_style_float(b"1e"));
        assert!(!is_yaml_style_float(b"0x1p3"));
        assert_eq!(parse_finite_f64("1."), Some(1.0));
        assert_eq!(parse_finite_f64("+.5"), Some(0.5));
        assert_eq!(parse_finite_f64("1e400"), None);
        assert_eq!(parse_finite_f64("1e-400"), Some(0.0));
        assert_eq!(parse_go_float_dot(".5_5"), Some(0.55));
        assert_eq!(parse_go_float_dot(".5e1_0"), Some(0.5e10));
        assert_eq!(parse_go_float_dot("._5"), None);
        assert_eq!(parse_go_float_dot(".5_"), None);
        assert_eq!(parse_go_float_dot(".e5"), None);
        assert_eq!(parse_go_float_dot(".inf"), None);
        assert_eq!(parse_go_float_dot(".1e999"), None);
    }
}
