//! Field specs and the transformer configuration built from them.
//!
//! A [`FieldSpec`] names a field (`path`) in resources of some group/version/kind, and says
//! whether a transformer may create the field when it is absent. kustomize ships tables of them
//! (labels, annotations, namespace, name prefix/suffix, images, replicas, var references and name
//! references); they live in `fieldspec/*.txt` in a one-line-per-spec format and are parsed once.
//!
//! A kustomization's `configurations:` files add specs; [`TransformerConfig::merge`] combines
//! configs exactly as kustomize does (duplicates dropped, a duplicate whose `create` differs is an
//! error, every list re-sorted with Go's unstable sort so ties land where kustomize puts them).

use super::path::FieldPath;
use crate::error::{Error, ErrorKind, Result};
use crate::gosem::num::{format_float32_g, parse_float, parse_int, Number};
use crate::load::yaml::resolve::parse_bool;
use crate::load::yaml::Schema;
use crate::node::{Node, Scalar, Tag};
use crate::resource::Gvk;
use crate::sort::{DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

/// A kustomizable field: a gvk selector, a path, and whether the field may be created.
///
/// Cheap to clone (shared); immutable once built.
#[derive(Clone, PartialEq, Eq)]
pub struct FieldSpec(Arc<SpecInner>);

#[derive(PartialEq, Eq)]
struct SpecInner {
    gvk: Gvk,
    path: FieldPath,
    path_hash: u64,
    create: bool,
    /// The gvk's sort key (see [`gvk_less`]), computed once: lists are re-sorted at every merge.
    rank: i32,
    order_key: Box<str>,
}

impl FieldSpec {
    /// A spec selecting `gvk` (empty parts match anything) at `path`.
    pub fn new(gvk: Gvk, path: &str, create: bool) -> Self {
        let rank = kind_rank(&gvk.kind);
        let order_key = order_key(&gvk).into_boxed_str();
        FieldSpec(Arc::new(SpecInner {
            gvk,
            path: FieldPath::field_spec(path),
            path_hash: hash_str(path),
            create,
            rank,
            order_key,
        }))
    }

    /// The gvk selector.
    pub fn gvk(&self) -> &Gvk {
        &self.0.gvk
    }

    /// The path, parsed.
    pub fn path(&self) -> &FieldPath {
        &self.0.path
    }

    /// The path as written.
    pub fn path_str(&self) -> &str {
        self.0.path.as_str()
    }

    /// Whether the field may be created.
    pub fn create(&self) -> bool {
        self.0.create
    }

    /// Whether this spec applies to a resource of `gvk`: each non-empty part of the selector must
    /// equal the resource's.
    pub fn selects(&self, gvk: &Gvk) -> bool {
        gvk_selected(gvk, &self.0.gvk)
    }

    /// kustomize's duplicate test: same path, and `incoming`'s selector selects this spec's gvk.
    fn is_duplicated_by(&self, incoming: &FieldSpec) -> bool {
        self.0.path_hash == incoming.0.path_hash
            && self.0.path.as_str() == incoming.0.path.as_str()
            && gvk_selected(&self.0.gvk, &incoming.0.gvk)
    }
}

/// Go's `FieldSpec.String()`: `Kind.version.group:create:path`.
impl fmt::Display for FieldSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.0.gvk,
            self.0.create,
            self.0.path.as_str()
        )
    }
}

impl fmt::Debug for FieldSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// kustomize's `Gvk.IsSelected`: every non-empty part of `selector` equals `x`'s.
pub fn gvk_selected(x: &Gvk, selector: &Gvk) -> bool {
    (selector.group.is_empty() || x.group == selector.group)
        && (selector.version.is_empty() || x.version == selector.version)
        && (selector.kind.is_empty() || x.kind == selector.kind)
}

fn hash_str(s: &str) -> u64 {
    // A fixed-key hasher keeps path hashes comparable across threads and runs.
    static STATE: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    let mut h = STATE
        .get_or_init(std::collections::hash_map::RandomState::new)
        .build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// A kind's rank when kustomize sorts gvks: the kinds its legacy resource order prints first
/// and last (kustomize keeps a copy of that list for gvks), everything else in between.
fn kind_rank(kind: &str) -> i32 {
    if let Some(i) = DEFAULT_ORDER_FIRST.iter().position(|k| *k == kind) {
        return i as i32 - DEFAULT_ORDER_FIRST.len() as i32;
    }
    if let Some(i) = DEFAULT_ORDER_LAST.iter().position(|k| *k == kind) {
        return 1 + i as i32;
    }
    0
}

/// kustomize's `Gvk.IsLessThan`: by kind rank, then by `group_version_kind` with `~G`, `~V`,
/// `~K` standing for empty parts.
pub fn gvk_less(a: &Gvk, b: &Gvk) -> bool {
    let (ra, rb) = (kind_rank(&a.kind), kind_rank(&b.kind));
    if ra != rb {
        return ra < rb;
    }
    order_key(a) < order_key(b)
}

/// `group_version_kind` with `~G`, `~V`, `~K` for empty parts.
fn order_key(g: &Gvk) -> String {
    fn or<'a>(v: &'a str, blank: &'static str) -> &'a str {
        if v.is_empty() {
            blank
        } else {
            v
        }
    }
    format!(
        "{}_{}_{}",
        or(&g.group, "~G"),
        or(&g.version, "~V"),
        or(&g.kind, "~K")
    )
}

/// [`gvk_less`] on the keys computed when the specs were built.
fn spec_less(a: &FieldSpec, b: &FieldSpec) -> bool {
    let (a, b) = (&a.0, &b.0);
    if a.rank != b.rank {
        return a.rank < b.rank;
    }
    a.order_key < b.order_key
}

// ---------------------------------------------------------------------------------------------
// Go's sort.Sort (pattern-defeating quicksort). kustomize sorts field-spec lists with it; it is
// not stable, so reproducing where equal elements land needs the same algorithm.

fn go_sort<T>(data: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let n = data.len();
    if n <= 1 {
        return;
    }
    let limit = usize::BITS - n.leading_zeros();
    pdqsort(data, 0, n, limit as usize, less);
}

fn insertion_sort<T>(data: &mut [T], a: usize, b: usize, less: &impl Fn(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&data[j], &data[j - 1]) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sift_down<T>(
    data: &mut [T],
    lo: usize,
    hi: usize,
    first: usize,
    less: &impl Fn(&T, &T) -> bool,
) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && less(&data[first + child], &data[first + child + 1]) {
            child += 1;
        }
        if !less(&data[first + root], &data[first + child]) {
            return;
        }
        data.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<T>(data: &mut [T], a: usize, b: usize, less: &impl Fn(&T, &T) -> bool) {
    let first = a;
    let hi = b - a;
    let mut i = (hi as isize - 1) / 2;
    while i >= 0 {
        sift_down(data, i as usize, hi, first, less);
        i -= 1;
    }
    for i in (0..hi).rev() {
        data.swap(first, first + i);
        sift_down(data, 0, i, first, less);
    }
}

#[derive(PartialEq)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

fn pdqsort<T>(
    data: &mut [T],
    mut a: usize,
    mut b: usize,
    mut limit: usize,
    less: &impl Fn(&T, &T) -> bool,
) {
    const MAX_INSERTION: usize = 12;
    let mut was_balanced = true;
    let mut was_partitioned = true;
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(data, a, b, less);
            return;
        }
        if limit == 0 {
            heap_sort(data, a, b, less);
            return;
        }
        if !was_balanced {
            break_patterns(data, a, b);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(data, a, b, less);
        if hint == Hint::Decreasing {
            data[a..b].reverse();
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced
            && was_partitioned
            && hint == Hint::Increasing
            && partial_insertion_sort(data, a, b, less)
        {
            return;
        }
        if a > 0 && !less(&data[a - 1], &data[pivot]) {
            a = partition_equal(data, a, b, pivot, less);
            continue;
        }
        let (mid, already) = partition(data, a, b, pivot, less);
        was_partitioned = already;
        let (left, right) = (mid - a, b - mid);
        let balance = length / 8;
        if left < right {
            was_balanced = left >= balance;
            pdqsort(data, a, mid, limit, less);
            a = mid + 1;
        } else {
            was_balanced = right >= balance;
            pdqsort(data, mid + 1, b, limit, less);
            b = mid;
        }
    }
}

fn partition<T>(
    data: &mut [T],
    a: usize,
    b: usize,
    pivot: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> (usize, bool) {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    let at = |k: isize| k as usize;
    while i <= j && less(&data[at(i)], &data[a]) {
        i += 1;
    }
    while i <= j && !less(&data[at(j)], &data[a]) {
        j -= 1;
    }
    if i > j {
        data.swap(at(j), a);
        return (at(j), true);
    }
    data.swap(at(i), at(j));
    i += 1;
    j -= 1;
    loop {
        while i <= j && less(&data[at(i)], &data[a]) {
            i += 1;
        }
        while i <= j && !less(&data[at(j)], &data[a]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(at(i), at(j));
        i += 1;
        j -= 1;
    }
    data.swap(at(j), a);
    (at(j), false)
}

fn partition_equal<T>(
    data: &mut [T],
    a: usize,
    b: usize,
    pivot: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> usize {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    let at = |k: isize| k as usize;
    loop {
        while i <= j && !less(&data[a], &data[at(i)]) {
            i += 1;
        }
        while i <= j && less(&data[a], &data[at(j)]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(at(i), at(j));
        i += 1;
        j -= 1;
    }
    at(i)
}

fn partial_insertion_sort<T>(
    data: &mut [T],
    a: usize,
    b: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !less(&data[i], &data[i - 1]) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        data.swap(i, i - 1);
        if i - a >= 2 {
            let mut j = i - 1;
            while j >= 1 {
                if !less(&data[j], &data[j - 1]) {
                    break;
                }
                data.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            let mut j = i + 1;
            while j < b {
                if !less(&data[j], &data[j - 1]) {
                    break;
                }
                data.swap(j, j - 1);
                j += 1;
            }
        }
    }
    false
}

fn break_patterns<T>(data: &mut [T], a: usize, b: usize) {
    let length = b - a;
    if length >= 8 {
        let mut random = length as u64;
        let modulus = 1u64 << (u64::BITS - (length as u64).leading_zeros());
        let start = a + (length / 4) * 2 - 1;
        for idx in start..=a + (length / 4) * 2 + 1 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let mut other = (random & (modulus - 1)) as usize;
            if other >= length {
                other -= length;
            }
            data.swap(idx, a + other);
        }
    }
}

fn choose_pivot<T>(
    data: &mut [T],
    a: usize,
    b: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0;
    let mut i = a + l / 4;
    let mut j = a + l / 4 * 2;
    let mut k = a + l / 4 * 3;
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median(data, i - 1, i, i + 1, &mut swaps, less);
            j = median(data, j - 1, j, j + 1, &mut swaps, less);
            k = median(data, k - 1, k, k + 1, &mut swaps, less);
        }
        j = median(data, i, j, k, &mut swaps, less);
    }
    match swaps {
        0 => (j, Hint::Increasing),
        MAX_SWAPS => (j, Hint::Decreasing),
        _ => (j, Hint::Unknown),
    }
}

fn order2<T>(
    data: &[T],
    a: usize,
    b: usize,
    swaps: &mut usize,
    less: &impl Fn(&T, &T) -> bool,
) -> (usize, usize) {
    if less(&data[b], &data[a]) {
        *swaps += 1;
        (b, a)
    } else {
        (a, b)
    }
}

fn median<T>(
    data: &[T],
    a: usize,
    b: usize,
    c: usize,
    swaps: &mut usize,
    less: &impl Fn(&T, &T) -> bool,
) -> usize {
    let (a, b) = order2(data, a, b, swaps, less);
    let (b, c) = order2(data, b, c, swaps, less);
    let _ = c;
    let (_, b) = order2(data, a, b, swaps, less);
    b
}

/// Go's `sort.Sort` by gvk. An already sorted list is left as it is (Go's sort moves nothing
/// then either), so re-sorting after most merges is a linear check.
fn sort_specs(list: &mut [FieldSpec]) {
    if list.windows(2).any(|w| spec_less(&w[1], &w[0])) {
        go_sort(list, &spec_less);
    }
}

// ---------------------------------------------------------------------------------------------
// Merging.

/// kustomize's error when two specs share a path and selector but differ in `create`.
pub const CONFLICTING_FIELDSPECS: &str = "conflicting fieldspecs";

/// Appends each of `incoming` to `list` unless `list` already holds a duplicate of it
/// (kustomize's `FsSlice.MergeAll`); a duplicate whose `create` differs is an error.
pub fn merge_field_specs(
    list: &[FieldSpec],
    incoming: &[FieldSpec],
) -> std::result::Result<Vec<FieldSpec>, &'static str> {
    if incoming.is_empty() {
        return Ok(list.to_vec());
    }
    let cap = list.len() + incoming.len();
    let mut out: Vec<FieldSpec> = Vec::with_capacity(cap);
    out.extend_from_slice(list);
    // Chains of indices per path hash, in index order, so each look-up sees only same-path specs
    // and finds the first duplicate as kustomize's linear scan would.
    let mut chains = Chains::with_capacity(cap);
    for (i, fs) in out.iter().enumerate() {
        chains.push(fs.0.path_hash, i);
    }
    for fs in incoming {
        let found = chains
            .iter(fs.0.path_hash)
            .find(|&i| out[i].is_duplicated_by(fs));
        match found {
            Some(i) if out[i].create() != fs.create() => return Err(CONFLICTING_FIELDSPECS),
            Some(_) => {}
            None => {
                chains.push(fs.0.path_hash, out.len());
                out.push(fs.clone());
            }
        }
    }
    Ok(out)
}

/// Indices grouped by path hash, each group in insertion order.
struct Chains {
    /// First and last index of each group.
    ends: HashMap<u64, (usize, usize), BuildHasherDefault<PreHashed>>,
    /// The next index in the same group, or `usize::MAX`.
    next: Vec<usize>,
}

impl Chains {
    fn with_capacity(n: usize) -> Self {
        Chains {
            ends: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            next: Vec::with_capacity(n),
        }
    }

    /// Adds index `i` (indices come in increasing order) to the group of `hash`.
    fn push(&mut self, hash: u64, i: usize) {
        debug_assert_eq!(i, self.next.len());
        self.next.push(usize::MAX);
        match self.ends.get_mut(&hash) {
            Some((_, tail)) => {
                self.next[*tail] = i;
                *tail = i;
            }
            None => {
                self.ends.insert(hash, (i, i));
            }
        }
    }

    fn iter(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.ends.get(&hash).map_or(usize::MAX, |&(head, _)| head);
        std::iter::from_fn(move || {
            let i = at;
            (i != usize::MAX).then(|| {
                at = self.next[i];
                i
            })
        })
    }
}

const MERGE_CACHE_SIZE: usize = 8;

thread_local! {
    /// Recent merges: inputs and result.
    static MERGE_CACHE: std::cell::RefCell<Vec<(TransformerConfig, TransformerConfig, TransformerConfig)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A hasher for keys that already are hashes.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A kind that other resources refer to by name, with the fields that hold such references
/// (kustomize's `NameBackReferences`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameReference {
    /// The gvk of the referred resource (selector: empty parts match anything).
    pub referral: Gvk,
    /// Fields of referring resources that hold the referral's name.
    pub referrers: Vec<FieldSpec>,
}

/// Go's `NameBackReferences.String()`.
impl fmt::Display for NameReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:  (", self.referral)?;
        for (i, r) in self.referrers.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{r}")?;
        }
        f.write_str("\n)")
    }
}

fn merge_name_references(
    list: &[NameReference],
    incoming: &[NameReference],
) -> std::result::Result<Vec<NameReference>, &'static str> {
    let mut out = list.to_vec();
    for other in incoming {
        let mut found = false;
        for c in out.iter_mut() {
            if c.referral == other.referral {
                c.referrers = merge_field_specs(&c.referrers, &other.referrers)?;
                found = true;
            }
        }
        if !found {
            out.push(other.clone());
        }
    }
    Ok(out)
}

/// The field specs every builtin transformer uses (kustomize's `TransformerConfig`), shared and
/// immutable: cloning is cheap, and its lists are read through `Deref` ([`FieldSpecLists`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransformerConfig(Arc<FieldSpecLists>);

impl std::ops::Deref for TransformerConfig {
    type Target = FieldSpecLists;
    fn deref(&self) -> &FieldSpecLists {
        &self.0
    }
}

impl From<FieldSpecLists> for TransformerConfig {
    /// The lists as given (kustomize sorts lists when it parses or merges them, not here).
    fn from(lists: FieldSpecLists) -> Self {
        TransformerConfig(Arc::new(lists))
    }
}

/// The lists of a [`TransformerConfig`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSpecLists {
    /// `namePrefix`: where the name prefix goes.
    pub name_prefix: Vec<FieldSpec>,
    /// `nameSuffix`: where the name suffix goes.
    pub name_suffix: Vec<FieldSpec>,
    /// `namespace`: fields (besides `metadata/namespace`) that get the namespace.
    pub namespace: Vec<FieldSpec>,
    /// `commonLabels`: where `commonLabels` (and `labels` with `includeSelectors`) go.
    pub common_labels: Vec<FieldSpec>,
    /// `labels`: extra fields for every `labels:` entry.
    pub labels: Vec<FieldSpec>,
    /// `templateLabels`: where `labels` with `includeTemplates` go.
    pub template_labels: Vec<FieldSpec>,
    /// `volumeClaimTemplateLabels`: where `labels` with `includeVolumeClaimTemplates` go.
    pub volume_claim_template_labels: Vec<FieldSpec>,
    /// `commonAnnotations`: where `commonAnnotations` go.
    pub common_annotations: Vec<FieldSpec>,
    /// `nameReference`: fields that refer to other resources by name.
    pub name_reference: Vec<NameReference>,
    /// `varReference`: fields where `$(VAR)` references are replaced.
    pub var_reference: Vec<FieldSpec>,
    /// `images`: fields holding images (besides containers found anywhere).
    pub images: Vec<FieldSpec>,
    /// `replicas`: fields holding replica counts.
    pub replicas: Vec<FieldSpec>,
}

impl TransformerConfig {
    /// kustomize's builtin configuration, sorted as kustomize sorts it (duplicates included:
    /// kustomize only drops them when it merges).
    pub fn builtin() -> &'static TransformerConfig {
        static BUILTIN: OnceLock<TransformerConfig> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let table = |text: &str| parse_table(text).unwrap_or_default();
            let mut cfg = FieldSpecLists {
                name_prefix: table(include_str!("fieldspec/name_prefix.txt")),
                name_suffix: table(include_str!("fieldspec/name_suffix.txt")),
                namespace: table(include_str!("fieldspec/namespace.txt")),
                common_labels: table(include_str!("fieldspec/common_labels.txt")),
                labels: Vec::new(),
                template_labels: table(include_str!("fieldspec/template_labels.txt")),
                volume_claim_template_labels: table(include_str!(
                    "fieldspec/volume_claim_template_labels.txt"
                )),
                common_annotations: table(include_str!("fieldspec/common_annotations.txt")),
                name_reference: parse_name_reference_table(include_str!(
                    "fieldspec/name_reference.txt"
                ))
                .unwrap_or_default(),
                var_reference: table(include_str!("fieldspec/var_reference.txt")),
                images: table(include_str!("fieldspec/images.txt")),
                replicas: table(include_str!("fieldspec/replicas.txt")),
            };
            cfg.sort();
            TransformerConfig::from(cfg)
        })
    }

    /// The configuration one kustomization contributes (kustomize's `MakeTransformerConfig`):
    /// the builtin one, merged with its `configurations:` files (each parsed with
    /// [`TransformerConfig::from_node`]) in order.
    pub fn for_kustomization(configurations: &[TransformerConfig]) -> Result<TransformerConfig> {
        let builtin = TransformerConfig::builtin();
        if configurations.is_empty() {
            return Ok(builtin.clone());
        }
        let mut custom = TransformerConfig::default();
        for c in configurations {
            custom = custom.merge(c)?;
        }
        builtin.merge(&custom)
    }

    /// `self` merged with `other` (kustomize's `TransformerConfig.Merge`): `other`'s specs are
    /// appended unless duplicated, then every list is sorted.
    ///
    /// kustomize's accumulator starts from an empty config and merges, in order, each
    /// sub-kustomization's accumulated config, the kustomization's own
    /// ([`TransformerConfig::for_kustomization`]) and the config derived from its `crds:`.
    pub fn merge(&self, other: &TransformerConfig) -> Result<TransformerConfig> {
        // A build merges the same configs over and over (every kustomization merges the builtin
        // one into what its resources brought, usually the builtin one again); specs are shared,
        // so a repeat is recognised by identity and answered from a small cache.
        MERGE_CACHE.with(|cache| {
            if let Some((_, _, out)) = cache
                .borrow()
                .iter()
                .find(|(a, b, _)| a.same_as(self) && b.same_as(other))
            {
                return Ok(out.clone());
            }
            let mut out = self.merge_uncached(other)?;
            if out.same_specs(&self.0) {
                // Nothing new: keep sharing `self`, so later look-ups match by pointer.
                out = self.clone();
            }
            let mut cache = cache.borrow_mut();
            if cache.len() == MERGE_CACHE_SIZE {
                cache.remove(0);
            }
            cache.push((self.clone(), other.clone(), out.clone()));
            Ok(out)
        })
    }

    /// Whether both configs hold the very same specs (shared, in the same order).
    fn same_as(&self, other: &TransformerConfig) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.same_specs(&other.0)
    }
}

impl FieldSpecLists {
    fn same_specs(&self, other: &FieldSpecLists) -> bool {
        fn same(a: &[FieldSpec], b: &[FieldSpec]) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(&x.0, &y.0))
        }
        same(&self.name_prefix, &other.name_prefix)
            && same(&self.name_suffix, &other.name_suffix)
            && same(&self.namespace, &other.namespace)
            && same(&self.common_labels, &other.common_labels)
            && same(&self.labels, &other.labels)
            && same(&self.template_labels, &other.template_labels)
            && same(
                &self.volume_claim_template_labels,
                &other.volume_claim_template_labels,
            )
            && same(&self.common_annotations, &other.common_annotations)
            && same(&self.var_reference, &other.var_reference)
            && same(&self.images, &other.images)
            && same(&self.replicas, &other.replicas)
            && self.name_reference.len() == other.name_reference.len()
            && self
                .name_reference
                .iter()
                .zip(&other.name_reference)
                .all(|(x, y)| x.referral == y.referral && same(&x.referrers, &y.referrers))
    }

    fn merge_uncached(&self, other: &TransformerConfig) -> Result<TransformerConfig> {
        let specs = |name: &str, mine: &[FieldSpec], theirs: &[FieldSpec]| {
            merge_field_specs(mine, theirs).map_err(|e| merge_error(name, e))
        };
        // Same order as kustomize, so the first conflict reported is the same.
        let name_prefix = specs("NamePrefix", &self.name_prefix, &other.name_prefix)?;
        let name_suffix = specs("NameSuffix", &self.name_suffix, &other.name_suffix)?;
        let namespace = specs("NameSpace", &self.namespace, &other.namespace)?;
        let common_annotations = specs(
            "CommonAnnotations",
            &self.common_annotations,
            &other.common_annotations,
        )?;
        let common_labels = specs("CommonLabels", &self.common_labels, &other.common_labels)?;
        let labels = specs("Labels", &self.labels, &other.labels)?;
        let template_labels = specs(
            "TemplateLabels",
            &self.template_labels,
            &other.template_labels,
        )?;
        let volume_claim_template_labels = specs(
            "VolumeClaimTemplateLabels",
            &self.volume_claim_template_labels,
            &other.volume_claim_template_labels,
        )?;
        let var_reference = specs("VarReference", &self.var_reference, &other.var_reference)?;
        let name_reference = merge_name_references(&self.name_reference, &other.name_reference)
            .map_err(|e| merge_error("NameReference", e))?;
        let images = specs("Images", &self.images, &other.images)?;
        let replicas = specs("Replicas", &self.replicas, &other.replicas)?;
        let mut out = FieldSpecLists {
            name_prefix,
            name_suffix,
            namespace,
            common_labels,
            labels,
            template_labels,
            volume_claim_template_labels,
            common_annotations,
            name_reference,
            var_reference,
            images,
            replicas,
        };
        out.sort();
        Ok(TransformerConfig::from(out))
    }

    fn sort(&mut self) {
        for list in [
            &mut self.name_prefix,
            &mut self.name_suffix,
            &mut self.namespace,
            &mut self.common_labels,
            &mut self.labels,
            &mut self.template_labels,
            &mut self.volume_claim_template_labels,
            &mut self.common_annotations,
            &mut self.var_reference,
            &mut self.images,
            &mut self.replicas,
        ] {
            sort_specs(list);
        }
        let less = |a: &NameReference, b: &NameReference| gvk_less(&a.referral, &b.referral);
        if self.name_reference.windows(2).any(|w| less(&w[1], &w[0])) {
            go_sort(&mut self.name_reference, &less);
        }
    }

    /// Go's `%v` of a `*TransformerConfig`, which kustomize puts in some error messages
    /// (`merging config &{…}: …`).
    pub fn go_debug(&self) -> String {
        use fmt::Write;
        let mut s = String::from("&{");
        let list = |s: &mut String, l: &[FieldSpec]| {
            s.push('[');
            for (i, fs) in l.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                let _ = write!(s, "{fs}");
            }
            s.push(']');
        };
        list(&mut s, &self.name_prefix);
        for l in [
            &self.name_suffix,
            &self.namespace,
            &self.common_labels,
            &self.labels,
            &self.template_labels,
            &self.volume_claim_template_labels,
            &self.common_annotations,
        ] {
            s.push(' ');
            list(&mut s, l);
        }
        s.push_str(" [");
        for (i, nr) in self.name_reference.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            let _ = write!(s, "{nr}");
        }
        s.push(']');
        for l in [&self.var_reference, &self.images, &self.replicas] {
            s.push(' ');
            list(&mut s, l);
        }
        s.push('}');
        s
    }
}

fn merge_error(list: &str, e: &str) -> Error {
    Error::new(
        ErrorKind::Kustomization,
        format!("failed to merge {list} fieldSpec: {e}"),
    )
}

// ---------------------------------------------------------------------------------------------
// The builtin tables' text format.

/// Parses `PATH CREATE [g=…] [v=…] [k=…]` into a spec.
fn parse_spec_line(line: &str) -> std::result::Result<FieldSpec, String> {
    let mut words = line.split_whitespace();
    let path = words.next().ok_or("missing path")?;
    let create = match words.next() {
        Some("+") => true,
        Some("-") => false,
        other => return Err(format!("bad create flag {other:?} in {line:?}")),
    };
    let gvk = parse_gvk_words(words, line)?;
    Ok(FieldSpec::new(gvk, path, create))
}

fn parse_gvk_words<'a>(
    words: impl Iterator<Item = &'a str>,
    line: &str,
) -> std::result::Result<Gvk, String> {
    let mut gvk = Gvk::default();
    for w in words {
        match w.split_once('=') {
            Some(("g", g)) => gvk.group = g.to_owned(),
            Some(("v", v)) => gvk.version = v.to_owned(),
            Some(("k", k)) => gvk.kind = k.to_owned(),
            _ => return Err(format!("bad word {w:?} in {line:?}")),
        }
    }
    Ok(gvk)
}

fn table_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Parses a table of specs (one per line; `#` comments).
fn parse_table(text: &str) -> std::result::Result<Vec<FieldSpec>, String> {
    table_lines(text)
        .map(|l| parse_spec_line(l.trim()))
        .collect()
}

/// Parses the name-reference table: `> gvk` lines start a referral, spec lines follow.
fn parse_name_reference_table(text: &str) -> std::result::Result<Vec<NameReference>, String> {
    let mut out: Vec<NameReference> = Vec::new();
    for line in table_lines(text) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('>') {
            out.push(NameReference {
                referral: parse_gvk_words(rest.split_whitespace(), line)?,
                referrers: Vec::new(),
            });
        } else {
            let spec = parse_spec_line(line)?;
            match out.last_mut() {
                Some(nr) => nr.referrers.push(spec),
                None => return Err(format!("referrer before any referral: {line:?}")),
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// `configurations:` files. kustomize decodes them with sigs.k8s.io/yaml's strict mode: YAML 1.1
// values, converted to JSON, decoded by Go's encoding/json with unknown fields rejected. Errors
// are worded as Go words them; the first one in key order (JSON sorts keys) is reported.

/// Where a JSON value sits, for Go's error messages (`.commonLabels.0.create`).
struct JsonPath<'a> {
    parent: Option<&'a JsonPath<'a>>,
    part: PathPart<'a>,
}

enum PathPart<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl JsonPath<'_> {
    fn render(&self, out: &mut String) {
        if let Some(p) = self.parent {
            p.render(out);
        }
        match self.part {
            PathPart::Root => {}
            PathPart::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            PathPart::Index(i) => {
                out.push('.');
                out.push_str(&i.to_string());
            }
        }
    }

    fn key<'b>(&'b self, k: &'b str) -> JsonPath<'b> {
        JsonPath {
            parent: Some(self),
            part: PathPart::Key(k),
        }
    }

    fn index(&self, i: usize) -> JsonPath<'_> {
        JsonPath {
            parent: Some(self),
            part: PathPart::Index(i),
        }
    }

    /// `json: cannot unmarshal <kind> into <where> of type <ty>`.
    fn type_error(&self, node: &Node, ty: &str) -> Error {
        let mut at = String::new();
        self.render(&mut at);
        let place = match self.part {
            PathPart::Root => "Go value".to_owned(),
            PathPart::Index(_) => at,
            PathPart::Key(_) => format!("Go struct field {at}"),
        };
        json_error(format!(
            "cannot unmarshal {} into {place} of type {ty}",
            json_kind(node)
        ))
    }
}

fn json_error(msg: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Kustomization,
        format!("error unmarshaling JSON: while decoding JSON: json: {msg}"),
    )
}

/// The JSON type a YAML 1.1 value becomes.
fn json_kind(node: &Node) -> &'static str {
    match node {
        Node::Map(_) => "object",
        Node::Seq(_) => "array",
        Node::Scalar(s) => match s.tag {
            Tag::Int | Tag::Float => "number",
            Tag::Bool => "bool",
            Tag::Null => "null",
            Tag::Str | Tag::Timestamp | Tag::Binary => "string",
        },
    }
}

/// The JSON object key a YAML 1.1 mapping key becomes (sigs.k8s.io/yaml's conversion).
fn json_key(key: &Scalar) -> Result<String> {
    match key.tag {
        Tag::Null => Err(Error::new(
            ErrorKind::Kustomization,
            "error converting YAML to JSON: unsupported map key of type: <nil>",
        )),
        _ => Ok(go_string_of_yaml11(key).unwrap_or_default()),
    }
}

/// The string sigs.k8s.io/yaml makes of a YAML 1.1 scalar decoded into a Go string field:
/// integers in decimal, floats in Go's shortest 32-bit `%g` form (`1.10` becomes `"1.1"`),
/// booleans as `true`/`false`, timestamps and strings as written. `None` for null.
///
/// kustomization fields typed as strings (`newTag: 1.10`, …) go through the same conversion.
pub fn go_string_of_yaml11(s: &Scalar) -> Option<String> {
    let text = s.text.as_str();
    let float = || format_float32_g(parse_float(text).unwrap_or(0.0));
    match s.tag {
        Tag::Null => None,
        Tag::Str | Tag::Timestamp | Tag::Binary => Some(text.to_owned()),
        Tag::Bool => Some(
            parse_bool(text, Schema::Yaml11)
                .unwrap_or(false)
                .to_string(),
        ),
        Tag::Int => Some(match parse_int(text) {
            Some(Number::Int(i)) => i.to_string(),
            Some(Number::Uint(u)) => u.to_string(),
            _ => float(),
        }),
        Tag::Float => Some(float()),
    }
}

/// Go's encoding/json field matching: exact name first, then ASCII case-insensitively.
fn match_field<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

/// The entries of a mapping with JSON keys, in the order Go decodes them (sorted keys).
fn json_entries(node: &Node) -> Result<Vec<(String, &Node)>> {
    let Node::Map(m) = node else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::with_capacity(m.len());
    for (k, v) in m.iter() {
        entries.push((json_key(k)?, v));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Rejects duplicate keys anywhere, as sigs.k8s.io/yaml's strict conversion does.
fn check_duplicate_keys(node: &Node) -> Result<()> {
    match node {
        Node::Map(m) => {
            let keys: Vec<&str> = m.keys().collect();
            for (i, k) in keys.iter().enumerate() {
                if keys[..i].contains(k) {
                    return Err(Error::new(
                        ErrorKind::Kustomization,
                        format!(
                            "error converting YAML to JSON: yaml: unmarshal errors:\n  key {k:?} already set in map"
                        ),
                    ));
                }
            }
            m.iter().try_for_each(|(_, v)| check_duplicate_keys(v))
        }
        Node::Seq(items) => items.iter().try_for_each(check_duplicate_keys),
        Node::Scalar(_) => Ok(()),
    }
}

/// A JSON string field. `coerce`: the field is a plain Go string, so sigs.k8s.io/yaml turns
/// numbers and booleans into their text; for the gvk fields it does not (they are embedded).
fn decode_string(node: &Node, at: &JsonPath<'_>, coerce: bool) -> Result<String> {
    match node {
        Node::Scalar(s) => match s.tag {
            Tag::Null => Ok(String::new()),
            Tag::Str | Tag::Timestamp | Tag::Binary => Ok(s.text.to_string()),
            Tag::Int | Tag::Float | Tag::Bool if coerce => {
                Ok(go_string_of_yaml11(s).unwrap_or_default())
            }
            _ => Err(at.type_error(node, "string")),
        },
        _ => Err(at.type_error(node, "string")),
    }
}

fn decode_bool(node: &Node, at: &JsonPath<'_>) -> Result<bool> {
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => Ok(false),
        Node::Scalar(s) if s.tag == Tag::Bool => {
            Ok(parse_bool(&s.text, Schema::Yaml11).unwrap_or(false))
        }
        _ => Err(at.type_error(node, "bool")),
    }
}

fn decode_field_spec(node: &Node, at: &JsonPath<'_>) -> Result<FieldSpec> {
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => {
            return Ok(FieldSpec::new(Gvk::default(), "", false))
        }
        Node::Map(_) => {}
        _ => return Err(at.type_error(node, "types.FieldSpec")),
    }
    let (mut gvk, mut path, mut create) = (Gvk::default(), String::new(), false);
    for (key, value) in json_entries(node)? {
        let here = at.key(&key);
        match match_field(&key, &["group", "version", "kind", "path", "create"]) {
            Some("group") => gvk.group = decode_string(value, &here, false)?,
            Some("version") => gvk.version = decode_string(value, &here, false)?,
            Some("kind") => gvk.kind = decode_string(value, &here, false)?,
            Some("path") => path = decode_string(value, &here, true)?,
            Some(_) => create = decode_bool(value, &here)?,
            None => return Err(json_error(format_args!("unknown field {key:?}"))),
        }
    }
    Ok(FieldSpec::new(gvk, &path, create))
}

fn decode_fs_slice(node: &Node, at: &JsonPath<'_>) -> Result<Vec<FieldSpec>> {
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => Ok(Vec::new()),
        Node::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| decode_field_spec(item, &at.index(i)))
            .collect(),
        _ => Err(at.type_error(node, "types.FsSlice")),
    }
}

fn decode_name_reference(node: &Node, at: &JsonPath<'_>) -> Result<NameReference> {
    let mut nr = NameReference {
        referral: Gvk::default(),
        referrers: Vec::new(),
    };
    match node {
        Node::Scalar(s) if s.tag == Tag::Null => return Ok(nr),
        Node::Map(_) => {}
        _ => return Err(at.type_error(node, "builtinconfig.NameBackReferences")),
    }
    for (key, value) in json_entries(node)? {
        let here = at.key(&key);
        match match_field(&key, &["group", "version", "kind", "fieldSpecs"]) {
            Some("group") => nr.referral.group = decode_string(value, &here, false)?,
            Some("version") => nr.referral.version = decode_string(value, &here, false)?,
            Some("kind") => nr.referral.kind = decode_string(value, &here, false)?,
            Some(_) => nr.referrers = decode_fs_slice(value, &here)?,
            None => return Err(json_error(format_args!("unknown field {key:?}"))),
        }
    }
    Ok(nr)
}

impl TransformerConfig {
    /// Parses a `configurations:` file (read with the YAML 1.1 schema) as kustomize does,
    /// strictly: unknown fields and wrongly typed values are errors worded as Go words them.
    /// The lists come back sorted, as kustomize sorts them.
    pub fn from_node(node: &Node) -> Result<TransformerConfig> {
        check_duplicate_keys(node)?;
        let root = JsonPath {
            parent: None,
            part: PathPart::Root,
        };
        let mut cfg = FieldSpecLists::default();
        match node {
            Node::Scalar(s) if s.tag == Tag::Null => return Ok(TransformerConfig::default()),
            Node::Map(_) => {}
            _ => return Err(root.type_error(node, "builtinconfig.TransformerConfig")),
        }
        const FIELDS: [&str; 12] = [
            "namePrefix",
            "nameSuffix",
            "namespace",
            "commonLabels",
            "labels",
            "templateLabels",
            "volumeClaimTemplateLabels",
            "commonAnnotations",
            "nameReference",
            "varReference",
            "images",
            "replicas",
        ];
        for (key, value) in json_entries(node)? {
            let here = root.key(&key);
            let Some(field) = match_field(&key, &FIELDS) else {
                return Err(json_error(format_args!("unknown field {key:?}")));
            };
            if field == "nameReference" {
                cfg.name_reference = match value {
                    Node::Scalar(s) if s.tag == Tag::Null => Vec::new(),
                    Node::Seq(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| decode_name_reference(item, &here.index(i)))
                        .collect::<Result<_>>()?,
                    _ => return Err(here.type_error(value, "builtinconfig.nbrSlice")),
                };
                continue;
            }
            let specs = decode_fs_slice(value, &here)?;
            *match field {
                "namePrefix" => &mut cfg.name_prefix,
                "nameSuffix" => &mut cfg.name_suffix,
                "namespace" => &mut cfg.namespace,
                "commonLabels" => &mut cfg.common_labels,
                "labels" => &mut cfg.labels,
                "templateLabels" => &mut cfg.template_labels,
                "volumeClaimTemplateLabels" => &mut cfg.volume_claim_template_labels,
                "commonAnnotations" => &mut cfg.common_annotations,
                "varReference" => &mut cfg.var_reference,
                "images" => &mut cfg.images,
                _ => &mut cfg.replicas,
            } = specs;
        }
        cfg.sort();
        Ok(TransformerConfig::from(cfg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Mapping;

    fn fs(kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec::new(Gvk::new("", "", kind), path, create)
    }

    #[test]
    fn builtin_tables_parse_completely() {
        let b = TransformerConfig::builtin();
        let counts = [
            b.name_prefix.len(),
            b.name_suffix.len(),
            b.namespace.len(),
            b.common_labels.len(),
            b.template_labels.len(),
            b.common_annotations.len(),
            b.var_reference.len(),
            b.images.len(),
            b.replicas.len(),
            b.name_reference.len(),
        ];
        assert_eq!(counts, [1, 1, 3, 32, 9, 9, 72, 7, 4, 16]);
        assert_eq!(b.volume_claim_template_labels.len(), 1);
        let referrers: usize = b.name_reference.iter().map(|n| n.referrers.len()).sum();
        assert_eq!(referrers, 167);
        for text in [
            include_str!("fieldspec/common_labels.txt"),
            include_str!("fieldspec/var_reference.txt"),
        ] {
            assert!(parse_table(text).is_ok());
        }
        assert!(parse_name_reference_table(include_str!("fieldspec/name_reference.txt")).is_ok());
        let escaped = b
            .name_reference
            .iter()
            .flat_map(|n| &n.referrers)
            .find(|r| r.path_str().contains("fastcgi"))
            .map(|r| r.path().segments().last().map(str::to_owned));
        assert_eq!(
            escaped,
            Some(Some(
                "nginx.ingress.kubernetes.io/fastcgi-params-configmap".into()
            ))
        );
    }

    /// kustomize printed its whole merged configuration in this error: the builtin tables plus
    /// one replicas spec, sorted by Go's unstable sort. Ours must list the same specs in the same
    /// order.
    #[test]
    fn merged_builtin_config_matches_kustomize_order() {
        let recorded =
            include_str!("../../../testdata/transform/config-merge-conflict-dump/expected.err");
        let start = recorded.find("&{").unwrap();
        let end = recorded.rfind("}: failed to merge").unwrap();
        let custom = TransformerConfig::from(FieldSpecLists {
            replicas: vec![fs("Foo", "spec/x", false)],
            ..FieldSpecLists::default()
        });
        let merged = TransformerConfig::for_kustomization(&[custom]).unwrap();
        assert_eq!(merged.go_debug(), &recorded[start..=end]);
    }

    #[test]
    fn merge_drops_duplicates_selected_by_the_incoming_spec() {
        let base = vec![fs("Deployment", "metadata/labels", true)];
        // An empty selector selects Deployment: a duplicate, dropped.
        let merged = merge_field_specs(&base, &[fs("", "metadata/labels", true)]).unwrap();
        assert_eq!(merged.len(), 1);
        // Conflicting create.
        assert_eq!(
            merge_field_specs(&base, &[fs("", "metadata/labels", false)]),
            Err(CONFLICTING_FIELDSPECS)
        );
        // A narrower selector does not select the wider one: kept.
        let wide = vec![fs("", "metadata/labels", true)];
        let merged =
            merge_field_specs(&wide, &[fs("Deployment", "metadata/labels", false)]).unwrap();
        assert_eq!(merged.len(), 2);
        // Duplicates inside the incoming list are dropped too.
        let merged = merge_field_specs(&[], &[fs("A", "x", true), fs("A", "x", true)]).unwrap();
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn merging_the_builtin_into_an_empty_config_drops_its_own_duplicates_but_not_referrers() {
        let b = TransformerConfig::builtin();
        let acc = TransformerConfig::default().merge(b).unwrap();
        assert_eq!(acc.common_labels.len(), b.common_labels.len());
        let secret = |c: &TransformerConfig| {
            c.name_reference
                .iter()
                .find(|n| n.referral.kind == "Secret")
                .map(|n| n.referrers.len())
        };
        // The Secret referral lists spec/tls/secretName of Ingress twice; kustomize keeps both.
        assert_eq!(secret(&acc), secret(b));
        assert_eq!(secret(b), Some(70));
        // Merging again changes nothing.
        assert_eq!(acc.merge(b).unwrap(), acc);
    }

    #[test]
    fn go_sort_matches_kustomize_on_ties() {
        // Stable for short lists (insertion sort) …
        let mut v: Vec<(i32, char)> = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')];
        go_sort(&mut v, &|a: &(i32, char), b: &(i32, char)| a.0 < b.0);
        assert_eq!(v, [(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')]);
        // … and a real sort for long ones.
        let mut w: Vec<u32> = (0..200).map(|i| (i * 7919) % 211).collect();
        go_sort(&mut w, &|a: &u32, b: &u32| a < b);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
        let mut z: Vec<u32> = (0..300).rev().collect();
        go_sort(&mut z, &|a: &u32, b: &u32| a < b);
        assert_eq!(z, (0..300).collect::<Vec<_>>());
    }

    #[test]
    fn gvk_order_is_kustomizes() {
        let g = |g: &str, v: &str, k: &str| Gvk::new(g, v, k);
        assert!(gvk_less(&g("", "", "Namespace"), &g("", "", "Deployment")));
        assert!(gvk_less(&g("", "", "Deployment"), &g("", "", "Ab")));
        assert!(gvk_less(
            &g("", "", "Ab"),
            &g("", "", "ValidatingWebhookConfiguration")
        ));
        assert!(gvk_less(&g("apps", "", "X"), &g("", "", "X")));
        assert!(!gvk_less(&g("", "", "X"), &g("", "", "X")));
    }

    fn yaml11(text: &str, tag: Tag) -> Node {
        Node::Scalar(Scalar::tagged(text, tag))
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.insert(k, v);
        }
        Node::Map(m)
    }

    fn spec_map(entries: Vec<(&str, Node)>) -> Node {
        map(vec![("commonLabels", Node::Seq(vec![map(entries)]))])
    }

    #[test]
    fn parses_configuration_files_strictly() {
        let cfg = TransformerConfig::from_node(&spec_map(vec![
            ("path", yaml11("012", Tag::Int)),
            ("Create", yaml11("yes", Tag::Bool)),
            ("KIND", Node::string("ConfigMap")),
        ]))
        .unwrap();
        let spec = &cfg.common_labels[0];
        assert_eq!(
            (spec.path_str(), spec.create(), spec.gvk().kind.as_str()),
            ("10", true, "ConfigMap")
        );
        assert!(
            TransformerConfig::from_node(&Node::null()).unwrap() == TransformerConfig::default()
        );

        let err = |n: Node| {
            TransformerConfig::from_node(&n)
                .unwrap_err()
                .message()
                .to_owned()
        };
        let prefix = "error unmarshaling JSON: while decoding JSON: json: ";
        assert_eq!(
            err(map(vec![("foo", Node::Seq(vec![]))])),
            format!("{prefix}unknown field \"foo\"")
        );
        assert_eq!(
            err(spec_map(vec![("create", Node::string("true"))])),
            format!(
                "{prefix}cannot unmarshal string into Go struct field .commonLabels.0.create of type bool"
            )
        );
        assert_eq!(
            err(spec_map(vec![
                ("group", yaml11("0x1F", Tag::Int)),
                ("kind", yaml11("yes", Tag::Bool)),
            ])),
            format!(
                "{prefix}cannot unmarshal number into Go struct field .commonLabels.0.group of type string"
            )
        );
        assert_eq!(
            err(map(vec![(
                "commonLabels",
                Node::Seq(vec![Node::string("foo")])
            )])),
            format!("{prefix}cannot unmarshal string into .commonLabels.0 of type types.FieldSpec")
        );
        assert_eq!(
            err(map(vec![("commonLabels", Node::map())])),
            format!(
                "{prefix}cannot unmarshal object into Go struct field .commonLabels of type types.FsSlice"
            )
        );
        assert_eq!(
            err(Node::Seq(vec![])),
            format!("{prefix}cannot unmarshal array into Go value of type builtinconfig.TransformerConfig")
        );
        assert_eq!(
            err(map(vec![("nameReference", yaml11("3", Tag::Int))])),
            format!(
                "{prefix}cannot unmarshal number into Go struct field .nameReference of type builtinconfig.nbrSlice"
            )
        );
        let nested = map(vec![(
            "nameReference",
            Node::Seq(vec![map(vec![
                ("kind", Node::string("Foo")),
                (
                    "fieldSpecs",
                    Node::Seq(vec![
                        map(vec![("path", Node::string("x"))]),
                        map(vec![("path", Node::Seq(vec![Node::string("a")]))]),
                    ]),
                ),
            ])]),
        )]);
        assert_eq!(
            err(nested),
            format!(
                "{prefix}cannot unmarshal array into Go struct field .nameReference.0.fieldSpecs.1.path of type string"
            )
        );
    }

    #[test]
    fn configurations_merge_in_order_then_into_the_builtin() {
        let one = TransformerConfig::from(FieldSpecLists {
            common_labels: vec![fs("ConfigMap", "data/x", true)],
            ..FieldSpecLists::default()
        });
        let two = TransformerConfig::from(FieldSpecLists {
            common_labels: vec![fs("", "metadata/labels", false)],
            ..FieldSpecLists::default()
        });
        let merged = TransformerConfig::for_kustomization(std::slice::from_ref(&one)).unwrap();
        assert_eq!(merged.common_labels.len(), 33);
        assert_eq!(
            TransformerConfig::for_kustomization(&[one, two])
                .unwrap_err()
                .message(),
            "failed to merge CommonLabels fieldSpec: conflicting fieldspecs"
        );
    }
}
