//! `generators:`, `transformers:` and `validators:`: kustomize's builtin plugins configured from
//! YAML, run after the kustomization's own generators and transformers.
//!
//! Each list entry is a plugin config inline (text that reads as resources) or a path: a file of
//! configs, or a directory whose kustomization builds into configs. Inline configs come first,
//! then the paths, in order; two configs may not share an id. Plugins are disabled, as in
//! `kustomize build` by default, so only configs with `apiVersion: builtin` load; every builtin
//! kind kustomize links in works, decoded as its `Config` method decodes it ([`configs`]).
//! Files a config names (patches, env files, replacements, targets) are read relative to the
//! kustomization that lists the config.
//!
//! Order, as kustomize's: plugin configs are loaded and configured before the kustomization's
//! builtin generators (or transformers) run, and run after them. After every transformer,
//! builtin or plugin, resources left empty are dropped and, when origins are tracked, the
//! transformer is recorded on every resource ([`Trail`]). Validators run last; a validator may
//! not change any resource (it may only add the `validated-by` label to resources without
//! labels).

mod configs;
mod valueadd;

use crate::accumulate::origin::{self, Origin, ResourceIdentifier};
use crate::accumulate::{accumulate_resources, Accumulated, Session};
use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::generate::hash::add_hash_suffixes;
use crate::generate::{self, GeneratorKind};
use crate::load::kustomization::{
    GeneratorArgs, GeneratorOptions, Image, Kustomization, Patch, ReplacementField, Replica,
    Selector,
};
use crate::load::resources::parse_resources;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::Node;
use crate::resource::{Resource, ResourceList};
use crate::transform::fieldspec::{FieldSpec, TransformerConfig};
use crate::transform::labels::Pairs;
use crate::transform::namespace::{NamespaceTransformer, RoleBindingSubjects};
use crate::transform::patch::json6902::{self, JsonPatch};
use crate::transform::prefix_suffix::Affix;
use crate::transform::{self as tf, annotations, labels, patch, replacements};
use configs::decode;
use valueadd::ValueAdd;

fn kust_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Kustomization, message)
}

/// The label a validator may add to resources (kustomize removes it before comparing).
const VALIDATED_BY: &str = "validated-by";

/// What kustomize does after each transformer: drops resources left empty and, when origins are
/// tracked, records the transformer on every resource.
pub(crate) struct Trail {
    /// The kustomization file, from the build's directory, when origins are tracked.
    kustomization_file: Option<Origin>,
}

impl Trail {
    /// The trail of the kustomization at `loader`.
    pub(crate) fn new(loader: &Loader<'_>, session: &Session) -> Trail {
        Trail {
            kustomization_file: session
                .origin
                .as_ref()
                .map(|t| t.kustomization_file(loader)),
        }
    }

    /// After builtin transformer `kind` (its plugin kind, e.g. `NamespaceTransformer`).
    pub(crate) fn builtin(&self, kind: &str, resources: &mut ResourceList) -> Result<()> {
        let origin = self
            .kustomization_file
            .as_ref()
            .map(|file| builtin_origin(file, kind));
        after_transformer(origin.as_ref(), resources)
    }
}

/// A builtin's origin: the kustomization file configuring it (in a remote base, with the
/// repository and ref).
fn builtin_origin(kustomization_file: &Origin, kind: &str) -> Origin {
    Origin {
        repo: kustomization_file.repo.clone(),
        ref_: kustomization_file.ref_.clone(),
        configured_in: kustomization_file.path.clone(),
        configured_by: Some(ResourceIdentifier {
            api_version: "builtin".to_owned(),
            kind: kind.to_owned(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn after_transformer(origin: Option<&Origin>, resources: &mut ResourceList) -> Result<()> {
    drop_empties(resources);
    match origin {
        Some(origin) => origin::add_transformation(resources, origin),
        None => Ok(()),
    }
}

/// kustomize's `DropEmpties`: resources whose document became empty go away.
fn drop_empties(resources: &mut ResourceList) {
    let empty = |n: &Node| match n {
        Node::Scalar(s) => s.is_null(),
        Node::Map(m) => m.is_empty(),
        Node::Seq(items) => items.is_empty(),
    };
    if resources.iter().any(|r| empty(r.node())) {
        let _ = resources.update(|list| {
            list.retain(|r| !empty(r.node()));
            Ok(())
        });
    }
}

/// Whether a NamespaceTransformer with `unsetOnly` just kept a spelled-out null namespace, which
/// kyaml untagged on the way (so that kustomize now reads its text as the namespace).
pub(crate) fn kept_spelled_null_namespace(r: &Resource) -> bool {
    let spelled_null = matches!(
        r.node().get_path(&["metadata", "namespace"]),
        Some(Node::Scalar(s)) if s.is_null() && !s.text.is_empty()
    );
    spelled_null
        && !r.gvk().is_cluster_scoped()
        && r.node().str_at(&[
            "metadata",
            "annotations",
            crate::transform::namespace::HELM_GENERATED_ANNOTATION,
        ]) != Some("true")
}

/// Which kustomization list a config comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Generators,
    Transformers,
    Validators,
}

impl List {
    fn noun(self) -> &'static str {
        match self {
            List::Generators => "generator",
            List::Transformers | List::Validators => "transformer",
        }
    }
}

/// The configs a list names (kustomize's `configureExternalTransformers` /
/// `configureExternalGenerators` before loading): inline ones first, then files and
/// directories accumulated as resources are.
fn load_configs(
    loader: &Loader<'_>,
    entries: &[String],
    session: &mut Session,
    list: List,
) -> Result<Vec<Resource>> {
    let mut acc = Accumulated::default();
    let mut paths: Vec<&String> = Vec::new();
    let inline_origin = session
        .origin
        .as_ref()
        .map(|t| t.kustomization_file(loader));
    for entry in entries {
        let Ok(docs) = parse_resources(entry.as_bytes()) else {
            paths.push(entry);
            continue;
        };
        for doc in docs {
            let mut r = Resource::new(doc);
            if let Some(o) = &inline_origin {
                origin::set_origin(&mut r, o);
            }
            acc.resources
                .append(r)
                .with_context(|| format!("configuring external {}", list.noun()))?;
        }
    }
    // Files and directories, as `resources:` entries are accumulated.
    let paths: Vec<String> = paths.into_iter().cloned().collect();
    accumulate_resources(loader, &paths, session, &mut acc)?;
    Ok(acc.resources.into_vec())
}

/// A configured builtin transformer.
#[derive(Clone, Debug)]
enum Transformer {
    Annotations {
        pairs: Pairs,
        specs: Vec<FieldSpec>,
    },
    Labels {
        pairs: Pairs,
        specs: Vec<FieldSpec>,
    },
    Namespace {
        namespace: String,
        specs: Vec<FieldSpec>,
        unset_only: bool,
        subjects: RoleBindingSubjects,
    },
    /// Prefix, suffix, or both in turn (`PrefixSuffixTransformer`).
    Affixes(Vec<(Affix, String, Vec<FieldSpec>)>),
    Image {
        image: Image,
        specs: Vec<FieldSpec>,
    },
    Replicas {
        replica: Replica,
        specs: Vec<FieldSpec>,
    },
    Json6902 {
        target: Selector,
        patch: JsonPatch,
    },
    StrategicMerge(Vec<String>),
    Patch(Patch),
    Replacements(Vec<ReplacementField>),
    ValueAdd(ValueAdd),
    Hash,
}

/// A configured builtin generator.
#[derive(Clone, Debug)]
enum Generator {
    KeyValue {
        kind: GeneratorKind,
        args: GeneratorArgs,
        options: GeneratorOptions,
    },
    IamPolicy(configs::IamPolicyConfig),
}

#[derive(Clone, Debug)]
enum Plugin {
    Transformer(Transformer),
    Generator(Generator),
}

/// A plugin ready to run, with its origin when origins are tracked.
#[derive(Clone, Debug)]
struct Configured {
    origin: Option<Origin>,
    plugin: Plugin,
}

/// The origin a plugin's config gives it (kustomize's `OriginFromCustomPlugin`).
fn plugin_origin(r: &Resource) -> Result<Option<Origin>> {
    let text = origin::annotation_pairs(r.node())
        .into_iter()
        .find(|(k, _)| k == origin::ORIGIN_ANNOTATION)
        .map(|(_, v)| v);
    let Some(text) = text else {
        return Ok(None);
    };
    let o = Origin::parse(&text)?;
    Ok(Some(Origin {
        repo: o.repo,
        ref_: o.ref_,
        configured_in: o.path,
        configured_by: Some(ResourceIdentifier {
            api_version: r.api_version().to_owned(),
            kind: r.kind().to_owned(),
            name: r.name().to_owned(),
            namespace: r.namespace().to_owned(),
        }),
        ..Default::default()
    }))
}

/// Loads the plugin a config asks for and configures it. kustomize hands the plugin the config
/// after a round trip through JSON, so its values have the types the resource reader gave them.
fn configure(loader: &Loader<'_>, r: &Resource) -> Result<Plugin> {
    let id = r.original_id();
    let gvk = r.gvk();
    if !(gvk.group.is_empty() && gvk.version == "builtin") {
        return Err(kust_error(format!(
            "external plugins disabled; unable to load external plugin '{}'",
            id.gvk.kind
        )));
    }
    match configure_kind(loader, r, &gvk.kind) {
        Ok(Some(plugin)) => Ok(plugin),
        Ok(None) => Err(kust_error(format!("unable to load builtin {gvk}"))),
        Err(e) => Err(e.context(format!("plugin {id} fails configuration"))),
    }
}

/// Configures builtin `kind` from `r`; `None` if kustomize has no such builtin plugin.
fn configure_kind(loader: &Loader<'_>, r: &Resource, kind: &str) -> Result<Option<Plugin>> {
    let node = r.node();
    let plugin = match kind {
        "AnnotationsTransformer" => {
            let c: configs::AnnotationsConfig = decode(node, "AnnotationsTransformerPlugin")?;
            Ok(Plugin::Transformer(Transformer::Annotations {
                pairs: Pairs::new(c.annotations.unwrap_or_default()),
                specs: configs::field_specs(&c.field_specs),
            }))
        }
        "LabelTransformer" => {
            let c: configs::LabelConfig = decode(node, "LabelTransformerPlugin")?;
            Ok(Plugin::Transformer(Transformer::Labels {
                pairs: Pairs::new(c.labels.unwrap_or_default()),
                specs: configs::field_specs(&c.field_specs),
            }))
        }
        "NamespaceTransformer" => configure_namespace(node),
        "PrefixSuffixTransformer" | "PrefixTransformer" | "SuffixTransformer" => {
            let mut steps = Vec::new();
            if kind != "SuffixTransformer" {
                let (value, specs) = configs::decode_affix(r.node(), "prefix")?;
                steps.push((Affix::Prefix, value, specs));
            }
            if kind != "PrefixTransformer" {
                let (value, specs) = configs::decode_affix(r.node(), "suffix")?;
                steps.push((Affix::Suffix, value, specs));
            }
            Ok(Plugin::Transformer(Transformer::Affixes(steps)))
        }
        "ImageTagTransformer" => {
            let c: configs::ImageTagConfig = decode(node, "ImageTagTransformerPlugin")?;
            Ok(Plugin::Transformer(Transformer::Image {
                image: c.image_tag.unwrap_or_default(),
                specs: configs::field_specs(&c.field_specs),
            }))
        }
        "ReplicaCountTransformer" => {
            let c: configs::ReplicaCountConfig = decode(node, "ReplicaCountTransformerPlugin")?;
            Ok(Plugin::Transformer(Transformer::Replicas {
                replica: c.replica.unwrap_or_default(),
                specs: configs::field_specs(&c.field_specs),
            }))
        }
        "PatchJson6902Transformer" => {
            let c: configs::Json6902Config = decode(node, "PatchJson6902TransformerPlugin")?;
            let entry = Patch {
                path: c.path,
                patch: c.json_op,
                target: c.target,
                options: None,
            };
            let (target, patch) = json6902::load_json6902_entry(&entry, loader)?;
            Ok(Plugin::Transformer(Transformer::Json6902 { target, patch }))
        }
        "PatchStrategicMergeTransformer" => configure_strategic_merge(loader, node),
        "PatchTransformer" => configure_patch(loader, node),
        "ReplacementTransformer" => {
            let c: configs::ReplacementConfig = decode(node, "ReplacementTransformerPlugin")?;
            let list = replacements::load_replacements(&c.replacements, loader)?;
            Ok(Plugin::Transformer(Transformer::Replacements(list)))
        }
        "ValueAddTransformer" => {
            let c: configs::ValueAddConfig = decode(node, "ValueAddTransformerPlugin")?;
            Ok(Plugin::Transformer(Transformer::ValueAdd(
                ValueAdd::configure(loader, c)?,
            )))
        }
        "HashTransformer" => Ok(Plugin::Transformer(Transformer::Hash)),
        "ConfigMapGenerator" => {
            let c: configs::ConfigMapConfig = decode(node, "ConfigMapGeneratorPlugin")?;
            let meta = c.metadata.unwrap_or_default();
            Ok(key_value(
                GeneratorKind::ConfigMap,
                GeneratorArgs {
                    namespace: or(c.namespace, meta.namespace),
                    name: or(c.name, meta.name),
                    behavior: c.behavior,
                    literals: c.literals,
                    files: c.files,
                    envs: c.envs,
                    env: String::new(),
                    options: c.options,
                    type_: String::new(),
                },
            ))
        }
        "SecretGenerator" => {
            let c: configs::SecretConfig = decode(node, "SecretGeneratorPlugin")?;
            let meta = c.metadata.unwrap_or_default();
            Ok(key_value(
                GeneratorKind::Secret,
                GeneratorArgs {
                    namespace: or(c.namespace, meta.namespace),
                    name: or(c.name, meta.name),
                    behavior: c.behavior,
                    literals: c.literals,
                    files: c.files,
                    envs: c.envs,
                    env: String::new(),
                    options: c.options,
                    type_: c.type_,
                },
            ))
        }
        "IAMPolicyGenerator" => {
            let c: configs::IamPolicyConfig = decode(node, "IAMPolicyGeneratorPlugin")?;
            Ok(Plugin::Generator(Generator::IamPolicy(c)))
        }
        "HelmChartInflationGenerator" => Err(kust_error("must specify --enable-helm")),
        _ => return Ok(None),
    };
    plugin.map(Some)
}

fn or(mine: String, fallback: String) -> String {
    if mine.is_empty() {
        fallback
    } else {
        mine
    }
}

fn key_value(kind: GeneratorKind, args: GeneratorArgs) -> Plugin {
    let options = args.options.clone().unwrap_or_default();
    Plugin::Generator(Generator::KeyValue {
        kind,
        args,
        options,
    })
}

fn configure_namespace(node: &Node) -> Result<Plugin> {
    let c: configs::NamespaceConfig = decode(node, "NamespaceTransformerPlugin")
        .map_err(|e| e.context("unmarshalling NamespaceTransformer config"))?;
    let subjects = RoleBindingSubjects::parse(&c.set_role_binding_subjects)?;
    Ok(Plugin::Transformer(Transformer::Namespace {
        namespace: c.metadata.unwrap_or_default().namespace,
        specs: configs::field_specs(&c.field_specs),
        unset_only: c.unset_only,
        subjects,
    }))
}

fn configure_strategic_merge(loader: &Loader<'_>, node: &Node) -> Result<Plugin> {
    let c: configs::StrategicMergeConfig = decode(node, "PatchStrategicMergeTransformerPlugin")?;
    if c.paths.is_empty() && c.patches.is_empty() {
        return Err(kust_error("empty file path and empty patch content"));
    }
    // Read everything now, as kustomize does while configuring: a path is tried as inline
    // patches first, then as a file; `patches` must be inline patches.
    let mut count = 0;
    for path in &c.paths {
        count += match parse_resources(path.as_bytes()) {
            Ok(inline) => inline.len(),
            Err(_) => parse_resources(&loader.read(path)?)?.len(),
        };
    }
    let mut entries = c.paths.clone();
    if !c.patches.is_empty() {
        count += parse_resources(c.patches.as_bytes())?.len();
        entries.push(c.patches.clone());
    }
    if count == 0 {
        return Err(kust_error(format!(
            "patch appears to be empty; files={:?}, Patch={}",
            c.paths, c.patches
        )));
    }
    Ok(Plugin::Transformer(Transformer::StrategicMerge(entries)))
}

fn configure_patch(loader: &Loader<'_>, node: &Node) -> Result<Plugin> {
    let c: configs::PatchConfig = decode(node, "PatchTransformerPlugin")?;
    let inline = c.patch.trim();
    let (text, source) = match (inline.is_empty(), c.path.is_empty()) {
        (true, true) => return Err(kust_error("must specify one of patch and path")),
        (false, false) => return Err(kust_error("patch and path can't be set at the same time")),
        (false, true) => (inline.to_owned(), format!("[patch: {inline:?}]")),
        (true, false) => {
            let bytes = loader.read(&c.path).map_err(|e| {
                e.context(format!(
                    "failed to get the patch file from path({})",
                    c.path
                ))
            })?;
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                format!("[path: {:?}]", c.path),
            )
        }
    };
    json6902::classify_patch(&text, &source)?;
    Ok(Plugin::Transformer(Transformer::Patch(Patch {
        path: c.path,
        patch: c.patch,
        target: c.target,
        options: c.options,
    })))
}

/// Loads and configures the plugins of one list, checking each is of the list's sort.
fn configure_list(
    loader: &Loader<'_>,
    entries: &[String],
    session: &mut Session,
    list: List,
) -> Result<Vec<Configured>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let configs = load_configs(loader, entries, session, list)?;
    let mut out = Vec::with_capacity(configs.len());
    for config in &configs {
        let id = config.original_id();
        let plugin = configure(loader, config);
        let plugin = match (list, plugin) {
            (List::Generators, Ok(Plugin::Transformer(_))) => {
                Err(kust_error(format!("plugin {id} not a generator")))
            }
            (List::Transformers | List::Validators, Ok(Plugin::Generator(_))) => {
                Err(kust_error(format!("plugin {id} not a transformer")))
            }
            (_, result) => result,
        };
        let plugin = match (list, plugin) {
            (List::Generators, Err(e)) => return Err(e.context("failed to load generator")),
            (_, result) => result?,
        };
        out.push(Configured {
            origin: plugin_origin(config)?,
            plugin,
        });
    }
    Ok(out)
}

/// The kustomization's generators: `generators:` configs are loaded and configured, then the
/// builtin generators (`configMapGenerator`, `secretGenerator`) run, then the plugins; each
/// generated resource is added, or merged into / replaces the one it names.
pub(crate) fn run_generators(
    loader: &Loader<'_>,
    k: &Kustomization,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    let plugins = configure_list(loader, &k.generators, session, List::Generators)
        .map_err(|e| e.context("loading generator plugins"))?;
    let kustomization_file = session
        .origin
        .as_ref()
        .map(|t| t.kustomization_file(loader));
    let mut mark = |kind: GeneratorKind, r: &mut Resource| -> Result<()> {
        let Some(file) = &kustomization_file else {
            return Ok(());
        };
        let kind = match kind {
            GeneratorKind::ConfigMap => "ConfigMapGenerator",
            GeneratorKind::Secret => "SecretGenerator",
        };
        origin::add_origin(r, &builtin_origin(file, kind))
    };
    generate::run_generators(loader, k, resources, &mut mark)?;
    for p in plugins {
        let Plugin::Generator(g) = &p.plugin else {
            continue;
        };
        for mut r in generate_with(loader, g)? {
            if let Some(o) = &p.origin {
                origin::add_origin(&mut r, o)?;
            }
            let name = r.name().to_owned();
            generate::absorb(resources, r)
                .with_context(|| format!("merging from generator '{name}'"))?;
        }
    }
    Ok(())
}

fn generate_with(loader: &Loader<'_>, g: &Generator) -> Result<Vec<Resource>> {
    match g {
        Generator::KeyValue {
            kind,
            args,
            options,
        } => Ok(vec![generate::generate(loader, *kind, args, options)?]),
        Generator::IamPolicy(c) => iam_policy(c).map(|r| vec![r]),
    }
}

/// `IAMPolicyGenerator`: a Kubernetes service account bound to a GKE service account, made (as
/// kustomize makes it) by filling a YAML template.
fn iam_policy(c: &configs::IamPolicyConfig) -> Result<Resource> {
    if c.cloud != "gke" {
        return Err(Error::new(
            ErrorKind::Transform,
            format!("cloud provider {} not supported yet", c.cloud),
        ));
    }
    let ks = c.kubernetes_service.clone().unwrap_or_default();
    let sa = c.service_account.clone().unwrap_or_default();
    let mut text = format!(
        "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: {}@{}.iam.gserviceaccount.com\n  name: {}\n",
        sa.name, sa.project_id, ks.name
    );
    if !ks.namespace.is_empty() {
        text.push_str(&format!("\n  namespace: {}", ks.namespace));
    }
    let docs = parse_documents(text.as_bytes(), Schema::Core)
        .map_err(|e| Error::new(ErrorKind::Yaml, e.to_string()))?;
    Ok(Resource::new(docs.into_iter().next().unwrap_or_default()))
}

/// The kustomization's transformers: `transformers:` configs are loaded and configured, the
/// builtin transformers run, then the plugins, then the validators.
pub(crate) fn run_transformers(
    loader: &Loader<'_>,
    k: &Kustomization,
    config: &TransformerConfig,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    let plugins = configure_list(loader, &k.transformers, session, List::Transformers)?;
    tf::run_builtin_transformers(loader, k, config, session, resources)?;
    for p in &plugins {
        if let Plugin::Transformer(t) = &p.plugin {
            apply(t, loader, session, resources)?;
            after_transformer(p.origin.as_ref(), resources)?;
        }
    }
    run_validators(loader, k, session, resources)
}

/// Runs a configured transformer.
fn apply(
    t: &Transformer,
    loader: &Loader<'_>,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    match t {
        Transformer::Annotations { pairs, specs } => {
            if pairs.is_empty() {
                return Ok(());
            }
            tf::for_each_node(resources, |r| {
                annotations::apply_annotations(r.node_mut(), pairs, specs)
            })
        }
        Transformer::Labels { pairs, specs } => {
            if pairs.is_empty() {
                return Ok(());
            }
            tf::for_each_node(resources, |r| {
                labels::apply_labels(r.node_mut(), pairs, specs)
            })
        }
        Transformer::Namespace {
            namespace,
            specs,
            unset_only,
            subjects,
        } => {
            if namespace.is_empty() {
                return Ok(());
            }
            let t = NamespaceTransformer {
                namespace,
                field_specs: specs,
                unset_only: *unset_only,
                subjects: *subjects,
            };
            tf::set_namespace(&t, resources)
        }
        Transformer::Affixes(steps) => steps.iter().try_for_each(|(affix, value, specs)| {
            tf::add_name_affix(*affix, value, specs, resources)
        }),
        Transformer::Image { image, specs } => tf::set_image(image, specs, resources),
        Transformer::Replicas { replica, specs } => tf::set_replicas(replica, specs, resources),
        Transformer::Json6902 { target, patch } => {
            json6902::apply_json6902_entry(resources, target, patch)
        }
        Transformer::StrategicMerge(entries) => {
            patch::apply_patches_strategic_merge(loader, session, entries, resources)
        }
        Transformer::Patch(p) => {
            patch::apply_patches(loader, session, std::slice::from_ref(p), resources)
        }
        Transformer::Replacements(list) => replacements::apply_replacements(resources, list),
        Transformer::ValueAdd(v) => v.apply(resources),
        Transformer::Hash => resources.update(|list| add_hash_suffixes(list)),
    }
}

/// A text no resource holds, to tell whether a transformer writes a field at all.
const PROBE: &str = "\u{1}kbuild-validator-probe";

/// The same transformer writing values no resource holds, when it has values to write: it
/// changes a resource exactly when the real one writes to it, even writing what is there
/// already (which kustomize counts as a change, its nodes being replaced).
fn probe(t: &Transformer) -> Option<Transformer> {
    let probed_pairs = |p: &Pairs| Pairs::new(p.iter().map(|(k, _)| (k, PROBE)));
    Some(match t {
        Transformer::Annotations { pairs, specs } => Transformer::Annotations {
            pairs: probed_pairs(pairs),
            specs: specs.clone(),
        },
        Transformer::Labels { pairs, specs } => Transformer::Labels {
            pairs: probed_pairs(pairs),
            specs: specs.clone(),
        },
        Transformer::Affixes(steps) => Transformer::Affixes(
            steps
                .iter()
                .map(|(a, _, specs)| (*a, PROBE.to_owned(), specs.clone()))
                .collect(),
        ),
        Transformer::Image { image, specs } => Transformer::Image {
            image: Image {
                new_name: PROBE.to_owned(),
                ..image.clone()
            },
            specs: specs.clone(),
        },
        Transformer::Replicas { replica, specs } => Transformer::Replicas {
            replica: Replica {
                count: replica.count.wrapping_add(1),
                ..replica.clone()
            },
            specs: specs.clone(),
        },
        Transformer::ValueAdd(v) => Transformer::ValueAdd(v.with_value(PROBE)),
        _ => return None,
    })
}

/// Whether a patching transformer reaches any resource (if it runs without error).
fn patches_something(t: &Transformer, resources: &ResourceList) -> Result<bool> {
    Ok(match t {
        Transformer::StrategicMerge(_) => true,
        Transformer::Patch(p) => match &p.target {
            Some(target) => !crate::transform::select::select(resources, target)?.is_empty(),
            None => true,
        },
        Transformer::Json6902 { target, .. } => {
            !crate::transform::select::select(resources, target)?.is_empty()
        }
        _ => false,
    })
}

/// `validators:`: each runs over the resources and must leave them as they were (kustomize
/// removes a `validated-by` label first; where that empties the labels, they go away).
fn run_validators(
    loader: &Loader<'_>,
    k: &Kustomization,
    session: &mut Session,
    resources: &mut ResourceList,
) -> Result<()> {
    let validators = configure_list(loader, &k.validators, session, List::Validators)?;
    for v in &validators {
        let Plugin::Transformer(t) = &v.plugin else {
            continue;
        };
        let before: Vec<Resource> = resources.as_slice().to_vec();
        let patched = patches_something(t, resources)?;
        apply(t, loader, session, resources)?;
        unchanged(&before, resources.as_slice())?;
        if patched {
            // kustomize rebuilds whatever a patch reaches, which it sees as a change even where
            // the values stay.
            return Err(Error::new(
                ErrorKind::Transform,
                "validator shouldn't modify the resource map: nodes unequal: a patch reached resources",
            ));
        }
        if let Some(p) = probe(t) {
            let mut probed = ResourceList::new();
            for r in &before {
                probed.append(r.clone())?;
            }
            // A probe can only fail where the real run failed, which it did not.
            if apply(&p, loader, session, &mut probed).is_ok() {
                unchanged(&before, probed.as_slice())?;
            }
        }
    }
    Ok(())
}

/// kustomize's comparison of the resources before and after a validator.
fn unchanged(before: &[Resource], after: &[Resource]) -> Result<()> {
    let fail = |detail: String| {
        Err(Error::new(
            ErrorKind::Transform,
            format!("validator shouldn't modify the resource map: {detail}"),
        ))
    };
    if before.len() != after.len() {
        return fail(format!(
            "lists have different number of entries: {} doesn't equal {}",
            before.len(),
            after.len()
        ));
    }
    for old in before {
        let id = old.id();
        let matches: Vec<&Resource> = after.iter().filter(|r| r.id().same_as(&id)).collect();
        let new = match matches.as_slice() {
            [one] => *one,
            [] => return fail(format!("id in self missing from other; id: {id}")),
            many => {
                return fail(format!(
                    "id in self matches {} in other; id: {id}",
                    many.len()
                ))
            }
        };
        let mut new = new.clone();
        let mut labels = new
            .node()
            .get_path(&["metadata", "labels"])
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_owned(),
                            v.as_scalar().map_or("", |s| s.as_str()).to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if let Some(i) = labels.iter().position(|(k, _)| k == VALIDATED_BY) {
            labels.remove(i);
            if !labels.is_empty() {
                // kustomize rewrites the remaining labels, which it sees as a change.
                return fail(format!("nodes unequal: {id}"));
            }
            origin::set_metadata_map(new.node_mut(), "labels", labels);
        }
        if new != *old {
            return fail(format!("nodes unequal: {id}"));
        }
    }
    Ok(())
}
