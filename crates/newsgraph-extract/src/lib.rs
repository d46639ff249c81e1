//! Extraction over a tokenized (and, when available, tagged) [`Doc`]: the
//! records that point back into the text: time expressions (`time`),
//! entities with coreference, actor codes and places (`entities`), quotes
//! (`quotes`) and PLOVER events (`events`), plus the loader of the project's
//! own dev sets (`gold`).
//!
//! Main types: [`time::TimeNormalizer`], the pipeline [`Component`] that fills
//! `doc.times` with TIMEX3-normalised [`TimeExpr`]s; [`time::recognize`], the
//! same with the rule behind each expression; [`time::eval_time`], its scores
//! on GUM-style annotated CoNLL-U; [`quotes::QuoteExtractor`], the
//! [`Component`] that fills `doc.quotes` with direct, mixed and indirect
//! quotes and their speakers; [`gold`], the dev-set loader.
//!
//! ```
//! use newsgraph_core::{Component, Doc, DocMeta, Layers};
//! use newsgraph_extract::time::{simple_tokens, TimeNormalizer};
//!
//! let text = "ANKARA, March 18 (Meridian) - The ministers met on Tuesday and will meet again next month.";
//! let meta = DocMeta { published: Some("2015-03-20".into()), ..DocMeta::default() };
//! let mut doc = Doc::new(text, meta);
//! let tokens = simple_tokens(text);
//! let n = tokens.len() as u32;
//! doc.set_tokens(tokens).unwrap();
//! doc.set_sentences(&[0..n]).unwrap();
//!
//! TimeNormalizer::new().annotate(&mut doc).unwrap();
//! assert!(doc.has(Layers::TIMES));
//! let times: Vec<_> = doc
//!     .times
//!     .iter()
//!     .map(|t| (doc.slice(t.range), t.value.as_deref().unwrap_or("-")))
//!     .collect();
//! // The dateline (March 18, a Wednesday) is the anchor, not the publication date.
//! assert_eq!(times, [("March 18", "2015-03-18"), ("Tuesday", "2015-03-17"), ("next month", "2015-04")]);
//! ```
//!
//! [`Doc`]: newsgraph_core::Doc
//! [`Component`]: newsgraph_core::Component
//! [`TimeExpr`]: newsgraph_core::records::TimeExpr

pub mod entities;
mod error;
pub mod events;
pub mod gold;
pub mod quotes;
pub mod time;

pub use error::Error;
