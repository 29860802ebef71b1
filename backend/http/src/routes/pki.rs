//! `/pki`: the platform CA's certificates and CRL (public, no token).

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use mezha_api_types::Problem;
use mezha_app::certificates::certs;

/// The platform CA chain: the root, then the issuing CA (PEM).
///
/// Add the root as a trust anchor to validate certificates the platform
/// issued.
#[utoipa::path(
    tag = "pki",
    responses(
        (status = 200, description = "Root and issuing CA certificates", content_type = "application/x-pem-file", body = String),
        (status = 503, description = "No CA configured", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pki/ca.pem")]
pub async fn ca_pem(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let certificates = state.certificates();
    let pki = certificates.pki()?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(pki.chain_pem().to_owned()))
}

/// The issuing CA's current CRL (DER), republished on every revocation
/// and before its `nextUpdate` (7 days).
#[utoipa::path(
    tag = "pki",
    responses(
        (status = 200, description = "The CRL", content_type = "application/pkix-crl", body = Vec<u8>),
        (status = 503, description = "No CA configured", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pki/crl")]
pub async fn crl(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let certificates = state.certificates();
    certificates.pki()?;
    let der = certs::current_crl(&certificates).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pkix-crl")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(der))
}
