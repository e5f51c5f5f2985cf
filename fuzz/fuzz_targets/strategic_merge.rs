//! Strategic merge: a target and a patch (separated by a NUL byte), merged with the builtin
//! schema under every combination of options, then printed.
#![no_main]

use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, parse_documents_unchecked, Schema};
use kustomize_core::openapi::Schema as OpenApi;
use kustomize_core::transform::patch::strategic::{apply_to_resource, merge, PatchOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let Some(split) = data.iter().position(|&b| b == 0) else {
            return;
        };
        let (target, patch) = (&data[..split], &data[split + 1..]);
        let (Ok(targets), Ok(patches)) = (
            parse_documents(target, Schema::Core),
            parse_documents_unchecked(patch),
        ) else {
            return;
        };
        let schema = OpenApi::builtin();
        for t in targets.iter().take(2) {
            for p in patches.iter().take(2) {
                let mut merged = t.clone();
                if merge(&mut merged, p, schema).is_ok() {
                    let _ = write_resource(&mut Vec::new(), &merged);
                }
                for bits in 0..8u8 {
                    let options = PatchOptions {
                        allow_name_change: bits & 1 != 0,
                        allow_kind_change: bits & 2 != 0,
                        retarget: bits & 4 != 0,
                    };
                    let mut merged = t.clone();
                    if apply_to_resource(&mut merged, p, schema, options).is_ok() {
                        let _ = write_resource(&mut Vec::new(), &merged);
                    }
                }
            }
        }
    });
});
