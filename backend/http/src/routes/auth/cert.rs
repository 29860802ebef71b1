//! Login by certificate: a challenge to sign, then the signature.

use crate::error::ApiError;
use crate::extract::{ClientInfo, ValidJson};
use crate::openapi::problems::InvalidFields;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use mezha_api_types::Problem;
use mezha_api_types::auth::{
    CertChallenge, CertVerifyRequest, SecondFactorRequired, TokenResponse,
};
use mezha_app::cert_login;

/// Get a certificate-login challenge.
///
/// A one-time nonce, valid 5 minutes. Sign its characters as a detached
/// CMS with the certificate's key (`openssl cms -sign -binary -outform DER`,
/// or the web app's signing component) and send the signature to
/// `POST /auth/cert/verify`.
#[utoipa::path(
    tag = "auth",
    responses((status = 201, description = "The challenge", body = CertChallenge))
)]
#[post("/auth/cert/challenge")]
pub async fn challenge(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(cert_login::challenge(&state.cert_login()).await?))
}

/// Log in with a signed challenge.
///
/// The signature must validate `TOTAL_PASSED` (as `POST /signatures/validate`
/// would say) against the platform CA or a configured trusted CA, now. A
/// certificate the platform issued logs its owner in; a certificate of
/// another trusted CA logs in the one account with its SNILS. Each
/// challenge is answered once. With the SMS second factor on, `202` and
/// the second step, as for the password login.
#[utoipa::path(
    operation_id = "verify_certificate_login",
    tag = "auth",
    request_body = CertVerifyRequest,
    params(("X-Token-Transport" = Option<String>, Header, description = "`cookie`: the refresh token is set as an httpOnly cookie instead of returned")),
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 202, description = "The account asks for the SMS second factor: finish with `POST /auth/second-factor`", body = SecondFactorRequired),
        (status = 401, description = "`challenge_expired`, `certificate_not_accepted` (the signature's indication in `detail`) or `certificate_not_linked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_blocked`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/cert/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: ValidJson<CertVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let step = cert_login::verify(&state.cert_login(), &client, &body.0).await?;
    Ok(super::second_factor::login_answer(&req, &state, step))
}
