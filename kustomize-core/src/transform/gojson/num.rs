//! Go's number formatting and parsing, as `strconv` and `encoding/json` do them.

/// The shortest decimal digits that round-trip `f` (finite, non-zero): `(digits, dp)` with
/// `|f| = 0.DIGITS × 10^dp`, no leading or trailing zeros in `digits`.
fn shortest(f: f64) -> (Vec<u8>, i32) {
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(f.abs());
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let mut dp = int_part.len() as i32 + exp;
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..lead);
    dp -= lead as i32;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, dp)
}

fn push_exp(out: &mut String, exp: i32) {
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
}

fn fmt_e(out: &mut String, digits: &[u8], dp: i32) {
    out.push(digits[0] as char);
    if digits.len() > 1 {
        out.push('.');
        out.extend(digits[1..].iter().map(|&d| d as char));
    }
    out.push('e');
    push_exp(out, dp - 1);
}

fn fmt_f(out: &mut String, digits: &[u8], dp: i32) {
    if dp <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-dp) as usize));
        out.extend(digits.iter().map(|&d| d as char));
    } else if dp as usize >= digits.len() {
        out.extend(digits.iter().map(|&d| d as char));
        out.extend(std::iter::repeat_n('0', dp as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(dp as usize);
        out.extend(a.iter().map(|&d| d as char));
        out.push('.');
        out.extend(b.iter().map(|&d| d as char));
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, with go-yaml's spellings of infinities and NaN (how
/// go-yaml v3 writes a float).
pub(crate) fn format_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, dp) = shortest(f);
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        fmt_e(&mut out, &digits, dp);
    } else {
        fmt_f(&mut out, &digits, dp);
    }
    out
}

/// How `encoding/json` writes a finite float64.
pub(crate) fn format_json_float(f: f64) -> String {
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, dp) = shortest(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        fmt_e(&mut out, &digits, dp);
        // encoding/json writes `1e-7`, not `1e-07`.
        if let Some(i) = out.rfind("e-0") {
            out.remove(i + 2);
        }
    } else {
        fmt_f(&mut out, &digits, dp);
    }
    out
}

/// A number as go-yaml v3 decodes it into an `interface{}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    /// Fits `int64`.
    Int(i64),
    /// Beyond `int64`, fits `uint64`.
    Uint(u64),
    /// A float.
    Float(f64),
}

/// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: sign, `0x`/`0o`/`0b` prefixes, a leading
/// `0` for octal.
pub(crate) fn parse_int_base0(s: &str) -> Option<Num> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u128 + 1 {
            return Some(Num::Int((magnitude as i128).wrapping_neg() as i64));
        }
        return None;
    }
    if magnitude <= i64::MAX as u128 {
        Some(Num::Int(magnitude as i64))
    } else if magnitude <= u64::MAX as u128 {
        Some(Num::Uint(magnitude as u64))
    } else {
        None
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub(crate) fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses a decimal float the way Go's `ParseFloat` does for the texts go-yaml hands it.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

/// Go's `strconv.Atoi`: optional sign, decimal digits. The error is Go's message.
pub(crate) fn atoi(s: &str) -> Result<i64, String> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            crate::transform::select::go_quote(s)
        ));
    }
    s.parse::<i64>().map_err(|_| {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            crate::transform::select::go_quote(s)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        for (f, want) in [
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (3.0, "3"),
            (-0.0, "-0"),
            (12345678901234567890.0, "1.2345678901234567e+19"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-07"),
            (100.0, "100"),
        ] {
            assert_eq!(format_g(f), want, "{f}");
        }
    }

    #[test]
    fn json_format_matches_go() {
        for (f, want) in [
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (1.5, "1.5"),
            (1000.0, "1000"),
            (-2.5e-10, "-2.5e-10"),
            (1.2345e300, "1.2345e+300"),
        ] {
            assert_eq!(format_json_float(f), want, "{f}");
        }
    }

    #[test]
    fn integers_like_go() {
        assert_eq!(parse_int_base0("0x1F"), Some(Num::Int(31)));
        assert_eq!(parse_int_base0("012"), Some(Num::Int(10)));
        assert_eq!(parse_int_base0("0o12"), Some(Num::Int(10)));
        assert_eq!(parse_int_base0("-0b101"), Some(Num::Int(-5)));
        assert_eq!(
            parse_int_base0("9223372036854775808"),
            Some(Num::Uint(9223372036854775808))
        );
        assert_eq!(
            parse_int_base0("-9223372036854775808"),
            Some(Num::Int(i64::MIN))
        );
        assert_eq!(parse_int_base0("18446744073709551616"), None);
        assert_eq!(parse_int_base0("09"), None);
        assert!(is_yaml_style_float("1e3"));
        assert!(is_yaml_style_float(".5"));
        assert!(is_yaml_style_float("5."));
        assert!(!is_yaml_style_float("1e"));
        assert!(!is_yaml_style_float("."));
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(
            atoi("x"),
            Err("strconv.Atoi: parsing \"x\": invalid syntax".into())
        );
        assert_eq!(
            atoi("99999999999999999999"),
            Err("strconv.Atoi: parsing \"99999999999999999999\": value out of range".into())
        );
    }
}
