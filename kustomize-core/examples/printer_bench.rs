//! Printer throughput, and a check of its output, on node dumps.
//!
//! `cargo run --release -p kustomize-core --example printer_bench -- [DIR...]`
//!
//! Each DIR holds `NAME.json` files in the fixture format of `testdata/printer/*/nodes.json`
//! (a list of resources, scalars as `[tag, text]`), each optionally beside `NAME.yaml` holding
//! the text kustomize printed for them; printed output is compared with it. Without DIRs the
//! printer's own fixtures are used. Reports mismatches, then MB/s over repeated runs.

use kustomize_core::emit::write_resources;
use kustomize_core::node::{Mapping, Node, Scalar, Tag};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs};

fn scalar(v: &Value) -> Scalar {
    let pair = v.as_array().expect("scalar is [tag, text]");
    let tag = match pair[0].as_str().expect("tag code") {
        "i" => Tag::Int,
        "f" => Tag::Float,
        "b" => Tag::Bool,
        "n" => Tag::Null,
        "t" => Tag::Timestamp,
        "x" => Tag::Binary,
        _ => Tag::Str,
    };
    Scalar::tagged(pair[1].as_str().expect("text"), tag)
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

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("readable directory").flatten() {
        let p = entry.path();
        if p.is_dir() {
            files.extend(json_files(&p));
        } else if p.extension().is_some_and(|e| e == "json") {
            files.push(p);
        }
    }
    files.sort();
    files
}

fn main() {
    let mut dirs: Vec<PathBuf> = env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/printer"));
    }
    let mut sets: Vec<(PathBuf, Vec<Node>)> = Vec::new();
    for dir in &dirs {
        for file in json_files(dir) {
            let v: Value =
                serde_json::from_str(&fs::read_to_string(&file).expect("json")).expect("json");
            let nodes = v.as_array().expect("list").iter().map(node).collect();
            sets.push((file, nodes));
        }
    }

    let (mut checked, mut mismatched, mut failed) = (0, 0, 0);
    for (file, nodes) in &sets {
        let mut out = Vec::new();
        if write_resources(&mut out, nodes).is_err() {
            failed += 1;
            continue;
        }
        let expected = file.with_extension("yaml");
        let expected = if expected.exists() {
            Some(expected)
        } else {
            Some(file.with_file_name("expected.yaml")).filter(|p| p.exists())
        };
        if let Some(path) = expected {
            checked += 1;
            let want = fs::read(&path).expect("expected output");
            if want != out {
                mismatched += 1;
                let line = want
                    .split(|&b| b == b'\n')
                    .zip(out.split(|&b| b == b'\n'))
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                eprintln!("mismatch: {} (line {})", path.display(), line + 1);
            }
        }
    }
    println!(
        "{} node files, {checked} compared, {mismatched} mismatched, {failed} refused",
        sets.len()
    );

    let mut out = Vec::with_capacity(1 << 20);
    let mut bytes = 0usize;
    let rounds = 20;
    let cpu_start = cpu_ns();
    let start = Instant::now();
    for _ in 0..rounds {
        for (_, nodes) in &sets {
            out.clear();
            if write_resources(&mut out, nodes).is_ok() {
                bytes += out.len();
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu_secs = cpu_ns()
        .zip(cpu_start)
        .map(|(end, start)| (end - start) as f64 / 1e9);
    print!(
        "{:.1} MB printed per round, {:.0} MB/s wall clock",
        bytes as f64 / rounds as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
    match cpu_secs {
        Some(cpu) => println!(", {:.0} MB/s of CPU time", bytes as f64 / 1e6 / cpu),
        None => println!(),
    }
}

/// Time this thread has spent on a CPU (Linux `schedstat`), so that a busy machine does not
/// distort the figure.
fn cpu_ns() -> Option<u64> {
    let s = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
