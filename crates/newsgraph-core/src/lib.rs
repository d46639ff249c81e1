//! newsgraph's data model.
pub mod article;
pub mod conllu;
pub mod span;
pub use article::Article;
pub use span::{CharOffsets, TextRange};
