//! Contract and act versions of an order and their signatures
//! (`/orders/{id}/contracts`, `/contracts/{id}`, `/orders/{id}/acts`,
//! `/acts/{id}`): both kinds are read, signed and declined the same way.

use super::{ApiError, Credentials, IdempotencyKey, Method, all_pages, call};
use mezha_api_types::acts::{Act, ActList, NewAct};
use mezha_api_types::contracts::{
    Contract, ContractList, DeclineContract, NewContract, SignContract,
};
use uuid::Uuid;

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

/// The two kinds of signed documents of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Contract,
    Act,
}

impl Doc {
    /// The collection in the API's paths.
    fn base(self) -> &'static str {
        match self {
            Doc::Contract => "contracts",
            Doc::Act => "acts",
        }
    }

    /// The prefix of file names and test ids.
    pub fn name(self) -> &'static str {
        match self {
            Doc::Contract => "contract",
            Doc::Act => "act",
        }
    }
}

/// `GET /orders/{id}/acts`, oldest first: every page.
pub async fn acts(auth: impl Credentials, order: Uuid) -> Result<ActList, ApiError> {
    all_pages(auth, &format!("/orders/{order}/acts")).await
}

/// `POST /orders/{id}/acts`, once per submission.
pub async fn create_act(
    auth: impl Credentials,
    order: Uuid,
    body: &NewAct,
    key: IdempotencyKey<NewAct>,
) -> Result<Act, ApiError> {
    let header = key.header(body);
    let path = format!("/orders/{order}/acts");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// The exact bytes of a version's document (what is signed).
pub async fn document(auth: impl Credentials, doc: Doc, id: Uuid) -> Result<Vec<u8>, ApiError> {
    super::fetch_bytes(auth, &format!("/{}/{id}/document", doc.base())).await
}

/// Saves a version's document (its PDF, or with `docx` its DOCX) under
/// `name`.
pub async fn download(
    auth: impl Credentials,
    doc: Doc,
    id: Uuid,
    name: &str,
    docx: bool,
) -> Result<(), ApiError> {
    let format = if docx { "docx" } else { "pdf" };
    let path = format!("/{}/{id}/document?format={format}", doc.base());
    super::files::save_file(auth, &path, name).await
}

/// A URL of a version's PDF, to show it in the page.
pub async fn preview_url(auth: impl Credentials, doc: Doc, id: Uuid) -> Result<String, ApiError> {
    super::files::object_url(auth, &format!("/{}/{id}/document", doc.base())).await
}

/// `POST /{contracts|acts}/{id}/signatures` with a detached CMS (DER).
pub async fn sign(auth: impl Credentials, doc: Doc, id: Uuid, der: &[u8]) -> Result<(), ApiError> {
    // base64 through the browser's own `btoa` (one char per byte).
    let binary: String = der.iter().map(|b| char::from(*b)).collect();
    let encoded = leptos::prelude::window()
        .btoa(&binary)
        .map_err(|_| ApiError::Network)?;
    let body = SignContract { signature: encoded };
    let path = format!("/{}/{id}/signatures", doc.base());
    call::<_, serde_json::Value>(auth, Method::Post, &path, Some(&body), &[]).await?;
    Ok(())
}

/// `POST /{contracts|acts}/{id}/decline` with the reason.
pub async fn decline(
    auth: impl Credentials,
    doc: Doc,
    id: Uuid,
    reason: String,
) -> Result<(), ApiError> {
    let body = DeclineContract { reason };
    let path = format!("/{}/{id}/decline", doc.base());
    call::<_, serde_json::Value>(auth, Method::Post, &path, Some(&body), &[]).await?;
    Ok(())
}
