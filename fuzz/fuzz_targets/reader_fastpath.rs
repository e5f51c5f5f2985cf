//! The reader's fast path against its exact reader: on any input, wherever the fast path
//! answers for a piece, the exact reader must accept that piece and build the same nodes.
//!
//! Each input is tried as is and, to reach the fast path's decisions more often than random
//! bytes do, as a sequence of YAML fragments (each byte picks one).

#![no_main]

use kustomize_core::load::yaml::{compare_readers, Schema};
use libfuzzer_sys::fuzz_target;

/// Fragments of block YAML, its indicators and the characters the fast path must decline.
const FRAGMENTS: &[&str] = &[
    "a", "b", "key", "1", "0x1F", "1.5", "true", "~", "null", "é", "x y", ": ", ":", "- ", "-",
    "\n", "\n", "\n", " ", "  ", "    ", "\n  ", "\n    ", "\n- ", "\n  - ", "#", " #", " # c",
    "'", "\"", "''", "\\", "\\n", "\\t", "\\x4", "\\u00e", "|", ">", "|-", ">+", "|2", "[", "]",
    "{", "}", "[]", "{}", ", ", ",", "\t", "&a", "*a", "!!str ", "? ", "<<", "---", "...", "%",
    "\r", "\u{85}", "\u{feff}", "@", "`", "\n---\n",
];

fn check(data: &[u8]) {
    for schema in [Schema::Core, Schema::Yaml11] {
        for piece in compare_readers(data, schema) {
            let Some(fast) = piece.fast else {
                continue;
            };
            match piece.exact {
                Ok(exact) => assert!(
                    fast == exact,
                    "{schema:?}: fast {fast:?} != exact {exact:?} for {:?}",
                    String::from_utf8_lossy(data)
                ),
                Err(e) => panic!(
                    "{schema:?}: fast answered {fast:?}, exact failed: {e} for {:?}",
                    String::from_utf8_lossy(data)
                ),
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mut text = String::with_capacity(data.len() * 3);
    for &b in data {
        text.push_str(FRAGMENTS[usize::from(b) % FRAGMENTS.len()]);
    }
    check(text.as_bytes());
});
