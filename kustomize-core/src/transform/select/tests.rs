use super::*;
use crate::transform::testutil::resources;

fn sel(pairs: &[(&str, &str)]) -> Selector {
    let mut s = Selector::default();
    for (k, v) in pairs {
        let v = v.to_string();
        match *k {
            "group" => s.group = v,
            "version" => s.version = v,
            "kind" => s.kind = v,
            "name" => s.name = v,
            "namespace" => s.namespace = v,
            "labelSelector" => s.label_selector = v,
            "annotationSelector" => s.annotation_selector = v,
            _ => unreachable!(),
        }
    }
    s
}

fn list() -> ResourceList {
    resources(&[
        r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}}}"#,
        r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web-canary", "namespace": "prod", "annotations": {"canary": "true"}}}"#,
        r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"}}"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "reader", "namespace": "ignored"}}"#,
    ])
}

#[test]
fn id_fields_are_anchored_regular_expressions() {
    let l = list();
    assert_eq!(select(&l, &sel(&[("name", "web")])).unwrap(), [0, 2]);
    assert_eq!(select(&l, &sel(&[("name", "web.*")])).unwrap(), [0, 1, 2]);
    assert_eq!(
        select(&l, &sel(&[("name", "eb")])).unwrap(),
        Vec::<usize>::new()
    );
    assert_eq!(
        select(&l, &sel(&[("name", "web|reader")])).unwrap(),
        [0, 2, 3]
    );
    assert_eq!(
        select(&l, &sel(&[("group", "apps"), ("version", "v1")])).unwrap(),
        [0, 1]
    );
    assert_eq!(
        select(&l, &sel(&[("kind", "Service|ClusterRole")])).unwrap(),
        [2, 3]
    );
    assert_eq!(select(&l, &sel(&[])).unwrap(), [0, 1, 2, 3]);
}

#[test]
fn namespaces_compare_in_effective_form() {
    let l = list();
    // No namespace is `default`; cluster-scoped kinds have none whatever they say.
    assert_eq!(
        select(&l, &sel(&[("namespace", "default")])).unwrap(),
        [0, 2]
    );
    assert_eq!(select(&l, &sel(&[("namespace", "prod")])).unwrap(), [1]);
    assert_eq!(
        select(&l, &sel(&[("namespace", "ignored")])).unwrap(),
        Vec::<usize>::new()
    );
    assert_eq!(
        select(&l, &sel(&[("namespace", "_non_namespaceable_")])).unwrap(),
        [3]
    );
}

#[test]
fn original_names_still_select() {
    let mut l = list();
    l.update(|rs| {
        rs[0].store_previous_id();
        rs[0].set_name("prefix-web");
        Ok(())
    })
    .unwrap();
    assert_eq!(
        select(&l, &sel(&[("name", "web"), ("kind", "Deployment")])).unwrap(),
        [0]
    );
    assert_eq!(select(&l, &sel(&[("name", "prefix-web")])).unwrap(), [0]);
}

#[test]
fn label_and_annotation_selectors() {
    let l = list();
    assert_eq!(
        select(&l, &sel(&[("labelSelector", "app=web")])).unwrap(),
        [0]
    );
    assert_eq!(
        select(&l, &sel(&[("labelSelector", "!app")])).unwrap(),
        [1, 2, 3]
    );
    assert_eq!(
        select(&l, &sel(&[("annotationSelector", "canary")])).unwrap(),
        [1]
    );
    let err = select(&l, &sel(&[("labelSelector", "a in b")])).unwrap_err();
    assert_eq!(
        err.message(),
        "unable to parse requirement: found 'b' expected: '('"
    );
}

#[test]
fn invalid_regular_expressions_fail_even_without_resources() {
    let err = select(&ResourceList::new(), &sel(&[("name", "(a")])).unwrap_err();
    assert!(err.message().starts_with("error parsing regexp: "), "{err}");
    assert!(err.message().ends_with("`^(?:(a)$`"), "{err}");
}

#[test]
fn target_matcher_uses_raw_namespaces_and_rejects() {
    let l = list();
    let rs: Vec<&Resource> = l.iter().collect();
    let m = TargetMatcher::new(&sel(&[("namespace", "default")]), &[]).unwrap();
    // The current id's namespace is compared as written: only the Service says `default`.
    let hits: Vec<bool> = rs.iter().map(|r| m.matches(r).unwrap()).collect();
    assert_eq!(hits, [false, false, true, false]);

    let m = TargetMatcher::new(
        &sel(&[("kind", "Deployment")]),
        &[sel(&[("name", ".*canary")])],
    )
    .unwrap();
    let hits: Vec<bool> = rs.iter().map(|r| m.matches(r).unwrap()).collect();
    assert_eq!(hits, [true, false, false, false]);

    let m = TargetMatcher::new(&sel(&[]), &[sel(&[("labelSelector", "app")])]).unwrap();
    let hits: Vec<bool> = rs.iter().map(|r| m.matches(r).unwrap()).collect();
    assert_eq!(hits, [false, true, true, true]);

    // A bad label selector in a reject fails only once a resource passes `select`.
    let m = TargetMatcher::new(
        &sel(&[("kind", "Nothing")]),
        &[sel(&[("labelSelector", "a in b")])],
    )
    .unwrap();
    assert!(m.matches(rs[0]).is_err());
    let m = TargetMatcher::new(
        &sel(&[("labelSelector", "app=nope")]),
        &[sel(&[("labelSelector", "a in b")])],
    )
    .unwrap();
    assert!(!m.matches(rs[0]).unwrap());
}

#[test]
fn source_ids_match_exactly() {
    let id = ResId {
        gvk: Gvk::from_api_version("v1", "ConfigMap"),
        name: "cm".into(),
        namespace: String::new(),
    };
    let by = |kind: &str, name: &str, ns: &str| ResId {
        gvk: Gvk::new("", "", kind),
        name: name.into(),
        namespace: ns.into(),
    };
    assert!(id_selected_by(&id, &by("ConfigMap", "cm", "")));
    assert!(id_selected_by(&id, &by("ConfigMap", "cm", "default")));
    assert!(!id_selected_by(&id, &by("ConfigMap", "c.*", "")));
    assert!(!id_selected_by(&id, &by("Secret", "", "")));
    assert_eq!(
        resid_string(&by("ConfigMap", "", "")),
        "ConfigMap.[noVer].[noGrp]/[noName].[noNs]"
    );
}
