//! Builds every fixture under `testdata/` and compares with the output kustomize v5.8 gave for it.
//!
//! A fixture is any directory holding `expected.yaml` (kustomize's output, byte for byte) or
//! `expected.err` (kustomize failed; its message is kept for reference). An optional `args` file
//! holds extra `kustomize build` flags (only `--load-restrictor none` is meaningful). Expected
//! files are made with `testdata/regen`, which runs the real kustomize.

use kustomize_core::fs::DiskFs;
use kustomize_core::{BuildOptions, Kustomizer, LoadRestrictor};
use std::path::{Path, PathBuf};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    if dir.join("expected.yaml").is_file() || dir.join("expected.err").is_file() {
        out.push(dir.to_owned());
    }
    for path in entries {
        if path.is_dir() {
            fixtures(&path, out);
        }
    }
}

fn options(dir: &Path) -> BuildOptions {
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut options = BuildOptions::default();
    let words: Vec<&str> = args.split_whitespace().collect();
    for pair in words.windows(2) {
        if pair[0] == "--load-restrictor" && pair[1].eq_ignore_ascii_case("none") {
            options.load_restrictor = LoadRestrictor::None;
        }
    }
    options
}

/// Some fixtures nest documents 10000 levels deep, and every stage walks them recursively
/// (more so in unoptimized builds): build on threads with stacks as large as kbuild's.
#[test]
fn every_fixture_matches_kustomize() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build_global();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(check_every_fixture)
        .expect("test thread starts")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

fn check_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    let mut cases = Vec::new();
    fixtures(&root, &mut cases);
    assert!(
        !cases.is_empty(),
        "no fixtures found under {}",
        root.display()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.strip_prefix(&root).unwrap_or(dir).display().to_string();
        let result = Kustomizer::new(options(dir))
            .build(&DiskFs, dir)
            .and_then(|b| b.to_yaml());
        let expected = std::fs::read(dir.join("expected.yaml")).ok();
        match (result, expected) {
            (Ok(out), Some(want)) if out == want => {}
            (Ok(out), Some(want)) => failures.push(format!(
                "{name}: output differs\n{}",
                first_difference(
                    &String::from_utf8_lossy(&want),
                    &String::from_utf8_lossy(&out)
                )
            )),
            (Err(_), None) => {}
            (Ok(_), None) => {
                failures.push(format!("{name}: kustomize fails here, kbuild succeeded"))
            }
            (Err(e), Some(_)) => failures.push(format!("{name}: kbuild failed: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ from kustomize:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<_>, Vec<_>) = (want.lines().collect(), got.lines().collect());
    let i = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let from = i.saturating_sub(2);
    let show =
        |lines: &[&str]| lines[from.min(lines.len())..(i + 3).min(lines.len())].join("\n    ");
    format!(
        "  at line {}:\n  kustomize:\n    {}\n  kbuild:\n    {}",
        i + 1,
        show(&w),
        show(&g)
    )
}
