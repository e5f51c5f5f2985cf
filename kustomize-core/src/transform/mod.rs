//! The transform stage: changes to the accumulated resources, as kustomize's builtin
//! transformers make them.

pub mod fieldpath;
pub(crate) mod gojson;
pub mod patch;
pub mod replacements;
pub mod select;

#[cfg(test)]
pub(crate) mod testutil;
