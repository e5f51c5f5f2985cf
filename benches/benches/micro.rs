//! Micro-benchmarks of the three hot stages of a build: the YAML reader, the printer and
//! strategic merge, on documents like the generated tree's (`kbuild_benches::samples`).

use divan::counter::BytesCount;
use divan::Bencher;
use kbuild_benches::samples::{deployment_stream, large_crd, smp_pair};
use kbuild_benches::DEFAULT_SEED;
use kustomize_core::emit::write_resource;
use kustomize_core::load::yaml::{parse_documents, Schema};
use kustomize_core::openapi::Schema as OpenApi;
use kustomize_core::transform::patch::strategic::merge;
use kustomize_core::Node;

fn main() {
    divan::main();
}

/// The documents of `src`, without the empty piece before a leading `---`.
fn parse(src: &str) -> Vec<Node> {
    parse_documents(src.as_bytes(), Schema::Core)
        .unwrap_or_else(|e| panic!("the sample must parse: {e}"))
        .into_iter()
        .filter(|n| !n.is_null())
        .collect()
}

/// How many bytes printing `docs` writes (for the printer's throughput).
fn printed_len(docs: &[Node]) -> usize {
    let mut out = Vec::new();
    for doc in docs {
        if let Err(e) = write_resource(&mut out, doc) {
            panic!("the sample must print: {e}");
        }
    }
    out.len()
}

mod reader {
    use super::*;

    /// One ~450 KB CustomResourceDefinition: long descriptions, deep nesting.
    #[divan::bench(max_time = 3)]
    fn large_crd_document(bencher: Bencher) {
        let src = large_crd(DEFAULT_SEED);
        bencher
            .counter(BytesCount::of_str(&src))
            .bench(|| parse_documents(divan::black_box(src.as_bytes()), Schema::Core));
    }

    /// 50 Deployments, each with its Service: a typical multi-document manifest.
    #[divan::bench(max_time = 3)]
    fn deployment_stream_50(bencher: Bencher) {
        let src = deployment_stream(50, DEFAULT_SEED);
        bencher
            .counter(BytesCount::of_str(&src))
            .bench(|| parse_documents(divan::black_box(src.as_bytes()), Schema::Core));
    }
}

mod printer {
    use super::*;

    /// Prints the large CRD (into a buffer reused across iterations, as a build's is).
    #[divan::bench(max_time = 3)]
    fn large_crd_document(bencher: Bencher) {
        let doc = parse(&large_crd(DEFAULT_SEED)).remove(0);
        let mut out = Vec::new();
        let printed = printed_len(std::slice::from_ref(&doc));
        bencher.counter(BytesCount::new(printed)).bench_local(|| {
            out.clear();
            write_resource(&mut out, divan::black_box(&doc))
        });
    }

    /// Prints the 100 documents of the Deployment stream.
    #[divan::bench(max_time = 3)]
    fn deployment_stream_50(bencher: Bencher) {
        let docs = parse(&deployment_stream(50, DEFAULT_SEED));
        let mut out = Vec::new();
        let printed = printed_len(&docs);
        bencher.counter(BytesCount::new(printed)).bench_local(|| {
            out.clear();
            for doc in &docs {
                if let Err(e) = write_resource(&mut out, divan::black_box(doc)) {
                    panic!("the sample must print: {e}");
                }
            }
        });
    }
}

mod strategic_merge {
    use super::*;

    /// A Deployment patch as overlays write them (containers merged by name, env added and
    /// replaced, a volume added, the sidecar deleted), with `extra` more env entries in both
    /// target and patch: 0 is the typical case; 200 to 5000 show that a list merge grows
    /// linearly with the list (merge keys are looked up in an index).
    #[divan::bench(args = [0, 200, 2000, 5000], max_time = 3)]
    fn deployment(bencher: Bencher, extra: usize) {
        let (target, patch) = smp_pair(DEFAULT_SEED, extra);
        let target = parse(&target).remove(0);
        let patch = parse(&patch).remove(0);
        let schema = OpenApi::builtin();
        bencher
            .with_inputs(|| target.clone())
            .bench_local_values(|mut t| {
                let outcome = merge(&mut t, divan::black_box(&patch), schema);
                (outcome.is_ok(), t)
            });
    }
}
