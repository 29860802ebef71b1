//! `/me`: the caller's profile and acting role.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{JsonBody, ValidJson};
use crate::openapi::problems::{Unauthorized, UpdateRefused};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use mezha_api_types::Problem;
use mezha_api_types::me::{AccessTokenResponse, ActingRoleRequest, Me, UpdateMe};
use mezha_app::{accounts, sessions};

fn respond(me: Me) -> HttpResponse {
    etagged(StatusCode::OK, me.version, &me)
}

/// The caller's profile.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Profile", body = Me, headers(("ETag" = String, description = "Version, for `If-Match`"))),
        Unauthorized,
    )
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    Ok(respond(accounts::me(&state.accounts(), &auth).await?))
}

/// Change the caller's profile.
///
/// Absent fields stay, `null` clears. SNILS and INN check digits are
/// verified; the phone is stored in E.164 and must not belong to another
/// account. A new e-mail address becomes unconfirmed and gets a
/// confirmation link. Send `If-Match` with the `ETag` of `GET /me` to
/// avoid overwriting a concurrent change (412 when stale).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMe,
    params(IfMatch),
    responses(
        (status = 200, description = "Updated profile", body = Me, headers(("ETag" = String, description = "New version"))),
        UpdateRefused,
        (status = 409, description = "`email_taken` or `phone_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`snils_checksum`, `inn_checksum`, `phone_format`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<UpdateMe>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    Ok(respond(
        accounts::update_me(&state.accounts(), &auth, expected, body.0).await?,
    ))
}

/// Switch the session's acting role.
///
/// The role must be one the account holds. Returns a new access token
/// carrying it; later refreshes keep it.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ActingRoleRequest,
    responses(
        (status = 200, description = "New access token", body = AccessTokenResponse),
        Unauthorized,
        (status = 403, description = "`role_not_held`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/acting-role")]
pub async fn switch_acting_role(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<ActingRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let answer = sessions::switch_role(&state.logins(), &auth, body.0.role).await?;
    Ok(HttpResponse::Ok().json(answer))
}
