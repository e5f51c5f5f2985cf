//! Loading: files from a [`FileSystem`] into documents and kustomizations, under kustomize's
//! load restrictions.
//!
//! A [`Loader`] is rooted at one kustomization directory. Files it reads must lie in or below that
//! root (after resolving symbolic links) unless the restrictor is [`LoadRestrictor::None`];
//! directories it opens as bases may lie anywhere, but never in or above a root already being
//! built (that would be a cycle).

pub(crate) mod decode;
pub mod kustomization;
pub mod remote;
pub mod resources;
pub mod yaml;

use crate::error::{Error, ErrorKind, Result};
use crate::fs::{clean, DiskFs, FileSystem};
use kustomization::{Kustomization, KUSTOMIZATION_FILE_NAMES};
use remote::{Remote, RepoSpec};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which files a kustomization may read (kustomize's `--load-restrictor`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadRestrictor {
    /// Files must be in or below the kustomization's directory (kustomize's default,
    /// `LoadRestrictionsRootOnly`).
    #[default]
    RootOnly,
    /// Files may be anywhere (`LoadRestrictionsNone`).
    None,
}

/// Remote checkouts are read from the disk, whatever file system the build started on.
static DISK: DiskFs = DiskFs;

/// A git checkout that a loader's files come from.
#[derive(Debug)]
pub(crate) struct RepoRoot {
    /// The remote base as the kustomization named it.
    pub(crate) spec: RepoSpec,
    /// The whole checkout (a real path).
    pub(crate) checkout: PathBuf,
    /// The kustomization directory the URL names in it (a real path).
    pub(crate) root: PathBuf,
}

/// One kustomization directory in the chain being built, linked to the one that referred to it.
#[derive(Debug)]
struct Frame {
    /// The directory, symbolic links resolved.
    root: Arc<Path>,
    /// Which checkout the directory is in: 0 for the local tree, else one per remote base
    /// opened (kustomize clones every remote base into a fresh directory, so roots in different
    /// checkouts never contain one another).
    checkout_id: u64,
    /// The checkout this directory is in, if any.
    repo: Option<Arc<RepoRoot>>,
    /// Whether this directory was opened from a remote URL (not as a local base of one).
    from_url: bool,
    /// The kustomization that referred to this one.
    parent: Option<Arc<Frame>>,
}

impl Frame {
    /// This frame and the ones that led here, nearest first.
    fn chain(&self) -> impl Iterator<Item = &Frame> {
        std::iter::successors(Some(self), |f| f.parent.as_deref())
    }
}

/// Reads files for one kustomization directory.
#[derive(Clone)]
pub struct Loader<'fs> {
    fs: &'fs dyn FileSystem,
    restrictor: LoadRestrictor,
    frame: Arc<Frame>,
    /// Remote loading, when the build allows it.
    remote: Option<Arc<Remote>>,
}

fn io_error(e: std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        _ => e.to_string(),
    }
}

/// Whether `path` is `dir` or below it.
fn is_within(path: &Path, dir: &Path) -> bool {
    dir == Path::new("/") || path.starts_with(dir)
}

/// Whether a `resources` entry is remote for kustomize: an HTTP(S) URL, or a git repository.
pub fn is_remote(path: &str) -> bool {
    remote::is_remote_file(path) || RepoSpec::parse(path).is_ok()
}

impl std::fmt::Debug for Loader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("root", &self.frame.root)
            .field("restrictor", &self.restrictor)
            .field("repo", &self.frame.repo)
            .finish_non_exhaustive()
    }
}

impl<'fs> Loader<'fs> {
    /// A loader at `dir`, the kustomization a build starts from. `dir` is made absolute against
    /// the current directory if it is relative. It loads no remote bases or files until given
    /// remote access with [`Loader::with_remote`].
    pub fn new(fs: &'fs dyn FileSystem, dir: &Path, restrictor: LoadRestrictor) -> Result<Self> {
        let abs = if dir.is_absolute() {
            clean(dir)
        } else {
            let cwd = std::env::current_dir().map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read the current directory: {e}"),
                )
            })?;
            clean(&cwd.join(dir))
        };
        let root = confirm_dir(fs, &abs).map_err(|e| e.context("must build at directory"))?;
        Ok(Loader {
            fs,
            restrictor,
            frame: Arc::new(Frame {
                root: root.into(),
                checkout_id: 0,
                repo: None,
                from_url: false,
                parent: None,
            }),
            remote: None,
        })
    }

    /// A loader for the build target `target`: a remote base URL if it reads as one and
    /// `remote` is given (kustomize builds those from a checkout, restricted to its root),
    /// else a directory, as [`Loader::new`].
    pub fn open(
        fs: &'fs dyn FileSystem,
        target: &Path,
        restrictor: LoadRestrictor,
        remote: Option<Arc<Remote>>,
    ) -> Result<Self> {
        let spec = target.to_str().and_then(|t| RepoSpec::parse(t).ok());
        match (spec, &remote) {
            (Some(spec), Some(r)) => {
                let (root, repo) = open_checkout(r, spec)?;
                Ok(Loader {
                    fs: &DISK,
                    restrictor: LoadRestrictor::RootOnly,
                    frame: Arc::new(Frame {
                        root,
                        checkout_id: r.next_checkout_id(),
                        repo: Some(repo),
                        from_url: true,
                        parent: None,
                    }),
                    remote,
                })
            }
            _ => Ok(Loader::new(fs, target, restrictor)?.with_remote(remote)),
        }
    }

    /// This loader, and every loader it makes, with remote access through `remote` (`None`:
    /// none).
    pub fn with_remote(mut self, remote: Option<Arc<Remote>>) -> Self {
        self.remote = remote;
        self
    }

    /// The remote access this loader has.
    pub fn remote(&self) -> Option<&Arc<Remote>> {
        self.remote.as_ref()
    }

    /// The kustomization directory, symbolic links resolved.
    pub fn root(&self) -> &Path {
        &self.frame.root
    }

    /// The file system this loader reads.
    pub fn fs(&self) -> &'fs dyn FileSystem {
        self.fs
    }

    /// The load restrictor in force.
    pub fn restrictor(&self) -> LoadRestrictor {
        self.restrictor
    }

    /// The git checkout this directory is in, if it came from a remote base.
    pub(crate) fn repo(&self) -> Option<&RepoRoot> {
        self.frame.repo.as_deref()
    }

    /// A loader for the base or component `path`: a remote repository, or a directory relative
    /// to this root.
    pub fn child(&self, path: &str) -> Result<Loader<'fs>> {
        if path.is_empty() {
            return Err(Error::new(ErrorKind::Io, "new root cannot be empty"));
        }
        // Remote hook: whatever kustomize reads as a repository URL is fetched, never a local path.
        if let Ok(spec) = RepoSpec::parse(path) {
            return self.remote_child(spec);
        }
        if Path::new(path).is_absolute() {
            return Err(Error::new(
                ErrorKind::Io,
                format!("new root '{path}' cannot be absolute"),
            ));
        }
        let root = confirm_dir(self.fs, &clean(&self.frame.root.join(path)))
            .map_err(|e| e.context("must build at directory"))?;
        if let Some(repo) = &self.frame.repo {
            if !is_within(&root, &repo.checkout) {
                return Err(Error::new(
                    ErrorKind::LoadRestriction,
                    format!(
                        "security; bases in kustomizations found in cloned git repos must be within the repo, but base '{}' is outside '{}'",
                        root.display(),
                        repo.checkout.display()
                    ),
                ));
            }
        }
        let checkout_id = self.frame.checkout_id;
        for visited in self.frame.chain().filter(|f| f.checkout_id == checkout_id) {
            if is_within(&visited.root, &root) {
                return Err(Error::new(
                    ErrorKind::Cycle,
                    format!(
                        "cycle detected: candidate root '{}' contains visited root '{}'",
                        root.display(),
                        visited.root.display()
                    ),
                ));
            }
        }
        Ok(Loader {
            fs: self.fs,
            restrictor: self.restrictor,
            frame: Arc::new(Frame {
                root: root.into(),
                checkout_id,
                repo: self.frame.repo.clone(),
                from_url: false,
                parent: Some(self.frame.clone()),
            }),
            remote: self.remote.clone(),
        })
    }

    /// A loader at the kustomization a remote base names, in a checkout of its repository.
    /// kustomize restricts every file read there to the kustomization's directory, whatever the
    /// build's restrictor.
    fn remote_child(&self, spec: RepoSpec) -> Result<Loader<'fs>> {
        for visited in self.frame.chain().filter(|f| f.from_url) {
            if let Some(repo) = &visited.repo {
                if repo.spec.raw.starts_with(&spec.raw) {
                    return Err(Error::new(
                        ErrorKind::Cycle,
                        format!(
                            "cycle detected: URI '{}' referenced by previous URI '{}'",
                            spec.raw, repo.spec.raw
                        ),
                    ));
                }
            }
        }
        let Some(remote) = &self.remote else {
            return Err(remote::disabled_error(&spec.raw));
        };
        let (root, repo) = open_checkout(remote, spec)?;
        Ok(Loader {
            fs: &DISK,
            restrictor: LoadRestrictor::RootOnly,
            frame: Arc::new(Frame {
                root,
                checkout_id: remote.next_checkout_id(),
                repo: Some(repo),
                from_url: true,
                parent: Some(self.frame.clone()),
            }),
            remote: self.remote.clone(),
        })
    }

    /// Reads the file `path` (relative to the root, or absolute), applying the load restrictor;
    /// an HTTP(S) URL is fetched (kustomize applies no restriction to those).
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        // Remote hook: URLs of single files.
        if remote::is_remote_file(path) {
            return match &self.remote {
                Some(remote) => remote.read_url(path),
                None => Err(remote::disabled_error(path)),
            };
        }
        let full = clean(&self.frame.root.join(path));
        let target = match self.restrictor {
            LoadRestrictor::None => full,
            LoadRestrictor::RootOnly => {
                let real = self.fs.real_path(&full).map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!(
                            "evalsymlink failure on '{}' : {}",
                            full.display(),
                            io_error(e)
                        ),
                    )
                })?;
                if self.fs.is_dir(&real) {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!("'{}' must resolve to a file", full.display()),
                    ));
                }
                let dir = real.parent().unwrap_or(Path::new("/"));
                if !is_within(dir, &self.frame.root) {
                    return Err(Error::new(
                        ErrorKind::LoadRestriction,
                        format!(
                            "security; file '{}' is not in or below '{}'",
                            full.display(),
                            self.frame.root.display()
                        ),
                    ));
                }
                real
            }
        };
        self.fs.read(&target).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("{}: {}", target.display(), io_error(e)),
            )
        })
    }

    /// Finds and reads this directory's kustomization file.
    pub fn kustomization(&self) -> Result<Kustomization> {
        let mut found = None;
        let mut count = 0;
        for name in KUSTOMIZATION_FILE_NAMES {
            if let Ok(bytes) = self.read(name) {
                count += 1;
                found = Some((name, bytes));
            }
        }
        let root = self.frame.root.display().to_string();
        match (count, found) {
            (1, Some((name, bytes))) => Kustomization::parse(&bytes, &root)
                .map_err(|e| e.context(format!("{}/{name}", root))),
            (0, _) => Err(Error::new(
                ErrorKind::Kustomization,
                format!(
                    "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{root}'"
                ),
            )),
            _ => Err(Error::new(
                ErrorKind::Kustomization,
                format!("Found multiple kustomization files under: {root}"),
            )),
        }
    }
}

/// Fetches (or finds in the cache) the repository `spec` names and resolves its kustomization
/// directory, which must exist, be a directory and, links resolved, stay in the checkout.
fn open_checkout(remote: &Remote, spec: RepoSpec) -> Result<(Arc<Path>, Arc<RepoRoot>)> {
    let checkout = remote.checkout(&spec)?;
    let at = || {
        format!(
            "in repository '{}' at ref '{}'",
            spec.clone_spec(),
            spec.fetch_ref()
        )
    };
    let wanted = clean(&checkout.join(&spec.kust_root_path));
    let root = std::fs::canonicalize(&wanted).map_err(|e| {
        Error::new(
            ErrorKind::Remote,
            format!("path '{}' {}: {}", spec.kust_root_path, at(), io_error(e)),
        )
    })?;
    if !root.is_dir() {
        return Err(Error::new(
            ErrorKind::Remote,
            format!(
                "path '{}' {} refers to a file; expecting a directory",
                spec.kust_root_path,
                at()
            ),
        ));
    }
    if !is_within(&root, &checkout) {
        return Err(Error::new(
            ErrorKind::LoadRestriction,
            format!(
                "path '{}' {} refers to a directory outside of the repository: '{}'",
                spec.kust_root_path,
                at(),
                root.display()
            ),
        ));
    }
    let repo = RepoRoot {
        spec,
        checkout,
        root: root.clone(),
    };
    Ok((root.into(), Arc::new(repo)))
}

/// Resolves `path` to a real directory, as kustomize's `ConfirmDir` does.
fn confirm_dir(fs: &dyn FileSystem, path: &Path) -> Result<PathBuf> {
    let real = fs.real_path(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!(
                "not a valid directory: evalsymlink failure on '{}' : {}",
                path.display(),
                io_error(e)
            ),
        )
    })?;
    if !fs.is_dir(&real) {
        return Err(Error::new(
            ErrorKind::Io,
            format!("'{}': file is not directory", path.display()),
        ));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemoryFs;

    fn fs() -> MemoryFs {
        let mut fs = MemoryFs::new();
        fs.add_file("/app/overlay/kustomization.yaml", "resources: [../base]\n")
            .add_file("/app/base/kustomization.yaml", "resources: [cm.yaml]\n")
            .add_file("/app/base/cm.yaml", "x")
            .add_file("/app/secret.yaml", "x");
        fs
    }

    #[test]
    fn restricts_files_to_the_root() {
        let fs = fs();
        let overlay =
            Loader::new(&fs, Path::new("/app/overlay"), LoadRestrictor::RootOnly).unwrap();
        let err = overlay.read("../secret.yaml").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LoadRestriction);
        let free = Loader::new(&fs, Path::new("/app/overlay"), LoadRestrictor::None).unwrap();
        assert_eq!(free.read("../secret.yaml").unwrap(), b"x");
    }

    #[test]
    fn bases_may_be_outside_but_not_above_a_visited_root() {
        let fs = fs();
        let overlay =
            Loader::new(&fs, Path::new("/app/overlay"), LoadRestrictor::RootOnly).unwrap();
        let base = overlay.child("../base").unwrap();
        assert_eq!(base.read("cm.yaml").unwrap(), b"x");
        assert_eq!(
            base.child("../overlay").unwrap_err().kind(),
            ErrorKind::Cycle
        );
        assert_eq!(base.child("..").unwrap_err().kind(), ErrorKind::Cycle);
        assert_eq!(overlay.child(".").unwrap_err().kind(), ErrorKind::Cycle);
        assert!(overlay.child("/abs").is_err());
    }

    #[test]
    fn remote_entries_need_remote_access() {
        let mut fs = fs();
        fs.add_file("/app/overlay/github.com/local/kustomization.yaml", "");
        let overlay =
            Loader::new(&fs, Path::new("/app/overlay"), LoadRestrictor::RootOnly).unwrap();
        for base in [
            "https://github.com/org/repo//base?ref=v1",
            "github.com/org/repo",
            "git@example.com:org/repo.git",
            "file:///srv/repo.git",
        ] {
            let err = overlay.child(base).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Remote, "{base}");
            assert!(err.message().contains("disabled"), "{err}");
        }
        let err = overlay.read("https://example.com/cm.yaml").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Remote);
        // Not a repository for kustomize (one path segment): a local directory.
        assert!(overlay.child("github.com/local").is_ok());
        assert!(is_remote("github.com/org/repo") && is_remote("http://h/x.yaml"));
        assert!(!is_remote("github.com/local") && !is_remote("../base"));
    }

    #[test]
    fn a_build_with_remote_access_disabled_never_fetches() {
        use crate::{BuildOptions, Kustomizer, RemoteAccess, RemoteOptions};
        let mut fs = MemoryFs::new();
        fs.add_file(
            "/app/kustomization.yaml",
            "resources:\n- https://github.com/org/repo//base?ref=v1\n",
        );
        let options = BuildOptions {
            remote: RemoteOptions {
                access: RemoteAccess::Disabled,
                ..RemoteOptions::default()
            },
            ..BuildOptions::default()
        };
        let err = Kustomizer::new(options).build(&fs, "/app").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Remote);
        assert!(
            err.message()
                .contains("remote bases and files are disabled"),
            "{err}"
        );
    }
}
