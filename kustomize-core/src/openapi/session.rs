//! kyaml's global schema state over one build, step by step.
//!
//! kyaml keeps one schema per process and fills it lazily, so which definitions a patch sees
//! depends on the order of events in the build:
//!
//! - Each kustomization, when loaded (the root first, then each sub-kustomization as it is
//!   reached), offers its `openapi:` field ([`SchemaSession::set_schema`]). The root's replaces
//!   whatever was set; a sub-kustomization's counts only if nothing was set before. A `path`
//!   (custom schema) and a `version` cannot both be given; the only version is `v1.21.2`.
//! - The first lookup that needs the schema (a strategic-merge patch: [`SchemaSession::schema`])
//!   parses it: the custom document if one is set, else the built-in one, then kustomize's own
//!   types. Parsing adds to what an earlier parse left, and a newly set schema is parsed again
//!   at the next lookup, so a custom schema set after the built-in one was used is laid over it.
//! - Asking for a type's scope ([`SchemaSession::is_namespace_scoped`], which kustomize does
//!   whenever it builds a resource id) answers from kyaml's hard-coded table when it can. Under
//!   the built-in schema it otherwise only notes that the built-in schema is wanted, so that a
//!   custom schema parsed later gets the built-in one laid over it; under a custom schema it
//!   parses right away.

use super::{Schema, BUILTIN_VERSION};
use crate::error::{Error, ErrorKind, Result};
use crate::node::Node;

/// Whether kyaml has parsed its built-in schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    NotParsed,
    /// A scope question wanted it; it is parsed along with the next parse.
    Delayed,
    Parsed,
}

/// The global schema as kyaml holds it.
#[derive(Clone, Debug)]
enum Global {
    Empty,
    Builtin,
    Owned(Box<Schema>),
}

/// One build's view of kyaml's global schema (see the module documentation).
#[derive(Clone, Debug)]
pub struct SchemaSession {
    /// `""` (none set), `"custom"`, or the built-in version.
    version: String,
    /// The custom document set, already read.
    custom: Option<Box<Schema>>,
    initialized: bool,
    builtin: Builtin,
    global: Global,
    /// Whether `set_schema` changed the schema since this session was forked.
    touched: bool,
}

impl Default for SchemaSession {
    fn default() -> Self {
        SchemaSession {
            version: String::new(),
            custom: None,
            initialized: false,
            builtin: Builtin::NotParsed,
            global: Global::Empty,
            touched: false,
        }
    }
}

fn openapi_error(msg: &str) -> Error {
    Error::new(ErrorKind::Kustomization, msg)
}

impl SchemaSession {
    /// A fresh build: nothing set, nothing parsed.
    pub fn new() -> Self {
        SchemaSession::default()
    }

    /// kyaml's `SetSchema`, for a kustomization's `openapi:` field: `version` is its `version`
    /// entry if present, `custom` the parsed file its `path` names. `reset` is true for the root
    /// kustomization only.
    pub fn set_schema(
        &mut self,
        version: Option<&str>,
        custom: Option<&Node>,
        reset: bool,
    ) -> Result<()> {
        let already_set = !self.version.is_empty() || self.custom.is_some();
        if already_set && !reset {
            return Ok(());
        }
        if custom.is_some() || version.is_some() || already_set {
            self.touched = true;
        }
        if let Some(doc) = custom {
            if version.is_some() {
                return Err(openapi_error(
                    "builtin version and custom schema provided, cannot use both",
                ));
            }
            let raw = super::RawSwagger::from_node(doc)?;
            self.custom = Some(Box::new(Schema::from_swagger(&[raw])));
            self.version = "custom".into();
            self.initialized = false;
            return Ok(());
        }
        let version = version.unwrap_or("");
        self.version = version.to_owned();
        if version.is_empty() {
            return Ok(());
        }
        if version != BUILTIN_VERSION {
            return Err(openapi_error(
                "the specified OpenAPI version is not built in",
            ));
        }
        self.custom = None;
        self.initialized = false;
        Ok(())
    }

    /// The schema as kyaml's lookups see it now, parsing what is due (kyaml's `initSchema`).
    pub fn schema(&mut self) -> &Schema {
        if !self.initialized {
            self.initialized = true;
            if let Some(custom) = &self.custom {
                let custom = custom.as_ref().clone();
                self.lay(custom);
            } else {
                self.lay_builtin();
            }
            if self.builtin == Builtin::Delayed {
                self.lay_builtin();
            }
            // kustomize's own types come last each time (the built-in table holds them).
            if !matches!(self.global, Global::Builtin) {
                let kustomize = Schema::builtin().only_kustomize_types_and_precomputed_scopes();
                self.lay(kustomize);
            }
        }
        match &self.global {
            Global::Owned(s) => s,
            Global::Empty | Global::Builtin => Schema::builtin(),
        }
    }

    fn lay_builtin(&mut self) {
        self.builtin = Builtin::Parsed;
        match &mut self.global {
            Global::Empty | Global::Builtin => self.global = Global::Builtin,
            Global::Owned(s) => s.overlay(Schema::builtin()),
        }
    }

    fn lay(&mut self, schema: Schema) {
        match &mut self.global {
            Global::Empty => self.global = Global::Owned(Box::new(schema)),
            Global::Builtin => {
                let mut s = Schema::builtin().clone();
                s.overlay(&schema);
                self.global = Global::Owned(Box::new(s));
            }
            Global::Owned(s) => s.overlay(&schema),
        }
    }

    /// A copy for building a base on another thread (see [`SchemaSession::join`]).
    pub fn fork(&self) -> Self {
        SchemaSession {
            touched: false,
            ..self.clone()
        }
    }

    /// Whether `set_schema` changed anything in this (forked) session: then bases cannot be
    /// built independently and the build redoes them in order.
    pub fn was_touched(&self) -> bool {
        self.touched
    }

    /// Takes back what a forked, untouched session learned (which schemas got parsed), as if
    /// its work had been done here, in order.
    pub fn join(&mut self, child: SchemaSession) {
        if child.initialized && !self.initialized {
            self.initialized = true;
            self.global = child.global;
        }
        let rank = |b: Builtin| match b {
            Builtin::NotParsed => 0,
            Builtin::Delayed => 1,
            Builtin::Parsed => 2,
        };
        if rank(child.builtin) > rank(self.builtin) {
            self.builtin = child.builtin;
        }
    }

    /// kyaml's `IsNamespaceScoped` (with its side effects on the schema state).
    pub fn is_namespace_scoped(&mut self, api_version: &str, kind: &str) -> Option<bool> {
        if let Some(answer) = Schema::builtin().precomputed_namespace_scoped(api_version, kind) {
            return Some(answer);
        }
        let needs_parse = if self.initialized {
            false
        } else if self.custom.is_some() {
            true
        } else if self.version.is_empty() || self.version == BUILTIN_VERSION {
            if self.builtin == Builtin::NotParsed {
                self.builtin = Builtin::Delayed;
            }
            false
        } else {
            true
        };
        if needs_parse {
            self.schema();
        }
        match &self.global {
            Global::Empty => None,
            Global::Builtin => Schema::builtin().is_namespace_scoped(api_version, kind),
            Global::Owned(s) => s.is_namespace_scoped(api_version, kind),
        }
    }

    /// kyaml's `IsCertainlyClusterScoped`.
    pub fn is_certainly_cluster_scoped(&mut self, api_version: &str, kind: &str) -> bool {
        self.is_namespace_scoped(api_version, kind) == Some(false)
    }
}
