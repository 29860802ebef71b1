//! `/orders/{id}/contracts`, `/contracts/{id}`: contract versions and
//! their signatures (docs/contracts.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::routes::files::document_file;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::contracts::{
    Contract, ContractList, DeclineContract, DocumentFormat, DocumentQuery, NewContract,
    SignContract,
};
use mezha_api_types::page::PageQuery;
use mezha_app::contracts as service;
use uuid::Uuid;

/// Make a new contract version (the order's executor, acting as engineer).
///
/// Give `terms` to render the template (amounts in kopecks; advance +
/// remainder = price, the advance is `advance_percent` of the price, an
/// advance exactly when the order requires a prepayment; e-mail and phone
/// default to the profile's; an employee's contract carries his employer's
/// requisites), or `file_id` of a PDF/A file uploaded with `POST /files`.
/// The open versions of the order are voided.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    request_body = NewContract,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The new version, awaiting the engineer's signature", body = Contract),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or the uploaded file is not yours", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 422, description = "`validation_failed` (each term beside its field) or `not_pdf_a`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/contracts")]
pub async fn create_contract(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewContract>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/contracts");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::create(&core, &auth, order_id, input.clone()),
            |id| service::get(&core, &auth, id),
            |contract| HttpResponse::Created().json(contract),
        )
        .await
}

/// The contract versions of an order, oldest first.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Versions, oldest first, with their signatures", body = ContractList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One contract version, with its signatures and what the caller may do.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Contract version id")),
    responses(
        (status = 200, description = "The version", body = Contract),
        Unauthorized,
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{id}")]
pub async fn get_contract(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// The version's document: the exact bytes the signatures bind to
/// (`X-Content-SHA256` is their SHA-256), shown inline; `format=docx`
/// gives the same text as DOCX (template versions), as an attachment.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Contract version id"), DocumentQuery),
    responses(
        (status = 200, description = "The document (PDF, or DOCX)", content_type = "application/pdf"),
        (status = 206, description = crate::routes::files::RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 404, description = "No such version, its order is not yours to see, or no DOCX (an uploaded contract)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `format`, or a query parameter the server does not take", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = crate::routes::files::RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{id}/document")]
pub async fn contract_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<DocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = query.format.unwrap_or(DocumentFormat::Pdf);
    let download = service::document(&state.core(), &auth, id.into_inner(), format).await?;
    document_file(&req, download, format).await
}

/// Sign the version as one's party: a detached CMS signature (PEM or base64
/// of DER) of its exact bytes.
///
/// The engineer signs first, then the customer. The signature must
/// validate `TOTAL_PASSED` (else `signature_refused`) and its certificate
/// must be the signing party's: issued to him by the platform, or with his
/// SNILS or INN (else `signer_not_party`); both answers carry the `report`
/// and store nothing. The second signature moves the order to `prepayment`
/// or `in_progress`.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    request_body = SignContract,
    params(("id" = Uuid, Path, description = "Contract version id")),
    responses(
        (status = 200, description = "The version with the new signature", body = Contract),
        Unauthorized,
        (status = 403, description = "`forbidden`: not a party to the order in the acting role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
        (status = 422, description = "`signature_refused` or `signer_not_party`, with the validation `report`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contracts/{id}/signatures")]
pub async fn sign_contract(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<SignContract>,
) -> Result<HttpResponse, ApiError> {
    let contract = service::sign(&state.certificates(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(contract))
}

/// Decline to sign the version, with a reason (the customer, once the
/// engineer signed): the engineer makes a new version.
#[utoipa::path(
    tag = "contracts",
    security(("bearer" = [])),
    request_body = DeclineContract,
    params(("id" = Uuid, Path, description = "Contract version id")),
    responses(
        (status = 200, description = "The declined version", body = Contract),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/contracts/{id}/decline")]
pub async fn decline_contract(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<DeclineContract>,
) -> Result<HttpResponse, ApiError> {
    let contract = service::decline(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(contract))
}
