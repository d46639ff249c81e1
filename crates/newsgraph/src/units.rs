//! The stretches of tokens the tagger and the parser read one at a time:
//! the sentences, with a wire dateline cut off the first one.
//!
//! "KASTANIES, Greece, March 5 (Meridian) - Greek riot police fired tear gas
//! at hundreds of migrants" is one sentence, but the models were trained on
//! text without datelines: read whole, the dateline's capitals become the
//! sentence's root and the lead's verb a clause hanging from them. Read
//! apart, the lead parses as the sentence it is, and the dateline's own
//! root hangs from the lead's root as `dep`.

use newsgraph_core::Doc;
use std::ops::Range;

/// One stretch of tokens to tag and parse on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Document token indices.
    pub tokens: Range<usize>,
    /// The dateline cut off the first sentence (its root hangs from the
    /// root of the next unit, the rest of that sentence).
    pub dateline: bool,
}

/// The units of a document, in order, covering every token once.
pub(crate) fn units(doc: &Doc) -> Vec<Unit> {
    let dash = newsgraph_nlp::ner::dateline(doc).map(|d| d.dash);
    let mut out = Vec::with_capacity(doc.sentences().len());
    for s in doc.sentences() {
        let r = s.token_indices();
        match dash {
            Some(d) if r.contains(&d) && d + 1 < r.end => {
                out.push(Unit {
                    tokens: r.start..d + 1,
                    dateline: true,
                });
                out.push(Unit {
                    tokens: d + 1..r.end,
                    dateline: false,
                });
            }
            _ => out.push(Unit {
                tokens: r,
                dateline: false,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_core::{Component, DocMeta};

    fn tokenized(text: &str) -> Doc {
        let mut doc = Doc::new(text, DocMeta::default());
        crate::Tokenizer.annotate(&mut doc).unwrap();
        doc
    }

    fn texts(doc: &Doc) -> Vec<(String, bool)> {
        units(doc)
            .into_iter()
            .map(|u| {
                let words: Vec<&str> = u.tokens.map(|i| doc.token(i).text()).collect();
                (words.join(" "), u.dateline)
            })
            .collect()
    }

    #[test]
    fn a_dateline_is_its_own_unit() {
        let doc = tokenized("ODESA, May 2 (Meridian) - Talks resumed. They ended late.");
        assert_eq!(
            texts(&doc),
            [
                ("ODESA , May 2 ( Meridian ) -".to_string(), true),
                ("Talks resumed .".to_string(), false),
                ("They ended late .".to_string(), false),
            ]
        );
    }

    #[test]
    fn without_a_dateline_units_are_sentences() {
        let doc = tokenized("Talks resumed in Odesa - at last. They ended late.");
        let got = texts(&doc);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|(_, d)| !d));
    }
}
