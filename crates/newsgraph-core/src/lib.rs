//! newsgraph's data model: an [`Article`] read from a source becomes a [`Doc`],
//! which owns the text and every annotation layer; [`Component`]s add layers;
//! [`json::DocJson`] renders a `Doc` in the output contract.
//!
//! ```
//! use newsgraph_core::{Doc, DocMeta, TextRange, Layers};
//! let mut doc = Doc::new("Kerry met Putin.", DocMeta::default());
//! doc.set_tokens(vec![TextRange::new(0, 5), TextRange::new(6, 9), TextRange::new(10, 15), TextRange::new(15, 16)]).unwrap();
//! doc.set_sentences(&[0..4]).unwrap();
//! assert_eq!(doc.sentence(0).tokens().map(|t| t.text()).collect::<Vec<_>>(), ["Kerry", "met", "Putin", "."]);
//! assert!(doc.has(Layers::TOKENS | Layers::SENTENCES));
//! ```
//!
//! Internally every range is a byte [`TextRange`]; the JSON uses character
//! offsets ([`CharOffsets`]). This crate does no I/O.

pub mod article;
pub mod component;
pub mod conllu;
pub mod doc;
pub mod json;
pub mod layers;
pub mod records;
pub mod span;
pub mod tags;

pub use article::Article;
pub use component::{Component, ComponentError};
pub use doc::{Diagnostic, Doc, DocMeta, Sentence, Token};
pub use layers::Layers;
pub use span::{CharOffsets, TextRange};
pub use tags::{Deprel, Upos, Xpos};
