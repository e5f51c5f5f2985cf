//! Loading: files from a [`FileSystem`] into documents and kustomizations, under kustomize's
//! load restrictions.
//!
//! A [`Loader`] is rooted at one kustomization directory. Files it reads must lie in or below that
//! root (after resolving symbolic links) unless the restrictor is [`LoadRestrictor::None`];
//! directories it opens as bases may lie anywhere, but never in or above a root already being
//! built (that would be a cycle).

pub(crate) mod decode;
pub mod kustomization;
pub mod resources;
pub mod yaml;

use crate::error::{Error, ErrorKind, Result};
use crate::fs::{clean, FileSystem};
use kustomization::{Kustomization, KUSTOMIZATION_FILE_NAMES};
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

/// Reads files for one kustomization directory.
#[derive(Clone)]
pub struct Loader<'fs> {
    fs: &'fs dyn FileSystem,
    root: Arc<Path>,
    restrictor: LoadRestrictor,
    /// Roots of the kustomizations that led here, nearest first.
    referrers: Arc<[Arc<Path>]>,
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

/// Whether a path looks like a remote kustomize target (a git repository or an HTTP URL).
pub fn is_remote(path: &str) -> bool {
    path.starts_with("https://")
        || path.starts_with("http://")
        || path.starts_with("ssh://")
        || path.starts_with("git::")
        || path.starts_with("git@")
        || path.starts_with("github.com/")
        || path.starts_with("gitlab.com/")
        || path.starts_with("bitbucket.org/")
        || path.starts_with("file://")
}

impl std::fmt::Debug for Loader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("root", &self.root)
            .field("restrictor", &self.restrictor)
            .finish_non_exhaustive()
    }
}

impl<'fs> Loader<'fs> {
    /// A loader at `dir`, the kustomization a build starts from. `dir` is made absolute against
    /// the current directory if it is relative.
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
            root: root.into(),
            restrictor,
            referrers: Arc::from(Vec::new()),
        })
    }

    /// The kustomization directory, symbolic links resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file system this loader reads.
    pub fn fs(&self) -> &'fs dyn FileSystem {
        self.fs
    }

    /// The load restrictor in force.
    pub fn restrictor(&self) -> LoadRestrictor {
        self.restrictor
    }

    /// A loader for the base or component directory `path`, relative to this root.
    pub fn child(&self, path: &str) -> Result<Loader<'fs>> {
        if path.is_empty() {
            return Err(Error::new(ErrorKind::Io, "new root cannot be empty"));
        }
        if is_remote(path) {
            return Err(Error::new(
                ErrorKind::Io,
                format!("remote resource '{path}' cannot be loaded: kbuild does not fetch remote bases yet"),
            ));
        }
        if Path::new(path).is_absolute() {
            return Err(Error::new(
                ErrorKind::Io,
                format!("new root '{path}' cannot be absolute"),
            ));
        }
        let root = confirm_dir(self.fs, &clean(&self.root.join(path)))
            .map_err(|e| e.context("must build at directory"))?;
        for visited in std::iter::once(&self.root).chain(self.referrers.iter()) {
            if is_within(visited, &root) {
                return Err(Error::new(
                    ErrorKind::Cycle,
                    format!(
                        "cycle detected: candidate root '{}' contains visited root '{}'",
                        root.display(),
                        visited.display()
                    ),
                ));
            }
        }
        let referrers: Vec<Arc<Path>> = std::iter::once(self.root.clone())
            .chain(self.referrers.iter().cloned())
            .collect();
        Ok(Loader {
            fs: self.fs,
            root: root.into(),
            restrictor: self.restrictor,
            referrers: referrers.into(),
        })
    }

    /// Reads the file `path` (relative to the root, or absolute), applying the load restrictor.
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        if path.starts_with("https://") || path.starts_with("http://") {
            return Err(Error::new(
                ErrorKind::Io,
                format!("remote file '{path}' cannot be loaded: kbuild does not fetch remote resources yet"),
            ));
        }
        let full = clean(&self.root.join(path));
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
                if !is_within(dir, &self.root) {
                    return Err(Error::new(
                        ErrorKind::LoadRestriction,
                        format!(
                            "security; file '{}' is not in or below '{}'",
                            full.display(),
                            self.root.display()
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
        let root = self.root.display().to_string();
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
}
