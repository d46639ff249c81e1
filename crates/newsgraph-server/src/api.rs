//! The JSON API handlers (see `openapi.json` for the contract).

use crate::params::{self, Params, DEFAULT_LIMIT, MAX_LIMIT};
use crate::{ApiError, AppState};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsgraph_core::json::{DocJson, JsonOptions};
use newsgraph_core::records::EventType;
use newsgraph_core::Article;
use newsgraph_store::export::EventCsv;
use newsgraph_store::{
    date_of_day, day_number, ActorPair, CorpusEntity, CorpusEvent, EventFilter, EventSort,
    PairActor, QuadClass, StoredQuote,
};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

type ApiResult = Result<Response, ApiError>;

/// A page of a list endpoint.
#[derive(Serialize)]
struct Page<T> {
    total: u64,
    offset: u64,
    limit: u64,
    items: Vec<T>,
}

impl<T> Page<T> {
    /// A page of a listing with `total` items: `fetch` runs only when the
    /// page starts inside the listing.
    fn fetch(
        total: u64,
        offset: u64,
        limit: u64,
        fetch: impl FnOnce() -> Result<Vec<T>, ApiError>,
    ) -> Result<Page<T>, ApiError> {
        let items = if offset < total { fetch()? } else { Vec::new() };
        Ok(Page {
            total,
            offset,
            limit,
            items,
        })
    }
}

/// A corpus event as the API shows it: the store's record plus its quad class.
#[derive(Serialize)]
struct EventOut {
    #[serde(flatten)]
    event: CorpusEvent,
    quad_class: QuadClass,
}

impl From<CorpusEvent> for EventOut {
    fn from(event: CorpusEvent) -> EventOut {
        let quad_class = QuadClass::of(event.event_type);
        EventOut { event, quad_class }
    }
}

/// Largest CSV download, in events.
const MAX_CSV_EVENTS: u64 = 100_000;

/// `GET /api/events`: a page of corpus events (or all of them as CSV with
/// `format=csv`).
pub async fn events(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let mut filter = p.event_filter()?;
    filter.sort = p.event_sort()?;
    let format = p.get("format");
    let csv = match format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "parameter `format`: unknown format `{other}` (expected json or csv)"
            )))
        }
    };
    let (limit, offset) = if csv {
        p.page(MAX_CSV_EVENTS, MAX_CSV_EVENTS)?
    } else {
        p.page(DEFAULT_LIMIT, MAX_LIMIT)?
    };
    p.finish()?;
    filter.limit = Some(limit);
    filter.offset = Some(offset);
    if csv {
        let bytes = state
            .stores
            .with(move |store| {
                let mut csv = EventCsv::new(Vec::new())?;
                store.visit_events(&filter, &mut |e| csv.write(&e))?;
                Ok(csv.finish()?)
            })
            .await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"events.csv\"",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let page = state
        .stores
        .with(move |store| {
            Page::<EventOut>::fetch(store.count_events(&filter)?, offset, limit, || {
                Ok(store.events(&filter)?.into_iter().map(Into::into).collect())
            })
        })
        .await?;
    Ok(Json(page).into_response())
}

fn path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    params::id(raw).map_err(|m| ApiError::bad_request(format!("{what} id: {m}")))
}

/// `GET /api/events/{id}`: one corpus event with its reports (the reporting
/// documents and the evidence spans in each).
pub async fn event(
    State(state): State<Arc<AppState>>,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    Params::parse(q.as_deref())?.finish()?;
    let id = path_id(&raw, "event")?;
    let event = state.stores.with(move |store| Ok(store.event(id)?)).await?;
    match event {
        Some(e) => Ok(Json(EventOut::from(e)).into_response()),
        None => Err(ApiError::not_found(format!("no event with id {id}"))),
    }
}

/// `GET /api/entities`: a page of corpus entities, most documents first.
pub async fn entities(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let mut filter = p.entity_filter()?;
    let (limit, offset) = p.page(DEFAULT_LIMIT, MAX_LIMIT)?;
    p.finish()?;
    filter.limit = Some(limit);
    filter.offset = Some(offset);
    let page = state
        .stores
        .with(move |store| {
            Page::fetch(store.count_entities(&filter)?, offset, limit, || {
                Ok(store.entities(&filter)?)
            })
        })
        .await?;
    Ok(Json(page).into_response())
}

/// Events and quotes listed on an entity's page.
const ENTITY_PAGE_EVENTS: u64 = 200;

#[derive(Serialize)]
struct EntityPage {
    entity: CorpusEntity,
    /// All events with the entity as an actor.
    n_events: u64,
    /// The latest of them (up to 200) where it is a source, and a target.
    events_as_source: Vec<EventOut>,
    events_as_target: Vec<EventOut>,
    n_quotes: u64,
    /// The latest of its quotes (up to 200).
    quotes: Vec<StoredQuote>,
}

/// `GET /api/entities/{id}`: an entity with its roles over time, its latest
/// events as source and as target, and its quotes.
pub async fn entity(
    State(state): State<Arc<AppState>>,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    Params::parse(q.as_deref())?.finish()?;
    let id = path_id(&raw, "entity")?;
    let page = state
        .stores
        .with(move |store| {
            let Some(entity) = store.entity(id)? else {
                return Ok(None);
            };
            let filter = EventFilter {
                entity_id: Some(id),
                sort: EventSort::DateDesc,
                limit: Some(2 * ENTITY_PAGE_EVENTS),
                ..EventFilter::default()
            };
            let n_events = store.count_events(&filter)?;
            let mut events_as_source = Vec::new();
            let mut events_as_target = Vec::new();
            for e in store.events(&filter)? {
                let as_source = e.source.iter().any(|a| a.entity == Some(id));
                let as_target = e.target.iter().any(|a| a.entity == Some(id));
                if as_source && (events_as_source.len() as u64) < ENTITY_PAGE_EVENTS {
                    events_as_source.push(EventOut::from(e.clone()));
                }
                if as_target && (events_as_target.len() as u64) < ENTITY_PAGE_EVENTS {
                    events_as_target.push(EventOut::from(e));
                }
            }
            let quote_filter = newsgraph_store::QuoteFilter {
                speaker_id: Some(id),
                ..Default::default()
            };
            let n_quotes = store.count_quotes(&quote_filter)?;
            // Quotes come oldest first: skip to the latest ones.
            let quotes = store.quotes(&newsgraph_store::QuoteFilter {
                offset: Some(n_quotes.saturating_sub(ENTITY_PAGE_EVENTS)),
                limit: Some(ENTITY_PAGE_EVENTS),
                ..quote_filter
            })?;
            Ok(Some(EntityPage {
                entity,
                n_events,
                events_as_source,
                events_as_target,
                n_quotes,
                quotes,
            }))
        })
        .await?;
    match page {
        Some(p) => Ok(Json(p).into_response()),
        None => Err(ApiError::not_found(format!("no entity with id {id}"))),
    }
}

/// `GET /api/quotes`: a page of quotations, oldest publication first.
pub async fn quotes(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let mut filter = p.quote_filter()?;
    let (limit, offset) = p.page(DEFAULT_LIMIT, MAX_LIMIT)?;
    p.finish()?;
    filter.limit = Some(limit);
    filter.offset = Some(offset);
    let page = state
        .stores
        .with(move |store| {
            Page::fetch(store.count_quotes(&filter)?, offset, limit, || {
                Ok(store.quotes(&filter)?)
            })
        })
        .await?;
    Ok(Json(page).into_response())
}

/// `GET /api/documents/{id}`: the document as `newsgraph extract` printed it
/// (text and every annotation layer), plus `corpus`: which corpus entity
/// and event each of its `e…` and `v…` records became.
pub async fn document(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    Params::parse(q.as_deref())?.finish()?;
    let wanted = id.clone();
    let found = state
        .stores
        .with(move |store| {
            let Some(json) = store.document_json(&wanted)? else {
                return Ok(None);
            };
            let links = store.document_links(&wanted)?.unwrap_or_default();
            Ok(Some((json, links)))
        })
        .await?;
    let Some((json, links)) = found else {
        return Err(ApiError::not_found(format!("no document with id `{id}`")));
    };
    let corpus = json!({
        "entities": links.entities.iter().map(|(i, e)| (format!("e{}", i + 1), json!(e))).collect::<Map<String, Value>>(),
        "events": links.events.iter().map(|(i, e)| (format!("v{}", i + 1), json!(e))).collect::<Map<String, Value>>(),
    });
    // Splice `"corpus": {...}` into the stored object without re-parsing it.
    let body = match json.trim_end().strip_suffix('}') {
        Some(head) => format!("{head},\"corpus\":{corpus}}}"),
        None => return Err(ApiError::internal("a stored document is not a JSON object")),
    };
    Ok(json_response(body))
}

fn json_response(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// `GET /api/stats`: the store's counts, with events per quad class.
pub async fn stats(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref())?.finish()?;
    let stats = state.stores.with(|store| Ok(store.stats()?)).await?;
    let mut by_quad: BTreeMap<&'static str, u64> =
        QuadClass::ALL.iter().map(|q| (q.as_str(), 0)).collect();
    for (t, n) in &stats.events_by_type {
        *by_quad.entry(QuadClass::of(*t).as_str()).or_default() += n;
    }
    let mut value = serde_json::to_value(&stats).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Value::Object(map) = &mut value {
        map.insert(
            "events_by_type".into(),
            Value::Object(
                stats
                    .events_by_type
                    .iter()
                    .map(|(t, n)| (t.as_str().to_string(), json!(n)))
                    .collect(),
            ),
        );
        map.insert("events_by_quad_class".into(), json!(by_quad));
    }
    Ok(Json(value).into_response())
}

/// Bucket width of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interval {
    Day,
    Week,
    Month,
}

/// The bucket of a `YYYY-MM-DD` date: itself, the Monday starting its week,
/// or `YYYY-MM`.
fn bucket(date: &str, interval: Interval) -> Option<String> {
    let day = day_number(date)?;
    Some(match interval {
        Interval::Day => date_of_day(day),
        // 1970-01-01 was a Thursday: day 4 after a Monday.
        Interval::Week => date_of_day(day - (day + 3).rem_euclid(7)),
        Interval::Month => date_of_day(day)[..7].to_string(),
    })
}

/// `GET /api/timeline`: events per day, week or month, split by quad class
/// or type; the event filters apply.
pub async fn timeline(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let filter = p.event_filter()?;
    let interval = match p.get("interval").as_deref() {
        None | Some("month") => Interval::Month,
        Some("week") => Interval::Week,
        Some("day") => Interval::Day,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "parameter `interval`: unknown interval `{other}` (expected day, week or month)"
            )))
        }
    };
    let by_type = match p.get("group").as_deref() {
        None | Some("quad") => false,
        Some("type") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "parameter `group`: unknown grouping `{other}` (expected quad or type)"
            )))
        }
    };
    p.finish()?;
    let counts = state
        .stores
        .with(move |store| Ok(store.event_counts(&filter)?))
        .await?;
    let key = |t: EventType| -> &'static str {
        if by_type {
            t.as_str()
        } else {
            QuadClass::of(t).as_str()
        }
    };
    let keys: Vec<&'static str> = if by_type {
        EventType::ALL.iter().map(|t| t.as_str()).collect()
    } else {
        QuadClass::ALL.iter().map(|q| q.as_str()).collect()
    };
    let mut buckets: BTreeMap<String, BTreeMap<&'static str, u64>> = BTreeMap::new();
    let mut undated = 0u64;
    for c in counts {
        match c.date.as_deref().and_then(|d| bucket(d, interval)) {
            Some(b) => {
                *buckets
                    .entry(b)
                    .or_default()
                    .entry(key(c.event_type))
                    .or_default() += c.count
            }
            None => undated += c.count,
        }
    }
    let buckets: Vec<Value> = buckets
        .into_iter()
        .map(|(period, counts)| {
            let total: u64 = counts.values().sum();
            json!({"period": period, "total": total, "counts": counts})
        })
        .collect();
    Ok(Json(json!({
        "interval": match interval { Interval::Day => "day", Interval::Week => "week", Interval::Month => "month" },
        "group": if by_type { "type" } else { "quad" },
        "keys": keys,
        "buckets": buckets,
        "undated": undated,
    }))
    .into_response())
}

/// A node of the actor network.
#[derive(Serialize)]
struct Node {
    id: String,
    label: String,
    entity: Option<i64>,
    country: Option<String>,
    /// Events on the node's edges (as source or target).
    events: u64,
}

/// An edge: events with `source` as a source actor and `target` as a target.
#[derive(Serialize)]
struct Edge {
    source: String,
    target: String,
    events: u64,
    /// Mean of the events' quad-class weights (+2 material cooperation …
    /// −2 material conflict) divided by 2: from −1 (conflict) to +1 (cooperation).
    score: f64,
    quad_classes: BTreeMap<&'static str, u64>,
    types: BTreeMap<&'static str, u64>,
}

/// The node an actor is in network mode `by_country`, if any.
fn node_of(
    a: &PairActor,
    by_country: bool,
) -> Option<(String, String, Option<i64>, Option<String>)> {
    if by_country {
        let c = a.country.clone()?;
        Some((format!("c:{c}"), c.clone(), None, Some(c)))
    } else {
        let id = match a.entity {
            Some(e) => format!("e:{e}"),
            None => format!("n:{}", newsgraph_store::normalize_name(&a.name)),
        };
        Some((id, a.name.clone(), a.entity, a.country.clone()))
    }
}

/// `GET /api/network`: actor-to-actor edges weighted by event count, with a
/// cooperation/conflict score; nodes are entities (`node=entity`, actors
/// without an entity by name) or countries (`node=country`). The event
/// filters apply; self-loops are left out; `limit` keeps the heaviest edges.
pub async fn network(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let filter = p.event_filter()?;
    let by_country = match p.get("node").as_deref() {
        None | Some("entity") => false,
        Some("country") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "parameter `node`: unknown node kind `{other}` (expected entity or country)"
            )))
        }
    };
    let min_events = p
        .parsed("min_events", |s| {
            s.parse::<u64>()
                .map_err(|_| format!("`{s}` is not a whole number"))
        })?
        .unwrap_or(1);
    let (limit, _) = p.page(150, 5000)?;
    p.finish()?;
    let pairs: Vec<ActorPair> = state
        .stores
        .with(move |store| Ok(store.actor_pairs(&filter)?))
        .await?;
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut edges: HashMap<(String, String), Edge> = HashMap::new();
    for pair in &pairs {
        let (Some(s), Some(t)) = (
            node_of(&pair.source, by_country),
            node_of(&pair.target, by_country),
        ) else {
            continue;
        };
        if s.0 == t.0 {
            continue;
        }
        for (id, label, entity, country) in [s.clone(), t.clone()] {
            nodes.entry(id.clone()).or_insert(Node {
                id,
                label,
                entity,
                country,
                events: 0,
            });
        }
        let edge = edges
            .entry((s.0.clone(), t.0.clone()))
            .or_insert_with(|| Edge {
                source: s.0.clone(),
                target: t.0.clone(),
                events: 0,
                score: 0.0,
                quad_classes: BTreeMap::new(),
                types: BTreeMap::new(),
            });
        edge.events += pair.count;
        *edge
            .quad_classes
            .entry(QuadClass::of(pair.event_type).as_str())
            .or_default() += pair.count;
        *edge.types.entry(pair.event_type.as_str()).or_default() += pair.count;
    }
    let weight: HashMap<&str, i32> = QuadClass::ALL
        .iter()
        .map(|q| (q.as_str(), q.weight()))
        .collect();
    let mut edges: Vec<Edge> = edges
        .into_values()
        .filter(|e| e.events >= min_events)
        .map(|mut e| {
            let sum: i64 = e
                .quad_classes
                .iter()
                .map(|(q, n)| i64::from(weight[q]) * *n as i64)
                .sum();
            e.score = (sum as f64 / e.events as f64 / 2.0 * 1000.0).round() / 1000.0;
            e
        })
        .collect();
    edges.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    let n_edges = edges.len();
    edges.truncate(limit as usize);
    for e in &edges {
        for id in [&e.source, &e.target] {
            if let Some(n) = nodes.get_mut(id) {
                n.events += e.events;
            }
        }
    }
    let mut nodes: Vec<Node> = nodes.into_values().filter(|n| n.events > 0).collect();
    nodes.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(json!({
        "node": if by_country { "country" } else { "entity" },
        "total_edges": n_edges,
        "nodes": nodes,
        "edges": edges,
    }))
    .into_response())
}

/// `GET /api/search?q=`: documents containing every word (full text), best
/// first, and the entities whose names contain the words.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let Some(query) = p.get("q") else {
        return Err(ApiError::bad_request(
            "parameter `q` is required: the words to search for",
        ));
    };
    let (limit, offset) = p.page(20, 200)?;
    p.finish()?;
    let q2 = query.clone();
    let (docs, entities) = state
        .stores
        .with(move |store| {
            let docs = store.search_documents(&q2, limit, offset)?;
            let entities = store.entities(&newsgraph_store::EntityFilter {
                name: Some(q2.clone()),
                limit: Some(10),
                ..Default::default()
            })?;
            Ok((docs, entities))
        })
        .await?;
    Ok(Json(json!({
        "q": query,
        "total": docs.total,
        "offset": offset,
        "limit": limit,
        "documents": docs.hits,
        "entities": entities,
    }))
    .into_response())
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    json_response(crate::OPENAPI.to_string())
}

/// The JSON body of `POST /api/extract`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtractRequest {
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// `POST /api/extract`: runs the standard pipeline on the posted article (a
/// `text/plain` body, or JSON `{text, date?, title?, id?, source?, url?}`)
/// and returns the `output-format.md` JSON; nothing is stored. Bodies over
/// the size limit are refused with 413.
pub async fn extract(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    let mut p = Params::parse(q.as_deref())?;
    let query_date = p.get("date");
    p.finish()?;
    let max = state.options.max_extract_bytes;
    let too_large = || ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("the article is larger than the limit of {max} bytes"),
    };
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > max {
            return Err(too_large());
        }
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?;
    let mut article = Article {
        origin: "api".into(),
        ..Article::default()
    };
    let mut date = query_date;
    if content_type.starts_with("application/json") {
        let req: ExtractRequest = serde_json::from_str(text).map_err(|e| {
            ApiError::bad_request(format!(
                "the JSON body must be {{\"text\": ..., \"date\"?, \"title\"?, \"id\"?, \"source\"?, \"url\"?}}: {e}"
            ))
        })?;
        article.text = req.text;
        article.title = req.title;
        article.id = req.id;
        article.source = req.source;
        article.url = req.url;
        date = req.date.or(date);
    } else if content_type.starts_with("text/plain") || content_type.is_empty() {
        article.text = text.to_string();
    } else {
        return Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: format!(
                "content type `{content_type}` is not accepted (send text/plain or application/json)"
            ),
        });
    }
    if article.text.trim().is_empty() {
        return Err(ApiError::bad_request("the article has no text"));
    }
    if let Some(d) = &date {
        let Some(iso) = newsgraph_ingest::parse_date(d) else {
            return Err(ApiError::bad_request(format!(
                "`date`: `{d}` is not a date (expected YYYY-MM-DD or another form the readers accept)"
            )));
        };
        article.published = Some(iso);
    }
    let pipeline = state.pipeline().await?;
    let _permit = state
        .extract_permits
        .acquire()
        .await
        .map_err(|_| ApiError::internal("shutting down"))?;
    let json = tokio::task::spawn_blocking(move || {
        let doc = pipeline
            .process(article, None)
            .map_err(|e| ApiError::internal(format!("the pipeline failed: {e}")))?;
        serde_json::to_string(&DocJson::new(&doc, JsonOptions::default()))
            .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(format!("the pipeline failed: {e}")))??;
    Ok(json_response(json))
}

/// Any other `/api/...` path.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint (see /api/openapi.json)")
}
