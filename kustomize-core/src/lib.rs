//! kustomize's `build`, as a library.
//!
//! A build reads as a pipeline, and so does this crate: [`load`] reads files into
//! [`node::Node`]s, [`accumulate`] gathers a kustomization's resources, bases and components,
//! [`sort`] orders them, and [`emit`] prints them byte for byte as kustomize v5.8 prints them.
//! [`Kustomizer`] runs the whole pipeline.

#![warn(missing_docs)]

pub mod accumulate;
mod build;
pub mod emit;
pub mod error;
pub mod extras;
pub mod fs;
pub mod generate;
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
