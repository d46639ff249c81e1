//! Writing a batch of documents and merging their records into the corpus
//! (the rules are in the crate docs).

use super::{find_duplicate, sql, TEXT_PLACEHOLDER};
use crate::normalize::{content_hash, date_part, day_number, normalize_name, now_utc};
use crate::{doc_key, PutOutcome, StoreError};
use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_core::records::{Actor, Entity, Event, MentionKind};
use newsgraph_core::Doc;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn put_documents(
    conn: &mut Connection,
    path: &Path,
    docs: &[Doc],
) -> Result<Vec<PutOutcome>, StoreError> {
    let tx = sql(
        path,
        "starting a transaction",
        conn.transaction_with_behavior(TransactionBehavior::Immediate),
    )?;
    let now = now_utc();
    let mut outcomes = Vec::with_capacity(docs.len());
    {
        let mut w = Writer { tx: &tx, path };
        for doc in docs {
            let hash = content_hash(doc.text());
            if let Some(dup) = find_duplicate(&tx, path, &doc_key(doc, &hash))? {
                outcomes.push(PutOutcome::Duplicate(dup));
                continue;
            }
            w.put(doc, &hash, &now)?;
            outcomes.push(PutOutcome::Stored);
        }
    }
    sql(path, "committing", tx.commit())?;
    Ok(outcomes)
}

struct Writer<'t> {
    tx: &'t Transaction<'t>,
    path: &'t Path,
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

impl Writer<'_> {
    fn sql<T>(&self, what: &str, r: rusqlite::Result<T>) -> Result<T, StoreError> {
        sql(self.path, what, r)
    }

    /// Runs a cached statement.
    fn exec(
        &self,
        what: &str,
        query: &str,
        params: impl rusqlite::Params,
    ) -> Result<(), StoreError> {
        let mut stmt = self.sql(what, self.tx.prepare_cached(query))?;
        self.sql(what, stmt.execute(params))?;
        Ok(())
    }

    fn put(&mut self, doc: &Doc, hash: &str, now: &str) -> Result<(), StoreError> {
        let mut json = DocJson::new(doc, JsonOptions::default());
        // The text is stored once, in its column; see `super::document_json`.
        json.text = TEXT_PLACEHOLDER;
        let json_text = serde_json::to_string(&json).map_err(|e| StoreError::Corrupt {
            path: self.path.to_path_buf(),
            message: format!("document `{}` cannot be serialised: {e}", doc.meta.id),
        })?;
        let meta = &doc.meta;
        let pub_date = date_part(meta.published.as_deref());
        let what = "storing a document";
        self.exec(
            what,
            "INSERT INTO documents (id, title, published, pub_date, source, url, language, text,
                                    content_hash, ingested_at, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            rusqlite::params![
                meta.id,
                meta.title,
                meta.published,
                pub_date,
                meta.source,
                meta.url,
                meta.language,
                doc.text(),
                hash,
                now,
                json_text
            ],
        )?;
        let doc_key = self.tx.last_insert_rowid();
        self.exec(
            "indexing a document",
            "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            (doc_key, &meta.title, doc.text()),
        )?;

        // Entities: resolve each to a corpus entity.
        let mut corpus_ids = Vec::with_capacity(doc.entities.len());
        let mut counted = HashSet::new();
        let mut roles_seen = HashSet::new();
        for (i, (entity, ej)) in doc.entities.iter().zip(&json.entities).enumerate() {
            let entity_id = self.resolve_entity(entity)?;
            corpus_ids.push(entity_id);
            let what = "storing an entity";
            self.exec(
                what,
                "INSERT INTO doc_entities (doc_key, idx, entity_id, name) VALUES (?1, ?2, ?3, ?4)",
                (doc_key, i as i64, entity_id, &entity.name),
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
                self.exec(
                    what,
                    "INSERT INTO mentions (doc_key, doc_entity, entity_id, start, end, text, kind)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    (
                        doc_key,
                        i as i64,
                        entity_id,
                        m.start,
                        m.end,
                        m.text,
                        m.kind.as_str(),
                    ),
                )?;
                if m.kind == MentionKind::Name {
                    add_alias(m.text, 1);
                }
            }
            for (norm, alias, n) in aliases {
                self.exec(
                    what,
                    "INSERT INTO entity_aliases (entity_id, norm_alias, alias, n_mentions)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (entity_id, norm_alias) DO UPDATE
                     SET n_mentions = n_mentions + excluded.n_mentions",
                    (entity_id, norm, alias, n),
                )?;
            }
            for role in &entity.roles {
                let norm = normalize_name(role);
                if norm.is_empty() || !roles_seen.insert((entity_id, norm.clone())) {
                    continue;
                }
                self.exec(
                    what,
                    "INSERT INTO entity_roles (entity_id, norm_role, role, first_seen, last_seen, n_documents)
                     VALUES (?1, ?2, ?3, ?4, ?4, 1)
                     ON CONFLICT (entity_id, norm_role) DO UPDATE SET
                       first_seen = min(coalesce(first_seen, excluded.first_seen),
                                        coalesce(excluded.first_seen, first_seen)),
                       last_seen = max(coalesce(last_seen, excluded.last_seen),
                                       coalesce(excluded.last_seen, last_seen)),
                       n_documents = n_documents + 1",
                    (entity_id, norm, role, &pub_date),
                )?;
            }
            let new_doc = i64::from(counted.insert(entity_id));
            self.exec(
                what,
                "UPDATE entities SET
                   n_mentions = n_mentions + ?2,
                   n_documents = n_documents + ?3,
                   first_seen = min(coalesce(first_seen, ?4), coalesce(?4, first_seen)),
                   last_seen = max(coalesce(last_seen, ?4), coalesce(?4, last_seen))
                 WHERE entity_id = ?1",
                (entity_id, entity.mentions.len() as i64, new_doc, &pub_date),
            )?;
        }
        let corpus_entity = |i: Option<usize>| i.and_then(|i| corpus_ids.get(i).copied());

        for t in &json.times {
            self.exec(
                "storing a time expression",
                "INSERT INTO times (doc_key, start, end, text, type, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (
                    doc_key,
                    t.start,
                    t.end,
                    t.text,
                    t.time_type.as_str(),
                    t.value,
                ),
            )?;
        }

        for (quote, qj) in doc.quotes.iter().zip(&json.quotes) {
            let what = "storing a quote";
            let speaker_name = quote
                .speaker
                .and_then(|i| doc.entities.get(i))
                .map(|e| e.name.as_str());
            self.exec(
                what,
                "INSERT INTO quotes (doc_key, start, end, text, kind, speaker_entity, speaker_name, cue)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                (
                    doc_key,
                    qj.start,
                    qj.end,
                    qj.text,
                    qj.kind.as_str(),
                    corpus_entity(quote.speaker),
                    speaker_name,
                    qj.cue.as_ref().map(|c| c.text),
                ),
            )?;
            let quote_key = self.tx.last_insert_rowid();
            self.exec(
                what,
                "INSERT INTO quotes_fts (rowid, text) VALUES (?1, ?2)",
                (quote_key, qj.text),
            )?;
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
            let place = ej.location.as_ref().map(|l| {
                let key = match (l.lat, l.lon) {
                    (Some(lat), Some(lon)) => format!("{lat:.2},{lon:.2}"),
                    _ => normalize_name(l.name),
                };
                (key, l)
            });
            let place_key = place
                .as_ref()
                .map(|p| p.0.as_str())
                .filter(|k| !k.is_empty());
            let event_id = match self.find_event(event, date.as_deref(), place_key, &actors)? {
                Some(id) => {
                    self.exec(
                        "merging an event",
                        "UPDATE events SET
                           mode = CASE WHEN mode = '' THEN ?2 ELSE mode END,
                           place_key = coalesce(place_key, ?3),
                           place_name = coalesce(place_name, ?4),
                           place_country = coalesce(place_country, ?5),
                           lat = coalesce(lat, ?6),
                           lon = coalesce(lon, ?7)
                         WHERE event_id = ?1",
                        (
                            id,
                            &event.mode,
                            place_key,
                            place.as_ref().map(|p| p.1.name),
                            place.as_ref().and_then(|p| p.1.country),
                            place.as_ref().and_then(|p| p.1.lat),
                            place.as_ref().and_then(|p| p.1.lon),
                        ),
                    )?;
                    id
                }
                None => {
                    let context = serde_json::to_string(&event.context).unwrap_or_default();
                    self.exec(
                        "storing an event",
                        "INSERT INTO events (type, mode, context, modality, date, day, place_key,
                                             place_name, place_country, lat, lon, confidence)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                        rusqlite::params![
                            event.event_type.as_str(),
                            event.mode,
                            context,
                            event.modality.as_str(),
                            date,
                            date.as_deref().and_then(day_number),
                            place_key,
                            place.as_ref().map(|p| p.1.name),
                            place.as_ref().and_then(|p| p.1.country),
                            place.as_ref().and_then(|p| p.1.lat),
                            place.as_ref().and_then(|p| p.1.lon),
                            event.confidence,
                        ],
                    )?;
                    self.tx.last_insert_rowid()
                }
            };
            self.add_report(event_id, doc_key, i, event, ej, date.as_deref(), &actors)?;
        }
        Ok(())
    }

    /// The corpus entity a document entity belongs to, created when there is none.
    fn resolve_entity(&self, entity: &Entity) -> Result<i64, StoreError> {
        let what = "resolving an entity";
        let mut norm = normalize_name(&entity.name);
        if norm.is_empty() {
            norm = entity.name.trim().to_lowercase();
        }
        let entity_type = entity.entity_type.as_str();
        let candidates: Vec<(i64, Option<String>, Option<String>)> = {
            let mut stmt = self.sql(
                what,
                self.tx.prepare_cached(
                    "SELECT entity_id, country, sector FROM entities
                     WHERE norm_name = ?1 AND type = ?2 ORDER BY entity_id",
                ),
            )?;
            let rows = self.sql(
                what,
                stmt.query_map((&norm, entity_type), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                }),
            )?;
            self.sql(what, rows.collect())?
        };
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
                self.exec(
                    what,
                    "UPDATE entities SET country = coalesce(country, ?2), sector = coalesce(sector, ?3)
                     WHERE entity_id = ?1",
                    (id, &entity.country, &entity.sector),
                )?;
            }
            return Ok(*id);
        }
        self.exec(
            what,
            "INSERT INTO entities (norm_name, name, type, country, sector) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&norm, &entity.name, entity_type, &entity.country, &entity.sector),
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// The corpus event a document event joins, if any.
    fn find_event(
        &self,
        event: &Event,
        date: Option<&str>,
        place_key: Option<&str>,
        actors: &[Vec<ActorIn>; 2],
    ) -> Result<Option<i64>, StoreError> {
        let Some(day) = date.and_then(day_number) else {
            return Ok(None);
        };
        let what = "matching an event";
        let candidates: Vec<(i64, i64, Option<String>)> = {
            let mut stmt = self.sql(
                what,
                self.tx.prepare_cached(
                    "SELECT event_id, day, place_key FROM events
                     WHERE type = ?1 AND modality = ?2 AND day BETWEEN ?3 - 1 AND ?3 + 1
                     ORDER BY day != ?3, event_id",
                ),
            )?;
            let rows = self.sql(
                what,
                stmt.query_map(
                    (event.event_type.as_str(), event.modality.as_str(), day),
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                ),
            )?;
            self.sql(what, rows.collect())?
        };
        for (event_id, other_day, other_place) in candidates {
            let same_place = place_key.is_some() && place_key == other_place.as_deref();
            if other_day != day && !same_place {
                continue;
            }
            if actors_overlap(actors, &self.event_actors(event_id)?) {
                return Ok(Some(event_id));
            }
        }
        Ok(None)
    }

    fn event_actors(&self, event_id: i64) -> Result<[Vec<ActorIn>; 2], StoreError> {
        let what = "matching an event";
        let mut stmt = self.sql(
            what,
            self.tx.prepare_cached(
                "SELECT role, entity_id, name, norm_name, country, sector FROM event_actors
                 WHERE event_id = ?1",
            ),
        )?;
        let rows = self.sql(
            what,
            stmt.query_map([event_id], |r| {
                let role: String = r.get(0)?;
                Ok((
                    role,
                    ActorIn {
                        entity: r.get(1)?,
                        name: r.get(2)?,
                        norm: r.get(3)?,
                        country: r.get(4)?,
                        sector: r.get(5)?,
                    },
                ))
            }),
        )?;
        let mut out = [Vec::new(), Vec::new()];
        for row in rows {
            let (role, actor) = self.sql(what, row)?;
            out[usize::from(role == ROLES[1])].push(actor);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_report(
        &self,
        event_id: i64,
        doc_key: i64,
        idx: usize,
        event: &Event,
        ej: &newsgraph_core::json::EventJson<'_>,
        date: Option<&str>,
        actors: &[Vec<ActorIn>; 2],
    ) -> Result<(), StoreError> {
        let what = "storing an event report";
        self.exec(
            what,
            "INSERT INTO event_reports (event_id, doc_key, idx, date, trigger_start, trigger_end,
                 trigger_text, sentence_start, sentence_end, modality, confidence, rule)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                event_id,
                doc_key,
                idx as i64,
                date,
                ej.trigger.start,
                ej.trigger.end,
                ej.trigger.text,
                ej.sentence.start,
                ej.sentence.end,
                event.modality.as_str(),
                event.confidence,
                event.rule,
            ],
        )?;
        let mut next_ord: i64 = {
            let mut stmt = self.sql(
                what,
                self.tx.prepare_cached(
                    "SELECT COALESCE(MAX(ord), -1) + 1 FROM event_actors WHERE event_id = ?1",
                ),
            )?;
            self.sql(what, stmt.query_row([event_id], |r| r.get(0)))?
        };
        let mut seen = HashMap::new();
        for (side, list) in actors.iter().enumerate() {
            for actor in list {
                let key = actor.key();
                if seen.insert((side, key.clone()), ()).is_some() {
                    continue;
                }
                let exists: Option<i64> = {
                    let mut stmt = self.sql(
                        what,
                        self.tx.prepare_cached(
                            "SELECT 1 FROM event_actors WHERE event_id = ?1 AND role = ?2 AND actor_key = ?3",
                        ),
                    )?;
                    self.sql(
                        what,
                        stmt.query_row((event_id, ROLES[side], &key), |r| r.get(0))
                            .optional(),
                    )?
                };
                if exists.is_some() {
                    self.exec(
                        what,
                        "UPDATE event_actors SET n_reports = n_reports + 1,
                           country = coalesce(country, ?4), sector = coalesce(sector, ?5)
                         WHERE event_id = ?1 AND role = ?2 AND actor_key = ?3",
                        (event_id, ROLES[side], &key, &actor.country, &actor.sector),
                    )?;
                } else {
                    self.exec(
                        what,
                        "INSERT INTO event_actors (event_id, role, actor_key, ord, entity_id, name,
                             norm_name, country, sector, n_reports)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
                        rusqlite::params![
                            event_id,
                            ROLES[side],
                            key,
                            next_ord,
                            actor.entity,
                            actor.name,
                            actor.norm,
                            actor.country,
                            actor.sector,
                        ],
                    )?;
                    next_ord += 1;
                }
            }
        }
        self.exec(
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
            [event_id],
        )?;
        Ok(())
    }
}
