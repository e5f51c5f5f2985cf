//! Remote bases and files: git repositories and HTTP(S) URLs in `resources` and `components`,
//! fetched as kustomize fetches them and kept in a cache.
//!
//! * A git repository is fetched with the system `git` (`init`, `remote add origin`,
//!   `fetch --depth=1 <url> <ref>`, `checkout FETCH_HEAD`, then submodules), so the user's git
//!   configuration applies. Checkouts are cached by repository and commit; a ref that is a tag or
//!   a full commit hash is reused without asking the remote, any other ref (a branch, or none:
//!   the remote's `HEAD`) is fetched again on every build unless the build is offline.
//! * A URL with an `http`/`https` scheme is first fetched as a file, as kustomize does; a non-2xx
//!   answer (or none) for a URL that also reads as a repository makes it a repository. Files are
//!   cached by URL and reused while the server's `Cache-Control: max-age` says they are fresh; a
//!   URL that never answered as a file and whose repository is cached at a tag or commit is taken
//!   as that repository without asking the server again.
//! * Offline ([`RemoteAccess::Offline`]), everything comes from the cache, and a miss is an error
//!   that says so.
//!
//! One [`Remote`] serves one build: within it, a repository at a ref is fetched once however many
//! bases use it, even when bases load in parallel.

mod cache;
mod git;
mod http;
pub mod spec;

use crate::error::{Error, ErrorKind, Result};
use cache::{Cache, RefRecord, UrlRecord};
pub use spec::{is_remote_file, RepoSpec};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The environment variable naming the cache directory (below [`RemoteOptions::cache_dir`],
/// above the platform's cache directory).
pub const CACHE_DIR_ENV: &str = "KBUILD_CACHE_DIR";

/// Whether a build may fetch remote bases and files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RemoteAccess {
    /// Fetch what the cache cannot serve (kustomize's behavior).
    #[default]
    Online,
    /// Serve remote bases and files from the cache only; a miss is an error.
    Offline,
    /// Refuse remote bases and files: the build reads its file system and nothing else.
    Disabled,
}

/// How a build treats remote bases and files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteOptions {
    /// Online, offline, or no remote loading at all.
    pub access: RemoteAccess,
    /// The cache directory; `None` means `$KBUILD_CACHE_DIR`, else `$XDG_CACHE_HOME/kbuild`,
    /// else `~/.cache/kbuild`.
    pub cache_dir: Option<PathBuf>,
    /// The git program (looked up on `PATH` unless it is a path).
    pub git: PathBuf,
    /// How long one HTTP request may take.
    pub http_timeout: Duration,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            access: RemoteAccess::Online,
            cache_dir: None,
            git: PathBuf::from("git"),
            http_timeout: Duration::from_secs(60),
        }
    }
}

impl RemoteOptions {
    /// The cache directory these options select (not created).
    pub fn resolved_cache_dir(&self) -> Result<PathBuf> {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let dir = if let Some(dir) = &self.cache_dir {
            dir.clone()
        } else if let Some(dir) = env(CACHE_DIR_ENV) {
            PathBuf::from(dir)
        } else if let Some(xdg) = env("XDG_CACHE_HOME").filter(|d| Path::new(d).is_absolute()) {
            Path::new(&xdg).join("kbuild")
        } else if let Some(home) = env("HOME") {
            Path::new(&home).join(".cache").join("kbuild")
        } else {
            return Err(remote_error(
                "no cache directory for remote bases: set --cache-dir, KBUILD_CACHE_DIR, XDG_CACHE_HOME or HOME",
            ));
        };
        if dir.is_absolute() {
            return Ok(dir);
        }
        let cwd = std::env::current_dir()
            .map_err(|e| remote_error(format!("cannot read the current directory: {e}")))?;
        Ok(cwd.join(dir))
    }
}

/// How many fetches a [`Remote`] made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemoteStats {
    /// Repositories fetched with git.
    pub git_fetches: usize,
    /// HTTP requests sent.
    pub http_requests: usize,
}

type Shared<T> = Arc<OnceLock<std::result::Result<T, Error>>>;

/// The remote loading of one build: its options, the cache, and what the build fetched so far.
#[derive(Debug)]
pub struct Remote {
    options: RemoteOptions,
    cache: OnceLock<std::result::Result<Cache, Error>>,
    repos: Mutex<HashMap<(String, String, bool), Shared<PathBuf>>>,
    urls: Mutex<HashMap<String, Shared<Arc<[u8]>>>>,
    git_fetches: AtomicUsize,
    http_requests: AtomicUsize,
    checkouts: AtomicU64,
    warnings: Mutex<Vec<String>>,
}

fn remote_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Remote, message)
}

/// What a build without remote access says about `what`.
pub(crate) fn disabled_error(what: &str) -> Error {
    remote_error(format!(
        "cannot load remote '{what}': remote bases and files are disabled for this build"
    ))
}

impl Remote {
    /// Remote loading for one build with `options`; `None` when they disable it.
    pub fn for_build(options: &RemoteOptions) -> Option<Arc<Remote>> {
        (options.access != RemoteAccess::Disabled).then(|| {
            Arc::new(Remote {
                options: options.clone(),
                cache: OnceLock::new(),
                repos: Mutex::default(),
                urls: Mutex::default(),
                git_fetches: AtomicUsize::new(0),
                http_requests: AtomicUsize::new(0),
                checkouts: AtomicU64::new(0),
                warnings: Mutex::default(),
            })
        })
    }

    /// The fetches made so far.
    pub fn stats(&self) -> RemoteStats {
        RemoteStats {
            git_fetches: self.git_fetches.load(Ordering::Relaxed),
            http_requests: self.http_requests.load(Ordering::Relaxed),
        }
    }

    /// Warnings for the user (kustomize's about the `git::` prefix), each once.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default()
    }

    fn warn(&self, warning: String) {
        if let Ok(mut w) = self.warnings.lock() {
            if !w.contains(&warning) {
                w.push(warning);
            }
        }
    }

    /// A new identity for a checkout opened as a base: kustomize clones each remote base into a
    /// fresh directory, so two bases from one repository never see each other as the same root.
    pub(crate) fn next_checkout_id(&self) -> u64 {
        self.checkouts.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn cache(&self) -> Result<&Cache> {
        self.cache
            .get_or_init(|| {
                let dir = self.options.resolved_cache_dir()?;
                Cache::open(&dir).map_err(|e| {
                    remote_error(format!(
                        "cannot use the cache directory '{}': {e}",
                        dir.display()
                    ))
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn offline(&self) -> bool {
        self.options.access == RemoteAccess::Offline
    }

    /// The checkout of `spec`'s repository at its ref (the whole repository; the caller picks
    /// the kustomization directory in it).
    pub fn checkout(&self, spec: &RepoSpec) -> Result<PathBuf> {
        if spec.raw.len() >= 5 && spec.raw[..5].eq_ignore_ascii_case("git::") {
            self.warn("Warning: Forcing the git protocol using the 'git::' URL prefix is not supported. Kustomize currently strips this invalid prefix, but will stop doing so in a future release. Please remove the 'git::' prefix from your configuration.".to_owned());
        }
        let key = (
            spec.clone_spec(),
            spec.fetch_ref().to_owned(),
            spec.submodules,
        );
        let slot = {
            let mut repos = self
                .repos
                .lock()
                .map_err(|_| remote_error("remote state poisoned"))?;
            repos.entry(key).or_default().clone()
        };
        slot.get_or_init(|| self.checkout_uncached(spec)).clone()
    }

    fn checkout_uncached(&self, spec: &RepoSpec) -> Result<PathBuf> {
        let cache = self.cache()?;
        let url = spec.clone_spec();
        let reference = spec.fetch_ref();
        let repo_dir = cache.repo_dir(&url);
        let record = Cache::read_ref(&repo_dir, reference, spec.submodules);
        let existing = |commit: &str| {
            let tree = Cache::tree_dir(&repo_dir, commit, spec.submodules);
            tree.is_dir().then_some(tree)
        };
        let by_record = record
            .as_ref()
            .filter(|r| self.offline() || r.kind.is_fixed())
            .and_then(|r| existing(&r.commit));
        // A commit hash names its checkout, however it was first fetched.
        let by_hash = || {
            git::is_full_hash(reference)
                .then(|| existing(reference))
                .flatten()
        };
        if let Some(tree) = by_record.or_else(by_hash) {
            return Ok(tree);
        }
        if self.offline() {
            return Err(remote_error(format!(
                "offline: repository '{url}' at ref '{reference}' is not in the cache ({}); build once online to fetch it",
                cache.root().display()
            )));
        }
        self.fetch(cache, spec, &repo_dir)
    }

    /// Fetches `spec` into a temporary directory and moves the checkout into the cache.
    fn fetch(&self, cache: &Cache, spec: &RepoSpec, repo_dir: &Path) -> Result<PathBuf> {
        let url = spec.clone_spec();
        let reference = spec.fetch_ref();
        let fail = |what: &str, detail: String| {
            remote_error(format!(
                "cannot fetch repository '{url}' at ref '{reference}': {what}: {detail}"
            ))
        };
        let io_fail = |e: std::io::Error| fail("cache error", e.to_string());
        let tmp = cache.temp_dir().map_err(io_fail)?;
        let dir = tmp.path();
        let git = |args: &[&str]| git::run(&self.options.git, dir, spec.timeout, args);
        self.git_fetches.fetch_add(1, Ordering::Relaxed);
        // kustomize's steps; `origin` is set because relative submodule URLs resolve against it.
        git(&["init", "--quiet"])
            .and_then(|_| git(&["remote", "add", "origin", &url]))
            .and_then(|_| git(&["fetch", "--depth=1", &url, reference]))
            .map_err(|e| fail(git::classify(&e), e.to_string()))?;
        git(&["checkout", "FETCH_HEAD"]).map_err(|e| fail("checkout failed", e.to_string()))?;
        if spec.submodules {
            git(&["submodule", "update", "--init", "--recursive"])
                .map_err(|e| fail("submodules failed", e.to_string()))?;
        }
        let fetch_head =
            std::fs::read_to_string(dir.join(".git").join("FETCH_HEAD")).map_err(io_fail)?;
        let head =
            git(&["rev-parse", "HEAD"]).map_err(|e| fail("checkout failed", e.to_string()))?;
        let commit = head.trim();
        if !git::is_full_hash(commit) {
            return Err(fail(
                "checkout failed",
                format!("unexpected HEAD '{commit}'"),
            ));
        }
        let record = RefRecord {
            commit: commit.to_ascii_lowercase(),
            kind: git::ref_kind(&fetch_head, reference),
        };
        // The checkout is what kustomize builds from; its git metadata is not needed again.
        std::fs::remove_dir_all(dir.join(".git")).map_err(io_fail)?;
        let tree = Cache::tree_dir(repo_dir, &record.commit, spec.submodules);
        cache.publish(tmp, &tree).map_err(io_fail)?;
        let _ = std::fs::write(repo_dir.join("url"), format!("{url}\n"));
        cache
            .write_ref(repo_dir, reference, spec.submodules, &record)
            .map_err(io_fail)?;
        Ok(tree)
    }

    /// The file at `url`, as kustomize's loader reads a remote file. An error of kind
    /// [`ErrorKind::Http`] is an HTTP status for a URL that is no repository (kustomize stops
    /// there); any other error lets the caller try the URL as a repository.
    pub fn read_url(&self, url: &str) -> Result<Vec<u8>> {
        let slot = {
            let mut urls = self
                .urls
                .lock()
                .map_err(|_| remote_error("remote state poisoned"))?;
            urls.entry(url.to_owned()).or_default().clone()
        };
        slot.get_or_init(|| self.read_url_uncached(url))
            .clone()
            .map(|body| body.to_vec())
    }

    fn read_url_uncached(&self, url: &str) -> Result<Arc<[u8]>> {
        let cache = self.cache()?;
        let repo = RepoSpec::parse(url).ok();
        let not_a_file = || remote_error("URL is a git repository");
        let status_error = |status: u16| {
            Error::new(
                ErrorKind::Http,
                format!(
                    "HTTP Error: status code {status} ({})",
                    http::status_text(status)
                ),
            )
        };
        let cached = cache.read_url(url);
        match &cached {
            Some(UrlRecord::File { body, fresh }) if *fresh || self.offline() => {
                return Ok(Arc::from(body.as_slice()));
            }
            Some(UrlRecord::Status(status)) if repo.is_none() && self.offline() => {
                return Err(status_error(*status));
            }
            Some(UrlRecord::File { .. }) => {}
            // A URL that never answered as a file, whose repository is cached at a fixed ref
            // (or any ref, offline), is that repository: asking the server again would only
            // get the same "no".
            _ => {
                if let Some(spec) = &repo {
                    if self.offline() || self.ref_is_fixed(cache, spec) {
                        return Err(not_a_file());
                    }
                }
            }
        }
        if self.offline() {
            return Err(remote_error(format!(
                "offline: '{url}' is not in the cache ({}); build once online to fetch it",
                cache.root().display()
            )));
        }
        self.http_requests.fetch_add(1, Ordering::Relaxed);
        let answer = http::get(url, self.options.http_timeout)
            .map_err(|e| remote_error(format!("cannot fetch '{url}': {e}")))?;
        let store_error = |e: std::io::Error| {
            remote_error(format!(
                "cannot cache '{url}' in '{}': {e}",
                cache.root().display()
            ))
        };
        match answer {
            http::Answer::File { body, fresh_for } => {
                cache
                    .write_url_file(url, &body, fresh_for)
                    .map_err(store_error)?;
                Ok(Arc::from(body))
            }
            http::Answer::Status(status) => {
                cache.write_url_status(url, status).map_err(store_error)?;
                match repo {
                    Some(_) => Err(not_a_file()),
                    None => Err(status_error(status)),
                }
            }
        }
    }

    /// Whether the cache holds `spec`'s ref as a tag or commit, checked out.
    fn ref_is_fixed(&self, cache: &Cache, spec: &RepoSpec) -> bool {
        let repo_dir = cache.repo_dir(&spec.clone_spec());
        Cache::read_ref(&repo_dir, spec.fetch_ref(), spec.submodules).is_some_and(|r| {
            r.kind.is_fixed() && Cache::tree_dir(&repo_dir, &r.commit, spec.submodules).is_dir()
        })
    }
}
