//! `/deals`: an organisation's electronic registration of real-estate deals
//! (docs/deals.md). A deal is seen by its responsible employee and by
//! members with `see_all_deals` (the admin among them); everyone else gets
//! 404. Every representation carries `allowed_actions`; a step the status
//! does not allow is 409 naming the status and what is allowed.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, StaleVersion, Unauthorized};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use mezha_api_types::Problem;
use mezha_api_types::deals::{
    Deal, DealHistory, DealList, DealPatch, DealRegistryStatus, DealsQuery, NewDeal,
    NewParticipant, SignDealDocument,
};
use mezha_api_types::page::PageQuery;
use mezha_app::deals::{self as service, documents, participants, registry, signing, statements};
use uuid::Uuid;

const NO_DEALS: &str = "`forbidden`: not acting as `org_admin` or `org_employee`, the membership is not active, or the right this step needs is missing (`create_deals`; `send_to_registry`; `sign_on_behalf` to sign for the organisation)";
const UNCONFIRMED: &str = "`conflict`: the organisation is not confirmed yet";
const NOT_SEEN: &str = "No such deal, or not yours to see (another employee's without `see_all_deals`, another organisation's)";

fn deal_response(status: StatusCode, deal: &Deal) -> HttpResponse {
    etagged(status, deal.version, deal)
}

/// Start a new deal (a draft) in the caller's organisation, with him
/// responsible for it. Needs `create_deals`.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    request_body = NewDeal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "The new draft", body = Deal, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/deals")]
pub async fn create_deal(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: ValidJson<NewDeal>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /deals".to_owned(), &input)?
        .once(
            &state,
            service::create(&core, &auth, input.clone()),
            |id| service::current(&core, &auth, id),
            |deal| deal_response(StatusCode::CREATED, deal),
        )
        .await
}

/// The deals the caller sees, newest first: his own, or every deal of the
/// organisation with `see_all_deals`; `status` filters.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(DealsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of deals", body = DealList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[get("/deals")]
pub async fn list_deals(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<DealsQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::list(&state.core(), &auth, &query).await?))
}

/// One deal: its object, participants, documents and statements with
/// their signatures, what is still missing, and what the caller may do.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/deals/{id}")]
pub async fn get_deal(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let deal = service::get(&state.core(), &auth, id.into_inner()).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Change a draft's title or object (saved at once; the web app sends each
/// change). Send `If-Match` with the `ETag` (412 when stale).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    request_body = DealPatch,
    params(("id" = Uuid, Path, description = "Deal id"), IfMatch),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        StaleVersion,
        InvalidFields,
    )
)]
#[patch("/deals/{id}")]
pub async fn update_deal(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<DealPatch>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let deal = service::update(&state.core(), &auth, id.into_inner(), expected, body.0).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Delete a draft.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[delete("/deals/{id}")]
pub async fn delete_deal(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::delete(&state.core(), &auth, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What happened to the deal, oldest first: each change of its data, each
/// signature, each status with the registry's messages.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id"), PageQuery),
    responses(
        (status = 200, description = "A page of the history", body = DealHistory),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[get("/deals/{id}/history")]
pub async fn deal_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(service::history(&state.core(), &auth, id.into_inner(), &page).await?))
}

/// Start a new draft from this deal (any status): its title, object,
/// participants and documents, not its statements or signatures.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The new draft", body = Deal, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/copy")]
pub async fn copy_deal(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let core = state.core();
    Keyed::read(&req, &auth, format!("POST /deals/{id}/copy"), &())?
        .once(
            &state,
            service::copy(&core, &auth, id),
            |new| service::current(&core, &auth, new),
            |deal| deal_response(StatusCode::CREATED, deal),
        )
        .await
}

/// Add a participant to a draft: a client of the organisation's base, or
/// the organisation itself (`client_id` left out), in a role, with a
/// share; a representative names the participant he signs for.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    request_body = NewParticipant,
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The deal with the participant", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/deals/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewParticipant>,
) -> Result<HttpResponse, ApiError> {
    let (id, input) = (id.into_inner(), body.0);
    let core = state.core();
    Keyed::read(
        &req,
        &auth,
        format!("POST /deals/{id}/participants"),
        &input,
    )?
    .once(
        &state,
        participants::add(&core, &auth, id, input.clone()),
        |deal| service::current(&core, &auth, deal),
        |deal| deal_response(StatusCode::CREATED, deal),
    )
    .await
}

/// Change a participant's role, share or whom he represents (his person
/// stays); his signatures go.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    request_body = NewParticipant,
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("participant_id" = Uuid, Path, description = "Participant id"),
    ),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or participant", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[put("/deals/{id}/participants/{participant_id}")]
pub async fn update_participant(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<NewParticipant>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant) = path.into_inner();
    let deal = participants::update(&state.core(), &auth, id, participant, body.0).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Remove a participant of a draft, with his signatures.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("participant_id" = Uuid, Path, description = "Participant id"),
    ),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or participant", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[delete("/deals/{id}/participants/{participant_id}")]
pub async fn remove_participant(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, participant) = path.into_inner();
    let deal = participants::remove(&state.core(), &auth, id, participant).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// `POST /deals/{id}/documents` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentUpload {
    /// The file's name.
    pub name: String,
    /// The document's title (its name when left out).
    pub title: Option<String>,
}

/// Upload a PDF document to a draft, streamed: at most 20 MiB, and the
/// deal's documents at most 50 MiB together — the upload that would cross
/// either limit is cut off with 413 and leaves nothing. It must be a PDF
/// by its content, whatever its name or declared type (415 otherwise).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        DocumentUpload,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (the fingerprint is the content's SHA-256)"),
    ),
    request_body(
        description = "The PDF's bytes; any declared type is taken, the content decides",
        content((String = "application/pdf"), (String = "application/octet-stream")),
    ),
    responses(
        (status = 201, description = "The deal with the document", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 413, description = "Over 20 MiB, or the deal's documents would pass 50 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad name, empty file, `too_many` documents, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DocumentUpload>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let core = state.core();
    let name = mezha_app::files::clean_name(&query.name)?;
    let upload = documents::prepare(
        &core,
        &auth,
        id,
        name,
        crate::routes::files::declared_len(&req),
    )
    .await?;
    let staged = crate::routes::files::stage(&state, upload, body).await?;
    let fingerprint = (staged.fingerprint(), query.title.clone());
    let auth = &auth;
    Keyed::read(
        &req,
        auth,
        format!("POST /deals/{id}/documents"),
        &fingerprint,
    )?
    .once(
        &state,
        documents::add(&core, auth, id, query.title.clone(), staged),
        |deal| service::current(&core, auth, deal),
        |deal| deal_response(StatusCode::CREATED, deal),
    )
    .await
}

/// Remove a draft's document, with its signatures.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("document_id" = Uuid, Path, description = "Document id"),
    ),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or document", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[delete("/deals/{id}/documents/{document_id}")]
pub async fn remove_document(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = path.into_inner();
    let deal = documents::remove(&state.core(), &auth, id, document).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// A document's or statement's PDF (what its signatures bind to).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("document_id" = Uuid, Path, description = "Document id"),
    ),
    responses(
        (status = 200, description = "The PDF, with `X-Content-SHA256`", content_type = "application/pdf"),
        (status = 206, description = crate::routes::files::RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or document", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = crate::routes::files::RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/deals/{id}/documents/{document_id}/file")]
pub async fn document_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = path.into_inner();
    let download = documents::open(&state.core(), &auth, id, document).await?;
    crate::routes::files::stream_file(&req, download, "inline").await
}

/// Add a signer's detached CMS signature (PEM or base64 of DER) of a
/// document's exact bytes: a participant's (`participant_id`), or the
/// employee's own of a statement (left out). In `draft` the uploaded
/// documents are signed, in `statements` the statements.
///
/// It must validate `TOTAL_PASSED` (else `signature_refused`) and be made
/// with the signer's certificate: a client's names his SNILS or INN; the
/// organisation (a participant, or the filer of a statement) signs through
/// the calling employee's own certificate and needs `sign_on_behalf`
/// (else `signer_not_party` or 403). Refusals carry the `report` and store
/// nothing. The last statement signature makes the deal `ready`.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    request_body = SignDealDocument,
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("document_id" = Uuid, Path, description = "Document id"),
    ),
    responses(
        (status = 200, description = "The deal with the signature", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or document", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (the deal's status does not take this signature) or `conflict` (signed already, or the deal changed meanwhile)", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
        (status = 422, description = "`signature_refused` or `signer_not_party`, with the validation `report`; `not_a_signer`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/documents/{document_id}/signatures")]
pub async fn sign_document(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<SignDealDocument>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = path.into_inner();
    let deal = signing::sign(&state.certificates(), &auth, id, document, body.0).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Form the registration statements of a complete draft (nothing left on
/// its checklist): one PDF per applicant, to be signed by him (or his
/// representative) and the employee. From then on the deal's data and
/// documents no longer change.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "The deal in `statements`", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (not a draft, or its checklist is not empty) or `conflict` (the deal changed meanwhile)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/form-statements")]
pub async fn form_statements(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let deal = statements::form(&state.core(), &auth, id.into_inner()).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Send a ready deal to the state registry (`send_to_registry`). The
/// package goes from a queue, written with the status change: retried
/// until the registry takes it, never submitted twice.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "The deal, `submitted`", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (not ready) or `conflict` (changed meanwhile)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/send")]
pub async fn send_deal(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let deal = registry::send(&state.core(), &auth, id.into_inner()).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// Mark the state fee paid by its UIN (`send_to_registry`; when the
/// organisation does not pay it automatically). The registry is told.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "The deal, `in_registration`", body = Deal, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition` (no fee due) or `conflict` (changed meanwhile)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deals/{id}/pay-fee")]
pub async fn pay_fee(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let deal = registry::pay_fee(&state.core(), &auth, id.into_inner()).await?;
    Ok(deal_response(StatusCode::OK, &deal))
}

/// The "status in the registry" tab: every status the registry reported
/// for the deal's package, with its times and messages.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "What the registry reported", body = DealRegistryStatus),
        Unauthorized,
        (status = 403, description = NO_DEALS, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = NOT_SEEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/deals/{id}/registry-status")]
pub async fn registry_status(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(registry::status(&state.core(), &auth, id.into_inner()).await?))
}

/// The registry gateway's callback: a package's status change, signed
/// with the shared secret in `X-Registry-Signature`
/// (docs/registry-gateway.md). Duplicates are harmless.
#[utoipa::path(
    tag = "deals",
    request_body(description = "The callback (docs/registry-gateway.md, \"Callbacks\")", content_type = "application/json"),
    params(("X-Registry-Signature" = String, Header, description = "`sha256=<hex HMAC-SHA256 of the body>`")),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "`unauthenticated`: the signature is missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No deal has this package, or no gateway is configured", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the deal kept changing; the registry retries", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/registry/callbacks")]
pub async fn registry_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !req
        .headers()
        .contains_key(mezha_registry::protocol::SIGNATURE_HEADER)
    {
        return Err(registry::unsigned().into());
    }
    let bytes = mezha_app::files::read_all(
        "application/json",
        crate::routes::files::declared_len(&req),
        64 * 1024,
        body,
        |e| crate::error::payload_error(e).into_app(),
    )
    .await?;
    let signature = req
        .headers()
        .get(mezha_registry::protocol::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    registry::callback(&state.core(), &bytes, signature).await?;
    Ok(HttpResponse::NoContent().finish())
}
