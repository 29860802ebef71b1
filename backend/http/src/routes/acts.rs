//! `/orders/{id}/acts`, `/acts/{id}`: versions of the act of completed
//! works and their signatures (docs/acts.md). Signing and declining take
//! the same bodies as a contract's and answer the same way.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::routes::files::document_file;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::acts::{Act, ActList, NewAct};
use mezha_api_types::contracts::{DeclineContract, DocumentFormat, DocumentQuery, SignContract};
use mezha_api_types::page::PageQuery;
use mezha_app::acts as service;
use uuid::Uuid;

/// Make a new version of the act of completed works (the order's
/// executor, acting as engineer), once the customer has accepted the
/// results: in `registration` or `payment`, until an act is signed by
/// both.
///
/// The act is made from the order, its signed contract (number, object,
/// deadline, price) and its deliveries; `completed_on` defaults to today.
/// The open versions of the act are voided.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    request_body = NewAct,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The new version, awaiting the engineer's signature", body = Act),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/acts")]
pub async fn create_act(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewAct>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/acts");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::create(&core, &auth, order_id, input.clone()),
            |id| service::get(&core, &auth, id),
            |act| HttpResponse::Created().json(act),
        )
        .await
}

/// The act versions of an order, oldest first.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Versions, oldest first, with their signatures", body = ActList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/acts")]
pub async fn list_acts(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One act version, with its signatures and what the caller may do.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Act version id")),
    responses(
        (status = 200, description = "The version", body = Act),
        Unauthorized,
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/acts/{id}")]
pub async fn get_act(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// The act's document: the exact bytes the signatures bind to
/// (`X-Content-SHA256` is their SHA-256), shown inline; `format=docx`
/// gives the same text as DOCX, as an attachment.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Act version id"), DocumentQuery),
    responses(
        (status = 200, description = "The document (PDF, or DOCX)", content_type = "application/pdf"),
        (status = 206, description = crate::routes::files::RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `format`, or a query parameter the server does not take", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = crate::routes::files::RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/acts/{id}/document")]
pub async fn act_document(
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

/// Sign the act version as one's party: a detached CMS signature (PEM or
/// base64 of DER) of its exact bytes.
///
/// The engineer signs first, then the customer; the same checks as a
/// contract's signature (`signature_refused`, `signer_not_party`, each
/// with the `report`, nothing stored). The second signature makes the act
/// signed; the order completes if its final payment is confirmed already,
/// else when it is.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    request_body = SignContract,
    params(("id" = Uuid, Path, description = "Act version id")),
    responses(
        (status = 200, description = "The version with the new signature", body = Act),
        Unauthorized,
        (status = 403, description = "`forbidden`: not a party to the order in the acting role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
        (status = 422, description = "`signature_refused` or `signer_not_party`, with the validation `report`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/acts/{id}/signatures")]
pub async fn sign_act(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<SignContract>,
) -> Result<HttpResponse, ApiError> {
    let act = service::sign(&state.certificates(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(act))
}

/// Decline to sign the act version, with a reason (the customer, once the
/// engineer signed): the engineer makes a new version.
#[utoipa::path(
    tag = "acts",
    security(("bearer" = [])),
    request_body = DeclineContract,
    params(("id" = Uuid, Path, description = "Act version id")),
    responses(
        (status = 200, description = "The declined version", body = Act),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/acts/{id}/decline")]
pub async fn decline_act(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<DeclineContract>,
) -> Result<HttpResponse, ApiError> {
    let act = service::decline(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(act))
}
