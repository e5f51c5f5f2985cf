//! The on-disk cache of fetched repositories and files.
//!
//! Layout under the cache directory:
//!
//! ```text
//! git/<name>-<hash of clone URL>/url             the clone URL, for people
//! git/<name>-<hash>/trees/<commit>[-nosub]/       a checkout (without .git), never changed
//! git/<name>-<hash>/refs/<hash of ref>            "<commit> <tag|commit|moving>\n"
//! http/<hash of URL>.body, .meta                  a fetched file; when and for how long it is fresh
//! http/<hash of URL>.status                       the URL answered this non-2xx status
//! tmp/                                            fetches in progress
//! ```
//!
//! Every entry appears whole or not at all: a fetch works in `tmp/` and renames its result into
//! place, and a file is written to a temporary name and renamed over the old one. A checkout is
//! named by its commit and never rewritten, so a build reading it is never disturbed by another
//! build refreshing the same branch.

use super::git::RefKind;
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Temporary directories older than this are leftovers of killed builds.
const STALE_TMP: Duration = Duration::from_secs(24 * 3600);

/// A cache directory, created and resolved to its real path.
#[derive(Debug)]
pub(crate) struct Cache {
    root: PathBuf,
}

/// What the cache knows of a ref.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RefRecord {
    /// The commit checked out.
    pub commit: String,
    /// Whether it may move.
    pub kind: RefKind,
}

/// What the cache knows of a URL.
#[derive(Debug)]
pub(crate) enum UrlRecord {
    /// The file, and whether the server's freshness lifetime still covers it.
    File { body: Vec<u8>, fresh: bool },
    /// The URL answered a non-2xx status.
    Status(u16),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A short stable name for `key`.
fn digest(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes())[..16])
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Opens (creating it if needed) the cache at `dir`.
    pub(crate) fn open(dir: &Path) -> io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        let root = std::fs::canonicalize(dir)?;
        Ok(Cache { root })
    }

    /// The cache directory.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The directory of everything fetched from the repository at `clone_spec`.
    pub(crate) fn repo_dir(&self, clone_spec: &str) -> PathBuf {
        let name: String = clone_spec
            .trim_end_matches('/')
            .rsplit(['/', ':'])
            .next()
            .unwrap_or("")
            .trim_end_matches(".git")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .take(40)
            .collect();
        let name = name.trim_start_matches('.');
        let name = if name.is_empty() { "repo" } else { name };
        self.root
            .join("git")
            .join(format!("{name}-{}", digest(clone_spec)))
    }

    /// The checkout of `commit` in `repo_dir`.
    pub(crate) fn tree_dir(repo_dir: &Path, commit: &str, submodules: bool) -> PathBuf {
        let name = if submodules {
            commit.to_ascii_lowercase()
        } else {
            format!("{}-nosub", commit.to_ascii_lowercase())
        };
        repo_dir.join("trees").join(name)
    }

    fn ref_file(repo_dir: &Path, reference: &str, submodules: bool) -> PathBuf {
        repo_dir
            .join("refs")
            .join(digest(&format!("{reference}\0{submodules}")))
    }

    /// What was last fetched for `reference`.
    pub(crate) fn read_ref(
        repo_dir: &Path,
        reference: &str,
        submodules: bool,
    ) -> Option<RefRecord> {
        let text = std::fs::read_to_string(Self::ref_file(repo_dir, reference, submodules)).ok()?;
        let (commit, kind) = text.trim_end().split_once(' ')?;
        Some(RefRecord {
            commit: commit.to_owned(),
            kind: RefKind::from_str(kind)?,
        })
    }

    /// Records what `reference` resolved to.
    pub(crate) fn write_ref(
        &self,
        repo_dir: &Path,
        reference: &str,
        submodules: bool,
        record: &RefRecord,
    ) -> io::Result<()> {
        let text = format!("{} {}\n", record.commit, record.kind.as_str());
        self.write_atomic(
            &Self::ref_file(repo_dir, reference, submodules),
            text.as_bytes(),
        )
    }

    /// A new empty directory for a fetch in progress, on the cache's file system so that its
    /// result can be renamed into place.
    pub(crate) fn temp_dir(&self) -> io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        if COUNTER.load(Ordering::Relaxed) == 0 {
            remove_stale(&tmp);
        }
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = tmp.join(format!("{}-{nanos:x}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path: Some(path) }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Moves a finished directory into place at `dest`. If another build got there first, its
    /// copy (of the same commit) stays and this one is dropped.
    pub(crate) fn publish(&self, mut from: TempDir, dest: &Path) -> io::Result<()> {
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let Some(src) = from.path.take() else {
            return Ok(());
        };
        match std::fs::rename(&src, dest) {
            Ok(()) => Ok(()),
            Err(_) if dest.is_dir() => {
                let _ = std::fs::remove_dir_all(&src);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&src);
                Err(e)
            }
        }
    }

    /// Writes `bytes` to `path` so readers see the old or the new content, never a mix.
    pub(crate) fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let tmp = self.temp_dir()?;
        let staged = tmp.path().join("file");
        std::fs::write(&staged, bytes)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&staged, path)
    }

    fn url_base(&self, url: &str) -> PathBuf {
        self.root.join("http").join(digest(url))
    }

    /// What the cache holds for `url`.
    pub(crate) fn read_url(&self, url: &str) -> Option<UrlRecord> {
        let base = self.url_base(url);
        if let Ok(body) = std::fs::read(base.with_extension("body")) {
            let meta = std::fs::read_to_string(base.with_extension("meta")).unwrap_or_default();
            let fresh_until = meta
                .split_whitespace()
                .next()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0);
            return Some(UrlRecord::File {
                body,
                fresh: now_secs() < fresh_until,
            });
        }
        let status = std::fs::read_to_string(base.with_extension("status")).ok()?;
        status.trim().parse().ok().map(UrlRecord::Status)
    }

    /// Stores a fetched file and how long it stays fresh.
    pub(crate) fn write_url_file(
        &self,
        url: &str,
        body: &[u8],
        fresh_for: Option<Duration>,
    ) -> io::Result<()> {
        let base = self.url_base(url);
        let until = fresh_for.map_or(0, |d| now_secs().saturating_add(d.as_secs()));
        // The body first: a reader that finds it with an old .meta only misjudges freshness.
        self.write_atomic(&base.with_extension("body"), body)?;
        self.write_atomic(
            &base.with_extension("meta"),
            format!("{until}\n").as_bytes(),
        )?;
        let _ = std::fs::remove_file(base.with_extension("status"));
        Ok(())
    }

    /// Records that `url` answered `status`.
    pub(crate) fn write_url_status(&self, url: &str, status: u16) -> io::Result<()> {
        let base = self.url_base(url);
        self.write_atomic(
            &base.with_extension("status"),
            format!("{status}\n").as_bytes(),
        )?;
        let _ = std::fs::remove_file(base.with_extension("body"));
        Ok(())
    }
}

/// Removes temporary directories that builds killed mid-fetch left behind.
fn remove_stale(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TMP);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A directory under the cache's `tmp/`, removed when dropped unless published.
#[derive(Debug)]
pub(crate) struct TempDir {
    path: Option<PathBuf>,
}

impl TempDir {
    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kbuild-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn refs_round_trip_and_failed_fetches_leave_nothing() {
        let dir = scratch("refs");
        let cache = Cache::open(&dir).unwrap();
        let repo = cache.repo_dir("https://github.com/org/repo.git");
        assert!(repo
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("repo-"));
        assert_eq!(Cache::read_ref(&repo, "v1", true), None);
        let record = RefRecord {
            commit: "ab".repeat(20),
            kind: RefKind::Tag,
        };
        cache.write_ref(&repo, "v1", true, &record).unwrap();
        assert_eq!(Cache::read_ref(&repo, "v1", true), Some(record));
        assert_eq!(Cache::read_ref(&repo, "v1", false), None);
        {
            let tmp = cache.temp_dir().unwrap();
            std::fs::write(tmp.path().join("half"), "x").unwrap();
        }
        let published = {
            let tmp = cache.temp_dir().unwrap();
            std::fs::write(tmp.path().join("whole"), "x").unwrap();
            let dest = Cache::tree_dir(&repo, &"cd".repeat(20), true);
            cache.publish(tmp, &dest).unwrap();
            dest
        };
        assert!(published.join("whole").is_file());
        let leftovers = std::fs::read_dir(cache.root().join("tmp")).unwrap().count();
        assert_eq!(leftovers, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn urls_remember_bodies_statuses_and_freshness() {
        let dir = scratch("urls");
        let cache = Cache::open(&dir).unwrap();
        assert!(cache.read_url("http://h/a").is_none());
        cache
            .write_url_file("http://h/a", b"x", Some(Duration::from_secs(600)))
            .unwrap();
        assert!(matches!(
            cache.read_url("http://h/a"),
            Some(UrlRecord::File { fresh: true, .. })
        ));
        cache.write_url_file("http://h/b", b"y", None).unwrap();
        assert!(matches!(
            cache.read_url("http://h/b"),
            Some(UrlRecord::File { fresh: false, .. })
        ));
        cache.write_url_status("http://h/b", 404).unwrap();
        assert!(matches!(
            cache.read_url("http://h/b"),
            Some(UrlRecord::Status(404))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
