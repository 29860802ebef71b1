//! Contract versions of an order and their signatures (`/orders/{id}/contracts`,
//! `/contracts/{id}`).

use super::{ApiError, Credentials, IdempotencyKey, Method, all_pages, call, fetch};
use js_sys::Uint8Array;
use mezha_api_types::contracts::{
    Contract, ContractList, DeclineContract, NewContract, SignContract,
};
use uuid::Uuid;
use wasm_bindgen_futures::JsFuture;

/// `GET /orders/{id}/contracts`, oldest first: every page.
pub async fn list(auth: impl Credentials, order: Uuid) -> Result<ContractList, ApiError> {
    all_pages(auth, &format!("/orders/{order}/contracts")).await
}

/// `POST /orders/{id}/contracts`, once per submission.
pub async fn create(
    auth: impl Credentials,
    order: Uuid,
    body: &NewContract,
    key: IdempotencyKey<NewContract>,
) -> Result<Contract, ApiError> {
    let header = key.header(body);
    let path = format!("/orders/{order}/contracts");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// The exact bytes of a version's document (what is signed).
pub async fn document(auth: impl Credentials, id: Uuid) -> Result<Vec<u8>, ApiError> {
    let resp = fetch(auth, &format!("/contracts/{id}/document")).await?;
    let buffer = resp.array_buffer().map_err(|_| ApiError::Network)?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|_| ApiError::Network)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Saves a version's document (its PDF, or with `docx` its DOCX) under
/// `name`.
pub async fn download(
    auth: impl Credentials,
    id: Uuid,
    name: &str,
    docx: bool,
) -> Result<(), ApiError> {
    let format = if docx { "docx" } else { "pdf" };
    let path = format!("/contracts/{id}/document?format={format}");
    super::files::save_file(auth, &path, name).await
}

/// `POST /contracts/{id}/signatures` with a detached CMS (DER).
pub async fn sign(auth: impl Credentials, id: Uuid, der: &[u8]) -> Result<Contract, ApiError> {
    // base64 through the browser's own `btoa` (one char per byte).
    let binary: String = der.iter().map(|b| char::from(*b)).collect();
    let encoded = leptos::prelude::window()
        .btoa(&binary)
        .map_err(|_| ApiError::Network)?;
    let body = SignContract { signature: encoded };
    let path = format!("/contracts/{id}/signatures");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// `POST /contracts/{id}/decline` with the reason.
pub async fn decline(
    auth: impl Credentials,
    id: Uuid,
    reason: String,
) -> Result<Contract, ApiError> {
    let body = DeclineContract { reason };
    let path = format!("/contracts/{id}/decline");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}
