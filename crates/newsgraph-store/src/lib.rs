//! The event store: where processed documents go, are merged across the
//! corpus, and are queried and exported.
//!
//! [`Store`] is the backend-agnostic interface; [`SqliteStore`] is the default
//! backend (one file, WAL, versioned migrations applied on open) and
//! [`PostgresStore`] the one for many workers on one database
//! (`postgres://...`, see its module docs for concurrent writers); both run
//! the same SQL for merging and queries, so the same documents give the same
//! store on both. [`Store::put_documents`] writes a batch of
//! processed [`Doc`]s in one transaction and merges their records into corpus
//! records: [`CorpusEntity`] (the same actor across documents) and
//! [`CorpusEvent`] (the same happening across reports), plus
//! [`StoredQuote`]s. Queries take filter structs ([`EventFilter`],
//! [`EntityFilter`], [`QuoteFilter`]); [`export`] writes events as PLOVER-style
//! JSON Lines or a GDELT-like CSV.
//!
//! ```
//! use newsgraph_core::{Doc, DocMeta};
//! use newsgraph_store::{EventFilter, PutOutcome, SqliteStore, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = SqliteStore::open(dir.path().join("news.db")).unwrap();
//! let meta = DocMeta { id: "a1".into(), source: Some("Harbor Post".into()), language: "en".into(), ..DocMeta::default() };
//! let doc = Doc::new("Negotiators met in Valmora.", meta);
//! assert_eq!(store.put_document(&doc).unwrap(), PutOutcome::Stored);
//! // The same article again is a duplicate, stored once.
//! assert!(matches!(store.put_document(&doc).unwrap(), PutOutcome::Duplicate(_)));
//! assert_eq!(store.stats().unwrap().documents, 1);
//! assert!(store.events(&EventFilter::default()).unwrap().is_empty());
//! ```
//!
//! # Idempotency and crash safety
//!
//! A document is a duplicate when a stored one has the same id, the same URL
//! or the same [`content_hash`] (its words, whitespace-insensitive); it is then
//! skipped. A document and all its records are written in the transaction of
//! its batch, so an interrupted ingest (even `kill -9`) leaves whole
//! documents only, and running the same ingest again stores exactly what is
//! missing, in the same order, giving the same corpus ids.
//!
//! # Merge rules
//!
//! Entities. A document entity joins the corpus entity with the same
//! [`normalize_name`] form of its name and the same type whose country is
//! compatible: equal, or unknown on either side (the first such entity by
//! id; one with an equal country is preferred). A corpus entity with an
//! unknown country takes the first one a document gives; its sector is the
//! smallest any document gives, its name the longest (the smallest of
//! equally long ones), so that they do not depend on arrival order. An
//! entity the document never names ("officials", "63 people": no mention
//! of kind `name`) joins only a corpus entity with exactly its country,
//! unknown included, and gives none its country. Every
//! mention text of kind `name` is an alias (shown in its smallest
//! spelling); every role is kept with the publication dates of the first
//! and last documents that gave it. Known limit: when one name comes with
//! two different countries and also without one, the documents without a
//! country join whichever of the two was stored first.
//!
//! Events. Two *reports* (document events) match when all of these hold:
//! - same PLOVER type and same modality (a reported plan is not the act);
//! - same date, or dates one day apart when both have the same place
//!   (normalised place name, or coordinates equal to two decimals); the date
//!   is the event's own `YYYY-MM-DD` date, else the document's publication
//!   date; an event with neither never merges;
//! - overlapping actors: on each side (source, target) the two actor lists
//!   share an actor or one of them is empty, and at least one side truly
//!   shares one. Actors are the same when they are the same corpus entity;
//!   an actor without an entity matches any actor with the same country and
//!   sector; actors with neither entity nor country match by normalised name.
//!
//! A corpus event is a connected group of matching reports: a new report
//! joins every corpus event holding a report it matches, and when it
//! matches reports of several corpus events, these become one. Reports are
//! compared with reports (each keeps its own actors and place), never with
//! a corpus event's merged fields, so the grouping does not depend on the
//! order in which documents arrive — nor on how many workers store them.
//! Every merged field is recomputed from all the event's reports when one
//! is added, again independently of their order: the date is the most
//! reported one (the earliest of ties), the mode the most reported
//! non-empty one, the context the union of the reports', the place the most
//! reported one; counts (reports, distinct documents, distinct sources —
//! the outlet, else the document —, first and last report time, the
//! publication times of the reporting documents) and the highest
//! confidence; each side's actors are the reports' actors by actor key,
//! with the number of reports naming them, their most frequent name,
//! country and sector (smallest of ties), ordered by reports, then name.

mod error;
pub mod export;
mod merge;
mod model;
mod normalize;
mod postgres;
mod query;
mod sql;
mod sqlite;
pub mod testing;

pub use error::StoreError;
pub use model::*;
pub use normalize::{content_hash, date_of_day, day_number, normalize_name};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use newsgraph_core::Doc;

/// A place to put processed documents and query the corpus they make.
///
/// Contract for backends: [`Store::put_documents`] is one transaction (all
/// of the batch or nothing); duplicates (see the crate docs) are skipped, not
/// errors; the merge rules of the crate docs hold whatever the number of
/// concurrent writers (a backend with concurrent writers serialises the
/// merge of one entity or event key). Queries see committed data only.
pub trait Store: Send {
    /// Backend name for messages (`sqlite`).
    fn backend(&self) -> &'static str;

    /// The stored document a new one would duplicate, if any. Cheap: ingest
    /// asks before running the pipeline, so a resumed ingest skips work.
    fn find_duplicate(&self, key: &DocKey<'_>) -> Result<Option<Duplicate>, StoreError>;

    /// Stores a batch of processed documents in one transaction, merging their
    /// records into the corpus. One outcome per document, in order.
    fn put_documents(&mut self, docs: &[Doc]) -> Result<Vec<PutOutcome>, StoreError>;

    /// [`Store::put_documents`] for one document.
    fn put_document(&mut self, doc: &Doc) -> Result<PutOutcome, StoreError> {
        let mut outcomes = self.put_documents(std::slice::from_ref(doc))?;
        Ok(outcomes.pop().unwrap_or(PutOutcome::Stored))
    }

    /// A stored document as the JSON `newsgraph extract` printed for it.
    fn document_json(&self, id: &str) -> Result<Option<String>, StoreError>;

    /// Calls `f` with every corpus event matching `filter`, by date then id.
    fn visit_events(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `f` with every corpus entity matching `filter`, most documents first.
    fn visit_entities(
        &self,
        filter: &EntityFilter,
        f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Calls `f` with every quote matching `filter`, by publication date then position.
    fn visit_quotes(
        &self,
        filter: &QuoteFilter,
        f: &mut dyn FnMut(StoredQuote) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Counts over the whole store.
    fn stats(&self) -> Result<Stats, StoreError>;

    /// The corpus event with this id, with its actors and reports.
    fn event(&self, id: i64) -> Result<Option<CorpusEvent>, StoreError>;

    /// The corpus entity with this id, with its aliases and roles.
    fn entity(&self, id: i64) -> Result<Option<CorpusEntity>, StoreError>;

    /// How many corpus events match `filter`; its `limit`, `offset` and
    /// `sort` are ignored (the total behind a page of results).
    fn count_events(&self, filter: &EventFilter) -> Result<u64, StoreError>;

    /// How many corpus entities match `filter` (`limit` and `offset` ignored).
    fn count_entities(&self, filter: &EntityFilter) -> Result<u64, StoreError>;

    /// How many quotes match `filter` (`limit` and `offset` ignored).
    fn count_quotes(&self, filter: &QuoteFilter) -> Result<u64, StoreError>;

    /// The events matching `filter` counted per date and type, by date
    /// (undated last) then type; `limit`, `offset` and `sort` are ignored.
    /// Timelines are built from these.
    fn event_counts(&self, filter: &EventFilter) -> Result<Vec<EventCount>, StoreError>;

    /// The events matching `filter` counted per (source actor, target
    /// actor, type), most events first: the edges of an actor network. An
    /// event with several sources or targets counts for each pair;
    /// `limit`, `offset` and `sort` are ignored.
    fn actor_pairs(&self, filter: &EventFilter) -> Result<Vec<ActorPair>, StoreError>;

    /// Documents whose title or text contain every word of `q` (full-text
    /// search), best match first: `limit` of them after skipping `offset`,
    /// with the total. A `q` without words is [`StoreError::InvalidFilter`].
    fn search_documents(
        &self,
        q: &str,
        limit: u64,
        offset: u64,
    ) -> Result<DocumentHits, StoreError>;

    /// Which corpus entities and events a stored document's entities and
    /// events became; `None` when no document has this id.
    fn document_links(&self, id: &str) -> Result<Option<DocumentLinks>, StoreError>;

    /// The events matching `filter`, collected.
    fn events(&self, filter: &EventFilter) -> Result<Vec<CorpusEvent>, StoreError> {
        let mut out = Vec::new();
        self.visit_events(filter, &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// The entities matching `filter`, collected.
    fn entities(&self, filter: &EntityFilter) -> Result<Vec<CorpusEntity>, StoreError> {
        let mut out = Vec::new();
        self.visit_entities(filter, &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// The quotes matching `filter`, collected.
    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<StoredQuote>, StoreError> {
        let mut out = Vec::new();
        self.visit_quotes(filter, &mut |q| {
            out.push(q);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Whether a `--db` argument names a PostgreSQL database (a `postgres://`
/// or `postgresql://` URL) rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Opens the store a `--db` argument names: a `postgres://` or
/// `postgresql://` URL ([`PostgresStore`]), else a SQLite file path
/// ([`SqliteStore`], created when missing).
pub fn open_store(db: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres_url(db) {
        return Ok(Box::new(PostgresStore::connect(db)?));
    }
    Ok(Box::new(SqliteStore::open(db)?))
}

/// Opens an existing store for reading only (`newsgraph serve`): a SQLite
/// file opened read-only, which must exist and have the current schema, or
/// a PostgreSQL database in read-only sessions (a read replica will do).
pub fn open_store_read_only(db: &str) -> Result<Box<dyn Store>, StoreError> {
    if is_postgres_url(db) {
        return Ok(Box::new(PostgresStore::connect_read_only(db)?));
    }
    Ok(Box::new(SqliteStore::open_read_only(db)?))
}

/// The [`DocKey`] of a processed document.
pub fn doc_key<'a>(doc: &'a Doc, content_hash: &'a str) -> DocKey<'a> {
    DocKey {
        id: Some(doc.meta.id.as_str()),
        url: doc.meta.url.as_deref(),
        content_hash,
    }
}
