//! Whole builds of the generated Kubeflow-sized tree (see `kbuild_benches::tree`), through the
//! library as `kbuild` runs it: load, build, print to one buffer. Scale 10 is ten times the
//! resources and bytes of scale 1; comparing the two shows whether anything grows faster than
//! the input.

use divan::Bencher;
use kbuild_benches::{Tree, DEFAULT_SEED, ENTRY};
use kustomize_core::fs::DiskFs;
use kustomize_core::{BuildOptions, Kustomizer};
use std::path::PathBuf;
use std::sync::Mutex;

/// Trees written so far (scale, directory), removed when the run ends.
static TREES: Mutex<Vec<(usize, PathBuf)>> = Mutex::new(Vec::new());

fn main() {
    divan::main();
    let trees = std::mem::take(&mut *TREES.lock().unwrap_or_else(|e| e.into_inner()));
    for (_, dir) in trees {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The entry directory of the tree for `scale`, generated into a temporary directory on first
/// use (only the benchmarks selected on the command line pay for theirs).
fn entry(scale: usize) -> PathBuf {
    let mut trees = TREES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, dir)) = trees.iter().find(|(s, _)| *s == scale) {
        return dir.join(ENTRY);
    }
    let dir =
        std::env::temp_dir().join(format!("kbuild-bench-{}-scale{scale}", std::process::id()));
    let tree = Tree::generate(scale, DEFAULT_SEED);
    if let Err(e) = tree.write_to(&dir) {
        panic!("cannot write the benchmark tree to {}: {e}", dir.display());
    }
    trees.push((scale, dir.clone()));
    dir.join(ENTRY)
}

fn build(bencher: Bencher, scale: usize) {
    let dir = entry(scale);
    let kustomizer = Kustomizer::new(BuildOptions::default());
    bencher.bench(|| {
        let build = kustomizer
            .build(&DiskFs, &dir)
            .unwrap_or_else(|e| panic!("the generated tree must build: {e}"));
        build
            .to_yaml()
            .unwrap_or_else(|e| panic!("the generated tree must print: {e}"))
    });
}

/// About 600 resources and 11 MB of output, like Kubeflow's `example`.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn build_scale_1(bencher: Bencher) {
    build(bencher, 1);
}

/// Ten times scale 1: about 5,900 resources and 112 MB of output.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn build_scale_10(bencher: Bencher) {
    build(bencher, 10);
}
