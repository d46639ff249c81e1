//! Trained components: part-of-speech tagger, lemmatizer, dependency parser.
//!
//! - [`Tagger`] predicts a (UPOS, XPOS) pair per word (averaged perceptron,
//!   greedy left to right); it carries the [`Lemmatizer`] trained with it
//!   (both in `models/tagger.bin`, built into the binary: [`Tagger::builtin`]).
//! - [`train_tagger`] and [`eval_pos`] train and score them on CoNLL-U treebanks.
//!
//! ```
//! use newsgraph_nlp::Tagger;
//! use newsgraph_core::{Upos, Xpos};
//!
//! let tagger = Tagger::builtin().unwrap();
//! let words = ["Kerry", "met", "Putin", "in", "Sochi", "."];
//! let mut tags = Vec::new();
//! tagger.tag(&words, &mut tags);
//! assert_eq!(tags[1], (Upos::Verb, Xpos::Vbd));
//! assert_eq!(tagger.lemmatizer().lemma("met", tags[1].0, tags[1].1), "meet");
//! ```

mod embedded;
pub mod lemmatizer;
pub mod ner;
pub mod parser;
pub mod tagger;

pub use lemmatizer::Lemmatizer;
pub use ner::{
    eval_ner, refine_entity_type, train_ner, EntityLabel, EntityRecognizer, EntitySpan, Gazetteer,
    NerEval,
};
pub use parser::{
    eval_parse, train_parser, ParseEval, Parser, ParserTrainOptions, ParserTrainReport,
};
pub use tagger::{
    eval_pos, train_tagger, train_tagger_with, PosEval, Tagger, TaggerTemplates, TaggerTrainReport,
};
