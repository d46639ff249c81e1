//! [`ApiError`]: every failure of the API as a JSON body with its status code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use newsgraph_store::StoreError;
use serde::Serialize;

/// An API failure: `{"error": {"status": 400, "message": "..."}}` with that status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    /// 400: a parameter is missing, unknown or malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404: no such record or route.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 500: the server failed (the message says how; details go to stderr).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::InvalidFilter(message) => ApiError::bad_request(message),
            // The details (file names, SQL errors) go to the server's log,
            // not to the client.
            other => {
                eprintln!("newsgraph serve: store error: {other}");
                ApiError::internal("the store could not answer (the server's log has the details)")
            }
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                status: self.status.as_u16(),
                message: &self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}
