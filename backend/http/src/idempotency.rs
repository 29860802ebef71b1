//! `Idempotency-Key` on creating `POST`s, at the edge: the key is read
//! from the request header, and a stored answer is replayed as it was sent
//! (with `Idempotent-Replayed: true`). When the first request created its
//! resource but stopped before answering, the route answers with the
//! resource as it is now (also marked replayed). Every creating route runs
//! through [`Keyed::once`]; the claims themselves are the application's
//! ([`mezha_app::idempotency`]).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use mezha_api_types::ErrorCode;
use mezha_app::AppError;
use mezha_app::idempotency as claims;
use serde::Serialize;

/// Header name.
pub const HEADER: &str = "Idempotency-Key";

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

/// A creating request with its `Idempotency-Key` (if any), fingerprinted
/// before its body is handed to the use case.
pub struct Keyed(claims::Request);

impl Keyed {
    /// The request of `auth` for `scope` (e.g. `POST /orders`) asking
    /// `body` (for a streamed upload: what was received, with its SHA-256).
    pub fn read(
        req: &HttpRequest,
        auth: &Auth,
        scope: impl Into<String>,
        body: &impl Serialize,
    ) -> Result<Self, ApiError> {
        Ok(Self(claims::Request::new(auth, scope, key(req)?, body)?))
    }

    /// An anonymous request (registration) about `about` (the address),
    /// see [`claims::Request::anonymous`].
    pub fn anonymous(
        req: &HttpRequest,
        about: &str,
        scope: impl Into<String>,
        body: &impl Serialize,
    ) -> Result<Self, ApiError> {
        Ok(Self(claims::Request::anonymous(
            about,
            scope,
            key(req)?,
            body,
        )?))
    }

    /// Runs a creating request once per key (docs/API.md, "Idempotency").
    /// A retry gets the first request's answer as it was sent; when the
    /// first request created its resource and stopped before answering,
    /// the answer is that resource as it is now (`committed`, given its
    /// id). Otherwise `work` runs, guarded by the key, and its answer
    /// (`respond`) is kept for the retries; a failure frees the key.
    pub async fn once<T, W, C, CF>(
        self,
        state: &AppState,
        work: W,
        committed: C,
        respond: impl Fn(&T) -> HttpResponse,
    ) -> Result<HttpResponse, ApiError>
    where
        T: Serialize,
        W: std::future::Future<Output = Result<T, AppError>>,
        C: FnOnce(uuid::Uuid) -> CF,
        CF: std::future::Future<Output = Result<T, AppError>>,
    {
        let core = state.core();
        let claimed = match claims::begin(&core, self.0).await? {
            claims::Begin::Replay { status, body } => return Ok(replay(status, body)),
            claims::Begin::Committed(id) => return Ok(replayed(respond(&committed(id).await?))),
            claims::Begin::Run(claimed) => claimed,
        };
        match claims::guarded(claimed.as_ref(), work).await {
            Ok(value) => {
                let response = respond(&value);
                let kept: Result<&T, ()> = Ok(&value);
                claims::finish(&core, claimed, response.status().as_u16(), &kept).await?;
                Ok(response)
            }
            Err(err) => {
                let freed: Result<(), ()> = Err(());
                claims::finish(&core, claimed, 0, &freed).await?;
                Err(err.into())
            }
        }
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
