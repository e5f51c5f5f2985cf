//! Tests of schema lookups against the built-in table.

use super::*;

fn keys(s: Option<SchemaRef<'_>>) -> (Option<&str>, Vec<&str>) {
    let s = s.expect("schema present");
    (
        s.patch_strategy(),
        s.merge_keys().iter().map(CompactString::as_str).collect(),
    )
}

#[test]
fn builtin_table_parses_and_knows_workloads() {
    let schema = Schema::builtin();
    assert_eq!(schema.types.values().map(Vec::len).sum::<usize>(), 274);
    let pod_spec = ["spec", "template", "spec"];
    let containers = schema.lookup(
        "apps/v1",
        "Deployment",
        &[&pod_spec[..], &["containers"]].concat(),
    );
    assert_eq!(keys(containers), (Some("merge"), vec!["name"]));
    assert!(containers.is_some_and(|c| c.is_associative()));
    let ports = schema.lookup(
        "apps/v1",
        "Deployment",
        &[&pod_spec[..], &["containers", "[]", "ports"]].concat(),
    );
    assert_eq!(
        keys(ports),
        (Some("merge"), vec!["containerPort", "protocol"])
    );
    let volumes = schema.lookup("v1", "Pod", &["spec", "volumes"]);
    assert_eq!(keys(volumes), (Some("merge,retainKeys"), vec!["name"]));
    let finalizers = schema.lookup("v1", "Pod", &["metadata", "finalizers"]);
    assert_eq!(keys(finalizers), (Some("merge"), vec![]));
    let tolerations = schema.lookup("v1", "Pod", &["spec", "tolerations"]);
    assert_eq!(keys(tolerations), (None, vec![]));
    assert!(!tolerations.is_some_and(|t| t.is_associative()));
    let service_ports = schema.lookup("v1", "Service", &["spec", "ports"]);
    assert_eq!(
        keys(service_ports),
        (Some("merge"), vec!["port", "protocol"])
    );
}

#[test]
fn fields_resolve_properties_then_additional_properties() {
    let schema = Schema::builtin();
    let labels = schema.lookup("v1", "ConfigMap", &["metadata", "labels"]);
    assert!(labels.is_some());
    // Any label name has the value schema of the map.
    assert!(labels.and_then(|l| l.field("anything")).is_some());
    // Unknown fields of a typed object have no schema.
    assert!(schema.lookup("v1", "ConfigMap", &["spec"]).is_none());
    // Only arrays have elements.
    assert!(schema.lookup("v1", "Pod", &["spec", "[]"]).is_none());
    // Unknown types have no schema at all.
    assert!(schema.resource("example.com/v1", "Foo").is_none());
    assert!(schema.resource("apps/v1beta1", "Deployment").is_none());
}

#[test]
fn scopes_follow_kyaml() {
    let schema = Schema::builtin();
    assert!(schema.is_certainly_cluster_scoped("v1", "Namespace"));
    assert!(schema.is_certainly_cluster_scoped("rbac.authorization.k8s.io/v1", "ClusterRole"));
    assert!(!schema.is_certainly_cluster_scoped("v1", "ConfigMap"));
    assert!(!schema.is_certainly_cluster_scoped("example.com/v1", "Foo"));
    // The embedded v1.21.2 document lists no path for v1alpha1 RBAC, so kustomize does not know
    // that kind to be cluster-scoped.
    assert!(
        !schema.is_certainly_cluster_scoped("rbac.authorization.k8s.io/v1alpha1", "ClusterRole")
    );
    assert_eq!(
        schema.is_namespace_scoped("apps/v1", "Deployment"),
        Some(true)
    );
    assert_eq!(
        schema.precomputed_namespace_scoped("v1", "Node"),
        Some(false)
    );
    let cluster = schema.cluster_scoped_types();
    assert!(cluster.contains(&("storage.k8s.io/v1", "StorageClass")));
    assert_eq!(cluster.len(), 36);
}

#[test]
fn table_round_trips() {
    let text = include_str!("builtin.table");
    let schema = Schema::from_table(text).expect("table parses");
    assert_eq!(schema.to_table().expect("table writes"), text);
}

#[test]
fn table_errors_name_the_line() {
    let err = Schema::from_table("kbuild-openapi 1\nN 1\n- x=7\n").unwrap_err();
    assert_eq!(err.message(), "openapi table line 3: bad node id");
    assert!(Schema::from_table("nope").is_err());
}

#[test]
fn versions_other_than_the_builtin_one_are_rejected() {
    assert!(Schema::for_version("v1.21.2").is_ok());
    assert!(Schema::for_version("").is_ok());
    let err = Schema::for_version("v1.30.0").unwrap_err();
    assert_eq!(
        err.message(),
        "the specified OpenAPI version is not built in"
    );
}

/// A custom schema document defining `example.com/v1 Widget` whose `spec.items` merge by `name`
/// and which lists a cluster-scoped path for it.
fn widget_document() -> Node {
    use crate::node::{Mapping, Scalar};
    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.push(Scalar::string(k), v);
        }
        Node::Map(m)
    }
    let gvk = map(vec![
        ("group", Node::string("example.com")),
        ("version", Node::string("v1")),
        ("kind", Node::string("Widget")),
    ]);
    let items = map(vec![
        ("type", Node::string("array")),
        ("x-kubernetes-patch-strategy", Node::string("merge")),
        ("x-kubernetes-patch-merge-key", Node::string("name")),
        ("items", map(vec![("type", Node::string("object"))])),
    ]);
    let spec = map(vec![("properties", map(vec![("items", items)]))]);
    let widget = map(vec![
        (
            "x-kubernetes-group-version-kind",
            Node::Seq(vec![gvk.clone()]),
        ),
        (
            "properties",
            map(vec![(
                "spec",
                map(vec![("$ref", Node::string("#/definitions/Spec"))]),
            )]),
        ),
    ]);
    let path = map(vec![(
        "get",
        map(vec![("x-kubernetes-group-version-kind", gvk)]),
    )]);
    map(vec![
        ("definitions", map(vec![("Widget", widget), ("Spec", spec)])),
        ("paths", map(vec![("/apis/example.com/v1/widgets", path)])),
    ])
}

fn has_widget_and_deployment(schema: &Schema) -> (bool, bool) {
    let widget = schema
        .lookup("example.com/v1", "Widget", &["spec", "items"])
        .is_some_and(|s| s.is_associative());
    let deployment = schema.resource("apps/v1", "Deployment").is_some();
    (widget, deployment)
}

#[test]
fn custom_documents_are_read() {
    let custom = Schema::from_custom_document(&widget_document()).expect("reads");
    assert_eq!(has_widget_and_deployment(&custom), (true, false));
    assert!(custom.is_certainly_cluster_scoped("example.com/v1", "Widget"));
    // kyaml's hard-coded scopes and kustomize's own types stay.
    assert!(custom.is_certainly_cluster_scoped("v1", "Namespace"));
    assert!(custom
        .resource("kustomize.config.k8s.io/v1beta1", "Kustomization")
        .is_some());
    let both = Schema::builtin()
        .with_document(&widget_document())
        .expect("reads");
    assert_eq!(has_widget_and_deployment(&both), (true, true));
}

#[test]
fn session_root_custom_schema_replaces_the_builtin_one() {
    let mut session = SchemaSession::new();
    session
        .set_schema(None, Some(&widget_document()), true)
        .expect("set");
    assert_eq!(
        session.is_namespace_scoped("example.com/v1", "Widget"),
        Some(false)
    );
    assert_eq!(has_widget_and_deployment(session.schema()), (true, false));
}

#[test]
fn session_custom_schema_after_builtin_use_is_laid_over_it() {
    let mut session = SchemaSession::new();
    session
        .set_schema(None, None, true)
        .expect("root sets nothing");
    assert_eq!(has_widget_and_deployment(session.schema()), (false, true));
    session
        .set_schema(None, Some(&widget_document()), false)
        .expect("sub-kustomization sets a custom schema");
    assert_eq!(has_widget_and_deployment(session.schema()), (true, true));
    // Once set, later sub-kustomizations cannot change it.
    session
        .set_schema(Some("v1.21.2"), None, false)
        .expect("ignored");
    assert_eq!(has_widget_and_deployment(session.schema()), (true, true));
}

#[test]
fn session_scope_question_pulls_the_builtin_schema_in_later() {
    // A resource of a kind kyaml has no hard-coded scope for was identified before the custom
    // schema was parsed: kyaml then parses the built-in schema too.
    let mut session = SchemaSession::new();
    assert_eq!(
        session.is_namespace_scoped("example.com/v1", "Gadget"),
        None
    );
    session
        .set_schema(None, Some(&widget_document()), false)
        .expect("set");
    assert_eq!(has_widget_and_deployment(session.schema()), (true, true));

    let mut without = SchemaSession::new();
    without
        .set_schema(None, Some(&widget_document()), false)
        .expect("set");
    assert_eq!(has_widget_and_deployment(without.schema()), (true, false));
}

#[test]
fn session_rejects_bad_openapi_fields() {
    let mut session = SchemaSession::new();
    let err = session
        .set_schema(Some("v1.21.2"), Some(&widget_document()), true)
        .unwrap_err();
    assert_eq!(
        err.message(),
        "builtin version and custom schema provided, cannot use both"
    );
    let err = session.set_schema(Some("v1.99.0"), None, true).unwrap_err();
    assert_eq!(
        err.message(),
        "the specified OpenAPI version is not built in"
    );
    assert!(session.set_schema(Some("v1.21.2"), None, true).is_ok());
}
