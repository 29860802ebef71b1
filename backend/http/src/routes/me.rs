//! `/me`: the caller's profile and acting role.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ClientInfo, JsonBody, ValidJson};
use crate::openapi::problems::{Unauthorized, UpdateRefused};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, put, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{OtpRequest, OtpRequested, OtpVerifyRequest};
use mezha_api_types::me::{
    AccessTokenResponse, ActingRoleRequest, Me, SecondFactorSettings, UpdateMe,
};
use mezha_app::{accounts, sessions};

/// What awaits the caller now: his orders where it is his turn (acting
/// as customer or engineer), each with what to do, overdue orders first,
/// then the longest waiting (docs/orders.md, "What awaits me"). Empty in
/// other roles.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The tasks", body = mezha_api_types::orders::TaskList),
        Unauthorized,
    )
)]
#[get("/me/tasks")]
pub async fn my_tasks(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    let tasks = mezha_app::orders::tasks(&state.core(), &auth).await?;
    Ok(HttpResponse::Ok().json(tasks))
}

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
/// verified. A new phone number is saved by its SMS confirmation (`POST
/// /me/phone`), not here (`confirmation_required`); `null` removes it. A new e-mail address becomes unconfirmed and gets a
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
        (status = 422, description = "Invalid fields (`snils_checksum`, `inn_checksum`, `phone_format`, `confirmation_required`, …)", body = Problem, content_type = "application/problem+json"),
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

/// Send a code to confirm a phone number as the caller's.
///
/// A new number is saved only once confirmed (`POST /me/phone/confirm`);
/// the same limits as the SMS login (one code per 2 minutes, per number
/// and per client address).
#[utoipa::path(
    operation_id = "request_phone_code",
    tag = "me",
    security(("bearer" = [])),
    request_body = OtpRequest,
    responses(
        (status = 202, description = "The code is on its way to the number", body = OtpRequested),
        Unauthorized,
        (status = 422, description = "`phone_format`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`otp_resend_too_early` or `rate_limited`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/me/phone")]
pub async fn request_phone_code(
    state: web::Data<AppState>,
    auth: Auth,
    client: ClientInfo,
    body: ValidJson<OtpRequest>,
) -> Result<HttpResponse, ApiError> {
    let sent =
        accounts::request_phone_code(&state.accounts(), &auth, &client, &body.0.phone).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Confirm the phone number with the SMS code: it is saved to the profile.
#[utoipa::path(
    operation_id = "confirm_phone",
    tag = "me",
    security(("bearer" = [])),
    request_body = OtpVerifyRequest,
    responses(
        (status = 200, description = "The profile with the confirmed number", body = Me, headers(("ETag" = String, description = "New version"))),
        (status = 401, description = "No valid token, or `invalid_otp` / `otp_expired` / `otp_attempts_exceeded`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`phone_taken`: another account has the number", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`phone_format`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/phone/confirm")]
pub async fn confirm_phone(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<OtpVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let accounts = state.accounts();
    let user = accounts::confirm_phone(&accounts, &auth, &body.0.phone, &body.0.code).await?;
    Ok(respond(accounts::view(user, auth.role)))
}

/// Switch the SMS second factor on or off, with the account's password.
///
/// On, every password or certificate login also asks for a code sent to
/// the confirmed phone (`202` from the login, then `POST
/// /auth/second-factor`). Needs a confirmed phone.
#[utoipa::path(
    operation_id = "set_second_factor",
    tag = "me",
    security(("bearer" = [])),
    request_body = SecondFactorSettings,
    responses(
        (status = 200, description = "The profile", body = Me, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 409, description = "`phone_not_confirmed`: confirm a phone first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`wrong_password` on `password`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/second-factor")]
pub async fn set_second_factor(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<SecondFactorSettings>,
) -> Result<HttpResponse, ApiError> {
    let user = accounts::set_second_factor(&state.accounts(), &auth, &body.0).await?;
    Ok(respond(accounts::view(user, auth.role)))
}
