//! `namePrefix` / `nameSuffix` (kustomize's PrefixTransformer and SuffixTransformer).
//!
//! Per resource: kinds `CustomResourceDefinition` (any group), `APIService`
//! (`apiregistration.k8s.io`) and `Namespace` (any group) are skipped, judged by the resource's
//! *original* gvk. Every field spec selecting that gvk is applied in order: the text at its path
//! (created as an empty string when the spec says `create`) gets the prefix or suffix.
//!
//! Renaming matters to later stages (name references, replicas, patches matched by old names):
//! each time a spec whose path is literally `metadata/name` is about to apply, kustomize records
//! the affix on the resource and stores the resource's current id as a previous id. This module
//! reports those moments in [`AffixOutcome`]; the caller keeps the resource's id history.

use super::fieldspec::{gvk_selected, FieldSpec};
use super::path::{gvk_of, set_scalar, visit_resource, Create};
use crate::error::Result;
use crate::node::{Node, Tag};
use crate::resource::Gvk;

/// Which end of the name gets the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affix {
    /// `namePrefix`.
    Prefix,
    /// `nameSuffix`.
    Suffix,
}

/// What a prefix or suffix did to a resource's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AffixOutcome {
    /// For each `metadata/name` spec applied (when the affix is not empty), the resource's
    /// `metadata.name` just before it applied. The caller records, for each, the affix
    /// (kustomize's `AddNamePrefix`/`AddNameSuffix`) and the resource's id with this name as a
    /// previous id (`StorePreviousId`), in this order.
    pub previous_names: Vec<String>,
}

fn skipped(org_gvk: &Gvk) -> bool {
    let skip = [
        Gvk::new("", "", "CustomResourceDefinition"),
        Gvk::new("apiregistration.k8s.io", "", "APIService"),
        Gvk::new("", "", "Namespace"),
    ];
    skip.iter().any(|s| gvk_selected(org_gvk, s))
}

/// Adds `affix` text `value` to the fields `specs` name in `node`, whose original gvk (before
/// any transformation changed it) is `org_gvk`.
pub fn apply_name_affix(
    node: &mut Node,
    org_gvk: &Gvk,
    affix: Affix,
    value: &str,
    specs: &[FieldSpec],
) -> Result<AffixOutcome> {
    let mut outcome = AffixOutcome::default();
    if skipped(org_gvk) {
        return Ok(outcome);
    }
    for fs in specs {
        if !fs.selects(org_gvk) {
            continue;
        }
        if fs.path_str() == "metadata/name" && !value.is_empty() {
            let name = node.str_at(&["metadata", "name"]).unwrap_or("");
            outcome.previous_names.push(name.to_owned());
        }
        // The filter itself matches the spec against the resource's current gvk.
        if !fs.selects(&gvk_of(node)) {
            continue;
        }
        let create = Create::scalar_if(fs.create(), Tag::Str);
        visit_resource(node, fs.path(), create, &mut |field: &mut Node| {
            // kustomize reads the node's text whatever it is (`null` reads as its spelling).
            let old = match &*field {
                Node::Scalar(s) => s.text.as_str(),
                _ => "",
            };
            let new = match affix {
                Affix::Prefix => format!("{value}{old}"),
                Affix::Suffix => format!("{old}{value}"),
            };
            set_scalar(field, &new, None)
        })?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::fieldspec::TransformerConfig;
    use crate::transform::testutil::{assert_yaml, yaml};

    fn run(src: &str, affix: Affix, value: &str, specs: &[FieldSpec]) -> (Node, AffixOutcome) {
        let mut n = yaml(src);
        let gvk = gvk_of(&n);
        let out = apply_name_affix(&mut n, &gvk, affix, value, specs).unwrap();
        (n, out)
    }

    #[test]
    fn prefixes_and_suffixes_names_and_reports_renames() {
        let specs = &TransformerConfig::builtin().name_prefix;
        let (n, out) = run(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            Affix::Prefix,
            "a-",
            specs,
        );
        assert_eq!(n.str_at(&["metadata", "name"]), Some("a-cm"));
        assert_eq!(out.previous_names, ["cm"]);
        let (n, _) = run(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
            Affix::Suffix,
            "-z",
            specs,
        );
        assert_eq!(n.str_at(&["metadata", "name"]), Some("cm-z"));
    }

    #[test]
    fn skips_crds_apiservices_and_namespaces() {
        let specs = &TransformerConfig::builtin().name_prefix;
        for src in [
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b\n",
            "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.x\n",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
        ] {
            let (n, out) = run(src, Affix::Prefix, "p-", specs);
            assert_yaml(&n, src);
            assert!(out.previous_names.is_empty());
        }
        // An APIService of another group is renamed.
        let (n, _) = run(
            "apiVersion: x.io/v1\nkind: APIService\nmetadata:\n  name: s\n",
            Affix::Prefix,
            "p-",
            specs,
        );
        assert_eq!(n.str_at(&["metadata", "name"]), Some("p-s"));
    }

    #[test]
    fn custom_specs_apply_each_time_they_match() {
        let mut specs = TransformerConfig::builtin().name_prefix.clone();
        specs.push(FieldSpec::new(
            Gvk::new("", "", "Deployment"),
            "metadata/name",
            false,
        ));
        specs.push(FieldSpec::new(
            Gvk::new("", "", "Deployment"),
            "spec/x/y",
            true,
        ));
        let (n, out) = run(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n",
            Affix::Prefix,
            "p-",
            &specs,
        );
        assert_eq!(n.str_at(&["metadata", "name"]), Some("p-p-d"));
        assert_eq!(n.str_at(&["spec", "x", "y"]), Some("p-"));
        assert_eq!(out.previous_names, ["d", "p-d"]);
    }

    #[test]
    fn result_types_follow_the_replaced_node() {
        let specs = &TransformerConfig::builtin().name_suffix;
        // A plain integer name stays plain: the result reads back as an integer.
        let (n, _) = run(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 1\n",
            Affix::Suffix,
            "0",
            specs,
        );
        let s = n
            .get_path(&["metadata", "name"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!((s.text.as_str(), s.tag), ("10", Tag::Int));
        // A quoted one stays a string.
        let (n, _) = run(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"1\"\n",
            Affix::Suffix,
            "0",
            specs,
        );
        let s = n
            .get_path(&["metadata", "name"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!((s.text.as_str(), s.tag), ("10", Tag::Str));
    }

    #[test]
    fn mapping_at_the_path_is_an_error() {
        let specs = [FieldSpec::new(Gvk::default(), "data", false)];
        let mut n = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n");
        let gvk = gvk_of(&n);
        let err = apply_name_affix(&mut n, &gvk, Affix::Prefix, "p-", &specs).unwrap_err();
        assert_eq!(
            err.message(),
            "considering field 'data' of object ConfigMap.v1.[noGrp]/c.[noNs]: wrong node kind: \
             expected ScalarNode but got MappingNode: node contents:\nk: v\n"
        );
    }
}
