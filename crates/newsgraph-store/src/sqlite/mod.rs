//! [`SqliteStore`]: the default backend, one SQLite file in WAL mode.

mod query;
mod schema;
mod write;

use crate::{
    ActorPair, CorpusEntity, CorpusEvent, DocKey, DocumentHits, DocumentLinks, Duplicate,
    DuplicateOf, EntityFilter, EventCount, EventFilter, PutOutcome, QuoteFilter, Stats, Store,
    StoreError, StoredQuote,
};
use newsgraph_core::Doc;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use schema::MIGRATIONS;
use std::fmt::Write as _;
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

/// What stands for the text in `documents.json`: the text is stored once, in
/// `documents.text`, and put back by [`document_json`].
pub(crate) const TEXT_PLACEHOLDER: &str = "\u{0}text\u{0}";

/// The JSON of a stored document with its text put back. The placeholder
/// serialises as `"text":"\u0000text\u0000"`; inside any string value the
/// quotes of that sequence would be escaped, so the first match is the key.
pub(crate) fn document_json(stored: &str, text: &str) -> Option<String> {
    let marker = "\"text\":\"\\u0000text\\u0000\"";
    let at = stored.find(marker)?;
    let text_json = serde_json::to_string(text).ok()?;
    let mut out = String::with_capacity(stored.len() + text_json.len());
    out.push_str(&stored[..at]);
    out.push_str("\"text\":");
    out.push_str(&text_json);
    out.push_str(&stored[at + marker.len()..]);
    Some(out)
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
        const TABLES: [&str; 11] = [
            "documents",
            "entities",
            "entity_aliases",
            "entity_roles",
            "doc_entities",
            "mentions",
            "times",
            "quotes",
            "events",
            "event_reports",
            "event_actors",
        ];
        let mut out = String::new();
        for table in TABLES {
            let what = format!("dumping {table}");
            let stmt = sql(
                &self.path,
                &what,
                self.conn.prepare(&format!("SELECT * FROM {table}")),
            )?;
            let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
            let order: Vec<String> = (1..=names.len()).map(|i| i.to_string()).collect();
            drop(stmt);
            let mut stmt = sql(
                &self.path,
                &what,
                self.conn.prepare(&format!(
                    "SELECT * FROM {table} ORDER BY {}",
                    order.join(", ")
                )),
            )?;
            let _ = writeln!(out, "## {table}");
            let mut rows = sql(&self.path, &what, stmt.query([]))?;
            while let Some(row) = sql(&self.path, &what, rows.next())? {
                let mut line = String::new();
                for (i, name) in names.iter().enumerate() {
                    if name == "ingested_at" {
                        continue;
                    }
                    let value = match sql(&self.path, &what, row.get_ref(i))? {
                        ValueRef::Null => "null".to_string(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => format!("{x:?}"),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("blob:{}", b.len()),
                    };
                    let _ = write!(line, "{name}={value} ");
                }
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
        Ok(out)
    }
}

/// The stored document a key duplicates (id, then URL, then content).
pub(crate) fn find_duplicate(
    conn: &Connection,
    path: &Path,
    key: &DocKey<'_>,
) -> Result<Option<Duplicate>, StoreError> {
    let what = "looking for duplicates";
    let mut lookups: Vec<(&str, &str, DuplicateOf)> = Vec::with_capacity(3);
    if let Some(id) = key.id {
        lookups.push((
            "SELECT id FROM documents WHERE id = ?1",
            id,
            DuplicateOf::Id,
        ));
    }
    if let Some(url) = key.url {
        lookups.push((
            "SELECT id FROM documents WHERE url = ?1",
            url,
            DuplicateOf::Url,
        ));
    }
    lookups.push((
        "SELECT id FROM documents WHERE content_hash = ?1",
        key.content_hash,
        DuplicateOf::Content,
    ));
    for (query, value, matched) in lookups {
        let mut stmt = sql(path, what, conn.prepare_cached(query))?;
        let found: Option<String> =
            sql(path, what, stmt.query_row([value], |r| r.get(0)).optional())?;
        if let Some(existing) = found {
            return Ok(Some(Duplicate { existing, matched }));
        }
    }
    Ok(None)
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn find_duplicate(&self, key: &DocKey<'_>) -> Result<Option<Duplicate>, StoreError> {
        find_duplicate(&self.conn, &self.path, key)
    }

    fn put_documents(&mut self, docs: &[Doc]) -> Result<Vec<PutOutcome>, StoreError> {
        write::put_documents(&mut self.conn, &self.path, docs)
    }

    fn document_json(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String, String)> = sql(
            &self.path,
            "reading a document",
            self.conn
                .query_row(
                    "SELECT json, text FROM documents WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional(),
        )?;
        match row {
            None => Ok(None),
            Some((json, text)) => {
                document_json(&json, &text)
                    .map(Some)
                    .ok_or_else(|| StoreError::Corrupt {
                        path: self.path.clone(),
                        message: format!("document `{id}` has no text placeholder in its JSON"),
                    })
            }
        }
    }

    fn visit_events(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        query::visit_events(&self.conn, &self.path, filter, f)
    }

    fn visit_entities(
        &self,
        filter: &EntityFilter,
        f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        query::visit_entities(&self.conn, &self.path, filter, f)
    }

    fn visit_quotes(
        &self,
        filter: &QuoteFilter,
        f: &mut dyn FnMut(StoredQuote) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        query::visit_quotes(&self.conn, &self.path, filter, f)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let mut stats = query::stats(&self.conn, &self.path)?;
        stats.schema_version = self.schema_version()?;
        Ok(stats)
    }

    fn event(&self, id: i64) -> Result<Option<CorpusEvent>, StoreError> {
        query::event(&self.conn, &self.path, id)
    }

    fn entity(&self, id: i64) -> Result<Option<CorpusEntity>, StoreError> {
        query::entity(&self.conn, &self.path, id)
    }

    fn count_events(&self, filter: &EventFilter) -> Result<u64, StoreError> {
        query::count_events(&self.conn, &self.path, filter)
    }

    fn count_entities(&self, filter: &EntityFilter) -> Result<u64, StoreError> {
        query::count_entities(&self.conn, &self.path, filter)
    }

    fn count_quotes(&self, filter: &QuoteFilter) -> Result<u64, StoreError> {
        query::count_quotes(&self.conn, &self.path, filter)
    }

    fn event_counts(&self, filter: &EventFilter) -> Result<Vec<EventCount>, StoreError> {
        query::event_counts(&self.conn, &self.path, filter)
    }

    fn actor_pairs(&self, filter: &EventFilter) -> Result<Vec<ActorPair>, StoreError> {
        query::actor_pairs(&self.conn, &self.path, filter)
    }

    fn search_documents(
        &self,
        q: &str,
        limit: u64,
        offset: u64,
    ) -> Result<DocumentHits, StoreError> {
        query::search_documents(&self.conn, &self.path, q, limit, offset)
    }

    fn document_links(&self, id: &str) -> Result<Option<DocumentLinks>, StoreError> {
        query::document_links(&self.conn, &self.path, id)
    }
}
