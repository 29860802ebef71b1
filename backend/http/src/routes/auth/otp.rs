//! Login by phone and SMS code.

use crate::auth::cookie;
use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidJson};
use crate::openapi::problems::InvalidFields;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{OtpRequest, OtpRequested, OtpVerifyRequest, TokenResponse};
use mezha_app::sessions;

/// Request an SMS login code.
///
/// A 6-digit code valid 5 minutes is sent to the number if an account uses
/// it; the answer is the same either way. A new code may be requested after
/// 2 minutes; requests are limited per number and per client address.
#[utoipa::path(
    tag = "auth",
    request_body = OtpRequest,
    responses(
        (status = 202, description = "Code sent (if an account uses the number)", body = OtpRequested),
        (status = 422, description = "`phone_format`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`otp_resend_too_early` or `rate_limited`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/otp/request")]
pub async fn request(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: ValidJson<OtpRequest>,
) -> Result<HttpResponse, ApiError> {
    let answer = sessions::request_otp(&state.logins(), &client, &body.0.phone).await?;
    Ok(HttpResponse::Accepted().json(answer))
}

/// Log in with the SMS code.
///
/// At most 5 wrong codes are accepted per code; then a new one is needed.
#[utoipa::path(
    operation_id = "verify_sms_code",
    tag = "auth",
    request_body = OtpVerifyRequest,
    params(("X-Token-Transport" = Option<String>, Header, description = "`cookie`: the refresh token is set as an httpOnly cookie instead of returned")),
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "`invalid_otp`, `otp_expired` or `otp_attempts_exceeded`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_blocked`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 429, description = "Too many checks from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/otp/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: ValidJson<OtpVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let tokens =
        sessions::verify_otp(&state.logins(), &client, &body.0.phone, &body.0.code).await?;
    Ok(cookie::token_response(&req, &state, tokens))
}
