//! Go's value semantics, in one place: how the Go libraries kustomize is built on (`strconv`,
//! `encoding/json`, `encoding/base64`, go-yaml v2 and v3) read scalar text into values and write
//! values back as text.
//!
//! Reading is the YAML reader's business ([`crate::load::yaml::resolve`] resolves tags and parses
//! numbers, booleans, timestamps and `!!binary` exactly as go-yaml does); this module builds on it
//! rather than repeating it, and adds what the later stages need on top: Go's number formats
//! ([`num`]), `encoding/json`'s strings ([`json`]), base64 ([`base64`]), and the values go-yaml
//! decodes scalars to and the quoting go-yaml v2 needs ([`scalar`]).

pub(crate) mod base64;
pub(crate) mod json;
pub(crate) mod num;
pub(crate) mod scalar;
