//! Golden files: comparing a build with a file that holds its expected output, and a unified
//! diff that says which resource each change belongs to.
//!
//! Both texts are cut into documents at `---` lines. Documents are paired by the resource they
//! describe (kind, namespace, name), and each pair is compared line by line, so every hunk lies
//! within one resource and its header names it: `@@ -12,7 +12,7 @@ Deployment kubeflow/api`.
//! A resource only one side has is one hunk of removed or added lines.

use crate::build::Build;
use crate::error::{Error, ErrorKind, Result};
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// How long the line matching may take before it settles for a correct but longer diff.
const DIFF_TIME: Duration = Duration::from_secs(5);

/// The outcome of comparing a build with a golden file.
///
/// ```
/// use kustomize_core::extras::GoldenCheck;
///
/// fn report(check: GoldenCheck) -> i32 {
///     match check {
///         GoldenCheck::Matches => 0,
///         GoldenCheck::Differs(diff) => {
///             print!("{diff}");
///             1
///         }
///     }
/// }
/// assert_eq!(report(GoldenCheck::Matches), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoldenCheck {
    /// The build prints exactly the golden file's bytes.
    Matches,
    /// The build differs; the unified diff turns the golden file into the build's output.
    Differs(String),
}

impl GoldenCheck {
    /// Whether the build matched.
    ///
    /// ```
    /// # use kustomize_core::extras::GoldenCheck;
    /// assert!(GoldenCheck::Matches.matches());
    /// assert!(!GoldenCheck::Differs(String::new()).matches());
    /// ```
    pub fn matches(&self) -> bool {
        matches!(self, GoldenCheck::Matches)
    }
}

/// A unified diff from `expected` to `actual`, or `None` when they are byte-identical. Labels
/// name the two sides in the `---`/`+++` header lines; each hunk header names the resource
/// (kind, namespace/name) its lines belong to.
///
/// ```
/// use kustomize_core::extras::unified_diff;
///
/// let old = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\ndata:\n  k: v1\n";
/// let new = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\ndata:\n  k: v2\n";
/// assert_eq!(
///     unified_diff(old.as_bytes(), new.as_bytes(), "golden.yaml", "build").unwrap(),
///     "--- golden.yaml\n+++ build\n@@ -4,4 +4,4 @@ ConfigMap ns/a\n   name: a\n   namespace: ns\n data:\n-  k: v1\n+  k: v2\n"
/// );
/// assert_eq!(unified_diff(b"same", b"same", "a", "b"), None);
/// ```
pub fn unified_diff(
    expected: &[u8],
    actual: &[u8],
    expected_label: &str,
    actual_label: &str,
) -> Option<String> {
    if expected == actual {
        return None;
    }
    let old: Vec<&[u8]> = expected.split_inclusive(|&b| b == b'\n').collect();
    let new: Vec<&[u8]> = actual.split_inclusive(|&b| b == b'\n').collect();
    let old_docs = documents(&old);
    let new_docs = documents(&new);
    let deadline = Some(Instant::now() + DIFF_TIME);
    let mut out = format!("--- {expected_label}\n+++ {actual_label}\n");
    let old_keys: Vec<&str> = old_docs.iter().map(|d| d.label.as_str()).collect();
    let new_keys: Vec<&str> = new_docs.iter().map(|d| d.label.as_str()).collect();
    // The position just past the last line emitted, for whole-document hunks.
    let start_of = |docs: &[Doc], i: usize, total: usize| docs.get(i).map_or(total, |d| d.start);
    for op in capture_diff_slices_deadline(Algorithm::Patience, &old_keys, &new_keys, deadline) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let (o, n) = (&old_docs[old_index + k], &new_docs[new_index + k]);
                    diff_pair(&mut out, &old, &new, o, n, deadline);
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                let at_new = start_of(&new_docs, new_index, new.len());
                for d in &old_docs[old_index..old_index + old_len] {
                    whole(&mut out, &old, d, at_new, '-');
                }
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                let at_old = start_of(&old_docs, old_index, old.len());
                for d in &new_docs[new_index..new_index + new_len] {
                    whole(&mut out, &new, d, at_old, '+');
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let at_new = start_of(&new_docs, new_index, new.len());
                for d in &old_docs[old_index..old_index + old_len] {
                    whole(&mut out, &old, d, at_new, '-');
                }
                let at_old = old_docs
                    .get(old_index + old_len)
                    .map_or(old.len(), |d| d.start);
                for d in &new_docs[new_index..new_index + new_len] {
                    whole(&mut out, &new, d, at_old, '+');
                }
            }
        }
    }
    Some(out)
}

/// One document: its lines `start..end` (a leading `---` line included) and the resource it
/// describes.
#[derive(Debug)]
struct Doc {
    start: usize,
    end: usize,
    label: String,
}

fn is_separator(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line == b"---"
}

fn documents(lines: &[&[u8]]) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || is_separator(lines[i]) {
            if i > start {
                let label = label(&lines[start..i], docs.len() + 1);
                docs.push(Doc {
                    start,
                    end: i,
                    label,
                });
            }
            start = i;
        }
    }
    docs
}

/// A top-level or `metadata` value, unquoted.
fn value(line: &str, key: &str) -> Option<String> {
    let v = line.strip_prefix(key)?.strip_prefix(':')?.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    Some(v.to_owned())
}

/// `Kind namespace/name` (or `Kind name`) of a printed resource, read from its top-level `kind`
/// and its `metadata`'s `name` and `namespace`; `document N` if it has none.
fn label(lines: &[&[u8]], n: usize) -> String {
    let (mut kind, mut name, mut namespace) = (None, None, None);
    let mut in_metadata = false;
    for raw in lines {
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end();
        if !line.starts_with([' ', '\t']) {
            in_metadata = line == "metadata:";
            if let Some(k) = value(line, "kind") {
                kind = Some(k);
            }
        } else if in_metadata {
            if let Some(rest) = line.strip_prefix("  ").filter(|r| !r.starts_with(' ')) {
                if let Some(v) = value(rest, "name") {
                    name = Some(v);
                } else if let Some(v) = value(rest, "namespace") {
                    namespace = Some(v);
                }
            }
        }
    }
    match (kind, name, namespace) {
        (Some(k), Some(name), Some(ns)) if !ns.is_empty() => format!("{k} {ns}/{name}"),
        (Some(k), Some(name), _) => format!("{k} {name}"),
        _ => format!("document {n}"),
    }
}

/// One line of a diff: its mark and where it is.
#[derive(Clone, Copy)]
struct Item {
    mark: char,
    /// Old lines before this one.
    old: usize,
    /// New lines before this one.
    new: usize,
}

fn push_line(out: &mut String, mark: char, line: &[u8]) {
    out.push(mark);
    out.push_str(&String::from_utf8_lossy(line));
    if !line.ends_with(b"\n") {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// `start,count` as unified diffs write it (`start` alone for one line; the preceding line for
/// none).
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{count}", start + 1),
    }
}

/// A hunk adding or removing a whole document; `at` is the position on the other side.
fn whole(out: &mut String, lines: &[&[u8]], d: &Doc, at: usize, mark: char) {
    let count = d.end - d.start;
    let (old, new) = if mark == '-' {
        (range(d.start, count), range(at, 0))
    } else {
        (range(at, 0), range(d.start, count))
    };
    let _ = writeln!(out, "@@ -{old} +{new} @@ {}", d.label);
    for line in &lines[d.start..d.end] {
        push_line(out, mark, line);
    }
}

/// Hunks for one pair of documents describing the same resource.
fn diff_pair(
    out: &mut String,
    old: &[&[u8]],
    new: &[&[u8]],
    o: &Doc,
    n: &Doc,
    deadline: Option<Instant>,
) {
    let (a, b) = (&old[o.start..o.end], &new[n.start..n.end]);
    if a == b {
        return;
    }
    let mut items = Vec::with_capacity(a.len().max(b.len()));
    let (mut oi, mut ni) = (o.start, n.start);
    for op in capture_diff_slices_deadline(Algorithm::Myers, a, b, deadline) {
        let (_, old_range, new_range) = op.as_tag_tuple();
        if matches!(op, DiffOp::Equal { .. }) {
            for _ in old_range {
                items.push(Item {
                    mark: ' ',
                    old: oi,
                    new: ni,
                });
                oi += 1;
                ni += 1;
            }
            continue;
        }
        for _ in old_range {
            items.push(Item {
                mark: '-',
                old: oi,
                new: ni,
            });
            oi += 1;
        }
        for _ in new_range {
            items.push(Item {
                mark: '+',
                old: oi,
                new: ni,
            });
            ni += 1;
        }
    }
    let changes: Vec<usize> = (0..items.len()).filter(|&i| items[i].mark != ' ').collect();
    let mut c = 0;
    while c < changes.len() {
        let first = changes[c];
        let mut last = first;
        c += 1;
        // Changes closer than twice the context share a hunk.
        while c < changes.len() && changes[c] - last <= 2 * CONTEXT + 1 {
            last = changes[c];
            c += 1;
        }
        let lo = first.saturating_sub(CONTEXT);
        let hi = (last + 1 + CONTEXT).min(items.len());
        let hunk = &items[lo..hi];
        let old_count = hunk.iter().filter(|i| i.mark != '+').count();
        let new_count = hunk.iter().filter(|i| i.mark != '-').count();
        let _ = writeln!(
            out,
            "@@ -{} +{} @@ {}",
            range(hunk[0].old, old_count),
            range(hunk[0].new, new_count),
            n.label
        );
        for item in hunk {
            let line = match item.mark {
                '+' => new[item.new],
                _ => old[item.old],
            };
            push_line(out, item.mark, line);
        }
    }
}

impl Build {
    /// Compares the build's output with the golden file at `path`.
    ///
    /// ```
    /// use kustomize_core::extras::GoldenCheck;
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [ns.yaml]\n")
    ///   .add_file("/app/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n");
    /// let build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    ///
    /// let golden = std::env::temp_dir().join(format!("kbuild-doc-golden-{}.yaml", std::process::id()));
    /// std::fs::write(&golden, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n").unwrap();
    /// match build.check_golden(&golden).unwrap() {
    ///     // Another name is another resource: one goes, the other comes.
    ///     GoldenCheck::Differs(diff) => assert!(diff.ends_with(
    ///         "@@ -1,4 +0,0 @@ Namespace staging\n-apiVersion: v1\n-kind: Namespace\n-metadata:\n-  name: staging\n\
    ///          @@ -4,0 +1,4 @@ Namespace prod\n+apiVersion: v1\n+kind: Namespace\n+metadata:\n+  name: prod\n"
    ///     )),
    ///     GoldenCheck::Matches => unreachable!(),
    /// }
    /// assert!(build.update_golden(&golden).unwrap());
    /// assert!(build.check_golden(&golden).unwrap().matches());
    /// # std::fs::remove_file(&golden).unwrap();
    /// ```
    pub fn check_golden(&self, path: impl AsRef<Path>) -> Result<GoldenCheck> {
        let path = path.as_ref();
        let expected = std::fs::read(path).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("reading golden file {}: {e}", path.display()),
            )
        })?;
        let actual = self.to_yaml()?;
        let label = path.display().to_string();
        Ok(
            match unified_diff(&expected, &actual, &label, &format!("{label} (build)")) {
                None => GoldenCheck::Matches,
                Some(diff) => GoldenCheck::Differs(diff),
            },
        )
    }

    /// Writes the build's output to the golden file at `path` (creating it); returns whether the
    /// file changed. An unchanged file is not rewritten.
    ///
    /// ```
    /// use kustomize_core::{fs::MemoryFs, BuildOptions, Kustomizer};
    ///
    /// let mut fs = MemoryFs::new();
    /// fs.add_file("/app/kustomization.yaml", "resources: [ns.yaml]\n")
    ///   .add_file("/app/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n");
    /// let build = Kustomizer::new(BuildOptions::default()).build(&fs, "/app").unwrap();
    /// let golden = std::env::temp_dir().join(format!("kbuild-doc-update-{}.yaml", std::process::id()));
    /// # let _ = std::fs::remove_file(&golden);
    /// assert!(build.update_golden(&golden).unwrap());
    /// assert!(!build.update_golden(&golden).unwrap());
    /// assert_eq!(std::fs::read(&golden).unwrap(), build.to_yaml().unwrap());
    /// # std::fs::remove_file(&golden).unwrap();
    /// ```
    pub fn update_golden(&self, path: impl AsRef<Path>) -> Result<bool> {
        let path = path.as_ref();
        let actual = self.to_yaml()?;
        if std::fs::read(path).is_ok_and(|old| old == actual) {
            return Ok(false);
        }
        std::fs::write(path, &actual).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("writing golden file {}: {e}", path.display()),
            )
        })?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n";
    const B: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    name: not-this\n  name: b\n  namespace: \"n\"\nspec:\n  replicas: 1\n  x1: 1\n  x2: 2\n  x3: 3\n  x4: 4\n  x5: 5\n  x6: 6\n  x7: 7\n  x8: 8\n  x9: 9\n  y: 0\n";

    fn join(docs: &[&str]) -> String {
        docs.join("---\n")
    }

    #[test]
    fn labels_come_from_kind_and_metadata() {
        let lines: Vec<&[u8]> = B.as_bytes().split_inclusive(|&b| b == b'\n').collect();
        assert_eq!(label(&lines, 1), "Deployment n/b");
        let lines: Vec<&[u8]> = vec![b"a: b\n"];
        assert_eq!(label(&lines, 7), "document 7");
    }

    #[test]
    fn distant_changes_get_separate_hunks_named_by_resource() {
        let old = join(&[A, B]);
        let new = join(&[
            A,
            &B.replace("replicas: 1", "replicas: 2")
                .replace("y: 0", "y: 1"),
        ]);
        let diff = unified_diff(old.as_bytes(), new.as_bytes(), "g", "b").unwrap();
        assert_eq!(
            diff,
            "--- g\n+++ b\n@@ -11,7 +11,7 @@ Deployment n/b\n   name: b\n   namespace: \"n\"\n spec:\n-  replicas: 1\n+  replicas: 2\n   x1: 1\n   x2: 2\n   x3: 3\n@@ -21,4 +21,4 @@ Deployment n/b\n   x7: 7\n   x8: 8\n   x9: 9\n-  y: 0\n+  y: 1\n"
        );
    }

    #[test]
    fn added_and_removed_resources_are_whole_hunks() {
        let c = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
        let old = join(&[A, c]);
        let new = join(&[A, B]);
        let diff = unified_diff(old.as_bytes(), new.as_bytes(), "g", "b").unwrap();
        let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("@@")).collect();
        assert_eq!(
            headers,
            [
                "@@ -5,5 +4,0 @@ ConfigMap c",
                "@@ -9,0 +5,20 @@ Deployment n/b"
            ]
        );
        // Applying the hunks to the old text gives the new one.
        assert_eq!(apply(&old, &diff), new);
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let diff = unified_diff(A.as_bytes(), A.trim_end().as_bytes(), "g", "b").unwrap();
        assert!(diff.ends_with("-  name: a\n+  name: a\n\\ No newline at end of file\n"));
    }

    /// A minimal patch applier for the tests: enough for the diffs these tests make.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut pos = 0;
        let mut lines = diff.split_inclusive('\n').skip(2).peekable();
        while let Some(header) = lines.next() {
            let old_range = header
                .strip_prefix("@@ -")
                .and_then(|h| h.split(' ').next())
                .unwrap();
            let (start, count) = match old_range.split_once(',') {
                Some((s, c)) => (s.parse::<usize>().unwrap(), c.parse::<usize>().unwrap()),
                None => (old_range.parse::<usize>().unwrap(), 1),
            };
            let begin = if count == 0 { start } else { start - 1 };
            out.extend(old[pos..begin].iter().copied());
            pos = begin;
            while let Some(line) = lines.next_if(|l| !l.starts_with("@@")) {
                match line.chars().next() {
                    Some(' ') => {
                        out.push_str(&line[1..]);
                        pos += 1;
                    }
                    Some('-') => pos += 1,
                    Some('+') => out.push_str(&line[1..]),
                    _ => {}
                }
            }
        }
        out.extend(old[pos..].iter().copied());
        out
    }
}
