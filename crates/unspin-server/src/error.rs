//! API errors: a status and a JSON body `{"error": {"code", "message"}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `"payload_too_large"`.
    pub code: &'static str,
    /// One line for people.
    pub message: String,
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400: the request body is not what the endpoint takes.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 503 with `Retry-After`: every analysis slot and queue place is taken.
    pub fn overloaded(slots: usize, queue: usize) -> Self {
        ApiError {
            retry_after: Some(1),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                format!(
                    "the server is busy ({slots} analyses running and {queue} waiting); try again in a moment"
                ),
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<unspin::Error> for ApiError {
    fn from(e: unspin::Error) -> Self {
        use unspin::ingest::IngestError;
        let message = e.to_string();
        match e {
            unspin::Error::EmptyText { .. } | unspin::Error::Ingest(IngestError::Empty { .. }) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "empty_input", message)
            }
            unspin::Error::Ingest(IngestError::TooLarge { .. }) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
            }
            unspin::Error::Ingest(IngestError::Fetch { .. }) => {
                ApiError::new(StatusCode::BAD_GATEWAY, "fetch_failed", message)
            }
            unspin::Error::Ingest(_) | unspin::Error::Extract { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_input",
                message,
            ),
            unspin::Error::ModelUnavailable { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "model_unavailable",
                message,
            ),
            unspin::Error::Model(_) | unspin::Error::Analyser { .. } => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "analysis_failed",
                message,
            ),
        }
    }
}
