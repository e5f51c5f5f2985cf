//! A whole build in memory: the input is cut at NUL bytes into `kustomization.yaml`, then
//! `a.yaml`, `b.yaml`, `patch.yaml` and `base/kustomization.yaml` (missing parts are absent),
//! so every stage sees fuzzed resources, patches and fields.
#![no_main]

use kustomize_core::fs::MemoryFs;
use kustomize_core::{BuildOptions, Kustomizer};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 5] = [
    "/app/kustomization.yaml",
    "/app/a.yaml",
    "/app/b.yaml",
    "/app/patch.yaml",
    "/app/base/kustomization.yaml",
];

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let mut fs = MemoryFs::new();
        for (path, content) in FILES.iter().zip(data.split(|&b| b == 0)) {
            fs.add_file(path, content);
        }
        fs.add_file(
            "/app/base/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  k: v\n",
        );
        if let Ok(build) = Kustomizer::new(BuildOptions::default()).build(&fs, "/app") {
            let _ = build.to_yaml();
        }
    });
});
