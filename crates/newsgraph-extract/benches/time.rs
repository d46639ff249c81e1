//! Throughput of the time normaliser over news-like text (tokens per second).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsgraph_core::{Component, Doc, DocMeta};
use newsgraph_extract::time::{simple_tokens, TimeNormalizer};

/// A wire report written for this benchmark: dense in dates on purpose.
const ARTICLE: &str = "SOCHI, May 12 (Wire) - U.S. Secretary of State John Kerry met Russian \
President Vladimir Putin on Tuesday for more than eight hours, the first visit by a top U.S. \
official to Russia since the crisis in Ukraine began early last year. Kerry arrived on Monday \
night and laid a wreath at a war memorial before the talks. He will fly to Antalya, Turkey, \
on Wednesday for a two-day meeting of NATO foreign ministers and is expected to meet \
Ukraine's foreign minister there later this week. Sanctions imposed in July 2014 could be \
eased if a ceasefire agreed on Feb. 12 holds until the end of the year, officials said. \
The two sides last met in September or November, and a summit is planned for June 30. \
Western leaders declined an invitation to the parade on May 9, which Putin called \
disrespectful. Prices have risen by 15 percent over the past three years and the central bank \
meets every Monday to review them. Recently, the ruble recovered, and analysts expect it to \
stay stable in the coming months. The agreement, signed in 1997, was revised in the 2000s and \
again two years ago. Talks will resume next month, and a decision is due by 3 p.m. on Friday.";

fn doc_of(text: &str, copies: usize) -> Doc {
    let mut body = String::new();
    for _ in 0..copies {
        body.push_str(text);
        body.push(' ');
    }
    let mut doc = Doc::new(
        body.clone(),
        DocMeta {
            published: Some("2015-05-12".into()),
            ..DocMeta::default()
        },
    );
    let tokens = simple_tokens(&body);
    // Sentences end at ".", as a splitter would put them.
    let mut sentences = Vec::new();
    let mut start = 0u32;
    for (i, t) in tokens.iter().enumerate() {
        if t.slice(&body) == "." {
            sentences.push(start..i as u32 + 1);
            start = i as u32 + 1;
        }
    }
    if (start as usize) < tokens.len() {
        sentences.push(start..tokens.len() as u32);
    }
    doc.set_tokens(tokens).unwrap();
    doc.set_sentences(&sentences).unwrap();
    doc
}

fn bench(c: &mut Criterion) {
    let doc = doc_of(ARTICLE, 20);
    let mut group = c.benchmark_group("time");
    group.throughput(Throughput::Elements(doc.len() as u64));
    group.bench_function("normalize_news", |b| {
        b.iter(|| {
            let mut d = doc.clone();
            TimeNormalizer::new().annotate(&mut d).unwrap();
            d.times.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
