//! `replicas:` (kustomize's ReplicaCountTransformer).
//!
//! An entry names a resource and a count. For each field spec of the `replicas` list (Deployment,
//! ReplicationController, ReplicaSet, StatefulSet, any group, `spec/replicas`, created if absent)
//! every resource whose name matches under *any* of its ids (current or previous, so names before
//! a prefix still match) and whose gvk the spec selects gets the count, as an integer. If no
//! resource matched any spec, the entry is an error ([`replica_not_found`]).

use super::fieldspec::FieldSpec;
use super::path::{gvk_of, set_scalar, visit_resource, Create};
use crate::error::{Error, ErrorKind, Result};
use crate::node::{Node, Tag};
use crate::resource::ResId;

/// One `replicas:` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replica {
    /// `name`: the resource's name (under any of its ids).
    pub name: String,
    /// `count`.
    pub count: i64,
}

/// Whether the resource with these ids (previous ones and the current one) is a target of
/// `replica` under `spec`.
pub fn replica_matches<'a>(
    ids: impl IntoIterator<Item = &'a ResId>,
    replica: &Replica,
    spec: &FieldSpec,
) -> bool {
    ids.into_iter()
        .any(|id| id.name == replica.name && spec.selects(&id.gvk))
}

/// Writes the count at `spec`'s path in one matching resource.
pub fn apply_replica(node: &mut Node, replica: &Replica, spec: &FieldSpec) -> Result<()> {
    if !spec.selects(&gvk_of(node)) {
        return Ok(());
    }
    let count = replica.count.to_string();
    let create = Create::scalar_if(spec.create(), Tag::Int);
    visit_resource(node, spec.path(), create, &mut |n: &mut Node| {
        set_scalar(n, &count, Some(Tag::Int))
    })?;
    Ok(())
}

/// kustomize's error for an entry that matched nothing.
pub fn replica_not_found(replica: &Replica, specs: &[FieldSpec]) -> Error {
    let gvks: Vec<String> = specs.iter().map(|fs| fs.gvk().to_string()).collect();
    Error::new(
        ErrorKind::Transform,
        format!(
            "resource with name {} does not match a config with the following GVK [{}]",
            replica.name,
            gvks.join(" ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Gvk;
    use crate::transform::fieldspec::TransformerConfig;
    use crate::transform::testutil::{assert_yaml, yaml};

    #[test]
    fn sets_and_creates_integer_counts() {
        let specs = &TransformerConfig::builtin().replicas;
        let r = Replica {
            name: "d".into(),
            count: 3,
        };
        let mut n = yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"1\"\n");
        for fs in specs {
            apply_replica(&mut n, &r, fs).unwrap();
        }
        // kyaml keeps the quotes of the value it replaces: the count becomes a string.
        let v = n
            .get_path(&["spec", "replicas"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!((v.text.as_str(), v.tag), ("3", Tag::Str));
        let mut n = yaml(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 0x1\n",
        );
        for fs in specs {
            apply_replica(&mut n, &r, fs).unwrap();
        }
        let v = n
            .get_path(&["spec", "replicas"])
            .and_then(Node::as_scalar)
            .unwrap();
        assert_eq!((v.text.as_str(), v.tag), ("3", Tag::Int));
        let mut n = yaml("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: d\n");
        for fs in specs {
            apply_replica(&mut n, &r, fs).unwrap();
        }
        assert_yaml(
            &n,
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: d\nspec:\n  replicas: 3\n",
        );
    }

    #[test]
    fn matches_by_any_id_and_reports_misses_in_spec_order() {
        let specs = &TransformerConfig::builtin().replicas;
        let r = Replica {
            name: "old".into(),
            count: 1,
        };
        let ids = [
            ResId {
                gvk: Gvk::new("apps", "v1", "Deployment"),
                name: "old".into(),
                namespace: String::new(),
            },
            ResId {
                gvk: Gvk::new("apps", "v1", "Deployment"),
                name: "p-old".into(),
                namespace: String::new(),
            },
        ];
        assert!(specs.iter().any(|fs| replica_matches(&ids, &r, fs)));
        assert!(!specs.iter().any(|fs| replica_matches(&ids[1..], &r, fs)));
        assert_eq!(
            replica_not_found(&r, specs).message(),
            "resource with name old does not match a config with the following GVK \
             [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] \
             ReplicationController.[noVer].[noGrp]]"
        );
    }
}
