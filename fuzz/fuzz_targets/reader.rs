//! The YAML reader, both schemas and the unchecked path: any bytes give documents or an error.
#![no_main]

use kustomize_core::load::yaml::{parse_documents, parse_documents_unchecked, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let _ = parse_documents(data, Schema::Core);
        let _ = parse_documents(data, Schema::Yaml11);
        let _ = parse_documents_unchecked(data);
    });
});
