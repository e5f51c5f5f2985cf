//! Nodes as kyaml's `String()` writes them: go-yaml v3's encoder with two-space indentation and
//! sequences not indented under their key, keys in document order. kustomize shows nodes this
//! way in error messages (`node contents:`), matches list elements against that text, and
//! writes YAML back into strings with it.
//!
//! go-yaml v3's emitter is go-yaml v2's (the printer's [`Writer`]), so only the choice of style
//! differs: kyaml keeps each node's style, and the node model keeps none, so every scalar is
//! taken as written plain. v3 then writes a string with a line break as a literal block, a
//! string that would read back as something else (`"1"`, `"true"`) double-quoted, and any other
//! string plain where the emitter allows it (else single-, else double-quoted). Scalars of
//! other types are written as their text. kyaml's `Marshal` of Go values ([`marshal_yaml`])
//! writes the same way, but quotes more strings.

use super::writer::{analyze, select_style, Writer};
use crate::gosem::scalar::{resolve_plain, v3_needs_quotes};
use crate::node::{Node, Scalar, Tag};

/// `node` as kyaml's `String()` writes it; ends with a newline.
pub fn kyaml_string(node: &Node) -> String {
    write_document(node, Strings::Nodes)
}

/// `node` as kyaml's `Marshal` writes the Go value it stands for (a struct of strings, say);
/// ends with a newline. Unlike a node, a Go string is also quoted where YAML 1.1 would read it
/// as a boolean (`yes`) or a base-60 float (`1:20`).
pub fn marshal_yaml(node: &Node) -> String {
    write_document(node, Strings::GoValues)
}

/// What the strings written are, which decides when v3 quotes them.
#[derive(Clone, Copy)]
enum Strings {
    /// `yaml.Node`s: quoted when the plain text would read back as another type.
    Nodes,
    /// Go strings: also quoted when YAML 1.1 would read them as something else.
    GoValues,
}

fn write_document(node: &Node, strings: Strings) -> String {
    let mut out = Vec::new();
    {
        let mut w = Writer::new(&mut out);
        write_node(&mut w, node, false, strings);
        // Document end: finish the last line.
        w.indent = -1;
        w.write_indent();
    }
    // The writer copies the node's text and writes ASCII around it.
    String::from_utf8(out).unwrap_or_default()
}

fn write_node(w: &mut Writer<'_>, node: &Node, in_mapping: bool, strings: Strings) {
    match node {
        Node::Map(m) if m.is_empty() => w.write_empty_flow(b'{', b'}'),
        Node::Map(m) => {
            let saved = w.increase_indent(false, false);
            for (k, v) in m.iter() {
                w.write_indent();
                w.write_key(&k.text, plain_reads_back(k, strings));
                write_node(w, v, true, strings);
            }
            w.indent = saved;
        }
        Node::Seq(items) if items.is_empty() => w.write_empty_flow(b'[', b']'),
        Node::Seq(items) => {
            let indentless = in_mapping && !w.indention;
            let saved = w.increase_indent(false, indentless);
            for item in items {
                w.write_indent();
                w.write_indicator(b"-", true, false, true);
                write_node(w, item, false, strings);
            }
            w.indent = saved;
        }
        Node::Scalar(s) => {
            let a = analyze(&s.text);
            let style = select_style(&a, plain_reads_back(s, strings), false);
            w.write_scalar(&s.text, &a, style, false);
        }
    }
}

/// Whether v3 may write the scalar plain: a string must read back as a string; other scalars
/// are written as they are.
fn plain_reads_back(s: &Scalar, strings: Strings) -> bool {
    s.tag != Tag::Str
        || match strings {
            Strings::Nodes => resolve_plain(&s.text) == Tag::Str,
            Strings::GoValues => !v3_needs_quotes(&s.text),
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Mapping;

    fn map(entries: &[(&str, Node)]) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.insert(*k, v.clone());
        }
        Node::Map(m)
    }

    #[test]
    fn writes_like_kyaml() {
        let n = map(&[
            (
                "a",
                Node::Seq(vec![map(&[
                    ("x", Node::string("1")),
                    ("y", Node::string("b")),
                ])]),
            ),
            ("b", Node::map()),
            ("c", Node::string("x: y")),
            ("d", Node::Scalar(Scalar::tagged("3", Tag::Int))),
            ("e", Node::string("it's: x")),
            ("f", Node::string("line1\nline2")),
            ("g", Node::string("tab\there")),
            ("h", Node::Seq(Vec::new())),
            ("i", map(&[("j", Node::string("yes"))])),
        ]);
        assert_eq!(
            kyaml_string(&n),
            "a:\n- x: \"1\"\n  y: b\nb: {}\nc: 'x: y'\nd: 3\ne: 'it''s: x'\nf: |-\n  line1\n  \
             line2\ng: \"tab\\there\"\nh: []\ni:\n  j: yes\n"
        );
        assert_eq!(kyaml_string(&Node::string("x")), "x\n");
        assert_eq!(kyaml_string(&Node::map()), "{}\n");
        assert_eq!(
            kyaml_string(&Node::Seq(vec![Node::Seq(vec![Node::string("a")])])),
            "- - a\n"
        );
    }

    #[test]
    fn go_strings_are_quoted_for_yaml_1_1_readers_too() {
        let n = map(&[
            ("a", Node::string("yes")),
            ("b", Node::string("1:20")),
            ("c", Node::string("12")),
            ("d", Node::string("*x")),
            ("e", Node::string("")),
            ("f", Node::string("a b")),
        ]);
        assert_eq!(
            marshal_yaml(&n),
            "a: \"yes\"\nb: \"1:20\"\nc: \"12\"\nd: '*x'\ne: \"\"\nf: a b\n"
        );
        assert_eq!(kyaml_string(&n).lines().next(), Some("a: yes"));
        assert_eq!(marshal_yaml(&Node::Seq(vec![Node::null()])), "- null\n");
        assert_eq!(marshal_yaml(&Node::Seq(Vec::new())), "[]\n");
    }
}
