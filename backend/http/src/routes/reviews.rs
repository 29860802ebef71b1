//! `POST /orders/{id}/review`, `GET /engineers/{id}/reviews`: the customers'
//! reviews of engineers (docs/results.md, "Rating").

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::page::PageQuery;
use mezha_api_types::reviews::{NewReview, Review, ReviewList};
use mezha_app::reviews as service;
use uuid::Uuid;

/// Rate the engineer of a completed order (its customer, once): 1 to 5 and
/// an optional text, shown on the engineer's public card.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = NewReview,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The review", body = Review),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/review")]
pub async fn review_order(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewReview>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/review");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::create(&core, &auth, order_id, input.clone()),
            |id| service::get(&core, id),
            |review| HttpResponse::Created().json(review),
        )
        .await
}

/// A listed engineer's reviews, newest first (public).
#[utoipa::path(
    tag = "engineers",
    params(("id" = Uuid, Path, description = "The engineer's account id"), PageQuery),
    responses(
        (status = 200, description = "Reviews, newest first", body = ReviewList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No listed engineer has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/engineers/{id}/reviews")]
pub async fn engineer_reviews(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::of_engineer(&state.core(), id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}
