//! Printer rules pinned down on hand-built nodes (the differential fixtures live in
//! `tests/printer_differential.rs`).

use super::*;
use crate::node::{Mapping, Node, Scalar, Tag};

fn s(text: &str) -> Node {
    Node::string(text)
}

fn t(text: &str, tag: Tag) -> Node {
    Node::Scalar(Scalar::tagged(text, tag))
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.push(Scalar::string(k), v);
    }
    Node::Map(m)
}

fn print(node: &Node) -> String {
    let mut out = Vec::new();
    write_resource(&mut out, node).expect("printable");
    String::from_utf8(out).expect("utf-8")
}

fn print_err(node: &Node) -> String {
    let mut out = b"keep".to_vec();
    let e = write_resource(&mut out, node).expect_err("should fail");
    assert_eq!(out, b"keep");
    e.message
}

/// One value under key `v`.
fn one(value: Node) -> String {
    let text = print(&map(vec![("v", value)]));
    text.strip_prefix("v:")
        .map(|r| r.strip_prefix(' ').unwrap_or(r).to_string())
        .unwrap_or(text)
}

#[test]
fn quoting_of_strings() {
    assert_eq!(one(s("plain")), "plain\n");
    assert_eq!(one(s("trailing space ")), "'trailing space '\n");
    assert_eq!(one(s("tab\tinside")), "\"tab\\tinside\"\n");
    assert_eq!(one(s("x: y")), "'x: y'\n");
    assert_eq!(one(s("it's: x")), "'it''s: x'\n");
    assert_eq!(one(s("")), "\"\"\n");
    assert_eq!(one(s("0x1F")), "\"0x1F\"\n");
    assert_eq!(one(s("1_000")), "\"1_000\"\n");
    assert_eq!(one(s("Yes")), "\"Yes\"\n");
    assert_eq!(one(s("=value")), "=value\n");
    assert_eq!(one(s("\u{7}bell")), "\"\\abell\"\n");
    assert_eq!(one(s("ünïcødé ✓")), "ünïcødé ✓\n");
    assert_eq!(one(s("2001-12-14")), "\"2001-12-14\"\n");
    assert_eq!(one(s("12:30")), "\"12:30\"\n");
    assert_eq!(one(s("hi 😀")), "\"hi \\U0001F600\"\n");
    assert_eq!(one(s("\u{FEFF}ab c")), "\"\\uFEFF\\x61\\x62\\x20\\x63\"\n");
    assert_eq!(one(s("a\u{FEFF}b")), "\"a\\uFEFFb\"\n");
    assert_eq!(one(s("a\rb")), "\"a\\rb\"\n");
    assert_eq!(one(s("nb\u{a0}sp")), "nb\u{a0}sp\n");
    assert_eq!(
        one(s("\u{0}\u{8}\u{b}\u{c}\u{1b}\u{1}")),
        "\"\\0\\b\\v\\f\\e\\x01\"\n"
    );
    assert_eq!(one(s("q\"b\\")), "q\"b\\\n");
    assert_eq!(one(s("\"q")), "'\"q'\n");
    assert_eq!(one(s("\u{E000}\u{FFFD}")), "\u{E000}\u{FFFD}\n");
}

#[test]
fn literal_blocks_and_chomping() {
    assert_eq!(one(s("multi\nline\n")), "|\n  multi\n  line\n");
    assert_eq!(one(s("multi\nline")), "|-\n  multi\n  line\n");
    assert_eq!(one(s("multi\nline\n\n")), "|+\n  multi\n  line\n\n");
    assert_eq!(one(s("\n")), "|2+\n\n");
    assert_eq!(one(s(" a\nb")), "|2-\n   a\n  b\n");
    assert_eq!(one(s("a\n\n  b\n")), "|\n  a\n\n    b\n");
    // Trailing spaces on a line, tabs, or a trailing space make a literal impossible.
    assert_eq!(
        one(s("line with trailing\nspaces  \nhere")),
        "\"line with trailing\\nspaces  \\nhere\"\n"
    );
    assert_eq!(one(s("a\n\tb")), "\"a\\n\\tb\"\n");
    assert_eq!(one(s("a\nb ")), "\"a\\nb \"\n");
}

#[test]
fn folding_at_80_columns() {
    let words = "word ".repeat(20);
    let words = words.trim_end();
    assert_eq!(
        print(&map(vec![("plainlong", s(words))])),
        "plainlong: word word word word word word word word word word word word word word word\n  word word word word word\n"
    );
    let long_word = "a".repeat(100);
    assert_eq!(one(s(&long_word)), format!("{long_word}\n"));
    // Inside a sequence the continuation is indented past the dash.
    let seq = print(&map(vec![("seq", Node::Seq(vec![s(words)]))]));
    assert_eq!(
        seq,
        "seq:\n- word word word word word word word word word word word word word word word word\n  word word word word\n"
    );
}

#[test]
fn numbers_bools_nulls() {
    let cases = [
        ("1", Tag::Int, "1"),
        ("0x1F", Tag::Int, "31"),
        ("012", Tag::Int, "10"),
        ("0o12", Tag::Int, "10"),
        ("-0", Tag::Int, "0"),
        ("9223372036854775808", Tag::Int, "9223372036854775808"),
        ("1.0", Tag::Float, "1"),
        ("1e3", Tag::Float, "1000"),
        (".5", Tag::Float, "0.5"),
        ("1.5e-7", Tag::Float, "1.5e-07"),
        ("100000000000000000000", Tag::Float, "1e+20"),
        ("True", Tag::Bool, "true"),
        ("FALSE", Tag::Bool, "false"),
        ("~", Tag::Null, "null"),
        ("", Tag::Null, "null"),
        (
            "2001-12-14t21:59:43.10-05:00",
            Tag::Timestamp,
            "\"2001-12-14T21:59:43.1-05:00\"",
        ),
        ("aGVsbG8gd29ybGQ=", Tag::Binary, "hello world"),
        ("/w==", Tag::Binary, "\u{FFFD}"),
    ];
    for (text, tag, want) in cases {
        assert_eq!(one(t(text, tag)), format!("{want}\n"), "{text:?} {tag:?}");
    }
}

#[test]
fn collections() {
    let n = map(vec![
        ("emptymap", Node::map()),
        ("emptylist", Node::Seq(vec![])),
        (
            "nested",
            Node::Seq(vec![
                Node::Seq(vec![t("1", Tag::Int), t("2", Tag::Int)]),
                map(vec![("a", t("1", Tag::Int))]),
                Node::Seq(vec![]),
                Node::map(),
            ]),
        ),
        (
            "m",
            map(vec![("b", s("x")), ("a", Node::Seq(vec![s("y")]))]),
        ),
    ]);
    assert_eq!(
        print(&n),
        "emptylist: []\nemptymap: {}\nm:\n  a:\n  - \"y\"\n  b: x\nnested:\n- - 1\n  - 2\n- a: 1\n- []\n- {}\n"
    );
    assert_eq!(print(&Node::map()), "{}\n");
}

#[test]
fn key_order_and_quoting() {
    let n = map(vec![
        ("a10", s("1")),
        ("a2", s("2")),
        ("a1", s("3")),
        ("B", s("4")),
        ("_x", s("5")),
        ("10", s("6")),
        ("2", s("7")),
        ("n", s("8")),
        ("", s("9")),
    ]);
    assert_eq!(
        print(&n),
        "\"\": \"9\"\n_x: \"5\"\n\"2\": \"7\"\n\"10\": \"6\"\nB: \"4\"\na1: \"3\"\na2: \"2\"\na10: \"1\"\n\"n\": \"8\"\n"
    );
}

#[test]
fn complex_keys() {
    let k128 = "k".repeat(128);
    let k129 = "k".repeat(129);
    let n = map(vec![
        (&k128, s("a")),
        (&k129, s("b")),
        ("multi\nkey", Node::Seq(vec![s("a"), s("b")])),
    ]);
    assert_eq!(
        print(&n),
        format!("{k128}: a\n? {k129}\n: b\n? |-\n  multi\n  key\n: - a\n  - b\n")
    );
}

#[test]
fn non_string_keys() {
    // The resource's own keys keep their text; nested ones are formatted by their Go type.
    let mut root = Mapping::new();
    root.push(Scalar::tagged("0x1F", Tag::Int), s("hex"));
    root.push(Scalar::tagged("true", Tag::Bool), s("t"));
    root.push(Scalar::tagged("aGk=", Tag::Binary), s("bin"));
    let mut nested = Mapping::new();
    nested.push(Scalar::tagged("0x1F", Tag::Int), s("a"));
    nested.push(Scalar::tagged("2001-01-01", Tag::Timestamp), s("b"));
    nested.push(Scalar::string("x"), s("c"));
    root.push(Scalar::string("spec"), Node::Map(nested));
    assert_eq!(
        print(&Node::Map(root)),
        "\"0x1F\": hex\nhi: bin\nspec:\n  \"31\": a\n  \"2001-01-01T00:00:00Z\": b\n  x: c\n\"true\": t\n"
    );
}

#[test]
fn failures() {
    let mut nested = Mapping::new();
    nested.push(Scalar::tagged("1.5", Tag::Float), s("a"));
    let n = map(vec![("spec", Node::Map(nested))]);
    assert!(print_err(&n).contains("object member name must be a string"));

    assert_eq!(
        print_err(&map(vec![("a", t(".inf", Tag::Float))])),
        "json: unsupported value: +Inf"
    );
    assert_eq!(
        print_err(&map(vec![("a", t(".nan", Tag::Float))])),
        "json: unsupported value: NaN"
    );
    assert_eq!(
        print_err(&map(vec![("a", s("a\u{7f}b"))])),
        "yaml: control characters are not allowed"
    );
    assert_eq!(
        print_err(&map(vec![("a", s("a\u{9f}b"))])),
        "yaml: control characters are not allowed"
    );
    assert_eq!(
        print_err(&map(vec![("a", t("abc", Tag::Int))])),
        "yaml: cannot decode !!str `abc` as a !!int"
    );
    assert_eq!(
        print_err(&map(vec![("a", t("a b", Tag::Binary))])),
        "yaml: !!binary value contains invalid base64 data"
    );
    assert!(print_err(&map(vec![("a", s("x")), ("a", s("y"))]))
        .contains("mapping key \"a\" already defined"));
    // Keys v2 cannot order consistently still have their repeats found.
    assert!(print_err(&map(vec![
        ("1", s("a")),
        ("01", s("b")),
        ("0o12", s("c")),
        ("1", s("d"))
    ]))
    .contains("mapping key \"1\" already defined"));
    // A decode failure wins over a JSON failure met earlier in key order.
    assert!(print_err(&map(vec![
        ("a", t(".inf", Tag::Float)),
        ("b", t("x", Tag::Bool))
    ]))
    .starts_with("yaml: cannot decode"));
}

#[test]
fn nel_is_folded_when_read_back() {
    assert_eq!(one(s("a\u{85}b")), "a b\n");
    assert_eq!(one(s("a \u{85} b")), "a b\n");
    assert_eq!(one(s("a\u{85}\u{85}b")), "|-\n  a\n  b\n");
    assert_eq!(one(s("\u{85}a")), "' a'\n");
    assert_eq!(one(s("a\u{85}")), "'a '\n");
}

#[test]
fn line_separators() {
    assert_eq!(
        print(&map(vec![("data", map(vec![("ls", s("a\u{2028}b"))]))])),
        "data:\n  ls: 'a\u{2028}    b'\n"
    );
    assert_eq!(one(s("a \u{2028} b")), "\"a \\L b\"\n");
}

#[test]
fn documents_are_joined() {
    let a = map(vec![("a", s("1"))]);
    let b = map(vec![("b", s("x"))]);
    let mut out = Vec::new();
    write_resources(&mut out, [&a, &b]).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "a: \"1\"\n---\nb: x\n");
}

#[test]
fn nesting_deeper_than_go_yaml_rereads_is_refused() {
    // kustomize's printing re-reads the resource's JSON with go-yaml, which stops at 10000
    // levels of objects and arrays (empty ones count). Run where deep recursion has room.
    let check = || {
        let nested = |levels: usize| {
            let mut node = Node::Seq(Vec::new());
            for _ in 1..levels {
                node = Node::Seq(vec![node]);
            }
            map(vec![("kind", s("Deep")), ("x", node)])
        };
        // The resource's own mapping is one level.
        let deepest = print(&nested(9_999));
        assert!(
            deepest.starts_with("kind: Deep\nx:\n- - - "),
            "{deepest:.40}"
        );
        assert_eq!(
            print_err(&nested(10_000)),
            "yaml: exceeded max depth of 10000"
        );
        // Dropping deep trees recurses too: keep it on this thread's big stack.
        drop(deepest);
    };
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(check)
        .expect("spawns")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}
