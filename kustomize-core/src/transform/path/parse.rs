//! The two path syntaxes, parsed into one list of steps.

use crate::gosem::num::atoi;
use compact_str::CompactString;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The mapping field with this key.
    Field(CompactString),
    /// The element at this position (`0`, `12`).
    Index(usize),
    /// The last element (`-`).
    Last,
    /// A negative index: an error wherever it is reached.
    Negative(i64),
    /// Every element (`*`).
    Every,
    /// The elements whose field `key` holds `value` (`[name=app]`); with an empty key, the
    /// elements that are `value` themselves (`[=a]`).
    Match {
        /// The field compared.
        key: CompactString,
        /// What it is compared with.
        value: CompactString,
    },
    /// `[...]` without `=`: an error wherever it is reached.
    BadMatch,
    /// A blank part: the node itself.
    Itself,
}

/// A step as the path writes it, with what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPart {
    /// The part as written (after unescaping; for field specs, without a `[]` suffix).
    pub text: CompactString,
    /// What the part means.
    pub step: Step,
    /// A field-spec part written with a `[]` suffix: the field should be a sequence.
    pub seq_hint: bool,
}

/// How kyaml reads the parts of a `.`-separated path. Its `PathGetter` trims each part and knows
/// `-` and negative indexes; its `PathMatcher` takes parts as written, so `-`, `-1` and ` 1` are
/// field names to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// kyaml's `PathGetter` (replacement sources, vars).
    Getter,
    /// kyaml's `PathMatcher` (replacement targets).
    Matcher,
}

/// A path, split and classified once so that walking allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    raw: Box<str>,
    parts: Box<[PathPart]>,
}

impl FieldPath {
    /// A field-spec path (`spec/template/metadata/labels`), split as kustomize splits it: at `/`
    /// (`\/` is a slash inside a part), one leading `/` ignored. Each part reads as one kyaml
    /// `PathGetter` step, which is how kustomize's field-spec filter looks it up.
    pub fn field_spec(raw: &str) -> Self {
        let parts = split(raw, '/', false)
            .into_iter()
            .map(|part| {
                let (name, seq_hint) = match part.strip_suffix("[]") {
                    Some(short) => (short, true),
                    None => (part.as_str(), false),
                };
                PathPart {
                    text: CompactString::from(name),
                    step: getter_step(name),
                    seq_hint,
                }
            })
            .collect();
        FieldPath {
            raw: raw.into(),
            parts,
        }
    }

    /// A kyaml path (`spec.containers.[name=a.b].image`), split as kustomize's
    /// `SmarterPathSplitter` splits it: at `.` (`\.` is a dot inside a part), a bracketed part
    /// kept whole (its brackets dropped unless it holds `=`), one leading `.` ignored.
    pub fn kyaml(raw: &str, reader: Reader) -> Self {
        FieldPath::from_parts(raw, split(raw, '.', true), reader)
    }

    /// A var's field path as kyaml's `GetFieldValue` reads it: a kyaml path where `ports[0]`
    /// means `ports.0`, read by `PathGetter`.
    pub fn var_ref(raw: &str) -> Self {
        let mut parts = Vec::new();
        for part in split(raw, '.', true) {
            match part.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
                Some((head, index))
                    if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    if !head.is_empty() {
                        parts.push(head.to_owned());
                    }
                    parts.push(index.to_owned());
                }
                _ => parts.push(part),
            }
        }
        FieldPath::from_parts(raw, parts, Reader::Getter)
    }

    fn from_parts(raw: &str, parts: Vec<String>, reader: Reader) -> Self {
        let parts = parts
            .into_iter()
            .map(|part| PathPart {
                step: match reader {
                    Reader::Getter => getter_step(&part),
                    Reader::Matcher => matcher_step(&part),
                },
                text: CompactString::from(part),
                seq_hint: false,
            })
            .collect();
        FieldPath {
            raw: raw.into(),
            parts,
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[PathPart] {
        &self.parts
    }

    /// The parts as written (unescaped; for field specs without a `[]` suffix).
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &str> {
        self.parts.iter().map(|p| p.text.as_str())
    }
}

/// kustomize's `PathSplitter` (at `delimiter`, a part ending in `\` joined with the next, one
/// leading empty part dropped) and, with `brackets`, its `SmarterPathSplitter` on top.
fn split(path: &str, delimiter: char, brackets: bool) -> Vec<String> {
    let mut pieces = path.split(delimiter);
    if path.starts_with(delimiter) {
        pieces.next();
    }
    let mut joined: Vec<String> = Vec::new();
    for piece in pieces {
        match joined.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push(delimiter);
                last.push_str(piece);
            }
            _ => joined.push(piece.to_owned()),
        }
    }
    if !brackets {
        return joined;
    }
    let mut out = Vec::with_capacity(joined.len());
    let mut i = 0;
    while i < joined.len() {
        let elem = &joined[i];
        if elem.starts_with('[') && !elem.ends_with(']') {
            // Up to the part that closes the bracket.
            let mut bracketed = elem.clone();
            while i < joined.len() - 1 {
                i += 1;
                bracketed.push(delimiter);
                bracketed.push_str(&joined[i]);
                if joined[i].ends_with(']') {
                    break;
                }
            }
            if bracketed.contains('=') {
                out.push(bracketed);
            } else {
                out.push(bracketed.trim_matches(['[', ']']).to_owned());
            }
        } else {
            out.push(elem.clone());
        }
        i += 1;
    }
    out
}

/// kyaml's `PathGetter` reading of a part, after trimming white space as Go does.
fn getter_step(part: &str) -> Step {
    let part = part.trim();
    if part.is_empty() {
        return Step::Itself;
    }
    if let Some(n) = atoi(part) {
        return match usize::try_from(n) {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Negative(n),
        };
    }
    match part {
        "-" => Step::Last,
        "*" => Step::Every,
        _ if is_list_index(part) => match_step(part),
        _ => Step::Field(CompactString::from(part)),
    }
}

/// kyaml's `PathMatcher` reading of a part, as written: a non-negative number indexes, `[...]`
/// matches, `*` is every element, and anything else names a field.
fn matcher_step(part: &str) -> Step {
    if let Some(i) = atoi(part).and_then(|n| usize::try_from(n).ok()) {
        return Step::Index(i);
    }
    if is_list_index(part) {
        return match_step(part);
    }
    if part == "*" {
        return Step::Every;
    }
    Step::Field(CompactString::from(part))
}

/// kyaml's `IsListIndex`.
fn is_list_index(part: &str) -> bool {
    part.starts_with('[') && part.ends_with(']')
}

/// kyaml's `SplitIndexNameValue`: `[name=value]` without its brackets, split at the first `=`.
fn match_step(part: &str) -> Step {
    let inner = part.strip_suffix(']').unwrap_or(part);
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    match inner.split_once('=') {
        Some((key, value)) => Step::Match {
            key: CompactString::from(key),
            value: CompactString::from(value),
        },
        None => Step::BadMatch,
    }
}
