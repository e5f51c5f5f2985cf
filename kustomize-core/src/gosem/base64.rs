//! Standard base64 (`encoding/base64.StdEncoding`).

/// Go's `StdEncoding.DecodeString`, as go-yaml applies it to `!!binary` text (the reader's).
pub(crate) use crate::load::yaml::resolve::decode_base64 as decode;

/// Go's `StdEncoding.EncodeToString`: standard alphabet, with padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_go() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(&[0xff, 0xfe]), "//4=");
    }

    #[test]
    fn decodes_like_go() {
        assert_eq!(decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode("aGk"), None);
        assert_eq!(decode("aG k="), None);
        assert_eq!(decode("aGk=aGk="), None);
        assert_eq!(decode(""), Some(Vec::new()));
        assert_eq!(decode("/w=="), Some(vec![0xff]));
        for bytes in [&b"kustomize"[..], b"\x00\x01\x02", b"ab"] {
            assert_eq!(decode(&encode(bytes)).as_deref(), Some(bytes));
        }
    }
}
