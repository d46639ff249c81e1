//! An article as read from its source: cleaned body text plus metadata.

use serde::{Deserialize, Serialize};

/// What a reader produces: the body text and the metadata the source gave.
///
/// `published` is normalised to ISO 8601 (`2015-05-12` or
/// `2015-05-12T10:00:00Z`) by the reader; `origin` says where the article came
/// from (a path, `<stdin>`, or `path:line` for a record) and is used in messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub origin: String,
    /// Per-article problems found while reading (lossy decoding, unparseable date, ...).
    pub warnings: Vec<String>,
}
