//! Benchmark inputs for kbuild: a deterministic, seeded kustomization tree shaped like
//! Kubeflow's `example` ([`tree::Tree`]), and single documents for micro-benchmarks
//! ([`samples`]).
//!
//! Everything is generated in memory from a seed, so benchmarks write their input into a
//! temporary directory at startup and nothing large is committed.

pub mod crd;
pub mod samples;
pub mod text;
pub mod tree;

pub use tree::{Tree, DEFAULT_SEED, ENTRY};
