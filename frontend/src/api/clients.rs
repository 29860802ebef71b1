//! The client base of an organisation (`/clients`, `/client-requests`;
//! docs/clients.md): clients with the data checks' findings, passport
//! recognition, requests of data by e-mail; and the request link's page,
//! which needs no account.

use super::files::media_type;
use super::{
    ApiError, Credentials, IdempotencyKey, Method, NONE, call, call_raw, encode, public,
    public_raw, query_string,
};
use mezha_api_types::clients::{
    Client, ClientDataSubmitted, ClientList, ClientPatch, ClientRequest, ClientRequestList,
    ClientRequestPreview, ClientsQuery, NewClient, NewClientRequest, PassportProposal,
    RecognisePassport, RecogniseThroughLink, SubmitClientData,
};
use mezha_api_types::orders::FileInfo;
use mezha_api_types::organisations::InvitationToken;
use uuid::Uuid;

/// `POST /clients`, once per submission.
pub async fn create(
    auth: impl Credentials,
    body: &NewClient,
    key: IdempotencyKey<NewClient>,
) -> Result<Client, ApiError> {
    let header = key.header(body);
    let reply = call(auth, Method::Post, "/clients", Some(body), &[header]).await?;
    key.done();
    Ok(reply.body)
}

/// `GET /clients?q=`: a page of the base, newest first.
pub async fn list(auth: impl Credentials, query: &ClientsQuery) -> Result<ClientList, ApiError> {
    let path = format!("/clients{}", query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /clients/{id}`: the card (a read of personal data, written in the
/// organisation's audit log).
pub async fn get(auth: impl Credentials, id: Uuid) -> Result<Client, ApiError> {
    let path = format!("/clients/{id}");
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `PATCH /clients/{id}`: the fields given change.
pub async fn update(
    auth: impl Credentials,
    id: Uuid,
    body: &ClientPatch,
) -> Result<Client, ApiError> {
    let path = format!("/clients/{id}");
    Ok(call(auth, Method::Patch, &path, Some(body), &[])
        .await?
        .body)
}

/// `POST /clients/recognise` for organisation `org`: the fields read from
/// an uploaded passport image; nothing is saved.
pub async fn recognise(
    auth: impl Credentials,
    org: Uuid,
    file_id: Uuid,
) -> Result<PassportProposal, ApiError> {
    let body = RecognisePassport {
        file_id,
        organisation_id: Some(org),
    };
    Ok(
        call(auth, Method::Post, "/clients/recognise", Some(&body), &[])
            .await?
            .body,
    )
}

/// `POST /client-requests`, once per submission: mails the person a link.
pub async fn request(
    auth: impl Credentials,
    body: &NewClientRequest,
    key: IdempotencyKey<NewClientRequest>,
) -> Result<ClientRequest, ApiError> {
    let header = key.header(body);
    let reply = call(
        auth,
        Method::Post,
        "/client-requests",
        Some(body),
        &[header],
    )
    .await?;
    key.done();
    Ok(reply.body)
}

/// `GET /client-requests`: a page of organisation `org`'s requests,
/// newest first, after `cursor`.
pub async fn requests(
    auth: impl Credentials,
    org: Uuid,
    cursor: Option<String>,
) -> Result<ClientRequestList, ApiError> {
    let mut path = format!("/client-requests?limit=50&organisation_id={org}");
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(&cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `GET /client-requests/{id}`.
pub async fn get_request(auth: impl Credentials, id: Uuid) -> Result<ClientRequest, ApiError> {
    let path = format!("/client-requests/{id}");
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /client-requests/{id}/accept`: the submission becomes a client.
pub async fn accept(auth: impl Credentials, id: Uuid) -> Result<Client, ApiError> {
    let path = format!("/client-requests/{id}/accept");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /client-requests/preview` (no account): who asks.
pub async fn preview(token: String) -> Result<ClientRequestPreview, ApiError> {
    public(
        Method::Post,
        "/client-requests/preview",
        &InvitationToken { token },
    )
    .await
}

/// `POST /client-requests/files` (no account): a scan through the link,
/// streamed with the link's token in `X-Link-Token`.
pub async fn upload_scan(token: &str, file: &web_sys::File) -> Result<FileInfo, ApiError> {
    let path = format!("/client-requests/files?name={}", encode(&file.name()));
    let headers = [("x-link-token", token.to_owned())];
    public_raw(&path, file.as_ref(), &media_type(file), &headers).await
}

/// `POST /client-requests/recognise` (no account): the fields read from a
/// passport image uploaded through the link; nothing is saved.
pub async fn recognise_through_link(
    token: String,
    file_id: Uuid,
) -> Result<PassportProposal, ApiError> {
    let body = RecogniseThroughLink { token, file_id };
    public(Method::Post, "/client-requests/recognise", &body).await
}

/// `POST /client-requests/submit` (no account): the person's data, once.
pub async fn submit(body: &SubmitClientData) -> Result<ClientDataSubmitted, ApiError> {
    public(Method::Post, "/client-requests/submit", body).await
}

/// `POST /files`: a scan or a passport photo, with the session.
pub async fn upload(auth: impl Credentials, file: &web_sys::File) -> Result<FileInfo, ApiError> {
    let path = format!("/files?name={}", encode(&file.name()));
    Ok(call_raw(auth, &path, file.as_ref(), &media_type(file))
        .await?
        .body)
}
