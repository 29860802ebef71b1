//! The one authorisation guard. A handler that takes [`Auth`] requires a
//! valid access token (401 otherwise) of a session that is still alive (401
//! `session_revoked` after logout, reuse detection or a block) whose acting
//! role is the token's (401 otherwise: refresh for a new token); it then calls
//! [`Actor::require`] with the acting roles it allows (403 otherwise).

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use mezha_api_types::ErrorCode;
use mezha_app::Actor;
use mezha_app::tokens::jwt::TokenError;

/// The authenticated caller: the [`Actor`] the use cases take, proven by a
/// bearer token of a live session. Dereferences to the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth(pub Actor);

impl std::ops::Deref for Auth {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "http.token_missing"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::new(ErrorCode::Unauthenticated, "http.authorization_invalid"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "http.bearer_scheme",
        )),
    }
}

async fn authenticate(state: web::Data<AppState>, token: String) -> Result<Auth, ApiError> {
    let now = state.clock.now();
    let claims = state.jwt.verify(&token, now).map_err(|err| match err {
        TokenError::Expired => {
            ApiError::new(ErrorCode::Unauthenticated, "sessions.access_token_expired")
        }
        TokenError::Invalid => {
            ApiError::new(ErrorCode::Unauthenticated, "sessions.access_token_invalid")
        }
    })?;
    let Some(acting) = state
        .sessions
        .acting_role(claims.sid, claims.sub, now)
        .await?
    else {
        return Err(ApiError::new(ErrorCode::SessionRevoked, "sessions.ended"));
    };
    // A token acts in the role its session acts in now: after a switch (or
    // a role taken away, which the next refresh applies) an older token is
    // refused, and the client refreshes for one that says the new role.
    if acting != claims.role {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sessions.role_changed",
        ));
    }
    Ok(Auth(Actor {
        user_id: claims.sub,
        session_id: claims.sid,
        role: claims.role,
    }))
}

/// The caller of `req` by its Bearer token (for handlers that accept
/// another credential too, such as `GET /events?ticket=`).
pub async fn from_bearer(req: &HttpRequest) -> Result<Auth, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    authenticate(state, bearer(req)?).await
}

impl FromRequest for Auth {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
            Ok(authenticate(state, token?).await?)
        })
    }
}
