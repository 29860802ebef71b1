//! The browser's refresh-token transport. A client that sends
//! `X-Token-Transport: cookie` gets its refresh token in an httpOnly,
//! `SameSite=Strict` cookie scoped to `/api/v1/auth` instead of the JSON
//! body, so page scripts never see it; `POST /auth/refresh` then reads the
//! cookie — only when the header is present again, which a cross-site form
//! cannot send. Mobile apps and integrators keep the JSON flow.
//!
//! Beside it goes [`HINT`], a cookie page scripts *can* read, saying only
//! that a refresh cookie was set (same lifetime, cleared with it): the web
//! app asks for a silent refresh at start only when it is there, so a
//! visitor who never logged in does not get a 401 on every page load
//! (docs/adr/0001-refresh-cookie.md, "The hint cookie").

use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use mezha_api_types::auth::TokenResponse;

/// Name of the cookie.
pub const COOKIE: &str = "mezha_refresh";
/// Header asking for the cookie transport.
pub const TRANSPORT_HEADER: &str = "x-token-transport";
const PATH: &str = "/api/v1/auth";
/// Name of the cookie saying that there is a refresh cookie.
pub const HINT: &str = mezha_api_types::auth::SESSION_HINT_COOKIE;

/// Whether the client asked for the cookie transport.
pub fn wants_cookie(req: &HttpRequest) -> bool {
    req.headers()
        .get(TRANSPORT_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cookie"))
}

/// The refresh token from the cookie, for cookie-transport clients only.
pub fn refresh_from_cookie(req: &HttpRequest) -> Option<String> {
    if !wants_cookie(req) {
        return None;
    }
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

fn secure(state: &AppState) -> bool {
    state.settings.public_url.starts_with("https://")
}

/// `200` with the tokens; for cookie clients the refresh token moves from
/// the body into the cookie.
pub fn token_response(
    req: &HttpRequest,
    state: &AppState,
    mut tokens: TokenResponse,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    if wants_cookie(req)
        && let Some(refresh) = tokens.refresh_token.take()
    {
        let max_age = i64::try_from(state.settings.session_ttl.as_secs()).unwrap_or(i64::MAX);
        response.cookie(
            Cookie::build(COOKIE, refresh)
                .path(PATH)
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure(state))
                .max_age(CookieDuration::seconds(max_age))
                .finish(),
        );
        response.cookie(
            Cookie::build(HINT, "1")
                .path("/")
                .same_site(SameSite::Strict)
                .secure(secure(state))
                .max_age(CookieDuration::seconds(max_age))
                .finish(),
        );
    }
    response.json(tokens)
}

/// Adds expired cookies, so the browser forgets the refresh token and its hint.
pub fn clear(response: &mut HttpResponseBuilder, state: &AppState) {
    response.cookie(
        Cookie::build(COOKIE, "")
            .path(PATH)
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure(state))
            .max_age(CookieDuration::ZERO)
            .finish(),
    );
    response.cookie(
        Cookie::build(HINT, "")
            .path("/")
            .same_site(SameSite::Strict)
            .secure(secure(state))
            .max_age(CookieDuration::ZERO)
            .finish(),
    );
}
