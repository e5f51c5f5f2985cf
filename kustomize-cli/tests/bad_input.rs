//! Runs `kbuild` as a user does on every case of `testdata/bad-input`: malformed, hostile or
//! escaping input, each with kustomize's decision recorded next to it (`expected.yaml` when
//! kustomize builds it, `expected.err` when it fails; an `args` file adds flags).
//!
//! For every case kbuild must decide as kustomize did: the same bytes on stdout, or exit code 1
//! with nothing on stdout. Nothing it prints may be a panic report. What it prints on stderr is
//! kept as a snapshot (`snapshots/`), with the path of `testdata` replaced by `<testdata>`, so a
//! change of wording shows up in review: messages should name the file and what is wrong.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// The case directories, sorted: those with a recorded decision.
fn cases() -> Vec<PathBuf> {
    let root = testdata().join("bad-input");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/bad-input exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.yaml").is_file() || p.join("expected.err").is_file())
        .collect();
    cases.sort();
    cases
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn kbuild(dir: &Path) -> Output {
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    Command::new(env!("CARGO_BIN_EXE_kbuild"))
        .args(args.split_whitespace())
        .arg(dir)
        .output()
        .expect("kbuild runs")
}

/// Every case run once (the tests below share the runs).
fn runs() -> &'static [(PathBuf, Output)] {
    static RUNS: OnceLock<Vec<(PathBuf, Output)>> = OnceLock::new();
    RUNS.get_or_init(|| {
        cases()
            .into_iter()
            .map(|dir| {
                let out = kbuild(&dir);
                (dir, out)
            })
            .collect()
    })
}

/// stderr with the machine's paths replaced, so snapshots hold everywhere.
fn redacted(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).into_owned();
    let real = std::fs::canonicalize(testdata()).expect("testdata resolves");
    let text = text.replace(&real.display().to_string(), "<testdata>");
    text.replace(&testdata().display().to_string(), "<testdata>")
}

#[test]
fn there_are_enough_cases() {
    let n = cases().len();
    assert!(n >= 80, "only {n} bad-input cases");
}

#[test]
fn decisions_match_kustomize_and_nothing_panics() {
    let mut failures = Vec::new();
    for (dir, out) in runs() {
        let case = name(dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("panicked") || String::from_utf8_lossy(&out.stdout).contains("panicked")
        {
            failures.push(format!("{case}: panic report in the output: {stderr}"));
        }
        match std::fs::read(dir.join("expected.yaml")) {
            Ok(want) => {
                if !out.status.success() {
                    failures.push(format!(
                        "{case}: kustomize builds it, kbuild failed: {stderr}"
                    ));
                } else if out.stdout != want {
                    failures.push(format!("{case}: output differs from kustomize's"));
                }
            }
            Err(_) => {
                if out.status.code() != Some(1) {
                    failures.push(format!(
                        "{case}: kustomize fails here; kbuild exited with {:?}",
                        out.status.code()
                    ));
                }
                if !out.stdout.is_empty() {
                    failures.push(format!("{case}: kbuild failed but printed to stdout"));
                }
                if stderr.trim().is_empty() {
                    failures.push(format!("{case}: kbuild failed without a message"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn messages_are_kept_as_snapshots() {
    for (dir, out) in runs() {
        insta::assert_snapshot!(name(dir), redacted(&out.stderr));
    }
}
