use super::*;
use crate::load::kustomization::Selector;
use crate::transform::testutil::resources;

fn list() -> ResourceList {
    resources(&[
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "src", "namespace": "ns1"},
            "data": {"str": "hello", "int": "2", "dotted": "a.b.c", "num": 7, "m": {"x": "y"}, "e": "", "n": null}}"#,
        r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "dep", "labels": {"team": "x"}},
            "spec": {"replicas": 1, "nul": null, "list": ["a", "b"],
              "template": {"spec": {"containers": [
                 {"name": "app", "image": "nginx:1.0", "env": [{"name": "X", "value": "old"}]},
                 {"name": "my-app-sidecar", "image": "side:1.0"},
                 {"name": "other", "image": "other:1.0"}]}}}}"#,
        r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc", "namespace": "default"}}"#,
    ])
}

fn sel(kind: &str, name: &str) -> Selector {
    Selector {
        kind: kind.into(),
        name: name.into(),
        ..Default::default()
    }
}

fn source(kind: &str, name: &str, field_path: &str) -> Option<SourceSelector> {
    Some(SourceSelector {
        kind: kind.into(),
        name: name.into(),
        field_path: field_path.into(),
        ..Default::default()
    })
}

fn target(
    select: Selector,
    paths: &[&str],
    options: Option<FieldOptions>,
) -> Option<TargetSelector> {
    Some(TargetSelector {
        select: Some(select),
        reject: Vec::new(),
        field_paths: paths.iter().map(|s| s.to_string()).collect(),
        options,
    })
}

fn create() -> Option<FieldOptions> {
    Some(FieldOptions {
        create: true,
        ..Default::default()
    })
}

fn run(list: &mut ResourceList, r: ReplacementField) -> Result<()> {
    apply_replacements(list, &[r])
}

fn dep(list: &ResourceList) -> &Node {
    list.iter().nth(1).unwrap().node()
}

fn scalar_at(n: &Node, path: &[&str]) -> Option<Scalar> {
    n.get_path(path).and_then(Node::as_scalar).cloned()
}

#[test]
fn copies_text_and_keeps_target_tags() {
    let mut l = list();
    run(
        &mut l,
        ReplacementField {
            source: source("ConfigMap", "src", "data.int"),
            targets: vec![target(sel("Deployment", ""), &["spec.replicas"], None)],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        scalar_at(dep(&l), &["spec", "replicas"]),
        Some(Scalar::tagged("2", Tag::Int))
    );
    // A number into a null field keeps the null tag (kustomize then fails to print it).
    run(
        &mut l,
        ReplacementField {
            source: source("ConfigMap", "src", "data.num"),
            targets: vec![target(sel("Deployment", ""), &["spec.nul"], None)],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        scalar_at(dep(&l), &["spec", "nul"]),
        Some(Scalar::tagged("7", Tag::Null))
    );
}

#[test]
fn regex_list_matching_and_delimiters() {
    let mut l = list();
    run(
        &mut l,
        ReplacementField {
            source: source("ConfigMap", "", "data.str"),
            targets: vec![target(
                sel("Deployment", ""),
                &["spec.template.spec.containers.[name=app].image"],
                None,
            )],
            ..Default::default()
        },
    )
    .unwrap();
    let img = |l: &ResourceList, i: usize| {
        dep(l)
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap()
            .as_seq()
            .unwrap()[i]
            .str_at(&["image"])
            .unwrap()
            .to_owned()
    };
    assert_eq!(img(&l, 0), "hello");
    assert_eq!(img(&l, 1), "hello");
    assert_eq!(img(&l, 2), "other:1.0");
    run(
        &mut l,
        ReplacementField {
            source: Some(SourceSelector {
                options: Some(FieldOptions {
                    delimiter: ".".into(),
                    index: 1,
                    ..Default::default()
                }),
                ..source("ConfigMap", "src", "data.dotted").unwrap()
            }),
            targets: vec![
                target(
                    sel("Deployment", ""),
                    &["spec.template.spec.containers.2.image"],
                    Some(FieldOptions {
                        delimiter: ":".into(),
                        index: 1,
                        ..Default::default()
                    }),
                ),
                target(
                    sel("Deployment", ""),
                    &["spec.template.spec.containers.1.image"],
                    Some(FieldOptions {
                        delimiter: ":".into(),
                        index: -1,
                        ..Default::default()
                    }),
                ),
                target(
                    sel("Deployment", ""),
                    &["spec.template.spec.containers.0.image"],
                    Some(FieldOptions {
                        delimiter: ":".into(),
                        index: 9,
                        ..Default::default()
                    }),
                ),
            ],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(img(&l, 2), "other:b");
    assert_eq!(img(&l, 1), "b:hello");
    assert_eq!(img(&l, 0), "hello:b");
}

#[test]
fn created_fields_read_as_their_text() {
    let mut l = list();
    run(
        &mut l,
        ReplacementField {
            source_value: Some("123".into()),
            targets: vec![target(
                sel("Deployment", ""),
                &[
                    "spec.created.int",
                    "spec.created.list.[name=n].v",
                    "spec.created.arr.0",
                ],
                create(),
            )],
            ..Default::default()
        },
    )
    .unwrap();
    let d = dep(&l);
    assert_eq!(
        scalar_at(d, &["spec", "created", "int"]),
        Some(Scalar::tagged("123", Tag::Int))
    );
    let list = d
        .get_path(&["spec", "created", "list"])
        .unwrap()
        .as_seq()
        .unwrap();
    assert_eq!(
        scalar_at(&list[0], &["v"]),
        Some(Scalar::tagged("123", Tag::Int))
    );
    assert_eq!(
        scalar_at(&list[0], &["name"]),
        Some(Scalar::tagged("n", Tag::Str))
    );
    // An existing string field keeps its tag.
    run(
        &mut l,
        ReplacementField {
            source_value: Some("123".into()),
            targets: vec![target(sel("Deployment", ""), &["spec.list.0"], None)],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        dep(&l)
            .get_path(&["spec", "list"])
            .unwrap()
            .as_seq()
            .unwrap()[0],
        Node::string("123")
    );
}

#[test]
fn whole_nodes_replace_collections_and_empty_scalars() {
    let mut l = list();
    run(
        &mut l,
        ReplacementField {
            source: source("ConfigMap", "src", "data.m"),
            targets: vec![target(
                sel("Deployment", ""),
                &["spec.mapcopy", "spec.list.1", "spec.template"],
                create(),
            )],
            ..Default::default()
        },
    )
    .unwrap();
    let d = dep(&l);
    assert_eq!(d.str_at(&["spec", "mapcopy", "x"]), Some("y"));
    // A mapping into a scalar copies the mapping's (empty) text.
    assert_eq!(
        d.get_path(&["spec", "list"]).unwrap().as_seq().unwrap()[1],
        Node::string("")
    );
    assert_eq!(d.str_at(&["spec", "template", "x"]), Some("y"));
}

#[test]
fn select_reject_and_namespaces() {
    let mut l = list();
    run(
        &mut l,
        ReplacementField {
            source_value: Some("v".into()),
            targets: vec![
                Some(TargetSelector {
                    select: Some(Selector::default()),
                    reject: vec![
                        sel("ConfigMap", ""),
                        Selector {
                            label_selector: "team=x".into(),
                            ..Default::default()
                        },
                    ],
                    field_paths: vec!["metadata.annotations.a".into()],
                    options: create(),
                }),
                target(
                    Selector {
                        namespace: "default".into(),
                        ..Default::default()
                    },
                    &["metadata.annotations.b"],
                    create(),
                ),
            ],
            ..Default::default()
        },
    )
    .unwrap();
    let rs: Vec<&Resource> = l.iter().collect();
    assert_eq!(rs[0].node().get_path(&["metadata", "annotations"]), None);
    assert_eq!(rs[1].node().get_path(&["metadata", "annotations"]), None);
    assert_eq!(
        rs[2].node().str_at(&["metadata", "annotations", "a"]),
        Some("v")
    );
    // The current namespace is compared as written: only the Service says `default`.
    assert_eq!(
        rs[2].node().str_at(&["metadata", "annotations", "b"]),
        Some("v")
    );
}

#[test]
fn errors_read_like_kustomize() {
    let e = |r: ReplacementField| run(&mut list(), r).unwrap_err().message().to_owned();
    let t = || vec![target(sel("Deployment", ""), &["spec.replicas"], None)];
    assert_eq!(
        e(ReplacementField {
            source: source("ConfigMap", "", ""),
            ..Default::default()
        }),
        "replacements must specify a source and at least one target"
    );
    assert_eq!(
        e(ReplacementField {
            source: source("ConfigMap", "src", "data.str"),
            source_value: Some("x".into()),
            targets: t(),
            ..Default::default()
        }),
        "value and resource selectors are mutually exclusive"
    );
    assert_eq!(
        e(ReplacementField {
            source: source("", "", ""),
            targets: t(),
            ..Default::default()
        }),
        "multiple matches for selector [noKind].[noVer].[noGrp]/[noName].[noNs]"
    );
    assert_eq!(
        e(ReplacementField {
            source: source("Secret", "", "data.x"),
            targets: t(),
            ..Default::default()
        }),
        "nothing selected by Secret.[noVer].[noGrp]/[noName].[noNs]:data.x"
    );
    for missing in ["data.zz", "data.n"] {
        assert_eq!(
            e(ReplacementField {
                source: source("ConfigMap", "src", missing),
                targets: t(),
                ..Default::default()
            }),
            format!("fieldPath `{missing}` is missing for replacement source ConfigMap.[noVer].[noGrp]/src.[noNs]")
        );
    }
    assert_eq!(
        e(ReplacementField {
            source: source("ConfigMap", "src", "data.str"),
            targets: vec![target(sel("Deployment", ""), &["spec.nope.x"], None)],
            ..Default::default()
        }),
        "unable to find field \"spec.nope.x\" in replacement target"
    );
    assert_eq!(
        e(ReplacementField {
            source: source("ConfigMap", "src", "data.str"),
            targets: vec![target(sel("Deployment", ""), &["spec.list.4"], create())],
            ..Default::default()
        }),
        "unable to find or create field \"spec.list.4\" in replacement target: index 4 specified but only 2 elements found"
    );
    assert_eq!(
        e(ReplacementField {
            source: Some(SourceSelector {
                options: Some(FieldOptions {
                    delimiter: ".".into(),
                    index: 3,
                    ..Default::default()
                }),
                ..source("ConfigMap", "src", "data.dotted").unwrap()
            }),
            targets: t(),
            ..Default::default()
        }),
        "options.index 3 is out of bounds for value a.b.c"
    );
    assert_eq!(
        e(ReplacementField {
            source: source("ConfigMap", "src", "data.str"),
            targets: vec![Some(TargetSelector::default())],
            ..Default::default()
        }),
        "target must specify resources to select"
    );
    assert!(e(ReplacementField {
        source: source("ConfigMap", "src", "data.str"),
        targets: vec![target(sel("(x", ""), &["spec.replicas"], None)],
        ..Default::default()
    })
    .starts_with("error creating target selector: error parsing regexp: "));
}

#[test]
fn renamed_sources_are_found_by_earlier_names() {
    let mut l = list();
    l.update(|rs| {
        rs[0].store_previous_id();
        rs[0].set_name("p-src");
        Ok(())
    })
    .unwrap();
    run(
        &mut l,
        ReplacementField {
            source: source("ConfigMap", "src", ""),
            targets: vec![target(sel("Deployment", ""), &["spec.list.0"], None)],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        dep(&l)
            .get_path(&["spec", "list"])
            .unwrap()
            .as_seq()
            .unwrap()[0],
        Node::string("p-src")
    );
}
