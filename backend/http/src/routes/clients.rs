//! `/clients`: an organisation's client base (docs/clients.md). Members with
//! the `manage_clients` right (and the admin) add, edit, find and read
//! clients; everyone else gets 404. Reading a client's data is written in
//! the organisation's audit log.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use mezha_api_types::ErrorCode;
use mezha_api_types::Problem;
use mezha_api_types::clients::{
    Client, ClientDataSubmitted, ClientList, ClientPatch, ClientRequest, ClientRequestList,
    ClientRequestPreview, ClientRequestsQuery, ClientsQuery, NewClient, NewClientRequest,
    PassportProposal, RecognisePassport, RecogniseThroughLink, SubmitClientData,
};
use mezha_api_types::orders::FileInfo;
use mezha_api_types::organisations::InvitationToken;
use mezha_api_types::page::PageQuery;
use mezha_app::clients::{self as service, requests};
use mezha_app::files;
use uuid::Uuid;

const UNCONFIRMED: &str = "`conflict`: the caller's organisation is not confirmed yet";

const NO_BASE: &str = "`forbidden`: not acting as `org_admin` or `org_employee`, the membership is not active, or no `manage_clients` right";

/// Add a client to the base of the caller's organisation.
///
/// Only the full name is required. The data checks (SNILS and INN check
/// digits, passport formats and dates) come back as `findings` beside the
/// fields; they never block the save.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = NewClient,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Added, with the checks' findings", body = Client),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: ValidJson<NewClient>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /clients".to_owned(), &input)?
        .once(
            &state,
            service::create(&core, &auth, input.clone()),
            |id| service::created(&core, &auth, id),
            |client| HttpResponse::Created().json(client),
        )
        .await
}

/// The base of the caller's organisation, newest first, without passport
/// data; `q` finds by part of the name, a SNILS or a passport number.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(ClientsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of clients", body = ClientList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ClientsQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::list(&state.core(), &auth, &query).await?))
}

/// One client with all his data, scans and the checks' findings as of
/// today. The read is written in the organisation's audit log.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = Client),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in the caller's organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// Change a client's data: a field left out is kept, `null` clears it;
/// `scan_ids`, when given, replaces the scans. The findings come back.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = ClientPatch,
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client as saved, with the checks' findings", body = Client),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in the caller's organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: changed by someone else a moment ago", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[patch("/clients/{id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ClientPatch>,
) -> Result<HttpResponse, ApiError> {
    let client = service::update(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(client))
}

/// Mail a person a one-use link to fill in his own data and scans, without
/// an account; the request is reviewed and accepted here afterwards.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = NewClientRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Mailed", body = ClientRequest),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/client-requests")]
pub async fn create_client_request(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: ValidJson<NewClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let (accounts, core) = (state.accounts(), state.core());
    Keyed::read(&req, &auth, "POST /client-requests".to_owned(), &input)?
        .once(
            &state,
            requests::send(&accounts, &auth, input.clone()),
            |id| requests::get(&core, &auth, id),
            |r| HttpResponse::Created().json(r),
        )
        .await
}

/// The organisation's requests of data by e-mail, newest first, each with
/// what was submitted and the checks' findings.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(ClientRequestsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of requests", body = ClientRequestList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[get("/client-requests")]
pub async fn list_client_requests(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ClientRequestsQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(requests::list(&state.core(), &auth, &query).await?))
}

/// One request of data, with the submission and its findings.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Request id")),
    responses(
        (status = 200, description = "The request", body = ClientRequest),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/client-requests/{id}")]
pub async fn get_client_request(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(requests::get(&state.core(), &auth, id.into_inner()).await?))
}

/// Accept a submitted request into the base: the client is made of the
/// person's data and scans.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Request id")),
    responses(
        (status = 200, description = "The new client, with the checks' findings", body = Client),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not submitted (yet, or accepted already); `conflict`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/client-requests/{id}/accept")]
pub async fn accept_client_request(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(requests::accept(&state.core(), &auth, id.into_inner()).await?))
}

const LINK_INVALID: &str = "`invalid_token`: the link is unknown, used or expired";

/// Who asks for the person's data (the page the link opens; no account).
#[utoipa::path(
    tag = "clients",
    request_body = InvitationToken,
    responses(
        (status = 200, description = "The organisation asking", body = ClientRequestPreview),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/client-requests/preview")]
pub async fn preview_client_request(
    state: web::Data<AppState>,
    body: ValidJson<InvitationToken>,
) -> Result<HttpResponse, ApiError> {
    let preview: ClientRequestPreview = requests::preview(&state.core(), &body.0.token).await?;
    Ok(HttpResponse::Ok().json(preview))
}

/// `POST /client-requests/files` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanQuery {
    /// The file's name.
    pub name: String,
}

/// Upload a scan through a request's link (no account; the link's token in
/// `X-Link-Token`), streamed: a PDF, JPEG or PNG of at most 20 MiB, at most
/// 20 per link; its content must be of its declared type.
#[utoipa::path(
    tag = "clients",
    params(
        ScanQuery,
        ("X-Link-Token" = String, Header, description = "The `token` of the request's link"),
    ),
    request_body(
        description = "The file's bytes with its media type",
        content((String = "application/pdf"), (String = "image/jpeg"), (String = "image/png")),
    ),
    responses(
        (status = 201, description = "Stored", body = FileInfo),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, JPEG or PNG, or not what it says", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad name, empty file, or `too_many` files through this link", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/client-requests/files")]
pub async fn upload_client_scan(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ScanQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let token = req
        .headers()
        .get("x-link-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let core = state.core();
    let request = requests::open(&core, &token).await?;
    let name = files::clean_name(&query.name)?;
    let content_type = crate::routes::files::media_type(&req);
    if !service::SCAN_TYPES.contains(&content_type.as_str()) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            mezha_app::msg!(
                "files.type_not_accepted",
                content_type = content_type,
                allowed = service::SCAN_TYPES.join(", "),
            ),
        ));
    }
    requests::may_upload(&core, &request).await?;
    let upload = files::Upload {
        owner: request.created_by,
        name,
        content_type,
        declared_len: crate::routes::files::declared_len(&req),
        max: mezha_domain::clients::requests::SCAN_MAX_BYTES,
    };
    let staged = crate::routes::files::stage(&state, upload, body).await?;
    let record = files::store(&core, staged).await?;
    requests::uploaded(&core, &request, record.id).await?;
    Ok(HttpResponse::Created().json(crate::routes::files::file_info(&record)))
}

/// Submit the person's own data through the request's link, once; the
/// answer has the checks' findings (the organisation reviews them).
#[utoipa::path(
    tag = "clients",
    request_body = SubmitClientData,
    responses(
        (status = 200, description = "Submitted", body = ClientDataSubmitted),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/client-requests/submit")]
pub async fn submit_client_data(
    state: web::Data<AppState>,
    body: ValidJson<SubmitClientData>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(requests::submit(&state.core(), body.0).await?))
}

/// Read a passport's main page from an image the caller uploaded (`POST
/// /files`, JPEG or PNG): the fields found are proposed, each with the data
/// checks' findings, for a person to confirm in the client's form. Nothing
/// is saved.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = RecognisePassport,
    responses(
        (status = 200, description = "The fields read", body = PassportProposal),
        Unauthorized,
        (status = 403, description = NO_BASE, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller works in no such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = UNCONFIRMED, body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`service_unavailable`: OCR is not installed or took too long", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/clients/recognise")]
pub async fn recognise_passport(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<RecognisePassport>,
) -> Result<HttpResponse, ApiError> {
    let proposal = mezha_app::clients::ocr::recognise(&state.core(), &auth, body.0).await?;
    Ok(HttpResponse::Ok().json(proposal))
}

/// Read the person's passport photo, uploaded through the request's link,
/// into his form (no account): the fields found are proposed with the data
/// checks' findings; nothing is saved.
#[utoipa::path(
    tag = "clients",
    request_body = RecogniseThroughLink,
    responses(
        (status = 200, description = "The fields read", body = PassportProposal),
        (status = 400, description = LINK_INVALID, body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`service_unavailable`: OCR is not installed or took too long", body = Problem, content_type = "application/problem+json"),
        InvalidFields,
    )
)]
#[post("/client-requests/recognise")]
pub async fn recognise_through_link(
    state: web::Data<AppState>,
    body: ValidJson<RecogniseThroughLink>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let proposal = requests::recognise(&state.core(), &input.token, input.file_id).await?;
    Ok(HttpResponse::Ok().json(proposal))
}
