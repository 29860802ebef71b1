//! Certificate applications an organisation's CA agent files for a client
//! of its base, and the client's claim of one through the mailed link
//! (docs/certificates.md, "Filed by an organisation's CA agent").

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::routes::versioned::etagged;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::certificate_agents::{
    AgentApplication, AgentApplicationList, ClaimPreview, ClaimToken, FileApplication,
};
use mezha_api_types::certificates::CertificateApplication;
use mezha_api_types::page::PageQuery;
use mezha_app::certificates::agents as service;
use uuid::Uuid;

const NO_AGENT: &str = "`forbidden`: not acting as `org_admin` or `org_employee`, the membership is not active, or no `ca_agent` right";

const NOT_FOUND: &str = "`not_found`: no such client in the caller's organisation";

const LINK_INVALID: &str =
    "`invalid_token`: the link is unknown, used, expired or replaced by a newer one";

/// File a certificate application for a client of the base, as the
/// organisation's CA agent.
///
/// The application is an individual's, filled from the client's card
/// (name, SNILS, INN, passport, e-mail, phone; no organisation) and
/// submitted to the certification centre at once: the agent has checked
/// the original passport in person, so no scans are needed. Every datum the
/// card lacks or has wrong is named under the card's field (422, nothing
/// filed). Once an operator approves it, the client is mailed a one-use
/// link to claim it with his own account and issue the certificate with
/// his own key.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = FileApplication,
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "Filed and submitted", body = AgentApplication),
        Unauthorized,
        (status = 403, description = NO_AGENT, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: an application for the client is under way, or the organisation is not confirmed", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/clients/{id}/certificate-applications")]
pub async fn file_certificate_application(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<FileApplication>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let core = state.core();
    Keyed::read(
        &req,
        &auth,
        format!("POST /clients/{id}/certificate-applications"),
        &input,
    )?
    .once(
        &state,
        service::file(&core, &auth, id, input.clone()),
        |created| service::filed(&core, &auth, created),
        |a| HttpResponse::Created().json(a),
    )
    .await
}

/// The certificate applications filed for a client, newest first, with
/// their status and where the client's claim stands.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id"), PageQuery),
    responses(
        (status = 200, description = "A page of applications", body = AgentApplicationList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = NO_AGENT, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[get("/clients/{id}/certificate-applications")]
pub async fn list_client_certificate_applications(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = service::list(&state.core(), &auth, id.into_inner(), &page).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Mail the client a new link to claim an approved application (the
/// earlier link stops working): when he lost it or it ran out.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("application_id" = Uuid, Path, description = "Certificate application id"),
    ),
    responses(
        (status = 200, description = "Mailed", body = AgentApplication),
        Unauthorized,
        (status = 403, description = NO_AGENT, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client, or no such application filed for him", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[post("/clients/{id}/certificate-applications/{application_id}/resend-link")]
pub async fn resend_certificate_claim_link(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (client, application) = path.into_inner();
    let a = service::resend_link(&state.accounts(), &auth, client, application).await?;
    Ok(HttpResponse::Ok().json(a))
}

/// What a claim link offers: the organisation that filed the application
/// and for whom (the page the link opens; no account needed).
#[utoipa::path(
    tag = "certificates",
    request_body = ClaimToken,
    responses(
        (status = 200, description = "The application waiting to be claimed", body = ClaimPreview),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/certificate-claims/preview")]
pub async fn preview_certificate_claim(
    state: web::Data<AppState>,
    body: ValidJson<ClaimToken>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::preview(&state.core(), &body.0.token).await?))
}

/// Claim the application with the signed-in account, which becomes its
/// owner (once: the link is spent). Then issue it like any approved
/// application: `issue-code`, then `issue` with the consent, a CSR of a key
/// made on the owner's side and the SMS code sent to the application's
/// phone.
#[utoipa::path(
    tag = "certificates",
    security(("bearer" = [])),
    request_body = ClaimToken,
    responses(
        (status = 200, description = "Claimed: the application, now the caller's", body = CertificateApplication, headers(("ETag" = String, description = "Version"))),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "`forbidden`: a staff role, or the account's profile names another SNILS", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/certificate-claims/accept")]
pub async fn accept_certificate_claim(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<ClaimToken>,
) -> Result<HttpResponse, ApiError> {
    let app = service::claim(&state.core(), &auth, &body.0.token).await?;
    Ok(etagged(StatusCode::OK, app.version, &app))
}
