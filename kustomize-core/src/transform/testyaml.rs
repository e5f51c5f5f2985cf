//! Test-only helpers: a small block-YAML reader for building resources in unit tests (the real
//! reader lives in `load::yaml`), and a printer for comparing results.
//!
//! Supported: block mappings and sequences (sequences may sit at their key's indentation),
//! `- key: value` items, plain scalars (typed as go-yaml v3 types them), single- and
//! double-quoted strings (no escapes), `{}`, `[]`, `---` between documents.

use super::walk::{dump_node, resolve_plain};
use crate::node::{Mapping, Node, Scalar, Tag};

struct Line<'a> {
    indent: usize,
    text: &'a str,
    /// The line as written (block scalars need their own indentation).
    raw: &'a str,
}

thread_local! {
    static YAML11: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Parses one document typing plain scalars as YAML 1.1 does for kustomizations and
/// configuration files (`yes`/`no`/`on`/`off` are booleans).
pub fn yaml11(src: &str) -> Node {
    YAML11.with(|f| f.set(true));
    let n = yaml(src);
    YAML11.with(|f| f.set(false));
    n
}

/// Parses one document.
pub fn yaml(src: &str) -> Node {
    let docs = yaml_docs(src);
    assert_eq!(docs.len(), 1, "expected one document");
    docs.into_iter().next().unwrap_or_default()
}

/// Parses documents separated by `---` lines.
pub fn yaml_docs(src: &str) -> Vec<Node> {
    src.split("\n---\n")
        .map(|doc| {
            let lines: Vec<Line> = doc
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .flat_map(|l| {
                    // `- - x` is an item holding a sequence: split it into `-` and `- x`.
                    let mut out = Vec::new();
                    let mut indent = l.len() - l.trim_start().len();
                    let mut text = l.trim();
                    while let Some(rest) = text.strip_prefix("- ") {
                        let rest = rest.trim_start();
                        if !is_item(rest) {
                            break;
                        }
                        out.push(Line {
                            indent,
                            text: "-",
                            raw: l,
                        });
                        indent += text.len() - rest.len();
                        text = rest;
                    }
                    out.push(Line {
                        indent,
                        text,
                        raw: l,
                    });
                    out
                })
                .collect();
            if lines.is_empty() {
                return Node::null();
            }
            let mut i = 0;
            let n = block(&lines, &mut i, lines[0].indent);
            assert_eq!(
                i,
                lines.len(),
                "unparsed line {:?}",
                lines.get(i).map(|l| l.text)
            );
            n
        })
        .collect()
}

/// Prints a node (kyaml's layout) for comparisons.
pub fn show(n: &Node) -> String {
    dump_node(n)
}

/// Asserts that `actual` prints as `expected` parses and prints.
#[track_caller]
pub fn assert_yaml(actual: &Node, expected: &str) {
    assert_eq!(show(actual), show(&yaml(expected)));
}

fn block(lines: &[Line], i: &mut usize, indent: usize) -> Node {
    if lines[*i].text == "-" || lines[*i].text.starts_with("- ") {
        let mut items = Vec::new();
        while *i < lines.len() && lines[*i].indent == indent && is_item(lines[*i].text) {
            let rest = lines[*i].text[1..].trim_start();
            if rest.is_empty() {
                *i += 1;
                items.push(if *i < lines.len() && lines[*i].indent > indent {
                    block(lines, i, lines[*i].indent)
                } else {
                    Node::null()
                });
            } else if split_key(rest).is_some() {
                // `- key: value` starts a mapping whose other keys sit two columns in.
                let inner = indent + 2;
                let mut m = Mapping::new();
                entry(lines, i, inner, rest, &mut m);
                while *i < lines.len() && lines[*i].indent == inner && !is_item(lines[*i].text) {
                    let text = lines[*i].text;
                    entry(lines, i, inner, text, &mut m);
                }
                items.push(Node::Map(m));
            } else {
                items.push(scalar(rest));
                *i += 1;
            }
        }
        Node::Seq(items)
    } else if split_key(lines[*i].text).is_some() {
        let mut m = Mapping::new();
        while *i < lines.len() && lines[*i].indent == indent && !is_item(lines[*i].text) {
            let text = lines[*i].text;
            entry(lines, i, indent, text, &mut m);
        }
        Node::Map(m)
    } else {
        let n = scalar(lines[*i].text);
        *i += 1;
        n
    }
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Reads `key: value` (the text of line `i`, possibly after `- `) and any nested block.
fn entry(lines: &[Line], i: &mut usize, indent: usize, text: &str, m: &mut Mapping) {
    let (k, v) = split_key(text).unwrap_or((text, ""));
    *i += 1;
    let value = if matches!(v, "|" | "|-" | "|+") {
        let mut body: Vec<&str> = Vec::new();
        let mut inner = None;
        while *i < lines.len() && lines[*i].indent > indent {
            let at = *inner.get_or_insert(lines[*i].indent);
            body.push(&lines[*i].raw[at.min(lines[*i].raw.len())..]);
            *i += 1;
        }
        let mut text = body.join("\n");
        if v != "|-" {
            text.push('\n');
        }
        Node::string(text)
    } else if !v.is_empty() {
        scalar(v)
    } else if *i < lines.len()
        && (lines[*i].indent > indent || (lines[*i].indent == indent && is_item(lines[*i].text)))
    {
        block(lines, i, lines[*i].indent)
    } else {
        // An empty value is null spelled as nothing.
        Node::Scalar(Scalar::tagged("", Tag::Null))
    };
    let key = match scalar(k) {
        Node::Scalar(s) => s,
        _ => Scalar::string(k),
    };
    m.push(key, value);
}

/// Splits `key: value` at the first `: ` (or a trailing `:`) outside quotes.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (j, &c) in bytes.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') if j == 0 => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b':') if j + 1 == bytes.len() || bytes[j + 1] == b' ' => {
                return Some((&text[..j], text[j + 1..].trim()));
            }
            _ => {}
        }
    }
    None
}

fn scalar(text: &str) -> Node {
    match text {
        "{}" => return Node::map(),
        "[]" => return Node::Seq(Vec::new()),
        _ => {}
    }
    if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
        return Node::string(text[1..text.len() - 1].replace("''", "'"));
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        let mut out = String::new();
        let mut chars = text[1..text.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        }
        return Node::string(out);
    }
    let yaml11_bool = matches!(
        text,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    );
    let tag = if yaml11_bool && YAML11.with(|f| f.get()) {
        Tag::Bool
    } else {
        resolve_plain(text)
    };
    Node::Scalar(Scalar::tagged(text, tag))
}

#[test]
fn reads_the_subset_it_promises() {
    let n = yaml("a: 1\nb:\n- x: \"1\"\n  y: b\n- plain\nc:\n  d: null\n  e: {}\nf: []\n");
    assert_eq!(
        n.get_path(&["a"]).and_then(Node::as_scalar).map(|s| s.tag),
        Some(Tag::Int)
    );
    assert_eq!(n.str_at(&["c", "d"]), None);
    assert_eq!(
        show(&n),
        "a: 1\nb:\n- x: \"1\"\n  y: b\n- plain\nc:\n  d: null\n  e: {}\nf: []\n"
    );
}
