//! Queries: filters to SQL, rows to corpus records.

use super::sql;
use crate::normalize::{day_number, normalize_name};
use crate::{
    ActorPair, CorpusEntity, CorpusEvent, DocumentHit, DocumentHits, DocumentLinks, EntityFilter,
    EntityRole, EventActor, EventCount, EventFilter, EventPlace, EventReport, EventSort, PairActor,
    QuoteFilter, Stats, StoreError, StoredQuote, TextSpan,
};
use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
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

    /// The whole query: `select` given the conditions, then ` LIMIT` and
    /// ` OFFSET` when set.
    fn finish(
        mut self,
        select: impl FnOnce(&str) -> String,
        limit: Option<u64>,
        offset: Option<u64>,
    ) -> (String, Vec<Value>) {
        let mut query = select(&self.sql);
        let as_int = |n: u64| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        if limit.is_some() || offset.is_some_and(|o| o > 0) {
            // SQLite: no OFFSET without LIMIT; -1 is "no limit".
            self.params.push(limit.map_or(Value::Integer(-1), as_int));
            query.push_str(&format!(" LIMIT ?{}", self.params.len()));
        }
        if let Some(o) = offset.filter(|&o| o > 0) {
            self.params.push(as_int(o));
            query.push_str(&format!(" OFFSET ?{}", self.params.len()));
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

/// The conditions of an event filter, over `events ev`.
fn event_where(filter: &EventFilter) -> Result<Clause, StoreError> {
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
        // Country and sector of the same actor. An uncorrelated `IN` (one
        // index scan) rather than a correlated `EXISTS`, which SQLite may run
        // as a scan of the country index per event.
        let mut cond = format!(
            "ev.event_id IN (SELECT a.event_id FROM event_actors a WHERE a.role = '{side}'"
        );
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
            &format!("ev.event_id IN (SELECT a.event_id FROM event_actors a WHERE {ENTITY_WORDS})"),
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
            "ev.event_id IN (SELECT r.event_id FROM event_reports r WHERE r.doc_key IN
               (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?#))",
            [fts_query(q)?],
        );
    }
    if let Some(id) = filter.entity_id {
        w.and(
            "ev.event_id IN (SELECT event_id FROM event_actors WHERE entity_id = ?#)",
            [Value::Integer(id)],
        );
    }
    Ok(w)
}

/// `ORDER BY` of an event sort; ties by id.
fn event_order(sort: EventSort) -> &'static str {
    match sort {
        EventSort::Date => "ev.date IS NULL, ev.date, ev.event_id",
        EventSort::DateDesc => "ev.date IS NULL, ev.date DESC, ev.event_id DESC",
        EventSort::Confidence => "ev.confidence DESC, ev.event_id",
        EventSort::Reports => "ev.n_reports DESC, ev.event_id",
        EventSort::Sources => "ev.n_sources DESC, ev.n_reports DESC, ev.event_id",
    }
}

const EVENT_COLUMNS: &str =
    "event_id, type, mode, context, modality, date, place_name, place_country, lat, lon,
     confidence, n_reports, n_documents, n_sources, first_report, last_report";

pub(super) fn visit_events(
    conn: &Connection,
    path: &Path,
    filter: &EventFilter,
    f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let w = event_where(filter)?;
    let order = event_order(filter.sort);
    let (query, params) = w.finish(
        |cond| format!("SELECT {EVENT_COLUMNS} FROM events ev WHERE 1 = 1{cond} ORDER BY {order}"),
        filter.limit,
        filter.offset,
    );
    visit_event_rows(conn, path, &query, &params, f)
}

/// The corpus event with this id.
pub(super) fn event(
    conn: &Connection,
    path: &Path,
    id: i64,
) -> Result<Option<CorpusEvent>, StoreError> {
    let mut found = None;
    visit_event_rows(
        conn,
        path,
        &format!("SELECT {EVENT_COLUMNS} FROM events ev WHERE ev.event_id = ?1"),
        &[Value::Integer(id)],
        &mut |e| {
            found = Some(e);
            Ok(())
        },
    )?;
    Ok(found)
}

/// How many corpus events match (ignoring limit and offset).
pub(super) fn count_events(
    conn: &Connection,
    path: &Path,
    filter: &EventFilter,
) -> Result<u64, StoreError> {
    let (query, params) = event_where(filter)?.finish(
        |cond| format!("SELECT COUNT(*) FROM events ev WHERE 1 = 1{cond}"),
        None,
        None,
    );
    count_rows(conn, path, "counting events", &query, &params)
}

fn count_rows(
    conn: &Connection,
    path: &Path,
    what: &str,
    query: &str,
    params: &[Value],
) -> Result<u64, StoreError> {
    let mut stmt = sql(path, what, conn.prepare(query))?;
    let n: i64 = sql(
        path,
        what,
        stmt.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0)),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Matching events per date and type (ignoring limit, offset and sort).
pub(super) fn event_counts(
    conn: &Connection,
    path: &Path,
    filter: &EventFilter,
) -> Result<Vec<EventCount>, StoreError> {
    let (query, params) = event_where(filter)?.finish(
        |cond| {
            format!(
                "SELECT ev.date, ev.type, COUNT(*) FROM events ev WHERE 1 = 1{cond}
                 GROUP BY ev.date, ev.type ORDER BY ev.date IS NULL, ev.date, ev.type"
            )
        },
        None,
        None,
    );
    let what = "counting events by date";
    let mut stmt = sql(path, what, conn.prepare(&query))?;
    let rows: Vec<(Option<String>, String, i64)> = sql(
        path,
        what,
        stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .and_then(|rows| rows.collect()),
    )?;
    rows.into_iter()
        .map(|(date, t, n)| {
            Ok(EventCount {
                date,
                event_type: event_type(path, &t)?,
                count: u64::try_from(n).unwrap_or(0),
            })
        })
        .collect()
}

/// Matching events per (source actor, target actor, type).
pub(super) fn actor_pairs(
    conn: &Connection,
    path: &Path,
    filter: &EventFilter,
) -> Result<Vec<ActorPair>, StoreError> {
    let (query, params) = event_where(filter)?.finish(
        |cond| {
            format!(
                "SELECT s.entity_id, coalesce(se.name, s.name), s.country, s.sector,
                        t.entity_id, coalesce(te.name, t.name), t.country, t.sector,
                        ev.type, COUNT(DISTINCT ev.event_id)
                 FROM events ev
                 JOIN event_actors s ON s.event_id = ev.event_id AND s.role = 'source'
                 JOIN event_actors t ON t.event_id = ev.event_id AND t.role = 'target'
                 LEFT JOIN entities se ON se.entity_id = s.entity_id
                 LEFT JOIN entities te ON te.entity_id = t.entity_id
                 WHERE 1 = 1{cond}
                 GROUP BY s.actor_key, t.actor_key, ev.type
                 ORDER BY COUNT(DISTINCT ev.event_id) DESC, s.actor_key, t.actor_key, ev.type"
            )
        },
        None,
        None,
    );
    let what = "counting actor pairs";
    let mut stmt = sql(path, what, conn.prepare(&query))?;
    let mut rows = sql(
        path,
        what,
        stmt.query(rusqlite::params_from_iter(params.iter())),
    )?;
    let mut out = Vec::new();
    while let Some(r) = sql(path, what, rows.next())? {
        let actor = |at: usize| -> rusqlite::Result<PairActor> {
            Ok(PairActor {
                entity: r.get(at)?,
                name: r.get(at + 1)?,
                country: r.get(at + 2)?,
                sector: r.get(at + 3)?,
            })
        };
        let source = sql(path, what, actor(0))?;
        let target = sql(path, what, actor(4))?;
        let t: String = sql(path, what, r.get(8))?;
        let n: i64 = sql(path, what, r.get(9))?;
        out.push(ActorPair {
            source,
            target,
            event_type: event_type(path, &t)?,
            count: u64::try_from(n).unwrap_or(0),
        });
    }
    Ok(out)
}

fn visit_event_rows(
    conn: &Connection,
    path: &Path,
    query: &str,
    params: &[Value],
    f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let what = "querying events";
    let mut stmt = sql(path, what, conn.prepare_cached(query))?;
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

fn entity_where(filter: &EntityFilter) -> Clause {
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
    w
}

/// How many corpus entities match (ignoring limit and offset).
pub(super) fn count_entities(
    conn: &Connection,
    path: &Path,
    filter: &EntityFilter,
) -> Result<u64, StoreError> {
    let (query, params) = entity_where(filter).finish(
        |cond| format!("SELECT COUNT(*) FROM entities en WHERE 1 = 1{cond}"),
        None,
        None,
    );
    count_rows(conn, path, "counting entities", &query, &params)
}

/// The corpus entity with this id.
pub(super) fn entity(
    conn: &Connection,
    path: &Path,
    id: i64,
) -> Result<Option<CorpusEntity>, StoreError> {
    let mut w = Clause::default();
    w.and("en.entity_id = ?#", [Value::Integer(id)]);
    let mut found = None;
    visit_entity_rows(conn, path, w, None, None, &mut |e| {
        found = Some(e);
        Ok(())
    })?;
    Ok(found)
}

pub(super) fn visit_entities(
    conn: &Connection,
    path: &Path,
    filter: &EntityFilter,
    f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let w = entity_where(filter);
    visit_entity_rows(conn, path, w, filter.limit, filter.offset, f)
}

fn visit_entity_rows(
    conn: &Connection,
    path: &Path,
    w: Clause,
    limit: Option<u64>,
    offset: Option<u64>,
    f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (query, params) = w.finish(
        |cond| {
            format!(
                "SELECT entity_id, name, type, country, sector, n_mentions, n_documents, first_seen, last_seen
         FROM entities en WHERE 1 = 1{cond}
         ORDER BY en.n_documents DESC, en.n_mentions DESC, en.entity_id"
            )
        },
        limit,
        offset,
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

fn quote_where(filter: &QuoteFilter) -> Result<Clause, StoreError> {
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
    if let Some(id) = filter.speaker_id {
        w.and("q.speaker_entity = ?#", [Value::Integer(id)]);
    }
    Ok(w)
}

/// How many quotes match (ignoring limit and offset).
pub(super) fn count_quotes(
    conn: &Connection,
    path: &Path,
    filter: &QuoteFilter,
) -> Result<u64, StoreError> {
    let (query, params) = quote_where(filter)?.finish(
        |cond| {
            format!(
                "SELECT COUNT(*) FROM quotes q JOIN documents d ON d.doc_key = q.doc_key WHERE 1 = 1{cond}"
            )
        },
        None,
        None,
    );
    count_rows(conn, path, "counting quotes", &query, &params)
}

pub(super) fn visit_quotes(
    conn: &Connection,
    path: &Path,
    filter: &QuoteFilter,
    f: &mut dyn FnMut(StoredQuote) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let w = quote_where(filter)?;
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
        filter.offset,
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

/// Documents whose title or text contain every word of `q`, best match first.
pub(super) fn search_documents(
    conn: &Connection,
    path: &Path,
    q: &str,
    limit: u64,
    offset: u64,
) -> Result<DocumentHits, StoreError> {
    let fts = fts_query(q)?;
    let what = "searching documents";
    let total: i64 = sql(
        path,
        what,
        conn.query_row(
            "SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?1",
            [&fts],
            |r| r.get(0),
        ),
    )?;
    let mut stmt = sql(
        path,
        what,
        conn.prepare_cached(
            "SELECT d.id, d.title, d.published, d.source, d.url, d.text
             FROM documents_fts f JOIN documents d ON d.doc_key = f.rowid
             WHERE documents_fts MATCH ?1
             ORDER BY f.rank, d.doc_key LIMIT ?2 OFFSET ?3",
        ),
    )?;
    let as_int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let hits = sql(
        path,
        what,
        stmt.query_map(
            rusqlite::params![&fts, as_int(limit), as_int(offset)],
            |r| {
                let text: String = r.get(5)?;
                Ok(DocumentHit {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    published: r.get(2)?,
                    source: r.get(3)?,
                    url: r.get(4)?,
                    snippet: snippet(&text, &words),
                })
            },
        )
        .and_then(|rows| rows.collect()),
    )?;
    Ok(DocumentHits {
        total: u64::try_from(total).unwrap_or(0),
        hits,
    })
}

/// About 200 characters of `text` around the first of `words` it contains
/// (lower-cased comparison), cut at spaces, with `…` where cut.
fn snippet(text: &str, words: &[String]) -> String {
    const BEFORE: usize = 80;
    const AFTER: usize = 120;
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths; map back by character index.
    let at_char = words
        .iter()
        .filter_map(|w| lower.find(w.as_str()))
        .min()
        .map_or(0, |b| lower[..b].chars().count());
    let chars: Vec<char> = text.chars().collect();
    let mut start = at_char.saturating_sub(BEFORE);
    let mut end = (at_char + AFTER).min(chars.len());
    while start > 0 && start < at_char && !chars[start - 1].is_whitespace() {
        start += 1;
    }
    while end < chars.len() && end > at_char && !chars[end].is_whitespace() {
        end -= 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let body: String = chars[start..end].iter().collect();
    out.push_str(&body.split_whitespace().collect::<Vec<_>>().join(" "));
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// How a stored document's entities and events map to corpus ones; `None`
/// when there is no such document.
pub(super) fn document_links(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<DocumentLinks>, StoreError> {
    let what = "reading document links";
    let key: Option<i64> = sql(
        path,
        what,
        conn.query_row("SELECT doc_key FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional(),
    )?;
    let Some(key) = key else {
        return Ok(None);
    };
    let pairs = |query: &str| -> Result<Vec<(u32, i64)>, StoreError> {
        let mut stmt = sql(path, what, conn.prepare_cached(query))?;
        sql(
            path,
            what,
            stmt.query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect()),
        )
    };
    Ok(Some(DocumentLinks {
        entities: pairs("SELECT idx, entity_id FROM doc_entities WHERE doc_key = ?1 ORDER BY idx")?,
        events: pairs("SELECT idx, event_id FROM event_reports WHERE doc_key = ?1 ORDER BY idx")?,
    }))
}
