//! Numbers as Go's `strconv` and `encoding/json` read and write them.
//!
//! Parsing YAML number text is the reader's ([`crate::load::yaml::resolve::parse_int`] and
//! [`parse_float`], re-exported here); this module adds `strconv.Atoi` and `ParseBool`, and the
//! float formats: `FormatFloat(f, 'g', -1, 64 or 32)` and `encoding/json`'s, all built on the
//! shortest round-tripping digits.

pub(crate) use crate::load::yaml::resolve::{parse_float, parse_int, Number};

/// Go's `strconv.Atoi`: an optional sign and decimal digits that fit 64 bits.
pub(crate) fn atoi(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// Go's error for a failed `strconv.Atoi(s)`.
pub(crate) fn atoi_error(s: &str) -> String {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let why = if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        "value out of range"
    } else {
        "invalid syntax"
    };
    format!(
        "strconv.Atoi: parsing {}: {why}",
        crate::transform::select::go_quote(s)
    )
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The shortest decimal digits that read back as the same float (finite, non-zero), and the
/// position of the decimal point: `|f| = 0.DIGITS × 10^dp`, no leading or trailing zeros.
struct Digits {
    buf: [u8; 24],
    len: usize,
    dp: i32,
}

impl Digits {
    fn of64(f: f64) -> Digits {
        Digits::parse(ryu::Buffer::new().format_finite(f.abs()))
    }

    fn of32(f: f32) -> Digits {
        Digits::parse(ryu::Buffer::new().format_finite(f.abs()))
    }

    /// Reads ryu's text (`123.45`, `1.5e-7`, `1e16`).
    fn parse(text: &str) -> Digits {
        let text = text.as_bytes();
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

    fn digits(&self) -> &str {
        // Only ASCII digits were stored.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// `%e`: `d.ddde±XX`, at least two exponent digits.
    fn write_e(&self, out: &mut String) {
        let digits = self.digits();
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = self.dp - 1;
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(itoa::Buffer::new().format(e));
    }

    /// `%f` with as many digits as needed.
    fn write_f(&self, out: &mut String) {
        let digits = self.digits();
        if self.dp <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', self.dp.unsigned_abs() as usize));
            out.push_str(digits);
        } else if self.dp as usize >= digits.len() {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', self.dp as usize - digits.len()));
        } else {
            let (a, b) = digits.split_at(self.dp as usize);
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        }
    }

    /// `%g` with the shortest digits: `%e` when the exponent is below -4 or at least 6.
    fn write_g(&self, out: &mut String) {
        if (-4..6).contains(&(self.dp - 1)) {
            self.write_f(out);
        } else {
            self.write_e(out);
        }
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` with go-yaml's spellings of infinities and NaN: how
/// go-yaml v3 writes a float64.
pub(crate) fn format_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    signed_g(f.is_sign_negative(), f == 0.0, || Digits::of64(f))
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: `f` rounded to a float32 and printed with the fewest
/// digits that identify that float32 (`NaN`, `+Inf` and `-Inf` as Go spells them).
pub(crate) fn format_float32_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    let f = f as f32;
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    signed_g(f.is_sign_negative(), f == 0.0, || Digits::of32(f))
}

/// `%g` with the fewest digits: the sign (kept on zero, as Go keeps it), then the digits.
fn signed_g(negative: bool, zero: bool, digits: impl FnOnce() -> Digits) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if zero {
        out.push('0');
    } else {
        digits().write_g(&mut out);
    }
    out
}

/// How `encoding/json` writes a finite float64: `%f` from 1e-6 up to 1e21, `%e` (with a
/// one-digit negative exponent where it fits) outside.
pub(crate) fn format_json_float(f: f64) -> String {
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let d = Digits::of64(f);
    if (1e-6..1e21).contains(&f.abs()) {
        d.write_f(&mut out);
    } else {
        d.write_e(&mut out);
        // encoding/json writes `1e-7`, not `1e-07`.
        let n = out.len();
        if out.as_bytes()[n - 4..n - 1] == *b"e-0" {
            out.remove(n - 2);
        }
    }
    out
}

/// What kustomize prints for a finite float: `encoding/json` writes it, and go-yaml v2 reads
/// that text back (a whole number that fits 64 bits becomes an integer) and prints it again.
pub(crate) fn format_json_reread(f: f64) -> String {
    let json = format_json_float(f);
    match parse_int(&json) {
        Some(Number::Int(i)) => itoa::Buffer::new().format(i).to_owned(),
        Some(Number::Uint(u)) => itoa::Buffer::new().format(u).to_owned(),
        _ => format_g(f),
    }
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
            (f64::INFINITY, ".inf"),
            (f64::NAN, ".nan"),
        ] {
            assert_eq!(format_g(f), want, "{f}");
        }
    }

    #[test]
    fn float32_format_matches_go() {
        for (v, s) in [
            (1.10, "1.1"),
            (100.0, "100"),
            (1e20, "1e+20"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (std::f64::consts::PI, "3.1415927"),
            (0.0, "0"),
            (-0.0, "-0"),
            (-2.5, "-2.5"),
            (1e39, "+Inf"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(format_float32_g(v), s, "{v}");
        }
    }

    #[test]
    fn json_format_matches_go() {
        for (f, want) in [
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (1e-100, "1e-100"),
            (0.000001, "0.000001"),
            (1.5, "1.5"),
            (1000.0, "1000"),
            (100.0, "100"),
            (-0.0, "-0"),
            (-2.5e-10, "-2.5e-10"),
            (1.2345e300, "1.2345e+300"),
        ] {
            assert_eq!(format_json_float(f), want, "{f}");
        }
    }

    #[test]
    fn floats_print_as_kustomize_prints_them() {
        for (f, want) in [
            (1.0, "1"),
            (-0.0, "0"),
            (0.5, "0.5"),
            (1.5e-7, "1.5e-07"),
            (1e20, "1e+20"),
            (1e21, "1e+21"),
            (123456789.5, "1.234567895e+08"),
            (1e-6, "1e-06"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (100.25, "100.25"),
            (9223372036854775808.0, "9223372036854776000"),
            (1e19, "10000000000000000000"),
            (-1e19, "-1e+19"),
            (18446744073709551616.0, "1.8446744073709552e+19"),
            (1000.0, "1000"),
            (-2.5, "-2.5"),
            (123456.5, "123456.5"),
            (1234567.5, "1.2345675e+06"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ] {
            assert_eq!(format_json_reread(f), want, "{f}");
        }
    }

    #[test]
    fn go_integers() {
        assert_eq!(atoi("+5"), Some(5));
        assert_eq!(atoi("-12"), Some(-12));
        assert_eq!(atoi("x"), None);
        assert_eq!(
            atoi_error("x"),
            "strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(atoi("0x1F"), None);
        assert_eq!(
            atoi_error("0x1F"),
            "strconv.Atoi: parsing \"0x1F\": invalid syntax"
        );
        assert_eq!(atoi("99999999999999999999"), None);
        assert_eq!(
            atoi_error("99999999999999999999"),
            "strconv.Atoi: parsing \"99999999999999999999\": value out of range"
        );
        assert_eq!(parse_int("0x1F"), Some(Number::Int(31)));
        assert_eq!(parse_int("-0b101"), Some(Number::Int(-5)));
        assert_eq!(
            parse_int("9223372036854775808"),
            Some(Number::Uint(9223372036854775808))
        );
        assert_eq!(parse_int("18446744073709551616"), None);
        assert_eq!(parse_go_bool("T"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
