//! Orders, their history, responses, offers, reference data and files
//! (`/orders`, `/responses`, `/offers`, `/reference`, `/files`).

use super::files::{media_type, save_file};
use super::{
    ApiError, Credentials, IdempotencyKey, Method, NONE, Reply, all_pages, call, call_raw,
    if_match, query_string,
};
use mezha_api_types::orders::{
    Comment, FileInfo, HistoryList, MyOrdersQuery, NewOffer, NewOrder, NewResponse, Offer,
    OfferList, Order, OrderList, OrderResponse, OrderSearchQuery, ReferenceData, ResponseList,
    TaskList, UpdateOrder,
};
use uuid::Uuid;

/// `GET /reference`: regions and work types.
pub async fn reference(auth: impl Credentials) -> Result<ReferenceData, ApiError> {
    Ok(call(auth, Method::Get, "/reference", NONE, &[]).await?.body)
}

/// `GET /orders`: the caller's orders in the acting role.
pub async fn list(auth: impl Credentials, query: &MyOrdersQuery) -> Result<OrderList, ApiError> {
    let path = format!("/orders{}", query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /orders/search`: published orders for engineers.
pub async fn search(
    auth: impl Credentials,
    query: &OrderSearchQuery,
) -> Result<OrderList, ApiError> {
    let path = format!("/orders/search{}", query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /orders/{id}`, with its `ETag`.
pub async fn get(auth: impl Credentials, id: Uuid) -> Result<Reply<Order>, ApiError> {
    call(auth, Method::Get, &format!("/orders/{id}"), NONE, &[]).await
}

/// `POST /orders` (a draft), once per submission.
pub async fn create(
    auth: impl Credentials,
    body: &NewOrder,
    key: IdempotencyKey<NewOrder>,
) -> Result<Reply<Order>, ApiError> {
    let header = key.header(body);
    let reply = call(auth, Method::Post, "/orders", Some(body), &[header]).await;
    if reply.is_ok() {
        key.done();
    }
    reply
}

/// `PATCH /orders/{id}` against the version the form was filled from.
pub async fn update(
    auth: impl Credentials,
    id: Uuid,
    body: &UpdateOrder,
    etag: Option<String>,
) -> Result<Reply<Order>, ApiError> {
    let headers = if_match(etag);
    call(
        auth,
        Method::Patch,
        &format!("/orders/{id}"),
        Some(body),
        &headers,
    )
    .await
}

/// `DELETE /orders/{id}` (drafts).
pub async fn delete(auth: impl Credentials, id: Uuid) -> Result<(), ApiError> {
    call::<(), ()>(auth, Method::Delete, &format!("/orders/{id}"), None, &[]).await?;
    Ok(())
}

/// `POST /orders/{id}/publish`.
pub async fn publish(auth: impl Credentials, id: Uuid) -> Result<Reply<Order>, ApiError> {
    call(
        auth,
        Method::Post,
        &format!("/orders/{id}/publish"),
        NONE,
        &[],
    )
    .await
}

/// `POST /orders/{id}/cancel` with an optional comment.
pub async fn cancel(
    auth: impl Credentials,
    id: Uuid,
    comment: Option<String>,
) -> Result<Order, ApiError> {
    let body = Comment { comment };
    let path = format!("/orders/{id}/cancel");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// `GET /me/tasks`: what awaits the caller now.
pub async fn tasks(auth: impl Credentials) -> Result<TaskList, ApiError> {
    Ok(call(auth, Method::Get, "/me/tasks", NONE, &[]).await?.body)
}

/// `GET /orders/{id}/history`, oldest first: every page.
pub async fn history(auth: impl Credentials, id: Uuid) -> Result<HistoryList, ApiError> {
    all_pages(auth, &format!("/orders/{id}/history")).await
}

/// `GET /orders/{id}/responses`, oldest first: every page.
pub async fn responses(auth: impl Credentials, id: Uuid) -> Result<ResponseList, ApiError> {
    all_pages(auth, &format!("/orders/{id}/responses")).await
}

/// `POST /orders/{id}/responses`, once per submission.
pub async fn respond(
    auth: impl Credentials,
    id: Uuid,
    body: &NewResponse,
    key: IdempotencyKey<NewResponse>,
) -> Result<OrderResponse, ApiError> {
    let header = key.header(body);
    let path = format!("/orders/{id}/responses");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `POST /responses/{id}/withdraw`.
pub async fn withdraw(auth: impl Credentials, response: Uuid) -> Result<OrderResponse, ApiError> {
    let path = format!("/responses/{response}/withdraw");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /responses/{id}/select`: its engineer becomes the executor.
pub async fn select(auth: impl Credentials, response: Uuid) -> Result<Order, ApiError> {
    let path = format!("/responses/{response}/select");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `GET /orders/{id}/offers`, oldest first: every page.
pub async fn offers(auth: impl Credentials, id: Uuid) -> Result<OfferList, ApiError> {
    all_pages(auth, &format!("/orders/{id}/offers")).await
}

/// `POST /orders/{id}/offers`.
pub async fn offer(auth: impl Credentials, id: Uuid, body: &NewOffer) -> Result<Offer, ApiError> {
    let path = format!("/orders/{id}/offers");
    Ok(call(auth, Method::Post, &path, Some(body), &[]).await?.body)
}

/// `POST /offers/{id}/accept`.
pub async fn accept_offer(auth: impl Credentials, offer: Uuid) -> Result<Order, ApiError> {
    let path = format!("/offers/{offer}/accept");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /offers/{id}/decline`.
pub async fn decline_offer(auth: impl Credentials, offer: Uuid) -> Result<Offer, ApiError> {
    let path = format!("/offers/{offer}/decline");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /files?name=…` with the file's bytes.
pub async fn upload(auth: impl Credentials, file: &web_sys::File) -> Result<FileInfo, ApiError> {
    let path = format!("/files?name={}", super::encode(&file.name()));
    let content_type = media_type(file);
    Ok(call_raw(auth, &path, file.as_ref(), &content_type)
        .await?
        .body)
}

/// Downloads `GET /files/{id}` with the session (a plain link would not
/// carry the access token) and saves it under its name.
pub async fn download(auth: impl Credentials, file: &FileInfo) -> Result<(), ApiError> {
    save_file(auth, &format!("/files/{}", file.id), &file.name).await
}
