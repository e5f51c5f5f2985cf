//! A bug in kbuild (a panic, on the build thread or on a worker) still ends as one line on
//! stderr and exit code 1: no panic report, no backtrace (even with RUST_BACKTRACE set), nothing
//! on stdout. kbuild panics on request (`KBUILD_DEBUG_PANIC`) for this test, in release builds
//! too, so the binary that ships is the one checked.

use std::path::Path;
use std::process::Command;

#[test]
fn a_panic_is_reported_in_one_line() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/demo/overlay");
    for place in ["build", "worker"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kbuild"))
            .arg(&demo)
            .env("KBUILD_DEBUG_PANIC", place)
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("kbuild runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{place}: {stderr}");
        assert!(out.stdout.is_empty(), "{place}: printed output");
        assert_eq!(stderr.lines().count(), 1, "{place}: {stderr}");
        assert!(
            stderr.starts_with("Error: internal error in kbuild at ")
                && stderr.contains("debug panic requested"),
            "{place}: {stderr}"
        );
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
    }
}
