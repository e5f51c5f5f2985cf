//! Output order: kustomize's legacy order (kinds in a fixed order, then by id) or input order.

use crate::error::{Error, ErrorKind, Result};
use crate::load::kustomization::SortOptions;
use crate::resource::{Gvk, ResId, Resource};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Kinds the legacy order prints first, in this order.
pub const DEFAULT_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds the legacy order prints last, in this order.
pub const DEFAULT_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// How to order a build's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Order {
    /// Kinds in `first` come first (in that order), kinds in `last` come last, everything else in
    /// between; ties broken by group, version, kind, namespace and name.
    Legacy {
        /// Kinds printed first.
        first: Vec<String>,
        /// Kinds printed last.
        last: Vec<String>,
    },
    /// The order resources were accumulated in.
    Fifo,
}

impl Default for Order {
    fn default() -> Self {
        Order::legacy()
    }
}

impl Order {
    /// The legacy order with kustomize's default kind lists.
    pub fn legacy() -> Self {
        Order::Legacy {
            first: DEFAULT_ORDER_FIRST.iter().map(|s| s.to_string()).collect(),
            last: DEFAULT_ORDER_LAST.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The order a kustomization's `sortOptions` asks for.
    pub fn from_options(options: &SortOptions) -> Result<Self> {
        match options.order.as_str() {
            "legacy" => Ok(match &options.legacy_sort_options {
                None => Order::legacy(),
                Some(o) => Order::Legacy { first: o.order_first.clone(), last: o.order_last.clone() },
            }),
            "fifo" if options.legacy_sort_options.is_some() => Err(Error::new(
                ErrorKind::Kustomization,
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
            )),
            "fifo" => Ok(Order::Fifo),
            _ => Err(Error::new(
                ErrorKind::Kustomization,
                "the field 'sortOptions.order' must be one of [fifo, legacy]",
            )),
        }
    }
}

fn gvk_sort_string(g: &Gvk) -> String {
    let or = |s: &str, blank: &str| {
        if s.is_empty() {
            blank.to_owned()
        } else {
            s.to_owned()
        }
    };
    format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    )
}

fn id_sort_string(id: &ResId) -> String {
    let ns = if id.namespace.is_empty() {
        "~X"
    } else {
        &id.namespace
    };
    let name = if id.name.is_empty() { "~N" } else { &id.name };
    format!("{}|{ns}|{name}", id.gvk)
}

/// Puts `resources` in `order`.
pub fn sort(resources: &mut Vec<Resource>, order: &Order) {
    let Order::Legacy { first, last } = order else {
        return;
    };
    let mut rank: HashMap<&str, i64> = HashMap::new();
    for (i, k) in first.iter().enumerate() {
        rank.insert(k, i as i64 - first.len() as i64);
    }
    for (i, k) in last.iter().enumerate() {
        rank.insert(k, 1 + i as i64);
    }
    struct Key {
        rank: i64,
        gvk: Gvk,
        gvk_string: String,
        id_string: String,
    }
    let keys: Vec<Key> = resources
        .iter()
        .map(|r| {
            let id = r.id();
            Key {
                rank: rank.get(id.gvk.kind.as_str()).copied().unwrap_or(0),
                gvk_string: gvk_sort_string(&id.gvk),
                id_string: id_sort_string(&id),
                gvk: id.gvk,
            }
        })
        .collect();
    let cmp = |a: &Key, b: &Key| -> Ordering {
        if a.gvk != b.gvk {
            if a.rank != b.rank {
                return a.rank.cmp(&b.rank);
            }
            // kustomize orders Namespaces of the core group after others, reversing the comparison.
            if a.gvk.kind == "Namespace"
                && b.gvk.kind == "Namespace"
                && (a.gvk.group.is_empty() || b.gvk.group.is_empty())
            {
                return b.gvk_string.cmp(&a.gvk_string);
            }
            return a.gvk_string.cmp(&b.gvk_string);
        }
        a.id_string.cmp(&b.id_string)
    };
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by(|&i, &j| cmp(&keys[i], &keys[j]));
    let mut slots: Vec<Option<Resource>> =
        std::mem::take(resources).into_iter().map(Some).collect();
    resources.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Mapping, Node};

    fn res(api_version: &str, kind: &str, name: &str) -> Resource {
        let mut meta = Mapping::new();
        meta.insert("name", name);
        let mut m = Mapping::new();
        m.insert("apiVersion", api_version);
        m.insert("kind", kind);
        m.insert("metadata", Node::Map(meta));
        Resource::new(Node::Map(m))
    }

    #[test]
    fn legacy_order_puts_kinds_first_and_last() {
        let mut rs = vec![
            res(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "v",
            ),
            res("apps/v1", "Deployment", "b"),
            res("v1", "Service", "s"),
            res("example.com/v1", "Widget", "w"),
            res("apps/v1", "Deployment", "a"),
            res("v1", "Namespace", "ns"),
        ];
        sort(&mut rs, &Order::legacy());
        let names: Vec<_> = rs.iter().map(|r| r.name().to_owned()).collect();
        assert_eq!(names, ["ns", "s", "a", "b", "w", "v"]);
    }

    #[test]
    fn fifo_keeps_order() {
        let mut rs = vec![res("v1", "Service", "b"), res("v1", "Namespace", "a")];
        sort(&mut rs, &Order::Fifo);
        assert_eq!(rs[0].name(), "b");
    }
}
