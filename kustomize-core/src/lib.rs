//! kustomize's `build`, as a library.
//!
//! A build reads as a pipeline, and so does this crate: [`load`] reads files into [`node::Node`]s,
//! [`emit`] prints resources byte-for-byte as kustomize v5.8 prints them.

#![warn(missing_docs)]

pub mod emit;
pub mod error;
pub mod load;
pub mod node;
pub mod resource;
pub mod transform;

pub use error::{Error, ErrorKind, Result};
pub use node::{Mapping, Node, Scalar, Tag};
