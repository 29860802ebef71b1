//! `/orders/{id}/invoices`, `/invoices/{id}`: invoices and their payment
//! (docs/payments.md).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::idempotency::Keyed;
use crate::openapi::problems::{IllegalTransition, InvalidFields, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::invoices::{Invoice, InvoiceList, MarkPaid, NewInvoice};
use mezha_api_types::page::PageQuery;
use mezha_app::invoices as service;
use uuid::Uuid;

/// Send the invoice the order awaits (the executor, acting as engineer): the
/// prepayment invoice in `prepayment`, the final one in `payment`, as a link
/// or an uploaded file. The amount is the signed contract's advance or
/// remainder.
#[utoipa::path(
    tag = "invoices",
    security(("bearer" = [])),
    request_body = NewInvoice,
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    responses(
        (status = 201, description = "The invoice, sent to the customer", body = Invoice),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/orders/{id}/invoices")]
pub async fn send_invoice(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ValidJson<NewInvoice>,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    let scope = format!("POST /orders/{order_id}/invoices");
    let input = body.0;
    let core = state.core();
    Keyed::read(&req, &auth, scope, &input)?
        .once(
            &state,
            service::send(&core, &auth, order_id, input.clone()),
            |id| service::get(&core, &auth, id),
            |invoice| HttpResponse::Created().json(invoice),
        )
        .await
}

/// The invoices of an order, oldest first.
#[utoipa::path(
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Invoices, oldest first", body = InvoiceList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/invoices")]
pub async fn list_invoices(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One invoice.
#[utoipa::path(
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The invoice", body = Invoice),
        Unauthorized,
        (status = 404, description = "No such invoice, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices/{id}")]
pub async fn get_invoice(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::get(&state.core(), &auth, id.into_inner()).await?))
}

/// Mark the invoice paid with a receipt, a link or an uploaded file (the
/// customer).
#[utoipa::path(
    tag = "invoices",
    security(("bearer" = [])),
    request_body = MarkPaid,
    params(("id" = Uuid, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The invoice, paid", body = Invoice),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's customer acting as customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
        InvalidFields,
    )
)]
#[post("/invoices/{id}/mark-paid")]
pub async fn mark_paid(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<MarkPaid>,
) -> Result<HttpResponse, ApiError> {
    let invoice = service::mark_paid(&state.core(), &auth, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Confirm the money arrived (the executor): the order moves to
/// `in_progress` after the prepayment, to `completed` after the final
/// payment.
#[utoipa::path(
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Invoice id")),
    responses(
        (status = 200, description = "The invoice, confirmed", body = Invoice),
        Unauthorized,
        (status = 403, description = "`forbidden`: not the order's executor acting as engineer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice, or its order is not yours to see", body = Problem, content_type = "application/problem+json"),
        IllegalTransition,
    )
)]
#[post("/invoices/{id}/confirm-payment")]
pub async fn confirm_payment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let invoice = service::confirm(&state.core(), &auth, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(invoice))
}
