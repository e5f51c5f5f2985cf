//! Resources and their identities.

use std::fmt;

/// Group, version and kind of a resource, as kustomize identifies it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    /// API group; empty for the core group.
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
}

impl Gvk {
    /// A gvk from its parts.
    pub fn new(
        group: impl Into<String>,
        version: impl Into<String>,
        kind: impl Into<String>,
    ) -> Self {
        Gvk {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    /// Splits an `apiVersion` (`apps/v1`, `v1`) and pairs it with `kind`.
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk::new(group, version, kind)
    }

    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// kustomize's spelling: `Kind.version.group`, with `[noKind]`, `[noVer]`, `[noGrp]` for blanks.
impl fmt::Display for Gvk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or = |s: &str, blank: &'static str| {
            if s.is_empty() {
                blank.to_owned()
            } else {
                s.to_owned()
            }
        };
        write!(
            f,
            "{}.{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]")
        )
    }
}

/// A resource's identity: gvk, name and namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResId {
    /// Group, version, kind.
    pub gvk: Gvk,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`; empty when unset.
    pub namespace: String,
}

/// kustomize's spelling: `Kind.version.group/name.namespace`, `[noNs]` for no namespace.
impl fmt::Display for ResId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        write!(f, "{}/{}.{}", self.gvk, self.name, ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_ids_as_kustomize_does() {
        let id = ResId {
            gvk: Gvk::from_api_version("v1", "ConfigMap"),
            name: "istio".into(),
            namespace: "istio-system".into(),
        };
        assert_eq!(id.to_string(), "ConfigMap.v1.[noGrp]/istio.istio-system");
        let apps = Gvk::from_api_version("apps/v1", "Deployment");
        assert_eq!(apps.to_string(), "Deployment.v1.apps");
        assert_eq!(apps.api_version(), "apps/v1");
    }
}
