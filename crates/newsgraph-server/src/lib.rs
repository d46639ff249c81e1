//! `newsgraph serve`: a read-only JSON API and a web UI over the event store.
//!
//! [`app`] builds the [`axum::Router`]: the API under `/api/` (contract in
//! [`OPENAPI`], served at `/api/openapi.json`) and the analyst UI at `/`
//! (plain HTML, CSS and JavaScript embedded in the binary: no build step,
//! no network access). [`serve`] runs it on a listener. Store queries run
//! on the blocking thread pool through a small pool of store connections
//! ([`StorePool`]); the store is opened read-only, and the only `POST`
//! (`/api/extract`) runs the pipeline on the posted text without storing
//! anything. Responses are gzip-compressed when the client accepts it.
//!
//! ```
//! use newsgraph_server::{app, ServerOptions};
//! use newsgraph_store::{SqliteStore, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("news.db");
//! SqliteStore::open(&path).unwrap(); // an empty store
//! let router = app(
//!     Box::new(move || Ok(Box::new(SqliteStore::open_read_only(&path)?) as Box<dyn Store>)),
//!     ServerOptions::default(),
//! )
//! .unwrap();
//! # let _ = router;
//! // Then: newsgraph_server::serve(tokio::net::TcpListener::bind("127.0.0.1:8080").await?, router).await
//! ```
//!
//! # Endpoints
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /api/events` | a page of corpus events; filters as `newsgraph events` (`type`, `mode`, `source_country`, `source_sector`, `target_country`, `target_sector`, `entity`, `entity_id`, `from`, `to`, `country`, `place`, `modality`, `min_confidence`, `min_sources`, `q`), `sort`, `limit`, `offset`; `format=csv` downloads the CSV export |
//! | `GET /api/events/{id}` | one event with its reports (documents, trigger and sentence spans) |
//! | `GET /api/entities`, `/api/entities/{id}` | entities (filters as `newsgraph entities`); one entity with roles over time, events as source and target, quotes |
//! | `GET /api/quotes` | quotations (filters as `newsgraph quotes`, plus `speaker_id`) |
//! | `GET /api/documents/{id}` | the document's `output-format.md` JSON plus the corpus ids of its entities and events |
//! | `GET /api/stats`, `/api/timeline`, `/api/network`, `/api/search` | counts; events per day/week/month by quad class or type; actor network; full-text search |
//! | `POST /api/extract` | the pipeline on posted text or JSON; nothing stored |
//!
//! Errors are `{"error": {"status", "message"}}` with the status code: 400
//! for a bad or unknown parameter, 404 for a missing record, 405 for a
//! method other than GET (POST on `/api/extract`), 413 for an article over
//! the size limit, 503 for a request over the time limit
//! ([`ServerOptions::request_timeout`]). Messages never carry file paths,
//! SQL or stack traces; parameters reach the store as bound values only.

mod api;
mod error;
mod params;
mod pool;
mod ui;

pub use error::ApiError;
pub use pool::{Opener, StorePool};

use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use newsgraph::Pipeline;
use newsgraph_store::StoreError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// The OpenAPI 3 description of the API (hand-written; a test checks that
/// it lists every route).
pub const OPENAPI: &str = include_str!("openapi.json");

/// Settings of [`app`].
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Store connections (concurrent queries).
    pub pool_size: usize,
    /// Largest body `POST /api/extract` accepts, in bytes.
    pub max_extract_bytes: usize,
    /// Pipelines running at once for `POST /api/extract`.
    pub extract_concurrency: usize,
    /// Longest time one request may take before it is answered with a 503
    /// (the client stops waiting; a store query already running finishes
    /// on its thread).
    pub request_timeout: Duration,
    /// When set, every `/api` request must carry `Authorization: Bearer
    /// <token>` or gets a 401 (the UI's static files stay public: they hold
    /// no data; the UI asks for the token when the API refuses it).
    pub token: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServerOptions {
            pool_size: cores.clamp(2, 8),
            max_extract_bytes: 1 << 20,
            extract_concurrency: cores,
            request_timeout: Duration::from_secs(30),
            token: None,
        }
    }
}

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    stores: Arc<StorePool>,
    options: ServerOptions,
    pipeline: OnceCell<Arc<Pipeline>>,
    extract_permits: Semaphore,
}

impl AppState {
    /// The standard pipeline, loaded on first use (its models take a moment).
    async fn pipeline(&self) -> Result<Arc<Pipeline>, ApiError> {
        self.pipeline
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(Pipeline::standard)
                    .await
                    .map_err(|e| ApiError::internal(format!("cannot load the pipeline: {e}")))?
                    .map(Arc::new)
                    .map_err(|e| ApiError::internal(format!("cannot load the pipeline: {e}")))
            })
            .await
            .cloned()
    }
}

/// The whole application: API and UI. `open` opens one store connection
/// (read-only for `newsgraph serve`); it is called once now, so a bad
/// database fails here, and again as the pool grows.
pub fn app(open: Box<Opener>, options: ServerOptions) -> Result<Router, StoreError> {
    let stores = Arc::new(StorePool::new(options.pool_size, open)?);
    let timeout = options.request_timeout;
    let token = options.token.clone().filter(|t| !t.is_empty());
    let state = Arc::new(AppState {
        stores,
        extract_permits: Semaphore::new(options.extract_concurrency.max(1)),
        options,
        pipeline: OnceCell::new(),
    });
    let api = Router::new()
        .route("/events", get(api::events))
        .route("/events/{id}", get(api::event))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/quotes", get(api::quotes))
        .route("/documents/{id}", get(api::document))
        .route("/stats", get(api::stats))
        .route("/timeline", get(api::timeline))
        .route("/network", get(api::network))
        .route("/search", get(api::search))
        .route("/openapi.json", get(api::openapi))
        .route("/extract", post(api::extract))
        .fallback(api::not_found)
        .with_state(state);
    let api = match token {
        Some(token) => api.layer(axum::middleware::from_fn_with_state(
            Arc::<str>::from(token),
            require_token,
        )),
        None => api,
    };
    Ok(Router::new()
        .nest("/api", api)
        .merge(ui::routes())
        .layer(axum::middleware::from_fn_with_state(timeout, time_limit))
        .layer(CompressionLayer::new().gzip(true))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        )))
}

/// Lets a request through only with `Authorization: Bearer <token>`; else a
/// 401 in the API's error shape with `WWW-Authenticate: Bearer`.
async fn require_token(
    axum::extract::State(token): axum::extract::State<Arc<str>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if given.is_some_and(|g| same_secret(g.as_bytes(), token.as_bytes())) {
        return next.run(request).await;
    }
    let mut response = ApiError {
        status: axum::http::StatusCode::UNAUTHORIZED,
        message: "this server needs a token: send `Authorization: Bearer <token>`".into(),
    }
    .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"newsgraph\""),
    );
    response
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Answers a request that takes longer than the limit with a 503.
async fn time_limit(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError {
            status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
            message: format!(
                "the request took longer than the time limit of {} ms",
                limit.as_millis()
            ),
        }
        .into_response(),
    }
}

/// Serves `router` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
