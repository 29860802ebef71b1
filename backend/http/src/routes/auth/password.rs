//! Password reset by e-mail.

use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidJson};
use crate::openapi::problems::{InvalidFields, TooManyEmails};
use crate::state::AppState;
use actix_web::{HttpResponse, post, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{Accepted, PasswordResetConfirm, PasswordResetRequest};
use mezha_app::accounts;

/// Request a password-reset link by e-mail.
///
/// Answers 202 whether or not an account has this address.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Sent if an account has this address", body = Accepted),
        InvalidFields,
        TooManyEmails,
    )
)]
#[post("/auth/password-reset/request")]
pub async fn request_reset(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    accounts::request_password_reset(&state.accounts(), &client, &body.0.email).await?;
    Ok(super::link_on_its_way(
        "If an account uses this address, a reset link is on its way.",
    ))
}

/// Set a new password with the token from the reset link.
///
/// Every session of the account ends.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed; all sessions ended"),
        (status = 400, description = "`invalid_token`: unknown, used or expired link", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`too_short`, `too_common`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_reset(
    state: web::Data<AppState>,
    body: ValidJson<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    accounts::confirm_password_reset(&state.accounts(), &body.0.token, &body.0.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
