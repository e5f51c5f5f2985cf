//! `commonAnnotations` (kustomize's AnnotationsTransformer): each annotation is written as a
//! string, key by key in sorted order, into every field the `commonAnnotations` specs name
//! (`metadata/annotations` and pod-template annotations), created as needed.

use super::fieldspec::FieldSpec;
use super::labels::{apply_string_map, Pairs};
use crate::error::Result;
use crate::node::Node;

/// Adds `annotations` to one resource at the fields `specs` name.
pub fn apply_annotations(node: &mut Node, annotations: &Pairs, specs: &[FieldSpec]) -> Result<()> {
    apply_string_map(node, annotations, specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Tag;
    use crate::transform::fieldspec::TransformerConfig;
    use crate::transform::testutil::{assert_yaml, yaml};

    #[test]
    fn annotates_metadata_and_pod_templates_as_strings() {
        let mut n = yaml("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\n  annotations:\n    x: \"1\"\nspec:\n  schedule: \"* * * * *\"\n");
        let specs = &TransformerConfig::builtin().common_annotations;
        apply_annotations(&mut n, &Pairs::new([("x", "true"), ("note", "")]), specs).unwrap();
        assert_yaml(
            &n,
            "apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
  annotations:
    x: \"true\"
    note: \"\"
spec:
  schedule: \"* * * * *\"
  jobTemplate:
    metadata:
      annotations:
        note: \"\"
        x: \"true\"
    spec:
      template:
        metadata:
          annotations:
            note: \"\"
            x: \"true\"
",
        );
        let x = n
            .get_path(&["metadata", "annotations", "x"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!(x.tag, Tag::Str);
    }

    #[test]
    fn templates_of_other_kinds_and_groups_are_left_alone() {
        // The CronJob specs need group batch.
        let src = "apiVersion: example.com/v1\nkind: CronJob\nmetadata:\n  name: c\n";
        let mut n = yaml(src);
        let specs = &TransformerConfig::builtin().common_annotations;
        apply_annotations(&mut n, &Pairs::new([("a", "b")]), specs).unwrap();
        assert_yaml(&n, "apiVersion: example.com/v1\nkind: CronJob\nmetadata:\n  name: c\n  annotations:\n    a: b\n");
    }
}
