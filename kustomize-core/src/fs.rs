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

/// Any reference to a file system is one too, so borrowed file systems can be layered.
impl<T: FileSystem + ?Sized> FileSystem for &T {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        (**self).read(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        (**self).is_dir(path)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        (**self).real_path(path)
    }
}

/// In-memory files laid over another file system: a file added here hides the one below at the
/// same path, every other path reads through. An embedding program uses it to build an overlay
/// it writes on the fly on top of bases on disk.
///
/// Paths of added files are absolute (relative ones are taken from `/`); give them in the form
/// the lower file system resolves paths to (its real paths), so the load restrictor sees one
/// tree.
///
/// ```
/// use kustomize_core::fs::{DiskFs, FileSystem, OverlayFs};
/// use kustomize_core::{BuildOptions, Kustomizer};
///
/// let base = std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/demo/base")).unwrap();
/// let overlay = base.with_file_name("generated-overlay");
/// let mut fs = OverlayFs::new(DiskFs);
/// fs.add_file(overlay.join("kustomization.yaml"), "resources:\n- ../base\nnamespace: staging\n");
/// assert!(fs.is_dir(&overlay));
///
/// let build = Kustomizer::new(BuildOptions::default()).build(&fs, &overlay).unwrap();
/// assert!(build.resources().iter().all(|r| r.namespace() == "staging"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct OverlayFs<F> {
    lower: F,
    upper: MemoryFs,
}

impl<F: FileSystem> OverlayFs<F> {
    /// No files yet over `lower`.
    ///
    /// ```
    /// # use kustomize_core::fs::{MemoryFs, OverlayFs};
    /// let fs = OverlayFs::new(MemoryFs::new());
    /// assert!(fs.upper().read(std::path::Path::new("/x")).is_err());
    /// # use kustomize_core::fs::FileSystem;
    /// ```
    pub fn new(lower: F) -> Self {
        OverlayFs {
            lower,
            upper: MemoryFs::new(),
        }
    }

    /// Adds (or replaces) an in-memory file.
    ///
    /// ```
    /// # use kustomize_core::fs::{FileSystem, MemoryFs, OverlayFs};
    /// # use std::path::Path;
    /// let mut lower = MemoryFs::new();
    /// lower.add_file("/a/x.yaml", "lower");
    /// let mut fs = OverlayFs::new(lower);
    /// fs.add_file("/a/x.yaml", "upper").add_file("/b/y.yaml", "new");
    /// assert_eq!(fs.read(Path::new("/a/x.yaml")).unwrap(), b"upper");
    /// assert!(fs.is_dir(Path::new("/b")));
    /// ```
    pub fn add_file(&mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> &mut Self {
        self.upper.add_file(path, content);
        self
    }

    /// The file system below.
    ///
    /// ```
    /// # use kustomize_core::fs::{DiskFs, OverlayFs};
    /// let fs = OverlayFs::new(DiskFs);
    /// let _lower: &DiskFs = fs.lower();
    /// ```
    pub fn lower(&self) -> &F {
        &self.lower
    }

    /// The in-memory files.
    ///
    /// ```
    /// # use kustomize_core::fs::{FileSystem, MemoryFs, OverlayFs};
    /// let mut fs = OverlayFs::new(MemoryFs::new());
    /// fs.add_file("/k.yaml", "x");
    /// assert_eq!(fs.upper().read(std::path::Path::new("/k.yaml")).unwrap(), b"x");
    /// ```
    pub fn upper(&self) -> &MemoryFs {
        &self.upper
    }
}

impl<F: FileSystem> FileSystem for OverlayFs<F> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let clean_path = clean(path);
        if self.upper.files.contains_key(&clean_path) {
            return self.upper.read(&clean_path);
        }
        match self.lower.read(path) {
            // A directory that only the in-memory files make says so.
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.upper.is_dir(&clean_path) => {
                self.upper.read(&clean_path)
            }
            result => result,
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.upper.is_dir(path) || self.lower.is_dir(path)
    }

    fn real_path(&self, path: &Path) -> io::Result<PathBuf> {
        // In-memory paths are real as given; a path only below resolves there (a directory in
        // both resolves as the lower file system says, so its links are followed).
        match self.lower.real_path(path) {
            Ok(real) => Ok(real),
            Err(e) => self.upper.real_path(path).map_err(|_| e),
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

    #[test]
    fn overlay_reads_upper_first_then_lower() {
        let mut lower = MemoryFs::new();
        lower.add_file("/base/kustomization.yaml", "lower");
        lower.add_file("/base/cm.yaml", "cm");
        let mut fs = OverlayFs::new(&lower);
        fs.add_file("/base/kustomization.yaml", "upper");
        fs.add_file("/overlay/kustomization.yaml", "resources: [../base]");
        assert_eq!(
            fs.read(Path::new("/base/kustomization.yaml")).unwrap(),
            b"upper"
        );
        assert_eq!(fs.read(Path::new("/base/./cm.yaml")).unwrap(), b"cm");
        assert!(fs.is_dir(Path::new("/overlay")) && fs.is_dir(Path::new("/base")));
        assert_eq!(
            fs.real_path(Path::new("/overlay/../overlay")).unwrap(),
            Path::new("/overlay")
        );
        assert!(fs.real_path(Path::new("/nowhere")).is_err());
        assert_eq!(
            fs.read(Path::new("/overlay")).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
    }
}
