//! The store's error type: which database, what operation, what went wrong.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened (missing directory, not a database, locked).
    #[error("cannot open database `{}`: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The database was written by a newer newsgraph.
    #[error(
        "database `{}` has schema version {found}, this build knows versions up to {supported}: use a newer newsgraph",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// A migration failed.
    #[error("database `{}`: migration to schema version {version} failed: {source}", path.display())]
    Migration {
        path: PathBuf,
        version: u32,
        source: rusqlite::Error,
    },
    /// A statement failed; `what` says what the store was doing.
    #[error("database `{}`: {what}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        what: String,
        source: rusqlite::Error,
    },
    /// The PostgreSQL server could not be reached or refused the connection.
    #[error("cannot connect to `{url}`: {detail}")]
    Connect {
        /// The URL without its password.
        url: String,
        /// The error with its causes.
        detail: String,
        source: postgres::Error,
    },
    /// A PostgreSQL statement failed; `what` says what the store was doing.
    #[error("database `{url}`: {what}: {source}")]
    Postgres {
        url: String,
        what: String,
        source: postgres::Error,
    },
    /// A concurrent writer changed what this transaction was about to
    /// merge into (a corpus event merged away); the batch is tried again.
    #[error("concurrent update: {0}")]
    Conflict(String),
    /// The database holds a value this build cannot read back.
    #[error("database `{}`: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    /// A backend this build does not have (`postgres://...`).
    #[error("{0}")]
    Unsupported(String),
    /// A query argument that makes no sense (a malformed date).
    #[error("{0}")]
    InvalidFilter(String),
    /// Writing query results failed (a closed pipe, a full disk).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
