//! [`SqliteStore`]: the default backend, one SQLite file in WAL mode.

mod schema;

use crate::sql::{Db, FtsTable, Param, Row, Value};
use crate::{merge, query, PutOutcome, Store, StoreError};
use newsgraph_core::Doc;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use schema::MIGRATIONS;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The SQLite backend: one database file (plus its `-wal` and `-shm` files
/// while open), foreign keys on, migrations applied on open.
///
/// Several processes may read while one writes (WAL); writers wait for each
/// other up to 30 s.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

/// Runs `r`, naming the database and what was being done in the error.
pub(crate) fn sql<T>(path: &Path, what: &str, r: rusqlite::Result<T>) -> Result<T, StoreError> {
    r.map_err(|source| StoreError::Sqlite {
        path: path.to_path_buf(),
        what: what.to_string(),
        source,
    })
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(open_err)?;
        // The first statement reads the file: "file is not a database" shows here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -32000;",
        )
        .map_err(open_err)?;
        let mut store = SqliteStore { conn, path };
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading only: nothing can be written
    /// through this store ([`Store::put_documents`] fails). The file must
    /// exist and have the latest schema (opening it once with
    /// [`SqliteStore::open`], e.g. by `newsgraph stats`, upgrades it).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA query_only = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -32000;",
        )
        .map_err(open_err)?;
        let store = SqliteStore { conn, path };
        let latest = MIGRATIONS.last().map_or(0, |m| m.0);
        let has_schema: bool = sql(
            &store.path,
            "reading the schema version",
            store.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'schema_version')",
                [],
                |r| r.get(0),
            ),
        )?;
        let found = if has_schema {
            store.schema_version()?
        } else {
            0
        };
        if found > latest {
            return Err(StoreError::NewerSchema {
                path: store.path.clone(),
                found,
                supported: latest,
            });
        }
        if found < latest {
            return Err(StoreError::Unsupported(format!(
                "{}: schema version {found}, this build reads version {latest}; \
                 open it once for writing (e.g. `newsgraph stats --db {}`) to upgrade it",
                store.path.display(),
                store.path.display()
            )));
        }
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        sql(
            &self.path,
            "reading the schema version",
            self.conn.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            ),
        )
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let latest = MIGRATIONS.last().map_or(0, |m| m.0);
        let migration_err = |version| {
            let path = path.clone();
            move |source| StoreError::Migration {
                path,
                version,
                source,
            }
        };
        // Immediate: two processes opening a new file do not both migrate it.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_version (
                 version    INTEGER PRIMARY KEY,
                 applied_at TEXT NOT NULL
             )",
        )
        .map_err(migration_err(0))?;
        let current: u32 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            )
            .map_err(migration_err(0))?;
        if current > latest {
            return Err(StoreError::NewerSchema {
                path: path.clone(),
                found: current,
                supported: latest,
            });
        }
        for &(version, statements) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            tx.execute_batch(statements)
                .map_err(migration_err(version))?;
            tx.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                (version, crate::normalize::now_utc()),
            )
            .map_err(migration_err(version))?;
        }
        tx.commit().map_err(migration_err(latest))
    }

    /// Every table's rows in a canonical text form, for comparing two
    /// databases (tests; backends): rows ordered by all columns, ingest
    /// timestamps left out.
    pub fn dump(&self) -> Result<String, StoreError> {
        query::dump(&self.db(), query::DUMP_TABLES)
    }

    fn db(&self) -> SqliteDb<'_> {
        SqliteDb {
            conn: &self.conn,
            path: &self.path,
        }
    }
}

/// The shared SQL's [`Db`] on a SQLite connection or open transaction.
struct SqliteDb<'c> {
    conn: &'c Connection,
    path: &'c Path,
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(n) => ValueRef::Integer(*n),
            Param::Real(x) => ValueRef::Real(*x),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Texts(_) | Param::Ints(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "arrays are PostgreSQL-only parameters".into(),
                ))
            }
        }))
    }
}

impl Db for SqliteDb<'_> {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> PathBuf {
        self.path.to_path_buf()
    }

    fn exec(&self, what: &str, query: &str, params: &[Param]) -> Result<u64, StoreError> {
        let mut stmt = sql(self.path, what, self.conn.prepare_cached(query))?;
        let n = sql(
            self.path,
            what,
            stmt.execute(rusqlite::params_from_iter(params)),
        )?;
        Ok(n as u64)
    }

    fn rows(&self, what: &str, query: &str, params: &[Param]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = sql(self.path, what, self.conn.prepare_cached(query))?;
        let n = stmt.column_count();
        let mut rows = sql(
            self.path,
            what,
            stmt.query(rusqlite::params_from_iter(params)),
        )?;
        let mut out = Vec::new();
        while let Some(row) = sql(self.path, what, rows.next())? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match sql(self.path, what, row.get_ref(i))? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(x) => Value::Real(x),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Text(format!("blob:{}", b.len())),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn fts_condition(&self, table: FtsTable, key_column: &str) -> String {
        let fts = match table {
            FtsTable::Documents => "documents_fts",
            FtsTable::Quotes => "quotes_fts",
        };
        format!("{key_column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?#)")
    }

    fn fts_param(&self, words: &[&str]) -> Param {
        // Each word quoted: an FTS5 query requiring all of them.
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        Param::Text(quoted.join(" "))
    }

    fn fts_index(
        &self,
        table: FtsTable,
        key: i64,
        texts: &[Option<&str>],
    ) -> Result<(), StoreError> {
        let (what, query) = match table {
            FtsTable::Documents => (
                "indexing a document",
                "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            ),
            FtsTable::Quotes => (
                "indexing a quote",
                "INSERT INTO quotes_fts (rowid, text) VALUES (?1, ?2)",
            ),
        };
        let mut params = vec![Param::Int(key)];
        params.extend(texts.iter().map(|t| Param::from(*t)));
        self.exec(what, query, &params).map(|_| ())
    }

    fn document_search_sql(&self) -> [&'static str; 2] {
        [
            "SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?1",
            "SELECT d.id, d.title, d.published, d.source, d.url, d.text
             FROM documents_fts f JOIN documents d ON d.doc_key = f.rowid
             WHERE documents_fts MATCH ?1
             ORDER BY f.rank, d.doc_key LIMIT ?2 OFFSET ?3",
        ]
    }

    fn size_bytes(&self) -> Result<Option<u64>, StoreError> {
        let n = self.int(
            "measuring the database",
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            &[],
        )?;
        Ok(u64::try_from(n).ok())
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn put_documents(&mut self, docs: &[Doc]) -> Result<Vec<PutOutcome>, StoreError> {
        // Immediate: the write lock is taken now, so the merge reads what it writes over.
        let tx = sql(
            &self.path,
            "starting a transaction",
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate),
        )?;
        let db = SqliteDb {
            conn: &tx,
            path: &self.path,
        };
        let outcomes = merge::put_documents(&db, docs, &crate::normalize::now_utc())?;
        sql(&self.path, "committing", tx.commit())?;
        Ok(outcomes)
    }

    crate::query::shared_store_methods!();
}
