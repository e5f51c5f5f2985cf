//! kustomize's `build`, as a library.
//!
//! A build is a pipeline, and this crate has a module a stage, in the order they run:
//!
//! 1. [`load`]: kustomization files and resources read (local or from remote bases) into
//!    [`node::Node`]s, the one document model, exactly as go-yaml reads them.
//! 2. [`accumulate`]: each kustomization's resources, bases and components gathered, depth
//!    first; in each, its generators ([`generate`]: ConfigMaps and Secrets) and then its
//!    transformers ([`transform`], in kustomize's order), each leaving its origin annotations.
//! 3. The build's last steps (in `build`): generated names hashed, name references fixed,
//!    vars resolved, local-config resources dropped, internal annotations removed.
//! 4. [`sort`]: the legacy kind order or the kustomization's `sortOptions`.
//! 5. [`emit`]: every resource printed byte for byte as kustomize v5.8 prints it.
//!
//! Every stage shares [`node`] and [`resource`] (ids, the resource list); Go's value semantics
//! (number formats, JSON strings, base64, when a string needs quotes) live once, in `gosem`;
//! [`openapi`] is the schema strategic merge and scoping need. [`Kustomizer`] runs the
//! pipeline; [`extras`] are tools over a finished build.

#![warn(missing_docs)]

pub mod accumulate;
mod build;
pub mod emit;
pub mod error;
pub mod extras;
pub mod fs;
pub mod generate;
pub(crate) mod gosem;
pub mod load;
pub mod node;
pub mod openapi;
pub mod resource;
pub mod sort;
pub mod transform;

pub use build::{Build, BuildOptions, Kustomizer};
pub use error::{Error, ErrorKind, Result};
pub use load::remote::{RemoteAccess, RemoteOptions};
pub use load::LoadRestrictor;
pub use node::{Mapping, Node, Scalar, Tag};
pub use resource::{Gvk, ResId, Resource};
