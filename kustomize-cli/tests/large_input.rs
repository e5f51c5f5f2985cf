//! Very large and very deep input, generated here rather than committed: a 7.9 MB file of
//! resources, and a resource nested 9992 levels deep (the deepest kustomize prints) merged with
//! an equally deep patch, whose output is 100 MB. kustomize's output for each was recorded once
//! (its length and SHA-256); kbuild must print the same bytes.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory holding `files`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, files: &[(&str, String)]) -> Scratch {
        let dir = std::env::temp_dir().join(format!("kbuild-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        for (file, content) in files {
            std::fs::write(dir.join(file), content).expect("scratch file");
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs kbuild on `dir`; its stdout's length and SHA-256.
fn build(dir: &Path) -> (usize, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kbuild"))
        .arg(dir)
        .output()
        .expect("kbuild runs");
    assert!(
        out.status.success(),
        "kbuild failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let digest = Sha256::digest(&out.stdout);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    (out.stdout.len(), hex)
}

#[test]
fn a_very_large_file_builds_as_kustomize_builds_it() {
    let mut big = String::with_capacity(8 << 20);
    for i in 0..1000u64 {
        let blob: String = (0..1300u64)
            .map(|j| format!("{:05} ", (i * 7919 + j) % 100_000))
            .collect();
        big.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:04}\n  labels:\n    shard: s{}\ndata:\n  index: \"{i}\"\n  blob: {blob}\n  yes: no\n",
            i % 16
        ));
    }
    assert_eq!(big.len(), 7_925_262);
    let kustomization =
        "namePrefix: big-\nlabels:\n- pairs:\n    size: large\nresources:\n- big.yaml\n";
    let dir = Scratch::new(
        "large",
        &[
            ("kustomization.yaml", kustomization.to_owned()),
            ("big.yaml", big),
        ],
    );
    assert_eq!(
        build(&dir.0),
        (
            8_344_258,
            "904c1b592be550fc5490641b98421329197644f3c2e8e047fa721afcb0556358".to_owned()
        )
    );
}

#[test]
fn the_deepest_printable_document_merges_and_prints() {
    let depth = 9990;
    let nest = |inner: &str| {
        format!(
            "apiVersion: v1\nkind: Deep\nmetadata:\n  name: deep\nspec:\n  x: {}{inner}{}\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        )
    };
    let dir = Scratch::new(
        "deep",
        &[
            (
                "kustomization.yaml",
                "resources:\n- deep.yaml\npatches:\n- path: patch.yaml\n".to_owned(),
            ),
            ("deep.yaml", nest("1")),
            ("patch.yaml", nest("1, b: 2")),
        ],
    );
    assert_eq!(
        build(&dir.0),
        (
            99_880_089,
            "d2379c59db13cf7dc483f0eb7d757dc664b3be1233ac773a4e2e3bf45b24f435".to_owned()
        )
    );
}
