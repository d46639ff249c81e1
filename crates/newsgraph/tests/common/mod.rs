//! What the facade's integration tests share: one standard pipeline per test
//! binary (models load once) and a way to run it on a piece of text.

#![allow(dead_code)] // each test binary uses its own subset

use newsgraph::Pipeline;
use newsgraph_core::{Article, Doc};
use std::sync::OnceLock;

/// The standard pipeline, loaded on first use.
pub fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::standard().unwrap())
}

/// Runs the standard pipeline on `text` with `date` as its publication date
/// (`None`: an undated article).
pub fn run(text: &str, date: Option<&str>) -> Doc {
    let article = Article {
        text: text.into(),
        ..Article::default()
    };
    pipeline().process(article, date).unwrap()
}
