//! newsgraph's data model.
pub mod article;
pub mod conllu;
pub mod span;
pub mod tags;
pub use article::Article;
pub use span::{CharOffsets, TextRange};
pub use tags::{Deprel, Upos, Xpos};
