//! Image references: kustomize's split into name, tag and digest, the shape Docker accepts, and
//! the registry Docker implies when a name has none.

use crate::transform::images::split_image;

/// Whether `value` is a template placeholder rather than an image: shell or envsubst variables
/// (`$VAR`, `${VAR}`) and Go or Helm templates (`{{ … }}`) are filled in by some program later.
pub(crate) fn is_placeholder(value: &str) -> bool {
    value.contains('$') || value.contains("{{") || value.contains("}}")
}

/// Whether the first component of a name is a registry host, by Docker's rule: it holds a `.` or
/// a `:` (a port), is `localhost`, or has capitals (repository paths never do).
fn is_host(component: &str) -> bool {
    component.contains(['.', ':'])
        || component == "localhost"
        || component.bytes().any(|b| b.is_ascii_uppercase())
}

/// A registry host, optionally with a port: DNS labels separated by dots, then `:digits`.
fn is_valid_host(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let labels_ok = !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    labels_ok && port_ok
}

/// One repository path component: lower-case letters and digits, separated by `.`, `_` or `-`.
fn is_valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    !b.is_empty()
        && b.iter().all(|&x| {
            x.is_ascii_lowercase() || x.is_ascii_digit() || matches!(x, b'.' | b'_' | b'-')
        })
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A registry host alone, or `[host/]path` with at least one path component. With
/// `allow_host_only`, a bare host (`gcr.io`, `registry:5000`) is accepted too.
fn is_valid_repository(name: &str, allow_host_only: bool) -> bool {
    if name.is_empty() {
        return false;
    }
    match name.split_once('/') {
        Some((first, rest)) if is_host(first) => {
            is_valid_host(first) && rest.split('/').all(is_valid_component)
        }
        Some(_) => name.split('/').all(is_valid_component),
        None if is_host(name) => allow_host_only && is_valid_host(name),
        None => is_valid_component(name),
    }
}

/// Whether `tag` is a valid tag: a word character, then up to 127 word characters, dots and
/// dashes.
pub(crate) fn is_valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|&x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.' | b'-'))
}

/// `algorithm:hex`, the algorithm made of letters and digits joined by `+`, `.`, `_` or `-`, the
/// encoded part at least 32 hexadecimal digits.
fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['+', '.', '_', '-']).all(|part| {
        part.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && part.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `image` is a well-formed reference (`[host[:port]/]path[:tag][@digest]`), split the
/// way kustomize splits it. Values found by name alone (outside the container fields) must be
/// well-formed to count as images.
pub(crate) fn is_well_formed(image: &str) -> bool {
    if image.len() > 1024 || is_placeholder(image) {
        return false;
    }
    let (name, tag, digest) = split_image(image);
    // kustomize's split leaves a tag after a digest inside the digest: such a reference is
    // malformed.
    (tag.is_empty() || is_valid_tag(tag))
        && (digest.is_empty() || is_valid_digest(digest))
        && !image.ends_with([':', '@'])
        && is_valid_repository(name, false)
}

/// Whether `prefix` is a registry host or a repository (no tag, no digest): the form of mirror
/// rules and Helm-style `hub` values.
pub(crate) fn is_valid_prefix(prefix: &str) -> bool {
    is_valid_repository(prefix, true)
}

/// The fully qualified name of an image name (without tag or digest), as Docker completes it:
/// no registry means `docker.io`, and a single name on Docker Hub lives in `library/`.
/// `index.docker.io` is `docker.io`.
pub(crate) fn canonical_name(name: &str) -> String {
    let (host, path) = match name.split_once('/') {
        Some((first, rest)) if is_host(first) => (first, rest),
        _ => ("docker.io", name),
    };
    let host = if host == "index.docker.io" {
        "docker.io"
    } else {
        host
    };
    if host == "docker.io" && !path.contains('/') {
        format!("docker.io/library/{path}")
    } else {
        format!("{host}/{path}")
    }
}

/// The fully qualified form of a mirror rule's source prefix. A bare host stays a host; a prefix
/// without a host gets `docker.io/`, and a single name is an official image
/// (`nginx` → `docker.io/library/nginx`); a prefix with a host is taken as written, so
/// `docker.io/bitnami` names the `bitnami` organisation.
pub(crate) fn canonical_prefix(prefix: &str) -> String {
    match prefix.split_once('/') {
        None if is_host(prefix) => {
            if prefix == "index.docker.io" {
                "docker.io".to_owned()
            } else {
                prefix.to_owned()
            }
        }
        None => format!("docker.io/library/{prefix}"),
        Some((first, rest)) if is_host(first) => {
            let host = if first == "index.docker.io" {
                "docker.io"
            } else {
                first
            };
            format!("{host}/{rest}")
        }
        Some(_) => format!("docker.io/{prefix}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_references() {
        for ok in [
            "nginx",
            "nginx:1.25",
            "registry.internal:5000/team/app:1.2",
            "localhost:5000/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "gcr.io/a/b:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/kubeflow/katib/file-metrics-collector:v0.18.0",
            "proxyv2",
        ] {
            assert!(is_well_formed(ok), "{ok}");
        }
        for bad in [
            "",
            "$IMAGE",
            "${REGISTRY}/x",
            "{{ .Values.image }}",
            "Nginx",
            "nginx:",
            "nginx@sha256:short",
            "a b",
            "ex/Upper:1",
            "registry:5000/",
            "-x",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn canonical_names_and_prefixes() {
        assert_eq!(canonical_name("nginx"), "docker.io/library/nginx");
        assert_eq!(canonical_name("kserve/agent"), "docker.io/kserve/agent");
        assert_eq!(canonical_name("docker.io/nginx"), "docker.io/library/nginx");
        assert_eq!(canonical_name("index.docker.io/a/b"), "docker.io/a/b");
        assert_eq!(canonical_name("reg:5000/x"), "reg:5000/x");
        assert_eq!(canonical_name("localhost/x"), "localhost/x");
        assert_eq!(canonical_prefix("gcr.io"), "gcr.io");
        assert_eq!(canonical_prefix("reg:5000"), "reg:5000");
        assert_eq!(canonical_prefix("nginx"), "docker.io/library/nginx");
        assert_eq!(canonical_prefix("kserve"), "docker.io/library/kserve");
        assert_eq!(canonical_prefix("kserve/agent"), "docker.io/kserve/agent");
        assert_eq!(canonical_prefix("docker.io/kserve"), "docker.io/kserve");
        assert!(is_valid_prefix("gcr.io"));
        assert!(is_valid_prefix("mirror.local:5000/gcr.io"));
        assert!(!is_valid_prefix("gcr.io/x:1"));
        assert!(!is_valid_prefix(""));
    }
}
