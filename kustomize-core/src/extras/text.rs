//! Finding image values inside configuration carried as text (a ConfigMap's `data`).
//!
//! Programs such as Katib, KServe and Istio read their configuration from ConfigMaps as YAML or
//! JSON text and pull the images it names at run time. That text is often not a clean document
//! (Go templates, JSON with `#` comments, YAML holding JSON in block scalars), and rewriting it
//! must keep every other byte, so it is read lexically, line by line: a key that names an image,
//! a `:`, and one scalar on the same line, in YAML block or flow style or in JSON. Comment lines
//! are skipped; template placeholders are not images.

use super::reference::{is_placeholder, is_valid_prefix, is_well_formed};
use crate::gosem::scalar::resolve_plain;
use crate::node::Tag;
use std::ops::Range;

/// What a value found in text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HitKind {
    /// An image reference.
    Image,
    /// A bare name (`proxyv2`) in text that also names a `hub`: Helm-style values, where the
    /// program composes `hub/name:tag` itself. Listed as written, never rewritten (its hub is).
    HubRelative,
    /// A `hub`: the registry/repository prefix of Helm-style values.
    Hub,
}

/// One value found in text: its byte range, its 1-based line, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TextHit {
    pub range: Range<usize>,
    pub line: usize,
    pub kind: HitKind,
}

/// Whether a key (a mapping key, a ConfigMap data key, an environment variable's name) names an
/// image: `image`, or a name ending in `Image`, `-image`, `_image` or `_IMAGE`
/// (`defaultJobImage`, `queue-sidecar-image`, `V2_DRIVER_IMAGE`).
pub(crate) fn is_image_key(key: &str) -> bool {
    key == "image"
        || key == "IMAGE"
        || (key.len() > 5 && key.ends_with("Image"))
        || key.ends_with("-image")
        || key.ends_with("_image")
        || key.ends_with("_IMAGE")
        || key.ends_with("-IMAGE")
}

/// Every image (and `hub`) value in `text`, in order.
pub(crate) fn scan(text: &str) -> Vec<TextHit> {
    let mut hits = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        scan_line(content, offset, i + 1, &mut hits);
        offset += line.len();
    }
    if hits.iter().any(|h| h.kind == HitKind::Hub) {
        for hit in &mut hits {
            let value = &text[hit.range.clone()];
            if hit.kind == HitKind::Image && !value.contains(['/', ':', '@']) {
                hit.kind = HitKind::HubRelative;
            }
        }
    }
    hits
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

fn scan_line(line: &str, offset: usize, line_no: usize, hits: &mut Vec<TextHit>) {
    let b = line.as_bytes();
    let mut i = skip_blanks(b, 0);
    if b.get(i) == Some(&b'#') {
        return;
    }
    // Block sequence entries: `- image: x`, `- - image: x`.
    while b.get(i) == Some(&b'-') && matches!(b.get(i + 1), None | Some(b' ' | b'\t')) {
        i = skip_blanks(b, i + 1);
    }
    let mut push = |hit: Option<(Range<usize>, HitKind)>| {
        if let Some((range, kind)) = hit {
            hits.push(TextHit {
                range: offset + range.start..offset + range.end,
                line: line_no,
                kind,
            });
        }
    };
    push(entry_at(line, i));
    // Flow mappings and JSON objects: a key may follow `{` or `,` (outside double quotes).
    let mut in_quotes = false;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\\' if in_quotes => j += 1,
            b'"' => in_quotes = !in_quotes,
            b'{' | b',' if !in_quotes => push(entry_at(line, skip_blanks(b, j + 1))),
            b'#' if !in_quotes && j > 0 && matches!(b[j - 1], b' ' | b'\t') => break,
            _ => {}
        }
        j += 1;
    }
}

/// Reads `key: value` at byte `i` of `line`; returns the value's range when the key names an
/// image or a hub and the value is one.
fn entry_at(line: &str, i: usize) -> Option<(Range<usize>, HitKind)> {
    let b = line.as_bytes();
    let (key, quoted, after_key) = match b.get(i)? {
        &q @ (b'"' | b'\'') => {
            let end = i + 1 + line[i + 1..].find(q as char)?;
            (&line[i + 1..end], true, end + 1)
        }
        _ => {
            let len = b[i..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
                .count();
            (&line[i..i + len], false, i + len)
        }
    };
    let kind = if is_image_key(key) {
        HitKind::Image
    } else if key == "hub" {
        HitKind::Hub
    } else {
        return None;
    };
    let colon = skip_blanks(b, after_key);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    // YAML needs a blank after the colon of a plain key; JSON does not.
    if !quoted && !matches!(b.get(colon + 1), None | Some(b' ' | b'\t')) {
        return None;
    }
    let start = skip_blanks(b, colon + 1);
    let (range, after) = match b.get(start)? {
        &q @ (b'"' | b'\'') => {
            let end = start + 1 + line[start + 1..].find(q as char)?;
            let inner = &line[start + 1..end];
            // Escapes (`\"`, `''`) never occur in image names: leave such values alone.
            if inner.contains('\\') || b.get(end + 1) == Some(&q) {
                return None;
            }
            (start + 1..end, end + 1)
        }
        b'|' | b'>' | b'&' | b'*' | b'!' | b'{' | b'[' | b'#' | b'%' | b'@' | b'`' => return None,
        _ => {
            let len = b[start..]
                .iter()
                .take_while(|&&c| !matches!(c, b' ' | b'\t' | b',' | b'}' | b']'))
                .count();
            let value = &line[start..start + len];
            if resolve_plain(value) != Tag::Str {
                return None;
            }
            (start..start + len, start + len)
        }
    };
    // Only a comment or the rest of a flow collection may follow.
    let rest = skip_blanks(b, after);
    if !matches!(b.get(rest), None | Some(b'#' | b',' | b'}' | b']')) {
        return None;
    }
    let value = &line[range.clone()];
    if value.is_empty() || is_placeholder(value) {
        return None;
    }
    let valid = match kind {
        HitKind::Hub => is_valid_prefix(value),
        _ => is_well_formed(value),
    };
    valid.then_some((range, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(&str, usize, HitKind)> {
        scan(text)
            .into_iter()
            .map(|h| (&text[h.range], h.line, h.kind))
            .collect()
    }

    #[test]
    fn yaml_block_and_sequence_entries() {
        let text = "runtime:\n  collectors:\n    - kind: StdOut\n      image: ghcr.io/k/c:v1 # pinned\n    - image: 'reg:5000/x/y@sha256:0123456789abcdef0123456789abcdef'\n  image:\n    value: not/this\n  # image: commented/out:1\n  image: \"$VIEWER_IMAGE\"\n  allowCustomImage: true\n";
        assert_eq!(
            values(text),
            [
                ("ghcr.io/k/c:v1", 4, HitKind::Image),
                (
                    "reg:5000/x/y@sha256:0123456789abcdef0123456789abcdef",
                    5,
                    HitKind::Image
                ),
            ]
        );
    }

    #[test]
    fn json_and_flow_entries() {
        let text = "{\n    \"image\" : \"kserve/agent:v0.15.0\",\n    \"defaultJobImage\":\"kserve/init:v1\",\n    \"imagePullPolicy\": \"IfNotPresent\"\n}\n[{\"name\": \"a\", \"image\": \"busybox\"}, {image: alpine:3, x: 1}]\n";
        assert_eq!(
            values(text),
            [
                ("kserve/agent:v0.15.0", 2, HitKind::Image),
                ("kserve/init:v1", 3, HitKind::Image),
                ("busybox", 6, HitKind::Image),
                ("alpine:3", 6, HitKind::Image),
            ]
        );
    }

    #[test]
    fn templates_and_free_text_are_not_images() {
        let text = "image: \"{{ .ProxyImage }}\"\nimage: {{ .Values.image }}\nimage: two words\nimage: >-\n  folded\nimage: busybox:1.28\n";
        assert_eq!(values(text), [("busybox:1.28", 6, HitKind::Image)]);
    }

    #[test]
    fn helm_values_name_images_relative_to_a_hub() {
        let text = "{\n  \"global\": {\n    \"hub\": \"gcr.io/istio-release\",\n    \"proxy\": {\"image\": \"proxyv2\"},\n    \"full\": {\"image\": \"docker.io/x/y:1\"}\n  }\n}\n";
        assert_eq!(
            values(text),
            [
                ("gcr.io/istio-release", 3, HitKind::Hub),
                ("proxyv2", 4, HitKind::HubRelative),
                ("docker.io/x/y:1", 5, HitKind::Image),
            ]
        );
        // Without a hub, a bare name is an ordinary image.
        assert_eq!(values("image: nginx\n"), [("nginx", 1, HitKind::Image)]);
    }

    #[test]
    fn image_keys() {
        for k in [
            "image",
            "defaultJobImage",
            "queue-sidecar-image",
            "V2_DRIVER_IMAGE",
            "IMAGE",
        ] {
            assert!(is_image_key(k), "{k}");
        }
        for k in [
            "Image",
            "imagePullPolicy",
            "images",
            "defaultImageVersion",
            "hub",
        ] {
            assert!(!is_image_key(k), "{k}");
        }
    }
}
