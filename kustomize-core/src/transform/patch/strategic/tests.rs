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

// ---------------------------------------------------------------------------------------------
// Long associative lists: merged through an index by key values; the result must be kyaml's.

fn env_entry(name: &str, value: &str) -> Node {
    y!({"name": (@ Node::string(name)), "value": (@ Node::string(value))})
}

fn env_of(n: &Node) -> Vec<(String, String)> {
    let containers = containers(n).and_then(Node::as_seq).expect("containers");
    containers[0]
        .get("env")
        .and_then(Node::as_seq)
        .expect("env")
        .iter()
        .map(|e| {
            let text = |k: &str| e.str_at(&[k]).unwrap_or("<none>").to_owned();
            (text("name"), text("value"))
        })
        .collect()
}

fn with_env(env: Vec<Node>) -> Node {
    pod_spec(y!({"containers": [{"name": "app", "env": (@ Node::Seq(env))}]}))
}

#[test]
fn a_5000_entry_env_list_merges_patch_entries_first() {
    const N: usize = 5000;
    let target = with_env(
        (0..N)
            .map(|i| env_entry(&format!("E{i}"), &format!("t{i}")))
            .collect(),
    );
    // The patch: every third entry changed, every seventh (from the second) deleted, a new entry
    // after each hundredth, and the order reversed.
    let mut patch_env = Vec::new();
    let mut expected = Vec::new();
    for i in (0..N).rev() {
        if i % 100 == 0 {
            patch_env.push(env_entry(&format!("N{i}"), "new"));
            expected.push((format!("N{i}"), "new".to_owned()));
        }
        if i % 7 == 1 {
            patch_env.push(y!({"name": (@ Node::string(format!("E{i}"))), "$patch": "delete"}));
        } else if i % 3 == 0 {
            patch_env.push(env_entry(&format!("E{i}"), &format!("p{i}")));
            expected.push((format!("E{i}"), format!("p{i}")));
        }
    }
    // Then the target's entries the patch does not name, in the target's order.
    for i in 0..N {
        if i % 7 != 1 && i % 3 != 0 {
            expected.push((format!("E{i}"), format!("t{i}")));
        }
    }
    let out = merged(target, with_env(patch_env));
    assert_eq!(env_of(&out), expected);
}

#[test]
fn a_5000_entry_port_list_merges_by_port_and_protocol() {
    const N: usize = 5000;
    let port = |p: usize, proto: &str, name: &str| {
        y!({"containerPort": (@ Node::Scalar(Scalar::tagged(p.to_string(), Tag::Int))),
            "protocol": (@ Node::string(proto)), "name": (@ Node::string(name))})
    };
    let ports_of = |n: &Node| -> Vec<String> {
        let containers = containers(n).and_then(Node::as_seq).expect("containers");
        containers[0]
            .get("ports")
            .and_then(Node::as_seq)
            .expect("ports")
            .iter()
            .map(|p| {
                let t = |k: &str| p.str_at(&[k]).unwrap_or("-").to_owned();
                format!("{}/{}={}", t("containerPort"), t("protocol"), t("name"))
            })
            .collect()
    };
    let target = pod_spec(y!({"containers": [{"name": "app", "ports": (@ Node::Seq(
        (0..N).map(|i| port(i, "TCP", &format!("t{i}"))).collect()
    ))}]}));
    // Every other port renamed over TCP, the same numbers added over UDP, one deleted.
    let mut patch_ports = Vec::new();
    for i in (0..N).step_by(2) {
        patch_ports.push(port(i, "UDP", &format!("u{i}")));
        patch_ports.push(port(i, "TCP", &format!("p{i}")));
    }
    patch_ports.push(y!({"containerPort": (int "1"), "protocol": "TCP", "$patch": "delete"}));
    let patch =
        pod_spec(y!({"containers": [{"name": "app", "ports": (@ Node::Seq(patch_ports))}]}));
    // With two keys kyaml puts the patch's new elements first, then the target's, in its order.
    let mut expected: Vec<String> = (0..N).step_by(2).map(|i| format!("{i}/UDP=u{i}")).collect();
    expected.extend((0..N).filter(|&i| i != 1).map(|i| {
        let name = if i % 2 == 0 {
            format!("p{i}")
        } else {
            format!("t{i}")
        };
        format!("{i}/TCP={name}")
    }));
    assert_eq!(ports_of(&merged(target, patch)), expected);
}

/// A small generator of lists for the comparison below (xorshift; fixed seeds).
struct Gen(u64);

/// What lists [`Gen`] makes.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// Anything: nulls, empty maps, elements without keys, repeated keys.
    Messy,
    /// Every element with its keys, none repeated within a list (the indexed merge's shape).
    Keyed,
    /// As `Keyed`, ports without a protocol (kyaml then matches by the port alone).
    PortOnly,
}

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// `n` distinct numbers below `pool` (or fewer, if the pool is smaller).
    fn distinct(&mut self, n: usize, pool: u64) -> Vec<u64> {
        let mut all: Vec<u64> = (0..pool).collect();
        for i in (1..all.len()).rev() {
            all.swap(i, self.next(i as u64 + 1) as usize);
        }
        all.truncate(n);
        all
    }

    /// A directive on some elements.
    fn directive(&mut self, m: &mut Mapping) {
        match self.next(15) {
            0 => m.push(Scalar::string("$patch"), Node::string("delete")),
            1 => m.push(Scalar::string("$patch"), Node::string("replace")),
            _ => {}
        }
    }

    fn ports(&mut self, n: usize, tag: &str, shape: Shape) -> Node {
        let int = |p: u64| Node::Scalar(Scalar::tagged((p + 1).to_string(), Tag::Int));
        if shape != Shape::Messy {
            let protos = if shape == Shape::PortOnly { 1 } else { 2 };
            let items = self.distinct(n, 12 * protos).into_iter().map(|k| {
                let mut m = Mapping::new();
                m.push(Scalar::string("containerPort"), int(k / protos));
                if shape == Shape::Keyed {
                    let proto = if k % 2 == 0 { "TCP" } else { "UDP" };
                    m.push(Scalar::string("protocol"), Node::string(proto));
                }
                m.push(Scalar::string("name"), Node::string(format!("{tag}{k}")));
                self.directive(&mut m);
                Node::Map(m)
            });
            return Node::Seq(items.collect());
        }
        let items = (0..n).map(|_| {
            let mut m = Mapping::new();
            match self.next(20) {
                0 => return Node::null(),
                1 => return Node::map(),
                _ => {}
            }
            if self.next(12) != 0 {
                m.push(Scalar::string("containerPort"), int(self.next(12)));
            }
            if self.next(4) != 0 {
                let proto = ["TCP", "UDP", ""][self.next(3) as usize];
                m.push(Scalar::string("protocol"), Node::string(proto));
            }
            let name = format!("{tag}{}", self.next(100));
            m.push(Scalar::string("name"), Node::string(name));
            self.directive(&mut m);
            Node::Map(m)
        });
        Node::Seq(items.collect())
    }

    fn env(&mut self, n: usize, tag: &str, shape: Shape) -> Node {
        if shape != Shape::Messy {
            let items = self.distinct(n, 40).into_iter().map(|k| {
                let mut m = Mapping::new();
                m.push(Scalar::string("name"), Node::string(format!("V{k}")));
                m.push(Scalar::string("value"), Node::string(format!("{tag}{k}")));
                self.directive(&mut m);
                Node::Map(m)
            });
            return Node::Seq(items.collect());
        }
        let items = (0..n).map(|_| match self.next(25) {
            0 => Node::null(),
            1 => y!({"value": "no-name"}),
            2 => y!({"name": (@ Node::string(format!("V{}", self.next(30)))), "$patch": "delete"}),
            _ => env_entry(
                &format!("V{}", self.next(30)),
                &format!("{tag}{}", self.next(100)),
            ),
        });
        Node::Seq(items.collect())
    }
}

/// The indexed merge gives exactly what kyaml's general algorithm gives, on lists of every
/// shape (lists not of the indexed merge's shape must come out the same too, because they take
/// the general path).
#[test]
fn indexed_list_merge_matches_the_general_algorithm() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    for round in 0..600 {
        let shape = [Shape::Messy, Shape::Keyed, Shape::PortOnly][round % 3];
        let ports = round % 2 == 0;
        let sizes = [g.next(25) as usize, g.next(25) as usize];
        let field = if ports { "ports" } else { "env" };
        let build = |g: &mut Gen, n: usize, tag: &str| {
            let list = if ports {
                g.ports(n, tag, shape)
            } else {
                g.env(n, tag, shape)
            };
            let mut c = Mapping::new();
            c.push(Scalar::string("name"), Node::string("app"));
            c.push(Scalar::string(field), list);
            pod_spec(y!({"containers": [(@ Node::Map(c))]}))
        };
        let target = build(&mut g, sizes[0], "t");
        let patch = build(&mut g, sizes[1], "p");
        let run = |general: bool| {
            super::walk::GENERAL_ONLY.with(|c| c.set(general));
            let mut t = target.clone();
            let r = merge(&mut t, &patch, Schema::builtin()).map(|o| (o, t));
            super::walk::GENERAL_ONLY.with(|c| c.set(false));
            r.map_err(|e| e.to_string())
        };
        assert_eq!(
            run(false),
            run(true),
            "round {round}: {target:?} <- {patch:?}"
        );
    }
}
