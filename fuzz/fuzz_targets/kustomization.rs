//! The kustomization file parser: any bytes give a kustomization or an error.
#![no_main]

use kustomize_core::load::kustomization::Kustomization;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let _ = Kustomization::parse(data, "/fuzz");
    });
});
