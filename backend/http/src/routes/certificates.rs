//! `/certificate-applications` and `/certificates`: the certification
//! authority (docs/certificates.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{JsonBody, ValidJson};
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use mezha_api_types::ErrorCode;
use mezha_api_types::Problem;
use mezha_api_types::certificates::{
    ApplicationInput, ApplicationList, ApplicationListQuery, Certificate, CertificateApplication,
    CertificateFormatQuery, CertificateList, CertificateListQuery, IssueCertificate, IssueCodeSent,
    RejectApplication, RevokeCertificate,
};
use mezha_api_types::page::PageQuery;
use mezha_app::certificates::{self as service, certs, form, issue};
use uuid::Uuid;

/// Apply for a certificate (a draft).
///
/// Any signed-in account applies for itself (not in the `ca_operator` or
/// `moderator` role). The draft is pre-filled from the profile (name,
/// SNILS, personal INN, e-mail, phone); for `legal_entity` the
/// organisation comes from the employer record and cannot be typed. Send
/// `Idempotency-Key` so that a retried request returns the first answer.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = ApplicationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (e.g. a UUID)")),
    responses(
        (status = 201, description = "Created draft", body = CertificateApplication, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 403, description = "Staff role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`snils_checksum`, `inn_not_personal`, `passport_series_format`, `unknown_file`, …) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificate-applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: JsonBody<ApplicationInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /certificate-applications", &input)?
        .once(
            &state,
            service::create(&core, &auth, input),
            |id| service::created(&core, &auth, id),
            created_application,
        )
        .await
}

/// `201` with the application, its `ETag` and `Location`.
fn created_application(app: &CertificateApplication) -> HttpResponse {
    let mut response = etagged(StatusCode::CREATED, app.version, app);
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("/api/v1/certificate-applications/{}", app.id))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The caller's applications; operators and moderators see everyone's.
///
/// Newest first. Operators filter `status=submitted` for the review queue.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(ApplicationListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of applications", body = ApplicationList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    )
)]
#[get("/certificate-applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ApplicationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), &auth, &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One application (its owner, operators, moderators; 404 for others).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = CertificateApplication, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 404, description = "No such application (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificate-applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (app, actor) = service::load(&state.core(), &auth, id.into_inner()).await?;
    let app = service::view(&state.core(), actor, app).await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}

/// Edit a draft or rejected application (its owner).
///
/// Absent fields are kept, a value replaces, an empty string clears.
/// `If-Match: "v{version}"` guards against lost updates (412).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = ApplicationInput,
    params(
        ("id" = Uuid, Path, description = "Application id"),
        ("If-Match" = Option<String>, Header, description = "`\"v{version}\"` from the ETag"),
    ),
    responses(
        (status = 200, description = "The application", body = CertificateApplication, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = "Not the owner's action", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (not draft or rejected)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[patch("/certificate-applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<ApplicationInput>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let version = if_match.expected()?;
    let app = service::update(&state.core(), &auth, id.into_inner(), version, body.0).await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}

/// Submit for review (owner): needs every required field and the three
/// scans (passport, SNILS, the signed form); `required` errors otherwise.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Submitted", body = CertificateApplication),
        Unauthorized,
        (status = 403, description = "Not the owner's action", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 422, description = "Required fields missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificate-applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let app = service::submit(&state.core(), &auth, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}

/// Approve a submitted application (acting as `ca_operator`).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Approved", body = CertificateApplication),
        Unauthorized,
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[post("/certificate-applications/{id}/approve")]
pub async fn approve_application(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let app = service::decide(&state.accounts(), &auth, id.into_inner(), None).await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}

/// Reject a submitted application with reasons (acting as `ca_operator`);
/// the owner edits and submits again.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = RejectApplication,
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Rejected", body = CertificateApplication),
        Unauthorized,
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 422, description = "No reasons", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificate-applications/{id}/reject")]
pub async fn reject_application(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<RejectApplication>,
) -> Result<HttpResponse, ApiError> {
    let app = service::decide(
        &state.accounts(),
        &auth,
        id.into_inner(),
        Some(body.0.reasons),
    )
    .await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}

/// Send the SMS code that confirms issuing (owner; approved applications).
///
/// To the application's phone; valid 5 minutes, a new one after 2, five
/// wrong attempts per code.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Code sent", body = IssueCodeSent),
        Unauthorized,
        (status = 403, description = "Not the owner's action", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (not approved)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`otp_resend_too_early`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificate-applications/{id}/issue-code")]
pub async fn issue_code(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sent = issue::request_code(&state.certificates(), &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(sent))
}

/// Issue the certificate (owner): consent + PKCS#10 CSR + the SMS code.
///
/// The CSR's signature must verify (ECDSA P-256/P-384, RSA ≥ 2048, GOST R
/// 34.10-2012) and its subject must name the owner: CN = full name, SNILS
/// (1.2.643.100.3), INN (1.2.643.3.131.1.1) when present. The certificate's
/// subject is the application's; only the key is taken from the CSR.
/// Send `Idempotency-Key`: a retry with it gets the certificate the first
/// request issued; without it, a retry is refused (the application is
/// `issued` and the SMS code spent).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = IssueCertificate,
    params(
        ("id" = Uuid, Path, description = "Application id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the certificate issued first"),
    ),
    responses(
        (status = 201, description = "Issued certificate", body = Certificate),
        (status = 401, description = "No valid token, or `invalid_otp` / `otp_expired` / `otp_attempts_exceeded`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owner's action", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (not approved) or `idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_csr`, `csr_subject_mismatch` (field named in `errors`), no consent, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificate-applications/{id}/issue")]
pub async fn issue_certificate(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<IssueCertificate>,
) -> Result<HttpResponse, ApiError> {
    let application_id = id.into_inner();
    let scope = format!("POST /certificate-applications/{application_id}/issue");
    let certificates = state.certificates();
    let input = body.0;
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            issue::issue(&certificates, &auth, application_id, input),
            |id| certs::issued(&certificates, &auth, id),
            |cert| {
                HttpResponse::Created()
                    .insert_header((
                        header::LOCATION,
                        format!("/api/v1/certificates/{}", cert.id),
                    ))
                    .json(cert)
            },
        )
        .await
}

/// The application form to print, sign and upload as `form_scan_id` (PDF).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The form", content_type = "application/pdf", body = Vec<u8>),
        Unauthorized,
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificate-applications/{id}/form.pdf")]
pub async fn application_form(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pdf = form::form_pdf(&state.core(), &auth, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"application-{id}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(pdf))
}

/// The caller's certificates; operators and moderators see everyone's.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(CertificateListQuery),
    responses(
        (status = 200, description = "A page of certificates, newest first", body = CertificateList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    )
)]
#[get("/certificates")]
pub async fn list_certificates(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<CertificateListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = certs::list(&state.certificates(), &auth, &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One certificate: JSON with its PEM, or `?format=pem|der` as a download.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Certificate id"), CertificateFormatQuery),
    responses(
        (status = 200, description = "The certificate (JSON; `application/x-pem-file` or `application/pkix-cert` with `format`)", body = Certificate),
        (status = 400, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such certificate (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/certificates/{id}")]
pub async fn get_certificate(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<CertificateFormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let cert = certs::load(&state.certificates(), &auth, id.into_inner()).await?;
    let download = |content_type: &str, ext: &str, body: Vec<u8>| {
        HttpResponse::Ok()
            .content_type(content_type.to_owned())
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{ext}\"", cert.serial),
            ))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .body(body)
    };
    match query.format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .json(certs::view(&state.certificates(), cert)?)),
        Some("pem") => Ok(download(
            "application/x-pem-file",
            "pem",
            certs::pem(&cert.der)?.into_bytes(),
        )),
        Some("der") => Ok(download("application/pkix-cert", "cer", cert.der.clone())),
        Some(other) => Err(ApiError::new(
            ErrorCode::BadRequest,
            mezha_app::msg!("certificates.unknown_format", format = other),
        )),
    }
}

/// Revoke a valid certificate (its owner or an operator), with a reason.
///
/// A new CRL is published at once (`GET /pki/crl`) and signatures made
/// with the certificate fail validation from the revocation time on.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = RevokeCertificate,
    params(("id" = Uuid, Path, description = "Certificate id")),
    responses(
        (status = 200, description = "Revoked certificate", body = Certificate),
        Unauthorized,
        (status = 403, description = "Neither owner nor operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: already revoked or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificates/{id}/revoke")]
pub async fn revoke_certificate(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<RevokeCertificate>,
) -> Result<HttpResponse, ApiError> {
    let cert = certs::revoke(&state.certificates(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(cert))
}

/// Renew a still-valid certificate (owner): a new draft application with
/// the old one's data (the signed form must be uploaded again).
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Certificate id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: a retry answers the same draft"),
    ),
    responses(
        (status = 201, description = "The new draft", body = CertificateApplication, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 403, description = "Not the owner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: revoked or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/certificates/{id}/renew")]
pub async fn renew_certificate(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let cert_id = id.into_inner();
    let scope = format!("POST /certificates/{cert_id}/renew");
    let core = state.core();
    Keyed::read(&req, &auth, scope, &())?
        .once(
            &state,
            certs::renew(&state.certificates(), &auth, cert_id),
            |id| service::created(&core, &auth, id),
            created_application,
        )
        .await
}
