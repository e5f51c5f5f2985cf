//! Accumulation: a kustomization directory, its resources, bases and components, into one list.
//!
//! This follows kustomize's order for each kustomization: resources (files, then bases built
//! recursively) in the order listed; then generators; then components, each applied to everything
//! accumulated so far; then this kustomization's transformers.

mod crds;
pub(crate) mod origin;

use crate::error::{Error, ErrorKind, Result, ResultExt};
use crate::fs::clean;
use crate::load::kustomization::Kustomization;
use crate::load::kustomization::Var;
use crate::load::resources::{is_malformed_yaml, parse_resources};
use crate::load::{is_remote, Loader};
use crate::openapi::SchemaSession;
use crate::resource::{Resource, ResourceList};
use crate::transform::{self, fieldspec::TransformerConfig, plugins, vars};
use rayon::prelude::*;

/// State that lives for a whole build, across kustomizations.
#[derive(Debug, Default)]
pub struct Session {
    /// kyaml's schema state (changed by `openapi:` fields, used by strategic merges).
    pub schema: SchemaSession,
    /// Warnings for the user (deprecated fields, …), in the order kustomize prints them.
    pub warnings: Vec<String>,
    /// Origin tracking, on when the top kustomization has `buildMetadata`.
    pub(crate) origin: Option<origin::Tracker>,
}

/// What accumulating one kustomization produces.
#[derive(Debug, Default)]
pub struct Accumulated {
    /// The resources, in accumulation order.
    pub resources: ResourceList,
    /// The field specs transformers use: builtin ones plus every `configurations:` seen.
    pub config: TransformerConfig,
    /// The vars declared here and below, by name.
    pub vars: Vec<Var>,
    /// The directory accumulated (for messages).
    pub root: String,
}

/// Builds the kustomization at `loader`'s root: everything up to, not including, the steps
/// kustomize runs only once at the top (name hashes, back references, vars, sorting).
pub fn accumulate(
    loader: &Loader<'_>,
    session: &mut Session,
) -> Result<(Kustomization, Accumulated)> {
    let kustomization = load_kustomization(loader, session, true)?;
    session.origin = origin::Tracker::for_build(loader, &kustomization.build_metadata);
    let mut acc = Accumulated::default();
    accumulate_target(loader, &kustomization, session, &mut acc)?;
    Ok((kustomization, acc))
}

/// Reads a kustomization, records its warnings, and offers its `openapi:` field to the schema.
fn load_kustomization(
    loader: &Loader<'_>,
    session: &mut Session,
    is_root: bool,
) -> Result<Kustomization> {
    let k = loader.kustomization()?;
    session.warnings.extend(k.warnings.iter().cloned());
    let get = |key: &str| {
        k.openapi
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let custom = match get("path") {
        Some(path) => {
            let bytes = loader.read(path)?;
            let docs = crate::load::yaml::parse_documents(&bytes, crate::load::yaml::Schema::Core)
                .map_err(|e| Error::new(ErrorKind::Yaml, format!("{path}: {e}")))?;
            Some(docs.into_iter().next().unwrap_or_default())
        }
        None => None,
    };
    session
        .schema
        .set_schema(get("version"), custom.as_ref(), is_root)?;
    Ok(k)
}

fn accumulate_target(
    loader: &Loader<'_>,
    k: &Kustomization,
    session: &mut Session,
    acc: &mut Accumulated,
) -> Result<()> {
    if k.uses_helm {
        return Err(Error::new(
            ErrorKind::Kustomization,
            "helm charts are not supported: kbuild builds kustomizations without helm (kustomize needs --enable-helm)",
        ));
    }
    accumulate_resources(loader, &k.resources, session, acc)
        .with_context(|| "accumulating resources")?;
    let own = transform::load_config(loader, k)?;
    acc.config = acc
        .config
        .merge(&own)
        .with_context(|| format!("merging config {}", own.go_debug()))?;
    crds::merge_crds(loader, &k.crds, &mut acc.config)?;
    plugins::run_generators(loader, k, session, &mut acc.resources)?;
    accumulate_components(loader, &k.components, session, acc)
        .with_context(|| "accumulating components")?;
    plugins::run_transformers(loader, k, &acc.config, session, &mut acc.resources)?;
    vars::merge_vars(acc, &k.vars).with_context(|| "merging vars")?;
    Ok(())
}

/// What one entry of `resources` turned out to be.
enum Entry {
    /// A file of resources.
    File(Vec<Resource>),
    /// A base directory, built.
    Base(Accumulated),
}

/// Reads or builds the entries of `resources`. Entries are independent of each other, so they
/// are read and built in parallel (each base in a forked session), then merged in their listed
/// order, so results and errors are those of a build in order. A base that changes the OpenAPI
/// schema would make later bases depend on it; then the entries are done again, in order.
pub(crate) fn accumulate_resources(
    loader: &Loader<'_>,
    paths: &[String],
    session: &mut Session,
    acc: &mut Accumulated,
) -> Result<()> {
    let fork = || Session {
        schema: session.schema.fork(),
        warnings: Vec::new(),
        origin: session.origin.clone(),
    };
    let load = |(path, mut s): (&String, Session)| (load_entry(loader, path, &mut s), s);
    let forks: Vec<Session> = paths.iter().map(|_| fork()).collect();
    let entries: Vec<(Result<Entry>, Session)> = if paths.len() > 1 {
        paths.par_iter().zip(forks).map(load).collect()
    } else {
        paths.iter().zip(forks).map(load).collect()
    };
    if entries.iter().any(|(_, s)| s.schema.was_touched()) {
        for path in paths {
            let entry = load_entry(loader, path, session);
            merge_entry(path, entry, acc)?;
        }
        return Ok(());
    }
    for (path, (entry, child)) in paths.iter().zip(entries) {
        session.warnings.extend(child.warnings);
        session.schema.join(child.schema);
        merge_entry(path, entry, acc)?;
    }
    Ok(())
}

fn merge_entry(path: &str, entry: Result<Entry>, acc: &mut Accumulated) -> Result<()> {
    match entry? {
        Entry::File(resources) => {
            for r in resources {
                acc.resources
                    .append(r)
                    .with_context(|| format!("merging resources from '{path}'"))?;
            }
            Ok(())
        }
        Entry::Base(sub) => {
            let root = sub.root.clone();
            merge_accumulated(acc, sub)
                .with_context(|| format!("recursed merging from path '{root}'"))
        }
    }
}

/// One entry of `resources`: a file of resources, or else a base directory.
fn load_entry(loader: &Loader<'_>, path: &str, session: &mut Session) -> Result<Entry> {
    let file_err = match read_resource_file(loader, path) {
        Ok(mut resources) => {
            // kustomize asks each new resource's scope, which can mark kyaml's built-in schema
            // as wanted (laid over a custom schema a component sets later).
            for r in &resources {
                session
                    .schema
                    .is_namespace_scoped(r.api_version(), r.kind());
            }
            origin::annotate_file(session.origin.as_ref(), loader, path, &mut resources)?;
            return Ok(Entry::File(resources));
        }
        Err(e) => e.context(format!("accumulating resources from '{path}'")),
    };
    // An HTTP error status for a URL that is no repository ends it, as in kustomize.
    if file_err.kind() == ErrorKind::Http {
        return Err(file_err);
    }
    // Not a readable resource file: kustomize then tries the path as a directory, and reports
    // both failures. Only one of them says what is wrong: the directory's when the path is a
    // directory, else the file's (a remote URL keeps both).
    let is_dir = loader.fs().is_dir(&clean(&loader.root().join(path)));
    let combine = |dir_err: Error| {
        if is_dir {
            dir_err.context(format!("accumulating resources from '{path}'"))
        } else if is_malformed_yaml(&file_err) || !is_remote(path) {
            file_err.clone()
        } else {
            Error::new(
                dir_err.kind(),
                format!("accumulation err='{file_err}': {dir_err}"),
            )
        }
    };
    let child = loader.child(path).map_err(combine)?;
    let sub = build_base(&child, session).map_err(combine)?;
    Ok(Entry::Base(sub))
}

fn read_resource_file(loader: &Loader<'_>, path: &str) -> Result<Vec<Resource>> {
    let bytes = loader.read(path)?;
    Ok(parse_resources(&bytes)?
        .into_iter()
        .map(Resource::new)
        .collect())
}

fn accumulate_components(
    loader: &Loader<'_>,
    paths: &[String],
    session: &mut Session,
    acc: &mut Accumulated,
) -> Result<()> {
    for path in paths {
        let child = loader.child(path)?;
        apply_component(&child, session, acc)?;
    }
    Ok(())
}

/// Loads the kustomization of a base or component directory and checks its kind.
fn load_sub_kustomization(
    loader: &Loader<'_>,
    is_component: bool,
    session: &mut Session,
) -> Result<Kustomization> {
    let root = loader.root().display().to_string();
    let k = load_kustomization(loader, session, false)
        .with_context(|| format!("couldn't make target for path '{root}'"))?;
    if is_component && !k.is_component() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!(
                "expected kind 'Component' for path '{root}' but got '{}'",
                k.kind
            ),
        ));
    }
    if !is_component && k.is_component() {
        return Err(Error::new(
            ErrorKind::Kustomization,
            format!("expected kind != 'Component' for path '{root}'"),
        ));
    }
    Ok(k)
}

/// Builds a base directory into a fresh accumulation.
fn build_base(loader: &Loader<'_>, session: &mut Session) -> Result<Accumulated> {
    let k = load_sub_kustomization(loader, false, session)?;
    let root = loader.root().display().to_string();
    let mut sub = Accumulated {
        root: root.clone(),
        ..Default::default()
    };
    accumulate_target(loader, &k, session, &mut sub)
        .with_context(|| format!("recursed accumulation of path '{root}'"))?;
    Ok(sub)
}

/// Applies a component directory to everything accumulated so far.
fn apply_component(
    loader: &Loader<'_>,
    session: &mut Session,
    acc: &mut Accumulated,
) -> Result<()> {
    let k = load_sub_kustomization(loader, true, session)?;
    let root = loader.root().display().to_string();
    accumulate_target(loader, &k, session, acc)
        .with_context(|| format!("recursed accumulation of path '{root}'"))
}

/// Adds a base's accumulation to this one: resources (ids must be new), config, vars.
fn merge_accumulated(acc: &mut Accumulated, sub: Accumulated) -> Result<()> {
    acc.resources.append_all(sub.resources)?;
    acc.config = acc.config.merge(&sub.config)?;
    for var in sub.vars {
        vars::add_var(&mut acc.vars, var)?;
    }
    Ok(())
}
