//! The readers: what `unlink check` runs on each file it opens.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use unlink_bench::{chain_makefile, compose, plain_text, script};
use unlink_walk::FileKind;

fn prefilter(c: &mut Criterion) {
    let mut g = c.benchmark_group("prefilter");
    // Most files: no needle, so the whole file is searched.
    let plain = plain_text(1 << 20);
    assert!(!unlink_walk::may_contain_link(FileKind::Shell, &plain));
    g.throughput(Throughput::Bytes(plain.len() as u64));
    g.bench_function("may_contain_link 1MiB", |b| {
        b.iter(|| unlink_walk::may_contain_link(FileKind::Shell, black_box(&plain)))
    });
    g.bench_function("is_binary 1MiB", |b| {
        b.iter(|| unlink_walk::is_binary(black_box(&plain)))
    });
    g.finish();
}

fn makefiles(c: &mut Criterion) {
    let mut g = c.benchmark_group("make::read");
    g.sample_size(20);
    for n in [1_000, 10_000] {
        let src = chain_makefile(n);
        let facts = unlink_locate::make::read(Path::new("Makefile"), &src);
        assert_eq!(facts.commands.len(), 2 * n);
        g.throughput(Throughput::Bytes(src.len() as u64));
        g.bench_with_input(BenchmarkId::new("chain", n), &src, |b, src| {
            b.iter(|| unlink_locate::make::read(Path::new("Makefile"), black_box(src)))
        });
    }
    g.finish();
}

fn scripts(c: &mut Criterion) {
    let mut g = c.benchmark_group("script::read");
    g.sample_size(20);
    for n in [100, 1_000] {
        let src = script(n);
        let facts = unlink_locate::script::read(Path::new("deploy.sh"), &src);
        assert!(facts.errors.is_empty(), "{:?}", facts.errors);
        assert_eq!(facts.commands.len(), 2 * n);
        g.throughput(Throughput::Bytes(src.len() as u64));
        g.bench_with_input(BenchmarkId::new("blocks", n), &src, |b, src| {
            b.iter(|| unlink_locate::script::read(Path::new("deploy.sh"), black_box(src)))
        });
    }
    g.finish();
}

fn compose_files(c: &mut Criterion) {
    let mut g = c.benchmark_group("compose::check");
    for n in [10, 200] {
        let text = compose(n);
        let found =
            unlink_compose::check(Path::new("docker-compose.yml"), &text).expect("compose reads");
        assert!(found.len() >= n / 2);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("services", n), &text, |b, text| {
            b.iter(|| unlink_compose::check(Path::new("docker-compose.yml"), black_box(text)))
        });
    }
    g.finish();
}

criterion_group!(readers, prefilter, makefiles, scripts, compose_files);
criterion_main!(readers);
