//! Go (RE2) regular expressions on top of the `regex` crate.
//!
//! Both engines share RE2's syntax and semantics; the differences that matter for resource names
//! are bridged here: Go's `\d`, `\w`, `\s` and `\b` are ASCII-only where Rust's are Unicode-aware,
//! Rust reads `\<`/`\>` as word boundaries where Go reads literal `<`/`>`, and Go supports
//! `\Q…\E` literal runs. Remaining known differences: `\D`, `\W`, `\S` inside a bracket class
//! stay Unicode-aware, and `\C` (any byte) is not supported.

use regex::Regex;

/// Rewrites a Go pattern into an equivalent `regex` crate pattern.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Depth of `[` bracket classes (1 inside a class; `[:alpha:]` does not nest in Go).
    let mut in_class = false;
    // Whether the class was opened by the previous char(s), so a `]` here is a literal.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match (in_class, e) {
                    (false, 'd') => out.push_str("[0-9]"),
                    (false, 'D') => out.push_str("[^0-9]"),
                    (false, 'w') => out.push_str("[0-9A-Za-z_]"),
                    (false, 'W') => out.push_str("[^0-9A-Za-z_]"),
                    (false, 's') => out.push_str("[\\t\\n\\f\\r ]"),
                    (false, 'S') => out.push_str("[^\\t\\n\\f\\r ]"),
                    (false, 'b') => out.push_str("(?-u:\\b)"),
                    (false, 'B') => out.push_str("(?-u:\\B)"),
                    (true, 'd') => out.push_str("0-9"),
                    (true, 'w') => out.push_str("0-9A-Za-z_"),
                    (true, 's') => out.push_str("\\t\\n\\f\\r "),
                    (_, '<') => out.push_str("\\x3C"),
                    (_, '>') => out.push_str("\\x3E"),
                    (_, 'Q') => {
                        let mut lit = String::new();
                        while let Some(q) = chars.next() {
                            if q == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            lit.push(q);
                        }
                        out.push_str(&regex::escape(&lit));
                    }
                    (_, e) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' if in_class && chars.peek() == Some(&':') => {
                // A POSIX class such as `[:alpha:]`: copy through its closing `:]`.
                out.push('[');
                while let Some(p) = chars.next() {
                    out.push(p);
                    if p == ':' && chars.peek() == Some(&']') {
                        if let Some(close) = chars.next() {
                            out.push(close);
                        }
                        break;
                    }
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            ']' if in_class => out.push_str("\\]"),
            // Rust reads these inside classes as set operators; Go reads them literally.
            '&' | '~' if in_class && chars.peek() == Some(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Compiles a Go regular expression. The error reads like Go's (`error parsing regexp: …`).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(&translate(pattern)).map_err(|e| {
        let detail = match e {
            regex::Error::Syntax(s) => s
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map(|l| l.trim_start_matches("error:").trim().to_owned())
                .unwrap_or(s),
            other => other.to_string(),
        };
        format!("error parsing regexp: {detail}: `{pattern}`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_classes_like_go() {
        let d = compile(r"^\d+$").unwrap();
        assert!(d.is_match("123"));
        assert!(!d.is_match("١٢٣"));
        let w = compile(r"^[\w-]+$").unwrap();
        assert!(w.is_match("a_b-c"));
        assert!(!w.is_match("é"));
        assert!(compile(r"^a\<b\>$").unwrap().is_match("a<b>"));
        assert!(compile(r"^\Qa.b\E$").unwrap().is_match("a.b"));
        assert!(!compile(r"^\Qa.b\E$").unwrap().is_match("axb"));
        assert!(compile(r"^[]a]+$").unwrap().is_match("]a"));
        assert!(compile(r"^[[:alpha:]]+$").unwrap().is_match("abc"));
        assert!(compile(r"^[a&&b]+$").unwrap().is_match("&&"));
        assert!(compile(r"\bx").unwrap().is_match("a x"));
    }

    #[test]
    fn errors_name_the_pattern() {
        let e = compile("^(?:(a)$").unwrap_err();
        assert!(e.starts_with("error parsing regexp: "), "{e}");
        assert!(e.ends_with(": `^(?:(a)$`"), "{e}");
    }
}
