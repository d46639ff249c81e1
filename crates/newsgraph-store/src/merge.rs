//! Writing documents and merging their records into the corpus (the rules
//! are in the crate docs), once for every backend: the statements run on a
//! [`Db`] that is an open transaction of the backend.
//!
//! Concurrency: where one writer holds the database (SQLite) nothing is
//! locked. Where writers run concurrently ([`Db::concurrent_writers`]:
//! PostgreSQL), the merge locks, through [`Db::lock_keys`], exactly what
//! could race another writer, and as late as it can (see
//! [`put_documents`]): an entity key only when a document entity would
//! create the corpus entity, give it its country, or could be beaten to
//! either (`entity_needs_lock`); the keys of the batch's event reports
//! (`report_lock_keys`: day and actor, so two reports that could match
//! share one) for the event step; the corpus events a report joins
//! (`lock_events`); and the rows of the entity counters, last and in id
//! order. Document identities are not locked: two writers storing the same
//! document collide on a unique index and one starts its batch again.
use crate::normalize::{content_hash, date_part, day_number, normalize_name};
use crate::sql::{earliest, latest, params, Db, FtsTable, Param};
use crate::{doc_key, DocKey, Duplicate, DuplicateOf, StoreError};
use newsgraph_core::json::{DocJson, EventJson, JsonOptions};
use newsgraph_core::records::{Actor, Entity, Event, MentionKind};
use newsgraph_core::Doc;
use std::collections::HashSet;

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

/// The stored JSON and text of document `id`, joined back.
pub(crate) fn read_document_json(db: &dyn Db, id: &str) -> Result<Option<String>, StoreError> {
    let Some(row) = db.row(
        "reading a document",
        "SELECT json, text FROM documents WHERE id = ?1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    document_json(&row.text(0)?, &row.text(1)?)
        .map(Some)
        .ok_or_else(|| StoreError::Corrupt {
            path: db.location(),
            message: format!("document `{id}` has no text placeholder in its JSON"),
        })
}

/// The stored document a key duplicates (id, then URL, then content), in
/// one query.
pub(crate) fn find_duplicate(
    db: &dyn Db,
    key: &DocKey<'_>,
) -> Result<Option<Duplicate>, StoreError> {
    let rows = db.rows(
        "looking for duplicates",
        "SELECT id, id = ?1, url = ?2 FROM documents
         WHERE id = ?1 OR url = ?2 OR content_hash = ?3",
        params![key.id, key.url, key.content_hash],
    )?;
    let mut best: Option<Duplicate> = None;
    for row in rows {
        let matched = if row.opt_int(1)? == Some(1) {
            DuplicateOf::Id
        } else if row.opt_int(2)? == Some(1) {
            DuplicateOf::Url
        } else {
            DuplicateOf::Content
        };
        let rank = |m: &DuplicateOf| match m {
            DuplicateOf::Id => 0,
            DuplicateOf::Url => 1,
            DuplicateOf::Content => 2,
        };
        if best
            .as_ref()
            .is_none_or(|b| rank(&matched) < rank(&b.matched))
        {
            best = Some(Duplicate {
                existing: row.text(0)?,
                matched,
            });
        }
    }
    Ok(best)
}

/// The lock key of an entity key (normalised name and type): a writer
/// holds it to create a corpus entity under that key or to give one its
/// country (see [`entity_needs_lock`]).
fn entity_lock_key(norm: &str, entity_type: &str) -> String {
    format!("entity:{norm}:{entity_type}")
}

/// Whether resolving a document entity with this country against these
/// candidates (the corpus entities of its key, ids and countries, by id)
/// may depend on, or change, what a concurrent writer does under the same
/// key. Entities are never deleted and a country, once set, never changes;
/// an entity without a country can only be the first of its key (one is
/// created only where there is no candidate, and a document without a
/// country joins any). So:
/// - no candidate: the entity is created — lock;
/// - no country: the first candidate is joined (the one without a
///   country, else the first by id), whatever anyone does — no lock;
/// - a country, and the first candidate has none: it may be given ours,
///   or another's that would change the choice — lock;
/// - a country, otherwise: the first candidate with that country is
///   joined — no lock — or, when none has it, one is created — lock.
///
/// An entity the document never names (`strict`: "officials", "63 people")
/// joins only a candidate with exactly its country, none included, and
/// gives no country to one: "officials" of no known country are not the
/// Kenyan officials of another story, and which coded candidate existed
/// first would otherwise decide it (the corpus would depend on the order
/// documents arrive). So it locks only to create one.
fn entity_needs_lock(
    candidates: &[(i64, Option<String>)],
    country: Option<&str>,
    strict: bool,
) -> bool {
    if strict {
        return !candidates.iter().any(|c| c.1.as_deref() == country);
    }
    let Some(first) = candidates.first() else {
        return true;
    };
    let Some(country) = country else {
        return false;
    };
    first.1.is_none() || !candidates.iter().any(|c| c.1.as_deref() == Some(country))
}

/// The lock keys a report holds while it is matched and merged (a
/// concurrent writer holds them too when its report could match this one):
/// for the report's day and the next (two reports a day apart share the
/// later day), per side, one key per way an actor can be the same as
/// another (see `ActorIn::same_as`): its corpus entity; its country and
/// sector when it has a country; its normalised name when it has none.
/// Two matching reports share an actor on one side, hence a key. A report
/// without a date or actors never matches and holds none.
fn report_lock_keys(report: &ReportIn<'_, '_>, keys: &mut Vec<String>) {
    let Some(day) = report.day else {
        return;
    };
    let (kind, modality) = (
        report.event.event_type.as_str(),
        report.event.modality.as_str(),
    );
    for (side, list) in report.actors.iter().enumerate() {
        for actor in list {
            for sig in actor.lock_sigs() {
                for d in day..=day + 1 {
                    keys.push(format!("event:{kind}:{modality}:{d}:{side}:{sig}"));
                }
            }
        }
    }
}

/// Locks keys not held yet (a no-op where one writer holds the database).
fn lock(db: &dyn Db, held: &mut HashSet<String>, keys: Vec<String>) -> Result<(), StoreError> {
    let new: Vec<String> = keys.into_iter().filter(|k| !held.contains(k)).collect();
    if new.is_empty() || !db.concurrent_writers() {
        return Ok(());
    }
    db.lock_keys(&new)?;
    held.extend(new);
    Ok(())
}

/// Corpus entities by key (normalised name, type): the candidates' ids and
/// countries, and whether they were read under the key's lock (`true`:
/// exact until the batch ends; `false`: read before, good only for telling
/// that no lock is needed, see [`resolve_entity`]).
type EntityCache = std::collections::HashMap<(String, String), (Vec<(i64, Option<String>)>, bool)>;

/// The entity keys of a batch to lock before it is written: those whose
/// resolution [`entity_needs_lock`] on what the corpus holds now (one query
/// for the whole batch), with what was read, in `cache`.
fn entity_keys_to_lock(
    db: &dyn Db,
    docs: &[Doc],
    cache: &mut EntityCache,
) -> Result<Vec<String>, StoreError> {
    let mut wanted: Vec<(String, &str, Option<&str>, bool)> = Vec::new();
    for doc in docs {
        for e in &doc.entities {
            wanted.push((
                entity_norm(e),
                e.entity_type.as_str(),
                e.country.as_deref(),
                unnamed(e),
            ));
        }
    }
    let mut norms: Vec<String> = wanted.iter().map(|w| w.0.clone()).collect();
    norms.sort_unstable();
    norms.dedup();
    let candidates = cache;
    for (norm, entity_type, _, _) in &wanted {
        candidates
            .entry((norm.clone(), entity_type.to_string()))
            .or_default();
    }
    for row in db.rows(
        "reading entities",
        "SELECT norm_name, type, entity_id, country FROM entities
         WHERE norm_name = ANY(?1) ORDER BY entity_id",
        &[Param::Texts(norms)],
    )? {
        candidates
            .entry((row.text(0)?, row.text(1)?))
            .or_default()
            .0
            .push((row.int(2)?, row.opt_text(3)?));
    }
    let mut keys = Vec::new();
    for (norm, entity_type, country, strict) in wanted {
        let found = candidates
            .get(&(norm.clone(), entity_type.to_string()))
            .map_or(&[][..], |c| c.0.as_slice());
        if entity_needs_lock(found, country, strict) {
            keys.push(entity_lock_key(&norm, entity_type));
        }
    }
    Ok(keys)
}

/// Whether the document never names the entity (no name mention: a
/// nominal such as "officials"; see [`entity_needs_lock`]).
fn unnamed(entity: &Entity) -> bool {
    !entity.mentions.iter().any(|m| m.kind == MentionKind::Name)
}

/// The comparison name of a document entity.
fn entity_norm(entity: &Entity) -> String {
    let norm = normalize_name(&entity.name);
    if norm.is_empty() {
        entity.name.trim().to_lowercase()
    } else {
        norm
    }
}

/// Writes a batch in the open transaction `db`: one outcome per document.
/// The batch's own earlier documents count as stored for duplicates.
///
/// In three steps, so that a backend with concurrent writers holds its hot
/// locks briefly: the documents with their entities, mentions, times and
/// quotes (locking, up front, only the entity keys whose resolution could
/// race another writer's); then the events, under the locks of their
/// reports' keys (`report_lock_keys`); last, the entity counters, aliases
/// and roles of the whole batch, aggregated, in key order, just before the
/// commit (they are sums, minima and maxima, so deferring them changes
/// nothing but how long their rows stay locked).
pub(crate) fn put_documents(
    db: &dyn Db,
    docs: &[Doc],
    now: &str,
) -> Result<Vec<crate::PutOutcome>, StoreError> {
    let mut batch = Deferred::default();
    if db.concurrent_writers() {
        let keys = entity_keys_to_lock(db, docs, &mut batch.cache)?;
        lock(db, &mut batch.locked, keys)?;
    }
    let mut outcomes = Vec::with_capacity(docs.len());
    let mut stored = Vec::with_capacity(docs.len());
    for doc in docs {
        let hash = content_hash(doc.text());
        if let Some(dup) = find_duplicate(db, &doc_key(doc, &hash))? {
            outcomes.push(crate::PutOutcome::Duplicate(dup));
            continue;
        }
        stored.push(put_document(db, doc, &hash, now, &mut batch)?);
        outcomes.push(crate::PutOutcome::Stored);
    }
    let reports: Vec<ReportIn<'_, '_>> = stored.iter().flat_map(StoredDoc::reports).collect();
    if db.concurrent_writers() {
        let mut keys = Vec::new();
        for report in &reports {
            report_lock_keys(report, &mut keys);
        }
        lock(db, &mut batch.locked, keys)?;
    }
    let mut touched = std::collections::BTreeSet::new();
    for report in &reports {
        touched.insert(merge_report(db, report)?);
    }
    // Each corpus event the batch added to is recomputed once, from all
    // its reports (one merged away has none left: nothing to do).
    for event_id in touched {
        recompute_event(db, event_id)?;
    }
    batch.flush(db)?;
    Ok(outcomes)
}

/// What a batch writes last (see [`put_documents`]): per corpus entity, the
/// sums, minima and maxima its documents add; and the locks it holds.
#[derive(Default)]
struct Deferred {
    entities: std::collections::BTreeMap<i64, EntityDelta>,
    /// (entity, normalised alias) -> (smallest spelling, name mentions).
    aliases: std::collections::BTreeMap<(i64, String), (String, i64)>,
    roles: std::collections::BTreeMap<(i64, String), RoleDelta>,
    /// The lock keys held (concurrent backends).
    locked: HashSet<String>,
    /// The batch's entity keys as read (concurrent backends).
    cache: EntityCache,
}

struct EntityDelta {
    mentions: i64,
    documents: i64,
    first: Option<String>,
    last: Option<String>,
    /// The longest name given (the smallest of equally long ones).
    name: String,
    /// The smallest sector given.
    sector: Option<String>,
}

struct RoleDelta {
    role: String,
    first: Option<String>,
    last: Option<String>,
    documents: i64,
}

/// The smaller of two optional values, a value beating none.
fn min_some<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The larger of two optional values.
fn max_some<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    a.max(b)
}

/// Whether entity name `a` is preferred to `b`: longer (in characters),
/// else bytewise smaller — as the SQL of [`Deferred::flush`] compares.
fn better_name(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    la > lb || (la == lb && a < b)
}

impl Deferred {
    /// Counts one document entity (`new_doc`: the first of its document
    /// joining this corpus entity).
    fn entity(&mut self, id: i64, entity: &Entity, new_doc: bool, pub_date: Option<&str>) {
        let d = self.entities.entry(id).or_insert_with(|| EntityDelta {
            mentions: 0,
            documents: 0,
            first: None,
            last: None,
            name: entity.name.clone(),
            sector: None,
        });
        d.mentions += entity.mentions.len() as i64;
        d.documents += i64::from(new_doc);
        let date = pub_date.map(str::to_string);
        d.first = min_some(d.first.take(), date.clone());
        d.last = max_some(d.last.take(), date);
        if better_name(&entity.name, &d.name) {
            d.name = entity.name.clone();
        }
        d.sector = min_some(d.sector.take(), entity.sector.clone());
    }

    fn alias(&mut self, id: i64, norm: String, alias: String, n: i64) {
        let slot = self
            .aliases
            .entry((id, norm))
            .or_insert_with(|| (alias.clone(), 0));
        if alias < slot.0 {
            slot.0 = alias;
        }
        slot.1 += n;
    }

    fn role(&mut self, id: i64, norm: String, role: &str, pub_date: Option<&str>) {
        let date = pub_date.map(str::to_string);
        let slot = self.roles.entry((id, norm)).or_insert_with(|| RoleDelta {
            role: role.to_string(),
            first: None,
            last: None,
            documents: 0,
        });
        if role < slot.role.as_str() {
            slot.role = role.to_string();
        }
        slot.first = min_some(slot.first.take(), date.clone());
        slot.last = max_some(slot.last.take(), date);
        slot.documents += 1;
    }

    /// Writes the aggregated entity updates, in key order (a concurrent
    /// backend first locks the entity rows in id order, so that two
    /// batches' updates cannot deadlock).
    fn flush(self, db: &dyn Db) -> Result<(), StoreError> {
        let what = "counting entities";
        if self.entities.is_empty() {
            return Ok(());
        }
        if db.concurrent_writers() {
            let ids: Vec<i64> = self.entities.keys().copied().collect();
            db.rows(
                what,
                "SELECT entity_id FROM entities WHERE entity_id = ANY(?1)
                 ORDER BY entity_id FOR NO KEY UPDATE",
                &[Param::Ints(ids)],
            )?;
        }
        let mut rows = Vec::with_capacity(self.entities.len() * 7);
        for (id, d) in self.entities {
            rows.extend([
                Param::Int(id),
                Param::Int(d.mentions),
                Param::Int(d.documents),
                Param::from(d.first),
                Param::from(d.last),
                Param::Text(d.name),
                Param::from(d.sector),
            ]);
        }
        multi_row(
            db,
            what,
            "UPDATE entities SET
               n_mentions = n_mentions + v.column2,
               n_documents = n_documents + v.column3,
               first_seen = CASE WHEN first_seen IS NULL OR v.column4 < first_seen
                                 THEN v.column4 ELSE first_seen END,
               last_seen = CASE WHEN last_seen IS NULL OR v.column5 > last_seen
                                THEN v.column5 ELSE last_seen END,
               name = CASE WHEN length(v.column6) > length(name)
                             OR (length(v.column6) = length(name) AND v.column6 < name)
                           THEN v.column6 ELSE name END,
               sector = CASE WHEN sector IS NULL OR v.column7 < sector
                             THEN v.column7 ELSE sector END
             FROM (VALUES ",
            &[
                "CAST(? AS BIGINT)",
                "CAST(? AS BIGINT)",
                "CAST(? AS BIGINT)",
                "CAST(? AS TEXT)",
                "CAST(? AS TEXT)",
                "CAST(? AS TEXT)",
                "CAST(? AS TEXT)",
            ],
            ") AS v WHERE entity_id = v.column1",
            &rows,
        )?;
        let mut rows = Vec::with_capacity(self.aliases.len() * 4);
        for ((id, norm), (alias, n)) in self.aliases {
            rows.extend([
                Param::Int(id),
                Param::Text(norm),
                Param::Text(alias),
                Param::Int(n),
            ]);
        }
        multi_row(
            db,
            what,
            "INSERT INTO entity_aliases (entity_id, norm_alias, alias, n_mentions) VALUES ",
            &["?"; 4],
            " ON CONFLICT (entity_id, norm_alias) DO UPDATE
             SET n_mentions = entity_aliases.n_mentions + excluded.n_mentions,
                 alias = CASE WHEN excluded.alias < entity_aliases.alias
                              THEN excluded.alias ELSE entity_aliases.alias END",
            &rows,
        )?;
        let mut rows = Vec::with_capacity(self.roles.len() * 6);
        for ((id, norm), r) in self.roles {
            rows.extend([
                Param::Int(id),
                Param::Text(norm),
                Param::Text(r.role),
                Param::from(r.first),
                Param::from(r.last),
                Param::Int(r.documents),
            ]);
        }
        multi_row(
            db,
            what,
            "INSERT INTO entity_roles (entity_id, norm_role, role, first_seen, last_seen, n_documents)
             VALUES ",
            &["?"; 6],
            &format!(
                " ON CONFLICT (entity_id, norm_role) DO UPDATE SET
                   role = CASE WHEN excluded.role < entity_roles.role
                               THEN excluded.role ELSE entity_roles.role END,
                   first_seen = {},
                   last_seen = {},
                   n_documents = entity_roles.n_documents + excluded.n_documents",
                earliest("entity_roles.first_seen", "excluded.first_seen"),
                latest("entity_roles.last_seen", "excluded.last_seen"),
            ),
            &rows,
        )?;
        Ok(())
    }
}

/// Runs `head VALUES-rows tail` for `params` (rows of `columns.len()`
/// values, flattened), in chunks of [`ROWS_PER_STATEMENT`] rows: one round
/// trip per chunk instead of one per row. `columns` are the value
/// expressions of a row, `?` standing for its parameter.
fn multi_row(
    db: &dyn Db,
    what: &str,
    head: &str,
    columns: &[&str],
    tail: &str,
    params: &[Param],
) -> Result<(), StoreError> {
    let width = columns.len();
    for chunk in params.chunks(width * ROWS_PER_STATEMENT) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * 8);
        sql.push_str(head);
        for (i, _) in chunk.chunks(width).enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for (j, column) in columns.iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                let (before, after) = column.split_once('?').unwrap_or((column, ""));
                sql.push_str(before);
                sql.push_str(&format!("?{}", i * width + j + 1));
                sql.push_str(after);
            }
            sql.push(')');
        }
        sql.push_str(tail);
        db.exec(what, &sql, chunk)?;
    }
    Ok(())
}

/// Rows per multi-row statement: bounded, so that a few statement texts
/// are prepared once per connection and reused.
const ROWS_PER_STATEMENT: usize = 32;

/// A document's event actor, resolved to the corpus.
#[derive(Debug)]
struct ActorIn {
    entity: Option<i64>,
    name: String,
    norm: String,
    country: Option<String>,
    sector: Option<String>,
}

impl ActorIn {
    fn key(&self) -> String {
        match (&self.entity, &self.country) {
            (Some(id), _) => format!("e:{id}"),
            (None, Some(country)) => {
                format!("c:{country}/{}", self.sector.as_deref().unwrap_or(""))
            }
            (None, None) => format!("n:{}", self.norm),
        }
    }

    /// The ways this actor can be the same as another ([`ActorIn::same_as`]):
    /// two actors that are the same share one of these.
    fn lock_sigs(&self) -> Vec<String> {
        let mut sigs = Vec::with_capacity(2);
        if let Some(id) = self.entity {
            sigs.push(format!("e:{id}"));
        }
        match &self.country {
            Some(c) => sigs.push(format!("c:{c}/{}", self.sector.as_deref().unwrap_or(""))),
            None if !self.norm.is_empty() => sigs.push(format!("n:{}", self.norm)),
            None => {}
        }
        sigs
    }

    /// The actor identity of the merge rules.
    fn same_as(&self, other: &ActorIn) -> bool {
        match (self.entity, other.entity) {
            (Some(a), Some(b)) => a == b,
            _ if self.country.is_some() || other.country.is_some() => {
                self.country == other.country && self.sector == other.sector
            }
            _ => !self.norm.is_empty() && self.norm == other.norm,
        }
    }
}

/// On each side the lists share an actor or one is empty, and at least one side shares one.
fn actors_overlap(a: &[Vec<ActorIn>; 2], b: &[Vec<ActorIn>; 2]) -> bool {
    let mut shared_any = false;
    for side in 0..2 {
        let (x, y) = (&a[side], &b[side]);
        if x.is_empty() || y.is_empty() {
            continue;
        }
        if x.iter().any(|p| y.iter().any(|q| p.same_as(q))) {
            shared_any = true;
        } else {
            return false;
        }
    }
    shared_any
}

const ROLES: [&str; 2] = ["source", "target"];

/// A place as an event row stores it.
struct PlaceIn<'a> {
    /// Normalised name or rounded coordinates; `None` when empty.
    key: Option<String>,
    name: &'a str,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// A document written in this batch, its events still to merge.
struct StoredDoc<'a> {
    doc: &'a Doc,
    json: DocJson<'a>,
    doc_key: i64,
    /// The corpus entity of each document entity.
    corpus_ids: Vec<i64>,
    pub_date: Option<String>,
}

/// Writes one document (not a duplicate) with its entities, mentions,
/// times and quotes; its events are merged later (see [`put_documents`]).
fn put_document<'a>(
    db: &dyn Db,
    doc: &'a Doc,
    hash: &str,
    now: &str,
    batch: &mut Deferred,
) -> Result<StoredDoc<'a>, StoreError> {
    let mut json = DocJson::new(doc, JsonOptions::default());
    // The text is stored once, in its column; see `document_json`.
    json.text = TEXT_PLACEHOLDER;
    let json_text = serde_json::to_string(&json).map_err(|e| StoreError::Corrupt {
        path: std::path::PathBuf::new(),
        message: format!("document `{}` cannot be serialised: {e}", doc.meta.id),
    })?;
    let meta = &doc.meta;
    let pub_date = date_part(meta.published.as_deref());
    let doc_key = db.int(
        "storing a document",
        "INSERT INTO documents (id, title, published, pub_date, source, url, language, text,
                                content_hash, ingested_at, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING doc_key",
        params![
            &meta.id,
            meta.title.as_deref(),
            meta.published.as_deref(),
            pub_date.as_deref(),
            meta.source.as_deref(),
            meta.url.as_deref(),
            &meta.language,
            doc.text(),
            hash,
            now,
            json_text
        ],
    )?;
    db.fts_index(
        FtsTable::Documents,
        doc_key,
        &[meta.title.as_deref(), Some(doc.text())],
    )?;

    // Entities: resolve each to a corpus entity.
    let what = "storing an entity";
    let mut corpus_ids = Vec::with_capacity(doc.entities.len());
    let mut counted = HashSet::new();
    let mut roles_seen = HashSet::new();
    let mut doc_entities = Vec::with_capacity(doc.entities.len() * 4);
    let mut mentions = Vec::new();
    for (i, (entity, ej)) in doc.entities.iter().zip(&json.entities).enumerate() {
        let entity_id = resolve_entity(db, entity, &mut batch.locked, &mut batch.cache)?;
        corpus_ids.push(entity_id);
        doc_entities.extend([
            Param::Int(doc_key),
            Param::from(i),
            Param::Int(entity_id),
            Param::from(&entity.name),
        ]);
        let mut aliases: Vec<(String, String, i64)> = Vec::new();
        let mut add_alias = |text: &str, n: i64| {
            let norm = normalize_name(text);
            if norm.is_empty() {
                return;
            }
            match aliases.iter_mut().find(|a| a.0 == norm) {
                Some(a) => a.2 += n,
                None => aliases.push((norm, text.to_string(), n)),
            }
        };
        add_alias(&entity.name, 0);
        for m in &ej.mentions {
            mentions.extend([
                Param::Int(doc_key),
                Param::from(i),
                Param::Int(entity_id),
                Param::from(m.start),
                Param::from(m.end),
                Param::from(m.text),
                Param::from(m.kind.as_str()),
            ]);
            if m.kind == MentionKind::Name {
                add_alias(m.text, 1);
            }
        }
        for (norm, alias, n) in aliases {
            batch.alias(entity_id, norm, alias, n);
        }
        for role in &entity.roles {
            let norm = normalize_name(role);
            if norm.is_empty() || !roles_seen.insert((entity_id, norm.clone())) {
                continue;
            }
            batch.role(entity_id, norm, role, pub_date.as_deref());
        }
        let new_doc = counted.insert(entity_id);
        batch.entity(entity_id, entity, new_doc, pub_date.as_deref());
    }
    multi_row(
        db,
        what,
        "INSERT INTO doc_entities (doc_key, idx, entity_id, name) VALUES ",
        &["?"; 4],
        "",
        &doc_entities,
    )?;
    multi_row(
        db,
        what,
        "INSERT INTO mentions (doc_key, doc_entity, entity_id, \"start\", \"end\", text, kind) VALUES ",
        &["?"; 7],
        "",
        &mentions,
    )?;

    let mut times = Vec::with_capacity(json.times.len() * 6);
    for t in &json.times {
        times.extend([
            Param::Int(doc_key),
            Param::from(t.start),
            Param::from(t.end),
            Param::from(t.text),
            Param::from(t.time_type.as_str()),
            Param::from(t.value),
        ]);
    }
    multi_row(
        db,
        "storing a time expression",
        "INSERT INTO times (doc_key, \"start\", \"end\", text, type, value) VALUES ",
        &["?"; 6],
        "",
        &times,
    )?;

    let corpus_entity = |i: Option<usize>| i.and_then(|i| corpus_ids.get(i).copied());
    let what = "storing a quote";
    let mut quotes = Vec::with_capacity(json.quotes.len() * 8);
    for (quote, qj) in doc.quotes.iter().zip(&json.quotes) {
        let speaker_name = quote
            .speaker
            .and_then(|i| doc.entities.get(i))
            .map(|e| e.name.as_str());
        let row = [
            Param::Int(doc_key),
            Param::from(qj.start),
            Param::from(qj.end),
            Param::from(qj.text),
            Param::from(qj.kind.as_str()),
            Param::from(corpus_entity(quote.speaker)),
            Param::from(speaker_name),
            Param::from(qj.cue.as_ref().map(|c| c.text)),
        ];
        if db.indexes_text_itself() {
            quotes.extend(row);
            continue;
        }
        let quote_key = db.int(
            what,
            "INSERT INTO quotes (doc_key, \"start\", \"end\", text, kind, speaker_entity, speaker_name, cue)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING quote_key",
            &row,
        )?;
        db.fts_index(FtsTable::Quotes, quote_key, &[Some(qj.text)])?;
    }
    multi_row(
        db,
        what,
        "INSERT INTO quotes (doc_key, \"start\", \"end\", text, kind, speaker_entity, speaker_name, cue) VALUES ",
        &["?"; 8],
        "",
        &quotes,
    )?;
    Ok(StoredDoc {
        doc,
        json,
        doc_key,
        corpus_ids,
        pub_date,
    })
}

impl<'a> StoredDoc<'a> {
    /// The document's events as reports to merge.
    fn reports<'s>(&'s self) -> impl Iterator<Item = ReportIn<'s, 'a>> + 's {
        let doc = self.doc;
        let corpus_entity = move |i: Option<usize>| i.and_then(|i| self.corpus_ids.get(i).copied());
        doc.events
            .iter()
            .zip(&self.json.events)
            .enumerate()
            .map(move |(i, (event, ej))| {
                let actors_of = |list: &[Actor], texts: &[newsgraph_core::json::ActorJson<'_>]| {
                    list.iter()
                        .zip(texts)
                        .map(|(a, aj)| {
                            let doc_entity = a.entity.and_then(|e| doc.entities.get(e));
                            let name = doc_entity.map_or(aj.text, |e| e.name.as_str());
                            ActorIn {
                                entity: corpus_entity(a.entity),
                                name: name.to_string(),
                                norm: normalize_name(name),
                                country: a
                                    .country
                                    .clone()
                                    .or_else(|| doc_entity.and_then(|e| e.country.clone())),
                                sector: a
                                    .sector
                                    .clone()
                                    .or_else(|| doc_entity.and_then(|e| e.sector.clone())),
                            }
                        })
                        .collect::<Vec<_>>()
                };
                let actors = [
                    actors_of(&event.source, &ej.source),
                    actors_of(&event.target, &ej.target),
                ];
                let date = date_part(event.date.as_deref()).or_else(|| self.pub_date.clone());
                let place = ej.location.as_ref().map(|l| PlaceIn {
                    key: Some(match (l.lat, l.lon) {
                        (Some(lat), Some(lon)) => format!("{lat:.2},{lon:.2}"),
                        _ => normalize_name(l.name),
                    })
                    .filter(|k| !k.is_empty()),
                    name: l.name,
                    country: l.country,
                    lat: l.lat,
                    lon: l.lon,
                });
                ReportIn {
                    event,
                    ej,
                    doc_key: self.doc_key,
                    idx: i,
                    day: date.as_deref().and_then(day_number),
                    date,
                    place,
                    actors,
                }
            })
    }
}

/// Merges a report into the corpus: it joins the corpus events holding a
/// report it matches (merging them into the first when there are several),
/// or starts one. Returns the corpus event (recomputed later).
fn merge_report(db: &dyn Db, report: &ReportIn<'_, '_>) -> Result<i64, StoreError> {
    let event = report.event;
    let matched = matching_events(db, report)?;
    let event_id = match matched.first() {
        None => db.int(
            "storing an event",
            "INSERT INTO events (type, mode, context, modality, confidence)
             VALUES (?1, '', '[]', ?2, 0) RETURNING event_id",
            params![event.event_type.as_str(), event.modality.as_str()],
        )?,
        Some(&keep) => {
            lock_events(db, &matched)?;
            for &other in &matched[1..] {
                absorb_event(db, keep, other)?;
            }
            keep
        }
    };
    add_report(db, event_id, report.doc_key, report)?;
    Ok(event_id)
}

/// The corpus entity a document entity belongs to, created when there is
/// none. Where writers run concurrently, a resolution that could race
/// another writer's ([`entity_needs_lock`]) holds the entity key's lock
/// (usually taken for the whole batch up front) and reads the candidates
/// again under it; one that needs no lock uses what the batch read up front
/// (`cache`): what another writer may change meanwhile would not change
/// the choice. The
/// sector is counted with the batch's deferred updates.
fn resolve_entity(
    db: &dyn Db,
    entity: &Entity,
    locked: &mut HashSet<String>,
    cache: &mut EntityCache,
) -> Result<i64, StoreError> {
    let what = "resolving an entity";
    let norm = entity_norm(entity);
    let entity_type = entity.entity_type.as_str();
    let read = || -> Result<Vec<(i64, Option<String>)>, StoreError> {
        db.rows(
            what,
            "SELECT entity_id, country FROM entities
             WHERE norm_name = ?1 AND type = ?2 ORDER BY entity_id",
            params![&norm, entity_type],
        )?
        .iter()
        .map(|row| Ok((row.int(0)?, row.opt_text(1)?)))
        .collect()
    };
    let cache_key = (norm.clone(), entity_type.to_string());
    let (mut candidates, mut exact_now) = match cache.get(&cache_key) {
        Some((c, fresh)) if db.concurrent_writers() => (c.clone(), *fresh),
        _ => (read()?, !db.concurrent_writers()),
    };
    let strict = unnamed(entity);
    if db.concurrent_writers() && entity_needs_lock(&candidates, entity.country.as_deref(), strict)
    {
        let key = entity_lock_key(&norm, entity_type);
        if !locked.contains(&key) {
            lock(db, locked, vec![key])?;
            exact_now = false;
        }
        if !exact_now {
            candidates = read()?;
            exact_now = true;
        }
    }
    let exact = candidates.iter().position(|c| c.1 == entity.country);
    let compatible = || {
        candidates
            .iter()
            .position(|c| !strict && (c.1.is_none() || entity.country.is_none()))
    };
    let id = if let Some(i) = exact.or_else(compatible) {
        let id = candidates[i].0;
        // A corpus entity without a country takes the first one given.
        if candidates[i].1.is_none() && entity.country.is_some() {
            db.exec(
                what,
                "UPDATE entities SET country = ?2 WHERE entity_id = ?1",
                params![id, entity.country.as_deref()],
            )?;
            candidates[i].1 = entity.country.clone();
        }
        id
    } else {
        let id = db.int(
            what,
            "INSERT INTO entities (norm_name, name, type, country, sector)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING entity_id",
            params![
                &norm,
                &entity.name,
                entity_type,
                entity.country.as_deref(),
                entity.sector.as_deref()
            ],
        )?;
        candidates.push((id, entity.country.clone()));
        id
    };
    if db.concurrent_writers() {
        cache.insert(cache_key, (candidates, exact_now));
    }
    Ok(id)
}

/// A document event on its way into the corpus.
struct ReportIn<'a, 'j> {
    event: &'a Event,
    ej: &'a EventJson<'j>,
    doc_key: i64,
    /// The event's index in its document.
    idx: usize,
    /// Its `YYYY-MM-DD` date, else the document's publication date.
    date: Option<String>,
    day: Option<i64>,
    place: Option<PlaceIn<'j>>,
    actors: [Vec<ActorIn>; 2],
}

/// The corpus events holding a stored report that this one matches by the
/// merge rules (type, modality, date and place, actors: see the crate
/// docs), sorted by id. Reports are compared with reports, never with a
/// corpus event's merged fields, so what matches does not depend on the
/// order in which reports arrived.
fn matching_events(db: &dyn Db, report: &ReportIn<'_, '_>) -> Result<Vec<i64>, StoreError> {
    let Some(day) = report.day else {
        return Ok(Vec::new());
    };
    let rows = db.rows(
        "matching an event",
        "SELECT r.report_key, r.event_id, r.day, r.place_key,
                a.role, a.entity_id, a.name, a.norm_name, a.country, a.sector
         FROM event_reports r JOIN report_actors a ON a.report_key = r.report_key
         WHERE r.type = ?1 AND r.modality = ?2 AND r.day BETWEEN ?3 - 1 AND ?3 + 1
         ORDER BY r.report_key",
        params![
            report.event.event_type.as_str(),
            report.event.modality.as_str(),
            day
        ],
    )?;
    let place_key = report.place.as_ref().and_then(|p| p.key.as_deref());
    let mut matched = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let report_key = rows[i].int(0)?;
        let event_id = rows[i].int(1)?;
        let other_day = rows[i].int(2)?;
        let other_place = rows[i].opt_text(3)?;
        let mut theirs = [Vec::new(), Vec::new()];
        while i < rows.len() && rows[i].int(0)? == report_key {
            let row = &rows[i];
            theirs[usize::from(row.text(4)? == ROLES[1])].push(ActorIn {
                entity: row.opt_int(5)?,
                name: row.text(6)?,
                norm: row.text(7)?,
                country: row.opt_text(8)?,
                sector: row.opt_text(9)?,
            });
            i += 1;
        }
        let same_place = place_key.is_some() && place_key == other_place.as_deref();
        if (other_day == day || same_place) && actors_overlap(&report.actors, &theirs) {
            matched.push(event_id);
        }
    }
    matched.sort_unstable();
    matched.dedup();
    Ok(matched)
}

/// Locks the corpus events a report is about to join, in id order
/// (PostgreSQL: against a concurrent writer adding to them or merging them
/// away). An event that vanished since it was matched (a writer that
/// committed meanwhile merged it into another) makes the batch start again.
fn lock_events(db: &dyn Db, ids: &[i64]) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT event_id FROM events WHERE event_id = ?1{}",
        db.lock_rows()
    );
    for &id in ids {
        if db.row("locking an event", &sql, params![id])?.is_none() {
            return Err(StoreError::Conflict(format!(
                "corpus event {id} was merged into another meanwhile"
            )));
        }
    }
    Ok(())
}

/// Moves the reports of corpus event `other` to `keep` and deletes `other`
/// (a new report matched both: they are one event).
fn absorb_event(db: &dyn Db, keep: i64, other: i64) -> Result<(), StoreError> {
    let what = "merging two events";
    db.exec(
        what,
        "UPDATE event_reports SET event_id = ?1 WHERE event_id = ?2",
        params![keep, other],
    )?;
    db.exec(
        what,
        "DELETE FROM event_actors WHERE event_id = ?1",
        params![other],
    )?;
    db.exec(
        what,
        "DELETE FROM events WHERE event_id = ?1",
        params![other],
    )?;
    Ok(())
}

fn add_report(
    db: &dyn Db,
    event_id: i64,
    doc_key: i64,
    report: &ReportIn<'_, '_>,
) -> Result<(), StoreError> {
    let what = "storing an event report";
    let (event, ej) = (report.event, report.ej);
    let place = report.place.as_ref();
    let context = serde_json::to_string(&event.context).unwrap_or_default();
    let report_key = db.int(
        what,
        "INSERT INTO event_reports (event_id, doc_key, idx, date, trigger_start, trigger_end,
             trigger_text, sentence_start, sentence_end, modality, confidence, rule,
             type, day, mode, context, place_key, place_name, place_country, lat, lon)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                 ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
         RETURNING report_key",
        params![
            event_id,
            doc_key,
            report.idx,
            report.date.as_deref(),
            ej.trigger.start,
            ej.trigger.end,
            ej.trigger.text,
            ej.sentence.start,
            ej.sentence.end,
            event.modality.as_str(),
            event.confidence,
            &event.rule,
            event.event_type.as_str(),
            report.day,
            &event.mode,
            context,
            place.and_then(|p| p.key.as_deref()),
            place.map(|p| p.name),
            place.and_then(|p| p.country),
            place.and_then(|p| p.lat),
            place.and_then(|p| p.lon)
        ],
    )?;
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (side, list) in report.actors.iter().enumerate() {
        for actor in list {
            let key = actor.key();
            if !seen.insert((side, key.clone())) {
                continue;
            }
            rows.extend([
                Param::Int(report_key),
                Param::from(ROLES[side]),
                Param::Text(key),
                Param::from(actor.entity),
                Param::from(&actor.name),
                Param::from(&actor.norm),
                Param::from(actor.country.as_deref()),
                Param::from(actor.sector.as_deref()),
            ]);
        }
    }
    multi_row(
        db,
        what,
        "INSERT INTO report_actors (report_key, role, actor_key, entity_id, name,
             norm_name, country, sector) VALUES ",
        &["?"; 8],
        "",
        &rows,
    )
}

/// The most frequent value, the smallest of those tied: a choice that does
/// not depend on the order of the values.
fn most_common<T: Ord>(values: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: std::collections::BTreeMap<T, usize> = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    // `max_by_key` keeps the last maximum; iterating in reverse order, that
    // is the smallest value among the most frequent.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(v, _)| v)
}

/// An event actor's key as a total order over floats (coordinates).
fn coord(x: Option<f64>) -> Option<i64> {
    x.map(|x| (x * 1e6).round() as i64)
}

/// Recomputes every merged field of corpus event `event_id` from all its
/// reports, so that it depends on which reports it has, never on the order
/// they came in: the date (the most reported, the earliest of ties), mode
/// (the most reported non-empty one), context (the union), place (the most
/// reported place key; of its spellings the smallest), confidence (the
/// highest), counts, and the actors of each side (one per actor key: the
/// number of reports naming it, its most frequent name, country and sector;
/// ordered by reports, then name).
fn recompute_event(db: &dyn Db, event_id: i64) -> Result<(), StoreError> {
    let what = "merging an event";
    let rows = db.rows(
        what,
        "SELECT date, mode, context, place_key, place_name, place_country, lat, lon
         FROM event_reports WHERE event_id = ?1",
        params![event_id],
    )?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut dates = Vec::new();
    let mut modes = Vec::new();
    let mut context = std::collections::BTreeSet::new();
    type PlaceRow = (
        Option<String>,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
    );
    let mut places: Vec<PlaceRow> = Vec::new();
    for row in &rows {
        dates.extend(row.opt_text(0)?);
        modes.push(row.text(1)?);
        context.extend(serde_json::from_str::<Vec<String>>(&row.text(2)?).unwrap_or_default());
        if let Some(name) = row.opt_text(4)? {
            places.push((
                row.opt_text(3)?,
                name,
                row.opt_text(5)?,
                coord(row.opt_real(6)?),
                coord(row.opt_real(7)?),
            ));
        }
    }
    let date = most_common(dates);
    let mode =
        most_common(modes.into_iter().filter(|m: &String| !m.is_empty())).unwrap_or_default();
    let context: Vec<String> = context.into_iter().collect();
    let place_key = most_common(places.iter().map(|p| p.0.clone()));
    let place = places
        .into_iter()
        .filter(|p| Some(&p.0) == place_key.as_ref())
        .min();
    let place_param = |f: fn(&PlaceRow) -> Param| place.as_ref().map_or(Param::Null, f);
    let mut p = params![
        event_id,
        date.as_deref(),
        date.as_deref().and_then(day_number),
        mode,
        serde_json::to_string(&context).unwrap_or_default()
    ]
    .to_vec();
    p.push(place_param(|p| Param::from(p.0.clone())));
    p.push(place_param(|p| Param::from(&p.1)));
    p.push(place_param(|p| Param::from(p.2.clone())));
    p.push(place_param(|p| Param::from(p.3.map(|x| x as f64 / 1e6))));
    p.push(place_param(|p| Param::from(p.4.map(|x| x as f64 / 1e6))));
    db.exec(
        what,
        "UPDATE events SET
           date = ?2, day = ?3, mode = ?4, context = ?5,
           place_key = ?6, place_name = ?7, place_country = ?8, lat = ?9, lon = ?10,
           n_reports = (SELECT COUNT(*) FROM event_reports WHERE event_id = ?1),
           n_documents = (SELECT COUNT(DISTINCT doc_key) FROM event_reports WHERE event_id = ?1),
           n_sources = (SELECT COUNT(DISTINCT coalesce(d.source, 'doc:' || d.id))
                        FROM event_reports r JOIN documents d ON d.doc_key = r.doc_key
                        WHERE r.event_id = ?1),
           first_report = (SELECT MIN(d.published)
                           FROM event_reports r JOIN documents d ON d.doc_key = r.doc_key
                           WHERE r.event_id = ?1),
           last_report = (SELECT MAX(d.published)
                          FROM event_reports r JOIN documents d ON d.doc_key = r.doc_key
                          WHERE r.event_id = ?1),
           confidence = (SELECT MAX(confidence) FROM event_reports WHERE event_id = ?1)
         WHERE event_id = ?1",
        &p,
    )?;

    // The actors, one per (side, key), from the reports' actors.
    #[derive(Default)]
    struct Merged {
        entity: Option<i64>,
        reports: usize,
        names: Vec<(String, String)>,
        countries: Vec<String>,
        sectors: Vec<String>,
    }
    let mut merged: std::collections::BTreeMap<(String, String), Merged> = Default::default();
    for row in db.rows(
        what,
        "SELECT a.role, a.actor_key, a.entity_id, a.name, a.norm_name, a.country, a.sector
         FROM report_actors a JOIN event_reports r ON r.report_key = a.report_key
         WHERE r.event_id = ?1",
        params![event_id],
    )? {
        let m = merged.entry((row.text(0)?, row.text(1)?)).or_default();
        m.entity = m.entity.or(row.opt_int(2)?);
        m.reports += 1;
        m.names.push((row.text(3)?, row.text(4)?));
        m.countries.extend(row.opt_text(5)?);
        m.sectors.extend(row.opt_text(6)?);
    }
    let mut actors: Vec<((String, String), Merged)> = merged.into_iter().collect();
    for (_, m) in &mut actors {
        m.names.sort();
    }
    actors.sort_by(|(ka, a), (kb, b)| {
        (
            &ka.0,
            std::cmp::Reverse(a.reports),
            most_common(a.names.iter()),
            &ka.1,
        )
            .cmp(&(
                &kb.0,
                std::cmp::Reverse(b.reports),
                most_common(b.names.iter()),
                &kb.1,
            ))
    });
    db.exec(
        what,
        "DELETE FROM event_actors WHERE event_id = ?1",
        params![event_id],
    )?;
    let mut rows = Vec::with_capacity(actors.len() * 10);
    for (ord, ((role, key), m)) in actors.into_iter().enumerate() {
        let (name, norm) = most_common(m.names).unwrap_or_default();
        rows.extend([
            Param::Int(event_id),
            Param::Text(role),
            Param::Text(key),
            Param::from(ord),
            Param::from(m.entity),
            Param::Text(name),
            Param::Text(norm),
            Param::from(most_common(m.countries)),
            Param::from(most_common(m.sectors)),
            Param::from(m.reports),
        ]);
    }
    multi_row(
        db,
        what,
        "INSERT INTO event_actors (event_id, role, actor_key, ord, entity_id, name,
             norm_name, country, sector, n_reports) VALUES ",
        &["?"; 10],
        "",
        &rows,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(
        entity: Option<i64>,
        norm: &str,
        country: Option<&str>,
        sector: Option<&str>,
    ) -> ActorIn {
        ActorIn {
            entity,
            name: norm.to_string(),
            norm: norm.to_string(),
            country: country.map(str::to_string),
            sector: sector.map(str::to_string),
        }
    }

    /// Two actors the merge rules call the same share a lock signature, so
    /// two reports that could match share a lock key (`report_lock_keys`).
    #[test]
    fn the_same_actors_share_a_lock_signature() {
        let mut actors = Vec::new();
        for entity in [None, Some(1), Some(2)] {
            for norm in ["", "kessel", "varga"] {
                for country in [None, Some("RUS"), Some("FRA")] {
                    for sector in [None, Some("GOV"), Some("MIL")] {
                        actors.push(actor(entity, norm, country, sector));
                    }
                }
            }
        }
        let mut same = 0;
        for a in &actors {
            for b in &actors {
                if a.same_as(b) {
                    same += 1;
                    let (sa, sb) = (a.lock_sigs(), b.lock_sigs());
                    assert!(sa.iter().any(|s| sb.contains(s)), "{a:?} {b:?}");
                }
            }
        }
        assert!(same > 100);
    }

    #[test]
    fn entity_resolution_locks_only_what_could_race() {
        let c = |v: &[Option<&str>]| -> Vec<(i64, Option<String>)> {
            v.iter()
                .enumerate()
                .map(|(i, c)| (i as i64, c.map(str::to_string)))
                .collect()
        };
        // Created.
        assert!(entity_needs_lock(&[], None, false));
        assert!(entity_needs_lock(&[], Some("RUS"), false));
        // Without a country: the first candidate, always.
        assert!(!entity_needs_lock(&c(&[None]), None, false));
        assert!(!entity_needs_lock(&c(&[None, Some("FRA")]), None, false));
        assert!(!entity_needs_lock(
            &c(&[Some("RUS"), Some("FRA")]),
            None,
            false
        ));
        // With one: the first candidate with it.
        assert!(!entity_needs_lock(&c(&[Some("RUS")]), Some("RUS"), false));
        assert!(!entity_needs_lock(
            &c(&[Some("FRA"), Some("RUS")]),
            Some("RUS"),
            false
        ));
        // Gives the first its country, or could be beaten to it.
        assert!(entity_needs_lock(&c(&[None]), Some("RUS"), false));
        assert!(entity_needs_lock(
            &c(&[None, Some("RUS")]),
            Some("RUS"),
            false
        ));
        // Creates another.
        assert!(entity_needs_lock(&c(&[Some("FRA")]), Some("RUS"), false));
        // Unnamed: only a candidate with exactly its country is joined;
        // creating one is the only race.
        assert!(!entity_needs_lock(&c(&[Some("KEN"), None]), None, true));
        assert!(entity_needs_lock(&c(&[Some("KEN")]), None, true));
        assert!(!entity_needs_lock(
            &c(&[None, Some("KEN")]),
            Some("KEN"),
            true
        ));
        assert!(entity_needs_lock(&c(&[None]), Some("KEN"), true));
        assert!(entity_needs_lock(&[], None, true));
    }

    #[test]
    fn multi_row_statements_number_their_parameters() {
        struct Log(std::cell::RefCell<Vec<(String, usize)>>);
        impl Db for Log {
            fn backend(&self) -> &'static str {
                "log"
            }
            fn location(&self) -> std::path::PathBuf {
                std::path::PathBuf::new()
            }
            fn exec(&self, _: &str, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
                self.0.borrow_mut().push((sql.to_string(), params.len()));
                Ok(0)
            }
            fn rows(
                &self,
                _: &str,
                _: &str,
                _: &[Param],
            ) -> Result<Vec<crate::sql::Row>, StoreError> {
                Ok(Vec::new())
            }
            fn fts_condition(&self, _: FtsTable, _: &str) -> String {
                String::new()
            }
            fn fts_param(&self, _: &[&str]) -> Param {
                Param::Null
            }
            fn fts_index(&self, _: FtsTable, _: i64, _: &[Option<&str>]) -> Result<(), StoreError> {
                Ok(())
            }
            fn document_search_sql(&self) -> [&'static str; 2] {
                ["", ""]
            }
            fn size_bytes(&self) -> Result<Option<u64>, StoreError> {
                Ok(None)
            }
        }
        let log = Log(Default::default());
        let params: Vec<Param> = (0..(ROWS_PER_STATEMENT as i64 + 1) * 2)
            .map(Param::Int)
            .collect();
        multi_row(
            &log,
            "t",
            "INSERT INTO t (a, b) VALUES ",
            &["?", "CAST(? AS TEXT)"],
            " END",
            &params,
        )
        .unwrap();
        let log = log.0.into_inner();
        assert_eq!(log.len(), 2);
        assert!(log[0].0.starts_with(
            "INSERT INTO t (a, b) VALUES (?1, CAST(?2 AS TEXT)), (?3, CAST(?4 AS TEXT))"
        ));
        assert_eq!(log[0].1, ROWS_PER_STATEMENT * 2);
        assert_eq!(
            log[1],
            (
                "INSERT INTO t (a, b) VALUES (?1, CAST(?2 AS TEXT)) END".to_string(),
                2
            )
        );
        // No rows, no statement.
        let empty = Log(Default::default());
        multi_row(&empty, "t", "INSERT ", &["?"], "", &[]).unwrap();
        assert!(empty.0.into_inner().is_empty());
    }
}
