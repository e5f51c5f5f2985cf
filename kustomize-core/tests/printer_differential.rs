//! Differential tests of the printer against kustomize v5.8's recorded output.
//!
//! Fixtures live in `testdata/printer/` (see `generate.py` there). Each set holds the input
//! resources twice: as YAML (`resources.yaml`, what kustomize read) and as the printer's node
//! model (`nodes.json`, each scalar with its tag), plus what kustomize printed (`expected.yaml`)
//! or the error it reported (`expected-error.txt`).
//!
//! * `printer_matches_kustomize` prints the nodes of `nodes.json`: the printer alone.
//! * `reader_and_printer_match_kustomize` reads `resources.yaml` with the YAML reader first.

use kustomize_core::emit::write_resources;
use kustomize_core::load::yaml::parse_documents_unchecked;
use kustomize_core::node::{Mapping, Node, Scalar, Tag};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/printer")
}

/// The fixture sets, sorted: (name, directory).
fn sets(prefix: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(fixture_root())
        .expect("testdata/printer exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| name.starts_with(prefix))
        .collect();
    out.sort();
    out
}

fn tag(code: &str) -> Tag {
    match code {
        "s" => Tag::Str,
        "i" => Tag::Int,
        "f" => Tag::Float,
        "b" => Tag::Bool,
        "n" => Tag::Null,
        "t" => Tag::Timestamp,
        "x" => Tag::Binary,
        other => panic!("unknown tag code {other:?}"),
    }
}

fn scalar(v: &Value) -> Scalar {
    let pair = v.as_array().expect("scalar is [tag, text]");
    Scalar::tagged(
        pair[1].as_str().expect("text"),
        tag(pair[0].as_str().expect("tag code")),
    )
}

fn node(v: &Value) -> Node {
    if let Some(entries) = v.get("m") {
        let mut m = Mapping::new();
        for e in entries.as_array().expect("entries") {
            let kv = e.as_array().expect("[key, value]");
            m.push(scalar(&kv[0]), node(&kv[1]));
        }
        Node::Map(m)
    } else if let Some(items) = v.get("q") {
        Node::Seq(items.as_array().expect("items").iter().map(node).collect())
    } else {
        Node::Scalar(scalar(v))
    }
}

fn load_nodes(dir: &Path) -> Vec<Node> {
    let text = fs::read_to_string(dir.join("nodes.json")).expect("nodes.json");
    let v: Value = serde_json::from_str(&text).expect("valid nodes.json");
    v.as_array().expect("array").iter().map(node).collect()
}

/// Splits a build's output into documents at its `---` lines.
fn documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(String::new());
        } else if let Some(last) = docs.last_mut() {
            last.push_str(line);
        }
    }
    docs
}

fn doc_name(doc: &str) -> String {
    doc.split("\nmetadata:\n  name: ")
        .nth(1)
        .and_then(|r| r.lines().next())
        .unwrap_or("?")
        .to_string()
}

/// Compares a whole set; returns one line per mismatching resource.
fn compare(set: &str, got: &str, want: &str) -> Vec<String> {
    if got == want {
        return Vec::new();
    }
    let (g, w) = (documents(got), documents(want));
    let mut problems = Vec::new();
    if g.len() != w.len() {
        problems.push(format!(
            "{set}: {} documents printed, kustomize printed {}",
            g.len(),
            w.len()
        ));
    }
    for (gd, wd) in g.iter().zip(&w) {
        if gd != wd {
            let (line, (gl, wl)) = gd
                .lines()
                .chain(std::iter::repeat(""))
                .zip(wd.lines().chain(std::iter::repeat("")))
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .unwrap_or((0, ("", "")));
            problems.push(format!(
                "{set}/{}: line {}: printed {gl:?}, kustomize {wl:?}",
                doc_name(wd),
                line + 1
            ));
        }
    }
    problems
}

/// kustomize's error text with go-yaml's line numbers taken out (the printer cannot know the
/// lines of kyaml's internal re-encoding).
fn without_line_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        for pat in [" at line ", "line "] {
            if let Some(after) = rest.strip_prefix(pat) {
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 {
                    let after = &after[digits..];
                    rest = if pat == "line " {
                        after.strip_prefix(": ").unwrap_or(after)
                    } else {
                        after
                    };
                    continue;
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn check_sets(load: impl Fn(&Path) -> Vec<Node>) -> (usize, Vec<String>) {
    let mut resources = 0;
    let mut problems = Vec::new();
    for (name, dir) in sets("main-") {
        let nodes = load(&dir);
        resources += nodes.len();
        let want = fs::read_to_string(dir.join("expected.yaml")).expect("expected.yaml");
        let mut out = Vec::new();
        match write_resources(&mut out, &nodes) {
            Ok(()) => {
                let got = String::from_utf8(out).expect("printer writes UTF-8");
                problems.extend(compare(&name, &got, &want));
            }
            Err(e) => problems.push(format!("{name}: printer failed: {e}")),
        }
    }
    for (name, dir) in sets("error-") {
        let nodes = load(&dir);
        let want = fs::read_to_string(dir.join("expected-error.txt")).expect("expected-error.txt");
        let mut out = Vec::new();
        match write_resources(&mut out, &nodes) {
            Ok(()) => problems.push(format!("{name}: printed, but kustomize failed: {want}")),
            Err(e) => {
                if !without_line_numbers(&want).contains(&e.message) {
                    problems.push(format!(
                        "{name}: error {:?} is not kustomize's {want:?}",
                        e.message
                    ));
                }
                if !out.is_empty() {
                    problems.push(format!("{name}: output left behind on error"));
                }
            }
        }
    }
    (resources, problems)
}

#[test]
fn printer_matches_kustomize() {
    let (resources, problems) = check_sets(load_nodes);
    assert!(resources >= 300, "only {resources} fixture resources");
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn reader_and_printer_match_kustomize() {
    let (resources, problems) = check_sets(|dir| {
        let bytes = fs::read(dir.join("resources.yaml")).expect("resources.yaml");
        parse_documents_unchecked(&bytes).expect("fixtures are valid YAML")
    });
    assert!(resources >= 300, "only {resources} fixture resources");
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_inputs_agree() {
    // nodes.json and resources.yaml describe the same resources: same count per set.
    for (name, dir) in sets("") {
        let nodes = load_nodes(&dir);
        let yaml = fs::read_to_string(dir.join("resources.yaml")).expect("resources.yaml");
        let docs = yaml.split_inclusive('\n').filter(|l| *l == "---\n").count() + 1;
        assert_eq!(nodes.len(), docs, "{name}");
    }
}
