//! Labels: `commonLabels`, `labels:` entries and the LabelTransformer.
//!
//! Each label is written as a string into every field the specs name (created as a mapping when
//! the spec says `create`), key by key in sorted order, spec by spec. Which specs apply:
//! * `commonLabels`: the `commonLabels` list of the transformer config (metadata, selectors,
//!   pod templates, `volumeClaimTemplates`, …).
//! * a `labels:` entry ([`label_field_specs`]): its own `fields`, plus the config's `labels`
//!   list, plus either the whole `commonLabels` list (`includeSelectors`) or `metadata/labels`
//!   with the `templateLabels` list (`includeTemplates`) and/or the
//!   `volumeClaimTemplateLabels` list (`includeVolumeClaimTemplates`).

use super::fieldspec::{merge_field_specs, FieldSpec, TransformerConfig};
use super::path::{gvk_of, set_entry_str, visit_resource, Create};
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;
use crate::resource::Gvk;

/// Keys and values to write, in the order kustomize writes them (sorted by key).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    /// The pairs, sorted by key (byte order, as Go sorts strings); a repeated key keeps its last
    /// value, as a Go map would.
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut v: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        // Stable sort keeps input order among equal keys, so the last one wins below.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, String)> = Vec::with_capacity(v.len());
        for (k, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = val,
                _ => out.push((k, val)),
            }
        }
        Pairs(out)
    }

    /// Whether there is nothing to write (kustomize then skips the transformer).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs in write order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Writes `pairs` as string entries into the mappings `specs` name in `node`.
pub(crate) fn apply_string_map(node: &mut Node, pairs: &Pairs, specs: &[FieldSpec]) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let gvk: Gvk = gvk_of(node);
    // kustomize loops key by key, then spec by spec. Walking each spec once and writing every
    // key there ends in the same state (the keys are independent entries) and fails with the
    // same message (failures depend on the path and the node, not on the key).
    for fs in specs.iter().filter(|fs| fs.selects(&gvk)) {
        let create = if fs.create() { Create::Map } else { Create::No };
        visit_resource(node, fs.path(), create, &mut |m: &mut Node| {
            pairs
                .iter()
                .try_for_each(|(key, value)| set_entry_str(m, key, value))
        })?;
    }
    Ok(())
}

/// Adds `labels` to one resource at the fields `specs` name.
pub fn apply_labels(node: &mut Node, labels: &Pairs, specs: &[FieldSpec]) -> Result<()> {
    apply_string_map(node, labels, specs)
}

/// The options of one `labels:` entry of a kustomization.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelOptions {
    /// `fields`: extra field specs.
    pub fields: Vec<FieldSpec>,
    /// `includeSelectors`: also selectors and templates (the whole `commonLabels` list).
    pub include_selectors: bool,
    /// `includeTemplates`: also pod templates.
    pub include_templates: bool,
    /// `includeVolumeClaimTemplates`: also StatefulSet volume claim templates.
    pub include_volume_claim_templates: bool,
}

fn merge_error(prefix: &str, e: &str) -> Error {
    Error::new(ErrorKind::Transform, format!("{prefix}: {e}"))
}

/// The field specs a `labels:` entry writes to, merged as kustomize merges them.
pub fn label_field_specs(
    entry: &LabelOptions,
    config: &TransformerConfig,
) -> Result<Vec<FieldSpec>> {
    let fss = merge_field_specs(&entry.fields, &config.labels)
        .map_err(|e| merge_error("failed to merge labels", e))?;
    if entry.include_selectors {
        return merge_field_specs(&fss, &config.common_labels)
            .map_err(|e| merge_error("failed to merge labels", e));
    }
    let mut fss = fss;
    if entry.include_templates {
        fss = merge_field_specs(&fss, &config.template_labels)
            .map_err(|e| merge_error("failed to merge template fieldSpec", e))?;
    }
    if entry.include_volume_claim_templates {
        fss = merge_field_specs(&fss, &config.volume_claim_template_labels)
            .map_err(|e| merge_error("failed to merge volumeClaimTemplate fieldSpec", e))?;
    }
    merge_field_specs(
        &fss,
        &[FieldSpec::new(Gvk::default(), "metadata/labels", true)],
    )
    .map_err(|e| merge_error("failed to merge labels", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Tag;
    use crate::transform::testutil::{assert_yaml, yaml};

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels:
      app: d
  template:
    metadata:
      labels:
        app: d
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: d
          - topologyKey: zone
";

    #[test]
    fn common_labels_reach_metadata_selectors_and_templates() {
        let mut n = yaml(DEPLOYMENT);
        let specs = &TransformerConfig::builtin().common_labels;
        apply_labels(&mut n, &Pairs::new([("team", "a"), ("n", "1")]), specs).unwrap();
        assert_yaml(
            &n,
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels:
    n: \"1\"
    team: a
spec:
  selector:
    matchLabels:
      app: d
      n: \"1\"
      team: a
  template:
    metadata:
      labels:
        app: d
        n: \"1\"
        team: a
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                app: d
                n: \"1\"
                team: a
          - topologyKey: zone
",
        );
    }

    #[test]
    fn services_get_a_selector_and_null_selectors_without_create_stay_null() {
        let specs = &TransformerConfig::builtin().common_labels;
        let mut svc = yaml(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ExternalName\n",
        );
        apply_labels(&mut svc, &Pairs::new([("a", "b")]), specs).unwrap();
        assert_eq!(svc.str_at(&["spec", "selector", "a"]), Some("b"));
        let src = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  selector:\n    matchLabels: null\n";
        let mut pdb = yaml(src);
        apply_labels(&mut pdb, &Pairs::new([("a", "b")]), specs).unwrap();
        assert!(pdb
            .get_path(&["spec", "selector", "matchLabels"])
            .unwrap()
            .is_null());
        assert_eq!(pdb.str_at(&["metadata", "labels", "a"]), Some("b"));
    }

    #[test]
    fn new_keys_read_back_as_their_text_resolves() {
        let mut n = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        apply_labels(
            &mut n,
            &Pairs::new([("1", "x"), ("on", "y")]),
            &[FieldSpec::new(Gvk::default(), "metadata/labels", true)],
        )
        .unwrap();
        let labels = n
            .get_path(&["metadata", "labels"])
            .and_then(Node::as_map)
            .unwrap();
        let tags: Vec<_> = labels.iter().map(|(k, _)| k.tag).collect();
        assert_eq!(tags, [Tag::Int, Tag::Str]);
    }

    #[test]
    fn labels_entries_merge_their_specs_as_kustomize_does() {
        let cfg = TransformerConfig::builtin();
        let plain = label_field_specs(&LabelOptions::default(), cfg).unwrap();
        assert_eq!(
            plain.iter().map(|f| f.path_str()).collect::<Vec<_>>(),
            ["metadata/labels"]
        );
        let templates = label_field_specs(
            &LabelOptions {
                include_templates: true,
                ..LabelOptions::default()
            },
            cfg,
        )
        .unwrap();
        assert_eq!(templates.len(), cfg.template_labels.len());
        let selectors = label_field_specs(
            &LabelOptions {
                include_selectors: true,
                include_templates: true,
                ..LabelOptions::default()
            },
            cfg,
        )
        .unwrap();
        assert_eq!(selectors.len(), cfg.common_labels.len());
        let vct = label_field_specs(
            &LabelOptions {
                include_volume_claim_templates: true,
                ..LabelOptions::default()
            },
            cfg,
        )
        .unwrap();
        assert_eq!(vct.len(), 2);
        let conflicting = LabelOptions {
            fields: vec![FieldSpec::new(
                Gvk::new("", "", "Deployment"),
                "metadata/labels",
                false,
            )],
            ..LabelOptions::default()
        };
        assert_eq!(
            label_field_specs(&conflicting, cfg).unwrap_err().message(),
            "failed to merge labels: conflicting fieldspecs"
        );
    }

    #[test]
    fn labels_on_a_scalar_field_fail() {
        let mut n = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: x\n");
        let err = apply_labels(
            &mut n,
            &Pairs::new([("a", "b")]),
            &TransformerConfig::builtin().common_labels,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "considering field 'metadata/labels' of object ConfigMap.v1.[noGrp]/c.[noNs]: \
             wrong node kind: expected MappingNode but got ScalarNode: node contents:\nx\n"
        );
    }

    #[test]
    fn pairs_sort_by_bytes_and_keep_the_last_duplicate() {
        let p = Pairs::new([("b", "1"), ("B", "2"), ("a", "3"), ("b", "4")]);
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            [("B", "2"), ("a", "3"), ("b", "4")]
        );
    }
}
