//! Webhooks for integrators (docs/webhooks.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::idempotency::Keyed;
use crate::openapi::problems::{MalformedJson, Unauthorized};
use crate::routes::PageOnly;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::page::PageQuery;
use mezha_api_types::webhooks::{CreateWebhook, CreatedWebhook, WebhookDeliveryList, WebhookList};
use mezha_app::webhooks as service;
use uuid::Uuid;

/// The caller's webhooks.
///
/// Every webhook of the caller (at most 10), oldest first; secrets are
/// never shown again after creation.
#[utoipa::path(
    operation_id = "list_webhooks",
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Webhooks", body = WebhookList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    )
)]
#[get("/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), auth.user_id, &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Register a webhook.
///
/// Mezha POSTs every event of the kinds listed that concerns the caller to
/// `url`, signed with the secret returned here — only here, keep it. The
/// URL must be `http` or `https` and its host must be, and resolve to,
/// public addresses only (loopback, private, link-local, CGNAT, multicast
/// and unspecified ones are refused). At most 10 webhooks per account.
/// With an `Idempotency-Key`, a retried request gets the first answer
/// (the same webhook and secret) instead of registering it twice.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = CreateWebhook,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (e.g. a UUID)")),
    responses(
        (status = 201, description = "The webhook and its secret", body = CreatedWebhook),
        MalformedJson,
        Unauthorized,
        (status = 409, description = "`idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad URL or address, no or repeated kinds, unknown kind, too many webhooks, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: JsonBody<CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /webhooks", &input)?
        .once(
            &state,
            service::create(&core, auth.user_id, input),
            |id| service::created(&core, auth.user_id, id),
            |hook| HttpResponse::Created().json(hook),
        )
        .await
}

/// Delete a webhook.
///
/// Its pending deliveries and its log go with it.
#[utoipa::path(
    operation_id = "remove_webhook",
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized,
        (status = 404, description = "The caller has no such webhook", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::delete(&state.core(), auth.user_id, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A webhook's delivery log, newest first.
///
/// Each delivery: the event kind, `pending` / `sent` / `failed`, the
/// attempts made, the last HTTP status and error, and its times.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Webhook id"), PageQuery),
    responses(
        (status = 200, description = "Deliveries", body = WebhookDeliveryList),
        (status = 400, description = "Bad query or cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "The caller has no such webhook", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Limit out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page =
        service::deliveries(&state.core(), auth.user_id, id.into_inner(), &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}
