//! Queries, once for every backend: filters to SQL, rows to corpus records.
//! The SQL is the shared dialect of [`crate::sql`]; full-text search and
//! case-insensitive comparison are asked of the [`Db`].

use crate::normalize::{day_number, normalize_name};
use crate::sql::{params, Db, FtsTable, Param as Value};
use crate::{
    ActorPair, CorpusEntity, CorpusEvent, DocumentHit, DocumentHits, DocumentLinks, EntityFilter,
    EntityRole, EventActor, EventCount, EventFilter, EventPlace, EventReport, EventSort, PairActor,
    QuoteFilter, Stats, StoreError, StoredQuote, TextSpan,
};
use newsgraph_core::records::{EntityType, EventType, Modality, QuoteKind};

/// The methods of [`crate::Store`] that every backend implements the same
/// way, with the shared SQL on `self.db()` (a [`Db`]) and
/// `self.schema_version()`: all but `backend` and `put_documents`.
macro_rules! shared_store_methods {
    () => {
        fn find_duplicate(
            &self,
            key: &$crate::DocKey<'_>,
        ) -> Result<Option<$crate::Duplicate>, StoreError> {
            $crate::merge::find_duplicate(&self.db(), key)
        }

        fn document_json(&self, id: &str) -> Result<Option<String>, StoreError> {
            $crate::merge::read_document_json(&self.db(), id)
        }

        fn visit_events(
            &self,
            filter: &$crate::EventFilter,
            f: &mut dyn FnMut($crate::CorpusEvent) -> Result<(), StoreError>,
        ) -> Result<(), StoreError> {
            $crate::query::visit_events(&self.db(), filter, f)
        }

        fn visit_entities(
            &self,
            filter: &$crate::EntityFilter,
            f: &mut dyn FnMut($crate::CorpusEntity) -> Result<(), StoreError>,
        ) -> Result<(), StoreError> {
            $crate::query::visit_entities(&self.db(), filter, f)
        }

        fn visit_quotes(
            &self,
            filter: &$crate::QuoteFilter,
            f: &mut dyn FnMut($crate::StoredQuote) -> Result<(), StoreError>,
        ) -> Result<(), StoreError> {
            $crate::query::visit_quotes(&self.db(), filter, f)
        }

        fn stats(&self) -> Result<$crate::Stats, StoreError> {
            let mut stats = $crate::query::stats(&self.db())?;
            stats.schema_version = self.schema_version()?;
            Ok(stats)
        }

        fn event(&self, id: i64) -> Result<Option<$crate::CorpusEvent>, StoreError> {
            $crate::query::event(&self.db(), id)
        }

        fn entity(&self, id: i64) -> Result<Option<$crate::CorpusEntity>, StoreError> {
            $crate::query::entity(&self.db(), id)
        }

        fn count_events(&self, filter: &$crate::EventFilter) -> Result<u64, StoreError> {
            $crate::query::count_events(&self.db(), filter)
        }

        fn count_entities(&self, filter: &$crate::EntityFilter) -> Result<u64, StoreError> {
            $crate::query::count_entities(&self.db(), filter)
        }

        fn count_quotes(&self, filter: &$crate::QuoteFilter) -> Result<u64, StoreError> {
            $crate::query::count_quotes(&self.db(), filter)
        }

        fn event_counts(
            &self,
            filter: &$crate::EventFilter,
        ) -> Result<Vec<$crate::EventCount>, StoreError> {
            $crate::query::event_counts(&self.db(), filter)
        }

        fn actor_pairs(
            &self,
            filter: &$crate::EventFilter,
        ) -> Result<Vec<$crate::ActorPair>, StoreError> {
            $crate::query::actor_pairs(&self.db(), filter)
        }

        fn search_documents(
            &self,
            q: &str,
            limit: u64,
            offset: u64,
        ) -> Result<$crate::DocumentHits, StoreError> {
            $crate::query::search_documents(&self.db(), q, limit, offset)
        }

        fn document_links(&self, id: &str) -> Result<Option<$crate::DocumentLinks>, StoreError> {
            $crate::query::document_links(&self.db(), id)
        }
    };
}
pub(crate) use shared_store_methods;

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
        let as_int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        if limit.is_some() || offset.is_some_and(|o| o > 0) {
            // SQLite has no OFFSET without LIMIT; the largest one is "no limit" on both backends.
            self.params.push(limit.map_or(Value::Int(i64::MAX), as_int));
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

/// The full-text parameter requiring every word of `q` (runs of
/// alphanumeric characters: user text is never search syntax).
fn fts_query(db: &dyn Db, q: &str) -> Result<Value, StoreError> {
    let words: Vec<&str> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err(StoreError::InvalidFilter(format!(
            "search text `{q}` has no words"
        )));
    }
    Ok(db.fts_param(&words))
}

fn date(what: &str, d: &str) -> Result<Value, StoreError> {
    if day_number(d).is_none() {
        return Err(StoreError::InvalidFilter(format!(
            "{what} `{d}` is not a date (expected YYYY-MM-DD)"
        )));
    }
    Ok(Value::Text(d[..10].to_string()))
}

fn corrupt(db: &dyn Db, message: String) -> StoreError {
    StoreError::Corrupt {
        path: db.location(),
        message,
    }
}

fn event_type(db: &dyn Db, s: &str) -> Result<EventType, StoreError> {
    EventType::from_str(s).ok_or_else(|| corrupt(db, format!("unknown event type `{s}`")))
}

fn modality(db: &dyn Db, s: &str) -> Result<Modality, StoreError> {
    Modality::from_str(s).ok_or_else(|| corrupt(db, format!("unknown modality `{s}`")))
}

const ENTITY_WORDS: &str = "(a.norm_name LIKE ?# ESCAPE '\\'
      OR a.entity_id IN (SELECT entity_id FROM entity_aliases WHERE norm_alias LIKE ?# ESCAPE '\\')
      OR a.entity_id IN (SELECT entity_id FROM entities WHERE norm_name LIKE ?# ESCAPE '\\'))";

/// The conditions of an event filter, over `events ev`.
fn event_where(db: &dyn Db, filter: &EventFilter) -> Result<Clause, StoreError> {
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
        w.and("ev.n_sources >= ?#", [Value::Int(i64::from(n))]);
    }
    if let Some(q) = &filter.text {
        w.and(
            &format!(
                "ev.event_id IN (SELECT r.event_id FROM event_reports r WHERE {})",
                db.fts_condition(FtsTable::Documents, "r.doc_key")
            ),
            [fts_query(db, q)?],
        );
    }
    if let Some(id) = filter.entity_id {
        w.and(
            "ev.event_id IN (SELECT event_id FROM event_actors WHERE entity_id = ?#)",
            [Value::Int(id)],
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

pub(crate) fn visit_events(
    db: &dyn Db,
    filter: &EventFilter,
    f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let w = event_where(db, filter)?;
    let order = event_order(filter.sort);
    let (query, params) = w.finish(
        |cond| format!("SELECT {EVENT_COLUMNS} FROM events ev WHERE 1 = 1{cond} ORDER BY {order}"),
        filter.limit,
        filter.offset,
    );
    visit_event_rows(db, &query, &params, f)
}

/// The corpus event with this id.
pub(crate) fn event(db: &dyn Db, id: i64) -> Result<Option<CorpusEvent>, StoreError> {
    let mut found = None;
    visit_event_rows(
        db,
        &format!("SELECT {EVENT_COLUMNS} FROM events ev WHERE ev.event_id = ?1"),
        params![id],
        &mut |e| {
            found = Some(e);
            Ok(())
        },
    )?;
    Ok(found)
}

/// How many corpus events match (ignoring limit and offset).
pub(crate) fn count_events(db: &dyn Db, filter: &EventFilter) -> Result<u64, StoreError> {
    let (query, params) = event_where(db, filter)?.finish(
        |cond| format!("SELECT COUNT(*) FROM events ev WHERE 1 = 1{cond}"),
        None,
        None,
    );
    Ok(u64::try_from(db.int("counting events", &query, &params)?).unwrap_or(0))
}

/// Matching events per date and type (ignoring limit, offset and sort).
pub(crate) fn event_counts(
    db: &dyn Db,
    filter: &EventFilter,
) -> Result<Vec<EventCount>, StoreError> {
    let (query, params) = event_where(db, filter)?.finish(
        |cond| {
            format!(
                "SELECT ev.date, ev.type, COUNT(*) FROM events ev WHERE 1 = 1{cond}
                 GROUP BY ev.date, ev.type ORDER BY ev.date IS NULL, ev.date, ev.type"
            )
        },
        None,
        None,
    );
    db.rows("counting events by date", &query, &params)?
        .into_iter()
        .map(|r| {
            Ok(EventCount {
                date: r.opt_text(0)?,
                event_type: event_type(db, &r.text(1)?)?,
                count: u64::try_from(r.int(2)?).unwrap_or(0),
            })
        })
        .collect()
}

/// Matching events per (source actor, target actor, type). Of an actor
/// key's names, countries and sectors, the smallest is shown.
pub(crate) fn actor_pairs(db: &dyn Db, filter: &EventFilter) -> Result<Vec<ActorPair>, StoreError> {
    let (query, params) = event_where(db, filter)?.finish(
        |cond| {
            format!(
                "SELECT MIN(s.entity_id), MIN(coalesce(se.name, s.name)), MIN(s.country), MIN(s.sector),
                        MIN(t.entity_id), MIN(coalesce(te.name, t.name)), MIN(t.country), MIN(t.sector),
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
    let mut out = Vec::new();
    for r in db.rows("counting actor pairs", &query, &params)? {
        let actor = |at: usize| -> Result<PairActor, StoreError> {
            Ok(PairActor {
                entity: r.opt_int(at)?,
                name: r.text(at + 1)?,
                country: r.opt_text(at + 2)?,
                sector: r.opt_text(at + 3)?,
            })
        };
        out.push(ActorPair {
            source: actor(0)?,
            target: actor(4)?,
            event_type: event_type(db, &r.text(8)?)?,
            count: u64::try_from(r.int(9)?).unwrap_or(0),
        });
    }
    Ok(out)
}

fn visit_event_rows(
    db: &dyn Db,
    query: &str,
    params: &[Value],
    f: &mut dyn FnMut(CorpusEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for row in db.rows("querying events", query, params)? {
        let place_name = row.opt_text(6)?;
        let event = CorpusEvent {
            id: row.int(0)?,
            date: row.opt_text(5)?,
            event_type: event_type(db, &row.text(1)?)?,
            mode: row.text(2)?,
            context: serde_json::from_str(&row.text(3)?).unwrap_or_default(),
            modality: modality(db, &row.text(4)?)?,
            source: Vec::new(),
            target: Vec::new(),
            location: match place_name {
                Some(name) => Some(EventPlace {
                    name,
                    country: row.opt_text(7)?,
                    lat: row.opt_real(8)?,
                    lon: row.opt_real(9)?,
                }),
                None => None,
            },
            confidence: row.real(10)? as f32,
            n_reports: row.u32(11)?,
            n_documents: row.u32(12)?,
            n_sources: row.u32(13)?,
            first_report: row.opt_text(14)?,
            last_report: row.opt_text(15)?,
            reports: Vec::new(),
        };
        f(complete_event(db, event)?)?;
    }
    Ok(())
}

/// Adds an event's actors and reports.
fn complete_event(db: &dyn Db, mut event: CorpusEvent) -> Result<CorpusEvent, StoreError> {
    for row in db.rows(
        "reading event actors",
        "SELECT role, entity_id, name, country, sector, n_reports FROM event_actors
         WHERE event_id = ?1 ORDER BY role, n_reports DESC, ord",
        params![event.id],
    )? {
        let actor = EventActor {
            entity: row.opt_int(1)?,
            name: row.text(2)?,
            country: row.opt_text(3)?,
            sector: row.opt_text(4)?,
            n_reports: row.u32(5)?,
        };
        if row.text(0)? == "source" {
            event.source.push(actor);
        } else {
            event.target.push(actor);
        }
    }
    for row in db.rows(
        "reading event reports",
        "SELECT d.id, d.source, d.url, d.published, r.date, r.trigger_start, r.trigger_end,
                r.trigger_text, r.sentence_start, r.sentence_end,
                substr(d.text, r.sentence_start + 1, r.sentence_end - r.sentence_start),
                r.modality, r.confidence, r.rule
         FROM event_reports r JOIN documents d ON d.doc_key = r.doc_key
         WHERE r.event_id = ?1 ORDER BY d.published IS NULL, d.published, r.report_key",
        params![event.id],
    )? {
        event.reports.push(EventReport {
            document: row.text(0)?,
            source: row.opt_text(1)?,
            url: row.opt_text(2)?,
            published: row.opt_text(3)?,
            date: row.opt_text(4)?,
            trigger: TextSpan {
                start: row.u32(5)?,
                end: row.u32(6)?,
                text: row.text(7)?,
            },
            sentence: TextSpan {
                start: row.u32(8)?,
                end: row.u32(9)?,
                text: row.text(10)?,
            },
            modality: modality(db, &row.text(11)?)?,
            confidence: row.real(12)? as f32,
            rule: row.text(13)?,
        });
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
        w.and("en.n_documents >= ?#", [Value::Int(i64::from(n))]);
    }
    w
}

/// How many corpus entities match (ignoring limit and offset).
pub(crate) fn count_entities(db: &dyn Db, filter: &EntityFilter) -> Result<u64, StoreError> {
    let (query, params) = entity_where(filter).finish(
        |cond| format!("SELECT COUNT(*) FROM entities en WHERE 1 = 1{cond}"),
        None,
        None,
    );
    Ok(u64::try_from(db.int("counting entities", &query, &params)?).unwrap_or(0))
}

/// The corpus entity with this id.
pub(crate) fn entity(db: &dyn Db, id: i64) -> Result<Option<CorpusEntity>, StoreError> {
    let mut w = Clause::default();
    w.and("en.entity_id = ?#", [Value::Int(id)]);
    let mut found = None;
    visit_entity_rows(db, w, None, None, &mut |e| {
        found = Some(e);
        Ok(())
    })?;
    Ok(found)
}

pub(crate) fn visit_entities(
    db: &dyn Db,
    filter: &EntityFilter,
    f: &mut dyn FnMut(CorpusEntity) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    visit_entity_rows(db, entity_where(filter), filter.limit, filter.offset, f)
}

fn visit_entity_rows(
    db: &dyn Db,
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
    for row in db.rows(what, &query, &params)? {
        let type_text = row.text(2)?;
        let id = row.int(0)?;
        let aliases = db.rows(
            what,
            "SELECT alias FROM entity_aliases WHERE entity_id = ?1
             ORDER BY n_mentions DESC, alias",
            params![id],
        )?;
        let roles = db.rows(
            what,
            "SELECT role, first_seen, last_seen, n_documents FROM entity_roles
             WHERE entity_id = ?1 ORDER BY first_seen IS NULL, first_seen, role",
            params![id],
        )?;
        f(CorpusEntity {
            id,
            name: row.text(1)?,
            entity_type: EntityType::from_str(&type_text)
                .ok_or_else(|| corrupt(db, format!("unknown entity type `{type_text}`")))?,
            country: row.opt_text(3)?,
            sector: row.opt_text(4)?,
            aliases: aliases
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<_, _>>()?,
            roles: roles
                .iter()
                .map(|r| -> Result<EntityRole, StoreError> {
                    Ok(EntityRole {
                        role: r.text(0)?,
                        first_seen: r.opt_text(1)?,
                        last_seen: r.opt_text(2)?,
                        n_documents: r.u32(3)?,
                    })
                })
                .collect::<Result<_, _>>()?,
            n_mentions: row.u32(5)?,
            n_documents: row.u32(6)?,
            first_seen: row.opt_text(7)?,
            last_seen: row.opt_text(8)?,
        })?;
    }
    Ok(())
}

fn quote_where(db: &dyn Db, filter: &QuoteFilter) -> Result<Clause, StoreError> {
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
            &db.fts_condition(FtsTable::Quotes, "q.quote_key"),
            [fts_query(db, q)?],
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
        w.and("lower(d.source) = lower(?#)", [text(s.trim())]);
    }
    if let Some(id) = filter.speaker_id {
        w.and("q.speaker_entity = ?#", [Value::Int(id)]);
    }
    Ok(w)
}

/// How many quotes match (ignoring limit and offset).
pub(crate) fn count_quotes(db: &dyn Db, filter: &QuoteFilter) -> Result<u64, StoreError> {
    let (query, params) = quote_where(db, filter)?.finish(
        |cond| {
            format!(
                "SELECT COUNT(*) FROM quotes q JOIN documents d ON d.doc_key = q.doc_key WHERE 1 = 1{cond}"
            )
        },
        None,
        None,
    );
    Ok(u64::try_from(db.int("counting quotes", &query, &params)?).unwrap_or(0))
}

pub(crate) fn visit_quotes(
    db: &dyn Db,
    filter: &QuoteFilter,
    f: &mut dyn FnMut(StoredQuote) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (query, params) = quote_where(db, filter)?.finish(
        |cond| {
            format!(
                "SELECT d.id, d.source, d.published, q.\"start\", q.\"end\", q.text, q.kind, q.speaker_entity,
                coalesce(en.name, q.speaker_name), q.cue
         FROM quotes q JOIN documents d ON d.doc_key = q.doc_key
              LEFT JOIN entities en ON en.entity_id = q.speaker_entity
         WHERE 1 = 1{cond}
         ORDER BY d.pub_date IS NULL, d.pub_date, d.doc_key, q.\"start\""
            )
        },
        filter.limit,
        filter.offset,
    );

    for row in db.rows("querying quotes", &query, &params)? {
        let kind_text = row.text(6)?;
        f(StoredQuote {
            document: row.text(0)?,
            source: row.opt_text(1)?,
            published: row.opt_text(2)?,
            start: row.u32(3)?,
            end: row.u32(4)?,
            text: row.text(5)?,
            kind: QuoteKind::from_str(&kind_text)
                .ok_or_else(|| corrupt(db, format!("unknown quote kind `{kind_text}`")))?,
            speaker: row.opt_int(7)?,
            speaker_name: row.opt_text(8)?,
            cue: row.opt_text(9)?,
        })?;
    }
    Ok(())
}

/// Counts over the whole store (the schema version is the backend's to fill in).
pub(crate) fn stats(db: &dyn Db) -> Result<Stats, StoreError> {
    let what = "counting";
    let count = |query: &str| -> Result<u64, StoreError> {
        Ok(u64::try_from(db.int(what, query, &[])?).unwrap_or(0))
    };
    let published = db.row(
        what,
        "SELECT MIN(published), MAX(published) FROM documents",
        &[],
    )?;
    let (first_published, last_published) = match published {
        Some(row) => (row.opt_text(0)?, row.opt_text(1)?),
        None => (None, None),
    };
    let mut events_by_type = Vec::new();
    for row in db.rows(
        what,
        "SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY COUNT(*) DESC, type",
        &[],
    )? {
        events_by_type.push((
            event_type(db, &row.text(0)?)?,
            u64::try_from(row.int(1)?).unwrap_or(0),
        ));
    }
    Ok(Stats {
        backend: db.backend().to_string(),
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
        size_bytes: db.size_bytes()?,
    })
}

/// Documents whose title or text contain every word of `q`, best match
/// first (the backend's ranking: FTS5's bm25, PostgreSQL's `ts_rank`).
pub(crate) fn search_documents(
    db: &dyn Db,
    q: &str,
    limit: u64,
    offset: u64,
) -> Result<DocumentHits, StoreError> {
    let fts = fts_query(db, q)?;
    let what = "searching documents";
    let [count_sql, page_sql] = db.document_search_sql();
    let total = db.int(what, count_sql, std::slice::from_ref(&fts))?;
    let as_int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut hits = Vec::new();
    for r in db.rows(what, page_sql, &[fts, as_int(limit), as_int(offset)])? {
        hits.push(DocumentHit {
            id: r.text(0)?,
            title: r.opt_text(1)?,
            published: r.opt_text(2)?,
            source: r.opt_text(3)?,
            url: r.opt_text(4)?,
            snippet: snippet(&r.text(5)?, &words),
        });
    }
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
pub(crate) fn document_links(db: &dyn Db, id: &str) -> Result<Option<DocumentLinks>, StoreError> {
    let what = "reading document links";
    let Some(key) = db.row(
        what,
        "SELECT doc_key FROM documents WHERE id = ?1",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let key = key.int(0)?;
    let pairs = |query: &str| -> Result<Vec<(u32, i64)>, StoreError> {
        db.rows(what, query, params![key])?
            .iter()
            .map(|r| Ok((r.u32(0)?, r.int(1)?)))
            .collect()
    };
    Ok(Some(DocumentLinks {
        entities: pairs("SELECT idx, entity_id FROM doc_entities WHERE doc_key = ?1 ORDER BY idx")?,
        events: pairs("SELECT idx, event_id FROM event_reports WHERE doc_key = ?1 ORDER BY idx")?,
    }))
}

/// Every table's rows in a canonical text form, for comparing two databases
/// (tests; backends against each other): rows ordered by all columns,
/// ingest timestamps and derived search columns left out.
pub(crate) fn dump(db: &dyn Db, tables: &[(&str, &[&str])]) -> Result<String, StoreError> {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (table, columns) in tables {
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let query = format!(
            "SELECT {} FROM {table} ORDER BY {}",
            quoted.join(", "),
            order.join(", ")
        );
        let _ = writeln!(out, "## {table}");
        for row in db.rows(&format!("dumping {table}"), &query, &[])? {
            let mut line = String::new();
            for (name, value) in columns.iter().zip(&row.0) {
                let value = match value {
                    crate::sql::Value::Null => "null".to_string(),
                    crate::sql::Value::Int(n) => n.to_string(),
                    crate::sql::Value::Real(x) => format!("{x:?}"),
                    crate::sql::Value::Text(t) => format!("{t:?}"),
                };
                let _ = write!(line, "{name}={value} ");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    Ok(out)
}

/// The tables and columns [`dump`] compares: all but ingest timestamps and
/// backend-derived search columns.
pub(crate) const DUMP_TABLES: &[(&str, &[&str])] = &[
    (
        "documents",
        &[
            "doc_key",
            "id",
            "title",
            "published",
            "pub_date",
            "source",
            "url",
            "language",
            "text",
            "content_hash",
            "json",
        ],
    ),
    (
        "entities",
        &[
            "entity_id",
            "norm_name",
            "name",
            "type",
            "country",
            "sector",
            "n_mentions",
            "n_documents",
            "first_seen",
            "last_seen",
        ],
    ),
    (
        "entity_aliases",
        &["entity_id", "norm_alias", "alias", "n_mentions"],
    ),
    (
        "entity_roles",
        &[
            "entity_id",
            "norm_role",
            "role",
            "first_seen",
            "last_seen",
            "n_documents",
        ],
    ),
    ("doc_entities", &["doc_key", "idx", "entity_id", "name"]),
    (
        "mentions",
        &[
            "mention_key",
            "doc_key",
            "doc_entity",
            "entity_id",
            "start",
            "end",
            "text",
            "kind",
        ],
    ),
    (
        "times",
        &[
            "time_key", "doc_key", "start", "end", "text", "type", "value",
        ],
    ),
    (
        "quotes",
        &[
            "quote_key",
            "doc_key",
            "start",
            "end",
            "text",
            "kind",
            "speaker_entity",
            "speaker_name",
            "cue",
        ],
    ),
    (
        "events",
        &[
            "event_id",
            "type",
            "mode",
            "context",
            "modality",
            "date",
            "day",
            "place_key",
            "place_name",
            "place_country",
            "lat",
            "lon",
            "confidence",
            "n_reports",
            "n_documents",
            "n_sources",
            "first_report",
            "last_report",
        ],
    ),
    (
        "event_reports",
        &[
            "report_key",
            "event_id",
            "doc_key",
            "idx",
            "date",
            "trigger_start",
            "trigger_end",
            "trigger_text",
            "sentence_start",
            "sentence_end",
            "modality",
            "confidence",
            "rule",
            "type",
            "day",
            "mode",
            "context",
            "place_key",
            "place_name",
            "place_country",
            "lat",
            "lon",
        ],
    ),
    (
        "report_actors",
        &[
            "report_key",
            "role",
            "actor_key",
            "entity_id",
            "name",
            "norm_name",
            "country",
            "sector",
        ],
    ),
    (
        "event_actors",
        &[
            "event_id",
            "role",
            "actor_key",
            "ord",
            "entity_id",
            "name",
            "norm_name",
            "country",
            "sector",
            "n_reports",
        ],
    ),
];
