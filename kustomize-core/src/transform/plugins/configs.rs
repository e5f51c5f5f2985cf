//! The config structs of kustomize's builtin plugins, decoded as each plugin's `Config` decodes
//! them.
//!
//! Most use `sigs.k8s.io/yaml.Unmarshal`: YAML 1.1 to JSON, then Go's JSON decoder without
//! `DisallowUnknownFields` (unknown keys ignored, keys matched ignoring case, JSON type rules).
//! The prefix and suffix transformers use kyaml's go-yaml v3 `Unmarshal` instead: keys must match
//! exactly and any scalar's text fills a string ([`decode_affix`]).

use crate::error::{Error, ErrorKind, Result};
use crate::load::decode::{coerced_string, decodable, At, Decode};
use crate::load::kustomization::{
    FieldSpec as FieldSpecArgs, GeneratorOptions, Image, ObjectMeta, PatchOptions,
    ReplacementField, Replica, Selector,
};
use crate::node::{Node, Tag};
use crate::resource::Gvk;
use crate::transform::fieldspec::FieldSpec;

decodable! {
    /// `AnnotationsTransformer`.
    pub(crate) struct AnnotationsConfig as "AnnotationsTransformerPlugin" {
        /// The annotations to add.
        pub annotations: Option<Vec<(String, String)>> = "annotations",
        /// Where.
        pub field_specs: Vec<FieldSpecArgs> = "fieldSpecs",
    }
}

decodable! {
    /// `LabelTransformer`.
    pub(crate) struct LabelConfig as "LabelTransformerPlugin" {
        /// The labels to add.
        pub labels: Option<Vec<(String, String)>> = "labels",
        /// Where.
        pub field_specs: Vec<FieldSpecArgs> = "fieldSpecs",
    }
}

decodable! {
    /// `NamespaceTransformer`.
    pub(crate) struct NamespaceConfig as "NamespaceTransformerPlugin" {
        /// `metadata.namespace` is the namespace to set.
        pub metadata: Option<ObjectMeta> = "metadata",
        /// Fields besides `metadata/namespace`.
        pub field_specs: Vec<FieldSpecArgs> = "fieldSpecs",
        /// Only fill empty fields.
        pub unset_only: bool = "unsetOnly",
        /// `defaultOnly`, `allServiceAccounts` or `none`.
        pub set_role_binding_subjects: String = "setRoleBindingSubjects",
    }
}

decodable! {
    /// `ImageTagTransformer`.
    pub(crate) struct ImageTagConfig as "ImageTagTransformerPlugin" {
        /// The image change.
        pub image_tag: Option<Image> = "imageTag",
        /// Fields holding images (besides containers anywhere).
        pub field_specs: Vec<FieldSpecArgs> = "fieldSpecs",
    }
}

decodable! {
    /// `ReplicaCountTransformer`.
    pub(crate) struct ReplicaCountConfig as "ReplicaCountTransformerPlugin" {
        /// Name and count.
        pub replica: Option<Replica> = "replica",
        /// Fields holding replica counts.
        pub field_specs: Vec<FieldSpecArgs> = "fieldSpecs",
    }
}

decodable! {
    /// `PatchJson6902Transformer`.
    pub(crate) struct Json6902Config as "PatchJson6902TransformerPlugin" {
        /// The resources to patch.
        pub target: Option<Selector> = "target",
        /// A file holding the operations.
        pub path: String = "path",
        /// The operations, JSON or YAML.
        pub json_op: String = "jsonOp",
    }
}

decodable! {
    /// `PatchStrategicMergeTransformer`.
    pub(crate) struct StrategicMergeConfig as "PatchStrategicMergeTransformerPlugin" {
        /// Files of patches, or inline patches.
        pub paths: Vec<String> = "paths",
        /// Inline patches.
        pub patches: String = "patches",
    }
}

decodable! {
    /// `PatchTransformer`.
    pub(crate) struct PatchConfig as "PatchTransformerPlugin" {
        /// A file holding the patch.
        pub path: String = "path",
        /// The patch, inline.
        pub patch: String = "patch",
        /// Which resources the patch applies to.
        pub target: Option<Selector> = "target",
        /// Options.
        pub options: Option<PatchOptions> = "options",
    }
}

decodable! {
    /// `ReplacementTransformer`.
    pub(crate) struct ReplacementConfig as "ReplacementTransformerPlugin" {
        /// Replacements, inline or from files.
        pub replacements: Vec<ReplacementField> = "replacements",
    }
}

decodable! {
    /// A target of `ValueAddTransformer`.
    pub(crate) struct ValueAddTarget as "Target" {
        /// Which resources (all when absent).
        pub selector: Option<Selector> = "selector",
        /// Slash-separated path of the field.
        pub field_path: String = "fieldPath",
        /// Where in a file path held by the field the value goes (0: replace the field).
        pub file_path_position: i64 = "filePathPosition",
    }
}

decodable! {
    /// `ValueAddTransformer`.
    pub(crate) struct ValueAddConfig as "ValueAddTransformerPlugin" {
        /// The value (default: the kustomization directory's name).
        pub value: String = "value",
        /// Where it goes.
        pub targets: Vec<ValueAddTarget> = "targets",
        /// A file with more `targets`.
        pub target_file_path: String = "targetFilePath",
    }
}

decodable! {
    /// The `targets` file of `ValueAddTransformer`.
    pub(crate) struct ValueAddTargets as "" {
        /// Targets.
        pub targets: Vec<ValueAddTarget> = "targets",
    }
}

decodable! {
    /// `ConfigMapGenerator` (its `metadata` and the generator arguments, inline).
    pub(crate) struct ConfigMapConfig as "ConfigMapGeneratorPlugin" {
        /// Name and namespace, when the arguments lack them.
        pub metadata: Option<ObjectMeta> = "metadata",
        /// Namespace.
        pub namespace: String = "namespace",
        /// Name.
        pub name: String = "name",
        /// `create`, `replace` or `merge`.
        pub behavior: String = "behavior",
        /// Literals.
        pub literals: Vec<String> = "literals",
        /// Files.
        pub files: Vec<String> = "files",
        /// Env files.
        pub envs: Vec<String> = "envs",
        /// The singular env file, which only kustomization files move into `envs`.
        pub env: String = "env",
        /// Options.
        pub options: Option<GeneratorOptions> = "options",
    }
}

decodable! {
    /// `SecretGenerator`: the ConfigMap's fields and `type`.
    pub(crate) struct SecretConfig as "SecretGeneratorPlugin" {
        /// Name and namespace, when the arguments lack them.
        pub metadata: Option<ObjectMeta> = "metadata",
        /// Namespace.
        pub namespace: String = "namespace",
        /// Name.
        pub name: String = "name",
        /// `create`, `replace` or `merge`.
        pub behavior: String = "behavior",
        /// Literals.
        pub literals: Vec<String> = "literals",
        /// Files.
        pub files: Vec<String> = "files",
        /// Env files.
        pub envs: Vec<String> = "envs",
        /// The singular env file (unused here).
        pub env: String = "env",
        /// Options.
        pub options: Option<GeneratorOptions> = "options",
        /// Secret type.
        pub type_: String = "type",
    }
}

decodable! {
    /// `kubernetesService` of `IAMPolicyGenerator`.
    pub(crate) struct KubernetesService as "KubernetesService" {
        /// Service account name.
        pub name: String = "name",
        /// Its namespace.
        pub namespace: String = "namespace",
    }
}

decodable! {
    /// `serviceAccount` of `IAMPolicyGenerator`.
    pub(crate) struct CloudServiceAccount as "ServiceAccount" {
        /// The cloud service account's name.
        pub name: String = "name",
        /// The cloud project.
        pub project_id: String = "projectId",
    }
}

decodable! {
    /// `IAMPolicyGenerator`.
    pub(crate) struct IamPolicyConfig as "IAMPolicyGeneratorPlugin" {
        /// Cloud provider (only `gke`).
        pub cloud: String = "cloud",
        /// The Kubernetes service account.
        pub kubernetes_service: Option<KubernetesService> = "kubernetesService",
        /// The cloud service account.
        pub service_account: Option<CloudServiceAccount> = "serviceAccount",
    }
}

/// Decodes `node` as `sigs.k8s.io/yaml.Unmarshal` decodes a plugin config into `T`.
pub(crate) fn decode<T: Decode>(node: &Node, strukt: &'static str) -> Result<T> {
    T::decode(
        node,
        At {
            strukt,
            path: "",
            lenient: true,
        },
    )
    .map_err(|e| {
        Error::new(
            e.kind(),
            format!(
                "error unmarshaling JSON: while decoding JSON: {}",
                e.message()
            ),
        )
    })
}

/// Field specs as the transformers take them.
pub(crate) fn field_specs(args: &[FieldSpecArgs]) -> Vec<FieldSpec> {
    args.iter()
        .map(|f| FieldSpec::new(Gvk::new(&f.group, &f.version, &f.kind), &f.path, f.create))
        .collect()
}

fn v3_error(message: String) -> Error {
    Error::new(
        ErrorKind::Kustomization,
        format!("yaml: unmarshal errors:\n  {message}"),
    )
}

/// go-yaml v3's string from a scalar: its text, whatever it resolved to; null is empty. The
/// text is the config's after kustomize's JSON round trip, so numbers and booleans are spelled
/// as Go prints them.
fn v3_string(node: &Node) -> Result<String> {
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => Ok(String::new()),
        Node::Scalar(s) => Ok(coerced_string(s).unwrap_or_else(|| s.text.to_string())),
        other => Err(v3_error(format!(
            "cannot unmarshal {} into string",
            other.kind_name()
        ))),
    }
}

/// go-yaml v3's bool: booleans, and strings spelling a YAML 1.1 boolean.
fn v3_bool(node: &Node) -> Result<bool> {
    if let Node::Scalar(s) = node {
        match (s.tag, s.text.as_str()) {
            (Tag::Null, _) => return Ok(false),
            (Tag::Bool, t) => return Ok(matches!(t, "true" | "True" | "TRUE")),
            (Tag::Str, "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") => return Ok(true),
            (Tag::Str, "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF") => return Ok(false),
            _ => {}
        }
        return Err(v3_error(format!(
            "cannot unmarshal {} `{}` into bool",
            s.tag_name(),
            s.text
        )));
    }
    Err(v3_error(format!(
        "cannot unmarshal {} into bool",
        node.kind_name()
    )))
}

/// One field spec, as go-yaml v3 decodes `types.FieldSpec`.
fn v3_field_spec(node: &Node) -> Result<FieldSpec> {
    let map = match node {
        Node::Scalar(s) if s.tag == Tag::Null => {
            return Ok(FieldSpec::new(Gvk::default(), "", false))
        }
        Node::Map(m) => m,
        other => {
            return Err(v3_error(format!(
                "cannot unmarshal {} into types.FieldSpec",
                other.kind_name()
            )))
        }
    };
    let (mut gvk, mut path, mut create) = (Gvk::default(), String::new(), false);
    for (k, v) in map.iter() {
        match k.as_str() {
            "group" => gvk.group = v3_string(v)?,
            "version" => gvk.version = v3_string(v)?,
            "kind" => gvk.kind = v3_string(v)?,
            "path" => path = v3_string(v)?,
            "create" => create = v3_bool(v)?,
            _ => {}
        }
    }
    Ok(FieldSpec::new(gvk, &path, create))
}

/// `PrefixTransformer` / `SuffixTransformer`: the affix under `key` and the field specs, which
/// must be present (kustomize refuses a nil list; an empty one is fine).
pub(crate) fn decode_affix(node: &Node, key: &str) -> Result<(String, Vec<FieldSpec>)> {
    let Node::Map(map) = node else {
        return Err(v3_error(format!(
            "cannot unmarshal {} into the plugin config",
            node.kind_name()
        )));
    };
    let mut value = String::new();
    let mut specs: Option<Vec<FieldSpec>> = None;
    for (k, v) in map.iter() {
        if k.as_str() == key {
            value = v3_string(v)?;
        } else if k.as_str() == "fieldSpecs" {
            specs = match v {
                Node::Scalar(s) if s.tag == Tag::Null => None,
                Node::Seq(items) => Some(items.iter().map(v3_field_spec).collect::<Result<_>>()?),
                other => {
                    return Err(v3_error(format!(
                        "cannot unmarshal {} into types.FsSlice",
                        other.kind_name()
                    )))
                }
            };
        }
    }
    let specs = specs.ok_or_else(|| {
        Error::new(
            ErrorKind::Kustomization,
            "fieldSpecs is not expected to be nil",
        )
    })?;
    Ok((value, specs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{parse_documents, Schema};

    fn doc(text: &str, schema: Schema) -> Node {
        parse_documents(text.as_bytes(), schema)
            .unwrap()
            .into_iter()
            .next()
            .unwrap()
    }

    #[test]
    fn plugin_configs_ignore_unknown_fields() {
        let n = doc(
            "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: x\nLabels:\n  a: yes\n  b: 1.0\n  c: 0x1F\nfieldSpecs:\n- path: metadata/labels\n  create: true\n",
            Schema::Core,
        );
        let c: LabelConfig = decode(&n, "LabelTransformerPlugin").unwrap();
        let want = [("a", "yes"), ("b", "1"), ("c", "31")];
        assert_eq!(
            c.labels.unwrap(),
            want.map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert!(c.field_specs[0].create);
        let bad = doc("fieldSpecs:\n- create: yes\n", Schema::Core);
        let err = decode::<LabelConfig>(&bad, "LabelTransformerPlugin").unwrap_err();
        assert!(err.message().starts_with("error unmarshaling JSON"));
    }

    #[test]
    fn affix_configs_read_as_go_yaml_v3() {
        let n = doc(
            "prefix: 012\nfieldSpecs:\n- path: metadata/name\n  create: \"yes\"\n",
            Schema::Core,
        );
        let (prefix, specs) = decode_affix(&n, "prefix").unwrap();
        // The JSON round trip spells the (octal) integer in decimal.
        assert_eq!(prefix, "10");
        assert!(specs[0].create());
        let missing = doc("prefix: a\n", Schema::Core);
        assert_eq!(
            decode_affix(&missing, "prefix").unwrap_err().message(),
            "fieldSpecs is not expected to be nil"
        );
        let empty = doc("Prefix: a\nfieldSpecs: []\n", Schema::Core);
        assert_eq!(decode_affix(&empty, "prefix").unwrap().0, "");
    }
}
