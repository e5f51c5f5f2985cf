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
