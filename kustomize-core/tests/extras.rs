//! The `extras` library API on `testdata/extras/kubeflow-like`: building an in-memory overlay on
//! a base on disk, image inventory, mirroring that keeps configuration text byte-identical
//! outside image values, selector filtering, golden diffs.

use kustomize_core::extras::{
    parse_selector, unified_diff, ImageMirror, ImageRewriter, ImageSource, OutputOptions,
    ResourceFilter,
};
use kustomize_core::fs::{DiskFs, OverlayFs};
use kustomize_core::{Build, BuildOptions, Kustomizer, Resource};
use std::path::PathBuf;

fn tree() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/extras/kubeflow-like");
    std::fs::canonicalize(dir).expect("fixture tree")
}

fn build_example() -> Build {
    Kustomizer::new(BuildOptions::default())
        .build(&DiskFs, tree().join("example"))
        .expect("example builds")
}

fn find<'a>(build: &'a Build, kind: &str, name: &str) -> &'a Resource {
    build
        .resources()
        .iter()
        .find(|r| r.kind() == kind && r.name() == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn data<'a>(r: &'a Resource, key: &str) -> &'a str {
    r.node()
        .get_path(&["data", key])
        .and_then(|n| n.as_str())
        .unwrap_or_else(|| panic!("no data {key}"))
}

#[test]
fn in_memory_overlay_on_a_base_on_disk() {
    let overlay = tree().join("installer");
    let mut fs = OverlayFs::new(DiskFs);
    fs.add_file(
        overlay.join("kustomization.yaml"),
        "resources:\n- ../example\n- extra.yaml\nimages:\n- name: busybox\n  newTag: \"1.37\"\ncommonAnnotations:\n  installed-by: installer\n",
    )
    .add_file(
        overlay.join("extra.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kubeflow\n",
    );
    let build = Kustomizer::new(BuildOptions::default())
        .build(&fs, &overlay)
        .expect("overlay builds");
    let base = build_example();
    assert_eq!(build.resources().len(), base.resources().len() + 1);
    assert!(build.resources().iter().all(|r| r
        .node()
        .get_path(&["metadata", "annotations", "installed-by"])
        .is_some()));
    let images = build.images();
    assert!(images.uses("busybox:1.36").is_empty());
    assert_eq!(images.uses("busybox:1.37")[0].kind, "Deployment");
    // The tag-only image in embedded text is not the images transformer's business.
    assert_eq!(
        images.uses("busybox:1.28")[0].source,
        ImageSource::EmbeddedText
    );
}

#[test]
fn inventory_covers_every_place() {
    let build = build_example();
    let images = build.images();
    assert_eq!(images.len(), 31);
    let sources =
        |image: &str| -> Vec<ImageSource> { images.uses(image).iter().map(|u| u.source).collect() };
    assert_eq!(
        sources("ghcr.io/kubeflow/kfp-driver:2.5.0"),
        [ImageSource::EnvVar]
    );
    assert_eq!(
        sources("registry.k8s.io/busybox"),
        [ImageSource::ConfigMapEntry]
    );
    assert_eq!(
        sources("kserve/storage-initializer:v0.15.0"),
        [ImageSource::EmbeddedText, ImageSource::ImageField]
    );
    assert_eq!(
        sources("docker.io/library/alpine:3.20"),
        [ImageSource::Container]
    );
    assert_eq!(
        sources("registry.internal:5000/ml/trainer:2.1"),
        [ImageSource::Container]
    );
    assert_eq!(sources("proxyv2"), [ImageSource::HubRelativeText]);
    // CRD schemas' defaults, commented-out lines and placeholders are not images.
    for not in [
        "busybox:should-not-be-listed",
        "ghcr.io/kubeflow/katib/retired:v0.1.0",
        "$CUSTOM_SUGGESTION_IMAGE",
    ] {
        assert!(images.uses(not).is_empty(), "{not}");
    }
}

#[test]
fn mirroring_changes_only_image_values_in_text() {
    let before = build_example();
    let mut after = build_example();
    let rewriter = ImageRewriter::new()
        .mirror(ImageMirror::new("docker.io", "mirror.local:5000/hub").expect("rule"))
        .mirror(ImageMirror::new("ghcr.io", "mirror.local:5000/ghcr").expect("rule"))
        .mirror(ImageMirror::new("localhost:5000", "mirror.local:5000/local").expect("rule"))
        .digest_to_tag("mirrored")
        .expect("tag");
    let changed = after.rewrite_images(&rewriter);
    assert!(changed > 20, "{changed}");

    // Every embedded use: its line changed exactly by the image value, nothing else.
    let inventory = before.images();
    let mut checked = 0;
    for (image, uses) in inventory.iter() {
        for u in uses.iter().filter(|u| u.source.is_embedded()) {
            let key = u
                .path
                .strip_prefix("data.")
                .map(str::to_owned)
                .or_else(|| {
                    u.path
                        .strip_prefix("data[\"")
                        .and_then(|p| p.strip_suffix("\"]"))
                        .map(str::to_owned)
                })
                .expect("data path");
            let old = data(find(&before, &u.kind, &u.name), &key);
            let new = data(find(&after, &u.kind, &u.name), &key);
            let line = u.line.expect("line") - 1;
            let old_line = old.lines().nth(line).expect("old line");
            let new_line = new.lines().nth(line).expect("new line");
            let want = match (u.source, rewriter.rewrite(image)) {
                (ImageSource::EmbeddedText, Some(img)) => old_line.replacen(image, &img, 1),
                _ => old_line.to_owned(),
            };
            assert_eq!(new_line, want);
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");

    // Whole texts: the same lines, and lines that name no image are untouched.
    let katib = "katib-config.yaml";
    let (old, new) = (
        data(find(&before, "ConfigMap", "katib-config"), katib),
        data(find(&after, "ConfigMap", "katib-config"), katib),
    );
    assert_eq!(old.lines().count(), new.lines().count());
    for (a, b) in old.lines().zip(new.lines()) {
        if a != b {
            assert!(
                a.contains("image:") && !a.trim_start().starts_with('#'),
                "{a}"
            );
        }
    }
    assert!(new.contains("      image: \"mirror.local:5000/ghcr/kubeflow/katib/tfevent-metrics-collector:v0.18.0\" # pinned by release\n"));
    assert!(new.contains(
        "      image: 'mirror.local:5000/local/katib/earlystopping-medianstop:mirrored'\n"
    ));
    assert!(new.contains("    #   image: ghcr.io/kubeflow/katib/retired:v0.1.0\n"));
    assert!(new.contains("      image: $CUSTOM_SUGGESTION_IMAGE\n"));

    // Helm-style values: the hub is not under these rules, the bare name is never rewritten.
    let values = data(
        find(&after, "ConfigMap", "istio-sidecar-injector"),
        "values",
    );
    assert!(
        values.contains("\"hub\": \"gcr.io/istio-release\"")
            && values.contains("\"image\": \"proxyv2\"")
    );
    let after_images = after.images();
    assert!(after_images
        .images()
        .all(|i| !i.starts_with("docker.io/") && !i.starts_with("ghcr.io/") && !i.contains('@')));
    assert_eq!(
        after_images
            .uses("mirror.local:5000/hub/library/nginx")
            .len(),
        1
    );
    assert_eq!(
        after_images
            .uses("mirror.local:5000/hub/kserve/agent:v0.15.0")
            .len(),
        2
    );
}

#[test]
fn options_filter_then_rewrite() {
    let mut build = build_example();
    let options = OutputOptions::new()
        .select(parse_selector("namespace=kubeflow").expect("selector"))
        .exclude(parse_selector("kind=ConfigMap").expect("selector"))
        .image_mirror("quay.io=m.local/quay".parse().expect("rule"));
    build.apply(&options).expect("valid options");
    assert!(build
        .resources()
        .iter()
        .all(|r| r.namespace() == "kubeflow" && r.kind() != "ConfigMap"));
    assert!(build
        .images()
        .images()
        .any(|i| i == "m.local/quay/brancz/kube-rbac-proxy@sha256:2222222222222222222222222222222222222222222222222222222222222222"));
    // Invalid options change nothing.
    let mut untouched = build_example();
    let bad = OutputOptions::new()
        .exclude(parse_selector("kind=ConfigMap").expect("selector"))
        .digest_to_tag("bad tag");
    assert!(untouched.apply(&bad).is_err());
    assert_eq!(
        untouched.resources().len(),
        build_example().resources().len()
    );
}

#[test]
fn two_passes_partition_the_build() {
    let full = build_example();
    for selector in [
        "kind=CustomResourceDefinition",
        "labelSelector=app",
        "group=apps",
        "{namespace: kube.*}",
    ] {
        let s = parse_selector(selector).expect("selector");
        let mut first = build_example();
        let mut second = build_example();
        first.retain(&ResourceFilter::new().select(&s).expect("compiles"));
        second.retain(&ResourceFilter::new().exclude(&s).expect("compiles"));
        let mut ids: Vec<_> = first
            .resources()
            .iter()
            .chain(second.resources())
            .map(Resource::id)
            .collect();
        let mut all: Vec<_> = full.resources().iter().map(Resource::id).collect();
        ids.sort();
        all.sort();
        assert_eq!(ids, all, "{selector}");
    }
}

#[test]
fn golden_diff_names_the_resource_of_an_embedded_change() {
    let build = build_example();
    let actual = build.to_yaml().expect("prints");
    let text = String::from_utf8(actual.clone()).expect("utf-8");
    let stale = text.replace(
        "\"memoryRequest\": \"100Mi\",\n",
        "\"memoryRequest\": \"200Mi\",\n",
    );
    assert_ne!(stale, text);
    let diff = unified_diff(stale.as_bytes(), &actual, "golden.yaml", "build").expect("differs");
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("@@")).collect();
    assert!(!headers.is_empty());
    assert!(headers
        .iter()
        .all(|h| h.ends_with("@@ ConfigMap kubeflow/inferenceservice-config")));
    assert!(unified_diff(&actual, &actual, "a", "b").is_none());
}
