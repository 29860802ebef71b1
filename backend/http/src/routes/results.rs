//! `/orders/{id}/results`, `/orders/{id}/accept`, `/orders/{id}/reject-results`:
//! the delivery of results and their acceptance (docs/results.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::orders::Order;
use mezha_api_types::page::PageQuery;
use mezha_api_types::results::{NewResult, OrderResult, RejectResults, ResultList, ResultStage};
use mezha_app::results as service;
use uuid::Uuid;

/// Deliver the results (the executor, in `in_progress`): physically (a
/// `note`), as uploaded `file_ids`, as a cloud-storage `link` or as the
/// `uin` of an electronic storage. The order moves to `acceptance`.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    request_body = NewResult,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The delivery", body = OrderResult),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/results")]
pub async fn deliver_results(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewResult>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/results");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::deliver(&core, &auth, order_id, input.clone(), ResultStage::Results),
            |id| service::get(&core, &auth, id),
            |delivery| HttpResponse::Created().json(delivery),
        )
        .await
}

/// Send the registration outcome (the executor, in `registration`): the
/// documents of the state registration (ГКУ, ГРП) in one of the four ways of
/// a delivery. The order moves to `payment`.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    request_body = NewResult,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The registration outcome", body = OrderResult),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/registration-outcome")]
pub async fn send_registration_outcome(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewResult>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/registration-outcome");
    let input = body.0;
    let core = state.core();
    let stage = ResultStage::RegistrationOutcome;
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::deliver(&core, &auth, order_id, input.clone(), stage),
            |id| service::get(&core, &auth, id),
            |outcome| HttpResponse::Created().json(outcome),
        )
        .await
}

/// Every delivery of the order's results and registration outcomes, oldest
/// first.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Deliveries, oldest first", body = ResultList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/results")]
pub async fn list_results(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One delivery of results.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Delivery id")),
    responses(
        (status = 200, description = "The delivery", body = OrderResult),
        Unauthorized,
        (status = 404, description = "No such delivery, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/results/{id}")]
pub async fn get_result(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// Accept the results (the customer, in `acceptance`): the order moves to
/// `registration` when the engineer registers, else to `payment`.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[post("/orders/{id}/accept")]
pub async fn accept_results(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::accept(&state.core(), &auth, id.into_inner()).await?))
}

/// Reject the results with reasons (the customer, in `acceptance`): back to
/// `in_progress`; the reasons are in the history and told to the executor.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    request_body = RejectResults,
    params(("id" = Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/reject-results")]
pub async fn reject_results(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<RejectResults>,
) -> Result<HttpResponse, ApiError> {
    let order = service::reject(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(order))
}
