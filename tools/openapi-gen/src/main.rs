//! Generates `kustomize-core/src/openapi/builtin.table` from the Swagger documents kustomize
//! embeds: the Kubernetes one (protobuf-encoded OpenAPI v2, `swagger.pb`; the go-bindata
//! `swagger.go` beside it holds the same bytes gzipped) and kustomize's own
//! `kustomizationapi/swagger.json`.
//!
//! ```text
//! cargo run --manifest-path tools/openapi-gen/Cargo.toml -- \
//!     KUSTOMIZE/kyaml/openapi/kubernetesapi/v1_21_2/swagger.pb \
//!     KUSTOMIZE/kyaml/openapi/kustomizationapi/swagger.json \
//!     > kustomize-core/src/openapi/builtin.table
//! ```
//!
//! kustomize-core embeds the table it builds on, so a first build from scratch needs a
//! placeholder table (`kbuild-openapi 1` and `N 0` on two lines).

mod proto;
mod yamlish;

use kustomize_core::openapi::{RawSwagger, Schema};
use kustomize_core::{Mapping, Node, Scalar, Tag};
use std::process::ExitCode;

/// kyaml's hard-coded namespace-scope answers (`precomputedIsNamespaceScoped` in
/// kyaml/openapi): `(apiVersion, kind, namespaced)`.
const PRECOMPUTED: &[(&str, &str, bool)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        false,
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        false,
    ),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition", false),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        false,
    ),
    ("apiregistration.k8s.io/v1", "APIService", false),
    ("apiregistration.k8s.io/v1beta1", "APIService", false),
    ("apps/v1", "ControllerRevision", true),
    ("apps/v1", "DaemonSet", true),
    ("apps/v1", "Deployment", true),
    ("apps/v1", "ReplicaSet", true),
    ("apps/v1", "StatefulSet", true),
    ("autoscaling/v1", "HorizontalPodAutoscaler", true),
    ("autoscaling/v1", "Scale", true),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", true),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", true),
    ("batch/v1", "CronJob", true),
    ("batch/v1", "Job", true),
    ("batch/v1beta1", "CronJob", true),
    ("certificates.k8s.io/v1", "CertificateSigningRequest", false),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        false,
    ),
    ("coordination.k8s.io/v1", "Lease", true),
    ("coordination.k8s.io/v1beta1", "Lease", true),
    ("discovery.k8s.io/v1", "EndpointSlice", true),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", true),
    ("events.k8s.io/v1", "Event", true),
    ("events.k8s.io/v1beta1", "Event", true),
    ("extensions/v1beta1", "Ingress", true),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", false),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        false,
    ),
    ("networking.k8s.io/v1", "Ingress", true),
    ("networking.k8s.io/v1", "IngressClass", false),
    ("networking.k8s.io/v1", "NetworkPolicy", true),
    ("networking.k8s.io/v1beta1", "Ingress", true),
    ("networking.k8s.io/v1beta1", "IngressClass", false),
    ("node.k8s.io/v1", "RuntimeClass", false),
    ("node.k8s.io/v1beta1", "RuntimeClass", false),
    ("policy/v1", "PodDisruptionBudget", true),
    ("policy/v1beta1", "PodDisruptionBudget", true),
    ("policy/v1beta1", "PodSecurityPolicy", false),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", false),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", false),
    ("rbac.authorization.k8s.io/v1", "Role", true),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", true),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", false),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        false,
    ),
    ("rbac.authorization.k8s.io/v1beta1", "Role", true),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", true),
    ("scheduling.k8s.io/v1", "PriorityClass", false),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", false),
    ("storage.k8s.io/v1", "CSIDriver", false),
    ("storage.k8s.io/v1", "CSINode", false),
    ("storage.k8s.io/v1", "StorageClass", false),
    ("storage.k8s.io/v1", "VolumeAttachment", false),
    ("storage.k8s.io/v1beta1", "CSIDriver", false),
    ("storage.k8s.io/v1beta1", "CSINode", false),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", true),
    ("storage.k8s.io/v1beta1", "StorageClass", false),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", false),
    ("v1", "ComponentStatus", false),
    ("v1", "ConfigMap", true),
    ("v1", "Endpoints", true),
    ("v1", "Event", true),
    ("v1", "LimitRange", true),
    ("v1", "Namespace", false),
    ("v1", "Node", false),
    ("v1", "NodeProxyOptions", false),
    ("v1", "PersistentVolume", false),
    ("v1", "PersistentVolumeClaim", true),
    ("v1", "Pod", true),
    ("v1", "PodAttachOptions", true),
    ("v1", "PodExecOptions", true),
    ("v1", "PodPortForwardOptions", true),
    ("v1", "PodProxyOptions", true),
    ("v1", "PodTemplate", true),
    ("v1", "ReplicationController", true),
    ("v1", "ResourceQuota", true),
    ("v1", "Secret", true),
    ("v1", "Service", true),
    ("v1", "ServiceAccount", true),
    ("v1", "ServiceProxyOptions", true),
];

fn json_to_node(v: &serde_json::Value) -> Node {
    match v {
        serde_json::Value::Null => Node::null(),
        serde_json::Value::Bool(b) => Node::Scalar(Scalar::tagged(b.to_string(), Tag::Bool)),
        serde_json::Value::Number(n) => {
            let tag = if n.is_f64() { Tag::Float } else { Tag::Int };
            Node::Scalar(Scalar::tagged(n.to_string(), tag))
        }
        serde_json::Value::String(s) => Node::string(s.as_str()),
        serde_json::Value::Array(items) => Node::Seq(items.iter().map(json_to_node).collect()),
        serde_json::Value::Object(map) => {
            let mut m = Mapping::with_capacity(map.len());
            for (k, v) in map {
                m.push(Scalar::string(k.as_str()), json_to_node(v));
            }
            Node::Map(m)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let [k8s_path, kustomize_path] = args else {
        return Err("usage: openapi-gen KUBERNETES_SWAGGER.pb KUSTOMIZATION_SWAGGER.json".into());
    };
    let pb = std::fs::read(k8s_path).map_err(|e| format!("{k8s_path}: {e}"))?;
    let k8s = proto::document(&pb).map_err(|e| format!("{k8s_path}: {e}"))?;
    let json = std::fs::read(kustomize_path).map_err(|e| format!("{kustomize_path}: {e}"))?;
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| format!("{kustomize_path}: {e}"))?;
    let kust = RawSwagger::from_node(&json_to_node(&value)).map_err(|e| e.to_string())?;
    eprintln!(
        "kubernetes: {} definitions, {} typed paths; kustomize: {} definitions",
        k8s.definitions.len(),
        k8s.paths.len(),
        kust.definitions.len()
    );
    let mut schema = Schema::from_swagger(&[k8s, kust]);
    schema
        .mark_precomputed(PRECOMPUTED)
        .map_err(|e| e.to_string())?;
    let table = schema.to_table().map_err(|e| e.to_string())?;
    // The table must read back to a schema that answers alike.
    let back = Schema::from_table(&table).map_err(|e| e.to_string())?;
    if back.to_table().map_err(|e| e.to_string())? != table {
        return Err("table does not round-trip".into());
    }
    Ok(table)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("openapi-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
