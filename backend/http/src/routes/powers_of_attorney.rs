//! `/organisations/{id}/powers-of-attorney`: the machine-readable powers
//! of attorney (МЧД) the organisation's head issued to employees, kept in
//! its settings (docs/power-of-attorney.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::page::PageQuery;
use mezha_api_types::powers_of_attorney::{
    PowerOfAttorney, PowerOfAttorneyList, RevokePowerOfAttorney, SignPowerOfAttorney,
};
use mezha_app::organisations::powers_of_attorney as service;
use uuid::Uuid;

const NOT_YOURS: &str =
    "`not_found`: no such organisation or power of attorney, or the caller is not its member";
const ADMIN_ONLY: &str = "`forbidden`: only the organisation's admin, acting as `org_admin`; or the caller's membership is not active";

/// Upload a power of attorney's XML (the organisation's admin), streamed,
/// at most 1 MiB.
///
/// The body is the XML's exact bytes (`EMCHD_1`). It is read and checked
/// (docs/power-of-attorney.md, "The format read"): a refusal is a 422 with
/// the field `xml` and the code (`poa_malformed`, `poa_missing_number`,
/// `poa_other_principal`, …) and keeps nothing. Kept, it awaits the head's
/// signature (`POST …/signature`) and authorises nothing until then.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (the fingerprint is the content's SHA-256)"),
    ),
    request_body(
        description = "The XML's bytes",
        content((String = "application/xml"), (String = "text/xml")),
    ),
    responses(
        (status = 201, description = "Kept, awaiting the head's signature", body = PowerOfAttorney),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: one with this number is kept already, or the organisation is unconfirmed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not XML", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/organisations/{id}/powers-of-attorney")]
pub async fn upload_power_of_attorney(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let core = state.core();
    let upload =
        service::prepare(&core, &auth, id, crate::routes::files::declared_len(&req)).await?;
    let staged = crate::routes::files::stage(&state, upload, body).await?;
    let fingerprint = staged.fingerprint();
    let auth = &auth;
    Keyed::read(
        &req,
        auth,
        format!("POST /organisations/{id}/powers-of-attorney"),
        &fingerprint,
    )?
    .once(
        &state,
        service::upload(&core, auth, id, staged),
        |poa_id| service::get(&core, auth, id, poa_id),
        |poa| HttpResponse::Created().json(poa),
    )
    .await
}

/// The organisation's powers of attorney, newest first (any active
/// member: an employee sees what he may sign under).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Organisation id"), PageQuery),
    responses(
        (status = 200, description = "A page of the powers of attorney kept", body = PowerOfAttorneyList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/powers-of-attorney")]
pub async fn list_powers_of_attorney(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = service::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One power of attorney.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("poa_id" = Uuid, Path, description = "Power of attorney id"),
    ),
    responses(
        (status = 200, description = "The power of attorney", body = PowerOfAttorney),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/powers-of-attorney/{poa_id}")]
pub async fn get_power_of_attorney(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, poa_id) = path.into_inner();
    let poa = service::get(&state.core(), &auth, id, poa_id).await?;
    Ok(HttpResponse::Ok().json(poa))
}

/// The XML's exact bytes (what the head signs).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("poa_id" = Uuid, Path, description = "Power of attorney id"),
    ),
    responses(
        (status = 200, description = "The XML, with `X-Content-SHA256`", content_type = "application/xml"),
        (status = 206, description = crate::routes::files::RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        (status = 416, description = crate::routes::files::RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/powers-of-attorney/{poa_id}/xml")]
pub async fn power_of_attorney_xml(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, poa_id) = path.into_inner();
    let download = service::xml(&state.core(), &auth, id, poa_id).await?;
    crate::routes::files::stream_file(&req, download, "attachment").await
}

/// The head's detached signature of the XML (DER).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("poa_id" = Uuid, Path, description = "Power of attorney id"),
    ),
    responses(
        (status = 200, description = "The CMS (DER)", content_type = "application/pkcs7-signature"),
        Unauthorized,
        (status = 403, description = "`forbidden`: the caller's membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: as above, or not signed yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/powers-of-attorney/{poa_id}/signature")]
pub async fn power_of_attorney_signature(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, poa_id) = path.into_inner();
    let (number, der) = service::signature(&state.core(), &auth, id, poa_id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pkcs7-signature")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{number}.xml.p7s\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(der))
}

/// Add the head's detached CMS signature (PEM or base64 of DER) of the
/// XML's exact bytes (the organisation's admin).
///
/// It must validate `TOTAL_PASSED` (else `signature_refused`, with the
/// report) and be made with the organisation's certificate (its INN) or the
/// head's own (else `signer_not_party`). Accepted, the power of attorney is
/// `active`.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = SignPowerOfAttorney,
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("poa_id" = Uuid, Path, description = "Power of attorney id"),
    ),
    responses(
        (status = 200, description = "Active", body = PowerOfAttorney),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 422, description = "`signature_refused` or `signer_not_party` (with the report), or bad fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{id}/powers-of-attorney/{poa_id}/signature")]
pub async fn sign_power_of_attorney(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<SignPowerOfAttorney>,
) -> Result<HttpResponse, ApiError> {
    let (id, poa_id) = path.into_inner();
    let poa = service::sign(&state.certificates(), &auth, id, poa_id, body.0).await?;
    Ok(HttpResponse::Ok().json(poa))
}

/// Revoke a power of attorney (the organisation's admin), with a reason.
///
/// It authorises nothing from then on: no new signature under it, and a
/// deal whose statements were signed under it is not sent.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = RevokePowerOfAttorney,
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("poa_id" = Uuid, Path, description = "Power of attorney id"),
    ),
    responses(
        (status = 200, description = "Revoked", body = PowerOfAttorney),
        Unauthorized,
        (status = 403, description = ADMIN_ONLY, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_YOURS, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/organisations/{id}/powers-of-attorney/{poa_id}/revoke")]
pub async fn revoke_power_of_attorney(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<RevokePowerOfAttorney>,
) -> Result<HttpResponse, ApiError> {
    let (id, poa_id) = path.into_inner();
    let poa = service::revoke(&state.core(), &auth, id, poa_id, body.0).await?;
    Ok(HttpResponse::Ok().json(poa))
}
