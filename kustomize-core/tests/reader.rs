//! The YAML reader as the loading stage uses it: through the public API only.

use kustomize_core::load::yaml::resolve::{self, Number};
use kustomize_core::load::yaml::{parse_documents, Schema, YamlErrorKind};
use kustomize_core::{Node, Tag};

const RESOURCES: &str = "\
# A file of resources, as kyaml cuts it.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels {app: web}
spec:
  replicas: 0x10
  selector:
    matchLabels: *labels
  template:
    metadata:
      creationTimestamp: 2001-12-14t21:59:43.10-05:00
---
# only a comment
--- # a comment may follow the separator
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  flag: yes
";

#[test]
fn resource_files_give_one_node_per_piece() {
    let docs = match parse_documents(RESOURCES.as_bytes(), Schema::Core) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(docs.len(), 3);
    assert!(docs[1].is_null(), "a piece with only comments is null");
    let deploy = &docs[0];
    // Aliases arrive expanded.
    assert_eq!(
        deploy.get_path(&["spec", "selector", "matchLabels"]),
        deploy.get_path(&["metadata", "labels"])
    );
    // Scalars keep their text; the tag and the resolve helpers say what it means.
    let replicas = deploy
        .get_path(&["spec", "replicas"])
        .and_then(Node::as_scalar)
        .cloned();
    let replicas = replicas.unwrap_or_else(|| panic!("no replicas"));
    assert_eq!((replicas.as_str(), replicas.tag), ("0x10", Tag::Int));
    assert_eq!(resolve::parse_int(replicas.as_str()), Some(Number::Int(16)));
    let ts = deploy
        .str_at(&["spec", "template", "metadata", "creationTimestamp"])
        .and_then(resolve::parse_timestamp)
        .map(|t| t.rfc3339_nano());
    assert_eq!(ts.as_deref(), Some("2001-12-14T21:59:43.1-05:00"));
    // `yes` is a string for resources.
    assert_eq!(
        docs[2]
            .get_path(&["data", "flag"])
            .and_then(Node::as_scalar)
            .map(|s| s.tag),
        Some(Tag::Str)
    );
}

#[test]
fn kustomization_files_read_yaml_1_1() {
    let src = "namePrefix: dev-\nsuspend: yes\nreplicas: 012\n---\nignored: [\n";
    let docs = match parse_documents(src.as_bytes(), Schema::Yaml11) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(docs.len(), 1);
    let k = &docs[0];
    let tag = |key: &str| k.get(key).and_then(Node::as_scalar).map(|s| s.tag);
    assert_eq!(tag("suspend"), Some(Tag::Bool));
    assert_eq!(
        k.get("suspend")
            .and_then(Node::as_scalar)
            .and_then(|s| resolve::parse_bool(s.as_str(), Schema::Yaml11)),
        Some(true)
    );
    assert_eq!(tag("replicas"), Some(Tag::Int));
    assert_eq!(k.str_at(&["namePrefix"]), Some("dev-"));
}

#[test]
fn errors_read_like_go_yaml_and_say_where_they_arise() {
    let syntax = parse_documents(b"apiVersion: v1\nkind: [\n", Schema::Core).err();
    let syntax = syntax.unwrap_or_else(|| panic!("accepted a broken file"));
    assert_eq!(syntax.kind, YamlErrorKind::Syntax);
    // kustomize prints it as `MalformedYAMLError: <this> in File: <name>`.
    assert_eq!(
        syntax.to_string(),
        "yaml: line 2: did not find expected node content"
    );
    let separator = parse_documents(b"a: 1\n--- b\n", Schema::Core).err();
    let separator = separator.unwrap_or_else(|| panic!("accepted a bad separator"));
    assert_eq!(separator.kind, YamlErrorKind::Document);
    assert_eq!(separator.to_string(), "invalid document separator: --- b");
    let duplicate = parse_documents(b"a: 1\na: 2\n", Schema::Core).err();
    let duplicate = duplicate.unwrap_or_else(|| panic!("accepted a duplicate key"));
    assert_eq!(duplicate.kind, YamlErrorKind::Decode);
    // Kustomization files keep the last of repeated keys instead.
    let docs = parse_documents(b"a: 1\na: 2\n", Schema::Yaml11).unwrap_or_default();
    assert_eq!(docs[0].str_at(&["a"]), Some("2"));
}
