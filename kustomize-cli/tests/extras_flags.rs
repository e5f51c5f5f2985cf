//! `kbuild`'s flags beyond `kustomize build` (`--list-images`, `--image-mirror`,
//! `--digest-to-tag`, `--select`, `--exclude`, `--check`, `--update`), run as a user runs them,
//! on `testdata/extras/kubeflow-like/example`: a tree shaped like the Kubeflow manifests whose
//! `expected.yaml` is kustomize v5.8's output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/extras/kubeflow-like/example")
}

fn kbuild(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbuild"))
        .arg(example())
        .args(args)
        .output()
        .expect("kbuild runs")
}

fn stdout(args: &[&str]) -> String {
    let out = kbuild(args);
    assert!(
        out.status.success(),
        "kbuild {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn expected() -> String {
    std::fs::read_to_string(example().join("expected.yaml")).expect("fixture")
}

/// A scratch directory for this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kbuild-extras-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The documents of a build, as printed.
fn documents(yaml: &str) -> Vec<String> {
    let mut docs = Vec::new();
    for doc in yaml.split("\n---\n") {
        let doc = doc.trim_end_matches('\n');
        if !doc.is_empty() {
            docs.push(format!("{doc}\n"));
        }
    }
    docs
}

fn kind(doc: &str) -> &str {
    doc.lines()
        .find_map(|l| l.strip_prefix("kind: "))
        .unwrap_or("")
}

/// Every image value printed on an `image:` line (fields and embedded text, quoted or not).
fn image_lines(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            let rest = l
                .strip_prefix("image:")
                .or_else(|| l.strip_prefix("\"image\" :"))
                .or_else(|| l.strip_prefix("\"image\":"))?;
            let rest = rest.split(" #").next().unwrap_or(rest);
            let v = rest.trim().trim_end_matches(',').trim_matches(['"', '\'']);
            (!v.is_empty()).then(|| v.to_owned())
        })
        .collect()
}

const IMAGES: &str = "\
busybox:1.28
busybox:1.36
docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.18.0
docker.io/library/alpine:3.20
docker.io/library/busybox:1.36
gcr.io/istio-release/install-cni:1.26.1
gcr.io/istio-release/pilot:1.26.1
gcr.io/knative-releases/knative.dev/serving/cmd/activator@sha256:7777777777777777777777777777777777777777777777777777777777777777
gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:6666666666666666666666666666666666666666666666666666666666666666
ghcr.io/kubeflow/katib/file-metrics-collector:v0.18.0
ghcr.io/kubeflow/katib/katib-controller@sha256:1111111111111111111111111111111111111111111111111111111111111111
ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.18.0
ghcr.io/kubeflow/katib/tfevent-metrics-collector:v0.18.0
ghcr.io/kubeflow/kfp-api-server:2.5.0
ghcr.io/kubeflow/kfp-driver:2.5.0
ghcr.io/kubeflow/kfp-launcher@sha256:3333333333333333333333333333333333333333333333333333333333333333
kserve/agent:v0.15.0
kserve/art-explainer
kserve/kserve-controller:v0.15.1
kserve/sklearnserver:v0.15.0
kserve/storage-initializer:v0.15.0
localhost:5000/katib/earlystopping-medianstop@sha256:5555555555555555555555555555555555555555555555555555555555555555
localhost:5000/tools/kubectl@sha256:4444444444444444444444444444444444444444444444444444444444444444
nginx
proxyv2
quay.io/brancz/kube-rbac-proxy@sha256:2222222222222222222222222222222222222222222222222222222222222222
registry.internal:5000/kubeflow/katib-ui:v0.18.0
registry.internal:5000/library/mysql:8.0.29
registry.internal:5000/ml/models:v3
registry.internal:5000/ml/trainer:2.1
registry.k8s.io/busybox
";

#[test]
fn default_output_is_kustomizes() {
    assert_eq!(stdout(&[]), expected());
}

#[test]
fn list_images_text() {
    assert_eq!(stdout(&["--list-images"]), IMAGES);
    // Every image value on an `image:` line of the output is listed, placeholders aside.
    let listed: Vec<&str> = IMAGES.lines().collect();
    for value in image_lines(&expected()) {
        let placeholder = value.contains('$') || value.contains("{{");
        assert!(
            placeholder || listed.contains(&value.as_str()),
            "{value} is not listed"
        );
    }
}

#[test]
fn list_images_json_says_where() {
    let out = stdout(&["--list-images", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let images = json["images"].as_array().expect("images array");
    let names: Vec<&str> = images.iter().filter_map(|i| i["image"].as_str()).collect();
    assert_eq!(names, IMAGES.lines().collect::<Vec<_>>());
    let uses = |image: &str| -> Vec<serde_json::Value> {
        images
            .iter()
            .find(|i| i["image"] == image)
            .and_then(|i| i["uses"].as_array().cloned())
            .unwrap_or_default()
    };
    let queue = uses("gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:6666666666666666666666666666666666666666666666666666666666666666");
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["kind"], "ConfigMap");
    assert_eq!(queue[0]["path"], "data.queue-sidecar-image");
    assert_eq!(queue[1]["kind"], "Image");
    assert_eq!(queue[1]["namespace"], "knative-serving");
    assert_eq!(queue[1]["path"], "spec.image");
    assert_eq!(queue[1]["embedded"], false);

    let agent = uses("kserve/agent:v0.15.0");
    let places: Vec<(String, u64)> = agent
        .iter()
        .map(|u| {
            assert_eq!(u["embedded"], true);
            assert_eq!(u["name"], "inferenceservice-config");
            (
                u["path"].as_str().unwrap_or("").to_owned(),
                u["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("data._example".to_owned(), 8),
            ("data.agent".to_owned(), 2)
        ]
    );

    let medianstop = &uses("localhost:5000/katib/earlystopping-medianstop@sha256:5555555555555555555555555555555555555555555555555555555555555555")[0];
    assert_eq!(medianstop["path"], "data[\"katib-config.yaml\"]");
    assert_eq!(medianstop["line"], 19);

    let models = &uses("registry.internal:5000/ml/models:v3")[0];
    assert_eq!(models["kind"], "CronJob");
    assert_eq!(
        models["path"],
        "spec.jobTemplate.spec.template.spec.volumes[0].image.reference"
    );
    assert_eq!(models["source"], "transformer-field");
    let proxy = &uses("proxyv2")[0];
    assert_eq!(proxy["source"], "hub-relative-text");
}

#[test]
fn image_mirror_rewrites_fields_and_text_only() {
    let args = [
        "--image-mirror",
        "gcr.io=mirror.local:5000/gcr.io",
        "--image-mirror",
        "registry.internal:5000=mirror.local:5000/internal",
        "--image-mirror",
        "nginx=mirror.local:5000/official/nginx",
        "--image-mirror",
        "docker.io/kubeflowkatib=mirror.local:5000/katib",
    ];
    let out = stdout(&args);
    let default = expected();
    assert!(image_lines(&out).iter().all(|v| !v.starts_with("gcr.io/")));
    assert!(out.contains("\"hub\": \"mirror.local:5000/gcr.io/istio-release\""));
    assert!(out.contains("\"image\": \"proxyv2\""));
    // Only lines naming images (or a hub) change; everything else is byte-identical.
    let (a, b): (Vec<&str>, Vec<&str>) = (default.lines().collect(), out.lines().collect());
    assert_eq!(a.len(), b.len());
    let changed: Vec<(&str, &str)> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x, *y))
        .collect();
    assert_eq!(changed.len(), 12, "{changed:#?}");
    for (old, new) in &changed {
        assert!(new.contains("mirror.local:5000/"), "{old} -> {new}");
        assert!(
            ["image:", "hub", "reference:"]
                .iter()
                .any(|k| old.contains(k)),
            "{old}"
        );
    }
    for (old, new) in [
        (
            "      - image: registry.internal:5000/library/mysql:8.0.29",
            "      - image: mirror.local:5000/internal/library/mysql:8.0.29",
        ),
        ("  - image: nginx", "  - image: mirror.local:5000/official/nginx"),
        (
            "              image: docker.io/kubeflowkatib/pytorch-mnist-cpu:v0.18.0",
            "              image: mirror.local:5000/katib/pytorch-mnist-cpu:v0.18.0",
        ),
        (
            "              reference: registry.internal:5000/ml/models:v3",
            "              reference: mirror.local:5000/internal/ml/models:v3",
        ),
        (
            "  queue-sidecar-image: gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:6666666666666666666666666666666666666666666666666666666666666666",
            "  queue-sidecar-image: mirror.local:5000/gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:6666666666666666666666666666666666666666666666666666666666666666",
        ),
    ] {
        assert!(changed.contains(&(old, new)), "{old} -> {new} missing");
    }

    // The listing applies the same rules.
    let listed = stdout(&[&args[..], &["--list-images"]].concat());
    assert!(listed.lines().all(|l| !l.starts_with("gcr.io/")));
    assert!(listed.contains("mirror.local:5000/gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:6666666666666666666666666666666666666666666666666666666666666666\n"));
    assert!(listed.contains("mirror.local:5000/internal/ml/models:v3\n"));
    assert!(!listed.contains("\nnginx\n") && listed.contains("mirror.local:5000/official/nginx\n"));
    assert_eq!(listed.lines().count(), IMAGES.lines().count());
}

#[test]
fn digest_to_tag_replaces_every_digest() {
    let out = stdout(&["--digest-to-tag", "mirrored"]);
    assert!(!out.contains("@sha256:"));
    let listed = stdout(&["--digest-to-tag", "mirrored", "--list-images"]);
    assert!(listed.contains("ghcr.io/kubeflow/katib/katib-controller:mirrored\n"));
    assert!(listed.contains("localhost:5000/tools/kubectl:mirrored\n"));
    assert!(listed.contains("localhost:5000/katib/earlystopping-medianstop:mirrored\n"));
    assert!(listed.contains("gcr.io/knative-releases/knative.dev/serving/cmd/queue:mirrored\n"));
    // Images without a digest keep their tag.
    assert!(listed.contains("busybox:1.36\n"));
    let both = stdout(&[
        "--digest-to-tag",
        "v1",
        "--image-mirror",
        "quay.io=m.local:5000/quay",
        "--list-images",
    ]);
    assert!(both.contains("m.local:5000/quay/brancz/kube-rbac-proxy:v1\n"));
}

#[test]
fn select_then_exclude_is_the_whole_build() {
    let crds = stdout(&["--select", "kind=CustomResourceDefinition"]);
    let rest = stdout(&["--exclude", "kind=CustomResourceDefinition"]);
    let crd_docs = documents(&crds);
    let rest_docs = documents(&rest);
    assert_eq!(crd_docs.len(), 2);
    assert!(crd_docs
        .iter()
        .all(|d| kind(d) == "CustomResourceDefinition"));
    assert!(rest_docs
        .iter()
        .all(|d| kind(d) != "CustomResourceDefinition"));
    assert!(rest_docs.iter().any(|d| kind(d) == "Experiment"));
    let mut both: Vec<String> = crd_docs.into_iter().chain(rest_docs).collect();
    let mut all = documents(&expected());
    both.sort();
    all.sort();
    assert_eq!(both, all);
}

#[test]
fn selectors_combine() {
    let kinds = |args: &[&str]| -> Vec<String> {
        documents(&stdout(args))
            .iter()
            .map(|d| kind(d).to_owned())
            .collect()
    };
    assert_eq!(
        kinds(&[
            "--select",
            "group=apps,kind=Deployment|StatefulSet,namespace=kubeflow"
        ]),
        ["Deployment", "Deployment", "Deployment", "StatefulSet"]
    );
    // Two selects: either; an exclude wins over a select.
    assert_eq!(
        kinds(&[
            "--select",
            "kind=Pod",
            "--select",
            "kind=CronJob",
            "--exclude",
            "name=debug"
        ]),
        ["CronJob"]
    );
    // Resources without a namespace.
    assert_eq!(
        kinds(&["--exclude", "namespace=.+"]),
        ["CustomResourceDefinition", "CustomResourceDefinition"]
    );
    // Label selectors keep their commas; the YAML form is a patch target.
    assert_eq!(
        kinds(&[
            "--select",
            "labelSelector=app in (kserve,katib),part-of=kubeflow-like"
        ]),
        ["CustomResourceDefinition", "Deployment"]
    );
    assert_eq!(
        kinds(&["--select", "{kind: ConfigMap, namespace: istio-system}"]),
        ["ConfigMap"]
    );
    assert_eq!(
        kinds(&["--select", "kind=NoSuchKind"]),
        Vec::<String>::new()
    );
}

#[test]
fn check_and_update_golden() {
    let golden = example().join("expected.yaml");
    let ok = kbuild(&["--check", golden.to_str().unwrap_or_default()]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(ok.stdout.is_empty());

    let dir = scratch("golden");
    let stale = dir.join("stale.yaml");
    let edited = expected()
        .replace(
            "kserve/kserve-controller:v0.15.1",
            "kserve/kserve-controller:v0.15.0",
        )
        .replace("schedule: 0 * * * *", "schedule: 30 * * * *");
    std::fs::write(&stale, &edited).expect("write golden");
    let out = kbuild(&["--check", stale.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("@@")).collect();
    assert_eq!(headers.len(), 2, "{diff}");
    assert!(
        headers[0].ends_with(" @@ Deployment kubeflow/kserve-controller-manager"),
        "{diff}"
    );
    assert!(
        headers[1].ends_with(" @@ CronJob kubeflow/cache-cleanup"),
        "{diff}"
    );
    assert!(
        diff.contains("\n-  schedule: 30 * * * *\n+  schedule: 0 * * * *\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-      - image: kserve/kserve-controller:v0.15.0\n+      - image: kserve/kserve-controller:v0.15.1\n"), "{diff}");

    // --update writes the build; the check then passes. The golden can hold a filtered build.
    let up = kbuild(&[
        "--update",
        stale.to_str().unwrap_or_default(),
        "--select",
        "kind=CustomResourceDefinition",
    ]);
    assert!(up.status.success());
    assert!(up.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&stale).expect("updated"),
        stdout(&["--select", "kind=CustomResourceDefinition"])
    );
    let again = kbuild(&[
        "--check",
        stale.to_str().unwrap_or_default(),
        "--select",
        "kind=CustomResourceDefinition",
    ]);
    assert_eq!(again.status.code(), Some(0));

    // A missing golden file is an error, not a pass.
    let missing = kbuild(&[
        "--check",
        dir.join("none.yaml").to_str().unwrap_or_default(),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("reading golden file"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_flags_are_refused() {
    for args in [
        &["--image-mirror", "gcr.io"][..],
        &["--image-mirror", "gcr.io=bad:tag:x/y"],
        &["--select", "colour=blue"],
        &["--exclude", "kind=("],
        &["--digest-to-tag", "not a tag"],
        &["--format", "json"],
        &["--list-images", "--check", "x.yaml"],
    ] {
        let out = kbuild(args);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(out.stdout.is_empty(), "{args:?} printed output");
        assert!(!out.stderr.is_empty(), "{args:?} said nothing");
    }
}
