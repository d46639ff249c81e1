//! Queries: filters to SQL, rows to corpus records.

use super::sql;
use crate::normalize::{day_number, normalize_name};
use crate::{
    CorpusEntity, CorpusEvent, EntityFilter, EntityRole, EventActor, EventFilter, EventPlace,
    EventReport, QuoteFilter, Stats, StoreError, StoredQuote, TextSpan,
};
use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::path::Path;

/// A `WHERE` clause under construction with its parameters.
#[derive(Default)]
struct Clause {
    sql: String,
    params: Vec<Value>,
}

impl Clause {
    /// Appends ` AND <cond>`, where each `?` of `cond` takes the next parameter.
    fn and(&mut self, cond: &str, params: impl IntoIterator<Item = Value>) {
        let mut cond = cond.to_string();
        for p in params {
            self.params.push(p);
            let n = self.params.len();
            cond = cond.replacen("?#", &format!("?{n}"), 1);
        }
        self.sql.push_str(" AND ");
        self.sql.push_str(&cond);
    }

    /// The whole query: `select` given the conditions, then ` LIMIT` when set.
    fn finish(
        mut self,
        select: impl FnOnce(&str) -> String,
        limit: Option<u64>,
    ) -> (String, Vec<Value>) {
        let mut query = select(&self.sql);
        if let Some(n) = limit {
            self.params
                .push(Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
            query.push_str(&format!(" LIMIT ?{}", self.params.len()));
        }
        (query, self.params)
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A code (country, sector) as stored: upper case, trimmed.
fn code(s: &str) -> Value {
    Value::Text(s.trim().to_ascii_uppercase())
}

/// A `LIKE` pattern matching names whose normalised form contains `words`.
fn like_words(words: &str) -> Value {
    let norm = normalize_name(words);
    let mut escaped = String::with_capacity(norm.len() + 2);
    escaped.push('%');
    for c in norm.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    Value::Text(escaped)
}

/// An FTS5 query requiring every word of `q`, each quoted so that user text
/// is never FTS syntax.
fn fts_query(q: &str) -> Result<Value, StoreError> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return Err(StoreError::InvalidFilter(format!(
            "search text `{q}` has no words"
        )));
    }
    Ok(Value::Text(words.join(" ")))
}

fn date(what: &str, d: &str) -> Result<Value, StoreError> {
    if day_number(d).is_none() {
        return Err(StoreError::InvalidFilter(format!(
            "{what} `{d}` is not a date (expected YYYY-MM-DD)"
        )));
    }
    Ok(Value::Text(d[..10].to_string()))
}

fn corrupt(path: &Path, message: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        message,
    }
}

fn event_type(path: &Path, s: &str) -> Result<EventType, StoreError> {
    EventType::from_str(s).ok_or_else(|| corrupt(path, format!("unknown event type `{s}`")))
}

fn modality(path: &Path, s: &str) -> Result<Modality, StoreError> {
    Modality::from_str(s).ok_or_else(|| corrupt(path, format!("unknown modality `{s}`")))
}

const ENTITY_WORDS: &str = "(a.norm_name LIKE ?# ESCAPE '\\'
      OR a.entity_id IN (SELECT entity_id FROM entity_aliases WHERE norm_alias LIKE ?# ESCAPE '\\')
      OR a.entity_id IN (SELECT entity_id FROM entities WHERE norm_name LIKE ?# ESCAPE '\\'))";

pub(super) fn visit_events(
    conn: &Connection,
    path: &Path,
    filter: &EventFilter,
    f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut w = Clause::default();
    if !filter.types.is_empty() {
        let marks = vec!["?#"; filter.types.len()].join(", ");
        w.and(
            &format!("ev.type IN ({marks})"),
            filter.types.iter().map(|t| text(t.as_str())),
        );
    }
    if let Some(mode) = &filter.mode {
        w.and("ev.mode = ?#", [text(mode.trim())]);
    }
    for (side, country, sector) in [
        ("source", &filter.source_country, &filter.source_sector),
        ("target", &filter.target_country, &filter.target_sector),
    ] {
        // Country and sector of the same actor.
        let mut cond = format!("EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = ev.event_id AND a.role = '{side}'");
        let mut params = Vec::new();
        if let Some(c) = country {
            cond.push_str(" AND a.country = ?#");
            params.push(code(c));
        }
        if let Some(s) = sector {
            cond.push_str(" AND a.sector = ?#");
            params.push(code(s));
        }
        if !params.is_empty() {
            cond.push(')');
            w.and(&cond, params);
        }
    }
    if let Some(name) = &filter.entity {
        let p = like_words(name);
        w.and(
            &format!(
                "EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = ev.event_id AND {ENTITY_WORDS})"
            ),
            [p.clone(), p.clone(), p],
        );
    }
    if let Some(d) = &filter.date_from {
        w.and("ev.date >= ?#", [date("--from date", d)?]);
    }
    if let Some(d) = &filter.date_to {
        w.and("ev.date <= ?#", [date("--to date", d)?]);
    }
    if let Some(c) = &filter.country {
        w.and("ev.place_country = ?#", [code(c)]);
    }
    if let Some(place) = &filter.place {
        let p = like_words(place);
        w.and(
            "(ev.place_key LIKE ?# ESCAPE '\\' OR lower(ev.place_name) LIKE ?# ESCAPE '\\')",
            [p.clone(), p],
        );
    }
    if let Some(m) = filter.modality {
        w.and("ev.modality = ?#", [text(m.as_str())]);
    }
    if let Some(c) = filter.min_confidence {
        w.and("ev.confidence >= ?#", [Value::Real(f64::from(c))]);
    }
    if let Some(n) = filter.min_sources {
        w.and("ev.n_sources >= ?#", [Value::Integer(i64::from(n))]);
    }
    if let Some(q) = &filter.text {
        w.and(
            "EXISTS (SELECT 1 FROM event_reports r WHERE r.event_id = ev.event_id AND r.doc_key IN
               (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?#))",
            [fts_query(q)?],
        );
    }
    let (query, params) = w.finish(
        |cond| {
            format!(
                "SELECT event_id, type, mode, context, modality, date, place_name, place_country, lat, lon,
                confidence, n_reports, n_documents, n_sources, first_report, last_report
         FROM events ev WHERE 1 = 1{cond} ORDER BY ev.date IS NULL, ev.date, ev.event_id"
            )
        },
        filter.limit,
    );

    let what = "querying events";
    let mut stmt = sql(path, what, conn.prepare(&query))?;
    let mut rows = sql(
        path,
        what,
        stmt.query(rusqlite::params_from_iter(params.iter())),
    )?;
    while let Some(row) = sql(path, what, rows.next())? {
        let id: i64 = sql(path, what, row.get(0))?;
        let type_text: String = sql(path, what, row.get(1))?;
        let context: String = sql(path, what, row.get(3))?;
        let modality_text: String = sql(path, what, row.get(4))?;
        let place_name: Option<String> = sql(path, what, row.get(6))?;
        let event = CorpusEvent {
            id,
            date: sql(path, what, row.get(5))?,
            event_type: event_type(path, &type_text)?,
            mode: sql(path, what, row.get(2))?,
            context: serde_json::from_str(&context).unwrap_or_default(),
            modality: modality(path, &modality_text)?,
            source: Vec::new(),
            target: Vec::new(),
            location: match place_name {
                Some(name) => Some(EventPlace {
                    name,
                    country: sql(path, what, row.get(7))?,
                    lat: sql(path, what, row.get(8))?,
                    lon: sql(path, what, row.get(9))?,
                }),
                None => None,
            },
            confidence: sql(path, what, row.get::<_, f64>(10))? as f32,
            n_reports: sql(path, what, row.get(11))?,
            n_documents: sql(path, what, row.get(12))?,
            n_sources: sql(path, what, row.get(13))?,
            first_report: sql(path, what, row.get(14))?,
            last_report: sql(path, what, row.get(15))?,
            reports: Vec::new(),
        };
        f(complete_event(conn, path, event)?)?;
    }
    Ok(())
}

/// Adds an event's actors and reports.
fn complete_event(
    conn: &Connection,
    path: &Path,
    mut event: CorpusEvent,
) -> Result<CorpusEvent, StoreError> {
    let what = "reading event actors";
    let mut stmt = sql(
        path,
        what,
        conn.prepare_cached(
            "SELECT role, entity_id, name, country, sector, n_reports FROM event_actors
             WHERE event_id = ?1 ORDER BY role, n_reports DESC, ord",
        ),
    )?;
    let rows = sql(
        path,
        what,
        stmt.query_map([event.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                EventActor {
                    entity: r.get(1)?,
                    name: r.get(2)?,
                    country: r.get(3)?,
                    sector: r.get(4)?,
                    n_reports: r.get(5)?,
                },
            ))
        }),
    )?;
    for row in rows {
        let (role, actor) = sql(path, what, row)?;
        if role == "source" {
            event.source.push(actor);
        } else {
            event.target.push(actor);
        }
    }
    let what = "reading event reports";
    let mut stmt = sql(
        path,
        what,
        conn.prepare_cached(
            "SELECT d.id, d.source, d.url, d.published, r.date, r.trigger_start, r.trigger_end,
                    r.trigger_text, r.sentence_start, r.sentence_end,
                    substr(d.text, r.sentence_start + 1, r.sentence_end - r.sentence_start),
                    r.modality, r.confidence, r.rule
             FROM event_reports r JOIN documents d ON d.doc_key = r.doc_key
             WHERE r.event_id = ?1 ORDER BY d.published IS NULL, d.published, r.report_key",
        ),
    )?;
    let rows = sql(
        path,
        what,
        stmt.query_map([event.id], |r| {
            Ok((
                EventReport {
                    document: r.get(0)?,
                    source: r.get(1)?,
                    url: r.get(2)?,
                    published: r.get(3)?,
                    date: r.get(4)?,
                    trigger: TextSpan {
                        start: r.get(5)?,
                        end: r.get(6)?,
                        text: r.get(7)?,
                    },
                    sentence: TextSpan {
                        start: r.get(8)?,
                        end: r.get(9)?,
                        text: r.get(10)?,
                    },
                    modality: Modality::Asserted,
                    confidence: r.get::<_, f64>(12)? as f32,
                    rule: r.get(13)?,
                },
                r.get::<_, String>(11)?,
            ))
        }),
    )?;
    for row in rows {
        let (mut report, modality_text) = sql(path, what, row)?;
        report.modality = modality(path, &modality_text)?;
        event.reports.push(report);
    }
    Ok(event)
}

pub(super) fn visit_entities(
    conn: &Connection,
    path: &Path,
    filter: &EntityFilter,
    f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut w = Clause::default();
    if let Some(name) = &filter.name {
        let p = like_words(name);
        w.and(
            "(en.norm_name LIKE ?# ESCAPE '\\' OR EXISTS (SELECT 1 FROM entity_aliases al
               WHERE al.entity_id = en.entity_id AND al.norm_alias LIKE ?# ESCAPE '\\'))",
            [p.clone(), p],
        );
    }
    if let Some(t) = filter.entity_type {
        w.and("en.type = ?#", [text(t.as_str())]);
    }
    if let Some(c) = &filter.country {
        w.and("en.country = ?#", [code(c)]);
    }
    if let Some(s) = &filter.sector {
        w.and("en.sector = ?#", [code(s)]);
    }
    if let Some(role) = &filter.role {
        w.and(
            "EXISTS (SELECT 1 FROM entity_roles ro WHERE ro.entity_id = en.entity_id
               AND ro.norm_role LIKE ?# ESCAPE '\\')",
            [like_words(role)],
        );
    }
    if let Some(n) = filter.min_documents {
        w.and("en.n_documents >= ?#", [Value::Integer(i64::from(n))]);
    }
    let (query, params) = w.finish(
        |cond| {
            format!(
                "SELECT entity_id, name, type, country, sector, n_mentions, n_documents, first_seen, last_seen
         FROM entities en WHERE 1 = 1{cond}
         ORDER BY en.n_documents DESC, en.n_mentions DESC, en.entity_id"
            )
        },
        filter.limit,
    );

    let what = "querying entities";
    let mut stmt = sql(path, what, conn.prepare(&query))?;
    let mut rows = sql(
        path,
        what,
        stmt.query(rusqlite::params_from_iter(params.iter())),
    )?;
    while let Some(row) = sql(path, what, rows.next())? {
        let type_text: String = sql(path, what, row.get(2))?;
        let mut entity = CorpusEntity {
            id: sql(path, what, row.get(0))?,
            name: sql(path, what, row.get(1))?,
            entity_type: EntityType::from_str(&type_text)
                .ok_or_else(|| corrupt(path, format!("unknown entity type `{type_text}`")))?,
            country: sql(path, what, row.get(3))?,
            sector: sql(path, what, row.get(4))?,
            aliases: Vec::new(),
            roles: Vec::new(),
            n_mentions: sql(path, what, row.get(5))?,
            n_documents: sql(path, what, row.get(6))?,
            first_seen: sql(path, what, row.get(7))?,
            last_seen: sql(path, what, row.get(8))?,
        };
        let mut aliases = sql(
            path,
            what,
            conn.prepare_cached(
                "SELECT alias FROM entity_aliases WHERE entity_id = ?1
                 ORDER BY n_mentions DESC, alias",
            ),
        )?;
        entity.aliases = sql(
            path,
            what,
            aliases
                .query_map([entity.id], |r| r.get(0))
                .and_then(|rows| rows.collect()),
        )?;
        let mut roles = sql(
            path,
            what,
            conn.prepare_cached(
                "SELECT role, first_seen, last_seen, n_documents FROM entity_roles
                 WHERE entity_id = ?1 ORDER BY first_seen IS NULL, first_seen, role",
            ),
        )?;
        entity.roles = sql(
            path,
            what,
            roles
                .query_map([entity.id], |r| {
                    Ok(EntityRole {
                        role: r.get(0)?,
                        first_seen: r.get(1)?,
                        last_seen: r.get(2)?,
                        n_documents: r.get(3)?,
                    })
                })
                .and_then(|rows| rows.collect()),
        )?;
        f(entity)?;
    }
    Ok(())
}

pub(super) fn visit_quotes(
    conn: &Connection,
    path: &Path,
    filter: &QuoteFilter,
    f: &mut dyn FnMut(StoredQuote) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut w = Clause::default();
    if let Some(name) = &filter.speaker {
        let p = like_words(name);
        w.and(
            "(q.speaker_entity IN (SELECT entity_id FROM entity_aliases WHERE norm_alias LIKE ?# ESCAPE '\\')
              OR q.speaker_entity IN (SELECT entity_id FROM entities WHERE norm_name LIKE ?# ESCAPE '\\'))",
            [p.clone(), p],
        );
    }
    if let Some(q) = &filter.text {
        w.and(
            "q.quote_key IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?#)",
            [fts_query(q)?],
        );
    }
    if let Some(k) = filter.kind {
        w.and("q.kind = ?#", [text(k.as_str())]);
    }
    if let Some(d) = &filter.date_from {
        w.and("d.pub_date >= ?#", [date("--from date", d)?]);
    }
    if let Some(d) = &filter.date_to {
        w.and("d.pub_date <= ?#", [date("--to date", d)?]);
    }
    if let Some(s) = &filter.source {
        w.and("d.source = ?# COLLATE NOCASE", [text(s.trim())]);
    }
    let (query, params) = w.finish(
        |cond| {
            format!(
                "SELECT d.id, d.source, d.published, q.start, q.end, q.text, q.kind, q.speaker_entity,
                coalesce(en.name, q.speaker_name), q.cue
         FROM quotes q JOIN documents d ON d.doc_key = q.doc_key
              LEFT JOIN entities en ON en.entity_id = q.speaker_entity
         WHERE 1 = 1{cond}
         ORDER BY d.pub_date IS NULL, d.pub_date, d.doc_key, q.start"
            )
        },
        filter.limit,
    );

    let what = "querying quotes";
    let mut stmt = sql(path, what, conn.prepare(&query))?;
    let mut rows = sql(
        path,
        what,
        stmt.query(rusqlite::params_from_iter(params.iter())),
    )?;
    while let Some(row) = sql(path, what, rows.next())? {
        let kind_text: String = sql(path, what, row.get(6))?;
        f(StoredQuote {
            document: sql(path, what, row.get(0))?,
            source: sql(path, what, row.get(1))?,
            published: sql(path, what, row.get(2))?,
            start: sql(path, what, row.get(3))?,
            end: sql(path, what, row.get(4))?,
            text: sql(path, what, row.get(5))?,
            kind: QuoteKind::from_str(&kind_text)
                .ok_or_else(|| corrupt(path, format!("unknown quote kind `{kind_text}`")))?,
            speaker: sql(path, what, row.get(7))?,
            speaker_name: sql(path, what, row.get(8))?,
            cue: sql(path, what, row.get(9))?,
        })?;
    }
    Ok(())
}

pub(super) fn stats(conn: &Connection, path: &Path) -> Result<Stats, StoreError> {
    let what = "counting";
    let count = |query: &str| -> Result<u64, StoreError> {
        let n: i64 = sql(path, what, conn.query_row(query, [], |r| r.get(0)))?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let (first_published, last_published): (Option<String>, Option<String>) = sql(
        path,
        what,
        conn.query_row(
            "SELECT MIN(published), MAX(published) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
    )?;
    let mut by_type = sql(
        path,
        what,
        conn.prepare(
            "SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY COUNT(*) DESC, type",
        ),
    )?;
    let rows: Vec<(String, i64)> = sql(
        path,
        what,
        by_type
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect()),
    )?;
    let mut events_by_type = Vec::with_capacity(rows.len());
    for (t, n) in rows {
        events_by_type.push((event_type(path, &t)?, u64::try_from(n).unwrap_or(0)));
    }
    let pages =
        count("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")?;
    Ok(Stats {
        backend: "sqlite".to_string(),
        schema_version: 0,
        documents: count("SELECT COUNT(*) FROM documents")?,
        sources: count("SELECT COUNT(DISTINCT source) FROM documents")?,
        first_published,
        last_published,
        entities: count("SELECT COUNT(*) FROM entities")?,
        mentions: count("SELECT COUNT(*) FROM mentions")?,
        times: count("SELECT COUNT(*) FROM times")?,
        quotes: count("SELECT COUNT(*) FROM quotes")?,
        events: count("SELECT COUNT(*) FROM events")?,
        event_reports: count("SELECT COUNT(*) FROM event_reports")?,
        events_by_type,
        size_bytes: Some(pages),
    })
}
