//! Writing documents and merging their records into the corpus (the rules
//! are in the crate docs), once for every backend: the statements run on a
//! [`Db`] that is an open transaction of the backend.
//!
//! Concurrency is the backend's business: it calls [`put_document`] only
//! after making sure no other writer can touch the same merge keys (SQLite:
//! one writer at a time; PostgreSQL: advisory locks on [`merge_keys`]).

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
                 SET n_mentions = entity_aliases.n_mentions + excluded.n_mentions",
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
                   last_seen = {}
                 WHERE entity_id = ?1",
                earliest("first_seen", "?4"),
                latest("last_seen", "?4"),
            ),
            params![
                entity_id,
                entity.mentions.len(),
                new_doc,
                pub_date.as_deref()
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
        let place_key = place.as_ref().and_then(|p| p.key.as_deref());
        let place_params = || {
            params![
                place_key,
                place.as_ref().map(|p| p.name),
                place.as_ref().and_then(|p| p.country),
                place.as_ref().and_then(|p| p.lat),
                place.as_ref().and_then(|p| p.lon)
            ]
            .to_vec()
        };
        let event_id = match find_event(db, event, date.as_deref(), place_key, &actors)? {
            Some(id) => {
                let mut p = params![id, &event.mode].to_vec();
                p.extend(place_params());
                db.exec(
                    "merging an event",
                    "UPDATE events SET
                       mode = CASE WHEN mode = '' THEN ?2 ELSE mode END,
                       place_key = coalesce(place_key, ?3),
                       place_name = coalesce(place_name, ?4),
                       place_country = coalesce(place_country, ?5),
                       lat = coalesce(lat, ?6),
                       lon = coalesce(lon, ?7)
                     WHERE event_id = ?1",
                    &p,
                )?;
                id
            }
            None => {
                let context = serde_json::to_string(&event.context).unwrap_or_default();
                let mut p = params![
                    event.event_type.as_str(),
                    &event.mode,
                    context,
                    event.modality.as_str(),
                    date.as_deref(),
                    date.as_deref().and_then(day_number)
                ]
                .to_vec();
                p.extend(place_params());
                p.push(Param::from(event.confidence));
                db.int(
                    "storing an event",
                    "INSERT INTO events (type, mode, context, modality, date, day, place_key,
                                         place_name, place_country, lat, lon, confidence)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING event_id",
                    &p,
                )?
            }
        };
        add_report(
            db,
            event_id,
            doc_key,
            i,
            event,
            ej,
            date.as_deref(),
            &actors,
        )?;
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
        if country.is_none() && entity.country.is_some()
            || sector.is_none() && entity.sector.is_some()
        {
            db.exec(
                what,
                "UPDATE entities SET country = coalesce(country, ?2), sector = coalesce(sector, ?3)
                 WHERE entity_id = ?1",
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

/// The corpus event a document event joins, if any.
fn find_event(
    db: &dyn Db,
    event: &Event,
    date: Option<&str>,
    place_key: Option<&str>,
    actors: &[Vec<ActorIn>; 2],
) -> Result<Option<i64>, StoreError> {
    let Some(day) = date.and_then(day_number) else {
        return Ok(None);
    };
    let candidates = db.rows(
        "matching an event",
        "SELECT event_id, day, place_key FROM events
         WHERE type = ?1 AND modality = ?2 AND day BETWEEN ?3 - 1 AND ?3 + 1
         ORDER BY day <> ?3, event_id",
        params![event.event_type.as_str(), event.modality.as_str(), day],
    )?;
    for row in candidates {
        let (event_id, other_day, other_place) = (row.int(0)?, row.int(1)?, row.opt_text(2)?);
        let same_place = place_key.is_some() && place_key == other_place.as_deref();
        if other_day != day && !same_place {
            continue;
        }
        if actors_overlap(actors, &event_actors(db, event_id)?) {
            return Ok(Some(event_id));
        }
    }
    Ok(None)
}

fn event_actors(db: &dyn Db, event_id: i64) -> Result<[Vec<ActorIn>; 2], StoreError> {
    let mut out = [Vec::new(), Vec::new()];
    for row in db.rows(
        "matching an event",
        "SELECT role, entity_id, name, norm_name, country, sector FROM event_actors
         WHERE event_id = ?1",
        params![event_id],
    )? {
        let actor = ActorIn {
            entity: row.opt_int(1)?,
            name: row.text(2)?,
            norm: row.text(3)?,
            country: row.opt_text(4)?,
            sector: row.opt_text(5)?,
        };
        out[usize::from(row.text(0)? == ROLES[1])].push(actor);
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn add_report(
    db: &dyn Db,
    event_id: i64,
    doc_key: i64,
    idx: usize,
    event: &Event,
    ej: &EventJson<'_>,
    date: Option<&str>,
    actors: &[Vec<ActorIn>; 2],
) -> Result<(), StoreError> {
    let what = "storing an event report";
    db.exec(
        what,
        "INSERT INTO event_reports (event_id, doc_key, idx, date, trigger_start, trigger_end,
             trigger_text, sentence_start, sentence_end, modality, confidence, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            event_id,
            doc_key,
            idx,
            date,
            ej.trigger.start,
            ej.trigger.end,
            ej.trigger.text,
            ej.sentence.start,
            ej.sentence.end,
            event.modality.as_str(),
            event.confidence,
            &event.rule
        ],
    )?;
    let mut next_ord = db.int(
        what,
        "SELECT COALESCE(MAX(ord), -1) + 1 FROM event_actors WHERE event_id = ?1",
        params![event_id],
    )?;
    let mut seen = HashSet::new();
    for (side, list) in actors.iter().enumerate() {
        for actor in list {
            let key = actor.key();
            if !seen.insert((side, key.clone())) {
                continue;
            }
            let updated = db.exec(
                what,
                "UPDATE event_actors SET n_reports = n_reports + 1,
                   country = coalesce(country, ?4), sector = coalesce(sector, ?5)
                 WHERE event_id = ?1 AND role = ?2 AND actor_key = ?3",
                params![
                    event_id,
                    ROLES[side],
                    &key,
                    actor.country.as_deref(),
                    actor.sector.as_deref()
                ],
            )?;
            if updated == 0 {
                db.exec(
                    what,
                    "INSERT INTO event_actors (event_id, role, actor_key, ord, entity_id, name,
                         norm_name, country, sector, n_reports)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
                    params![
                        event_id,
                        ROLES[side],
                        key,
                        next_ord,
                        actor.entity,
                        &actor.name,
                        &actor.norm,
                        actor.country.as_deref(),
                        actor.sector.as_deref()
                    ],
                )?;
                next_ord += 1;
            }
        }
    }
    db.exec(
        what,
        "UPDATE events SET
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
        params![event_id],
    )?;
    Ok(())
}
