//! Invoices and results of an order (`/orders/{id}/invoices`, `/invoices/{id}`,
//! `/orders/{id}/results`, `/orders/{id}/accept`, `/orders/{id}/reject-results`,
//! `/orders/{id}/registration-outcome`).

use super::{ApiError, Credentials, IdempotencyKey, Method, NONE, all_pages, call};
use mezha_api_types::invoices::{Invoice, InvoiceList, MarkPaid, NewInvoice};
use mezha_api_types::orders::Order;
use mezha_api_types::results::{NewResult, OrderResult, RejectResults, ResultList};
use uuid::Uuid;

/// `GET /orders/{id}/invoices`: every page.
pub async fn invoices(auth: impl Credentials, order: Uuid) -> Result<InvoiceList, ApiError> {
    all_pages(auth, &format!("/orders/{order}/invoices")).await
}

/// `POST /orders/{id}/invoices`, once per submission.
pub async fn send_invoice(
    auth: impl Credentials,
    order: Uuid,
    body: &NewInvoice,
    key: IdempotencyKey<NewInvoice>,
) -> Result<Invoice, ApiError> {
    let header = key.header(body);
    let path = format!("/orders/{order}/invoices");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `POST /invoices/{id}/mark-paid`.
pub async fn mark_paid(
    auth: impl Credentials,
    id: Uuid,
    body: &MarkPaid,
) -> Result<Invoice, ApiError> {
    let path = format!("/invoices/{id}/mark-paid");
    Ok(call(auth, Method::Post, &path, Some(body), &[]).await?.body)
}

/// `POST /invoices/{id}/confirm-payment`.
pub async fn confirm_payment(auth: impl Credentials, id: Uuid) -> Result<Invoice, ApiError> {
    let path = format!("/invoices/{id}/confirm-payment");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `GET /orders/{id}/results`: every page.
pub async fn results(auth: impl Credentials, order: Uuid) -> Result<ResultList, ApiError> {
    all_pages(auth, &format!("/orders/{order}/results")).await
}

/// `POST /orders/{id}/results` or, with `outcome`,
/// `POST /orders/{id}/registration-outcome`, once per submission.
pub async fn deliver(
    auth: impl Credentials,
    order: Uuid,
    outcome: bool,
    body: &NewResult,
    key: IdempotencyKey<NewResult>,
) -> Result<OrderResult, ApiError> {
    let header = key.header(body);
    let verb = if outcome {
        "registration-outcome"
    } else {
        "results"
    };
    let path = format!("/orders/{order}/{verb}");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `POST /orders/{id}/review`, once per submission.
pub async fn review(
    auth: impl Credentials,
    order: Uuid,
    body: &mezha_api_types::reviews::NewReview,
    key: IdempotencyKey<mezha_api_types::reviews::NewReview>,
) -> Result<(), ApiError> {
    let header = key.header(body);
    let path = format!("/orders/{order}/review");
    call::<_, serde_json::Value>(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(())
}

/// `POST /orders/{id}/accept`.
pub async fn accept(auth: impl Credentials, order: Uuid) -> Result<Order, ApiError> {
    let path = format!("/orders/{order}/accept");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /orders/{id}/reject-results`.
pub async fn reject(
    auth: impl Credentials,
    order: Uuid,
    reasons: String,
) -> Result<Order, ApiError> {
    let path = format!("/orders/{order}/reject-results");
    let body = RejectResults { reasons };
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}
