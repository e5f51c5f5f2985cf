//! The same input gives the same bytes every run, whatever the parallelism.
//!
//! `testdata/determinism/many-bases` has 32 bases of two bases each (96 kustomizations, 256
//! resources with hashed generator names): kbuild builds the entries of each `resources:` list
//! in parallel, and prints resources in parallel chunks. Its `expected.yaml` is kustomize's
//! output.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/determinism/many-bases")
}

fn build(threads: usize) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_kbuild"))
        .arg(fixture())
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("kbuild runs");
    assert!(
        out.status.success(),
        "kbuild failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn twenty_builds_give_the_same_bytes() {
    let expected = std::fs::read(fixture().join("expected.yaml")).expect("fixture");
    // Thread counts from one to more than there are cores, so work is split differently.
    let threads = [1, 2, 3, 4, 8, 16, 32];
    for run in 0..20 {
        let n = threads[run % threads.len()];
        let out = build(n);
        assert!(
            out == expected,
            "run {run} with {n} threads differs from kustomize's output"
        );
    }
}

#[test]
fn library_builds_agree_across_thread_pools() {
    use kustomize_core::fs::DiskFs;
    use kustomize_core::{BuildOptions, Kustomizer};
    let expected = std::fs::read(fixture().join("expected.yaml")).expect("fixture");
    for threads in [1, 3, 7] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        for _ in 0..3 {
            let out = pool.install(|| {
                Kustomizer::new(BuildOptions::default())
                    .build(&DiskFs, fixture())
                    .and_then(|b| b.to_yaml())
                    .expect("builds")
            });
            assert!(out == expected, "{threads} threads: output differs");
        }
    }
}
