//! Transformers: stages that change resources in place.

pub mod patch;
