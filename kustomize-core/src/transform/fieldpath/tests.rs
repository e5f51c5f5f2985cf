use super::*;
use crate::transform::testutil::node;

fn parts(p: &str) -> Vec<String> {
    split_path(p)
}

const DEP: &str = r#"{"spec": {"replicas": 1, "list": ["a", "b"], "nul": null,
    "containers": [{"name": "app", "image": "nginx"}, {"name": "my-app-sidecar", "image": "side"},
                   {"name": "other", "image": "o", "env": [{"name": "X", "value": "1"}]}]}}"#;

#[test]
fn splits_paths_like_kustomize() {
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
    let get = |p: &str| lookup(&d, &parts(p)).map(|n| n.map(|n| value_text(n).to_owned()));
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

fn matched(doc: &mut Node, p: &str, create: Option<Kind>) -> Result<Vec<String>, String> {
    let targets = match_path(doc, &parts(p), create)?;
    Ok(targets
        .iter()
        .map(|t| match t {
            Target::Attached { path, .. } => path
                .iter()
                .map(|s| match s {
                    Step::Key(k) => k.clone(),
                    Step::Index(i) => i.to_string(),
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
        matched(&mut d, "spec.new.list.[name=n].v", Some(Kind::Scalar)).unwrap(),
        ["spec/new/list/0/v"]
    );
    let created = d
        .get_path(&["spec", "new", "list"])
        .unwrap()
        .as_seq()
        .unwrap();
    assert_eq!(created[0].str_at(&["name"]), Some("n"));
    assert_eq!(
        matched(&mut d, "spec.list.2", Some(Kind::Scalar)).unwrap(),
        ["spec/list/2"]
    );
    assert_eq!(
        matched(&mut d, "spec.list.4", Some(Kind::Scalar)).unwrap_err(),
        "index 4 specified but only 3 elements found"
    );
    // Created under a null: found, but attached to nothing.
    let mut d = node(r#"{"spec": {"arr": [null]}}"#);
    assert_eq!(
        matched(&mut d, "spec.arr.0.x.y", Some(Kind::Scalar)).unwrap(),
        ["detached"]
    );
    assert!(d.get_path(&["spec", "arr"]).unwrap().as_seq().unwrap()[0].is_null());
}

#[test]
fn writes_block_yaml() {
    let d = node(
        r#"{"a": "b", "n": 1, "s": "1", "list": [1, {"x": "y", "z": []}], "m": {"k": "v"}, "e": {}}"#,
    );
    assert_eq!(
        dump(&d),
        "a: b\nn: 1\ns: '1'\nlist:\n- 1\n- x: y\n  z: []\nm:\n  k: v\ne: {}\n"
    );
}
