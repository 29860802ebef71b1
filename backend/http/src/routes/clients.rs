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
use mezha_api_types::Problem;
use mezha_api_types::clients::{Client, ClientList, ClientPatch, ClientsQuery, NewClient};
use mezha_api_types::page::PageQuery;
use mezha_app::clients as service;
use uuid::Uuid;

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
