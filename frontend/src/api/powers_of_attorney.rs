//! An organisation's machine-readable powers of attorney (МЧД,
//! `/organisations/{id}/powers-of-attorney`; docs/power-of-attorney.md):
//! the list, the upload of the XML as is, the head's signature of its exact
//! bytes, the revocation, and the downloads of the XML and the signature.

use super::{
    ApiError, Credentials, Method, all_pages, call, call_raw, fetch_bytes, files::save_file,
};
use mezha_api_types::powers_of_attorney::{
    PowerOfAttorney, PowerOfAttorneyList, RevokePowerOfAttorney, SignPowerOfAttorney,
};
use uuid::Uuid;

fn path(org: Uuid, rest: &str) -> String {
    format!("/organisations/{org}/powers-of-attorney{rest}")
}

fn one(org: Uuid, poa: Uuid, rest: &str) -> String {
    path(org, &format!("/{poa}{rest}"))
}

/// `GET …/powers-of-attorney`: every page, the latest uploaded first.
pub async fn list(auth: impl Credentials, org: Uuid) -> Result<PowerOfAttorneyList, ApiError> {
    all_pages(auth, &path(org, "")).await
}

/// `POST …/powers-of-attorney` with the XML file as is.
pub async fn upload(
    auth: impl Credentials,
    org: Uuid,
    file: &web_sys::File,
) -> Result<PowerOfAttorney, ApiError> {
    Ok(
        call_raw(auth, &path(org, ""), file.as_ref(), "application/xml")
            .await?
            .body,
    )
}

/// The XML's exact bytes (what the head signs).
pub async fn xml_bytes(auth: impl Credentials, org: Uuid, poa: Uuid) -> Result<Vec<u8>, ApiError> {
    fetch_bytes(auth, &one(org, poa, "/xml")).await
}

/// Saves the XML as `name`.
pub async fn save_xml(
    auth: impl Credentials,
    org: Uuid,
    poa: Uuid,
    name: &str,
) -> Result<(), ApiError> {
    save_file(auth, &one(org, poa, "/xml"), name).await
}

/// Saves the head's detached signature (DER) as `name`.
pub async fn save_signature(
    auth: impl Credentials,
    org: Uuid,
    poa: Uuid,
    name: &str,
) -> Result<(), ApiError> {
    save_file(auth, &one(org, poa, "/signature"), name).await
}

/// `POST …/{poa}/signature`: the head's detached CMS (DER, or the bytes of
/// a PEM file), sent as base64.
pub async fn sign(
    auth: impl Credentials,
    org: Uuid,
    poa: Uuid,
    signature: &[u8],
) -> Result<PowerOfAttorney, ApiError> {
    // base64 through the browser's own `btoa` (one char per byte).
    let binary: String = signature.iter().map(|b| char::from(*b)).collect();
    let signature = leptos::prelude::window()
        .btoa(&binary)
        .map_err(|_| ApiError::Network)?;
    let body = SignPowerOfAttorney { signature };
    let path = one(org, poa, "/signature");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// `POST …/{poa}/revoke`.
pub async fn revoke(
    auth: impl Credentials,
    org: Uuid,
    poa: Uuid,
    reason: String,
) -> Result<PowerOfAttorney, ApiError> {
    let body = RevokePowerOfAttorney { reason };
    let path = one(org, poa, "/revoke");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}
