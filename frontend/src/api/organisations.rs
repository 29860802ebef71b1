//! Organisations and their invitations (`/organisations`, `/invitations`;
//! docs/organisations.md): registration, the offer and its signature,
//! settings, members and their rights, invitations, the audit log; and the
//! invitation link's page, which needs no account.

use super::{ApiError, Credentials, IdempotencyKey, Method, NONE, all_pages, call, encode, public};
use mezha_api_types::auth::OtpRequested;
use mezha_api_types::organisations::{
    AcceptInvitation, AuditLog, ConfirmOrganisation, Invitation, InvitationAccepted,
    InvitationList, InvitationPhone, InvitationPreview, InvitationToken, Member, MemberAction,
    MemberList, MemberRights, NewInvitation, NewOrganisation, Offer, Organisation,
    OrganisationList, OrganisationSettings,
};
use uuid::Uuid;

fn org_path(id: Uuid, rest: &str) -> String {
    format!("/organisations/{id}{rest}")
}

/// `POST /organisations`, once per submission: the caller registers an
/// organisation as its head (unconfirmed).
pub async fn create(
    auth: impl Credentials,
    body: &NewOrganisation,
    key: IdempotencyKey<NewOrganisation>,
) -> Result<Organisation, ApiError> {
    let header = key.header(body);
    let reply = call(auth, Method::Post, "/organisations", Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `GET /organisations`: where the caller is an active member.
pub async fn mine(auth: impl Credentials) -> Result<OrganisationList, ApiError> {
    Ok(call(auth, Method::Get, "/organisations", NONE, &[])
        .await?
        .body)
}

/// `GET /organisations/{id}`.
pub async fn get(auth: impl Credentials, id: Uuid) -> Result<Organisation, ApiError> {
    Ok(call(auth, Method::Get, &org_path(id, ""), NONE, &[])
        .await?
        .body)
}

/// `GET /organisations/{id}/offer`: the text the head signs.
pub async fn offer(auth: impl Credentials, id: Uuid) -> Result<Offer, ApiError> {
    Ok(call(auth, Method::Get, &org_path(id, "/offer"), NONE, &[])
        .await?
        .body)
}

/// `POST /organisations/{id}/confirm` with the detached CMS (the bytes of
/// a DER or PEM file, sent as base64).
pub async fn confirm(
    auth: impl Credentials,
    id: Uuid,
    signature: &[u8],
) -> Result<Organisation, ApiError> {
    // base64 through the browser's own `btoa` (one char per byte).
    let binary: String = signature.iter().map(|b| char::from(*b)).collect();
    let encoded = leptos::prelude::window()
        .btoa(&binary)
        .map_err(|_| ApiError::Network)?;
    let body = ConfirmOrganisation { signature: encoded };
    let path = org_path(id, "/confirm");
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// `PUT /organisations/{id}/settings`.
pub async fn save_settings(
    auth: impl Credentials,
    id: Uuid,
    body: &OrganisationSettings,
) -> Result<Organisation, ApiError> {
    let path = org_path(id, "/settings");
    Ok(call(auth, Method::Put, &path, Some(body), &[]).await?.body)
}

/// `GET /organisations/{id}/members`: every page, in the order they joined.
pub async fn members(auth: impl Credentials, id: Uuid) -> Result<MemberList, ApiError> {
    all_pages(auth, &org_path(id, "/members")).await
}

/// `POST /organisations/{id}/members/{user}/activate|deactivate`.
pub async fn member_step(
    auth: impl Credentials,
    id: Uuid,
    user: Uuid,
    action: MemberAction,
) -> Result<Member, ApiError> {
    let path = org_path(id, &format!("/members/{user}/{}", action.as_str()));
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `PUT /organisations/{id}/members/{user}/rights`: replaces his rights.
pub async fn set_rights(
    auth: impl Credentials,
    id: Uuid,
    user: Uuid,
    body: &MemberRights,
) -> Result<Member, ApiError> {
    let path = org_path(id, &format!("/members/{user}/rights"));
    Ok(call(auth, Method::Put, &path, Some(body), &[]).await?.body)
}

/// `POST /organisations/{id}/invitations`, once per submission.
pub async fn invite(
    auth: impl Credentials,
    id: Uuid,
    body: &NewInvitation,
    key: IdempotencyKey<NewInvitation>,
) -> Result<Invitation, ApiError> {
    let header = key.header(body);
    let path = org_path(id, "/invitations");
    let reply = call(auth, Method::Post, &path, Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `GET /organisations/{id}/invitations`: every page, newest first.
pub async fn invitations(auth: impl Credentials, id: Uuid) -> Result<InvitationList, ApiError> {
    all_pages(auth, &org_path(id, "/invitations")).await
}

/// `GET /organisations/{id}/audit`: a page of the log, newest first,
/// after `cursor`.
pub async fn audit(
    auth: impl Credentials,
    id: Uuid,
    cursor: Option<String>,
) -> Result<AuditLog, ApiError> {
    let mut path = org_path(id, "/audit?limit=50");
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(&cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /invitations/preview` (no account): what the link invites to.
pub async fn preview(token: String) -> Result<InvitationPreview, ApiError> {
    public(
        Method::Post,
        "/invitations/preview",
        &InvitationToken { token },
    )
    .await
}

/// `POST /invitations/phone-code` (no account): a code to the new
/// account's phone.
pub async fn phone_code(token: String, phone: String) -> Result<OtpRequested, ApiError> {
    let body = InvitationPhone { token, phone };
    public(Method::Post, "/invitations/phone-code", &body).await
}

/// `POST /invitations/accept` without a session: registers the account
/// from `body` and joins.
pub async fn accept_new(body: &AcceptInvitation) -> Result<InvitationAccepted, ApiError> {
    public(Method::Post, "/invitations/accept", body).await
}

/// `POST /invitations/accept` with the session: the caller's account (the
/// invited address's) joins.
pub async fn accept_signed_in(
    auth: impl Credentials,
    token: String,
) -> Result<InvitationAccepted, ApiError> {
    let body = AcceptInvitation {
        token,
        ..Default::default()
    };
    Ok(
        call(auth, Method::Post, "/invitations/accept", Some(&body), &[])
            .await?
            .body,
    )
}
