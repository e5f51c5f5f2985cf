//! Reader tests.
//!
//! `testdata/reader/{core,config}` holds inputs written for these tests with what kustomize v5.8
//! did with them (`*.expected`, recorded once from the real binary): either its printed output
//! or its error. Resource files (`core`) are read with [`Schema::Core`] and their documents
//! compared, value for value, with kustomize's output; kustomization files (`config`) are read
//! with [`Schema::Yaml11`] and checked against what kustomize made of `commonAnnotations.k`.

use super::resolve::{self, Number};
use super::*;
use crate::node::{Node, Scalar, Tag};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn core(src: &str) -> Vec<Node> {
    match parse_documents(src.as_bytes(), Schema::Core) {
        Ok(d) => d,
        Err(e) => panic!("unexpected error {e} for {src:?}"),
    }
}

fn core1(src: &str) -> Node {
    let docs = core(src);
    assert_eq!(docs.len(), 1, "{src:?}");
    docs.into_iter().next().unwrap_or_default()
}

fn v11(src: &str) -> Node {
    match parse_documents(src.as_bytes(), Schema::Yaml11) {
        Ok(mut d) => d.remove(0),
        Err(e) => panic!("unexpected error {e} for {src:?}"),
    }
}

fn core_err(src: &str) -> YamlError {
    match parse_documents(src.as_bytes(), Schema::Core) {
        Ok(d) => panic!("expected an error for {src:?}, got {d:?}"),
        Err(e) => e,
    }
}

fn v11_err(src: &str) -> YamlError {
    match parse_documents(src.as_bytes(), Schema::Yaml11) {
        Ok(d) => panic!("expected an error for {src:?}, got {d:?}"),
        Err(e) => e,
    }
}

fn text<'a>(n: &'a Node, path: &[&str]) -> &'a str {
    match n.get_path(path).and_then(Node::as_scalar) {
        Some(s) => s.as_str(),
        None => panic!("no scalar at {path:?} in {n:?}"),
    }
}

fn tag(n: &Node, path: &[&str]) -> Tag {
    match n.get_path(path).and_then(Node::as_scalar) {
        Some(s) => s.tag,
        None => panic!("no scalar at {path:?} in {n:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// A value model for comparing parsed input with kustomize's printed output.

#[derive(Debug, PartialEq, Clone)]
enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<V>),
    Map(BTreeMap<String, V>),
}

fn scalar_value(s: &Scalar, schema: Schema) -> V {
    match s.tag {
        Tag::Null => V::Null,
        Tag::Bool => V::Bool(resolve::parse_bool(&s.text, schema).unwrap_or(false)),
        Tag::Int => match resolve::parse_int(&s.text) {
            Some(Number::Int(i)) => V::Num(i as f64),
            Some(Number::Uint(u)) => V::Num(u as f64),
            _ => V::Str(format!("bad int {}", s.text)),
        },
        Tag::Float => match resolve::parse_float(&s.text) {
            Some(f) => V::Num(f),
            None => V::Str(format!("bad float {}", s.text)),
        },
        Tag::Timestamp => match resolve::parse_timestamp(&s.text) {
            Some(t) => V::Str(t.rfc3339_nano()),
            None => V::Str(format!("bad timestamp {}", s.text)),
        },
        Tag::Binary => match resolve::decode_base64(&s.text) {
            Some(b) => V::Str(String::from_utf8_lossy(&b).into_owned()),
            None => V::Str(format!("bad binary {}", s.text)),
        },
        Tag::Str => V::Str(s.text.to_string()),
    }
}

fn value(n: &Node, schema: Schema) -> V {
    match n {
        Node::Scalar(s) => scalar_value(s, schema),
        Node::Seq(items) => V::Seq(items.iter().map(|i| value(i, schema)).collect()),
        Node::Map(m) => V::Map(
            m.iter()
                .map(|(k, v)| (key_string(k, schema), value(v, schema)))
                .collect(),
        ),
    }
}

/// A key as it appears in kustomize's JSON (integer keys print in decimal).
fn key_string(k: &Scalar, schema: Schema) -> String {
    match scalar_value(k, schema) {
        V::Num(f) if k.tag == Tag::Int => format!("{f}"),
        V::Str(s) => s,
        V::Null => String::new(),
        other => format!("{other:?}"),
    }
}

/// The documents kustomize printed, read back (its printer writes go-yaml v2 YAML).
fn printed_documents(out: &str) -> Vec<V> {
    out.split("\n---\n")
        .map(|p| {
            let p = if p.ends_with('\n') {
                p.to_string()
            } else {
                format!("{p}\n")
            };
            match parse_documents(p.as_bytes(), Schema::Yaml11) {
                Ok(d) => value(&d[0], Schema::Yaml11),
                Err(e) => panic!("kustomize output unreadable: {e}"),
            }
        })
        .collect()
}

fn sorted(mut v: Vec<V>) -> Vec<V> {
    v.sort_by_key(|x| format!("{x:?}"));
    v
}

fn fixtures(kind: &str) -> Vec<(String, Vec<u8>, String)> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/reader")
        .join(kind);
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let input = std::fs::read(&path).unwrap_or_default();
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|e| panic!("{name}: no expected output: {e}"));
        out.push((name, input, expected));
    }
    out.sort();
    assert!(out.len() > 20, "fixtures missing in {}", dir.display());
    out
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// Why `got` disagrees with kustomize's `expected` for a resource file, if it does.
fn core_mismatch(got: &Result<Vec<Node>, YamlError>, expected: &str) -> Option<String> {
    if expected.starts_with("CRASH") {
        return got
            .is_ok()
            .then(|| "kustomize crashed, reader accepted".into());
    }
    if expected.is_empty() {
        return match got {
            Ok(d) if d.iter().all(Node::is_null) => None,
            other => Some(format!("kustomize printed nothing, reader gave {other:?}")),
        };
    }
    if !expected.starts_with("Error:") {
        let docs = match got {
            Ok(d) => d,
            Err(e) => return Some(format!("kustomize accepted, reader: {e}")),
        };
        let ours = sorted(
            docs.iter()
                .filter(|n| !n.is_null())
                .map(|n| value(n, Schema::Core))
                .collect(),
        );
        let theirs = sorted(printed_documents(expected));
        return (ours != theirs)
            .then(|| format!("values differ:\n ours   {ours:?}\n theirs {theirs:?}"));
    }
    if let Some(msg) = between(expected, "MalformedYAMLError: ", " in File:") {
        return match got {
            Err(e) if e.to_string() == msg && e.kind == YamlErrorKind::Syntax => None,
            other => Some(format!("want syntax error {msg:?}, got {other:?}")),
        };
    }
    if let Some(msg) = between(
        expected,
        "accumulating resources from 'r.yaml': ",
        "': must build",
    ) {
        if msg == "missing Resource metadata" {
            // The reader accepts; the resource stage rejects a document that is no mapping.
            return match got {
                Ok(d) if d.iter().any(|n| !n.is_null() && n.as_map().is_none()) => None,
                other => Some(format!("want a non-mapping document, got {other:?}")),
            };
        }
        return match got {
            Err(e) if e.to_string() == msg && e.kind == YamlErrorKind::Document => None,
            other => Some(format!("want kyaml error {msg:?}, got {other:?}")),
        };
    }
    if expected.contains("failed to convert result to YAML") {
        let Some(i) = expected
            .rfind(": yaml: ")
            .or_else(|| expected.rfind("}: json: "))
        else {
            return Some("unrecognised expectation".into());
        };
        let msg = expected[i..]
            .split_once(": ")
            .map(|x| x.1)
            .unwrap_or_default()
            .trim_end();
        let decode = msg.starts_with("yaml: unmarshal errors:")
            || msg.starts_with("yaml: invalid map key")
            || msg.starts_with("yaml: cannot decode")
            || msg.starts_with("yaml: !!binary");
        if !decode {
            // Raised by the printer (JSON conversion, go-yaml v2's emitter): the reader accepts.
            return got
                .as_ref()
                .err()
                .map(|e| format!("printer-side failure, reader rejected: {e}"));
        }
        let e = match got {
            Err(e) if e.kind == YamlErrorKind::Decode => e,
            other => return Some(format!("want decode error {msg:?}, got {other:?}")),
        };
        if msg.starts_with("yaml: unmarshal errors:") {
            // kustomize counts lines in the YAML it re-encodes; compare the keys named.
            let keys = |s: &str| {
                let mut k: Vec<String> = s
                    .split("mapping key ")
                    .skip(1)
                    .map(|p| p.split(" already").next().unwrap_or_default().to_string())
                    .collect();
                k.sort();
                k
            };
            let ours = e.to_string();
            return (keys(&ours) != keys(msg) || keys(msg).is_empty())
                .then(|| format!("want {msg:?}, got {ours:?}"));
        }
        return (e.message != msg.trim_start_matches("yaml: "))
            .then(|| format!("want {msg:?}, got {e}"));
    }
    Some(format!("unrecognised expectation {expected:?}"))
}

/// Runs `f` on a thread with a large stack: go-yaml accepts 10 000 levels of nesting, and
/// dropping or comparing such trees recurses once per level.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap_or_else(|e| panic!("cannot spawn: {e}"));
    if let Err(e) = handle.join() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn resource_files_read_as_kustomize_reads_them() {
    with_big_stack(resource_fixtures);
}

/// Fixtures whose printed output differs from what was read because of kustomize's printing,
/// not its reading; [`printer_effects_are_not_reading`] checks what the reader gives for them.
const PRINTER_EFFECTS: &[&str] = &[
    // kyaml re-encodes resources keeping their styles; go-yaml v3's folded-scalar emitter looks
    // at the value's first byte instead of the next line and writes an extra line break.
    "folded-more-indented",
    // An empty null inside a flow collection cannot be written plain in flow style, so the
    // re-encode quotes it and it prints as "".
    "flow-empty-null",
];

fn resource_fixtures() {
    let mut failures = Vec::new();
    let cases = fixtures("core");
    for (name, input, expected) in &cases {
        if PRINTER_EFFECTS.contains(&name.as_str()) {
            continue;
        }
        let got = parse_documents(input, Schema::Core);
        if let Some(why) = core_mismatch(&got, expected) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// What kustomize's JSON decode of `k` (a string field) says about our value of it.
fn config_mismatch(
    name: &str,
    got: &Result<Vec<Node>, YamlError>,
    expected: &str,
) -> Option<String> {
    if let Some(msg) = between(expected, "invalid Kustomization: yaml: ", "\n") {
        return match got {
            Err(e) if e.to_string() == format!("yaml: {msg}") => None,
            other => Some(format!("want error yaml: {msg}, got {other:?}")),
        };
    }
    let doc = match got {
        Ok(d) if d.len() == 1 => &d[0],
        other => return Some(format!("want one document, got {other:?}")),
    };
    let k = doc
        .get_path(&["commonAnnotations", "k"])
        .and_then(Node::as_scalar);
    if expected.contains("cannot unmarshal bool") {
        return (k.map(|s| s.tag) != Some(Tag::Bool)).then(|| format!("want a bool, got {k:?}"));
    }
    if expected.contains("cannot unmarshal number") || expected.contains("unsupported value: +Inf")
    {
        return (!matches!(k.map(|s| s.tag), Some(Tag::Int | Tag::Float)))
            .then(|| format!("want a number, got {k:?}"));
    }
    if expected.contains("map[interface {}]interface {}{true:\"b\"}") {
        let m = doc.get("commonAnnotations").and_then(Node::as_map);
        let ok = m.is_some_and(|m| {
            m.len() == 1
                && m.iter()
                    .all(|(k, v)| k.tag == Tag::Bool && v.as_str() == Some("b"))
        });
        return (!ok).then(|| format!("want one bool key with b, got {m:?}"));
    }
    if expected.starts_with("Error:") {
        // Rejected by kustomize after reading (unknown field, empty file).
        return None;
    }
    let printed = printed_documents(expected);
    let want = match printed.first() {
        Some(V::Map(m)) => match m.get("metadata") {
            Some(V::Map(md)) => match md.get("annotations") {
                Some(V::Map(a)) => a.get("k").cloned(),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let ours = k.map(|s| match scalar_value(s, Schema::Yaml11) {
        // A JSON null leaves the string field empty.
        V::Null => V::Str(String::new()),
        v => v,
    });
    (ours != want).then(|| format!("{name}: want {want:?}, got {ours:?}"))
}

#[test]
fn kustomization_files_read_as_kustomize_reads_them() {
    with_big_stack(config_fixtures);
}

fn config_fixtures() {
    let mut failures = Vec::new();
    let cases = fixtures("config");
    for (name, input, expected) in &cases {
        let got = parse_documents(input, Schema::Yaml11);
        if let Some(why) = config_mismatch(name, &got, expected) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn printer_effects_are_not_reading() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reader/core");
    let read = |name: &str| {
        let bytes = std::fs::read(dir.join(format!("{name}.yaml"))).unwrap_or_default();
        match parse_documents(&bytes, Schema::Core) {
            Ok(mut d) => d.remove(0),
            Err(e) => panic!("{name}: {e}"),
        }
    };
    let doc = read("folded-more-indented");
    assert_eq!(text(&doc, &["spec", "f"]), "para\n  more indented\nback\n");
    let doc = read("flow-empty-null");
    assert_eq!(tag(&doc, &["spec", "a", "d"]), Tag::Null);
    assert_eq!(tag(&doc, &["spec", "a", "e"]), Tag::Null);
    let b = doc
        .get_path(&["spec", "b"])
        .and_then(Node::as_seq)
        .unwrap_or_default();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].get("x").map(Node::is_null), Some(true));
}

// ---------------------------------------------------------------------------------------------
// Scalars.

#[test]
fn plain_scalars_fold_lines() {
    let d = core1("a: one\n  two\n\n  three\n\n\n  four   \nb: x y  z  \nc: a#b # comment\n");
    assert_eq!(text(&d, &["a"]), "one two\nthree\n\nfour");
    assert_eq!(text(&d, &["b"]), "x y  z");
    assert_eq!(text(&d, &["c"]), "a#b");
    let d = core1("- a\n  b\n- c: d\n    e\n");
    assert_eq!(format!("{d:?}"), r#"["a b", {"c": "d e"}]"#);
}

#[test]
fn quoted_scalars_unescape_and_fold() {
    let e = core_err("a: \"\\/\"\n");
    assert_eq!(e.to_string(), "yaml: found unknown escape character");
    let d = core1(concat!(
        "a: \"\\0\\a\\b\\t\\\t\\n\\v\\f\\r\\e\\ \\\"\\'\\\\\"\n",
        "b: \"\\N\\_\\L\\P\\x41\\u00e9\\U0001F600\"\n",
        "c: \"esc\\\n   aped \\\n  break\"\n",
        "d: \"fold\n  this\n\n  keep one\n\n\n  two\"\n",
        "e: '  it''s\n  folded  '\n",
        "f: \"trailing  \n  spaces\"\n",
        "g: \"\"\n",
    ));
    assert_eq!(text(&d, &["a"]), "\0\x07\x08\t\t\n\x0B\x0C\r\x1B \"'\\");
    assert_eq!(text(&d, &["b"]), "\u{85}\u{A0}\u{2028}\u{2029}Aé😀");
    assert_eq!(text(&d, &["c"]), "escaped break");
    assert_eq!(text(&d, &["d"]), "fold this\nkeep one\n\ntwo");
    assert_eq!(text(&d, &["e"]), "  it's folded  ");
    assert_eq!(text(&d, &["f"]), "trailing spaces");
    assert_eq!(tag(&d, &["g"]), Tag::Str);
}

#[test]
fn block_scalars() {
    let d = core1(concat!(
        "clip: |\n  a\n   b\n\n",
        "strip: |-\n  a\n\n",
        "keep: |+\n  a\n\n\n",
        "ind: |2\n    x\n  y\n",
        "lead: |\n\n\n  z\n",
        "fold: >\n  a\n  b\n\n  c\n    more\n  d\n",
        "foldkeep: >+\n  a\n\n",
        "empty: |\n",
        "tabs: |\n  x\n  \ty\t\n",
        "hdr: |- # comment\n  q\n",
        "last: x\n",
    ));
    assert_eq!(text(&d, &["clip"]), "a\n b\n");
    assert_eq!(text(&d, &["strip"]), "a");
    assert_eq!(text(&d, &["keep"]), "a\n\n\n");
    assert_eq!(text(&d, &["ind"]), "  x\ny\n");
    assert_eq!(text(&d, &["lead"]), "\n\nz\n");
    assert_eq!(text(&d, &["fold"]), "a b\nc\n  more\nd\n");
    assert_eq!(text(&d, &["foldkeep"]), "a\n\n");
    assert_eq!(text(&d, &["empty"]), "");
    assert_eq!(tag(&d, &["empty"]), Tag::Str);
    assert_eq!(text(&d, &["tabs"]), "x\n\ty\t\n");
    // With the indentation still to be found, a tab cannot open the first line.
    assert_eq!(
        core_err("a: |\n  \tx\n").to_string(),
        "yaml: line 2: found a tab character where an indentation space is expected"
    );
    assert_eq!(text(&d, &["hdr"]), "q");
    // At the end of input, without a final line break.
    assert_eq!(text(&core1("a: |\n  x\n  y"), &["a"]), "x\ny");
    assert_eq!(text(&core1("a: >-\n  x"), &["a"]), "x");
}

#[test]
fn collections_and_structure() {
    let d = core1(concat!(
        "flow: {a: [1, {b: c}], d: , e, \"q\": 'r', ? k: v}\n",
        "trailing: [a, b, ]\n",
        "pairs: [a: b, c]\n",
        "multi: [\n  x,\n  y\n]\n",
        "indentless:\n- a\n- b:\n  - c\n",
        "nested:\n- - x\n  - y\n- k: v\n  l: w\n",
        "? explicit\n: value\n",
        "? lonely\n",
        "empty:\n",
    ));
    assert_eq!(
        format!("{:?}", d.get("flow")),
        r#"Some({"a": ["1"!Int, {"b": "c"}], "d": "null"!Null, "e": "null"!Null, "q": "r", "k": "v"})"#
            .replace("\"null\"!Null", "\"\"!Null")
    );
    assert_eq!(format!("{:?}", d.get("trailing")), r#"Some(["a", "b"])"#);
    assert_eq!(
        format!("{:?}", d.get("pairs")),
        r#"Some([{"a": "b"}, "c"])"#
    );
    assert_eq!(format!("{:?}", d.get("multi")), r#"Some(["x", "y"])"#);
    assert_eq!(
        format!("{:?}", d.get("indentless")),
        r#"Some(["a", {"b": ["c"]}])"#
    );
    assert_eq!(
        format!("{:?}", d.get("nested")),
        r#"Some([["x", "y"], {"k": "v", "l": "w"}])"#
    );
    assert_eq!(text(&d, &["explicit"]), "value");
    assert!(d.get("lonely").is_some_and(Node::is_null));
    assert!(d.get("empty").is_some_and(Node::is_null));
    // Key order is document order.
    let keys: Vec<&str> = d.as_map().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(
        keys,
        [
            "flow",
            "trailing",
            "pairs",
            "multi",
            "indentless",
            "nested",
            "explicit",
            "lonely",
            "empty"
        ]
    );
}

#[test]
fn json_is_yaml() {
    let d = core1(r#"{"a": [1, 2.5, true, null, "x\ty\u00e9"], "b": {"c": {}}, "d": []}"#);
    assert_eq!(
        format!("{d:?}"),
        r#"{"a": ["1"!Int, "2.5"!Float, "true"!Bool, "null"!Null, "x\tyé"], "b": {"c": {}}, "d": []}"#
    );
}

#[test]
fn comments_everywhere() {
    let d = core1(concat!(
        "# head\n",
        "a: 1 # trailing\n",
        "# between\n",
        "b: [1, # in flow\n  2]\n",
        "c: | # header\n  text # not a comment\n",
        "  # still text\n",
        "d: x\n",
        "# foot\n",
    ));
    assert_eq!(format!("{:?}", d.get("b")), r#"Some(["1"!Int, "2"!Int])"#);
    assert_eq!(text(&d, &["c"]), "text # not a comment\n# still text\n");
    assert_eq!(text(&d, &["d"]), "x");
}

#[test]
fn tabs_where_go_yaml_allows_them() {
    let d = core1("a:\tb\nc: [1,\t2]\nd: x\t# comment\n");
    assert_eq!(text(&d, &["a"]), "b");
    // v3 consumes comment lines that follow a comment, tabs and all; v2 does not.
    let src = "a: b\n# c1\n\t# c2\nc: d\n";
    assert_eq!(text(&core1(src), &["c"]), "d");
    assert_eq!(
        v11_err(src).to_string(),
        "yaml: line 3: found character that cannot start any token"
    );
    // Indenting with a tab is an error in both.
    assert_eq!(
        core_err("a:\n\tb: 1\n").to_string(),
        "yaml: line 2: found character that cannot start any token"
    );
    // A tab right after content continues the plain scalar onto the next line.
    assert_eq!(
        core_err("a: b\n\t# c\n").to_string(),
        "yaml: line 2: found a tab character that violates indentation"
    );
}

#[test]
fn line_breaks_and_encodings() {
    let d = core1("a: |\r\n  x\r\n  y\r\nb: \"p\r\n  q\"\r\n");
    assert_eq!(text(&d, &["a"]), "x\ny\n");
    assert_eq!(text(&d, &["b"]), "p q");
    let d = core1("a: 1\rb: 2\r");
    assert_eq!(text(&d, &["b"]), "2");
    let d = core1("\u{feff}a: 1\n");
    assert_eq!(text(&d, &["a"]), "1");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("a: é\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let docs = parse_documents(&utf16, Schema::Core).unwrap_or_default();
    assert_eq!(docs.len(), 1);
    assert_eq!(text(&docs[0], &["a"]), "é");
    // NEL, LS and PS break lines in go-yaml.
    let d = core1("a: \"x\u{85}y\"\nb: 'x\u{2028}\u{2028}y'\n");
    assert_eq!(text(&d, &["a"]), "x y");
    assert_eq!(text(&d, &["b"]), "x\u{2028}\u{2028}y");
}

// ---------------------------------------------------------------------------------------------
// Documents.

#[test]
fn resource_files_split_as_kyaml_splits_them() {
    assert!(core("").is_empty());
    let docs = core("# only\n# comments\n");
    assert_eq!(docs.len(), 1);
    assert!(docs[0].is_null());
    let docs = core("---\n---\n");
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(Node::is_null));
    let docs = core("a: 1\n--- # comment\nb: 2\n---\t\n\n---\nnull\n---\n~\n");
    assert_eq!(docs.len(), 5);
    assert_eq!(text(&docs[1], &["b"]), "2");
    assert!(docs[2].is_null() && docs[3].is_null() && docs[4].is_null());
    // A leading `---` is the document start of the first piece; content on its line cannot be
    // a block mapping.
    let docs = core("---\na: 1\n");
    assert_eq!(docs.len(), 1);
    assert_eq!(text(&core1("--- {a: 1}\n"), &["a"]), "1");
    assert_eq!(
        core_err("--- a: 1\n").to_string(),
        "yaml: mapping values are not allowed in this context"
    );
    // A second document inside a piece (after `...`) is never read...
    let docs = core("a: 1\n...\nb: [unclosed\n");
    assert_eq!(docs.len(), 1);
    assert_eq!(text(&docs[0], &["a"]), "1");
    // ...though go-yaml's look-ahead trips on it when it is close.
    assert_eq!(
        core_err("a: 1\n...\n'unterminated\n").to_string(),
        "yaml: line 3: found unexpected end of stream"
    );
    // Anything but a comment after `---` is an error, `----` included.
    for (src, sep) in [
        ("a\n--- b\n", "--- b"),
        ("a\n----\n", "----"),
        ("a\n---x\n", "---x"),
    ] {
        let e = core_err(src);
        assert_eq!(e.kind, YamlErrorKind::Document);
        assert_eq!(e.to_string(), format!("invalid document separator: {sep}"));
    }
    // Error lines count from the start of the piece.
    assert_eq!(
        core_err("a: 1\n---\nb: 1\nc: [\n").to_string(),
        "yaml: line 2: did not find expected node content"
    );
    // Root null tagged explicitly is skipped like null.
    assert!(core1("!!null whatever\n").is_null());
    // Scalars and sequences are documents too; the caller rejects them.
    assert_eq!(format!("{:?}", core("- a\n--- \nb\n")), r#"[["a"], "b"]"#);
}

#[test]
fn kustomization_files_read_their_first_document_only() {
    let d = v11("resources:\n- a.yaml\n---\nresources:\n- b.yaml\n");
    assert_eq!(format!("{d:?}"), r#"{"resources": ["a.yaml"]}"#);
    let d = v11("a: 1\n---\n\"unterminated\n");
    assert_eq!(text(&d, &["a"]), "1");
    assert!(v11("").is_null());
    assert!(v11("# nothing\n").is_null());
    // No kyaml splitting: `--- foo` is a document start with content.
    assert_eq!(format!("{:?}", v11("--- foo\n")), r#""foo""#);
}

// ---------------------------------------------------------------------------------------------
// Schemas.

#[test]
fn core_resolution() {
    let d = core1(concat!(
        "b: [true, True, TRUE, false, yes, on, y, n, off, No]\n",
        "n: [null, Null, NULL, ~, '', \"null\"]\n",
        "i: [0, -0, +1, 012, 08, 0o17, 0x1F, 0b11, 1_000, 9223372036854775808]\n",
        "f: [1.5, .5, 1e3, -.inf, .NaN, 1e400]\n",
        "t: [2001-12-14, 2001-12-14t21:59:43.10-05:00, '2001-12-14']\n",
    ));
    let tags = |k: &str| -> Vec<Tag> {
        d.get(k)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_scalar)
            .map(|s| s.tag)
            .collect()
    };
    use Tag::*;
    assert_eq!(
        tags("b"),
        [Bool, Bool, Bool, Bool, Str, Str, Str, Str, Str, Str]
    );
    assert_eq!(tags("n"), [Null, Null, Null, Null, Str, Str]);
    assert_eq!(
        tags("i"),
        [Int, Int, Int, Int, Float, Int, Int, Int, Int, Int]
    );
    assert_eq!(tags("f"), [Float, Float, Float, Float, Float, Str]);
    assert_eq!(tags("t"), [Timestamp, Timestamp, Str]);
}

#[test]
fn yaml11_resolution() {
    let d = v11(concat!(
        "b: [true, yes, Yes, on, y, N, off, NO]\n",
        "i: [012, 0o17, 0x1F, 0b11, 1_000]\n",
        "s: [0o-17, 1:20, 2001-12-14, ! 12, !!str yes, '<<', <<]\n",
        "f: [!!float 3, 1e3]\n",
    ));
    let tags = |k: &str| -> Vec<Tag> {
        d.get(k)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_scalar)
            .map(|s| s.tag)
            .collect()
    };
    use Tag::*;
    assert_eq!(tags("b"), [Bool; 8]);
    assert_eq!(tags("i"), [Int; 5]);
    // v2 decodes timestamps into interface{} as their text, leaves `!` unresolved.
    assert_eq!(tags("s"), [Str; 7]);
    assert_eq!(tags("f"), [Float, Float]);
}

#[test]
fn explicit_tags() {
    let d = core1(concat!(
        "a: !!str 12\nb: !!int \"12\"\nc: !!float 2\nd: !Custom 12\n",
        "e: !<tag:yaml.org,2002:int> '7'\nf: !!binary aGVsbG8=\ng: ! 12\nh: ! '12'\n",
        "i: !!timestamp 2001-12-14\nj: !!str\nk: !!map {x: 1}\nl: !!null ''\n",
    ));
    use Tag::*;
    for (k, t) in [
        ("a", Str),
        ("b", Int),
        ("c", Float),
        ("d", Str),
        ("e", Int),
        ("f", Binary),
        ("g", Int),
        ("h", Str),
        ("i", Timestamp),
        ("j", Str),
        ("l", Null),
    ] {
        assert_eq!(tag(&d, &[k]), t, "{k}");
    }
    assert_eq!(text(&d, &["f"]), "aGVsbG8=");
    assert_eq!(text(&d, &["k", "x"]), "1");
    let e = core_err("a: !!int abc\n");
    assert_eq!(e.kind, YamlErrorKind::Decode);
    assert_eq!(e.line, Some(1));
    assert_eq!(e.to_string(), "yaml: cannot decode !!str `abc` as a !!int");
    let e = core_err("a: !!bool yes\n");
    assert_eq!(e.to_string(), "yaml: cannot decode !!str `yes` as a !!bool");
    assert_eq!(tag(&v11("a: !!bool yes\n"), &["a"]), Tag::Bool);
    assert_eq!(
        core_err("a: !!binary '!!'\n").message,
        "!!binary value contains invalid base64 data"
    );
    assert_eq!(
        core_err("%TAG !e! tag:x/\n---\n!e!t a\n").to_string(),
        "yaml: line 1: did not find expected <document start>"
    );
}

// ---------------------------------------------------------------------------------------------
// Anchors, aliases, merge keys.

#[test]
fn aliases_expand_into_copies() {
    let d = core1("a: &x {k: [1, 2]}\nb: *x\nc: &s str\nd: *s\ne: &x other\nf: *x\n");
    assert_eq!(d.get("b"), d.get("a"));
    assert_eq!(text(&d, &["d"]), "str");
    assert_eq!(text(&d, &["f"]), "other");
    let e = core_err("a: *nope\n");
    assert_eq!(e.to_string(), "yaml: unknown anchor 'nope' referenced");
    assert_eq!(e.kind, YamlErrorKind::Syntax);
    // An alias inside its own anchor: kyaml recurses forever, go-yaml v2 refuses.
    assert!(parse_documents(b"a: &x\n  b: *x\n", Schema::Core).is_err());
    assert_eq!(
        v11_err("a: &x [*x]\n").to_string(),
        "yaml: anchor 'x' value contains itself"
    );
}

#[test]
fn merge_keys_core_explicit_keys_win_then_earlier_sources() {
    let d = core1(concat!(
        "a: &a {k1: a, k2: a, k3: a}\n",
        "b: &b {k2: b, k4: b}\n",
        "m1: {<<: *a, k1: own}\n",
        "m2: {k1: own, <<: *a}\n",
        "m3: {<<: [*a, *b]}\n",
        "m4:\n  <<: [*b, *a]\n  k4: own\n",
        "m5: {<<: {i: 1, k1: i}, k1: own}\n",
    ));
    assert_eq!(
        format!("{:?}", d.get("m1")),
        r#"Some({"k1": "own", "k2": "a", "k3": "a"})"#
    );
    assert_eq!(d.get("m2"), d.get("m1"));
    // Sources apply last to first, so their keys arrive in that order.
    assert_eq!(
        format!("{:?}", d.get("m3")),
        r#"Some({"k2": "a", "k4": "b", "k1": "a", "k3": "a"})"#
    );
    assert_eq!(
        format!("{:?}", d.get("m4")),
        r#"Some({"k4": "own", "k1": "a", "k2": "b", "k3": "a"})"#
    );
    assert_eq!(
        format!("{:?}", d.get("m5")),
        r#"Some({"k1": "own", "i": "1"!Int})"#
    );
    // A quoted `<<` is an ordinary key.
    assert_eq!(text(&core1("'<<': x\n"), &["<<"]), "x");
    for (src, msg) in [
        ("b: &b {a: 1}\nm: {<<: *b, <<: *b}\n", "duplicate merge key"),
        (
            "b: &b 1\nm: {<<: *b}\n",
            "invalid map merge: received alias for a non-map value",
        ),
        (
            "b: &b [{a: 1}]\nm: {<<: [*b]}\n",
            "invalid map merge: received alias for a non-map value",
        ),
        (
            "m: {<<: [[{a: 1}]]}\n",
            "invalid map merge: received a nested sequence",
        ),
        (
            "m: {<<: 1}\n",
            "map merge requires map or sequence of maps as the value",
        ),
        (
            "m: {<<: }\n",
            "map merge requires map or sequence of maps as the value",
        ),
    ] {
        let e = core_err(src);
        assert_eq!(
            (e.kind, e.to_string()),
            (YamlErrorKind::Document, msg.to_string()),
            "{src}"
        );
    }
}

#[test]
fn merge_keys_yaml11_apply_in_document_order() {
    let d = v11(concat!(
        "m1: {k: explicit, <<: {k: merged}}\n",
        "m2: {<<: {k: merged}, k: explicit}\n",
        "m3: {<<: [{k: first}, {k: second}]}\n",
        "m4: {<<: {a: 1}, <<: {b: 2}}\n",
    ));
    assert_eq!(text(&d, &["m1", "k"]), "merged");
    assert_eq!(text(&d, &["m2", "k"]), "explicit");
    assert_eq!(text(&d, &["m3", "k"]), "first");
    assert_eq!(
        format!("{:?}", d.get("m4")),
        r#"Some({"a": "1"!Int, "b": "2"!Int})"#
    );
    assert_eq!(
        v11_err("m: {<<: [1]}\n").to_string(),
        "yaml: map merge requires map or sequence of maps as the value"
    );
}

// ---------------------------------------------------------------------------------------------
// Keys.

#[test]
fn duplicate_keys() {
    // Resources: go-yaml v3's decode (when kustomize prints) names every repeat.
    let e = core_err("a: 1\nb: 2\na: 3\n'b': 4\na: 5\n");
    assert_eq!(e.kind, YamlErrorKind::Decode);
    assert_eq!(
        e.to_string(),
        "yaml: unmarshal errors:\n  line 3: mapping key \"a\" already defined at line 1\n  \
         line 5: mapping key \"a\" already defined at line 1\n  \
         line 5: mapping key \"a\" already defined at line 3\n  \
         line 4: mapping key \"b\" already defined at line 2"
            .replace(
                "line 5: mapping key \"a\" already defined at line 3\n  line 4",
                "line 4: mapping key \"b\" already defined at line 2\n  line 5",
            )
            .replace(
                "line 5: mapping key \"a\" already defined at line 1\n  line 4: mapping key \"b\" already defined at line 2\n  line 5: mapping key \"b\" already defined at line 2",
                "line 5: mapping key \"a\" already defined at line 1\n  line 4: mapping key \"b\" already defined at line 2\n  line 5: mapping key \"a\" already defined at line 3",
            )
    );
    // Large mappings take the hashed path.
    let mut src: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
    src.push_str("k7: again\n");
    assert!(core_err(&src)
        .message
        .contains("line 41: mapping key \"k7\" already defined at line 8"));
    // Kustomization files: later keys replace earlier ones, comparing keys as Go values.
    let d = v11("a: 1\nb: 2\na: 3\n1: x\n01: z\nyes: p\ntrue: q\n");
    assert_eq!(
        format!("{d:?}"),
        r#"{"a": "3"!Int, "b": "2"!Int, "1"!Int: "z", "yes"!Bool: "q"}"#
    );
}

#[test]
fn keys_that_cannot_be_printed() {
    let e = core_err("a: 1\n? [x, y]\n: z\n");
    assert_eq!(e.kind, YamlErrorKind::Decode);
    assert_eq!(e.line, Some(2));
    assert_eq!(
        e.to_string(),
        "yaml: invalid map key: []interface {}{\"x\", \"y\"}"
    );
    assert_eq!(
        core_err("{a: 1}: x\n").to_string(),
        "yaml: invalid map key: map[string]interface {}{\"a\":1}"
    );
    assert!(core_err("~: a\n").message.contains("mapping key \"~\""));
    // An empty key is fine (it prints as "").
    assert!(core1("? \n: a\n").as_map().is_some_and(|m| m.len() == 1));
    assert_eq!(
        v11_err("[a]: x\n").to_string(),
        "yaml: invalid map key: []interface {}{\"a\"}"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors and limits.

#[test]
fn error_lines_follow_each_go_yaml() {
    // A parser error: v3 names the line of the enclosing collection (0-based, so one early),
    // v2 the line of the offending token.
    let src = "x:\n  a: 1\n  b:\n    c: 1\n   d: 2\n";
    assert_eq!(
        core_err(src).to_string(),
        "yaml: line 1: did not find expected key"
    );
    assert_eq!(
        v11_err(src).to_string(),
        "yaml: line 4: did not find expected key"
    );
    // A scanner error: v3 names the start of the token, v2 where scanning stopped.
    let src = "\na: \"x\n\n";
    assert_eq!(
        core_err(src).to_string(),
        "yaml: line 2: found unexpected end of stream"
    );
    assert_eq!(
        v11_err(src).to_string(),
        "yaml: line 4: found unexpected end of stream"
    );
    // Errors on the first line carry no line at all when both marks are on it.
    assert_eq!(
        core_err("a: b: c").to_string(),
        "yaml: mapping values are not allowed in this context"
    );
}

#[test]
fn error_messages() {
    for (src, msg) in [
        (
            "a: @\n",
            "yaml: found character that cannot start any token",
        ),
        (
            "a:\n  x: 1\n  b\n  c: 1\n",
            "yaml: line 3: could not find expected ':'",
        ),
        (
            "a:\n  b\n  c: 1\n",
            "yaml: line 3: mapping values are not allowed in this context",
        ),
        (
            "- a\nb: 1\n",
            "yaml: line 1: did not find expected '-' indicator",
        ),
        ("[a, b\n", "yaml: line 1: did not find expected ',' or ']'"),
        ("{a: b\n", "yaml: line 1: did not find expected ',' or '}'"),
        (
            "a: 'x\n...\ny'\n",
            "yaml: line 2: found unexpected document indicator",
        ),
        (
            "a: 'x\n--- \ny'\n",
            "yaml: line 2: found unexpected end of stream",
        ),
        (
            "a: & x\n",
            "yaml: did not find expected alphabetic or numeric character",
        ),
        ("a: !<x y\n", "yaml: did not find the expected '>'"),
        ("a: !x!y z\n", "yaml: found undefined tag handle"),
        (
            "a: |0\n  x\n",
            "yaml: found an indentation indicator equal to 0",
        ),
        (
            "a: | x\n",
            "yaml: did not find expected comment or line break",
        ),
        (
            "a: |\n  x\n\ty\n",
            "yaml: line 3: found a tab character where an indentation space is expected",
        ),
        (
            "a: \"\\xZZ\"\n",
            "yaml: did not find expected hexdecimal number",
        ),
        (
            "a: \"\\uD800\"\n",
            "yaml: found invalid Unicode character escape code",
        ),
        ("%FOO\n---\na\n", "yaml: found unknown directive name"),
        (
            "%YAML 1.2\n---\na\n",
            "yaml: found incompatible YAML document",
        ),
        (
            "%YAML 1.1\n%YAML 1.1\n---\na\n",
            "yaml: line 1: found duplicate %YAML directive",
        ),
        (
            "%YAML 1.1\n---\na\n",
            "yaml: line 1: did not find expected <document start>",
        ),
        ("...\na: 1\n", "yaml: did not find expected node content"),
        ("a: b\n- c\n", "yaml: line 1: did not find expected key"),
        ("a: \x01\n", "yaml: control characters are not allowed"),
        ("a: \u{FFFE}\n", "yaml: control characters are not allowed"),
    ] {
        assert_eq!(core_err(src).to_string(), msg, "{src:?}");
    }
    let e = parse_documents(b"a: \xff\n", Schema::Core).err();
    assert_eq!(
        e.map(|e| e.to_string()),
        Some("yaml: invalid leading UTF-8 octet".into())
    );
    // A simple key may not run past 1024 characters.
    let key = "k".repeat(1025);
    assert_eq!(
        core_err(&format!("a:\n  {key}: v\n")).to_string(),
        "yaml: line 2: mapping values are not allowed in this context"
    );
    assert_eq!(
        text(
            &core1(&format!("{}: v\n", "k".repeat(1024))),
            &[&"k".repeat(1024)]
        ),
        "v"
    );
}

#[test]
fn reader_errors_past_the_document_depend_on_distance() {
    // A bad byte right after the document is met by go-yaml's buffered decoding...
    assert!(parse_documents(b"a: 1\n...\nx: \xff\n", Schema::Core).is_err());
    // ...one far beyond the first 512-byte chunks is not (comments would be: go-yaml v3's
    // look-ahead consumes them whole).
    let mut src = b"a: 1\n...\nb: 1\n".to_vec();
    for _ in 0..500 {
        src.extend_from_slice(b"c: d\n");
    }
    src.extend_from_slice(b"x: \xff\n");
    let docs = parse_documents(&src, Schema::Core);
    assert!(docs.is_ok_and(|d| d.len() == 1));
}

#[test]
fn nesting_limits_match_go_yaml() {
    with_big_stack(|| {
        // go-yaml's scanner allows 10000 flow levels, but nothing deeper than 10000 levels in
        // all can be printed (or decoded from JSON) by kustomize, and the reader stops there.
        let ok = format!("a: {}{}\n", "[".repeat(9_999), "]".repeat(9_999));
        assert!(parse_documents(ok.as_bytes(), Schema::Core).is_ok());
        let printable = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            core_err(&printable).to_string(),
            "yaml: line 1: exceeded max depth of 10000"
        );
        let deep = format!("a: {}{}\n", "[".repeat(10_001), "]".repeat(10_001));
        assert_eq!(
            core_err(&deep).to_string(),
            "yaml: exceeded max depth of 10000"
        );
        let seqs = format!("{}x\n", "- ".repeat(10_001));
        assert_eq!(
            core_err(&seqs).to_string(),
            "yaml: exceeded max depth of 10000"
        );
    });
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names: Vec<char> = ('b'..='j').collect();
    let mut prev = 'a';
    for n in &names {
        src.push_str(&format!(
            "{n}: &{n} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
        prev = *n;
    }
    let start = std::time::Instant::now();
    let e = core_err(&src);
    assert_eq!(e.to_string(), "yaml: document contains excessive aliasing");
    let e = v11_err(&src);
    assert_eq!(e.to_string(), "yaml: document contains excessive aliasing");
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    // A moderate expansion (10 000 nodes) that kustomize accepts for resources is refused by
    // go-yaml v2's ratio rule for kustomization files.
    let moderate = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
    assert!(parse_documents(moderate.as_bytes(), Schema::Core).is_ok());
    assert_eq!(
        v11_err(moderate).to_string(),
        "yaml: document contains excessive aliasing"
    );
}

#[test]
fn aliases_cannot_nest_documents_past_the_limit() {
    with_big_stack(|| {
        // Each alias is shallow; what it expands to is not. 5000 + 4999 levels under the
        // root mapping is 10000 in all: the deepest document the reader gives.
        let doc = |outer: usize| {
            format!(
                "a: &a {}1{}\nb: {}*a{}\n",
                "[".repeat(5_000),
                "]".repeat(5_000),
                "[".repeat(outer),
                "]".repeat(outer)
            )
        };
        assert!(parse_documents(doc(4_999).as_bytes(), Schema::Core).is_ok());
        assert_eq!(
            core_err(&doc(5_000)).to_string(),
            "yaml: line 2: exceeded max depth of 10000"
        );
        // A merged mapping's entries join the mapping holding `<<` (directly or from a list):
        // no level of their own, so these are 10000 deep...
        let deep = format!("{}1{}", "[".repeat(9_998), "]".repeat(9_998));
        let merged = format!("a: &a {{x: {deep}}}\nb: {{<<: *a}}\nc: {{<<: [*a]}}\n");
        assert!(parse_documents(merged.as_bytes(), Schema::Core).is_ok());
        // ...and one level more is too deep.
        let deeper = format!("a: &a {{x: {deep}}}\nd: {{y: {{<<: *a}}}}\n");
        assert_eq!(
            core_err(&deeper).to_string(),
            "yaml: line 2: exceeded max depth of 10000"
        );
    });
}

#[test]
fn alias_budget_is_shared_by_the_documents_of_a_file() {
    // Anchors a..e are copied (123 455 nodes) and expanded (123 440), and g expands e three
    // times more (333 330): some 580 000 nodes, within the budget for one document.
    let doc = |name: &str| {
        let mut src = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
        src.push_str("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (n, prev) in [('b', 'a'), ('c', 'b'), ('d', 'c'), ('e', 'd')] {
            src.push_str(&format!(
                "{n}: &{n} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        src.push_str("g: [*e, *e, *e]\n");
        src
    };
    let one = core(&doc("one"));
    assert_eq!(one.len(), 1);
    // Every document of a file is held until all are read, so the budget is the file's: a
    // bomb repeated in each document costs no more than one.
    let two = format!("{}---\n{}", doc("one"), doc("two"));
    assert_eq!(
        core_err(&two).to_string(),
        "yaml: document contains excessive aliasing"
    );
    let many = vec![doc("x"); 200].join("---\n");
    assert_eq!(
        core_err(&many).to_string(),
        "yaml: document contains excessive aliasing"
    );
}

/// `depth` sequences nested in each other, each anchored `&{prefix}{level}` and holding two
/// scalars before the next level.
fn nested_anchors(prefix: &str, depth: usize) -> String {
    let mut src = String::new();
    for level in 0..depth {
        src.push_str(&format!("&{prefix}{level} [y, y, "));
    }
    src.push('x');
    src.push_str(&"]".repeat(depth));
    src
}

#[test]
fn nested_anchors_are_copied_only_when_an_alias_may_need_them() {
    // Copying every one of 1500 nested anchored sequences would copy 3.4 million nodes.
    let nested = nested_anchors("n", 1_500);
    // No alias names them: nothing is copied, so nothing counts against the alias budget.
    let d = core1(&format!("a: {nested}\n"));
    assert_eq!(
        d.get("a").and_then(Node::as_seq).map(<[Node]>::len),
        Some(3)
    );
    assert!(parse_documents(format!("a: {nested}\n").as_bytes(), Schema::Yaml11).is_ok());
    // Only the innermost is named by an alias: only it is copied.
    let d = core1(&format!("a: {nested}\nb: *n1499\n"));
    assert_eq!(format!("{:?}", d.get("b")), r#"Some(["y", "y", "x"])"#);
    // Every one is named by an alias (to an earlier anchor of the same name): the copies
    // count against the budget, and the file is refused before they cost more than it allows.
    let mut src = String::new();
    for level in 0..1_500 {
        src.push_str(&format!("e{level}: &n{level} early\nr{level}: *n{level}\n"));
    }
    src.push_str(&format!("a: {nested}\n"));
    assert_eq!(
        core_err(&src).to_string(),
        "yaml: document contains excessive aliasing"
    );
    assert_eq!(
        v11_err(&src).to_string(),
        "yaml: document contains excessive aliasing"
    );
}

#[test]
fn an_anchor_redefined_inside_its_node_names_the_inner_node() {
    // go-yaml names a node when it starts, so the inner definition is the later one; the
    // outer is never copied, however deep the nesting.
    let nested = format!("{}x{}", "&a [".repeat(3_000), "]".repeat(3_000));
    let d = core1(&format!("a: {nested}\nb: *a\n"));
    assert_eq!(format!("{:?}", d.get("b")), r#"Some(["x"])"#);
    let d = v11(&format!("a: {nested}\nb: *a\n"));
    assert_eq!(format!("{:?}", d.get("b")), r#"Some(["x"])"#);
}

#[test]
fn fuzzer_slow_units_are_refused() {
    // Alias bombs the reader fuzz target once found slow, each refused within the budget.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz/reader");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_default();
    for (name, core_msg, v11_msg) in [
        (
            "slow-unit-24a3f05.yaml",
            "yaml: document contains excessive aliasing",
            "yaml: document contains excessive aliasing",
        ),
        (
            "slow-unit-eb40804.yaml",
            "yaml: anchor 'a7' value contains itself",
            "yaml: document contains excessive aliasing",
        ),
        (
            // A merge key before the bomb: its error comes first.
            "slow-unit-ec5831a.yaml",
            "invalid map merge: received alias for a non-map value",
            "yaml: map merge requires map or sequence of maps as the value",
        ),
    ] {
        let src = read(name);
        assert!(src.len() > 500, "{name} missing");
        let msg = |r: Result<Vec<Node>, YamlError>| match r {
            Ok(d) => format!("accepted {} documents", d.len()),
            Err(e) => e.to_string(),
        };
        assert_eq!(msg(parse_documents(&src, Schema::Core)), core_msg, "{name}");
        assert_eq!(msg(parse_documents_unchecked(&src)), core_msg, "{name}");
        assert_eq!(
            msg(parse_documents(&src, Schema::Yaml11)),
            v11_msg,
            "{name}"
        );
    }
}
