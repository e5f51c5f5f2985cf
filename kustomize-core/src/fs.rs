//! The file systems a build reads from: the real disk, or one the embedding program provides.
//!
//! A build only ever reads. It needs three things of a file system: file contents, whether a path
//! is a directory, and the real location of a path with every symbolic link resolved (the load
//! restrictor compares real locations, as kustomize does).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a build needs from a file system. Paths given to it are absolute and lexically clean.
///
/// Implement it to build from something other than the disk; [`MemoryFs`] is a ready-made
/// in-memory one.
pub trait FileSystem: Sync {
    /// The whole content of the file at `path`.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// Whether `path` names a directory (after following symbolic links).
    fn is_dir(&self, path: &Path) -> bool;

    /// `path` with every symbolic link resolved; fails if it does not exist.
    fn real_path(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFs;

impl FileSystem for DiskFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// An in-memory file system: files by absolute path, directories implied by them, no links.
///
/// ```
/// use kustomize_core::fs::{FileSystem, MemoryFs};
/// use std::path::Path;
///
/// let mut fs = MemoryFs::new();
/// fs.add_file("/app/kustomization.yaml", "resources: [cm.yaml]\n");
/// assert!(fs.is_dir(Path::new("/app")));
/// assert_eq!(fs.read(Path::new("/app/kustomization.yaml")).unwrap(), b"resources: [cm.yaml]\n");
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    /// An empty file system (only `/` exists).
    pub fn new() -> Self {
        MemoryFs::default()
    }

    /// Adds (or replaces) a file; `path` is taken relative to `/` if it is not absolute.
    pub fn add_file(&mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> &mut Self {
        let path = clean(&Path::new("/").join(path));
        self.files.insert(path, content.into());
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(&clean(path)).cloned().ok_or_else(|| {
            let kind = if self.is_dir(path) {
                io::ErrorKind::IsADirectory
            } else {
                io::ErrorKind::NotFound
            };
            io::Error::new(kind, format!("{}: no such file", path.display()))
        })
    }

    fn is_dir(&self, path: &Path) -> bool {
        let path = clean(path);
        path == Path::new("/")
            || self
                .files
                .range(path.clone()..)
                .take_while(|(file, _)| file.starts_with(&path))
                .any(|(file, _)| file != &path)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        let path = clean(path);
        if self.files.contains_key(&path) || self.is_dir(&path) {
            Ok(path)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("lstat {}: no such file or directory", path.display()),
            ))
        }
    }
}

/// Lexically cleans a path: removes `.` and resolves `..` against earlier components, as Go's
/// `filepath.Clean` does (`..` above the root stays at the root).
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !path.is_absolute() {
                    out.push("..");
                }
                if out.as_os_str().is_empty() && path.is_absolute() {
                    out.push("/");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(if path.is_absolute() { "/" } else { "." });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_resolves_dots() {
        assert_eq!(clean(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
        assert_eq!(clean(Path::new("/../x")), Path::new("/x"));
        assert_eq!(clean(Path::new("/a/..")), Path::new("/"));
    }

    #[test]
    fn memory_fs_implies_directories() {
        let mut fs = MemoryFs::new();
        fs.add_file("base/kustomization.yaml", "x");
        assert!(fs.is_dir(Path::new("/base")));
        assert!(!fs.is_dir(Path::new("/base/kustomization.yaml")));
        assert!(!fs.is_dir(Path::new("/bas")));
        assert!(fs.real_path(Path::new("/base/../base")).is_ok());
        assert!(fs.read(Path::new("/nope")).is_err());
    }
}
