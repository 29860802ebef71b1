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
use mezha_api_types::{ErrorCode, FieldIssue, Problem};
use mezha_domain::FieldError;
use mezha_store::StoreError;
use std::collections::BTreeMap;
use std::fmt;

/// Content type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Per-field problems, keyed by field name.
pub type FieldIssues = BTreeMap<String, Vec<FieldIssue>>;

/// An error answered to the client.
pub enum ApiError {
    /// A problem the client can act on.
    Problem {
        code: ErrorCode,
        detail: String,
        errors: Option<FieldIssues>,
        retry_after: Option<u64>,
        allow: Option<String>,
        /// `illegal_transition`: the current status and the allowed actions.
        transition: Option<Box<(String, Vec<String>)>>,
    },
    /// Something broke on our side; logged, never shown.
    Internal(anyhow::Error),
}

impl ApiError {
    /// A problem with this code and explanation.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Problem {
            code,
            detail: detail.into(),
            errors: None,
            retry_after: None,
            allow: None,
            transition: None,
        }
    }

    /// 422 with per-field issues.
    pub fn validation(errors: FieldIssues) -> Self {
        ApiError::Problem {
            code: ErrorCode::ValidationFailed,
            detail: "One or more fields are invalid.".into(),
            errors: Some(errors),
            retry_after: None,
            allow: None,
            transition: None,
        }
    }

    /// 422 for one field.
    pub fn field(field: &str, error: FieldError) -> Self {
        let mut errors = FieldIssues::new();
        push_issue(&mut errors, field, error);
        Self::validation(errors)
    }

    /// 429 with `Retry-After`.
    pub fn too_many(
        code: ErrorCode,
        retry_after: std::time::Duration,
        detail: impl Into<String>,
    ) -> Self {
        ApiError::Problem {
            code,
            detail: detail.into(),
            errors: None,
            retry_after: Some(retry_after.as_secs().max(1)),
            allow: None,
            transition: None,
        }
    }

    /// 405 with `Allow`.
    pub fn method_not_allowed(allow: String) -> Self {
        ApiError::Problem {
            code: ErrorCode::MethodNotAllowed,
            detail: format!("This path accepts only: {allow}."),
            errors: None,
            retry_after: None,
            allow: Some(allow),
            transition: None,
        }
    }

    /// 409 `illegal_transition` naming the current status and what is
    /// allowed now.
    pub fn illegal_transition(
        detail: impl Into<String>,
        current_status: &str,
        allowed: Vec<String>,
    ) -> Self {
        ApiError::Problem {
            code: ErrorCode::IllegalTransition,
            detail: detail.into(),
            errors: None,
            retry_after: None,
            allow: None,
            transition: Some(Box::new((current_status.to_owned(), allowed))),
        }
    }

    /// An unexpected failure.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Problem { code, .. } => *code,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// Adds a domain field error to a map of issues.
pub fn push_issue(errors: &mut FieldIssues, field: &str, error: FieldError) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(FieldIssue {
            code: error.code.to_owned(),
            message: error.message,
        });
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Problem { code, detail, .. } => write!(f, "{}: {detail}", code.as_str()),
            ApiError::Internal(err) => write!(f, "internal: {err:#}"),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate("email") => ApiError::new(
                ErrorCode::EmailTaken,
                "This e-mail address belongs to another account.",
            ),
            StoreError::Duplicate("phone") => ApiError::new(
                ErrorCode::PhoneTaken,
                "This phone number belongs to another account.",
            ),
            StoreError::Duplicate(_) => {
                ApiError::new(ErrorCode::Conflict, "The record already exists.")
            }
            StoreError::VersionMismatch => ApiError::new(
                ErrorCode::PreconditionFailed,
                "The resource was changed since you read it; reload it and try again.",
            ),
            StoreError::NotFound => {
                ApiError::new(ErrorCode::NotFound, "The resource does not exist.")
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::Internal(err)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = request_id::current();
        let mut problem = match self {
            ApiError::Problem {
                code,
                detail,
                errors,
                transition,
                ..
            } => {
                let mut p = Problem::new(*code, detail.clone());
                p.errors = errors.clone();
                if let Some(pair) = transition {
                    let (status, allowed) = pair.as_ref();
                    p.current_status = Some(status.clone());
                    p.allowed_actions = Some(allowed.clone());
                }
                p
            }
            ApiError::Internal(err) => {
                tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %format!("{err:#}"), "internal error");
                Problem::new(
                    ErrorCode::Internal,
                    "An unexpected error occurred. Quote the request id when you contact support.",
                )
            }
        };
        problem.request_id = request_id;
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let ApiError::Problem {
            retry_after: Some(secs),
            ..
        } = self
        {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let ApiError::Problem {
            allow: Some(allow), ..
        } = self
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
            format!("The body is {length} bytes; this endpoint accepts at most {limit}."),
        ),
        E::Overflow { limit } => ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("The body is larger than the {limit} bytes this endpoint accepts."),
        ),
        E::ContentType => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ),
        E::Deserialize(e) => json_parse_error(&e),
        E::Serialize(e) => ApiError::internal(e),
        other => ApiError::new(
            ErrorCode::BadRequest,
            format!("The body could not be read: {other}."),
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
            format!("The JSON does not match the expected shape: {err}."),
        ),
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            ErrorCode::MalformedJson,
            format!("The body is not valid JSON: {err}."),
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
        format!("Invalid query string: {err}."),
    )
    .into()
}

/// Maps path-parameter failures: a malformed id names no resource.
pub fn path_error(_err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ErrorCode::NotFound, "No resource has this id.").into()
}

/// Maps raw-body read failures (oversized or broken payloads).
pub fn payload_error(err: actix_web::error::PayloadError) -> ApiError {
    use actix_web::error::PayloadError as E;
    match err {
        E::Overflow => ApiError::new(
            ErrorCode::PayloadTooLarge,
            "The body is larger than this endpoint accepts.",
        ),
        other => ApiError::new(
            ErrorCode::BadRequest,
            format!("The body could not be read: {other}."),
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
    ApiError::new(code, err.to_string())
}
