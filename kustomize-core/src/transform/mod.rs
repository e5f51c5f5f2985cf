//! Transformers that edit resources in place: namespace, name prefix and suffix, labels,
//! annotations, images and replicas, all driven by field specs (see [`fieldspec`]) and one path
//! walker (see [`walk`]).

pub mod annotations;
pub mod fieldspec;
#[cfg(test)]
mod fixtures;
pub mod images;
pub mod labels;
pub mod namespace;
pub mod prefix_suffix;
pub mod replicas;
#[cfg(test)]
mod testutil;
pub mod walk;
