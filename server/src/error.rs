//! Errors of the HTTP API, each with its status and a JSON body `{"error": {"code", "message"}}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use broadsheet_model::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<(&'static str, String)>,
    },
    #[error("The request is too large.")]
    TooLarge,
    #[error("Too many comments from you just now. Please wait {0} seconds and try again.")]
    TooManyRequests(u64),
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("a database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Database(_)
            | AppError::Pool(_)
            | AppError::Corrupt(_)
            | AppError::Task(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = if status.is_server_error() {
            // The details go to the log, not to the reader.
            tracing::error!(error = %self, "request failed");
            "Something went wrong on our side. Please try again.".to_owned()
        } else {
            self.to_string()
        };
        let mut body = ApiError::new(code, message);
        let retry_after = match self {
            AppError::Invalid { fields, .. } => {
                body.error.fields = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                None
            }
            AppError::TooManyRequests(seconds) => Some(seconds),
            _ => None,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
