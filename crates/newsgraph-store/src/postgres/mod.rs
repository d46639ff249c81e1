//! [`PostgresStore`]: the backend for many workers, on one PostgreSQL
//! database (`--db postgres://user@host:port/dbname`).
//!
//! It runs the same SQL as SQLite (`crate::merge`, `crate::query`) on a
//! schema with the same meaning (`schema`), so the same documents give the
//! same store on both backends.
//!
//! # Concurrent writers
//!
//! Several processes may write at once. Each batch is one transaction at
//! PostgreSQL's default isolation, READ COMMITTED, that locks what could
//! race another writer, as late and as little as it can (the shared merge
//! code decides what, `crate::merge`; this backend's [`Db::lock_keys`]
//! locks merge keys, hashed to 64 bits, as transaction-scoped advisory
//! locks, `pg_advisory_xact_lock`, in key order, in one statement):
//!
//! - entity keys (normalised name and type) only where a document entity
//!   creates a corpus entity, gives one its country, or could be beaten to
//!   either (`crate::merge::entity_needs_lock`): taken up front, for the
//!   batch, after one read of the batch's entity names; joining an existing
//!   entity as it is takes no lock;
//! - event keys (type, modality, day, side and actor: two reports that
//!   could match share one) once the documents are written, for the
//!   batch's event step;
//! - the corpus events a report joins (`SELECT ... FOR UPDATE`, in id
//!   order), as merging two events reaches beyond the batch's keys; an
//!   event merged away meanwhile makes the batch start again
//!   ([`StoreError::Conflict`]), as does a foreign-key violation from the
//!   same race;
//! - last, the entity rows whose counters the batch adds to, in id order
//!   (`FOR NO KEY UPDATE`, which does not block other writers' references
//!   to them), just before the commit: counters, aliases and roles are
//!   sums, minima and maxima, aggregated over the batch and written in one
//!   statement per table.
//!
//! A writer that waited for a lock reads, in its next statement (READ
//! COMMITTED takes a snapshot per statement), what the holder committed: no
//! two corpus entities or events are created for the same thing. Document
//! identities are not locked: two writers storing the same document
//! collide on a unique index and one starts its batch again.
//!
//! Why not SERIALIZABLE: the merge reads candidate rows and then inserts; two
//! serializable transactions creating the same new entity are both aborted
//! or one retried, and at GDELT-like rates (the same few actors in every
//! batch) retries would dominate. Locks make the conflicting batches wait
//! instead of fail. Why advisory locks: they write nothing (no table to
//! insert keys into, to lock rows of, to bloat and vacuum; schema versions 2
//! and 3 kept one row per key ever used in a `merge_locks` table, and the
//! inserts of keys new to every batch were where workers waited) and go
//! with the commit. They take room in the server's shared lock table,
//! `max_locks_per_transaction` × (`max_connections` + background
//! processes) entries, 6,400 and more by default; a batch of 64 generated
//! articles holds ~600 keys (measured), so about ten such workers fit, and a
//! full table is reported as such (raise `max_locks_per_transaction`).
//! Keys are locked in sorted order, and each group in one statement, so
//! that lock waits rarely form a cycle; a deadlock or serialization failure
//! reported by the server anyway makes the batch start again, up to
//! [`RETRIES`] times. Rows are written with multi-row `INSERT`s
//! (`crate::merge::multi_row`), so that a batch costs a few round trips per
//! document rather than per record.
//!
//! After each committed batch a writer analyzes the tables that have about
//! doubled since their last analysis (`PostgresStore::refresh_statistics`):
//! autovacuum does so a minute or more late, and until then the merge's
//! prepared statements are planned without statistics (one such plan
//! scanned every report actor per recomputed event).
//!
//! Measured: see `scripts/bench-workers.sh` and the README ("Scaling out").
//!
//! ```no_run
//! use newsgraph_store::{PostgresStore, Store};
//! let store = PostgresStore::connect("postgres://newsgraph@localhost:5432/news").unwrap();
//! println!("{} documents", store.stats().unwrap().documents);
//! ```

mod schema;

use crate::sql::{dollar_placeholders, Db, FtsTable, Param, Row, Value};
use crate::{merge, query, PutOutcome, Store, StoreError};
use bytes::BytesMut;
use newsgraph_core::Doc;
use postgres::error::SqlState;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, GenericClient, NoTls, Statement};
use schema::MIGRATIONS;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

/// How many times a batch is tried when the server reports a deadlock, a
/// serialization failure or a unique violation (a concurrent insert).
pub const RETRIES: usize = 8;

/// The fewest changed rows since its last analysis for which a table is
/// analyzed again by [`PostgresStore::refresh_statistics`].
const ANALYZE_MIN_CHANGES: i64 = 200;

/// The advisory lock key a worker holds while it refreshes the planner's
/// statistics ([`PostgresStore::refresh_statistics`]), so that one worker
/// does it at a time ("newsgraph" + 1).
const ANALYZE_LOCK: i64 = 0x6e65_7773_6772_6171;

/// The advisory lock key under which migrations run, so that workers
/// starting together do not migrate twice ("newsgraph" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x6e65_7773_6772_6170;

/// The PostgreSQL backend: one connection to one database, migrations
/// applied on connect. See the module docs for concurrent writers.
pub struct PostgresStore {
    /// Always `Some` until dropped.
    conn: Option<Conn>,
}

/// The connection of a [`PostgresStore`].
struct Conn {
    client: RefCell<Client>,
    /// Prepared statements by their shared-SQL text.
    statements: RefCell<HashMap<String, Statement>>,
    /// The URL without its password, for messages.
    url: String,
}

impl Drop for PostgresStore {
    /// The sync client runs its own small async runtime, which must not be
    /// shut down on a thread that runs another one (`newsgraph serve`
    /// dropping its pool): the connection is closed on a thread of its own.
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = std::thread::spawn(move || drop(conn)).join();
        }
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &self.c().url)
            .finish()
    }
}

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A merge key as the 64-bit number of its advisory lock.
fn lock_key(key: &str) -> i64 {
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Whether a failed batch may succeed when tried again.
fn retryable(err: &StoreError) -> bool {
    let source = match err {
        StoreError::Postgres { source, .. } => source,
        StoreError::Conflict(_) => return true,
        _ => return false,
    };
    source.code().is_some_and(|c| {
        *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
            || *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::FOREIGN_KEY_VIOLATION
    })
}

impl PostgresStore {
    /// Connects to the database a `postgres://` URL names (without TLS: use
    /// it on a trusted network or through a local proxy) and brings its
    /// schema up to date.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let store = PostgresStore::open(url)?;
        store.migrate()?;
        Ok(store)
    }

    /// Connects without migrating.
    fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let shown = redact(url);
        let client = Client::connect(url, NoTls).map_err(|source| {
            let mut detail = source.to_string();
            let mut cause = std::error::Error::source(&source);
            while let Some(c) = cause {
                let c_text = c.to_string();
                if !detail.contains(&c_text) {
                    detail.push_str(&format!(": {c_text}"));
                }
                cause = c.source();
            }
            StoreError::Connect {
                url: shown.clone(),
                detail,
                source,
            }
        })?;
        let store = PostgresStore {
            conn: Some(Conn {
                client: RefCell::new(client),
                statements: RefCell::new(HashMap::new()),
                url: shown,
            }),
        };
        Ok(store)
    }

    /// Connects for reading only (`newsgraph serve`; a read replica will
    /// do): every transaction of the session is READ ONLY, so nothing can be
    /// written through this store. The schema must be the latest already
    /// (connecting once with [`PostgresStore::connect`] migrates it).
    pub fn connect_read_only(url: &str) -> Result<PostgresStore, StoreError> {
        let store = PostgresStore::open(url)?;
        store
            .c()
            .client
            .borrow_mut()
            .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            .map_err(store.pg_err("making the session read-only"))?;
        let latest = MIGRATIONS.last().map_or(0, |m| m.0);
        let found = store.schema_version().unwrap_or(0);
        if found > latest {
            return Err(StoreError::NewerSchema {
                path: PathBuf::from(&store.c().url),
                found,
                supported: latest,
            });
        }
        if found < latest {
            return Err(StoreError::Unsupported(format!(
                "{}: schema version {found}, this build reads version {latest}; \
                 connect once for writing (e.g. `newsgraph stats --db URL`) to upgrade it",
                store.c().url
            )));
        }
        Ok(store)
    }

    fn c(&self) -> &Conn {
        self.conn
            .as_ref()
            .expect("a PostgresStore is connected until dropped")
    }

    /// The URL it was opened with, without a password.
    pub fn url(&self) -> &str {
        &self.c().url
    }

    fn pg_err(&self, what: &str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        let what = what.to_string();
        move |source| StoreError::Postgres {
            url: self.c().url.clone(),
            what: what.clone(),
            source,
        }
    }

    fn db(&self) -> PgDb<'_, Client> {
        PgDb {
            conn: &self.c().client,
            statements: &self.c().statements,
            url: &self.c().url,
        }
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let n = self.db().int(
            "reading the schema version",
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            &[],
        )?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let latest = MIGRATIONS.last().map_or(0, |m| m.0);
        let mut client = self.c().client.borrow_mut();
        let err = |version: u32| self.pg_err(&format!("migration to schema version {version}"));
        let mut tx = client.transaction().map_err(err(0))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err(0))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (
                 version    INTEGER PRIMARY KEY,
                 applied_at TEXT NOT NULL
             )",
        )
        .map_err(err(0))?;
        let current: i32 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
            .and_then(|r| r.try_get(0))
            .map_err(err(0))?;
        let current = u32::try_from(current).unwrap_or(0);
        if current > latest {
            return Err(StoreError::NewerSchema {
                path: PathBuf::from(&self.c().url),
                found: current,
                supported: latest,
            });
        }
        for &(version, statements) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            tx.batch_execute(statements).map_err(err(version))?;
            let v = i32::try_from(version).unwrap_or(i32::MAX);
            tx.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                &[&v, &crate::normalize::now_utc()],
            )
            .map_err(err(version))?;
        }
        tx.commit().map_err(err(latest))
    }

    /// Every table's rows in a canonical text form, comparable with
    /// [`crate::SqliteStore::dump`] (tests; backends against each other).
    pub fn dump(&self) -> Result<String, StoreError> {
        query::dump(&self.db(), query::DUMP_TABLES)
    }

    /// Gives the planner statistics of the tables that have grown: `ANALYZE`
    /// of every table modified more rows since its last analysis than it
    /// held then (and at least [`ANALYZE_MIN_CHANGES`]), that is, about each
    /// time it doubles; one worker at a time, the others go on. Autovacuum
    /// analyzes a minute or more late; until then the merge's statements
    /// are planned without statistics, and a plan made then stays with
    /// its prepared statement: the report actors of an event were read by
    /// a hash join scanning every report actor (per event recomputed: the
    /// write grew quadratically with the corpus; with 4 workers, measured,
    /// it was most of the server's extra CPU). Best effort: the batch is
    /// committed already, a failure here is no failure of the ingest.
    fn refresh_statistics(&self) {
        let mut client = self.c().client.borrow_mut();
        let Ok(grown) = client.query(
            "SELECT s.relname::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
             WHERE s.schemaname = current_schema()
               AND s.n_mod_since_analyze > $1 + GREATEST(c.reltuples, 0)::bigint
             ORDER BY 1",
            &[&ANALYZE_MIN_CHANGES],
        ) else {
            return;
        };
        if grown.is_empty() {
            return;
        }
        let Ok(mut tx) = client.transaction() else {
            return;
        };
        match tx.query_one("SELECT pg_try_advisory_xact_lock($1)", &[&ANALYZE_LOCK]) {
            Ok(row) if row.get::<_, bool>(0) => {}
            _ => return,
        }
        for row in grown {
            let table: String = row.get(0);
            let sql = format!("ANALYZE \"{}\"", table.replace('"', "\"\""));
            if tx.batch_execute(&sql).is_err() {
                return;
            }
        }
        let _ = tx.commit();
    }

    /// One try at storing a batch: merge (locking what it needs, see the
    /// module docs), commit.
    fn try_put(&self, docs: &[Doc]) -> Result<Vec<PutOutcome>, StoreError> {
        let mut client = self.c().client.borrow_mut();
        let tx = client
            .transaction()
            .map_err(self.pg_err("starting a transaction"))?;
        let tx = RefCell::new(tx);
        let db = PgDb {
            conn: &tx,
            statements: &self.c().statements,
            url: &self.c().url,
        };
        let outcomes = merge::put_documents(&db, docs, &crate::normalize::now_utc())?;
        tx.into_inner()
            .commit()
            .map_err(self.pg_err("committing"))?;
        Ok(outcomes)
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn put_documents(&mut self, docs: &[Doc]) -> Result<Vec<PutOutcome>, StoreError> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.try_put(docs) {
                Err(e) if tries < RETRIES && retryable(&e) => {
                    // The transaction is rolled back; let the other one finish.
                    std::thread::sleep(std::time::Duration::from_millis(10 << tries.min(6)));
                }
                Ok(outcomes) => {
                    self.refresh_statistics();
                    return Ok(outcomes);
                }
                other => return other,
            }
        }
    }

    crate::query::shared_store_methods!();
}

/// The shared SQL's [`Db`] on a connection or an open transaction.
struct PgDb<'a, C: GenericClient> {
    conn: &'a RefCell<C>,
    statements: &'a RefCell<HashMap<String, Statement>>,
    url: &'a str,
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Param::Int(n) if *ty == Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
            Param::Int(n) if *ty == Type::FLOAT8 => (*n as f64).to_sql(ty, out),
            Param::Int(n) => n.to_sql(ty, out),
            Param::Real(x) if *ty == Type::FLOAT4 => (*x as f32).to_sql(ty, out),
            Param::Real(x) => x.to_sql(ty, out),
            Param::Text(s) => s.as_str().to_sql(ty, out),
            Param::Texts(v) => v.to_sql(ty, out),
            Param::Ints(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Each variant checks its type in `to_sql` (via its inner value).
        true
    }

    to_sql_checked!();
}

impl<C: GenericClient> PgDb<'_, C> {
    fn err(&self, what: &str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        let what = what.to_string();
        move |source| StoreError::Postgres {
            url: self.url.to_string(),
            what: what.clone(),
            source,
        }
    }

    /// The prepared statement of a shared-SQL text, prepared on first use.
    fn statement(&self, what: &str, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self
            .conn
            .borrow_mut()
            .prepare(&dollar_placeholders(sql))
            .map_err(self.err(what))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    /// A statement with one `bigint[]` parameter (PostgreSQL-only SQL).
    fn exec_typed(&self, what: &str, sql: &str, keys: &[i64]) -> Result<u64, StoreError> {
        let stmt = self.statement(what, sql)?;
        let keys = keys.to_vec();
        self.conn
            .borrow_mut()
            .execute(&stmt, &[&keys])
            .map_err(self.err(what))
    }
}

fn dyn_params(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient> Db for PgDb<'_, C> {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn location(&self) -> PathBuf {
        PathBuf::from(self.url)
    }

    fn exec(&self, what: &str, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        let stmt = self.statement(what, sql)?;
        self.conn
            .borrow_mut()
            .execute(&stmt, &dyn_params(params))
            .map_err(self.err(what))
    }

    fn rows(&self, what: &str, sql: &str, params: &[Param]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(what, sql)?;
        let rows = self
            .conn
            .borrow_mut()
            .query(&stmt, &dyn_params(params))
            .map_err(self.err(what))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let ty = column.type_();
                let value = if *ty == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int))
                } else if *ty == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)
                        .map(|v| v.map(|n| Value::Int(i64::from(n))))
                } else if *ty == Type::INT2 {
                    row.try_get::<_, Option<i16>>(i)
                        .map(|v| v.map(|n| Value::Int(i64::from(n))))
                } else if *ty == Type::BOOL {
                    row.try_get::<_, Option<bool>>(i)
                        .map(|v| v.map(|b| Value::Int(i64::from(b))))
                } else if *ty == Type::FLOAT8 {
                    row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real))
                } else if *ty == Type::FLOAT4 {
                    row.try_get::<_, Option<f32>>(i)
                        .map(|v| v.map(|x| Value::Real(f64::from(x))))
                } else {
                    row.try_get::<_, Option<String>>(i)
                        .map(|v| v.map(Value::Text))
                };
                values.push(value.map_err(self.err(what))?.unwrap_or(Value::Null));
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn fts_condition(&self, table: FtsTable, key_column: &str) -> String {
        let (table, key) = match table {
            FtsTable::Documents => ("documents", "doc_key"),
            FtsTable::Quotes => ("quotes", "quote_key"),
        };
        format!(
            "{key_column} IN (SELECT {key} FROM {table} WHERE tsv @@ plainto_tsquery('simple', ?#))"
        )
    }

    fn fts_param(&self, words: &[&str]) -> Param {
        // plainto_tsquery requires every word and reads no syntax.
        Param::Text(words.join(" "))
    }

    fn fts_index(&self, _: FtsTable, _: i64, _: &[Option<&str>]) -> Result<(), StoreError> {
        // The tsvector columns are generated by the database.
        Ok(())
    }

    fn document_search_sql(&self) -> [&'static str; 2] {
        [
            "SELECT COUNT(*) FROM documents WHERE tsv @@ plainto_tsquery('simple', ?1)",
            "SELECT id, title, published, source, url, text FROM documents
             WHERE tsv @@ plainto_tsquery('simple', ?1)
             ORDER BY ts_rank(tsv, plainto_tsquery('simple', ?1)) DESC, doc_key
             LIMIT ?2 OFFSET ?3",
        ]
    }

    fn lock_rows(&self) -> &'static str {
        " FOR UPDATE"
    }

    fn concurrent_writers(&self) -> bool {
        true
    }

    fn indexes_text_itself(&self) -> bool {
        true
    }

    fn lock_keys(&self, keys: &[String]) -> Result<(), StoreError> {
        let mut keys: Vec<i64> = keys.iter().map(|k| lock_key(k)).collect();
        keys.sort_unstable();
        keys.dedup();
        // Transaction-scoped advisory locks, in key order (the subquery's
        // ORDER BY is kept: the function runs on sorted rows), so that lock
        // waits cannot form a cycle among writers taking their keys in one
        // step. No table is written; the locks go with the commit.
        self.exec_typed(
            "locking merge keys",
            "SELECT pg_advisory_xact_lock(k)
             FROM (SELECT k FROM unnest($1::bigint[]) AS k ORDER BY k) AS sorted",
            &keys,
        )
        .map_err(|e| match e {
            StoreError::Postgres { url, source, .. }
                if source.code() == Some(&SqlState::OUT_OF_MEMORY) =>
            {
                StoreError::Postgres {
                    url,
                    what: format!(
                        "locking {} merge keys (the server's lock table is full: \
                         raise max_locks_per_transaction, see the README, \"Scaling out\")",
                        keys.len()
                    ),
                    source,
                }
            }
            e => e,
        })?;
        Ok(())
    }

    fn size_bytes(&self) -> Result<Option<u64>, StoreError> {
        let n = self.int(
            "measuring the database",
            "SELECT pg_database_size(current_database())",
            &[],
        )?;
        Ok(u64::try_from(n).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://ng:secret@db.local:5432/news"),
            "postgres://ng:***@db.local:5432/news"
        );
        assert_eq!(
            redact("postgres://ng@db.local/news"),
            "postgres://ng@db.local/news"
        );
    }

    #[test]
    fn lock_keys_are_stable() {
        assert_eq!(lock_key("entity:putin:PER"), lock_key("entity:putin:PER"));
        assert_ne!(lock_key("entity:putin:PER"), lock_key("entity:putin:ORG"));
    }
}
