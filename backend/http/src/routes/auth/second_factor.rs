//! The second step of a login with the SMS second factor on
//! (docs/accounts.md, "Phone and the second factor").

use crate::auth::cookie;
use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidJson};
use crate::openapi::problems::InvalidFields;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{
    Accepted, ConfirmEmailRequest, SecondFactorRequired, SecondFactorTicket,
    SecondFactorVerifyRequest, TokenResponse,
};
use mezha_app::accounts;
use mezha_app::second_factor::{self, LoginStep};

/// A login's answer: `200` with the tokens, or `202` with the second step.
pub(crate) fn login_answer(req: &HttpRequest, state: &AppState, step: LoginStep) -> HttpResponse {
    match step {
        LoginStep::Tokens(tokens) => cookie::token_response(req, state, *tokens),
        LoginStep::SecondFactor(required) => HttpResponse::Accepted().json(required),
    }
}

/// Finish a login with the SMS code (the second factor).
///
/// The ticket of the login's `202` answer and the code sent to the
/// account's phone start the session. Five wrong codes end the ticket:
/// log in again.
#[utoipa::path(
    operation_id = "verify_second_factor",
    tag = "auth",
    request_body = SecondFactorVerifyRequest,
    params(("X-Token-Transport" = Option<String>, Header, description = "`cookie`: the refresh token is set as an httpOnly cookie instead of returned")),
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "`invalid_otp`, `otp_expired` (the ticket or its code is gone) or `otp_attempts_exceeded`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_blocked`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 429, description = "Too many checks from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/second-factor")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: ValidJson<SecondFactorVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let tokens =
        second_factor::verify(&state.logins(), &client, &body.0.ticket, &body.0.code).await?;
    Ok(cookie::token_response(&req, &state, tokens))
}

/// Send the second-factor code again (after the resend pause).
#[utoipa::path(
    operation_id = "resend_second_factor",
    tag = "auth",
    request_body = SecondFactorTicket,
    responses(
        (status = 202, description = "A new code is on its way", body = SecondFactorRequired),
        (status = 401, description = "`otp_expired`: the ticket is gone, log in again", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 429, description = "`otp_resend_too_early`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/second-factor/resend")]
pub async fn resend(
    state: web::Data<AppState>,
    body: ValidJson<SecondFactorTicket>,
) -> Result<HttpResponse, ApiError> {
    let required = second_factor::resend(&state.logins(), &body.0.ticket).await?;
    Ok(HttpResponse::Accepted().json(required))
}

/// The phone is lost: mail a link that switches the second factor off.
///
/// The ticket (the password or certificate step passed) ends; the account's
/// e-mail gets a link to `/second-factor-recovery?token=…`.
#[utoipa::path(
    operation_id = "recover_second_factor",
    tag = "auth",
    request_body = SecondFactorTicket,
    responses(
        (status = 202, description = "The link is on its way to the account's e-mail", body = Accepted),
        (status = 401, description = "`otp_expired`: the ticket is gone, log in again", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/auth/second-factor/recover")]
pub async fn recover(
    state: web::Data<AppState>,
    body: ValidJson<SecondFactorTicket>,
) -> Result<HttpResponse, ApiError> {
    accounts::request_second_factor_recovery(&state.accounts(), &state.logins(), &body.0.ticket)
        .await?;
    Ok(super::link_on_its_way(
        "A link that switches the second factor off is on its way to the account's e-mail.",
    ))
}

/// Switch the second factor off with the link from the recovery mail.
///
/// The lost number is removed from the profile and every session ends;
/// log in with the password (and confirm a new phone to switch the second
/// factor on again).
#[utoipa::path(
    operation_id = "confirm_second_factor_recovery",
    tag = "auth",
    request_body = ConfirmEmailRequest,
    responses(
        (status = 204, description = "The second factor is off; log in again"),
        (status = 400, description = "`invalid_token`: unknown, used or expired link", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/auth/second-factor/recover/confirm")]
pub async fn confirm_recovery(
    state: web::Data<AppState>,
    body: ValidJson<ConfirmEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    accounts::confirm_second_factor_recovery(&state.accounts(), &body.0.token).await?;
    Ok(HttpResponse::NoContent().finish())
}
