//! The crate's error type.

use newsgraph_core::conllu::ConlluError;

/// Errors of the extraction crate's entry points (evaluation input, mostly);
/// per-document problems are diagnostics on the `Doc` instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("CoNLL-U input: {0}")]
    Conllu(#[from] ConlluError),
    #[error("annotated data is inconsistent: {0}")]
    Data(String),
}
