//! Tokenizer and sentence-splitter speed on a ~2,000-word news article written for this bench.
//!
//! `cargo bench -p newsgraph-text --bench tokenize`; tokens/s = token count / time per iteration.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const NEWS: &str = include_str!("news.txt");

fn bench(c: &mut Criterion) {
    let tokens = newsgraph_text::tokenize(NEWS);
    let mut group = c.benchmark_group("news");
    // Throughput in elements = tokens, so criterion reports tokens per second.
    group.throughput(Throughput::Elements(tokens.len() as u64));
    let mut buf = Vec::with_capacity(tokens.len());
    group.bench_function("tokenize", |b| {
        b.iter(|| {
            buf.clear();
            newsgraph_text::tokenize_into(black_box(NEWS), &mut buf);
            buf.len()
        })
    });
    group.bench_function("split_sentences", |b| {
        b.iter(|| newsgraph_text::split_sentences(black_box(NEWS), black_box(&tokens)).len())
    });
    group.bench_function("tokenize+split", |b| {
        b.iter(|| {
            buf.clear();
            newsgraph_text::tokenize_into(black_box(NEWS), &mut buf);
            newsgraph_text::split_sentences(NEWS, &buf).len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
