//! The namespace transformer (`namespace:` in a kustomization, or a `NamespaceTransformer`).
//!
//! Per resource, as kustomize's namespace filter does it:
//! 1. `metadata/namespace` is set (created if absent) unless the kind is cluster-scoped per the
//!    OpenAPI data; field specs for `metadata/namespace` are ignored, and field specs for
//!    `metadata/name` only apply to `apiVersion: v1` resources (so a `v1` `Namespace` is renamed).
//! 2. In `RoleBinding`s and `ClusterRoleBinding`s (any group), `subjects` get the namespace: by
//!    default those named `default`; with `allServiceAccounts` those of kind `ServiceAccount`;
//!    with `none` no subject.
//! 3. The remaining field specs (the `namespace` table: `APIService` service namespace, CRD
//!    conversion webhook service namespace, …) are set as strings.
//!
//! With `unsetOnly`, fields that already hold a non-empty value keep it. Resources marked as
//! Helm-generated are left alone. The check that two resources do not end up with the same id
//! belongs to the caller (kustomize fails with `namespace transformation produces ID conflict`).

use super::fieldspec::FieldSpec;
use super::path::{gvk_of, set_scalar, visit_resource, Create, FieldPath, NodeKind, WalkError};
use crate::error::{Error, ErrorKind, Result};
use crate::node::{Node, Scalar, Tag};
use crate::resource::Gvk;
use std::sync::OnceLock;

/// Which role-binding subjects get the namespace (`setRoleBindingSubjects`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleBindingSubjects {
    /// `defaultOnly` (also the default): subjects named `default`.
    #[default]
    DefaultOnly,
    /// `allServiceAccounts`: subjects of kind `ServiceAccount`.
    AllServiceAccounts,
    /// `none`: no subject.
    None,
}

impl RoleBindingSubjects {
    /// Reads the option as a `NamespaceTransformer` config spells it (empty means the default).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "" | "defaultOnly" => Ok(RoleBindingSubjects::DefaultOnly),
            "allServiceAccounts" => Ok(RoleBindingSubjects::AllServiceAccounts),
            "none" => Ok(RoleBindingSubjects::None),
            other => Err(Error::new(
                ErrorKind::Transform,
                format!(
                    "invalid value {other:?} for setRoleBindingSubjects: must be one of \
                     \"defaultOnly\", \"none\" or \"allServiceAccounts\""
                ),
            )),
        }
    }
}

/// One namespace transformation.
#[derive(Clone, Copy, Debug)]
pub struct NamespaceTransformer<'a> {
    /// The namespace to set; empty means the transformer does nothing.
    pub namespace: &'a str,
    /// Field specs besides `metadata/namespace` (the `namespace` list of the transformer config).
    pub field_specs: &'a [FieldSpec],
    /// Only set fields that are empty or absent.
    pub unset_only: bool,
    /// Which role-binding subjects get the namespace.
    pub subjects: RoleBindingSubjects,
}

/// The annotation that marks resources inflated from Helm charts, which keep their namespaces.
pub const HELM_GENERATED_ANNOTATION: &str = "internal.config.kubernetes.io/helm-generated";

fn metadata_namespace_path() -> &'static FieldPath {
    static PATH: OnceLock<FieldPath> = OnceLock::new();
    PATH.get_or_init(|| FieldPath::field_spec("metadata/namespace"))
}

impl NamespaceTransformer<'_> {
    /// Applies the transformation to one resource. `is_cluster_scoped` says whether a gvk is
    /// certainly cluster-scoped per the OpenAPI data (unknown kinds are not).
    pub fn apply(&self, node: &mut Node, is_cluster_scoped: &dyn Fn(&Gvk) -> bool) -> Result<()> {
        if self.namespace.is_empty() || is_nil_or_empty(node) || is_helm_generated(node) {
            return Ok(());
        }
        let gvk = gvk_of(node);
        let api_version = node.str_at(&["apiVersion"]).unwrap_or("");
        let role_binding = gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding";
        let specs: Vec<&FieldSpec> = self
            .field_specs
            .iter()
            .filter(|fs| {
                let path = fs.path_str();
                path != "metadata/namespace"
                    && (api_version == "v1" || path != "metadata/name")
                    && !(role_binding
                        && (fs.gvk().kind == "RoleBinding"
                            || fs.gvk().kind == "ClusterRoleBinding")
                        && path == "subjects/namespace")
            })
            .collect();

        if !is_cluster_scoped(&gvk) {
            // kyaml turns a null `metadata.namespace` into an untagged scalar before setting it,
            // so for `unsetOnly` its spelling (`null`, `~`) counts as a value and is kept.
            visit_resource(
                node,
                metadata_namespace_path(),
                Create::Scalar { null_tag: None },
                &mut |n: &mut Node| self.set_with(n, true),
            )?;
        }
        let mut set = |n: &mut Node| self.set(n);
        if role_binding {
            self.set_subjects(node)?;
        }
        for fs in specs {
            if !fs.selects(&gvk) {
                continue;
            }
            let create = Create::scalar_if(fs.create(), Tag::Str);
            if let Err(e) = visit_resource(node, fs.path(), create, &mut set) {
                let prefix = match e.wrong_kind_found() {
                    Some(kind) if kind != NodeKind::Scalar => {
                        "namespace field specs must target scalar nodes"
                    }
                    _ => "namespace transformation failed",
                };
                return Err(e.context(prefix).into_error());
            }
        }
        Ok(())
    }

    /// Writes the namespace into a scalar field (skipping non-empty ones with `unsetOnly`).
    fn set(&self, node: &mut Node) -> Result<(), WalkError> {
        self.set_with(node, false)
    }

    /// `null_spelling_counts`: a `null` with text is a value (see the `metadata.namespace` case).
    fn set_with(&self, node: &mut Node, null_spelling_counts: bool) -> Result<(), WalkError> {
        if self.unset_only {
            let spelled_null =
                matches!(node, Node::Scalar(s) if s.tag == Tag::Null && !s.text.is_empty());
            if has_existing_value(node) || (null_spelling_counts && spelled_null) {
                return Ok(());
            }
        }
        set_scalar(node, self.namespace, Some(Tag::Str))
    }

    fn set_subjects(&self, node: &mut Node) -> Result<()> {
        let (field, wanted) = match self.subjects {
            RoleBindingSubjects::None => return Ok(()),
            RoleBindingSubjects::DefaultOnly => ("name", "default"),
            RoleBindingSubjects::AllServiceAccounts => ("kind", "ServiceAccount"),
        };
        let Some(subjects) = node.get_mut("subjects") else {
            return Ok(());
        };
        let items = match subjects {
            Node::Scalar(s) if s.tag == Tag::Null => return Ok(()),
            Node::Seq(items) => items,
            other => {
                return Err(WalkError::wrong_kind(NodeKind::Seq, other)
                    .context("setting namespace on (cluster)role binding subjects")
                    .into_error())
            }
        };
        for subject in items.iter_mut() {
            let matched = match &*subject {
                Node::Scalar(s) if s.tag == Tag::Null => false,
                Node::Map(m) => match m.get(field) {
                    None => false,
                    Some(Node::Scalar(s)) => s.tag != Tag::Null && s.text == wanted,
                    Some(other) => {
                        return Err(WalkError::wrong_kind(NodeKind::Scalar, other)
                            .context(format_args!(
                                "looking up {field} on (cluster)role binding subject"
                            ))
                            .context("setting namespace on (cluster)role binding subjects")
                            .into_error())
                    }
                },
                other => {
                    return Err(WalkError::wrong_kind(NodeKind::Map, other)
                        .context(format_args!(
                            "looking up {field} on (cluster)role binding subject"
                        ))
                        .context("setting namespace on (cluster)role binding subjects")
                        .into_error())
                }
            };
            if !matched {
                continue;
            }
            if let Node::Map(m) = subject {
                let ns = m.get_or_insert_with("namespace", || {
                    Node::Scalar(Scalar::tagged("", Tag::Null))
                });
                self.set(ns).map_err(|e| {
                    e.context("setting namespace on (cluster)role binding subjects")
                        .into_error()
                })?;
            }
        }
        Ok(())
    }
}

/// kyaml's "nil or empty": `null`, `{}` or `[]`.
fn is_nil_or_empty(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => s.tag == Tag::Null,
        Node::Map(m) => m.is_empty(),
        Node::Seq(s) => s.is_empty(),
    }
}

fn is_helm_generated(node: &Node) -> bool {
    node.str_at(&["metadata", "annotations", HELM_GENERATED_ANNOTATION]) == Some("true")
}

/// kustomize's test for `unsetOnly`: a scalar with text, or (oddly) a mapping whose `""` key
/// holds text.
fn has_existing_value(node: &Node) -> bool {
    if is_nil_or_empty(node) {
        return false;
    }
    match node {
        Node::Scalar(s) => !s.text.is_empty(),
        Node::Map(m) => matches!(
            m.get(""),
            Some(Node::Scalar(s)) if s.tag != Tag::Null && !s.text.is_empty()
        ),
        Node::Seq(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::fieldspec::TransformerConfig;
    use crate::transform::testutil::{assert_yaml, yaml};

    fn cluster_scoped(gvk: &Gvk) -> bool {
        matches!(
            gvk.kind.as_str(),
            "Namespace" | "ClusterRole" | "ClusterRoleBinding" | "CustomResourceDefinition"
        ) || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
    }

    fn ns<'a>(specs: &'a [FieldSpec]) -> NamespaceTransformer<'a> {
        NamespaceTransformer {
            namespace: "prod",
            field_specs: specs,
            unset_only: false,
            subjects: RoleBindingSubjects::DefaultOnly,
        }
    }

    fn run(t: NamespaceTransformer, src: &str) -> Result<Node> {
        let mut n = yaml(src);
        t.apply(&mut n, &cluster_scoped).map(|()| n)
    }

    #[test]
    fn sets_metadata_namespace_on_namespaced_kinds_only() {
        let specs = &TransformerConfig::builtin().namespace;
        let n = run(
            ns(specs),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        )
        .unwrap();
        assert_yaml(
            &n,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: prod\n",
        );
        let src = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: old\n";
        assert_yaml(&run(ns(specs), src).unwrap(), src);
        // Unknown kinds are namespaced.
        let n = run(
            ns(specs),
            "apiVersion: x.io/v1\nkind: Foo\nmetadata:\n  name: f\n",
        )
        .unwrap();
        assert_eq!(n.str_at(&["metadata", "namespace"]), Some("prod"));
    }

    #[test]
    fn renames_v1_namespaces_and_sets_service_namespaces() {
        let specs = &TransformerConfig::builtin().namespace;
        let n = run(
            ns(specs),
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: old\n",
        )
        .unwrap();
        assert_yaml(
            &n,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n",
        );
        let n = run(
            ns(specs),
            "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: a\nspec:\n  group: g\n",
        )
        .unwrap();
        assert_yaml(
            &n,
            "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: a\nspec:\n  group: g\n  service:\n    namespace: prod\n",
        );
        // The CRD spec does not create the webhook service.
        let src = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  conversion:\n    strategy: None\n";
        assert_yaml(&run(ns(specs), src).unwrap(), src);
    }

    #[test]
    fn role_binding_subjects_follow_the_mode() {
        let src = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nsubjects:\n- kind: ServiceAccount\n  name: default\n- kind: ServiceAccount\n  name: other\n  namespace: x\n- kind: User\n  name: default\n";
        let n = run(ns(&[]), src).unwrap();
        let subjects = n.get("subjects").and_then(Node::as_seq).unwrap();
        let spaces: Vec<_> = subjects.iter().map(|s| s.str_at(&["namespace"])).collect();
        assert_eq!(spaces, [Some("prod"), Some("x"), Some("prod")]);
        let mut all = ns(&[]);
        all.subjects = RoleBindingSubjects::AllServiceAccounts;
        let n = run(all, src).unwrap();
        let subjects = n.get("subjects").and_then(Node::as_seq).unwrap();
        let spaces: Vec<_> = subjects.iter().map(|s| s.str_at(&["namespace"])).collect();
        assert_eq!(spaces, [Some("prod"), Some("prod"), None]);
        let mut none = ns(&[]);
        none.subjects = RoleBindingSubjects::None;
        let n = run(none, src).unwrap();
        assert_eq!(n.str_at(&["metadata", "namespace"]), Some("prod"));
        assert_eq!(
            n.get("subjects").and_then(Node::as_seq).unwrap()[0].str_at(&["namespace"]),
            None
        );
        assert_eq!(
            RoleBindingSubjects::parse("bogus").unwrap_err().message(),
            "invalid value \"bogus\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
        );
    }

    #[test]
    fn unset_only_keeps_existing_values() {
        let mut t = ns(&[]);
        t.unset_only = true;
        let n = run(
            t,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: keep\n",
        )
        .unwrap();
        assert_eq!(n.str_at(&["metadata", "namespace"]), Some("keep"));
        let n = run(
            t,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: \"\"\n",
        )
        .unwrap();
        assert_eq!(n.str_at(&["metadata", "namespace"]), Some("prod"));
    }

    #[test]
    fn namespace_values_are_strings_and_helm_resources_are_skipped() {
        let mut t = ns(&[]);
        t.namespace = "123";
        let n = run(
            t,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: null\n",
        )
        .unwrap();
        let v = n
            .get_path(&["metadata", "namespace"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!((v.text.as_str(), v.tag), ("123", Tag::Str));
        let src = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    internal.config.kubernetes.io/helm-generated: \"true\"\n";
        assert_yaml(&run(ns(&[]), src).unwrap(), src);
    }

    #[test]
    fn specs_aimed_at_mappings_fail_as_kustomize_words_it() {
        let specs = [FieldSpec::new(Gvk::new("", "", "ConfigMap"), "data", true)];
        let err = run(
            ns(&specs),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n",
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "namespace field specs must target scalar nodes: considering field 'data' of object \
             ConfigMap.v1.[noGrp]/c.prod: wrong node kind: expected ScalarNode but got \
             MappingNode: node contents:\na: b\n"
        );
        let specs = [FieldSpec::new(
            Gvk::new("", "", "ConfigMap"),
            "data/a/b",
            true,
        )];
        let err = run(
            ns(&specs),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n",
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "namespace transformation failed: considering field 'data/a/b' of object \
             ConfigMap.v1.[noGrp]/c.prod: expected sequence or mapping node"
        );
    }
}
