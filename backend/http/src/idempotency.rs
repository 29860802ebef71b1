//! `Idempotency-Key` on creating `POST`s: the first request with a key
//! claims it and stores its answer; a retry with the same key and body gets
//! that answer again (with `Idempotent-Replayed: true`), never a second
//! resource. The same key with another body is 422; while the first is
//! still running, 409.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use mezha_api_types::ErrorCode;
use mezha_store::idempotency::{self, Claim};
use serde::Serialize;

/// Header name.
pub const HEADER: &str = "Idempotency-Key";

/// A claimed key, to be completed with the response.
pub struct Claimed {
    user_id: uuid::Uuid,
    scope: String,
    key: String,
}

/// What to do with a request.
pub enum Begin {
    /// No key, or a new one: run the request (then [`finish`]).
    Run(Option<Claimed>),
    /// A stored answer to replay.
    Replay(HttpResponse),
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
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key).",
            )
        })?;
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
    let Some(key) = key(req)? else {
        return Ok(Begin::Run(None));
    };
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let hash = mezha_domain::digest::sha256_hex(&bytes);
    let now = state.clock.now();
    match idempotency::claim(&state.db, auth.user_id, scope, &key, &hash, now).await? {
        Claim::Claimed => Ok(Begin::Run(Some(Claimed {
            user_id: auth.user_id,
            scope: scope.to_owned(),
            key,
        }))),
        Claim::Done { status, body } => Ok(Begin::Replay(replay(status, body))),
        Claim::InProgress => Err(ApiError::new(
            ErrorCode::IdempotencyInProgress,
            "A request with this Idempotency-Key is still being processed; retry in a moment.",
        )),
        Claim::Mismatch => Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was used with a different request; use a new key.",
        )),
    }
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
pub async fn finish<T: Serialize>(
    state: &AppState,
    claimed: Option<Claimed>,
    status: StatusCode,
    result: &Result<T, ApiError>,
) -> Result<(), ApiError> {
    let Some(c) = claimed else {
        return Ok(());
    };
    match result {
        Ok(value) => {
            let body = serde_json::to_string(value).map_err(ApiError::internal)?;
            idempotency::complete(
                &state.db,
                c.user_id,
                &c.scope,
                &c.key,
                status.as_u16(),
                &body,
            )
            .await?;
        }
        Err(_) => idempotency::release(&state.db, c.user_id, &c.scope, &c.key).await?,
    }
    Ok(())
}

/// How long a key is remembered: a client retrying within this time gets
/// the first answer; after it the key may be used afresh.
pub const KEEP: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Forgets the keys older than [`KEEP`] at `now`; returns how many.
pub async fn purge(
    db: &mezha_store::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, mezha_store::StoreError> {
    let keep = chrono::Duration::from_std(KEEP).unwrap_or(chrono::Duration::hours(24));
    idempotency::purge(db, now - keep).await
}

/// The background job: [`purge`] at start and then every `every`, for as
/// long as the server runs. Failures are logged and retried next time.
pub async fn purge_periodically(
    db: mezha_store::DatabaseConnection,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    every: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match purge(&db, clock.now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "idempotency keys forgotten"),
            Err(err) => tracing::warn!(error = %err, "idempotency key purge failed"),
        }
    }
}
