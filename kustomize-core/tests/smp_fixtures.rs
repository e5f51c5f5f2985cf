//! Runs every `testdata/smp/<case>/` fixture through a tiny driver (read resources and patches,
//! match patches to targets, merge, print) and compares with kustomize v5.8's recorded output.
//!
//! The driver stands in for the build pipeline: it understands only the kustomization fields the
//! fixtures use (`resources`, `patches` with `path`/`patch`/`target`/`options`,
//! `patchesStrategicMerge`, `openapi`; `crds` plays no part in merging), and compares the printed resources as a multiset
//! of documents, leaving output order to the sort stage.

use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, Schema as YamlSchema};
use kustomize_core::openapi::SchemaSession;
use kustomize_core::transform::patch::strategic::{apply_to_resource, MergeOutcome, PatchOptions};
use kustomize_core::Node;
use std::path::{Path, PathBuf};

struct Patch {
    node: Node,
    target: Option<Node>,
    options: PatchOptions,
}

fn read(dir: &Path, file: &str) -> Result<String, String> {
    std::fs::read_to_string(dir.join(file)).map_err(|e| format!("{file}: {e}"))
}

fn docs(text: &str, schema: YamlSchema) -> Result<Vec<Node>, String> {
    let docs = parse_documents(text.as_bytes(), schema).map_err(|e| e.to_string())?;
    Ok(docs.into_iter().filter(|d| !d.is_null()).collect())
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect()
}

fn text<'a>(node: &'a Node, path: &[&str]) -> &'a str {
    node.str_at(path).unwrap_or("")
}

/// Whether a `patches[].target` selector picks the resource (exact kind, name, namespace, and
/// `key=value` label selectors are all the fixtures use).
fn selected(target: &Node, resource: &Node) -> bool {
    let field = |key: &str| target.get(key).and_then(Node::as_str);
    field("kind").is_none_or(|k| k == text(resource, &["kind"]))
        && field("name").is_none_or(|n| n == text(resource, &["metadata", "name"]))
        && field("namespace").is_none_or(|n| n == text(resource, &["metadata", "namespace"]))
        && field("labelSelector").is_none_or(|sel| {
            sel.split(',').all(|term| match term.split_once('=') {
                Some((k, v)) => text(resource, &["metadata", "labels", k]) == v,
                None => false,
            })
        })
}

fn same_id(patch: &Node, resource: &Node) -> bool {
    [
        &["kind"][..],
        &["metadata", "name"],
        &["metadata", "namespace"],
    ]
    .iter()
    .all(|path| text(patch, path) == text(resource, path))
}

/// Builds the case: returns the printed resources, or the error message.
fn build(dir: &Path) -> Result<Vec<String>, String> {
    let kust = docs(&read(dir, "kustomization.yaml")?, YamlSchema::Yaml11)?
        .pop()
        .ok_or("empty kustomization")?;
    let mut resources: Vec<Option<Node>> = Vec::new();
    for file in strings(kust.get("resources")) {
        resources.extend(
            docs(&read(dir, &file)?, YamlSchema::Core)?
                .into_iter()
                .map(Some),
        );
    }
    let mut patches: Vec<Patch> = Vec::new();
    for file in strings(kust.get("patchesStrategicMerge")) {
        for node in docs(&read(dir, &file)?, YamlSchema::Core)? {
            let options = PatchOptions {
                retarget: true,
                ..PatchOptions::default()
            };
            patches.push(Patch {
                node,
                target: None,
                options,
            });
        }
    }
    for entry in kust
        .get("patches")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let source = match (entry.str_at(&["patch"]), entry.str_at(&["path"])) {
            (Some(inline), _) => inline.to_owned(),
            (None, Some(path)) => read(dir, path)?,
            (None, None) => return Err("patch without path or patch".into()),
        };
        let target = entry.get("target").cloned();
        let flag = |name: &str| entry.str_at(&["options", name]) == Some("true");
        let options = PatchOptions {
            allow_name_change: flag("allowNameChange"),
            allow_kind_change: flag("allowKindChange"),
            retarget: target.is_some(),
        };
        for node in docs(&source, YamlSchema::Core)? {
            patches.push(Patch {
                node,
                target: target.clone(),
                options,
            });
        }
    }

    let custom = match kust.str_at(&["openapi", "path"]) {
        Some(path) => Some(
            docs(&read(dir, path)?, YamlSchema::Core)?
                .pop()
                .ok_or("empty schema file")?,
        ),
        None => None,
    };
    let mut session = SchemaSession::new();
    session
        .set_schema(kust.str_at(&["openapi", "version"]), custom.as_ref(), true)
        .map_err(|e| e.message().to_owned())?;
    let schema = session.schema();

    for patch in &patches {
        let mut matched = false;
        for slot in resources.iter_mut() {
            let Some(resource) = slot else {
                continue;
            };
            let hit = match &patch.target {
                Some(target) => selected(target, resource),
                None => same_id(&patch.node, resource),
            };
            if !hit {
                continue;
            }
            matched = true;
            match apply_to_resource(resource, &patch.node, schema, patch.options) {
                Ok(MergeOutcome::Merged) => {}
                Ok(MergeOutcome::Deleted) => *slot = None,
                Err(e) => return Err(e.message().to_owned()),
            }
        }
        if !matched && patch.target.is_none() {
            return Err("no resource matches strategic merge patch".into());
        }
    }

    let mut printed = Vec::new();
    for resource in resources.iter().flatten() {
        let mut out = Vec::new();
        write_resource(&mut out, resource).map_err(|e| e.to_string())?;
        printed.push(String::from_utf8(out).map_err(|e| e.to_string())?);
    }
    Ok(printed)
}

fn split_documents(text: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
        }
    }
    docs.push(current);
    docs
}

fn check(dir: &Path) -> Result<(), String> {
    let got = build(dir);
    let err_file = dir.join("expected.err");
    if err_file.exists() {
        let want = read(dir, "expected.err")?;
        return match got {
            Err(msg) if want == format!("Error: kustomize build failed: {msg}\n") => Ok(()),
            Err(msg) => Err(format!("wrong error:\n{msg}\nwant:\n{want}")),
            Ok(_) => Err(format!("built, but kustomize fails with:\n{want}")),
        };
    }
    let mut want = split_documents(&read(dir, "expected.yaml")?);
    let mut got = got?;
    want.sort();
    got.sort();
    if want == got {
        Ok(())
    } else {
        Err(format!(
            "got:\n{}\nwant:\n{}",
            got.join("---\n"),
            want.join("---\n")
        ))
    }
}

#[test]
fn smp_fixtures_match_kustomize() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/smp");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/smp exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "expected the fixture set, found {}",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case).err().map(|e| {
                format!(
                    "{}: {e}",
                    case.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
