//! Certificate applications an organisation's CA agent files for a client
//! of its base, and the client's claim of one through the mailed link
//! (docs/certificates.md, "Filed by an organisation's CA agent").

use super::{ApiError, Credentials, IdempotencyKey, Method, NONE, call, public};
use mezha_api_types::certificate_agents::{
    AgentApplication, ClaimPreview, ClaimToken, FileApplication,
};
use mezha_api_types::certificates::CertificateApplication;
use uuid::Uuid;

/// `POST /clients/{id}/certificate-applications`, once per submission:
/// filed from the card and submitted to the operators at once.
pub async fn file(
    auth: impl Credentials,
    client: Uuid,
    body: &FileApplication,
    key: IdempotencyKey<FileApplication>,
) -> Result<AgentApplication, ApiError> {
    let header = key.header(body);
    let path = format!("/clients/{client}/certificate-applications");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `POST /clients/{id}/certificate-applications/{application_id}/resend-link`:
/// mails the client a new claim link (the earlier one stops working).
pub async fn resend_link(
    auth: impl Credentials,
    client: Uuid,
    application: Uuid,
) -> Result<AgentApplication, ApiError> {
    let path = format!("/clients/{client}/certificate-applications/{application}/resend-link");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /certificate-claims/preview` (no account): who filed what for whom.
pub async fn preview(token: String) -> Result<ClaimPreview, ApiError> {
    public(
        Method::Post,
        "/certificate-claims/preview",
        &ClaimToken { token },
    )
    .await
}

/// `POST /certificate-claims/accept`: the signed-in account becomes the
/// application's owner.
pub async fn accept(
    auth: impl Credentials,
    token: String,
) -> Result<CertificateApplication, ApiError> {
    let body = ClaimToken { token };
    Ok(call(
        auth,
        Method::Post,
        "/certificate-claims/accept",
        Some(&body),
        &[],
    )
    .await?
    .body)
}
