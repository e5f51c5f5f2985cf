//! A small installer built on `kustomize-core`.
//!
//! It writes an overlay in memory on top of a base directory on disk (adding an annotation and
//! pinning an image), builds it, moves every image to a private registry, and writes what an
//! air-gapped install needs:
//! * `images-to-copy.txt`: `SOURCE DESTINATION` per image, for a registry copy tool;
//! * `1-crds.yaml`, then `2-resources.yaml`: apply them in that order, so custom resources never
//!   arrive before their definitions.
//!
//! ```sh
//! cargo run -p kustomize-core --example installer -- [BASE_DIR] [OUT_DIR] [REGISTRY]
//! ```
//!
//! Defaults: the `testdata/extras/kubeflow-like/example` tree, a directory under the system's
//! temporary directory, and `mirror.local:5000`.

use kustomize_core::extras::{
    parse_selector, ImageMirror, ImageRewriter, ImageSource, ResourceFilter,
};
use kustomize_core::fs::{DiskFs, OverlayFs};
use kustomize_core::{BuildOptions, Kustomizer};
use std::collections::BTreeSet;
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let base = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/extras/kubeflow-like/example")
    });
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("kbuild-installer"));
    let registry = args
        .next()
        .unwrap_or_else(|| "mirror.local:5000".to_owned());

    // The overlay exists only in memory, next to the base on disk (real paths, so the load
    // restrictor sees one tree).
    let base = std::fs::canonicalize(&base)?;
    let overlay = base.with_file_name("installer-overlay");
    let mut fs = OverlayFs::new(DiskFs);
    fs.add_file(
        overlay.join("kustomization.yaml"),
        format!(
            "resources:\n- ../{}\ncommonAnnotations:\n  installed-by: kbuild-installer\nimages:\n- name: busybox\n  newTag: \"1.37\"\n",
            base.file_name().and_then(|n| n.to_str()).unwrap_or(".")
        ),
    );
    let kustomizer = Kustomizer::new(BuildOptions::default());
    let mut build = kustomizer.build(&fs, &overlay)?;

    // One mirror rule per registry the build pulls from: REGISTRY/<registry>/<path> (a port
    // cannot appear in a path, so `host:5000` becomes `host-5000`).
    let registries: BTreeSet<String> = build.images().images().map(registry_of).collect();
    let rewriter = registries
        .iter()
        .try_fold(ImageRewriter::new(), |r, host| {
            let to = format!("{registry}/{}", host.replace(':', "-"));
            ImageMirror::new(host, &to).map(|m| r.mirror(m))
        })?;
    // Bare names in Helm-style values (`"image": "proxyv2"`) are completed from their `hub` by
    // the program that reads them; the hub is mirrored instead, so they are not copied alone.
    let inventory = build.images();
    let copies: Vec<String> = inventory
        .iter()
        .filter(|(_, uses)| {
            uses.iter()
                .any(|u| u.source != ImageSource::HubRelativeText)
        })
        .filter_map(|(image, _)| rewriter.rewrite(image).map(|to| format!("{image} {to}\n")))
        .collect();
    build.rewrite_images(&rewriter);

    let crds = parse_selector("kind=CustomResourceDefinition")?;
    let mut first = build.clone();
    first.retain(&ResourceFilter::new().select(&crds)?);
    build.retain(&ResourceFilter::new().exclude(&crds)?);

    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("images-to-copy.txt"), copies.concat())?;
    std::fs::write(out.join("1-crds.yaml"), first.to_yaml()?)?;
    std::fs::write(out.join("2-resources.yaml"), build.to_yaml()?)?;
    println!(
        "{} images to copy, {} CRDs, {} other resources, written to {}",
        copies.len(),
        first.resources().len(),
        build.resources().len(),
        out.display()
    );
    println!(
        "kubectl apply -f {0}/1-crds.yaml && kubectl wait --for condition=established crd --all && kubectl apply -f {0}/2-resources.yaml",
        out.display()
    );
    Ok(())
}

/// The registry an image is pulled from: its first path component when that names a host, else
/// Docker Hub.
fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first.to_owned(),
        _ => "docker.io".to_owned(),
    }
}
