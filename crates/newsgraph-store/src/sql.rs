//! The backend-neutral SQL layer: every statement of the store (the merge in
//! [`crate::merge`], the queries in [`crate::query`]) is written once, in the
//! SQL both SQLite and PostgreSQL accept, and runs on a [`Db`].
//!
//! Conventions of that SQL: parameters are `?1`, `?2`, ... (the PostgreSQL
//! backend rewrites them to `$1`, `$2`, ...); the column names `start` and
//! `end` are quoted (`"end"` is a PostgreSQL keyword); no backend-only
//! functions (`min(a, b)`/`LEAST` differ, so [`earliest`] and [`latest`]
//! spell them with `CASE`). What truly differs between the backends (full-text
//! search, case-insensitive comparison, sizes) is asked of [`Db`] by name.

use crate::StoreError;

/// A statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// A `text[]` (PostgreSQL only: SQL for concurrent writers).
    Texts(Vec<String>),
    /// A `bigint[]` (PostgreSQL only).
    Ints(Vec<i64>),
}

impl From<&str> for Param {
    fn from(s: &str) -> Param {
        Param::Text(s.to_string())
    }
}

impl From<String> for Param {
    fn from(s: String) -> Param {
        Param::Text(s)
    }
}

impl From<&String> for Param {
    fn from(s: &String) -> Param {
        Param::Text(s.clone())
    }
}

impl From<i64> for Param {
    fn from(n: i64) -> Param {
        Param::Int(n)
    }
}

impl From<u32> for Param {
    fn from(n: u32) -> Param {
        Param::Int(i64::from(n))
    }
}

impl From<usize> for Param {
    fn from(n: usize) -> Param {
        Param::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Param {
    fn from(x: f64) -> Param {
        Param::Real(x)
    }
}

impl From<f32> for Param {
    fn from(x: f32) -> Param {
        Param::Real(f64::from(x))
    }
}

impl<T: Into<Param>> From<Option<T>> for Param {
    fn from(v: Option<T>) -> Param {
        v.map_or(Param::Null, Into::into)
    }
}

/// Parameters from a list of values of mixed types: `params![a, b, c]`.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::sql::Param::from($p)),*][..]
    };
}
pub(crate) use params;

/// A value read back from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A row read back: its values, and getters that name the column on a type mismatch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub Vec<Value>);

impl Row {
    fn mismatch(&self, i: usize, wanted: &str) -> StoreError {
        StoreError::Corrupt {
            path: std::path::PathBuf::new(),
            message: format!("column {i}: expected {wanted}, found {:?}", self.0.get(i)),
        }
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.clone())),
            _ => Err(self.mismatch(i, "text")),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.mismatch(i, "text"))
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            Some(Value::Int(n)) => Ok(Some(*n)),
            _ => Err(self.mismatch(i, "an integer")),
        }
    }

    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?
            .ok_or_else(|| self.mismatch(i, "an integer"))
    }

    /// A count or position: a non-negative integer that fits 32 bits.
    pub fn u32(&self, i: usize) -> Result<u32, StoreError> {
        u32::try_from(self.int(i)?).map_err(|_| self.mismatch(i, "a 32-bit count"))
    }

    pub fn opt_real(&self, i: usize) -> Result<Option<f64>, StoreError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            Some(Value::Real(x)) => Ok(Some(*x)),
            Some(Value::Int(n)) => Ok(Some(*n as f64)),
            _ => Err(self.mismatch(i, "a number")),
        }
    }

    pub fn real(&self, i: usize) -> Result<f64, StoreError> {
        self.opt_real(i)?
            .ok_or_else(|| self.mismatch(i, "a number"))
    }
}

/// Where full-text search looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FtsTable {
    /// Titles and texts of documents, by `doc_key`.
    Documents,
    /// Quoted words, by `quote_key`.
    Quotes,
}

/// A database connection (or open transaction) the shared SQL runs on.
///
/// Methods take `&self`: a backend whose driver wants `&mut` keeps its
/// connection in a cell. Errors name the database and `what` was being done.
pub(crate) trait Db {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The database, for messages: a file path, or a URL without its password.
    fn location(&self) -> std::path::PathBuf;

    /// Runs a statement; returns the number of rows changed.
    fn exec(&self, what: &str, sql: &str, params: &[Param]) -> Result<u64, StoreError>;

    /// Runs a query and returns its rows.
    fn rows(&self, what: &str, sql: &str, params: &[Param]) -> Result<Vec<Row>, StoreError>;

    /// A condition true when `key_column` (a `doc_key` or `quote_key`) is a row
    /// of `table` containing every word of the parameter the `?#` stands for
    /// (see [`crate::query`]); its parameter is [`Db::fts_param`].
    fn fts_condition(&self, table: FtsTable, key_column: &str) -> String;

    /// The parameter of [`Db::fts_condition`] for search words (each alphanumeric).
    fn fts_param(&self, words: &[&str]) -> Param;

    /// After a document or quote row is inserted: keeps a full-text index
    /// that the database does not keep by itself.
    fn fts_index(
        &self,
        table: FtsTable,
        key: i64,
        texts: &[Option<&str>],
    ) -> Result<(), StoreError>;

    /// The full-text document search: a count query and a page query
    /// (`id, title, published, source, url, text`, best match first), with
    /// `?1` the [`Db::fts_param`], `?2` the limit and `?3` the offset.
    fn document_search_sql(&self) -> [&'static str; 2];

    /// Size of the database in bytes, when known.
    fn size_bytes(&self) -> Result<Option<u64>, StoreError>;

    /// What ends a `SELECT` that locks the rows it reads until the
    /// transaction ends: ` FOR UPDATE` where writers run concurrently
    /// (PostgreSQL), nothing where one writer holds the whole database
    /// (SQLite).
    fn lock_rows(&self) -> &'static str {
        ""
    }

    /// Whether the database keeps its full-text indexes by itself (then
    /// [`Db::fts_index`] does nothing and rows need not be inserted one by
    /// one for their keys).
    fn indexes_text_itself(&self) -> bool {
        false
    }

    /// Whether other writers may write at the same time (PostgreSQL), so
    /// that the merge must lock what it reads before writing over it; false
    /// where one writer holds the whole database (SQLite).
    fn concurrent_writers(&self) -> bool {
        false
    }

    /// Locks merge keys until the transaction ends, in sorted order, waiting
    /// for a writer that holds one (see `crate::merge`). A no-op without
    /// concurrent writers.
    fn lock_keys(&self, keys: &[String]) -> Result<(), StoreError> {
        let _ = keys;
        Ok(())
    }

    /// The first row of a query, if any.
    fn row(&self, what: &str, sql: &str, params: &[Param]) -> Result<Option<Row>, StoreError> {
        Ok(self.rows(what, sql, params)?.into_iter().next())
    }

    /// The single integer a query returns (`INSERT ... RETURNING id`, `COUNT(*)`).
    fn int(&self, what: &str, sql: &str, params: &[Param]) -> Result<i64, StoreError> {
        match self.row(what, sql, params)? {
            Some(row) => row.int(0),
            None => Err(StoreError::Corrupt {
                path: std::path::PathBuf::new(),
                message: format!("{what}: no row returned"),
            }),
        }
    }
}

/// SQL for the earlier of two nullable `YYYY-MM-DD...` texts (NULL only when both are).
pub(crate) fn earliest(a: &str, b: &str) -> String {
    format!("(CASE WHEN {a} IS NULL OR {b} < {a} THEN {b} ELSE {a} END)")
}

/// SQL for the later of two nullable texts (NULL only when both are).
pub(crate) fn latest(a: &str, b: &str) -> String {
    format!("(CASE WHEN {a} IS NULL OR {b} > {a} THEN {b} ELSE {a} END)")
}

/// `?N` placeholders rewritten to `$N` (the shared SQL holds no `?` elsewhere).
pub(crate) fn dollar_placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert_eq!(
            dollar_placeholders("SELECT 1 WHERE a = ?1 AND b = ?12"),
            "SELECT 1 WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn params_convert() {
        let none: Option<&str> = None;
        assert_eq!(
            params![1i64, "a", none, Some(2.5f64)],
            &[
                Param::Int(1),
                Param::Text("a".into()),
                Param::Null,
                Param::Real(2.5)
            ]
        );
    }
}
