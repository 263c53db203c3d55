//! The planner: graph, plan and lint, after the files are read.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use unlink_bench::{chain_inputs, groups_inputs};

fn chain(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan chain");
    g.sample_size(10);
    for n in [1_000, 10_000, 20_000] {
        let inputs = chain_inputs(n);
        let (graph, plan, _) = inputs.plan();
        assert_eq!(graph.links.len(), n - 1);
        assert_eq!(plan.networks.len(), 1);
        g.bench_with_input(BenchmarkId::from_parameter(n), &inputs, |b, inputs| {
            b.iter(|| black_box(inputs.plan()))
        });
    }
    g.finish();
}

fn groups(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan groups");
    g.sample_size(10);
    // Files x linked pairs per file: every pair its own network.
    for (files, pairs) in [(100, 5), (500, 4)] {
        let inputs = groups_inputs(files, pairs);
        let (_, plan, _) = inputs.plan();
        assert_eq!(plan.networks.len(), files * pairs);
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{files}x{pairs}")),
            &inputs,
            |b, inputs| b.iter(|| black_box(inputs.plan())),
        );
    }
    g.finish();
}

criterion_group!(planner, chain, groups);
criterion_main!(planner);
