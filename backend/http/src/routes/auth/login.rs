//! Password login, token refresh, logout and the sessions list.

use crate::auth::Auth;
use crate::auth::cookie;
use crate::error::ApiError;
use crate::extract::{ClientInfo, OptionalJson, ValidJson};
use crate::openapi::problems::{InvalidFields, Unauthorized};
use crate::routes::PageOnly;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::ErrorCode;
use mezha_api_types::Problem;
use mezha_api_types::auth::{
    LoginRequest, LogoutRequest, RefreshRequest, SecondFactorRequired, SessionList, TokenResponse,
};
use mezha_api_types::page::PageQuery;
use mezha_app::sessions;
use validator::Validate;

/// Log in with e-mail and password.
///
/// Starts a session: a 15-minute access token and a single-use refresh
/// token. The acting role starts as the account's first role. An account
/// with the SMS second factor on gets `202` with a ticket instead, and a
/// code to its phone (`POST /auth/second-factor`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    params(("X-Token-Transport" = Option<String>, Header, description = "`cookie`: the refresh token is set as an httpOnly cookie instead of returned")),
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 202, description = "The account asks for the SMS second factor: a code is on its way; finish with `POST /auth/second-factor`", body = SecondFactorRequired),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`email_not_confirmed` or `account_blocked`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let step = sessions::login(&state.logins(), &client, &body.0.email, &body.0.password).await?;
    Ok(super::second_factor::login_answer(&req, &state, step))
}

/// Exchange a refresh token for new tokens.
///
/// The presented refresh token is used up; the answer carries its
/// successor. Presenting a used refresh token again revokes the session.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "The refresh token; cookie-transport clients send no body"),
    params(("X-Token-Transport" = Option<String>, Header, description = "`cookie`: read and set the refresh token as an httpOnly cookie")),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "`invalid_refresh_token` or `refresh_token_reused` (session revoked)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`refresh_token_superseded`: a concurrent refresh won; retry", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_blocked`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    body.0
        .validate()
        .map_err(|errors| ApiError::validation(crate::extract::issues(&errors)))?;
    let token = body
        .0
        .refresh_token
        .or_else(|| cookie::refresh_from_cookie(&req))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidRefreshToken,
                "sessions.refresh_token_missing",
            )
        })?;
    let tokens = sessions::refresh(&state.logins(), &token).await?;
    Ok(cookie::token_response(&req, &state, tokens))
}

/// Log out of this session, or of another session of the same account.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<LogoutRequest>, description = "Optional; empty body ends the current session"),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Session ended"),
        Unauthorized,
        (status = 404, description = "No such session of this account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    auth: Auth,
    body: OptionalJson<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&state.logins(), &auth, body.0.session_id).await?;
    let mut response = HttpResponse::NoContent();
    if body.0.session_id.is_none_or(|id| id == auth.session_id) {
        cookie::clear(&mut response, &state);
    }
    Ok(response.finish())
}

/// Log out everywhere: end every session of the account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All sessions ended"),
        Unauthorized,
    )
)]
#[post("/auth/logout-all")]
pub async fn logout_all(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    sessions::logout_all(&state.logins(), &auth).await?;
    let mut response = HttpResponse::NoContent();
    cookie::clear(&mut response, &state);
    Ok(response.finish())
}

/// The account's active sessions, newest first.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Sessions", body = SessionList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    )
)]
#[get("/auth/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page = sessions::list(&state.logins(), &auth, &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}
