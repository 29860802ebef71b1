//! `Idempotency-Key` on creating `POST`s, at the edge: the key is read
//! from the request header, and a stored answer is replayed as it was sent
//! (with `Idempotent-Replayed: true`). When the first request created its
//! resource but stopped before answering, the route answers with the
//! resource as it is now ([`Begin::Committed`], also marked replayed). The
//! claims themselves are the application's ([`mezha_app::idempotency`]).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use mezha_api_types::ErrorCode;
pub use mezha_app::idempotency::guarded;
use mezha_app::idempotency::{self as claims, Claimed};
use serde::Serialize;

/// Header name.
pub const HEADER: &str = "Idempotency-Key";

/// What to do with a request.
pub enum Begin {
    /// No key, or a new one: run the request (then [`finish`]).
    Run(Option<Claimed>),
    /// A stored answer to replay.
    Replay(HttpResponse),
    /// The resource the first request created before it stopped: answer
    /// with it (through [`replayed`]).
    Committed(uuid::Uuid),
}

/// Marks an answer as a replay of an earlier request's.
pub fn replayed(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("idempotent-replayed"),
        actix_web::http::header::HeaderValue::from_static("true"),
    );
    response
}

fn key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 255)
        .ok_or_else(|| ApiError::new(ErrorCode::BadRequest, "idempotency.key_invalid"))?;
    Ok(Some(text.to_owned()))
}

/// Claims the request's key (if any) for `scope` (e.g. `POST /orders`) and
/// a body.
pub async fn begin(
    state: &AppState,
    auth: &Auth,
    req: &HttpRequest,
    scope: &str,
    body: &impl Serialize,
) -> Result<Begin, ApiError> {
    let key = key(req)?;
    Ok(
        match claims::begin(&state.core(), auth, key, scope, body).await? {
            claims::Begin::Run(claimed) => Begin::Run(claimed),
            claims::Begin::Replay { status, body } => Begin::Replay(replay(status, body)),
            claims::Begin::Committed(id) => Begin::Committed(id),
        },
    )
}

fn replay(status: u16, body: String) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response
        .content_type("application/json")
        .insert_header(("Idempotent-Replayed", "true"));
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&body)
        && let Some(version) = value.get("version").and_then(|v| v.as_i64())
    {
        response.insert_header((actix_web::http::header::ETAG, format!("\"v{version}\"")));
    }
    response.body(body)
}

/// Stores the answer of a claimed key (on success) or releases the key
/// (on failure, so the client may retry with it).
pub async fn finish<T: Serialize, E>(
    state: &AppState,
    claimed: Option<Claimed>,
    status: StatusCode,
    result: &Result<T, E>,
) -> Result<(), ApiError> {
    Ok(claims::finish(&state.core(), claimed, status.as_u16(), result).await?)
}
