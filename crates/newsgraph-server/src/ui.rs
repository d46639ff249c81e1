//! The analyst web UI: three files embedded in the binary (`ui/`), no build
//! step, no third-party code, nothing fetched from elsewhere (the Content
//! Security Policy allows this origin only).
//!
//! `index.html` is the page; `app.js` renders every view client-side from
//! the API (hash routes: `#/`, `#/events`, `#/network`, `#/map`,
//! `#/entities`, `#/entity/{id}`, `#/document/{id}`, `#/search`,
//! `#/extract`); `app.css` styles it.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The embedded files: `(name, content type, content)`.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../ui/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../ui/app.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../ui/favicon.svg"),
    ),
];

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                   base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub fn routes() -> Router {
    Router::new()
        .route(
            "/",
            get(|h: HeaderMap| async move { asset("index.html", &h) }),
        )
        .route(
            "/assets/{name}",
            get(|Path(name): Path<String>, h: HeaderMap| async move { asset(&name, &h) }),
        )
}

fn etag(content: &str) -> String {
    let mut h = DefaultHasher::new();
    content.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn asset(name: &str, headers: &HeaderMap) -> Response {
    let Some(&(_, content_type, content)) = ASSETS.iter().find(|a| a.0 == name) else {
        return crate::ApiError::not_found(format!("no asset `{name}`")).into_response();
    };
    let tag = etag(content);
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], content).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
