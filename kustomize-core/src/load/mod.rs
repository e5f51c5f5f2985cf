//! Loading: files on disk (or any [`crate::fs`]) into documents and kustomizations.

pub mod yaml;
