use super::*;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::transform::testutil::node;

// ---------------------------------------------------------------------------------------------
// Field-spec paths and kustomize's field-spec filter.

fn map(entries: &[(&str, Node)]) -> Node {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(*k, v.clone());
    }
    Node::Map(m)
}

fn set_x(n: &mut Node) -> Result<(), WalkError> {
    set_scalar(n, "x", Some(Tag::Str))
}

#[test]
fn splits_paths_like_kustomize() {
    let p = FieldPath::field_spec("/metadata/annotations/a.io\\/b");
    assert_eq!(
        p.segments().collect::<Vec<_>>(),
        ["metadata", "annotations", "a.io/b"]
    );
    let p = FieldPath::field_spec("spec/containers[]/image");
    assert_eq!(
        p.segments().collect::<Vec<_>>(),
        ["spec", "containers", "image"]
    );
    assert!(p.parts()[1].seq_hint);
    assert_eq!(
        FieldPath::field_spec("").segments().collect::<Vec<_>>(),
        [""]
    );
    assert_eq!(FieldPath::field_spec("a//b").segments().len(), 3);
}

#[test]
fn walks_every_sequence_element_with_the_same_path() {
    let mut n = map(&[(
        "spec",
        map(&[(
            "containers",
            Node::Seq(vec![
                map(&[("image", Node::string("a"))]),
                map(&[("name", Node::string("b"))]),
                Node::null(),
            ]),
        )]),
    )]);
    let mut seen = 0;
    visit(
        &mut n,
        &FieldPath::field_spec("spec/containers/image"),
        Create::No,
        &mut |v: &mut Node| {
            seen += 1;
            set_x(v)
        },
    )
    .unwrap();
    assert_eq!(seen, 1);
    assert_eq!(n.str_at(&["spec", "containers"]), None);
    let first = &n
        .get_path(&["spec", "containers"])
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(first.str_at(&["image"]), Some("x"));
}

#[test]
fn creates_maps_on_the_way_and_the_requested_kind_at_the_end() {
    let mut n = map(&[("kind", Node::string("X"))]);
    visit(
        &mut n,
        &FieldPath::field_spec("metadata/labels"),
        Create::Map,
        &mut |v: &mut Node| set_entry_str(v, "a", "1"),
    )
    .unwrap();
    assert_eq!(n.str_at(&["metadata", "labels", "a"]), Some("1"));
    let mut n = map(&[("kind", Node::string("X"))]);
    visit(
        &mut n,
        &FieldPath::field_spec("metadata/namespace"),
        Create::Scalar {
            null_tag: Some(Tag::Str),
        },
        &mut set_x,
    )
    .unwrap();
    assert_eq!(n.str_at(&["metadata", "namespace"]), Some("x"));
}

#[test]
fn never_creates_sequence_fields_but_turns_their_nulls_into_empty_sequences() {
    let mut n = map(&[("spec", map(&[("containers", Node::null())]))]);
    let mut calls = 0;
    visit(
        &mut n,
        &FieldPath::field_spec("spec/containers[]/image"),
        Create::Map,
        &mut |_: &mut Node| {
            calls += 1;
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(calls, 0);
    assert_eq!(
        n.get_path(&["spec", "containers"]),
        Some(&Node::Seq(Vec::new()))
    );
    let mut n = map(&[("spec", Node::map())]);
    visit(
        &mut n,
        &FieldPath::field_spec("spec/initContainers[]/image"),
        Create::Map,
        &mut set_x,
    )
    .unwrap();
    assert_eq!(n.get_path(&["spec", "initContainers"]), None);
}

#[test]
fn null_without_create_is_handed_to_the_setter_and_null_midway_is_skipped() {
    let mut n = map(&[("a", Node::null()), ("b", Node::null())]);
    let mut reached = Vec::new();
    visit(
        &mut n,
        &FieldPath::field_spec("a"),
        Create::No,
        &mut |v: &mut Node| {
            reached.push(v.clone());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(reached, [Node::null()]);
    visit(
        &mut n,
        &FieldPath::field_spec("b/c"),
        Create::No,
        &mut set_x,
    )
    .unwrap();
    assert_eq!(n.get("b"), Some(&Node::null()));
}

#[test]
fn scalar_midway_is_an_error_worded_as_kustomize() {
    let mut n = map(&[
        ("apiVersion", Node::string("apps/v1")),
        ("kind", Node::string("Deployment")),
        ("metadata", map(&[("name", Node::string("d"))])),
        ("spec", map(&[("selector", Node::string("foo"))])),
    ]);
    let err = visit_resource(
        &mut n,
        &FieldPath::field_spec("spec/selector/matchLabels"),
        Create::Map,
        &mut set_x,
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        "considering field 'spec/selector/matchLabels' of object \
         Deployment.v1.apps/d.[noNs]: expected sequence or mapping node"
    );
}

#[test]
fn index_segments_on_a_mapping_are_wrong_kind_errors() {
    let mut n = map(&[
        ("apiVersion", Node::string("v1")),
        ("kind", Node::string("ConfigMap")),
        ("metadata", map(&[("name", Node::string("s"))])),
    ]);
    let err = visit_resource(
        &mut n,
        &FieldPath::field_spec("12"),
        Create::Map,
        &mut set_x,
    )
    .unwrap_err();
    assert_eq!(
        err.message(),
        "considering field '12' of object ConfigMap.v1.[noGrp]/s.[noNs]: fieldName: 12: \
         wrong node kind: expected SequenceNode but got MappingNode: node contents:\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"
    );
    assert_eq!(err.wrong_kind_found(), Some(NodeKind::Map));
    let err = visit(
        &mut n,
        &FieldPath::field_spec("metadata//b"),
        Create::No,
        &mut set_x,
    )
    .unwrap_err();
    assert_eq!(err.message(), "cannot set or create an empty field name");
    let err = visit(&mut n, &FieldPath::field_spec("*"), Create::No, &mut set_x).unwrap_err();
    assert_eq!(
        err.message(),
        "fieldName: *: wildcard is not supported in PathGetter"
    );
    let err = visit(&mut n, &FieldPath::field_spec("-3"), Create::No, &mut set_x).unwrap_err();
    assert_eq!(
        err.message(),
        "fieldName: -3: array index -3 cannot be negative"
    );
}

#[test]
fn setters_type_values_as_kyaml_does() {
    let mut m = Node::map();
    set_entry_str(&mut m, "1", "2").unwrap();
    set_entry_str(&mut m, "on", "true").unwrap();
    let map = m.as_map().unwrap();
    let keys: Vec<_> = map
        .iter()
        .map(|(k, v)| (k.tag, v.as_scalar().unwrap().tag))
        .collect();
    assert_eq!(keys, [(Tag::Int, Tag::Str), (Tag::Str, Tag::Str)]);
    let mut null = Node::null();
    set_entry_str(&mut null, "a", "b").unwrap();
    assert_eq!(null, Node::null());
    let mut s = Node::string("x");
    let err = set_entry_str(&mut s, "a", "b").unwrap_err();
    assert_eq!(
        err.message(),
        "wrong node kind: expected MappingNode but got ScalarNode: node contents:\nx\n"
    );

    let mut plain_int = Node::Scalar(Scalar::tagged("1", Tag::Int));
    set_scalar(&mut plain_int, "10", None).unwrap();
    assert_eq!(plain_int.as_scalar().unwrap().tag, Tag::Int);
    let mut quoted = Node::string("1");
    set_scalar(&mut quoted, "10", None).unwrap();
    assert_eq!(quoted.as_scalar().unwrap().tag, Tag::Str);
    let mut map_node = Node::map();
    assert_eq!(
        set_scalar(&mut map_node, "x", None)
            .unwrap_err()
            .wrong_kind_found(),
        Some(NodeKind::Map)
    );
}

// ---------------------------------------------------------------------------------------------
// kyaml paths, PathGetter and PathMatcher.

fn parts(p: &str) -> Vec<String> {
    FieldPath::kyaml(p, Reader::Matcher)
        .segments()
        .map(str::to_owned)
        .collect()
}

const DEP: &str = r#"{"spec": {"replicas": 1, "list": ["a", "b"], "nul": null,
    "containers": [{"name": "app", "image": "nginx"}, {"name": "my-app-sidecar", "image": "side"},
                   {"name": "other", "image": "o", "env": [{"name": "X", "value": "1"}]}]}}"#;

#[test]
fn splits_kyaml_paths_like_kustomize() {
    assert_eq!(parts("a.b.c"), ["a", "b", "c"]);
    assert_eq!(parts(".a.b"), ["a", "b"]);
    assert_eq!(parts("a.[b.c]"), ["a", "b.c"]);
    assert_eq!(parts("a.[b]"), ["a", "[b]"]);
    assert_eq!(parts("a.[k=v.w].c"), ["a", "[k=v.w]", "c"]);
    assert_eq!(parts(r"a\.b.c"), ["a.b", "c"]);
    assert_eq!(parts("a.[b.c"), ["a", "b.c"]);
}

#[test]
fn path_getter_reads_sources() {
    let d = node(DEP);
    let get = |p: &str| {
        get(&d, FieldPath::kyaml(p, Reader::Getter).parts())
            .map(|n| n.map(|(_, n)| value_text(n).to_owned()))
            .map_err(|e| e.message().to_owned())
    };
    assert_eq!(get("spec.replicas"), Ok(Some("1".into())));
    assert_eq!(get("spec.list.1"), Ok(Some("b".into())));
    assert_eq!(get("spec.list.-"), Ok(Some("b".into())));
    assert_eq!(get("spec.list.[=a]"), Ok(Some("a".into())));
    assert_eq!(get("spec.list.5"), Ok(None));
    assert_eq!(
        get("spec.containers.[name=app].image"),
        Ok(Some("nginx".into()))
    );
    // Exact match for sources, unlike targets.
    assert_eq!(get("spec.containers.[name=ap].image"), Ok(None));
    assert_eq!(get("spec.nul.x"), Ok(None));
    assert_eq!(get("spec.missing.x"), Ok(None));
    assert_eq!(
        get("spec.list.-1"),
        Err("array index -1 cannot be negative".into())
    );
    assert_eq!(
        get("spec.list.*"),
        Err("wildcard is not supported in PathGetter".into())
    );
    assert!(get("spec.replicas.x")
        .unwrap_err()
        .starts_with("wrong node kind: expected MappingNode but got ScalarNode"));
    assert!(get("spec.[a]")
        .unwrap_err()
        .starts_with("list path element must contain"));
}

fn matched(doc: &mut Node, p: &str, create: Option<NodeKind>) -> Result<Vec<String>, String> {
    let targets = find(doc, FieldPath::kyaml(p, Reader::Matcher).parts(), create)
        .map_err(|e| e.message().to_owned())?;
    Ok(targets
        .iter()
        .map(|t| match t {
            Target::Attached { hops, .. } => hops
                .iter()
                .map(|s| match s {
                    Hop::Key(k) => k.to_string(),
                    Hop::Index(i) => i.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/"),
            Target::Detached { .. } => "detached".to_owned(),
        })
        .collect())
}

#[test]
fn path_matcher_finds_targets() {
    let mut d = node(DEP);
    // `[name=app]` is an unanchored regular expression.
    assert_eq!(
        matched(&mut d, "spec.containers.[name=app].image", None).unwrap(),
        ["spec/containers/0/image", "spec/containers/1/image"]
    );
    assert_eq!(
        matched(&mut d, "spec.containers.*.image", None).unwrap(),
        [
            "spec/containers/0/image",
            "spec/containers/1/image",
            "spec/containers/2/image"
        ]
    );
    assert_eq!(
        matched(
            &mut d,
            "spec.containers.[name=^app$].env.[name=X].value",
            None
        )
        .unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        matched(&mut d, "spec.list.[=b]", None).unwrap(),
        ["spec/list/1"]
    );
    assert_eq!(
        matched(&mut d, "spec.nope", None).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        matched(&mut d, "spec.list.5", None).unwrap_err(),
        "index 5 specified but only 2 elements found"
    );
    assert!(matched(&mut d, "spec.*", None)
        .unwrap_err()
        .starts_with("wrong node kind: expected SequenceNode but got MappingNode"));
    assert!(matched(&mut d, "spec.list.-", None)
        .unwrap_err()
        .starts_with("wrong node kind: expected MappingNode but got SequenceNode"));
}

#[test]
fn path_matcher_creates() {
    let mut d = node(DEP);
    assert_eq!(
        matched(&mut d, "spec.new.list.[name=n].v", Some(NodeKind::Scalar)).unwrap(),
        ["spec/new/list/0/v"]
    );
    let created = d
        .get_path(&["spec", "new", "list"])
        .unwrap()
        .as_seq()
        .unwrap();
    assert_eq!(created[0].str_at(&["name"]), Some("n"));
    assert_eq!(
        matched(&mut d, "spec.list.2", Some(NodeKind::Scalar)).unwrap(),
        ["spec/list/2"]
    );
    assert_eq!(
        matched(&mut d, "spec.list.4", Some(NodeKind::Scalar)).unwrap_err(),
        "index 4 specified but only 3 elements found"
    );
    // Created under a null: found, but attached to nothing.
    let mut d = node(r#"{"spec": {"arr": [null]}}"#);
    assert_eq!(
        matched(&mut d, "spec.arr.0.x.y", Some(NodeKind::Scalar)).unwrap(),
        ["detached"]
    );
    assert!(d.get_path(&["spec", "arr"]).unwrap().as_seq().unwrap()[0].is_null());
}

#[test]
fn var_refs_split_slice_indexes() {
    let texts = |p: &str| {
        FieldPath::var_ref(p)
            .segments()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(texts("spec.ports[0].port"), ["spec", "ports", "0", "port"]);
    assert_eq!(texts("metadata.name"), ["metadata", "name"]);
    assert_eq!(texts("[0].x"), ["0", "x"]);
    let steps: Vec<Step> = FieldPath::var_ref("a[1]")
        .parts()
        .iter()
        .map(|p| p.step.clone())
        .collect();
    assert_eq!(steps, [Step::Field("a".into()), Step::Index(1)]);
}

#[test]
fn readers_classify_parts_as_kyaml() {
    let steps = |p: &str, reader| {
        FieldPath::kyaml(p, reader)
            .parts()
            .iter()
            .map(|p| p.step.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        steps("a.-.-1. 1.*.[k=v].[x]", Reader::Getter),
        [
            Step::Field("a".into()),
            Step::Last,
            Step::Negative(-1),
            Step::Index(1),
            Step::Every,
            Step::Match {
                key: "k".into(),
                value: "v".into()
            },
            Step::BadMatch,
        ]
    );
    assert_eq!(
        steps("a.-.-1. 1.*.2", Reader::Matcher),
        [
            Step::Field("a".into()),
            Step::Field("-".into()),
            Step::Field("-1".into()),
            Step::Field(" 1".into()),
            Step::Every,
            Step::Index(2),
        ]
    );
    assert_eq!(steps("a..b", Reader::Getter)[1], Step::Itself);
}
