//! The certification authority and signatures (`/certificate-applications`,
//! `/certificates`, `/signatures/validate`).

use super::{ApiError, Credentials, Method, NONE, Reply, call, call_form, if_match, query_string};
use mezha_api_types::certificates::{
    ApplicationInput, ApplicationList, ApplicationListQuery, Certificate, CertificateApplication,
    CertificateList, CertificateListQuery, IssueCertificate, IssueCodeSent, RejectApplication,
    RevokeCertificate,
};
use mezha_api_types::signatures::ValidationReport;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

fn app_path(id: Uuid, action: &str) -> String {
    format!("/certificate-applications/{id}{action}")
}

/// `GET /certificate-applications` (the owner's; operators see all).
pub async fn applications(
    auth: impl Credentials,
    query: &ApplicationListQuery,
) -> Result<ApplicationList, ApiError> {
    let path = format!("/certificate-applications{}", query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /certificate-applications`: a draft pre-filled from the account.
pub async fn create(
    auth: impl Credentials,
    body: &ApplicationInput,
) -> Result<Reply<CertificateApplication>, ApiError> {
    call(
        auth,
        Method::Post,
        "/certificate-applications",
        Some(body),
        &[],
    )
    .await
}

/// `GET /certificate-applications/{id}`, with its `ETag`.
pub async fn application(
    auth: impl Credentials,
    id: Uuid,
) -> Result<Reply<CertificateApplication>, ApiError> {
    call(auth, Method::Get, &app_path(id, ""), NONE, &[]).await
}

/// `PATCH /certificate-applications/{id}` against the version shown.
pub async fn update(
    auth: impl Credentials,
    id: Uuid,
    body: &ApplicationInput,
    etag: Option<String>,
) -> Result<Reply<CertificateApplication>, ApiError> {
    let headers = if_match(etag);
    call(auth, Method::Patch, &app_path(id, ""), Some(body), &headers).await
}

/// `POST /certificate-applications/{id}/{submit|approve}`.
pub async fn act(
    auth: impl Credentials,
    id: Uuid,
    action: &str,
) -> Result<Reply<CertificateApplication>, ApiError> {
    let path = app_path(id, &format!("/{action}"));
    call(auth, Method::Post, &path, NONE, &[]).await
}

/// `POST /certificate-applications/{id}/reject`.
pub async fn reject(
    auth: impl Credentials,
    id: Uuid,
    body: &RejectApplication,
) -> Result<Reply<CertificateApplication>, ApiError> {
    call(
        auth,
        Method::Post,
        &app_path(id, "/reject"),
        Some(body),
        &[],
    )
    .await
}

/// `POST /certificate-applications/{id}/issue-code`: the SMS code.
pub async fn issue_code(auth: impl Credentials, id: Uuid) -> Result<IssueCodeSent, ApiError> {
    let path = app_path(id, "/issue-code");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /certificate-applications/{id}/issue`: the certificate.
pub async fn issue(
    auth: impl Credentials,
    id: Uuid,
    body: &IssueCertificate,
) -> Result<Certificate, ApiError> {
    let path = app_path(id, "/issue");
    Ok(call(auth, Method::Post, &path, Some(body), &[]).await?.body)
}

/// `GET /certificates`: the caller's certificates.
pub async fn certificates(auth: impl Credentials) -> Result<CertificateList, ApiError> {
    let query = CertificateListQuery {
        limit: Some(100),
        cursor: None,
    };
    let path = format!("/certificates{}", query_string(&query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /certificates/{id}/revoke`.
pub async fn revoke(
    auth: impl Credentials,
    id: Uuid,
    body: &RevokeCertificate,
) -> Result<Certificate, ApiError> {
    let path = format!("/certificates/{id}/revoke");
    Ok(call(auth, Method::Post, &path, Some(body), &[]).await?.body)
}

/// `POST /certificates/{id}/renew`: a new application pre-filled.
pub async fn renew(auth: impl Credentials, id: Uuid) -> Result<CertificateApplication, ApiError> {
    let path = format!("/certificates/{id}/renew");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /signatures/validate` with the document and the detached signature.
pub async fn validate(
    auth: impl Credentials,
    document: &JsValue,
    signature: &JsValue,
) -> Result<ValidationReport, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    let blob = |v: &JsValue| -> Result<web_sys::Blob, ApiError> {
        if let Some(b) = v.dyn_ref::<web_sys::Blob>() {
            return Ok(b.clone());
        }
        let parts = js_sys::Array::of1(v);
        web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| ApiError::Network)
    };
    form.append_with_blob_and_filename("document", &blob(document)?, "document")
        .map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("signature", &blob(signature)?, "signature.p7s")
        .map_err(|_| ApiError::Network)?;
    call_form(auth, "/signatures/validate", &form).await
}
