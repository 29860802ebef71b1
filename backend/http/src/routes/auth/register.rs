//! Registration and e-mail confirmation.

use crate::error::ApiError;
use crate::extract::{ClientInfo, JsonBody, ValidJson};
use crate::idempotency::Keyed;
use crate::openapi::problems::{InvalidFields, MalformedJson, TooManyEmails};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{
    Accepted, ConfirmEmailRequest, ConfirmEmailResponse, PasswordResetRequest, RegisterRequest,
    RegisterResponse,
};
use mezha_app::accounts;

/// Register by e-mail and password.
///
/// Creates a customer account with an unconfirmed e-mail address and sends
/// a confirmation link to it. Logging in requires the confirmation. Send
/// `Idempotency-Key` so that a retry gets the first answer (and the owner
/// of a taken address is not told twice).
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer (e.g. a UUID)")),
    responses(
        (status = 201, description = "Account created, confirmation link sent; also the answer for an address that already has an account (its owner is told by e-mail)", body = RegisterResponse),
        MalformedJson,
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`too_short`, `too_common`, `invalid_email`, …) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    req: HttpRequest,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    // A retry's key is looked up among the registrations of the same
    // address; the fingerprint leaves the password out, which is kept in
    // no form but its Argon2 hash (docs/API.md, "Idempotency").
    let about = input.email.trim().to_lowercase();
    let fingerprint = (&input.email, &input.full_name);
    let accounts = state.accounts();
    // A taken address is answered like a new one (its owner gets a mail):
    // the answer does not tell who has an account (docs/accounts.md).
    Keyed::anonymous(&req, &about, "POST /auth/register", &fingerprint)?
        .once(
            &state,
            async {
                accounts::register(&accounts, &client, &input)
                    .await
                    .map(|registered| registered.answer())
            },
            |id| accounts::registered(&accounts, id),
            |answer| HttpResponse::Created().json(answer),
        )
        .await
}

/// Confirm an e-mail address with the token from the link.
#[utoipa::path(
    tag = "auth",
    request_body = ConfirmEmailRequest,
    responses(
        (status = 200, description = "Confirmed", body = ConfirmEmailResponse),
        (status = 400, description = "`invalid_token`: unknown, used or expired link", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/auth/confirm-email")]
pub async fn confirm_email(
    state: web::Data<AppState>,
    body: ValidJson<ConfirmEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = accounts::confirm_email(&state.accounts(), &body.0.token).await?;
    Ok(HttpResponse::Ok().json(ConfirmEmailResponse { email: user.email }))
}

/// Send the confirmation link again.
///
/// Answers 202 whether or not an unconfirmed account has this address.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Sent if an unconfirmed account has this address", body = Accepted),
        InvalidFields,
        TooManyEmails,
    )
)]
#[post("/auth/confirm-email/resend")]
pub async fn resend_confirmation(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    accounts::resend_confirmation(&state.accounts(), &client, &body.0.email).await?;
    Ok(super::link_on_its_way(
        "If an unconfirmed account uses this address, a new link is on its way.",
    ))
}
