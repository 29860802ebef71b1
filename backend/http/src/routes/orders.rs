//! `/orders`, `/responses`, `/offers`: the marketplace (docs/orders.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{JsonBody, OptionalJson, ValidJson};
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, StaleVersion, Unauthorized};
use crate::routes::PageOnly;
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use mezha_api_types::orders::{
    Comment, HistoryList, MyOrdersQuery, NewOffer, NewOrder, NewResponse, Offer, OfferList, Order,
    OrderList, OrderResponse, OrderSearchQuery, ResponseList,
};
use mezha_api_types::page::PageQuery;
use mezha_api_types::{Problem, Role};
use mezha_app::orders as service;
use uuid::Uuid;

/// Create an order (a draft).
///
/// Customers only. Only the title is required for a draft; publishing
/// needs work types, region, address and deadline. Send `Idempotency-Key`
/// so that a retried request returns the first answer instead of creating
/// a second order.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe (e.g. a UUID)")),
    responses(
        (status = 201, description = "Created draft", body = Order, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The order's URL"))),
        Unauthorized,
        (status = 403, description = "Acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`cadastral_number_format`, `unknown_region`, `deadline_in_past`, `not_positive`, …) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders")]
pub async fn create_order(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: JsonBody<NewOrder>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Customer])?;
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, "POST /orders", &input)?
        .once(
            &state,
            service::create(&core, &auth, input),
            |id| service::created(&core, &auth, id),
            created_order,
        )
        .await
}

/// `201` with the order, its `ETag` and `Location`.
fn created_order(order: &Order) -> HttpResponse {
    let mut response = etagged(StatusCode::CREATED, order.version, order);
    if let Ok(value) = header::HeaderValue::from_str(&format!("/api/v1/orders/{}", order.id)) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The caller's orders in its acting role.
///
/// A customer's own orders; an engineer's assigned, responded and offered
/// ones; an employer's engineers' ones; every published order for
/// moderators. Most recently changed first.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(MyOrdersQuery, PageQuery),
    responses(
        (status = 200, description = "A page of orders", body = OrderList),
        (status = 400, description = "Bad cursor or query", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Acting role has no orders", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders")]
pub async fn list_orders(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<MyOrdersQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::list(&state.core(), &auth, query.into_inner()).await?))
}

/// Search published orders (engineers).
///
/// Only orders in `executor_selection`. Filters combine with AND; the
/// work types and customer types lists match any of their values.
/// `deadline_until` compares the due date: the deadline date, or the
/// publication date plus the deadline days.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(OrderSearchQuery, PageQuery),
    responses(
        (status = 200, description = "A page of orders", body = OrderList),
        (status = 400, description = "Bad cursor or query", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Acting role is not engineer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown work type, customer type or region", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/search")]
pub async fn search_orders(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<OrderSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::search(&state.core(), &auth, query.into_inner()).await?))
}

/// One order.
///
/// `allowed_actions` lists what the caller may do now in its acting role.
/// Another customer's order (or anyone's draft) is 404.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order, headers(("ETag" = String, description = "Version, for `If-Match`"))),
        Unauthorized,
        (status = 404, description = "No such order, or not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}")]
pub async fn get_order(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let order = service::load(&state.core(), &auth, id.into_inner()).await?;
    let order = service::view(&state.core(), &auth, order).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// Edit an order (its customer; in `draft`, `executor_selection` or
/// `contract_signing`).
///
/// Absent fields stay, `null` clears. Send `If-Match` with the `ETag`
/// (412 when stale). A published order must keep every required field.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    request_body = mezha_api_types::orders::UpdateOrder,
    params(("id" = Uuid, Path, description = "Order id"), IfMatch),
    responses(
        (status = 200, description = "Updated order", body = Order, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        (status = 403, description = "Acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not editable in this status", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        InvalidFields,
    )
)]
#[patch("/orders/{id}")]
pub async fn update_order(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<mezha_api_types::orders::UpdateOrder>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let order = service::update(&state.core(), &auth, id.into_inner(), expected, body.0).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// Delete a draft.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized,
        (status = 403, description = "Acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/orders/{id}")]
pub async fn delete_order(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::delete(&state.core(), &auth, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publish a draft: engineers can find it and respond.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "Published order", body = Order),
        Unauthorized,
        (status = 403, description = "Acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        (status = 422, description = "Required fields missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/publish")]
pub async fn publish_order(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let order = service::publish(&state.core(), &auth, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// Cancel an order (before the contract is signed).
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    request_body(content = Option<Comment>, description = "Optional reason"),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "Cancelled order", body = Order),
        Unauthorized,
        (status = 403, description = "Acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[post("/orders/{id}/cancel")]
pub async fn cancel_order(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: OptionalJson<Comment>,
) -> Result<HttpResponse, ApiError> {
    let comment = body.0.comment;
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() as u64 > mezha_api_types::orders::MESSAGE_MAX_CHARS)
    {
        return Err(ApiError::field(
            "comment",
            mezha_domain::FieldError::new("too_long", "at most 2000 characters"),
        ));
    }
    let order = service::cancel(&state.core(), &auth, id.into_inner(), comment).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// The order's history, oldest first: who changed what and when.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "History, oldest first", body = HistoryList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/history")]
pub async fn order_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page = service::history(&state.core(), &auth, id.into_inner(), &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Export the order's documents as evidence: one ZIP (docs/export.md).
///
/// Every contract and act version with its DOCX and extra file, each
/// signature (`signature-<party>.p7s`, DER) with its validation report
/// (`report-<party>.json`), invoices and receipts, the delivered results,
/// `order.json`, `history.json`, `summary.pdf` (who signed what and when)
/// and `manifest.json` with the size and SHA-256 of every other entry.
/// Anyone who may see the order may export it.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The archive (`X-Content-SHA256` is its SHA-256)", content_type = "application/zip"),
        (status = 206, description = crate::routes::files::RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = crate::routes::files::RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/export")]
pub async fn export_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let download = service::export(&state.core(), &auth, id.into_inner()).await?;
    crate::routes::files::stream_file(&req, download, "attachment").await
}

/// Respond to an order (engineers).
///
/// One active response per engineer per order. Refused with 403 when the
/// engineer's profile lacks required fields (`engineer_profile_incomplete`),
/// he is blocked (`engineer_blocked`), the order's region is not among his
/// (`region_not_covered`), or he is his employer's only active engineer
/// (`sole_active_engineer`).
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    request_body = NewResponse,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The response", body = OrderResponse),
        Unauthorized,
        (status = 403, description = "A refusal rule (see above) or acting role is not engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_responded` or `illegal_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid price or deadline", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/responses")]
pub async fn create_response(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: JsonBody<NewResponse>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/responses");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::respond(&core, &auth, order_id, input),
            |id| service::created_response(&core, &auth, id),
            |response| HttpResponse::Created().json(response),
        )
        .await
}

/// Responses to an order: all of them for its customer, his own for an
/// engineer.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Responses, oldest first", body = ResponseList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/responses")]
pub async fn list_responses(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page = service::responses(&state.core(), &auth, id.into_inner(), &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Withdraw one's active response.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    responses(
        (status = 200, description = "Withdrawn response", body = OrderResponse),
        Unauthorized,
        (status = 403, description = "`forbidden`: the acting role is not engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such response of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/responses/{id}/withdraw")]
pub async fn withdraw_response(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::withdraw(&state.core(), &auth, id.into_inner()).await?))
}

/// Select a response (the order's customer): its engineer becomes the
/// executor and the order moves to `contract_signing`.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    responses(
        (status = 200, description = "The order, now in contract signing", body = Order),
        Unauthorized,
        (status = 403, description = "The engineer may no longer take orders (a refusal rule)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such response on your orders", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`, or the response is not active", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/responses/{id}/select")]
pub async fn select_response(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let order = service::select(&state.core(), &auth, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// Offer the order to an engineer (its customer).
///
/// Refused with 403 for the same reasons as a response, and
/// `offers_disabled` when the engineer switched offers off.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    request_body = NewOffer,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The offer", body = Offer),
        Unauthorized,
        (status = 403, description = "A refusal rule, or acting role is not customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order or engineer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`, or an offer is already pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewOffer>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Customer])?;
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/offers");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::offer(&core, &auth, order_id, input),
            |id| service::created_offer(&core, &auth, id),
            |offer| HttpResponse::Created().json(offer),
        )
        .await
}

/// Offers of an order: all for its customer, his own for an engineer.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Offers, oldest first", body = OfferList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/offers")]
pub async fn list_offers(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageOnly>,
) -> Result<HttpResponse, ApiError> {
    let page = service::offers(&state.core(), &auth, id.into_inner(), &query.page).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Accept an offer (the engineer it was made to): he becomes the executor
/// and the order moves to `contract_signing`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The order, now in contract signing", body = Order),
        Unauthorized,
        (status = 403, description = "A refusal rule", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer to you", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`, or the offer is not pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/offers/{id}/accept")]
pub async fn accept_offer(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (_, order_id) = service::answer_offer(&state.core(), &auth, id.into_inner(), true).await?;
    let order = service::load(&state.core(), &auth, order_id).await?;
    let order = service::view(&state.core(), &auth, order).await?;
    Ok(etagged(StatusCode::OK, order.version, &order))
}

/// Decline an offer (the engineer it was made to).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The declined offer", body = Offer),
        Unauthorized,
        (status = 403, description = "`forbidden`: the acting role is not engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer to you", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`, or the offer is not pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/offers/{id}/decline")]
pub async fn decline_offer(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (offer, _) = service::answer_offer(&state.core(), &auth, id.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(offer))
}
