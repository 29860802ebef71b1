//! Deals (`/deals`; docs/deals.md): the list, a deal with its object,
//! participants, documents and signatures, the statements, sending, the
//! state fee, the registry's answers and the history. Every changing call
//! answers the deal as it is now.

use super::files::send_with_progress;
use super::{ApiError, Credentials, IdempotencyKey, Method, NONE, all_pages, call, encode};
use mezha_api_types::deals::{
    Deal, DealHistory, DealList, DealPatch, DealRegistryStatus, DealsQuery, NewDeal,
    NewParticipant, SignDealDocument,
};
use uuid::Uuid;

fn deal_path(id: Uuid, rest: &str) -> String {
    format!("/deals/{id}{rest}")
}

/// `GET /deals`: a page of the deals the caller sees, newest first.
pub async fn list(auth: impl Credentials, query: &DealsQuery) -> Result<DealList, ApiError> {
    let path = format!("/deals{}", super::query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /deals`, once per submission: a new draft.
pub async fn create(
    auth: impl Credentials,
    body: &NewDeal,
    key: IdempotencyKey<NewDeal>,
) -> Result<Deal, ApiError> {
    let header = key.header(body);
    let reply = call(auth, Method::Post, "/deals", Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `GET /deals/{id}`.
pub async fn get(auth: impl Credentials, id: Uuid) -> Result<Deal, ApiError> {
    Ok(call(auth, Method::Get, &deal_path(id, ""), NONE, &[])
        .await?
        .body)
}

/// `PATCH /deals/{id}`: the title or the object's fields given.
pub async fn update(auth: impl Credentials, id: Uuid, body: &DealPatch) -> Result<Deal, ApiError> {
    Ok(
        call(auth, Method::Patch, &deal_path(id, ""), Some(body), &[])
            .await?
            .body,
    )
}

/// `DELETE /deals/{id}`: a draft goes.
pub async fn delete(auth: impl Credentials, id: Uuid) -> Result<(), ApiError> {
    call::<(), serde_json::Value>(auth, Method::Delete, &deal_path(id, ""), NONE, &[]).await?;
    Ok(())
}

/// A call without a body answered by the deal (`form-statements`, `send`,
/// `pay-fee`, removals).
async fn step(auth: impl Credentials, method: Method, path: &str) -> Result<Deal, ApiError> {
    Ok(call(auth, method, path, NONE, &[]).await?.body)
}

/// `POST /deals/{id}/participants`, once per submission.
pub async fn add_participant(
    auth: impl Credentials,
    id: Uuid,
    body: &NewParticipant,
    key: IdempotencyKey<NewParticipant>,
) -> Result<Deal, ApiError> {
    let header = key.header(body);
    let path = deal_path(id, "/participants");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `DELETE /deals/{id}/participants/{pid}`, with his signatures.
pub async fn remove_participant(
    auth: impl Credentials,
    id: Uuid,
    participant: Uuid,
) -> Result<Deal, ApiError> {
    let path = deal_path(id, &format!("/participants/{participant}"));
    step(auth, Method::Delete, &path).await
}

/// `POST /deals/{id}/documents?name=…&title=…`: the PDF streamed as is,
/// `progress` getting 0–100.
pub async fn upload(
    auth: impl Credentials,
    id: Uuid,
    file: &web_sys::File,
    title: &str,
    progress: impl Fn(u32) + 'static,
) -> Result<Deal, ApiError> {
    let mut path = deal_path(id, &format!("/documents?name={}", encode(&file.name())));
    if !title.is_empty() {
        path.push_str(&format!("&title={}", encode(title)));
    }
    Ok(send_with_progress(auth, "POST", &path, file, progress)
        .await?
        .body)
}

/// `DELETE /deals/{id}/documents/{doc}`, with its signatures.
pub async fn remove_document(
    auth: impl Credentials,
    id: Uuid,
    document: Uuid,
) -> Result<Deal, ApiError> {
    let path = deal_path(id, &format!("/documents/{document}"));
    step(auth, Method::Delete, &path).await
}

fn file_path(id: Uuid, document: Uuid) -> String {
    deal_path(id, &format!("/documents/{document}/file"))
}

/// The exact bytes of a document or statement (what is signed).
pub async fn document_bytes(
    auth: impl Credentials,
    id: Uuid,
    document: Uuid,
) -> Result<Vec<u8>, ApiError> {
    super::fetch_bytes(auth, &file_path(id, document)).await
}

/// Saves a document's PDF as `name`.
pub async fn download(
    auth: impl Credentials,
    id: Uuid,
    document: Uuid,
    name: &str,
) -> Result<(), ApiError> {
    super::files::save_file(auth, &file_path(id, document), name).await
}

/// `POST /deals/{id}/documents/{doc}/signatures`: a detached CMS (DER, or
/// the bytes of a PEM file) for `participant` (none: the employee's own).
pub async fn sign(
    auth: impl Credentials,
    id: Uuid,
    document: Uuid,
    participant: Option<Uuid>,
    der: &[u8],
) -> Result<Deal, ApiError> {
    // base64 through the browser's own `btoa` (one char per byte).
    let binary: String = der.iter().map(|b| char::from(*b)).collect();
    let signature = leptos::prelude::window()
        .btoa(&binary)
        .map_err(|_| ApiError::Network)?;
    let body = SignDealDocument {
        participant_id: participant,
        signature,
    };
    let path = deal_path(id, &format!("/documents/{document}/signatures"));
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// `POST /deals/{id}/form-statements`: the deal freezes.
pub async fn form_statements(auth: impl Credentials, id: Uuid) -> Result<Deal, ApiError> {
    step(auth, Method::Post, &deal_path(id, "/form-statements")).await
}

/// `POST /deals/{id}/send`.
pub async fn send(auth: impl Credentials, id: Uuid) -> Result<Deal, ApiError> {
    step(auth, Method::Post, &deal_path(id, "/send")).await
}

/// `POST /deals/{id}/pay-fee`.
pub async fn pay_fee(auth: impl Credentials, id: Uuid) -> Result<Deal, ApiError> {
    step(auth, Method::Post, &deal_path(id, "/pay-fee")).await
}

/// `POST /deals/{id}/copy`, once per press: the new draft.
pub async fn copy(
    auth: impl Credentials,
    id: Uuid,
    key: IdempotencyKey<Uuid>,
) -> Result<Deal, ApiError> {
    let header = key.header(&id);
    let reply = call(auth, Method::Post, &deal_path(id, "/copy"), NONE, &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `GET /deals/{id}/history`: every page, oldest first.
pub async fn history(auth: impl Credentials, id: Uuid) -> Result<DealHistory, ApiError> {
    all_pages(auth, &deal_path(id, "/history")).await
}

/// `GET /deals/{id}/registry-status`.
pub async fn registry_status(
    auth: impl Credentials,
    id: Uuid,
) -> Result<DealRegistryStatus, ApiError> {
    Ok(call(
        auth,
        Method::Get,
        &deal_path(id, "/registry-status"),
        NONE,
        &[],
    )
    .await?
    .body)
}
