//! Criterion benches of the pipeline on three news articles written for them
//! (`benches/data/*.txt`, invented people, real places): each NLP stage
//! alone (tagger, parser, entity recogniser, fed the output of the stages
//! before it), the whole [`Pipeline::standard`] per document, and storing the
//! processed documents into a fresh SQLite file.
//!
//! ```text
//! cargo bench -p newsgraph --bench pipeline             # everything
//! cargo bench -p newsgraph --bench pipeline -- stage/   # one group
//! ```
//!
//! Throughput is in whitespace-separated words of the article text (the unit
//! of `newsgraph bench` and of spaCy's published speeds), except for ingest,
//! which counts documents. Only the work being measured is timed: the input
//! documents are cloned in criterion's untimed setup.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use newsgraph::{Article, Component, Doc, EntityComponent, ParserComponent, Pipeline};
use newsgraph::{TaggerComponent, Tokenizer};
use newsgraph_store::{PutOutcome, SqliteStore, Store};
use std::time::Duration;

/// The articles, by name.
const ARTICLES: [(&str, &str); 3] = [
    ("protest", include_str!("data/protest.txt")),
    ("sanctions", include_str!("data/sanctions.txt")),
    ("election", include_str!("data/election.txt")),
];

/// Publication date given to every article (relative dates resolve against it).
const DATE: &str = "2024-06-13";

fn doc_of(name: &str, text: &str) -> Doc {
    let article = Article {
        id: Some(name.to_string()),
        text: text.to_string(),
        ..Article::default()
    };
    Doc::from_article(article, Some(DATE))
}

fn words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

fn all_words() -> u64 {
    ARTICLES.iter().map(|(_, t)| words(t)).sum()
}

/// Tokenizer, tagger, parser and entity recogniser, in pipeline order.
fn nlp_stages() -> Vec<Box<dyn Component>> {
    vec![
        Box::new(Tokenizer),
        Box::new(TaggerComponent::new(
            newsgraph_nlp::Tagger::builtin().expect("built-in tagger"),
        )),
        Box::new(ParserComponent::new(
            newsgraph_nlp::Parser::builtin().expect("built-in parser"),
        )),
        Box::new(EntityComponent::new(
            newsgraph_nlp::EntityRecognizer::builtin().expect("built-in recogniser"),
        )),
    ]
}

/// Each NLP stage alone over the three articles, given the layers of the
/// stages before it.
fn stages(c: &mut Criterion) {
    let stages = nlp_stages();
    let mut inputs: Vec<Doc> = ARTICLES.iter().map(|(n, t)| doc_of(n, t)).collect();
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Elements(all_words()));
    group.measurement_time(Duration::from_secs(4));
    for stage in &stages {
        group.bench_function(stage.name(), |b| {
            b.iter_batched(
                || inputs.clone(),
                |mut docs| {
                    for d in &mut docs {
                        stage.annotate(d).expect("stage runs");
                    }
                    docs
                },
                BatchSize::SmallInput,
            )
        });
        for d in &mut inputs {
            stage.annotate(d).expect("stage runs");
        }
    }
    group.finish();
}

/// The whole standard pipeline (every component this build ships), per document.
fn pipeline(c: &mut Criterion) {
    let pipeline = Pipeline::standard().expect("standard pipeline");
    let mut group = c.benchmark_group("pipeline");
    group.measurement_time(Duration::from_secs(4));
    for (name, text) in ARTICLES {
        let input = doc_of(name, text);
        group.throughput(Throughput::Elements(words(text)));
        group.bench_function(name, |b| {
            b.iter_batched(
                || input.clone(),
                |mut doc| {
                    pipeline.run(&mut doc).expect("pipeline runs");
                    doc
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Storing processed documents in one transaction into a new SQLite file:
/// eight reports of each article (distinct texts, so none is a duplicate).
fn ingest(c: &mut Criterion) {
    let pipeline = Pipeline::standard().expect("standard pipeline");
    let mut docs = Vec::new();
    for copy in 0..8 {
        for (name, text) in ARTICLES {
            let text = format!("{text}\nThis report was updated {} times.\n", copy + 1);
            let mut doc = doc_of(&format!("{name}-{copy}"), &text);
            pipeline.run(&mut doc).expect("pipeline runs");
            docs.push(doc);
        }
    }
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("sqlite", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = SqliteStore::open(dir.path().join("bench.db")).expect("open store");
                (dir, store)
            },
            |(dir, mut store)| {
                let outcomes = store.put_documents(&docs).expect("store documents");
                assert!(outcomes.iter().all(|o| *o == PutOutcome::Stored));
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages, pipeline, ingest);
criterion_main!(benches);
