//! Patches: strategic-merge (and, later, JSON 6902).

pub mod strategic;
