//! Unit tests of the merge, on documents built in code. Expected results were measured with
//! kustomize v5.8 (the fixtures under `testdata/smp/` cover the same ground end to end).

use super::*;
use crate::node::{Mapping, Tag};

/// Builds a document: `null`, `"text"`, `(int "80")`, `(nulltext "~")`, `[…]`,
/// `{"key": value, …}`, or `(@ expr)` for a `Node` at hand.
macro_rules! y {
    (null) => { Node::null() };
    ((@ $e:expr)) => { $e };
    ((int $s:literal)) => { Node::Scalar(Scalar::tagged($s, Tag::Int)) };
    ((nulltext $s:literal)) => { Node::Scalar(Scalar::tagged($s, Tag::Null)) };
    ([$($e:tt),* $(,)?]) => { Node::Seq(vec![$(y!($e)),*]) };
    ({$($k:literal : $v:tt),* $(,)?}) => {{
        #[allow(unused_mut)]
        let mut m = Mapping::new();
        $(m.push(Scalar::string($k), y!($v));)*
        Node::Map(m)
    }};
    ($s:literal) => { Node::string($s) };
}

fn deployment(spec: Node) -> Node {
    y!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": (@ spec)})
}

fn pod_spec(pod: Node) -> Node {
    deployment(y!({"template": {"spec": (@ pod)}}))
}

fn merged(mut target: Node, patch: Node) -> Node {
    let outcome = merge(&mut target, &patch, Schema::builtin()).expect("merge succeeds");
    assert_eq!(outcome, MergeOutcome::Merged);
    target
}

fn names(list: Option<&Node>) -> Vec<&str> {
    list.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|c| c.str_at(&["name"]).unwrap_or("<none>"))
        .collect()
}

fn containers(n: &Node) -> Option<&Node> {
    n.get_path(&["spec", "template", "spec", "containers"])
}

#[test]
fn containers_merge_by_name_patch_elements_first() {
    let target = pod_spec(y!({"containers": [
        {"name": "a", "image": "a:1", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]},
        {"name": "b", "image": "b:1"}
    ]}));
    let patch = pod_spec(y!({"containers": [
        {"name": "c", "image": "c:1"},
        {"name": "a", "image": "a:2", "env": [{"name": "Z", "value": "3"}, {"name": "X", "$patch": "delete"}]}
    ]}));
    let out = merged(target, patch);
    assert_eq!(names(containers(&out)), ["c", "a", "b"]);
    let a = &containers(&out).and_then(Node::as_seq).expect("list")[1];
    assert_eq!(a.str_at(&["image"]), Some("a:2"));
    assert_eq!(names(a.get("env")), ["Z", "Y"]);
}

#[test]
fn ports_merge_by_port_and_protocol() {
    let target = pod_spec(y!({"containers": [{"name": "a", "ports": [
        {"containerPort": (int "80")},
        {"containerPort": (int "81"), "protocol": "UDP"}
    ]}]}));
    let patch =
        pod_spec(y!({"containers": [{"name": "a", "ports": [{"containerPort": (int "82")}]}]}));
    let out = merged(target, patch);
    let ports = containers(&out).and_then(Node::as_seq).expect("list")[0]
        .get("ports")
        .and_then(Node::as_seq)
        .expect("ports");
    let got: Vec<&str> = ports
        .iter()
        .filter_map(|p| p.str_at(&["containerPort"]))
        .collect();
    assert_eq!(got, ["82", "80", "81"]);
}

#[test]
fn lists_without_merge_strategy_are_replaced() {
    let target = pod_spec(
        y!({"tolerations": [{"key": "k1"}], "containers": [{"name": "a", "args": ["x", "y"]}]}),
    );
    let patch = pod_spec(
        y!({"tolerations": [{"key": "k2"}], "containers": [{"name": "a", "args": ["z"]}]}),
    );
    let out = merged(target, patch);
    let spec = out.get_path(&["spec", "template", "spec"]).expect("spec");
    assert_eq!(spec.get("tolerations"), Some(&y!([{"key": "k2"}])));
    assert_eq!(
        containers(&out).and_then(Node::as_seq).expect("list")[0].get("args"),
        Some(&y!(["z"]))
    );
}

#[test]
fn primitive_lists_with_merge_keep_distinct_values_patch_first() {
    let target = y!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": ["a", "b", "c"]}});
    let patch = y!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": ["d", "a"]}});
    let out = merged(target, patch);
    assert_eq!(
        out.get_path(&["metadata", "finalizers"]),
        Some(&y!(["d", "a", "b", "c"]))
    );
}

#[test]
fn nulls_delete_and_empty_target_values_vanish() {
    let target = deployment(y!({
        "replicas": (int "1"),
        "empty": (nulltext ""),
        "spelled": null,
        "tilde": (nulltext "~")
    }));
    let patch = deployment(y!({"replicas": null, "added": null}));
    let out = merged(target, patch);
    let spec = out.get("spec").and_then(Node::as_map).expect("spec");
    assert_eq!(spec.keys().collect::<Vec<_>>(), ["spelled", "tilde"]);
    assert_eq!(spec.get("tilde"), Some(&y!((nulltext "~"))));
}

#[test]
fn custom_resources_without_schema_replace_lists() {
    let target = y!({"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "f"},
        "spec": {"items": [{"name": "a"}, {"name": "b"}]}});
    let patch = y!({"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "f"},
        "spec": {"items": [{"name": "c"}]}});
    let out = merged(target, patch);
    assert_eq!(names(out.get_path(&["spec", "items"])), ["c"]);
}

#[test]
fn embedded_objects_merge_by_their_own_type() {
    let target = y!({"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "f"},
        "spec": {"inner": {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c1"}]}}}});
    let patch = y!({"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "f"},
        "spec": {"inner": {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c2"}]}}}});
    let out = merged(target, patch);
    assert_eq!(
        names(out.get_path(&["spec", "inner", "spec", "containers"])),
        ["c2", "c1"]
    );
}

#[test]
fn an_element_without_its_merge_key_collapses_the_list() {
    // kyaml deletes every keyed element while looking for the keyless one.
    let target = pod_spec(y!({"containers": [{"name": "a"}, {"image": "nokey"}, {"name": "b"}]}));
    let patch = pod_spec(y!({"containers": [{"name": "b", "image": "b2"}]}));
    let out = merged(target, patch);
    assert_eq!(containers(&out), Some(&y!([{"image": "nokey"}])));
}

#[test]
fn a_scalar_in_a_keyed_patch_list_empties_it() {
    let target = pod_spec(y!({"containers": [{"name": "a"}]}));
    let patch = pod_spec(y!({"containers": ["just-a-string"]}));
    let out = merged(target, patch);
    assert_eq!(containers(&out), Some(&y!([])));
}

#[test]
fn top_level_delete_removes_the_resource() {
    let mut target = deployment(y!({"replicas": "1"}));
    let patch = y!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "$patch": "delete"});
    assert_eq!(
        merge(&mut target, &patch, Schema::builtin()),
        Ok(MergeOutcome::Deleted)
    );
}

#[test]
fn top_level_replace_leaves_the_target() {
    let target = deployment(y!({"replicas": "1"}));
    let patch = y!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "$patch": "replace", "spec": {"paused": "true"}});
    assert_eq!(merged(target.clone(), patch), target);
}

#[test]
fn replace_directive_on_a_map() {
    let target = pod_spec(
        y!({"containers": [{"name": "a"}], "securityContext": {"runAsUser": "1", "fsGroup": "2"}}),
    );
    let patch = pod_spec(y!({"securityContext": {"$patch": "replace", "runAsGroup": "3"}}));
    let out = merged(target, patch);
    assert_eq!(
        out.get_path(&["spec", "template", "spec", "securityContext"]),
        Some(&y!({"runAsGroup": "3"}))
    );
}

#[test]
fn replace_directive_on_a_keyed_list() {
    let target = pod_spec(y!({"containers": [{"name": "a"}, {"name": "b"}]}));
    let patch = pod_spec(y!({"containers": [{"$patch": "replace"}, {"name": "c"}]}));
    let out = merged(target, patch);
    assert_eq!(names(containers(&out)), ["c"]);
}

#[test]
fn kind_mismatch_fails_with_kyaml_message() {
    let mut target = deployment(y!({"replicas": (int "1")}));
    let patch = deployment(y!({"replicas": {"a": "b"}}));
    let err = merge(&mut target, &patch, Schema::builtin()).unwrap_err();
    assert_eq!(
        err.message(),
        "wrong node kind: expected ScalarNode but got MappingNode: node contents:\na: b\n"
    );
}

#[test]
fn unknown_directive_fails() {
    let mut target = pod_spec(y!({"containers": [{"name": "a"}]}));
    let patch = deployment(y!({"template": {"$patch": "bogus"}}));
    let err = merge(&mut target, &patch, Schema::builtin()).unwrap_err();
    assert_eq!(err.message(), "unknown patch strategy 'bogus'");
}

#[test]
fn resource_identity_is_restored_unless_allowed() {
    let mut target = y!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
    let patch = y!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "renamed", "namespace": "x"}, "data": {"b": "2"}});
    let outcome = apply_to_resource(
        &mut target,
        &patch,
        Schema::builtin(),
        PatchOptions::default(),
    );
    assert_eq!(outcome, Ok(MergeOutcome::Merged));
    assert_eq!(target.get("metadata"), Some(&y!({"name": "c"})));
    let allow = PatchOptions {
        allow_name_change: true,
        ..PatchOptions::default()
    };
    apply_to_resource(&mut target, &patch, Schema::builtin(), allow).expect("merge");
    assert_eq!(target.get("metadata"), Some(&y!({"name": "renamed"})));
    assert_eq!(target.get("data"), Some(&y!({"a": "1", "b": "2"})));
}
