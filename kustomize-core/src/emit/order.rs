//! go-yaml v2's order for mapping keys (its `keyList.Less` on strings): runs of digits compare
//! as numbers, letters compare by code point, a letter sorts after a non-letter.

use unicode_general_category::{get_general_category, GeneralCategory};

/// Go's `unicode.IsLetter` (general category L).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

/// Go's `unicode.IsDigit` (general category Nd).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == GeneralCategory::DecimalNumber
}

/// v2's comparison over a sequence of code points.
fn less_by<T: Copy + PartialEq + PartialOrd>(
    a: &[T],
    b: &[T],
    is_letter: impl Fn(T) -> bool,
    digit: impl Fn(T) -> Option<i64>,
    is_zero: impl Fn(T) -> bool,
) -> bool {
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            continue;
        }
        let al = is_letter(a[i]);
        let bl = is_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if is_zero(a[i]) || is_zero(b[i]) {
            // A zero inside a number (not a leading zero) counts as a digit of that number.
            for j in (0..i).rev() {
                if digit(a[j]).is_none() {
                    break;
                }
                if !is_zero(a[j]) {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while let Some(d) = a.get(ai).and_then(|&c| digit(c)) {
            an = an.wrapping_mul(10).wrapping_add(d);
            ai += 1;
        }
        let mut bi = i;
        while let Some(d) = b.get(bi).and_then(|&c| digit(c)) {
            bn = bn.wrapping_mul(10).wrapping_add(d);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Whether key `a` sorts before key `b` in go-yaml v2's output.
pub(crate) fn key_less(a: &str, b: &str) -> bool {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let common = ab.iter().zip(bb).take_while(|(x, y)| x == y).count();
    if common == ab.len().min(bb.len()) {
        // One is a prefix of the other: the shorter (in bytes, hence in characters) sorts first.
        return ab.len() < bb.len();
    }
    // Where the first difference and the digit runs around it are ASCII, bytes are characters.
    let ascii_digits_around = |s: &[u8]| {
        let before = s[..common]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after = s[common..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let edge_ok = |i: Option<&u8>| i.is_none_or(|c| c.is_ascii());
        edge_ok(s[..common - before.min(common)].last()) && edge_ok(s.get(common + after))
    };
    if ab[common].is_ascii()
        && bb[common].is_ascii()
        && ascii_digits_around(ab)
        && ascii_digits_around(bb)
    {
        return less_by(
            a.as_bytes(),
            b.as_bytes(),
            |c| c.is_ascii_alphabetic(),
            |c| c.is_ascii_digit().then(|| i64::from(c - b'0')),
            |c| c == b'0',
        );
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    less_by(
        &a,
        &b,
        is_letter,
        // Go subtracts '0' from any decimal digit, whatever its script.
        |c| is_digit(c).then(|| i64::from(c as u32) - i64::from(b'0')),
        |c| c == '0',
    )
}

/// Sorts `idx` (stably) by `less` on the items it points to. A hand-written merge sort: v2's
/// comparison is not guaranteed to be a total order for every input, and the standard sorts may
/// panic on such comparators.
pub(crate) fn sort_indices(
    idx: &mut [u32],
    scratch: &mut Vec<u32>,
    less: impl Fn(u32, u32) -> bool,
) {
    let n = idx.len();
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(idx[j], idx[j - 1]) {
                idx.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    scratch.clear();
    scratch.extend_from_slice(idx);
    let mut width = 1;
    // Bottom-up merging between `idx` and `scratch`; `src_is_idx` tracks where the runs are.
    let mut src_is_idx = true;
    while width < n {
        {
            let (src, dst): (&[u32], &mut [u32]) = if src_is_idx {
                (&*idx, &mut scratch[..])
            } else {
                (&scratch[..], &mut *idx)
            };
            let mut start = 0;
            while start < n {
                let mid = (start + width).min(n);
                let end = (start + 2 * width).min(n);
                let (mut l, mut r, mut o) = (start, mid, start);
                while l < mid && r < end {
                    if less(src[r], src[l]) {
                        dst[o] = src[r];
                        r += 1;
                    } else {
                        dst[o] = src[l];
                        l += 1;
                    }
                    o += 1;
                }
                dst[o..o + (mid - l)].copy_from_slice(&src[l..mid]);
                o += mid - l;
                dst[o..o + (end - r)].copy_from_slice(&src[r..end]);
                start = end;
            }
        }
        src_is_idx = !src_is_idx;
        width *= 2;
    }
    if !src_is_idx {
        idx.copy_from_slice(scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut idx: Vec<u32> = (0..keys.len() as u32).collect();
        let mut scratch = Vec::new();
        sort_indices(&mut idx, &mut scratch, |a, b| {
            key_less(keys[a as usize], keys[b as usize])
        });
        idx.iter().map(|&i| keys[i as usize].to_string()).collect()
    }

    #[test]
    fn natural_order() {
        assert_eq!(
            sorted(&["a10", "a2", "a1", "B", "_x", "10", "2", "a"]),
            ["_x", "2", "10", "B", "a", "a1", "a2", "a10"]
        );
        assert_eq!(
            sorted(&["b", "a", "é", "z", "Z"]),
            ["Z", "a", "b", "z", "é"]
        );
        assert_eq!(sorted(&["x01", "x1", "x001"]), ["x1", "x01", "x001"]);
        assert_eq!(
            sorted(&["a-b", "a.b", "a_b", "ab"]),
            ["a-b", "a.b", "a_b", "ab"]
        );
    }

    #[test]
    fn merge_sort_matches_insertion_sort() {
        let keys: Vec<String> = (0..200).map(|i| format!("k{}", (i * 7919) % 211)).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let got = sorted(&refs);
        let mut want = keys.clone();
        want.sort_by_key(|k| k[1..].parse::<u32>().unwrap());
        assert_eq!(got, want);
    }
}
