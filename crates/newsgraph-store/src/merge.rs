//! Writing documents and merging their records into the corpus (the rules
//! are in the crate docs), once for every backend: the statements run on a
//! [`Db`] that is an open transaction of the backend.
//!
//! Concurrency is the backend's business: it calls [`put_document`] only
//! after making sure no other writer can touch the same merge keys (SQLite:
//! one writer at a time; PostgreSQL: row locks on [`merge_keys`], and on the
//! corpus events a report joins, see `lock_events`).

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

/// The stored document a key duplicates (id, then URL, then content).
pub(crate) fn find_duplicate(
    db: &dyn Db,
    key: &DocKey<'_>,
) -> Result<Option<Duplicate>, StoreError> {
    let mut lookups: Vec<(&str, &str, DuplicateOf)> = Vec::with_capacity(3);
    if let Some(id) = key.id {
        lookups.push(("id", id, DuplicateOf::Id));
    }
    if let Some(url) = key.url {
        lookups.push(("url", url, DuplicateOf::Url));
    }
    lookups.push(("content_hash", key.content_hash, DuplicateOf::Content));
    for (column, value, matched) in lookups {
        let query = format!("SELECT id FROM documents WHERE {column} = ?1");
        if let Some(row) = db.row("looking for duplicates", &query, params![value])? {
            return Ok(Some(Duplicate {
                existing: row.text(0)?,
                matched,
            }));
        }
    }
    Ok(None)
}

/// The merge keys a document touches, as strings: its identity (id, URL,
/// content hash), the key of each entity (normalised name and type) and of
/// each dated event (type, modality and day, for the day before, the day and
/// the day after, as an event can join one a day apart). Two documents
/// whose key sets are disjoint can be merged concurrently.
pub(crate) fn merge_keys(doc: &Doc, hash: &str) -> Vec<String> {
    let mut keys = vec![
        format!("doc-id:{}", doc.meta.id),
        format!("doc-hash:{hash}"),
    ];
    if let Some(url) = &doc.meta.url {
        keys.push(format!("doc-url:{url}"));
    }
    for e in &doc.entities {
        keys.push(format!(
            "entity:{}:{}",
            entity_norm(e),
            e.entity_type.as_str()
        ));
    }
    let pub_date = date_part(doc.meta.published.as_deref());
    for e in &doc.events {
        let date = date_part(e.date.as_deref()).or_else(|| pub_date.clone());
        if let Some(day) = date.as_deref().and_then(day_number) {
            for d in day - 1..=day + 1 {
                keys.push(format!(
                    "event:{}:{}:{d}",
                    e.event_type.as_str(),
                    e.modality.as_str()
                ));
            }
        }
    }
    keys
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
pub(crate) fn put_documents(
    db: &dyn Db,
    docs: &[Doc],
    now: &str,
) -> Result<Vec<crate::PutOutcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(docs.len());
    for doc in docs {
        let hash = content_hash(doc.text());
        if let Some(dup) = find_duplicate(db, &doc_key(doc, &hash))? {
            outcomes.push(crate::PutOutcome::Duplicate(dup));
            continue;
        }
        put_document(db, doc, &hash, now)?;
        outcomes.push(crate::PutOutcome::Stored);
    }
    Ok(outcomes)
}

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

/// Writes one document (not a duplicate) and merges its records.
fn put_document(db: &dyn Db, doc: &Doc, hash: &str, now: &str) -> Result<(), StoreError> {
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
    let mut corpus_ids = Vec::with_capacity(doc.entities.len());
    let mut counted = HashSet::new();
    let mut roles_seen = HashSet::new();
    for (i, (entity, ej)) in doc.entities.iter().zip(&json.entities).enumerate() {
        let entity_id = resolve_entity(db, entity)?;
        corpus_ids.push(entity_id);
        let what = "storing an entity";
        db.exec(
            what,
            "INSERT INTO doc_entities (doc_key, idx, entity_id, name) VALUES (?1, ?2, ?3, ?4)",
            params![doc_key, i, entity_id, &entity.name],
        )?;
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
            db.exec(
                what,
                "INSERT INTO mentions (doc_key, doc_entity, entity_id, \"start\", \"end\", text, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![doc_key, i, entity_id, m.start, m.end, m.text, m.kind.as_str()],
            )?;
            if m.kind == MentionKind::Name {
                add_alias(m.text, 1);
            }
        }
        for (norm, alias, n) in aliases {
            db.exec(
                what,
                "INSERT INTO entity_aliases (entity_id, norm_alias, alias, n_mentions)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (entity_id, norm_alias) DO UPDATE
                 SET n_mentions = entity_aliases.n_mentions + excluded.n_mentions,
                     alias = CASE WHEN excluded.alias < entity_aliases.alias
                                  THEN excluded.alias ELSE entity_aliases.alias END",
                params![entity_id, norm, alias, n],
            )?;
        }
        for role in &entity.roles {
            let norm = normalize_name(role);
            if norm.is_empty() || !roles_seen.insert((entity_id, norm.clone())) {
                continue;
            }
            db.exec(
                what,
                &format!(
                    "INSERT INTO entity_roles (entity_id, norm_role, role, first_seen, last_seen, n_documents)
                     VALUES (?1, ?2, ?3, ?4, ?4, 1)
                     ON CONFLICT (entity_id, norm_role) DO UPDATE SET
                       role = CASE WHEN excluded.role < entity_roles.role
                                   THEN excluded.role ELSE entity_roles.role END,
                       first_seen = {},
                       last_seen = {},
                       n_documents = entity_roles.n_documents + 1",
                    earliest("entity_roles.first_seen", "excluded.first_seen"),
                    latest("entity_roles.last_seen", "excluded.last_seen"),
                ),
                params![entity_id, norm, role, pub_date.as_deref()],
            )?;
        }
        let new_doc = i64::from(counted.insert(entity_id));
        db.exec(
            what,
            &format!(
                "UPDATE entities SET
                   n_mentions = n_mentions + ?2,
                   n_documents = n_documents + ?3,
                   first_seen = {},
                   last_seen = {},
                   name = CASE WHEN length(?5) > length(name)
                                 OR (length(?5) = length(name) AND ?5 < name)
                               THEN ?5 ELSE name END
                 WHERE entity_id = ?1",
                earliest("first_seen", "?4"),
                latest("last_seen", "?4"),
            ),
            params![
                entity_id,
                entity.mentions.len(),
                new_doc,
                pub_date.as_deref(),
                &entity.name
            ],
        )?;
    }
    let corpus_entity = |i: Option<usize>| i.and_then(|i| corpus_ids.get(i).copied());

    for t in &json.times {
        db.exec(
            "storing a time expression",
            "INSERT INTO times (doc_key, \"start\", \"end\", text, type, value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                doc_key,
                t.start,
                t.end,
                t.text,
                t.time_type.as_str(),
                t.value
            ],
        )?;
    }

    for (quote, qj) in doc.quotes.iter().zip(&json.quotes) {
        let speaker_name = quote
            .speaker
            .and_then(|i| doc.entities.get(i))
            .map(|e| e.name.as_str());
        let quote_key = db.int(
            "storing a quote",
            "INSERT INTO quotes (doc_key, \"start\", \"end\", text, kind, speaker_entity, speaker_name, cue)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING quote_key",
            params![
                doc_key,
                qj.start,
                qj.end,
                qj.text,
                qj.kind.as_str(),
                corpus_entity(quote.speaker),
                speaker_name,
                qj.cue.as_ref().map(|c| c.text)
            ],
        )?;
        db.fts_index(FtsTable::Quotes, quote_key, &[Some(qj.text)])?;
    }

    for (i, (event, ej)) in doc.events.iter().zip(&json.events).enumerate() {
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
        let date = date_part(event.date.as_deref()).or_else(|| pub_date.clone());
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
        let report = ReportIn {
            event,
            ej,
            idx: i,
            day: date.as_deref().and_then(day_number),
            date,
            place,
            actors,
        };
        let matched = matching_events(db, &report)?;
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
        add_report(db, event_id, doc_key, &report)?;
        recompute_event(db, event_id)?;
    }
    Ok(())
}

/// The corpus entity a document entity belongs to, created when there is none.
fn resolve_entity(db: &dyn Db, entity: &Entity) -> Result<i64, StoreError> {
    let what = "resolving an entity";
    let norm = entity_norm(entity);
    let entity_type = entity.entity_type.as_str();
    let mut candidates: Vec<(i64, Option<String>, Option<String>)> = Vec::new();
    for row in db.rows(
        what,
        "SELECT entity_id, country, sector FROM entities
         WHERE norm_name = ?1 AND type = ?2 ORDER BY entity_id",
        params![&norm, entity_type],
    )? {
        candidates.push((row.int(0)?, row.opt_text(1)?, row.opt_text(2)?));
    }
    let exact = candidates.iter().find(|c| c.1 == entity.country);
    let compatible = || {
        candidates
            .iter()
            .find(|c| c.1.is_none() || entity.country.is_none())
    };
    if let Some((id, country, sector)) = exact.or_else(compatible) {
        // The sector: the smallest given, whatever the order documents came in.
        if country.is_none() && entity.country.is_some()
            || entity.sector.is_some() && *sector != entity.sector
        {
            db.exec(
                what,
                &format!(
                    "UPDATE entities SET country = coalesce(country, ?2), sector = {}
                     WHERE entity_id = ?1",
                    earliest("sector", "?3")
                ),
                params![*id, entity.country.as_deref(), entity.sector.as_deref()],
            )?;
        }
        return Ok(*id);
    }
    db.int(
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
    )
}

/// A document event on its way into the corpus.
struct ReportIn<'a, 'j> {
    event: &'a Event,
    ej: &'a EventJson<'j>,
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
    for (side, list) in report.actors.iter().enumerate() {
        for actor in list {
            let key = actor.key();
            if !seen.insert((side, key.clone())) {
                continue;
            }
            db.exec(
                what,
                "INSERT INTO report_actors (report_key, role, actor_key, entity_id, name,
                     norm_name, country, sector)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    report_key,
                    ROLES[side],
                    key,
                    actor.entity,
                    &actor.name,
                    &actor.norm,
                    actor.country.as_deref(),
                    actor.sector.as_deref()
                ],
            )?;
        }
    }
    Ok(())
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
    for (ord, ((role, key), m)) in actors.into_iter().enumerate() {
        let (name, norm) = most_common(m.names).unwrap_or_default();
        db.exec(
            what,
            "INSERT INTO event_actors (event_id, role, actor_key, ord, entity_id, name,
                 norm_name, country, sector, n_reports)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                event_id,
                role,
                key,
                ord,
                m.entity,
                name,
                norm,
                most_common(m.countries),
                most_common(m.sectors),
                m.reports
            ],
        )?;
    }
    Ok(())
}
