//! The HTTP layer's error: every failure becomes an RFC 9457
//! `application/problem+json` response with a stable `code`. Extractor
//! failures (bad JSON, wrong content type, oversized bodies, bad paths and
//! queries) are mapped here too, so no error reaches the client in another
//! shape. Internal errors are logged with their cause chain and the request
//! id, and the client sees only the id.

use crate::request_id;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use mezha_api_types::{ErrorCode, Problem};
use mezha_app::AppError;
use mezha_domain::FieldError;
use mezha_store::StoreError;
use std::fmt;

/// Content type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use mezha_app::error::{FieldIssues, push_issue};

/// An error answered to the client: an application error, or one the edge
/// itself found (a malformed request, a method not allowed).
pub struct ApiError {
    error: AppError,
    /// `405`: the methods the path accepts.
    allow: Option<String>,
}

impl ApiError {
    /// A problem with this code and message (a catalogue key,
    /// [`crate::messages`]).
    pub fn new(code: ErrorCode, message: impl Into<mezha_app::error::Message>) -> Self {
        AppError::new(code, message).into()
    }

    /// 422 with per-field issues.
    pub fn validation(errors: FieldIssues) -> Self {
        AppError::validation(errors).into()
    }

    /// 422 for one field.
    pub fn field(field: &str, error: FieldError) -> Self {
        AppError::field(field, error).into()
    }

    /// 405 with `Allow`.
    pub fn method_not_allowed(allow: String) -> Self {
        ApiError {
            error: AppError::new(
                ErrorCode::MethodNotAllowed,
                mezha_app::msg!("http.method_not_allowed", allow = &allow),
            ),
            allow: Some(allow),
        }
    }

    /// An unexpected failure.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::internal(err).into()
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.error.code()
    }

    /// The application error inside (for a use case that takes an error
    /// made at the edge, such as a broken upload).
    pub fn into_app(self) -> AppError {
        self.error
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError { error, allow: None }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        AppError::from(err).into()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err).into()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = request_id::current();
        let mut retry_after = None;
        let mut problem = match &self.error {
            AppError::Problem(p) => {
                let mut out = Problem::new(p.code, crate::messages::text(&p.message));
                out.errors = p.errors.clone();
                if let Some(t) = &p.transition {
                    out.current_status = Some(t.current_status.clone());
                    out.allowed_actions = Some(t.allowed_actions.clone());
                }
                out.report = p.report.clone();
                retry_after = p.retry_after.map(|d| d.as_secs().max(1));
                out
            }
            AppError::Internal(err) => {
                tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %format!("{err:#}"), "internal error");
                Problem::new(
                    ErrorCode::Internal,
                    crate::messages::text(&mezha_app::msg!("common.internal")),
                )
            }
        };
        problem.request_id = request_id;
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(secs) = retry_after {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &self.allow
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        if self.code().status() == 401 {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        match serde_json::to_vec(&problem) {
            Ok(body) => response.body(body),
            Err(_) => HttpResponse::InternalServerError().finish(),
        }
    }
}

/// Maps JSON body extraction failures.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match err {
        E::OverflowKnownLength { length, limit } => ApiError::new(
            ErrorCode::PayloadTooLarge,
            mezha_app::msg!("http.body_too_large_length", length = length, limit = limit),
        ),
        E::Overflow { limit } => ApiError::new(
            ErrorCode::PayloadTooLarge,
            mezha_app::msg!("http.body_too_large_limit", limit = limit),
        ),
        E::ContentType => ApiError::new(ErrorCode::UnsupportedMediaType, "http.json_content_type"),
        E::Deserialize(e) => json_parse_error(&e),
        E::Serialize(e) => ApiError::internal(e),
        other => ApiError::new(
            ErrorCode::BadRequest,
            mezha_app::msg!("http.body_unreadable_reason", reason = other),
        ),
    };
    api.into()
}

/// Maps a serde_json error: syntax → 400, wrong shape → 422.
pub fn json_parse_error(err: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Data => ApiError::new(
            ErrorCode::InvalidBody,
            mezha_app::msg!("http.json_shape", reason = err),
        ),
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            ErrorCode::MalformedJson,
            mezha_app::msg!("http.json_syntax", reason = err),
        ),
    }
}

/// Maps query-string failures.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &HttpRequest,
) -> actix_web::Error {
    ApiError::new(
        ErrorCode::BadRequest,
        mezha_app::msg!("http.query_invalid", reason = err),
    )
    .into()
}

/// Maps path-parameter failures: a malformed id names no resource.
pub fn path_error(_err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ErrorCode::NotFound, "http.no_such_id").into()
}

/// Maps raw-body read failures (oversized or broken payloads).
pub fn payload_error(err: actix_web::error::PayloadError) -> ApiError {
    use actix_web::error::PayloadError as E;
    match err {
        E::Overflow => ApiError::new(ErrorCode::PayloadTooLarge, "http.body_too_large"),
        other => ApiError::new(
            ErrorCode::BadRequest,
            mezha_app::msg!("http.body_unreadable_reason", reason = other),
        ),
    }
}

/// A problem for an error that reached us in another shape (from actix or
/// a library), keeping its status class.
pub fn from_status(status: StatusCode, err: &dyn fmt::Display) -> ApiError {
    let code = match status.as_u16() {
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        429 => ErrorCode::RateLimited,
        400..=499 => ErrorCode::BadRequest,
        _ => return ApiError::internal(anyhow::anyhow!("unhandled error ({status}): {err}")),
    };
    ApiError::new(code, mezha_app::msg!("http.unclassified", reason = err))
}
