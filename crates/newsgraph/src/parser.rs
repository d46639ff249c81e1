//! The dependency parser of `newsgraph-nlp` as a pipeline component.

use newsgraph_core::doc::ROOT;
use newsgraph_core::{Component, ComponentError, Doc, Layers};
use newsgraph_nlp::parser::ParseScratch;
use newsgraph_nlp::Parser;

/// Assigns heads and UD relations, one sentence at a time.
#[derive(Debug)]
pub struct ParserComponent {
    parser: Parser,
}

impl ParserComponent {
    pub fn new(parser: Parser) -> Self {
        ParserComponent { parser }
    }
}

impl Component for ParserComponent {
    fn name(&self) -> &str {
        "parser"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES | Layers::TAGS
    }

    fn assigns(&self) -> Layers {
        Layers::PARSE
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let mut heads = Vec::with_capacity(doc.len());
        let mut deprels = Vec::with_capacity(doc.len());
        let mut words: Vec<&str> = Vec::new();
        let mut tags = Vec::new();
        let mut arcs = Vec::new();
        let mut scratch = ParseScratch::default();
        for s in doc.sentences() {
            words.clear();
            tags.clear();
            for t in s.tokens() {
                words.push(t.text());
                tags.push((
                    t.upos().expect("TAGS layer checked"),
                    t.xpos().expect("TAGS layer checked"),
                ));
            }
            self.parser
                .parse_with(&mut scratch, &words, &tags, &mut arcs);
            let first = s.token_indices().start as u32;
            for &(head, rel) in &arcs {
                heads.push(if head == 0 { ROOT } else { first + head - 1 });
                deprels.push(rel);
            }
        }
        doc.set_parse(heads, deprels)
            .map_err(|e| ComponentError::layer("parser", e))
    }
}
