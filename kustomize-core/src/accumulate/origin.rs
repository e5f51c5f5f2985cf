//! `buildMetadata`: where resources come from and which transformers touched them.
//!
//! When the top kustomization lists anything under `buildMetadata`, kustomize tracks origins for
//! the whole build (bases inherit the top's setting; their own `buildMetadata` is ignored):
//!
//! * every resource read from a file gets `config.kubernetes.io/origin: "path: <file>\n"`, the
//!   path written from the directory the build started in;
//! * generated resources that have no origin yet get the generator's: `configuredIn` (the
//!   kustomization file, or the plugin config's file) and `configuredBy` (the generator's
//!   apiVersion, kind and, for plugin configs, name and namespace);
//! * after every transformer, builtin or from `transformers:`, every resource gets the
//!   transformer's origin appended to `alpha.config.kubernetes.io/transformations` (or as its
//!   origin, if it has none).
//!
//! The annotations live in the documents, as kustomize keeps them, so patches and selectors see
//! them; the build strips them at the end unless `originAnnotations` /
//! `transformerAnnotations` keep them. Their text is what kyaml's encoder writes for kustomize's
//! `Origin` struct.

use crate::error::{Error, ErrorKind, Result};
use crate::load::decode::{decodable, At, Decode};
use crate::load::kustomization::KUSTOMIZATION_FILE_NAMES;
use crate::load::remote::RepoSpec;
use crate::load::yaml::{parse_documents, Schema};
use crate::load::Loader;
use crate::node::{Mapping, Node, Scalar, Tag};
use crate::resource::{Resource, ResourceList};
use crate::transform::fieldspec::FieldSpec;
use crate::transform::labels::Pairs;
use std::path::{Component, Path};
use std::sync::Arc;

/// The annotation holding a resource's origin.
pub(crate) const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
/// The annotation listing the transformers that changed a resource.
pub(crate) const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";

/// `buildMetadata` values.
pub(crate) const ORIGIN_OPTION: &str = "originAnnotations";
/// Keeps [`TRANSFORMATIONS_ANNOTATION`] in the output.
pub(crate) const TRANSFORMER_OPTION: &str = "transformerAnnotations";
/// Adds `app.kubernetes.io/managed-by` to every resource.
pub(crate) const MANAGED_BY_OPTION: &str = "managedByLabel";

/// The label `managedByLabel` adds, and its value: kustomize's own version string, which the
/// reference build reports as `(devel)`.
pub(crate) const MANAGED_BY_LABEL: (&str, &str) =
    ("app.kubernetes.io/managed-by", "kustomize-(devel)");

decodable! {
    /// kyaml's `ResourceIdentifier`: what configured a generator or transformer.
    pub(crate) struct ResourceIdentifier as "ResourceIdentifier" {
        /// `apiVersion`.
        pub api_version: String = "apiVersion",
        /// `kind`.
        pub kind: String = "kind",
        /// `name`.
        pub name: String = "name",
        /// `namespace`.
        pub namespace: String = "namespace",
    }
}

decodable! {
    /// kustomize's `resource.Origin`.
    pub(crate) struct Origin as "Origin" {
        /// The resource's file, from the build's directory.
        pub path: String = "path",
        /// The remote repository the resource came from.
        pub repo: String = "repo",
        /// The remote reference.
        pub ref_: String = "ref",
        /// The file configuring the generator or transformer.
        pub configured_in: String = "configuredIn",
        /// The generator or transformer.
        pub configured_by: Option<ResourceIdentifier> = "configuredBy",
    }
}

impl Origin {
    /// The entries kyaml writes, in the struct's order, empty ones left out.
    fn entries(&self) -> Vec<(&'static str, Entry<'_>)> {
        let mut out = Vec::with_capacity(5);
        for (key, value) in [
            ("path", &self.path),
            ("repo", &self.repo),
            ("ref", &self.ref_),
            ("configuredIn", &self.configured_in),
        ] {
            if !value.is_empty() {
                out.push((key, Entry::Text(value)));
            }
        }
        if let Some(by) = &self.configured_by {
            let fields: Vec<(&'static str, &str)> = [
                ("apiVersion", &by.api_version),
                ("kind", &by.kind),
                ("name", &by.name),
                ("namespace", &by.namespace),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.as_str()))
            .collect();
            if !fields.is_empty() {
                out.push(("configuredBy", Entry::Fields(fields)));
            }
        }
        out
    }

    /// The annotation text (kyaml's `Marshal`: two-space indents).
    pub(crate) fn to_yaml(&self) -> String {
        let mut out = String::new();
        write_origin(&mut out, self, "", "");
        out
    }

    /// Reads an origin annotation as kustomize does (sigs.k8s.io/yaml into the struct).
    pub(crate) fn parse(text: &str) -> Result<Origin> {
        let docs = parse_documents(text.as_bytes(), Schema::Yaml11)
            .map_err(|e| Error::new(ErrorKind::Transform, e.to_string()))?;
        match docs.into_iter().next() {
            None => Ok(Origin::default()),
            Some(n) if n.is_null() => Ok(Origin::default()),
            Some(n) => Origin::decode(&n, at("Origin")).map_err(unmarshal_error),
        }
    }
}

fn at(strukt: &'static str) -> At<'static> {
    At {
        strukt,
        path: "",
        lenient: true,
    }
}

fn unmarshal_error(e: Error) -> Error {
    Error::new(
        e.kind(),
        format!(
            "error unmarshaling JSON: while decoding JSON: {}",
            e.message()
        ),
    )
}

enum Entry<'a> {
    Text(&'a str),
    Fields(Vec<(&'static str, &'a str)>),
}

/// Writes one origin as a block mapping; `first` prefixes its first line (a sequence's `- `),
/// `indent` its other lines.
fn write_origin(out: &mut String, origin: &Origin, first: &str, indent: &str) {
    let entries = origin.entries();
    if entries.is_empty() {
        out.push_str(first);
        out.push_str("{}\n");
        return;
    }
    for (i, (key, entry)) in entries.iter().enumerate() {
        out.push_str(if i == 0 { first } else { indent });
        out.push_str(key);
        out.push(':');
        match entry {
            Entry::Text(v) => {
                out.push(' ');
                out.push_str(&yaml_string(v));
                out.push('\n');
            }
            Entry::Fields(fields) => {
                out.push('\n');
                for (k, v) in fields {
                    out.push_str(indent);
                    out.push_str("  ");
                    out.push_str(k);
                    out.push_str(": ");
                    out.push_str(&yaml_string(v));
                    out.push('\n');
                }
            }
        }
    }
}

/// The text of the transformations annotation for `list` (a YAML sequence of origins; kyaml
/// writes sequences unindented under their parent).
pub(crate) fn transformations_yaml(list: &[Option<Origin>]) -> String {
    if list.is_empty() {
        return "[]\n".to_owned();
    }
    let mut out = String::new();
    for item in list {
        match item {
            Some(origin) => write_origin(&mut out, origin, "- ", "  "),
            None => out.push_str("- null\n"),
        }
    }
    out
}

/// Reads the transformations annotation (a list of origins; `null` entries stay as such).
pub(crate) fn parse_transformations(text: &str) -> Result<Vec<Option<Origin>>> {
    let docs = parse_documents(text.as_bytes(), Schema::Yaml11)
        .map_err(|e| Error::new(ErrorKind::Transform, e.to_string()))?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Vec::new());
    };
    match &doc {
        Node::Scalar(s) if s.is_null() => Ok(Vec::new()),
        Node::Seq(items) => items
            .iter()
            .map(|item| {
                if item.is_null() {
                    Ok(None)
                } else {
                    Origin::decode(item, at("Origin"))
                        .map(Some)
                        .map_err(unmarshal_error)
                }
            })
            .collect(),
        other => Err(Error::new(
            ErrorKind::Transform,
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type resource.Transformations",
                match other {
                    Node::Map(_) => "object",
                    Node::Scalar(s) if matches!(s.tag, Tag::Int | Tag::Float) => "number",
                    Node::Scalar(s) if s.tag == Tag::Bool => "bool",
                    _ => "string",
                }
            ),
        )),
    }
}

/// How go-yaml v3 writes a string scalar in block context: plain when it reads back as the same
/// string, else single- or double-quoted.
fn yaml_string(s: &str) -> String {
    let resolves_to_string = crate::transform::walk::resolve_plain(s) == Tag::Str
        && !is_old_bool(s)
        && !is_base60_float(s);
    if resolves_to_string && plain_allowed(s) {
        return s.to_owned();
    }
    if resolves_to_string && s.chars().all(|c| c == ' ' || is_printable(c)) && !s.is_empty() {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) || c == ' ' => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn is_printable(c: char) -> bool {
    matches!(c, '\u{21}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

/// YAML 1.1 booleans that go-yaml v3 still quotes for older readers.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether the emitter may write `s` as a plain scalar in block context (libyaml's analysis,
/// for the texts origins hold: paths, kinds, names).
fn plain_allowed(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if first == b' ' || b[b.len() - 1] == b' ' || b[b.len() - 1] == b':' {
        return false;
    }
    if matches!(
        first,
        b',' | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    ) {
        return false;
    }
    if matches!(first, b'-' | b'?' | b':') && (b.len() == 1 || b[1] == b' ') {
        return false;
    }
    !s.contains(": ") && !s.contains(" #") && s.chars().all(|c| c == ' ' || is_printable(c))
}

/// Go's `filepath.Clean` on a slash path.
pub(crate) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Join`: the non-empty parts joined with `/`, cleaned; empty if all are empty.
pub(crate) fn join(dir: &str, path: &str) -> String {
    match (dir.is_empty(), path.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(path),
        (false, true) => clean(dir),
        (false, false) => clean(&format!("{dir}/{path}")),
    }
}

/// Origin tracking for one build: on when the top kustomization has `buildMetadata`.
#[derive(Clone, Debug)]
pub(crate) struct Tracker {
    /// The directory the build started in; origin paths are written from here.
    root: Arc<Path>,
}

impl Tracker {
    /// Tracking for a build rooted at `loader` whose kustomization has `build_metadata`.
    pub(crate) fn for_build(loader: &Loader<'_>, build_metadata: &[String]) -> Option<Tracker> {
        (!build_metadata.is_empty()).then(|| Tracker {
            root: Arc::from(loader.root()),
        })
    }

    /// The path of `loader`'s directory from the build's (empty for the build's own). kustomize
    /// joins the paths the kustomizations spelled; the directories' real paths give the same
    /// answer unless symbolic links are involved.
    fn dir(&self, loader: &Loader<'_>) -> String {
        relative(&self.root, loader.root())
    }

    /// Where `loader`'s directory is, as kustomize's origins record it: a path from the build's
    /// directory or, in a remote base, the repository, its ref and the path in the repository.
    fn place(&self, loader: &Loader<'_>) -> Origin {
        match loader.repo() {
            Some(repo) => Origin {
                path: join(
                    &repo.spec.origin_path(),
                    &relative(&repo.root, loader.root()),
                ),
                repo: repo.spec.clone_spec(),
                ref_: repo.spec.reference.clone(),
                ..Default::default()
            },
            None => Origin {
                path: self.dir(loader),
                ..Default::default()
            },
        }
    }

    /// The origin of resources read from `path` (as the kustomization at `loader` spells it).
    pub(crate) fn file(&self, loader: &Loader<'_>, path: &str) -> Origin {
        let mut origin = self.place(loader);
        // A URL that reads as a repository names its own place (kustomize's `Origin.Append`).
        match RepoSpec::parse(path) {
            Ok(spec) => {
                origin.path = clean(&spec.origin_path());
                origin.repo = spec.clone_spec();
                origin.ref_ = spec.reference;
            }
            Err(_) => origin.path = join(&origin.path, path),
        }
        origin
    }

    /// The kustomization file at `loader`: its path from the build's directory or, in a remote
    /// base, its repository, ref and path in the repository.
    pub(crate) fn kustomization_file(&self, loader: &Loader<'_>) -> Origin {
        // The loader read exactly one of these names, or the build would have failed.
        let name = KUSTOMIZATION_FILE_NAMES
            .iter()
            .find(|n| loader.read(n).is_ok())
            .copied()
            .unwrap_or(KUSTOMIZATION_FILE_NAMES[0]);
        let mut origin = self.place(loader);
        origin.path = join(&origin.path, name);
        origin
    }
}

/// The relative path from directory `from` to `to`, `/`-separated (empty when they are equal).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// kyaml's `GetAnnotations`: the annotations as strings (entries read pairwise, whatever the
/// node; non-scalar values read as empty).
pub(crate) fn annotation_pairs(node: &Node) -> Vec<(String, String)> {
    let text = |n: &Node| n.as_scalar().map_or("", |s| s.as_str()).to_owned();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: String| match pairs.iter_mut().find(|(pk, _)| *pk == k) {
        Some(slot) => slot.1 = v,
        None => pairs.push((k, v)),
    };
    match node.get_path(&["metadata", "annotations"]) {
        Some(Node::Map(m)) => m
            .iter()
            .for_each(|(k, v)| put(k.as_str().to_owned(), text(v))),
        Some(Node::Seq(items)) => items
            .chunks(2)
            .for_each(|kv| put(text(&kv[0]), kv.get(1).map(text).unwrap_or_default())),
        _ => {}
    }
    pairs
}

/// kyaml's `SetAnnotations`/`SetLabels`: the field under `metadata` rewritten as a sorted map of
/// strings, or removed when there is nothing to write.
pub(crate) fn set_metadata_map(node: &mut Node, field: &str, mut pairs: Vec<(String, String)>) {
    let Some(root) = node.as_map_mut() else {
        return;
    };
    let meta = root.get_or_insert_with("metadata", Node::map);
    if meta.is_null() {
        *meta = Node::map();
    }
    let Some(meta) = meta.as_map_mut() else {
        return;
    };
    meta.remove(field);
    if pairs.is_empty() {
        return;
    }
    pairs.sort();
    let mut map = Mapping::with_capacity(pairs.len());
    for (k, v) in pairs {
        map.push(Scalar::string(k), Node::string(v));
    }
    meta.insert(field, Node::Map(map));
}

/// The resource's origin, if it has one.
fn origin_of(node: &Node) -> Result<Option<Origin>> {
    annotation_pairs(node)
        .into_iter()
        .find(|(k, _)| k == ORIGIN_ANNOTATION)
        .map(|(_, v)| Origin::parse(&v))
        .transpose()
}

/// kustomize's `SetOrigin`.
pub(crate) fn set_origin(resource: &mut Resource, origin: &Origin) {
    let mut pairs = annotation_pairs(resource.node());
    put(&mut pairs, ORIGIN_ANNOTATION, origin.to_yaml());
    set_metadata_map(resource.node_mut(), "annotations", pairs);
}

fn put(pairs: &mut Vec<(String, String)>, key: &str, value: String) {
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => pairs.push((key.to_owned(), value)),
    }
}

/// Gives every resource read from `path` its origin (kustomize's `AnnotateAll`, which sets the
/// one annotation through the annotations filter).
pub(crate) fn annotate_file(
    tracker: Option<&Tracker>,
    loader: &Loader<'_>,
    path: &str,
    resources: &mut [Resource],
) -> Result<()> {
    let Some(tracker) = tracker else {
        return Ok(());
    };
    let text = tracker.file(loader, path).to_yaml();
    let pairs = Pairs::new([(ORIGIN_ANNOTATION, text)]);
    let spec = [FieldSpec::new(
        crate::resource::Gvk::default(),
        "metadata/annotations",
        true,
    )];
    for r in resources {
        crate::transform::annotations::apply_annotations(r.node_mut(), &pairs, &spec)?;
    }
    Ok(())
}

/// A generator merging into `old` keeps `old`'s origin, if it has one.
pub(crate) fn keep_origin(new: &mut Resource, old: &Resource) -> Result<()> {
    if let Some(origin) = origin_of(old.node())? {
        set_origin(new, &origin);
    }
    Ok(())
}

/// kustomize's `AddOriginAnnotation`: generated resources without an origin get `origin`.
pub(crate) fn add_origin(resource: &mut Resource, origin: &Origin) -> Result<()> {
    if origin_of(resource.node())?.is_none() {
        set_origin(resource, origin);
    }
    Ok(())
}

/// kustomize's `AddTransformerAnnotation`, for every resource: `origin` is appended to the
/// transformations of resources that have an origin, and becomes the origin of those that do
/// not.
pub(crate) fn add_transformation(resources: &mut ResourceList, origin: &Origin) -> Result<()> {
    resources.update(|list| {
        for r in list.iter_mut() {
            let mut pairs = annotation_pairs(r.node());
            let has_origin = match pairs.iter().find(|(k, _)| k == ORIGIN_ANNOTATION) {
                Some((_, text)) => {
                    Origin::parse(text)?;
                    true
                }
                None => false,
            };
            if !has_origin {
                put(&mut pairs, ORIGIN_ANNOTATION, origin.to_yaml());
            } else {
                let mut list = match pairs.iter().find(|(k, _)| k == TRANSFORMATIONS_ANNOTATION) {
                    Some((_, text)) => parse_transformations(text)?,
                    None => Vec::new(),
                };
                list.push(Some(origin.clone()));
                put(
                    &mut pairs,
                    TRANSFORMATIONS_ANNOTATION,
                    transformations_yaml(&list),
                );
            }
            set_metadata_map(r.node_mut(), "annotations", pairs);
        }
        Ok(())
    })
}

/// `managedByLabel`: kustomize labels every resource of the output, last of all.
pub(crate) fn add_managed_by_label(
    build_metadata: &[String],
    resources: &mut [Resource],
) -> Result<()> {
    if !build_metadata.iter().any(|o| o == MANAGED_BY_OPTION) {
        return Ok(());
    }
    let pairs = Pairs::new([MANAGED_BY_LABEL]);
    let spec = [FieldSpec::new(
        crate::resource::Gvk::default(),
        "metadata/labels",
        true,
    )];
    resources
        .iter_mut()
        .try_for_each(|r| crate::transform::labels::apply_labels(r.node_mut(), &pairs, &spec))
}

/// The annotations the build keeps, by the top kustomization's `buildMetadata`.
pub(crate) fn kept_annotations(build_metadata: &[String]) -> Vec<&'static str> {
    let mut keep = Vec::new();
    if build_metadata.iter().any(|o| o == ORIGIN_OPTION) {
        keep.push(ORIGIN_ANNOTATION);
    }
    if build_metadata.iter().any(|o| o == TRANSFORMER_OPTION) {
        keep.push(TRANSFORMATIONS_ANNOTATION);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(kind: &str, configured_in: &str) -> Origin {
        Origin {
            configured_in: configured_in.into(),
            configured_by: Some(ResourceIdentifier {
                api_version: "builtin".into(),
                kind: kind.into(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn writes_origins_as_kyaml_does() {
        let file = Origin {
            path: "base/cm.yaml".into(),
            ..Default::default()
        };
        assert_eq!(file.to_yaml(), "path: base/cm.yaml\n");
        let b = builtin("ConfigMapGenerator", "kustomization.yaml");
        assert_eq!(
            b.to_yaml(),
            "configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n"
        );
        let list = transformations_yaml(&[Some(b.clone()), Some(file)]);
        assert_eq!(
            list,
            "- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n- path: base/cm.yaml\n"
        );
        assert_eq!(parse_transformations(&list).unwrap()[0], Some(b.clone()));
        assert_eq!(Origin::parse(&b.to_yaml()).unwrap(), b);
        assert_eq!(Origin::default().to_yaml(), "{}\n");
    }

    #[test]
    fn quotes_strings_that_would_read_back_differently() {
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("yes"), "\"yes\"");
        assert_eq!(yaml_string("12"), "\"12\"");
        assert_eq!(yaml_string("a b"), "a b");
        assert_eq!(yaml_string("*x"), "'*x'");
        assert_eq!(yaml_string(""), "\"\"");
        assert_eq!(yaml_string("1:20"), "\"1:20\"");
    }

    #[test]
    fn joins_paths_as_go_does() {
        assert_eq!(join("", "cm.yaml"), "cm.yaml");
        assert_eq!(join("", "./a/../cm.yaml"), "cm.yaml");
        assert_eq!(join("../base", "x.yaml"), "../base/x.yaml");
        assert_eq!(join("base", "../../x.yaml"), "../x.yaml");
        assert_eq!(join("", ""), "");
    }
}
