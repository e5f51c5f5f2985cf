//! JSON 6902 patches: a resource and patch text (separated by a NUL byte); the patch is decoded
//! (as JSON or YAML) and applied both ways kustomize applies them, then the result printed.
#![no_main]

use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, Schema};
use kustomize_core::transform::patch::json6902::{apply_to_resource, classify_patch, JsonPatch};
use kustomize_core::{Node, Resource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let Some(split) = data.iter().position(|&b| b == 0) else {
            return;
        };
        let (resource, patch) = (&data[..split], &data[split + 1..]);
        let Ok(text) = std::str::from_utf8(patch) else {
            return;
        };
        let _ = classify_patch(text, "[patch: fuzz]");
        let Ok(patch) = JsonPatch::parse(text) else {
            return;
        };
        let Ok(docs) = parse_documents(resource, Schema::Core) else {
            return;
        };
        for doc in docs
            .into_iter()
            .filter(|d| matches!(d, Node::Map(_)))
            .take(2)
        {
            for strict in [false, true] {
                let mut r = Resource::new(doc.clone());
                if apply_to_resource(&mut r, &patch, strict).is_ok() {
                    let _ = write_resource(&mut Vec::new(), r.node());
                }
            }
        }
    });
});
