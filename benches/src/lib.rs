//! Benchmark inputs for kbuild: a deterministic, seeded kustomization tree shaped like
//! Kubeflow's `example` ([`tree::Tree`]), and single documents for micro-benchmarks
//! ([`samples`]).
//!
//! Everything is generated in memory from a seed, so benchmarks write their input into a
//! temporary directory at startup and nothing large is committed.
//!
//! The benchmarks (`benches/`) use divan rather than criterion: a much smaller dependency tree
//! (quick to compile on shared 2-core machines), per-benchmark `sample_count`/`max_time` so that
//! `cargo bench` stays near a minute, and inputs built outside the timed region
//! (`with_inputs`) for strategic merge, which mutates its target.

pub mod crd;
pub mod samples;
pub mod text;
pub mod tree;

pub use tree::{Tree, DEFAULT_SEED, ENTRY};
