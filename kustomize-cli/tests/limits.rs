//! Hostile input is refused quickly and in bounded memory, through the whole CLI: alias bombs
//! in a resource (also a small one in each of a hundred documents), a patch and a kustomization
//! file, and documents nested deeper than kustomize can print (directly, through aliases, in a
//! kustomization file, in a JSON patch).
//!
//! kustomize itself expands a bomb until memory runs out; kbuild stops expanding after a
//! budget of nodes and refuses the document. This file holds only these cases, so the peak
//! memory of this process's children is theirs.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CASES: &[&str] = &[
    "alias-bomb-resource",
    "alias-bomb-every-document",
    "alias-bomb-patch",
    "alias-bomb-kustomization",
    "deep-flow-nesting-refused",
    "deep-map-nesting-refused",
    "deep-alias-nesting-refused",
    "deep-kustomization-nesting",
    "json-patch-deep-value-refused",
];

/// An optimized kbuild refuses each case in well under a second; unoptimized code (`cargo
/// test` without `--release`) is several times slower.
fn time_limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(8)
    } else {
        Duration::from_secs(1)
    }
}

/// Peak resident memory of the largest child this process has waited for, in bytes.
fn children_max_rss() -> u64 {
    // SAFETY: getrusage fills the zeroed struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    // Linux reports kilobytes.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

#[test]
fn hostile_documents_are_refused_fast_in_bounded_memory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/bad-input");
    for case in CASES {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_kbuild"))
            .arg(root.join(case))
            .output()
            .expect("kbuild runs");
        let took = start.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: not refused: {stderr}");
        assert!(out.stdout.is_empty(), "{case}: printed output");
        assert!(
            stderr.contains("excessive aliasing") || stderr.contains("exceeded max depth"),
            "{case}: refused for another reason: {stderr}"
        );
        assert!(took < time_limit(), "{case}: took {took:?}");
        let rss = children_max_rss();
        assert!(rss < 256 << 20, "{case}: peak memory {} MiB", rss >> 20);
    }
}
