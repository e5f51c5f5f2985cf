//! Patches: JSON 6902 patches and telling them apart from strategic-merge patches.

pub mod json6902;
