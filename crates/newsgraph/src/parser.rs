//! The dependency parser of `newsgraph-nlp` as a pipeline component.

use newsgraph_core::doc::ROOT;
use newsgraph_core::tags::Deprel;
use newsgraph_core::{Component, ComponentError, Doc, Layers};
use newsgraph_nlp::parser::ParseScratch;
use newsgraph_nlp::Parser;

/// Assigns heads and UD relations, one sentence at a time (a wire
/// dateline apart from the lead it opens, its root hanging from the
/// lead's root as `dep`).
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
        // The root of a dateline unit, waiting for the next unit's root.
        let mut dateline_root: Option<usize> = None;
        for u in crate::units::units(doc) {
            words.clear();
            tags.clear();
            for i in u.tokens.clone() {
                let t = doc.token(i);
                words.push(t.text());
                tags.push((
                    t.upos().expect("TAGS layer checked"),
                    t.xpos().expect("TAGS layer checked"),
                ));
            }
            self.parser
                .parse_with(&mut scratch, &words, &tags, &mut arcs);
            let first = u.tokens.start as u32;
            let mut root = None;
            for (k, &(head, rel)) in arcs.iter().enumerate() {
                if head == 0 && root.is_none() {
                    root = Some(heads.len());
                }
                heads.push(if head == 0 { ROOT } else { first + head - 1 });
                deprels.push(rel);
                debug_assert_eq!(heads.len() - 1, first as usize + k);
            }
            if u.dateline {
                dateline_root = root;
            } else if let (Some(d), Some(r)) = (dateline_root.take(), root) {
                heads[d] = r as u32;
                deprels[d] = Deprel::Dep;
            }
        }
        doc.set_parse(heads, deprels)
            .map_err(|e| ComponentError::layer("parser", e))
    }
}
