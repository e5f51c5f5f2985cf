//! Read -> print -> read is stable: whatever the printer prints reads back, and printing what
//! was read back gives the same bytes.
#![no_main]

use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, Schema};
use kustomize_core::Node;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kbuild_fuzz::on_big_stack(|| {
        let Ok(docs) = parse_documents(data, Schema::Core) else {
            return;
        };
        for doc in docs.iter().filter(|d| matches!(d, Node::Map(_))) {
            let mut first = Vec::new();
            if write_resource(&mut first, doc).is_err() {
                continue;
            }
            let again = match parse_documents(&first, Schema::Core) {
                Ok(again) => again,
                Err(e) => panic!(
                    "printed output does not read back: {e}\n{}",
                    String::from_utf8_lossy(&first)
                ),
            };
            assert_eq!(again.len(), 1, "one document printed, {} read", again.len());
            let mut second = Vec::new();
            if let Err(e) = write_resource(&mut second, &again[0]) {
                panic!(
                    "printed output read back does not print: {e}\n{}",
                    String::from_utf8_lossy(&first)
                );
            }
            assert_eq!(
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second),
                "printing is not stable"
            );
        }
    });
});
