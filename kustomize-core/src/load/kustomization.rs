//! The kustomization file: every field kustomize v5.8 knows, read with kustomize's rules.

use super::decode::decodable;
use super::yaml::{self, Schema};
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;

/// The names kustomize recognises for a kustomization file, in the order it tries them.
pub const KUSTOMIZATION_FILE_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

decodable! {
    /// `metadata` of a kustomization (kustomize reads it but does not use it).
    pub struct ObjectMeta as "ObjectMeta" {
        /// `name`.
        pub name: String = "name",
        /// `namespace`.
        pub namespace: String = "namespace",
        /// `labels`.
        pub labels: Vec<(String, String)> = "labels",
        /// `annotations`.
        pub annotations: Vec<(String, String)> = "annotations",
    }
}

decodable! {
    /// Selects resources by id (regular expressions since v5.7 in replacements) and by label or
    /// annotation selector: a patch `target`, a replacement `select`/`reject`.
    pub struct Selector as "Selector" {
        /// API group.
        pub group: String = "group",
        /// API version.
        pub version: String = "version",
        /// Kind.
        pub kind: String = "kind",
        /// Name.
        pub name: String = "name",
        /// Namespace.
        pub namespace: String = "namespace",
        /// A Kubernetes annotation selector (`a=b,c!=d`).
        pub annotation_selector: String = "annotationSelector",
        /// A Kubernetes label selector.
        pub label_selector: String = "labelSelector",
    }
}

decodable! {
    /// `options` of a patch.
    pub struct PatchOptions as "PatchArgs" {
        /// Allow the patch to change the target's name.
        pub allow_name_change: bool = "allowNameChange",
        /// Allow the patch to change the target's kind.
        pub allow_kind_change: bool = "allowKindChange",
    }
}

decodable! {
    /// An entry of `patches` or `patchesJson6902`.
    pub struct Patch as "Patch" {
        /// A file holding the patch.
        pub path: String = "path",
        /// The patch itself, inline.
        pub patch: String = "patch",
        /// Which resources the patch applies to.
        pub target: Option<Selector> = "target",
        /// Options.
        pub options: Option<PatchOptions> = "options",
    }
}

decodable! {
    /// An entry of `images`.
    pub struct Image as "Image" {
        /// The image name to match.
        pub name: String = "name",
        /// Replacement name.
        pub new_name: String = "newName",
        /// Suffix appended to the tag.
        pub tag_suffix: String = "tagSuffix",
        /// Replacement tag.
        pub new_tag: String = "newTag",
        /// Replacement digest.
        pub digest: String = "digest",
    }
}

decodable! {
    /// A field spec: which resources (by gvk) and which field path.
    pub struct FieldSpec as "FieldSpec" {
        /// Group.
        pub group: String = "group",
        /// Version.
        pub version: String = "version",
        /// Kind.
        pub kind: String = "kind",
        /// Slash-separated field path.
        pub path: String = "path",
        /// Create the field if it is missing.
        pub create: bool = "create",
    }
}

decodable! {
    /// An entry of `labels`.
    pub struct Label as "Label" {
        /// The labels to set.
        pub pairs: Vec<(String, String)> = "pairs",
        /// Also set them in selectors.
        pub include_selectors: bool = "includeSelectors",
        /// Also set them in pod templates.
        pub include_templates: bool = "includeTemplates",
        /// Also set them in StatefulSet volume claim templates.
        pub include_volume_claim_templates: bool = "includeVolumeClaimTemplates",
        /// Custom field specs.
        pub fields: Vec<FieldSpec> = "fields",
    }
}

decodable! {
    /// An entry of `replicas`.
    pub struct Replica as "Replica" {
        /// Name of the workload.
        pub name: String = "name",
        /// Replica count.
        pub count: i64 = "count",
    }
}

decodable! {
    /// `options` of a replacement source or target.
    pub struct FieldOptions as "FieldOptions" {
        /// Split the value at this delimiter.
        pub delimiter: String = "delimiter",
        /// Which part after splitting.
        pub index: i64 = "index",
        /// Encoding (unused by kustomize's builtin).
        pub encoding: String = "encoding",
        /// Create the target field if missing.
        pub create: bool = "create",
    }
}

decodable! {
    /// A replacement's `source`.
    pub struct SourceSelector as "SourceSelector" {
        /// Group.
        pub group: String = "group",
        /// Version.
        pub version: String = "version",
        /// Kind.
        pub kind: String = "kind",
        /// Name.
        pub name: String = "name",
        /// Namespace.
        pub namespace: String = "namespace",
        /// Path of the source field (default `metadata.name`).
        pub field_path: String = "fieldPath",
        /// Options.
        pub options: Option<FieldOptions> = "options",
    }
}

decodable! {
    /// A replacement's target.
    pub struct TargetSelector as "TargetSelector" {
        /// Resources to change.
        pub select: Option<Selector> = "select",
        /// Resources to leave alone.
        pub reject: Vec<Selector> = "reject",
        /// Fields to set.
        pub field_paths: Vec<String> = "fieldPaths",
        /// Options.
        pub options: Option<FieldOptions> = "options",
    }
}

decodable! {
    /// An entry of `replacements`: inline, or `path` to a file of them.
    pub struct ReplacementField as "ReplacementField" {
        /// Where the value comes from.
        pub source: Option<SourceSelector> = "source",
        /// Where it goes.
        pub targets: Vec<Option<TargetSelector>> = "targets",
        /// A literal value instead of a source.
        pub source_value: Option<String> = "sourceValue",
        /// A file holding replacements.
        pub path: String = "path",
    }
}

decodable! {
    /// A var's `objref`.
    pub struct VarTarget as "Target" {
        /// apiVersion.
        pub api_version: String = "apiVersion",
        /// Group.
        pub group: String = "group",
        /// Version.
        pub version: String = "version",
        /// Kind.
        pub kind: String = "kind",
        /// Name.
        pub name: String = "name",
        /// Namespace.
        pub namespace: String = "namespace",
    }
}

decodable! {
    /// A var's `fieldref`.
    pub struct FieldSelector as "FieldSelector" {
        /// Path of the field (default `metadata.name`).
        pub field_path: String = "fieldPath",
    }
}

decodable! {
    /// An entry of `vars`.
    pub struct Var as "Var" {
        /// The var's name, used as `$(NAME)`.
        pub name: String = "name",
        /// The resource holding the value.
        pub objref: VarTarget = "objref",
        /// The field holding the value.
        pub fieldref: FieldSelector = "fieldref",
    }
}

decodable! {
    /// `legacySortOptions`.
    pub struct LegacySortOptions as "LegacySortOptions" {
        /// Kinds printed first, in this order.
        pub order_first: Vec<String> = "orderFirst",
        /// Kinds printed last, in this order.
        pub order_last: Vec<String> = "orderLast",
    }
}

decodable! {
    /// `sortOptions`.
    pub struct SortOptions as "SortOptions" {
        /// `legacy` or `fifo`.
        pub order: String = "order",
        /// Options of the legacy order.
        pub legacy_sort_options: Option<LegacySortOptions> = "legacySortOptions",
    }
}

decodable! {
    /// `generatorOptions`, or a generator's `options`.
    pub struct GeneratorOptions as "GeneratorOptions" {
        /// Labels added to generated resources.
        pub labels: Option<Vec<(String, String)>> = "labels",
        /// Annotations added to generated resources.
        pub annotations: Option<Vec<(String, String)>> = "annotations",
        /// Don't append a content hash to names.
        pub disable_name_suffix_hash: bool = "disableNameSuffixHash",
        /// Mark generated resources immutable.
        pub immutable: bool = "immutable",
    }
}

decodable! {
    /// An entry of `configMapGenerator` or `secretGenerator`.
    pub struct GeneratorArgs as "GeneratorArgs" {
        /// Namespace of the generated resource.
        pub namespace: String = "namespace",
        /// Name of the generated resource.
        pub name: String = "name",
        /// `create`, `replace` or `merge`.
        pub behavior: String = "behavior",
        /// `KEY=VALUE` literals.
        pub literals: Vec<String> = "literals",
        /// Files (`[KEY=]PATH`).
        pub files: Vec<String> = "files",
        /// Env files.
        pub envs: Vec<String> = "envs",
        /// A single env file (deprecated spelling).
        pub env: String = "env",
        /// Options.
        pub options: Option<GeneratorOptions> = "options",
        /// Secret type (secretGenerator only).
        pub type_: String = "type",
    }
}

decodable! {
    /// `helmGlobals` (accepted so that kustomizations using helm fail the way kustomize does).
    pub struct HelmGlobals as "HelmGlobals" {
        /// chartHome.
        pub chart_home: String = "chartHome",
        /// configHome.
        pub config_home: String = "configHome",
    }
}

/// Everything a `kustomization.yaml` (or a Component) can say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kustomization {
    /// `kind`: `Kustomization` or `Component` (after defaulting).
    pub kind: String,
    /// `apiVersion` (after defaulting).
    pub api_version: String,
    /// `metadata`.
    pub metadata: Option<ObjectMeta>,
    /// `openapi`.
    pub openapi: Vec<(String, String)>,
    /// `namePrefix`.
    pub name_prefix: String,
    /// `nameSuffix`.
    pub name_suffix: String,
    /// `namespace`.
    pub namespace: String,
    /// `commonLabels`.
    pub common_labels: Option<Vec<(String, String)>>,
    /// `labels`.
    pub labels: Vec<Label>,
    /// `commonAnnotations`.
    pub common_annotations: Option<Vec<(String, String)>>,
    /// `patchesStrategicMerge`: file paths or inline patches.
    pub patches_strategic_merge: Vec<String>,
    /// `patchesJson6902`.
    pub patches_json6902: Vec<Patch>,
    /// `patches`.
    pub patches: Vec<Patch>,
    /// `images` followed by the deprecated `imageTags`.
    pub images: Vec<Image>,
    /// `replacements`.
    pub replacements: Vec<ReplacementField>,
    /// `replicas`.
    pub replicas: Vec<Replica>,
    /// `vars`.
    pub vars: Vec<Var>,
    /// `sortOptions`.
    pub sort_options: Option<SortOptions>,
    /// `resources` followed by the deprecated `bases`.
    pub resources: Vec<String>,
    /// `components`.
    pub components: Vec<String>,
    /// `crds`.
    pub crds: Vec<String>,
    /// `configMapGenerator`.
    pub config_map_generator: Vec<GeneratorArgs>,
    /// `secretGenerator`.
    pub secret_generator: Vec<GeneratorArgs>,
    /// `generatorOptions`.
    pub generator_options: Option<GeneratorOptions>,
    /// `configurations`.
    pub configurations: Vec<String>,
    /// `generators`.
    pub generators: Vec<String>,
    /// `transformers`.
    pub transformers: Vec<String>,
    /// `validators`.
    pub validators: Vec<String>,
    /// `buildMetadata`.
    pub build_metadata: Vec<String>,
    /// Whether the file uses helm (`helmCharts`, `helmGlobals`, `helmChartInflationGenerator`).
    pub uses_helm: bool,
    /// Deprecation warnings kustomize prints (to stderr) for this file, in its order.
    pub warnings: Vec<String>,
    /// Whether the file sets nothing but `kind` and `apiVersion` (kustomize rejects that).
    is_empty: bool,
}

/// The kind of a Kustomization.
pub const KUSTOMIZATION_KIND: &str = "Kustomization";
/// The kind of a Component.
pub const COMPONENT_KIND: &str = "Component";
const KUSTOMIZATION_VERSION: &str = "kustomize.config.k8s.io/v1beta1";
const COMPONENT_VERSION: &str = "kustomize.config.k8s.io/v1alpha1";

const FIX: &str = "Run 'kustomize edit fix' to update your Kustomization automatically.";
const FIX_EXPERIMENTAL: &str =
    "[EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.";

const FIELDS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

impl Kustomization {
    /// Reads a kustomization file's bytes. `root` names the directory in messages.
    ///
    /// ```
    /// use kustomize_core::load::kustomization::Kustomization;
    /// let k = Kustomization::parse(b"resources:\n- deployment.yaml\nnamePrefix: dev-\n", "app").unwrap();
    /// assert_eq!(k.resources, ["deployment.yaml"]);
    /// assert_eq!(k.name_prefix, "dev-");
    /// assert_eq!(k.kind, "Kustomization");
    /// ```
    pub fn parse(bytes: &[u8], root: &str) -> Result<Self> {
        let invalid = |msg: String| {
            Error::new(
                ErrorKind::Kustomization,
                format!("invalid Kustomization: {msg}"),
            )
        };
        let docs =
            yaml::parse_documents(bytes, Schema::Yaml11).map_err(|e| invalid(e.to_string()))?;
        // sigs.k8s.io/yaml decodes only the first document.
        let node = docs.into_iter().next().unwrap_or_default();
        let mut k = Self::from_node(&node).map_err(|e| invalid(e.message().to_owned()))?;
        k.fix_and_check(root)?;
        Ok(k)
    }

    fn from_node(node: &Node) -> Result<Self> {
        if node.is_null() {
            return Ok(Kustomization {
                is_empty: true,
                ..Default::default()
            });
        }
        let f = super::decode::Fields::new(node, "Kustomization", FIELDS)?;
        let get = |name: &str| FIELDS.iter().position(|n| *n == name).unwrap_or(usize::MAX);
        macro_rules! field {
            ($name:literal) => {
                f.get(get($name), $name)?
            };
        }
        let mut k = Kustomization {
            kind: field!("kind").unwrap_or_default(),
            api_version: field!("apiVersion").unwrap_or_default(),
            metadata: field!("metadata"),
            openapi: field!("openapi").unwrap_or_default(),
            name_prefix: field!("namePrefix").unwrap_or_default(),
            name_suffix: field!("nameSuffix").unwrap_or_default(),
            namespace: field!("namespace").unwrap_or_default(),
            common_labels: field!("commonLabels"),
            labels: field!("labels").unwrap_or_default(),
            common_annotations: field!("commonAnnotations"),
            patches_strategic_merge: field!("patchesStrategicMerge").unwrap_or_default(),
            patches_json6902: field!("patchesJson6902").unwrap_or_default(),
            patches: field!("patches").unwrap_or_default(),
            images: field!("images").unwrap_or_default(),
            replacements: field!("replacements").unwrap_or_default(),
            replicas: field!("replicas").unwrap_or_default(),
            vars: field!("vars").unwrap_or_default(),
            sort_options: field!("sortOptions"),
            resources: field!("resources").unwrap_or_default(),
            components: field!("components").unwrap_or_default(),
            crds: field!("crds").unwrap_or_default(),
            config_map_generator: field!("configMapGenerator").unwrap_or_default(),
            secret_generator: field!("secretGenerator").unwrap_or_default(),
            generator_options: field!("generatorOptions"),
            configurations: field!("configurations").unwrap_or_default(),
            generators: field!("generators").unwrap_or_default(),
            transformers: field!("transformers").unwrap_or_default(),
            validators: field!("validators").unwrap_or_default(),
            build_metadata: field!("buildMetadata").unwrap_or_default(),
            uses_helm: false,
            warnings: Vec::new(),
            is_empty: false,
        };
        let _: Option<HelmGlobals> = field!("helmGlobals");
        k.uses_helm = f.has(get("helmGlobals"))
            || f.has(get("helmCharts"))
            || f.has(get("helmChartInflationGenerator"));
        let bases: Option<Vec<String>> = field!("bases");
        let image_tags: Option<Vec<Image>> = field!("imageTags");

        // Any field but kind and apiVersion makes the file non-empty, even an empty list.
        k.is_empty = !FIELDS
            .iter()
            .enumerate()
            .any(|(i, name)| *name != "kind" && *name != "apiVersion" && f.has(i));

        // Deprecation warnings, in kustomize's order.
        let deprecated = [
            (bases.is_some(), "bases", "resources", FIX),
            (k.common_labels.is_some(), "commonLabels", "labels", FIX),
            (image_tags.is_some(), "imageTags", "images", FIX),
            (
                f.has(get("patchesJson6902")),
                "patchesJson6902",
                "patches",
                FIX,
            ),
            (
                f.has(get("patchesStrategicMerge")),
                "patchesStrategicMerge",
                "patches",
                FIX,
            ),
            (f.has(get("vars")), "vars", "replacements", FIX_EXPERIMENTAL),
        ];
        k.warnings = deprecated
            .iter()
            .filter(|(used, ..)| *used)
            .map(|(_, old, new, fix)| {
                format!("# Warning: '{old}' is deprecated. Please use '{new}' instead. {fix}")
            })
            .collect();
        k.resources.extend(bases.unwrap_or_default());
        k.images.extend(image_tags.unwrap_or_default());
        for g in k
            .config_map_generator
            .iter_mut()
            .chain(k.secret_generator.iter_mut())
        {
            if !g.env.is_empty() {
                g.envs.push(std::mem::take(&mut g.env));
            }
        }
        Ok(k)
    }

    fn fix_and_check(&mut self, root: &str) -> Result<()> {
        if self.is_empty {
            return Err(Error::new(
                ErrorKind::Kustomization,
                "kustomization.yaml is empty",
            ));
        }
        if self.kind.is_empty() {
            self.kind = KUSTOMIZATION_KIND.to_owned();
        }
        if self.api_version.is_empty() {
            self.api_version = if self.kind == COMPONENT_KIND {
                COMPONENT_VERSION
            } else {
                KUSTOMIZATION_VERSION
            }
            .to_owned();
        }
        let mut errs = Vec::new();
        if self.kind != KUSTOMIZATION_KIND && self.kind != COMPONENT_KIND {
            errs.push(format!(
                "kind should be {KUSTOMIZATION_KIND} or {COMPONENT_KIND}"
            ));
        }
        let required = if self.kind == COMPONENT_KIND {
            COMPONENT_VERSION
        } else {
            KUSTOMIZATION_VERSION
        };
        if self.api_version != required {
            errs.push(format!("apiVersion for {} should be {required}", self.kind));
        }
        if !errs.is_empty() {
            return Err(Error::new(
                ErrorKind::Kustomization,
                format!(
                    "Failed to read kustomization file under {root}: {}",
                    errs.join("; ")
                ),
            ));
        }
        Ok(())
    }

    /// Whether this is a Component.
    pub fn is_component(&self) -> bool {
        self.kind == COMPONENT_KIND
    }
}
