//! Inputs the fuzz targets (`fuzz/`) once failed on, replayed as their targets run them.
//!
//! `testdata/fuzz/json_patch/deep-value`: a resource and a JSON 6902 patch (split at a NUL byte)
//! whose value nests 9990 arrays, within `encoding/json`'s limit of 10000. The harness ran it on
//! the fuzzer's 8 MiB thread and overflowed that stack; the library recurses once per level, as
//! every stage does over documents up to 10000 deep, so builds run on a big stack. This checks
//! that 64 MiB (kbuild's smallest build stack) is enough and the patch applies and prints.

use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, Schema};
use kustomize_core::transform::patch::json6902::{apply_to_resource, JsonPatch};
use kustomize_core::Resource;
use std::path::Path;

/// kbuild's fallback stack for its build thread.
const SMALLEST_BUILD_STACK: usize = 64 << 20;

fn on_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(SMALLEST_BUILD_STACK)
        .spawn(f)
        .unwrap_or_else(|e| panic!("cannot spawn: {e}"));
    if let Err(e) = handle.join() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn json_patch_with_a_value_nested_9990_deep_applies_and_prints() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz/json_patch/deep-value");
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    on_stack(move || {
        let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        let (resource, patch) = (&data[..split], &data[split + 1..]);
        let text = std::str::from_utf8(patch).unwrap_or_else(|e| panic!("patch text: {e}"));
        let patch = JsonPatch::parse(text).unwrap_or_else(|e| panic!("patch refused: {e}"));
        let doc = match parse_documents(resource, Schema::Core) {
            Ok(mut d) if d.len() == 1 => d.remove(0),
            other => panic!("resource: {other:?}"),
        };
        for strict in [false, true] {
            let mut r = Resource::new(doc.clone());
            if let Err(e) = apply_to_resource(&mut r, &patch, strict) {
                panic!("strict {strict}: {e}");
            }
            // The value replaced spec.x: 9990 arrays, the innermost empty.
            let mut depth = 0;
            let mut at = r.node().get_path(&["spec", "x"]);
            while let Some(items) = at.and_then(|n| n.as_seq()) {
                depth += 1;
                at = items.first();
            }
            assert_eq!(depth, 9_990, "strict {strict}");
            // kustomize prints a resource this deep (the printer's limit is 10000 levels).
            let mut out = Vec::new();
            if let Err(e) = write_resource(&mut out, r.node()) {
                panic!("strict {strict}: not printed: {e}");
            }
            assert!(out.starts_with(b"apiVersion: v1\nkind: Deep\n"));
        }
    });
}
