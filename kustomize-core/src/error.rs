//! The error every fallible build step returns.

use std::fmt;

/// What went wrong, broadly; the message says precisely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or directory could not be read.
    Io,
    /// A file is not well-formed YAML or JSON.
    Yaml,
    /// A kustomization file is malformed or uses a field wrongly.
    Kustomization,
    /// A resource is malformed (no kind, no name, …).
    Resource,
    /// A path leaves the kustomization root while the load restrictor forbids it.
    LoadRestriction,
    /// A kustomization includes itself, directly or through others.
    Cycle,
    /// Two resources share an id, or an id is missing where one is needed.
    ResourceId,
    /// A generator, transformer or patch cannot be applied.
    Transform,
    /// A resource cannot be printed (for example a key type JSON cannot hold).
    Emit,
    /// A remote base or file cannot be fetched (unreachable, unknown ref, offline cache miss,
    /// remote loading disabled).
    Remote,
    /// An HTTP server answered a remote file's URL with an error status (kustomize's `ErrHTTP`).
    Http,
}

/// A build error: a kind and a message that names the file and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The full message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefixes the message with where it happened, keeping the kind.
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of build steps.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds context to the error of a result.
pub trait ResultExt<T> {
    /// Prefixes the error's message with `what()` if this is an error.
    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T>;
}

impl<T> ResultExt<T> for Result<T> {
    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T> {
        self.map_err(|e| e.context(what()))
    }
}
