//! Errors of the HTTP API, each with its status and a JSON body `{"error": {"code", "message"}}`,
//! and the one middleware that logs them.
//!
//! An error does not log itself: its response carries an [`ErrorDetail`] extension, and
//! [`log_errors`] (added once, in `crate::app`) writes it to the log — `error!` for a server
//! error with the detail the reader never sees, `debug!` for a refused request.

use axum::Json;
use axum::extract::Request;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use broadsheet_model::ApiError;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// The request names a host this site is not (`crate::http::site`).
    #[error("This server does not answer for that host name.")]
    MisdirectedHost,
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<(&'static str, String)>,
    },
    #[error("The request is too large.")]
    TooLarge,
    #[error("Too many comments from you just now. Please wait {0} seconds and try again.")]
    TooManyRequests(u64),
    /// A path parameter axum could not decode: axum's status and sentence, in our shape.
    #[error(transparent)]
    Path(#[from] PathRejection),
    /// A query string axum could not decode (say, a parameter given twice): likewise.
    #[error(transparent)]
    Query(#[from] QueryRejection),
    /// The storage layer failed: 500, the detail only in the log.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Seconds a reader is told to wait when the database cannot be reached (a restart takes a
/// few seconds; the pool answers within two).
pub const UNAVAILABLE_RETRY: u64 = 2;

/// What went wrong, for the log: put on an error's response, read by [`log_errors`].
#[derive(Clone, Debug)]
pub struct ErrorDetail(pub String);

impl AppError {
    /// "There is no article at this address."
    pub fn no_article() -> AppError {
        AppError::NotFound(NO_ARTICLE.into())
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::MisdirectedHost => (StatusCode::MISDIRECTED_REQUEST, "misdirected"),
            AppError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Path(e) => (e.status(), "bad_request"),
            AppError::Query(e) => (e.status(), "bad_request"),
            AppError::Store(StoreError::Unavailable(_) | StoreError::Pool(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy")
            }
            AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// What a 404 for an article's address says.
pub const NO_ARTICLE: &str = "There is no article at this address.";

impl crate::ready::Retold for AppError {
    fn busy(&self) -> bool {
        matches!(
            self,
            AppError::Store(StoreError::Unavailable(_) | StoreError::Pool(_))
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let detail = ErrorDetail(self.to_string());
        // Every error, axum's rejections too, is the API's JSON shape (`/api/openapi.json`
        // promises it; the fuzzer found axum's plain text for `?limit=1&limit=2`).
        let (status, code) = self.status_and_code();
        let message = match &self {
            _ if status == StatusCode::SERVICE_UNAVAILABLE => {
                "Broadsheet is busy just now. Please try again in a moment.".to_owned()
            }
            // The details go to the log (through `ErrorDetail`), not to the reader.
            _ if status.is_server_error() => {
                "Something went wrong on our side. Please try again.".to_owned()
            }
            AppError::Path(e) => e.body_text(),
            AppError::Query(e) => e.body_text(),
            error => error.to_string(),
        };
        let mut body = ApiError::new(code, message);
        let retry_after = match self {
            AppError::Invalid { fields, .. } => {
                body.error.fields = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                None
            }
            AppError::TooManyRequests(seconds) => Some(seconds),
            // The app shows its "busy" state and tries again.
            AppError::Store(StoreError::Unavailable(_) | StoreError::Pool(_)) => {
                Some(UNAVAILABLE_RETRY)
            }
            _ => None,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(detail);
        response
    }
}

/// The one place request errors are logged: every server error (with its detail when an
/// [`AppError`] made it; a timeout or a caught panic has none), and at debug level every
/// refused request that says why.
pub async fn log_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    let detail = response
        .extensions()
        .get::<ErrorDetail>()
        .map(|d| d.0.as_str());
    if status.is_server_error() {
        tracing::error!(%method, %path, status = status.as_u16(), error = detail.unwrap_or("-"), "request failed");
    } else if let Some(detail) = detail {
        tracing::debug!(%method, %path, status = status.as_u16(), error = detail, "request refused");
    }
    response
}
