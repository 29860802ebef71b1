//! Optimistic concurrency for editable resources: the `ETag` a version is
//! answered with, and the `If-Match` an update sends back.

use crate::error::ApiError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use mezha_api_types::ErrorCode;

/// The `ETag` of a version: `"v7"`.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// `body` as JSON with `status`, its version's `ETag`, and no caching.
pub fn etagged<T: serde::Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Parses `If-Match: "v7"` (or `W/"v7"`, or `*`); absent means
/// unconditional. 412 when it names no version.
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let stale = || {
        ApiError::new(
            ErrorCode::PreconditionFailed,
            "If-Match does not name a current version of the resource.",
        )
    };
    let text = value.to_str().map_err(|_| stale())?.trim();
    if text == "*" {
        return Ok(None);
    }
    let text = text.strip_prefix("W/").unwrap_or(text);
    text.strip_prefix("\"v")
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|n| n.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(stale)
}
