//! Patches: strategic-merge and JSON 6902, and telling one from the other.

pub mod json6902;
pub mod strategic;
