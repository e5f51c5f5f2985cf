use super::*;
use crate::transform::testutil::{node, resources};

const CM: &str = r#"{"apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "c", "annotations": {"n": 1}},
    "data": {"k": "<&>", "n": null, "arr": [1, null], "obj": {}, "s": "str", "num": 1,
             "a/b": "slash", "m~n": "tilde", "list": ["a", "b", "c"]}}"#;

fn patched(patch: &str) -> std::result::Result<Node, String> {
    let p = JsonPatch::from_json(patch).map_err(|e| e.to_string())?;
    let mut doc = node(CM);
    p.apply_to_node(&mut doc).map_err(|e| e.to_string())?;
    Ok(doc)
}

fn err(patch: &str) -> String {
    patched(patch).unwrap_err()
}

fn data<'a>(doc: &'a Node, key: &str) -> Option<&'a Node> {
    doc.get_path(&["data", key])
}

#[test]
fn add_replace_remove() {
    let doc = patched(
        r#"[{"op": "add", "path": "/data/x", "value": "1"},
            {"op": "replace", "path": "/data/created", "value": "by-replace"},
            {"op": "remove", "path": "/data/s"},
            {"op": "add", "path": "/data/list/-1", "value": "minus-one"},
            {"op": "add", "path": "/data/list/-", "value": "dash"},
            {"op": "add", "path": "/data/list/0", "value": "first"},
            {"op": "replace", "path": "/data/list/-2", "value": "second-last"},
            {"op": "remove", "path": "/data/list/1"}]"#,
    )
    .unwrap();
    assert_eq!(data(&doc, "x"), Some(&Node::string("1")));
    assert_eq!(data(&doc, "created"), Some(&Node::string("by-replace")));
    assert_eq!(data(&doc, "s"), None);
    let list: Vec<&str> = data(&doc, "list")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    assert_eq!(list, ["first", "b", "c", "second-last", "dash"]);
}

#[test]
fn pointer_escapes_and_paths_without_a_leading_slash() {
    let doc = patched(
        r#"[{"op": "copy", "from": "/data/a~1b", "path": "/data/copied"},
            {"op": "move", "from": "/data/m~0n", "path": "/data/moved"},
            {"op": "add", "path": "data/rootkey", "value": true}]"#,
    )
    .unwrap();
    assert_eq!(data(&doc, "copied"), Some(&Node::string("slash")));
    assert_eq!(data(&doc, "moved"), Some(&Node::string("tilde")));
    assert_eq!(data(&doc, "m~n"), None);
    // The first segment of a path that does not start with `/` is dropped.
    assert_eq!(
        doc.get("rootkey"),
        Some(&Node::Scalar(Scalar::tagged("true", Tag::Bool)))
    );
}

#[test]
fn missing_and_null_values_add_null() {
    let doc = patched(
        r#"[{"op": "add", "path": "/data/novalue"},
            {"op": "add", "path": "/data/nullvalue", "value": null}]"#,
    )
    .unwrap();
    assert!(data(&doc, "novalue").unwrap().is_null());
    assert!(data(&doc, "nullvalue").unwrap().is_null());
}

#[test]
fn round_trip_through_float64() {
    let mut doc = node(
        r#"{"apiVersion": "v1", "kind": "X", "metadata": {"name": "x"},
            "spec": {"big": 12345678901234567890, "big2": 9007199254740993, "m": 1000000,
                     "f": 1.50, "i": 3}}"#,
    );
    JsonPatch::from_json("[]")
        .unwrap()
        .apply_to_node(&mut doc)
        .unwrap();
    let text = |k: &str| {
        doc.get_path(&["spec", k])
            .and_then(Node::as_scalar)
            .cloned()
    };
    assert_eq!(
        text("big"),
        Some(Scalar::tagged("1.2345678901234567e+19", Tag::Float))
    );
    assert_eq!(
        text("big2"),
        Some(Scalar::tagged("9.007199254740992e+15", Tag::Float))
    );
    assert_eq!(text("m"), Some(Scalar::tagged("1e+06", Tag::Float)));
    assert_eq!(text("f"), Some(Scalar::tagged("1.5", Tag::Float)));
    assert_eq!(text("i"), Some(Scalar::tagged("3", Tag::Int)));
}

#[test]
fn test_compares_raw_text() {
    // The resource's `<&>` is written `\u003c\u0026\u003e` by Go; the JSON patch's is not.
    assert_eq!(
        err(r#"[{"op": "test", "path": "/data/k", "value": "<&>"}]"#),
        "testing value /data/k failed: test failed"
    );
    assert_eq!(
        err(r#"[{"op": "test", "path": "/data/num", "value": 1.0}]"#),
        "testing value /data/num failed: test failed"
    );
    assert!(patched(r#"[{"op": "test", "path": "/data/num", "value": 1}]"#).is_ok());
    assert!(
        patched(r#"[{"op": "test", "path": "/data/k", "value": "\u003c\u0026\u003e"}]"#).is_ok()
    );
    // A missing key or a null one tests equal to null, or to no value at all.
    assert!(patched(r#"[{"op": "test", "path": "/data/n", "value": null}]"#).is_ok());
    assert!(patched(r#"[{"op": "test", "path": "/data/zz", "value": null}]"#).is_ok());
    assert!(patched(r#"[{"op": "test", "path": "/data/zz"}]"#).is_ok());
    assert_eq!(
        err(r#"[{"op": "test", "path": "/data/n", "value": {}}]"#),
        "testing value /data/n failed: test failed"
    );
    assert!(patched(r#"[{"op": "test", "path": "/data/obj", "value": {}}]"#).is_ok());
    assert!(patched(r#"[{"op": "test", "path": "/data/list", "value": ["a","b","c"]}]"#).is_ok());
    assert_eq!(
        err(r#"[{"op": "test", "path": "/data/list", "value": ["a","b"]}]"#),
        "testing value /data/list failed: test failed"
    );
    // Comparing arrays that hold nulls crashes kustomize.
    assert!(
        err(r#"[{"op": "test", "path": "/data/arr", "value": [1, null]}]"#).starts_with("panic: ")
    );
    assert!(err(r#"[{"op": "test", "path": ""}]"#).starts_with("panic: "));
}

#[test]
fn a_value_added_by_the_patch_keeps_its_text() {
    assert!(patched(
        r#"[{"op": "add", "path": "/data/x", "value": "<&>"},
            {"op": "test", "path": "/data/x", "value": "<&>"}]"#
    )
    .is_ok());
    // A copy re-encodes it the Go way.
    assert_eq!(
        err(r#"[{"op": "add", "path": "/data/x", "value": "<&>"},
                {"op": "copy", "from": "/data/x", "path": "/data/y"},
                {"op": "test", "path": "/data/y", "value": "<&>"}]"#),
        "testing value /data/y failed: test failed"
    );
    // An added null is a node without text: equal to null, not walkable.
    assert!(patched(
        r#"[{"op": "add", "path": "/data/x", "value": null},
            {"op": "test", "path": "/data/x", "value": null}]"#
    )
    .is_ok());
}

#[test]
fn errors_read_like_the_library() {
    assert_eq!(
        err(r#"[{"op": "remove", "path": "/data/zz"}]"#),
        "error in remove for path: '/data/zz': Unable to remove nonexistent key: zz: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "add", "path": "/data/n/x", "value": 1}]"#),
        "add operation does not apply: doc is missing path: \"/data/n/x\": missing value"
    );
    assert_eq!(
        err(r#"[{"op": "frob", "path": "/x"}]"#),
        "Unexpected kind: frob"
    );
    assert_eq!(err(r#"[{"path": "/x"}]"#), "Unexpected kind: unknown");
    assert_eq!(err(r#"[null]"#), "Unexpected kind: unknown");
    assert_eq!(
        err(r#"[{"op": "add", "value": 1}]"#),
        "add operation failed to decode path: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "replace", "value": 1}]"#),
        "replace operation failed to decode path: operation missing path field: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "replace", "path": 5, "value": 1}]"#),
        "replace operation failed to decode path: json: cannot unmarshal number into Go value of type string"
    );
    assert_eq!(
        err(r#"[{"op": "replace", "path": "/data/arr/5", "value": 1}]"#),
        "replace operation does not apply: doc is missing key: /data/arr/5: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "add", "path": "/data/list/x", "value": 1}]"#),
        "error in add for path: '/data/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"
    );
    assert_eq!(
        err(r#"[{"op": "add", "path": "/data/list/4", "value": 1}]"#),
        "error in add for path: '/data/list/4': Unable to access invalid index: 4: invalid index referenced"
    );
    assert_eq!(
        err(r#"[{"op": "add", "path": "/data/list/-5", "value": 1}]"#),
        "error in add for path: '/data/list/-5': Unable to access invalid index: -5: invalid index referenced"
    );
    assert_eq!(
        err(r#"[{"op": "remove", "path": "/data/list/-"}]"#),
        "error in remove for path: '/data/list/-': strconv.Atoi: parsing \"-\": invalid syntax"
    );
    assert_eq!(
        err(r#"[{"op": "move", "from": "/data/zz", "path": "/data/y"}]"#),
        "error in move for path: 'zz': Unable to remove nonexistent key: zz: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "move", "path": "/data/y"}]"#),
        "move operation failed to decode from: operation, missing from field: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "copy", "from": "/nope/x", "path": "/data/y"}]"#),
        "copy operation does not apply: doc is missing from path: /nope/x: missing value"
    );
    assert_eq!(
        err(r#"[{"op": "add", "path": "", "value": 1}]"#),
        "add operation does not apply: doc is missing path: \"\": missing value"
    );
    assert_eq!(
        err(r#"[{"op": "replace", "path": "", "value": 1}]"#),
        "replace operation value must be object or array: %!w(<nil>)"
    );
    assert_eq!(
        err(r#"[{"op": "replace", "path": "", "value": [1]}]"#),
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    // Copying a null that the patch added, then adding into it, crashes kustomize.
    assert!(err(r#"[{"op": "add", "path": "/data/x", "value": null},
            {"op": "copy", "from": "/data/x", "path": "/data/y"},
            {"op": "add", "path": "/data/y/z", "value": 1}]"#)
    .starts_with("panic: "));
}

#[test]
fn replace_the_whole_document() {
    let doc = patched(
        r#"[{"op": "replace", "path": "", "value": {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}}]"#,
    )
    .unwrap();
    assert_eq!(doc.str_at(&["kind"]), Some("Secret"));
    assert_eq!(doc.get("data"), None);
}

#[test]
fn decoding_errors() {
    let e = |t: &str| JsonPatch::from_json(t).unwrap_err().to_string();
    assert_eq!(
        e("[{\"op\": \"add\",]"),
        "invalid character ']' looking for beginning of object key string"
    );
    assert_eq!(
        e("{}"),
        "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    );
    assert_eq!(
        e("[1, 2]"),
        "json: cannot unmarshal number into Go value of type jsonpatch.Operation"
    );
    assert!(JsonPatch::from_json("null").unwrap().is_nil());
    assert!(JsonPatch::from_json("[]").unwrap().is_empty());
    assert!(!JsonPatch::from_json("[]").unwrap().is_nil());
}

#[test]
fn annotations_become_strings_and_empty_ones_disappear() {
    let mut list = resources(&[
        CM,
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d", "annotations": {}}}"#,
    ]);
    let target = Selector {
        kind: "ConfigMap".into(),
        ..Default::default()
    };
    let patch = JsonPatch::from_json(r#"[{"op": "add", "path": "/data2", "value": 1}]"#).unwrap();
    apply_patches_entry(&mut list, Some(&target), &patch, "[patch: \"x\"]").unwrap();
    let rs: Vec<&Resource> = list.iter().collect();
    assert_eq!(
        rs[0].node().get_path(&["metadata", "annotations", "n"]),
        Some(&Node::string("1"))
    );
    assert_eq!(rs[1].node().get_path(&["metadata", "annotations"]), None);
    // `patches` records the id the resource had before the patch.
    assert_eq!(rs[0].previous_ids().len(), 1);
    let err = apply_patches_entry(&mut list, None, &patch, "[patch: \"x\"]").unwrap_err();
    assert_eq!(
        err.message(),
        "must specify a target for JSON patch [patch: \"x\"]"
    );
}

#[test]
fn patches_json6902_keeps_ids_and_creates_metadata() {
    let mut list = resources(&[CM]);
    let target = Selector {
        name: "c".into(),
        ..Default::default()
    };
    let patch =
        JsonPatch::from_json(r#"[{"op": "remove", "path": "/metadata/annotations"}]"#).unwrap();
    apply_json6902_entry(&mut list, &target, &patch).unwrap();
    let r = list.iter().next().unwrap();
    assert!(r.previous_ids().is_empty());
    assert_eq!(r.node().get_path(&["metadata", "annotations"]), None);
}

#[test]
fn telling_patch_kinds_apart() {
    let json = classify_patch(r#"[{"op": "remove", "path": "/data"}]"#, "[patch: \"p\"]").unwrap();
    assert!(matches!(json, PatchKind::Json(ref p) if p.len() == 1));
    let err = classify_patch("[{", "[path: \"p.yaml\"]").unwrap_err();
    assert_eq!(
        err.message(),
        "unable to parse SM or JSON patch from [path: \"p.yaml\"]: not a strategic-merge patch \
         (MalformedYAMLError: yaml: line 1: did not find expected node content), not a JSON patch \
         (unexpected end of JSON input)"
    );
}
