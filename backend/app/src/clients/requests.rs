//! Requests of a client's data by e-mail (docs/clients.md, "Requests by
//! e-mail"): an employee with `manage_clients` mails a person a one-use
//! link; the person, without an account, uploads his scans and submits his
//! own data once; the employee reviews it with the checks' findings and
//! accepts it into the base. Only a SHA-256 of each link's token is kept.

use super::{base_of, findings, new_data, not_found, required_name, view, within};
use crate::Actor as Caller;
use crate::context::{Accounts, Core};
use crate::error::{AppError, body_issues};
use crate::messaging::Mail;
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::clients::{
    Client, ClientDataSubmitted, ClientRequest, ClientRequestList, ClientRequestPreview,
    ClientRequestStatus, ClientRequestsQuery, ClientSubmission, NewClient, NewClientRequest,
    SubmitClientData,
};
use mezha_domain::clients::requests::{self as rules, FILES_MAX};
use mezha_domain::session::{generate_secret, hash_secret};
use mezha_domain::{Email, FieldError};
use mezha_store::StoreError;
use mezha_store::clients::{self as store, NewRequest, RequestRecord};
use mezha_store::paging::After;
use uuid::Uuid;

fn link_invalid() -> AppError {
    AppError::new(ErrorCode::InvalidToken, "clients.request_link_invalid")
}

fn status(state: &Core, r: &RequestRecord) -> ClientRequestStatus {
    rules::status(
        r.submitted_at,
        r.accepted_at,
        r.expires_at,
        state.clock.now(),
    )
}

fn submitted(r: &RequestRecord) -> Result<Option<NewClient>, AppError> {
    r.submission
        .as_deref()
        .map(serde_json::from_str::<NewClient>)
        .transpose()
        .map_err(|e| AppError::internal(anyhow::anyhow!("request {}: {e}", r.id)))
}

/// A request as the employee sees it; `with_submission` adds what the
/// person submitted (the card's read, not the list's).
async fn request_view(
    state: &Core,
    r: RequestRecord,
    with_submission: bool,
) -> Result<ClientRequest, AppError> {
    let status = status(state, &r);
    let submitted = if with_submission {
        submitted(&r)?
    } else {
        None
    };
    let submission = match (submitted, r.submitted_at) {
        (Some(data), Some(at)) => {
            let mut scans = Vec::with_capacity(data.scan_ids.len());
            for id in &data.scan_ids {
                if let Some(file) = mezha_store::files::find(&state.db, *id).await? {
                    scans.push(crate::orders::file_info(file));
                }
            }
            Some(ClientSubmission {
                findings: findings(state, &new_data(data.clone())),
                data,
                scans,
                submitted_at: at,
            })
        }
        _ => None,
    };
    Ok(ClientRequest {
        allowed_actions: rules::allowed_actions(status),
        status,
        submitted_at: r.submitted_at,
        submission,
        id: r.id,
        organisation_id: r.organisation_id,
        email: r.email,
        full_name: r.full_name,
        expires_at: r.expires_at,
        client_id: r.client_id,
        created_by: r.created_by,
        created_at: r.created_at,
    })
}

/// The request `id` when the caller works with its organisation's base.
async fn request_of(state: &Core, auth: &Caller, id: Uuid) -> Result<RequestRecord, AppError> {
    let r = store::request_by_id(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    within(state, auth, r.organisation_id).await?;
    Ok(r)
}

/// `POST /client-requests`: stores the request and mails its link.
pub async fn send(
    state: &Accounts,
    auth: &Caller,
    input: NewClientRequest,
) -> Result<ClientRequest, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let email = Email::parse(&input.email).map_err(|e| AppError::field("email", e))?;
    let org = base_of(state, auth, input.organisation_id).await?;
    let now = state.clock.now();
    let token = generate_secret(&mut rand::rngs::OsRng);
    let full_name = input
        .full_name
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty());
    let record = store::create_request(
        &state.db,
        NewRequest {
            organisation_id: org.id,
            email: email.as_str().to_owned(),
            full_name,
            token_hash: hash_secret(&token),
            expires_at: now + rules::REQUEST_TTL,
            created_by: auth.user_id,
        },
        now,
    )
    .await?;
    let link = format!(
        "{}/client-request?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    let days = rules::REQUEST_TTL.num_days();
    let body = format!(
        "Здравствуйте!\n\n{org} просит вас заполнить ваши данные (паспорт, СНИЛС, адрес) и приложить \
         сканы документов для оформления сделки. Ссылка действует {days} дн. и открывается один раз:\n\
         {link}\n\nУчётная запись не нужна. Если вы не ждали этого письма, просто удалите его.\n\n\
         {org} asks you to fill in your data and attach scans for a deal at the link above \
         (it works for {days} days, once; no account needed).\n",
        org = org.short_name,
    );
    state
        .mailer
        .send(Mail {
            to: record.email.clone(),
            subject: format!(
                "Межа: {0} просит ваши данные / Mezha: {0} asks for your data",
                org.short_name
            ),
            body,
            html: None,
        })
        .await?;
    tracing::info!(organisation_id = %org.id, request_id = %record.id, "client data requested");
    request_view(state, record, false).await
}

/// One request (for an `Idempotency-Key` retry, and `GET`), with what was
/// submitted; reading a submission is written in the audit log like a
/// client's card.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<ClientRequest, AppError> {
    let r = request_of(state, auth, id).await?;
    if r.submitted_at.is_some() {
        mezha_store::organisations::record(
            &state.db,
            r.organisation_id,
            mezha_store::organisations::Audit {
                kind: mezha_api_types::organisations::AuditKind::ClientRead,
                actor_id: Some(auth.user_id),
                subject_id: None,
                details: serde_json::json!({"request_id": r.id, "email": r.email}),
            },
            state.clock.now(),
        )
        .await?;
    }
    request_view(state, r, true).await
}

/// `GET /client-requests`: newest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    query: &ClientRequestsQuery,
) -> Result<ClientRequestList, AppError> {
    let limit = paging::limit(&query.page)?;
    let before: Option<After> = paging::decode(query.page.cursor.as_deref())?;
    let org = base_of(state, auth, query.organisation_id).await?;
    let (rows, more) = store::requests(&state.db, org.id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(request_view(state, r, false).await?);
    }
    Ok(ClientRequestList { items, next_cursor })
}

/// `POST /client-requests/{id}/accept`: the submission becomes a client of
/// the base (the employee fixes what the findings flag afterwards, like
/// any client's data).
pub async fn accept(state: &Core, auth: &Caller, id: Uuid) -> Result<Client, AppError> {
    let r = request_of(state, auth, id).await?;
    let now_status = status(state, &r);
    if now_status != ClientRequestStatus::Submitted {
        return Err(AppError::illegal_transition(
            crate::msg!("clients.request_not_submitted", status = now_status),
            now_status.as_str(),
            Vec::new(),
        ));
    }
    let data = submitted(&r)?.ok_or_else(not_found)?;
    let scans = data.scan_ids.clone();
    let data = new_data(data);
    required_name(&data)?;
    let client =
        store::accept_request(&state.db, &r, data, &scans, auth.user_id, state.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::VersionMismatch => {
                    AppError::new(ErrorCode::Conflict, "clients.changed")
                }
                other => other.into(),
            })?;
    view(state, auth, client).await
}

/// The request whose link `token` is, while the link works.
pub async fn open(state: &Core, token: &str) -> Result<RequestRecord, AppError> {
    let r = store::request_by_token(&state.db, &hash_secret(token.trim()))
        .await?
        .ok_or_else(link_invalid)?;
    if !rules::link_works(status(state, &r)) {
        return Err(link_invalid());
    }
    Ok(r)
}

/// `POST /client-requests/preview`: who asks (no account needed).
pub async fn preview(state: &Core, token: &str) -> Result<ClientRequestPreview, AppError> {
    let r = open(state, token).await?;
    let org = mezha_store::organisations::get(&state.db, r.organisation_id)
        .await?
        .ok_or_else(link_invalid)?;
    Ok(ClientRequestPreview {
        organisation: org.short_name,
        full_name: r.full_name,
        expires_at: r.expires_at,
    })
}

/// Whether one more file may be uploaded through the link of `r`
/// (`422 too_many` otherwise).
pub async fn may_upload(state: &Core, r: &RequestRecord) -> Result<(), AppError> {
    if store::request_files(&state.db, r.id).await?.len() >= FILES_MAX {
        return Err(AppError::field(
            "file",
            FieldError::new(
                "too_many",
                format!("At most {FILES_MAX} files through one link."),
            ),
        ));
    }
    Ok(())
}

/// Records a file the person uploaded through the link of `r`.
pub async fn uploaded(state: &Core, r: &RequestRecord, file_id: Uuid) -> Result<(), AppError> {
    store::add_request_file(&state.db, r.id, file_id, state.clock.now()).await?;
    Ok(())
}

/// `POST /client-requests/submit`: the person's data, once; the scans must
/// be files uploaded through this link. Answers the checks' findings.
pub async fn submit(
    state: &Core,
    input: SubmitClientData,
) -> Result<ClientDataSubmitted, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let r = open(state, &input.token).await?;
    let mut data = input.data;
    data.organisation_id = None;
    let normal = new_data(data.clone());
    required_name(&normal)?;
    let uploaded = store::request_files(&state.db, r.id).await?;
    let mut seen = Vec::new();
    for (i, id) in data.scan_ids.iter().enumerate() {
        if !uploaded.contains(id) || seen.contains(id) {
            return Err(AppError::field(
                &format!("data.scan_ids[{i}]"),
                FieldError::new("unknown_file", "Upload the file through this link first."),
            ));
        }
        seen.push(*id);
    }
    let json = serde_json::to_string(&data).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    store::submit(&state.db, r.id, json, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => link_invalid(),
            other => other.into(),
        })?;
    tracing::info!(request_id = %r.id, "client data submitted");
    Ok(ClientDataSubmitted {
        findings: findings(state, &normal),
    })
}

/// `POST /client-requests/recognise`: reads an image of his passport's main
/// page the person uploaded through the link and proposes the fields found
/// for his form (nothing is saved).
pub async fn recognise(
    state: &Core,
    token: &str,
    file_id: Uuid,
) -> Result<mezha_api_types::clients::PassportProposal, AppError> {
    let r = open(state, token).await?;
    let unknown = || {
        AppError::field(
            "file_id",
            FieldError::new("unknown_file", "Upload the file through this link first."),
        )
    };
    if !store::request_files(&state.db, r.id)
        .await?
        .contains(&file_id)
    {
        return Err(unknown());
    }
    let file = mezha_store::files::find(&state.db, file_id)
        .await?
        .ok_or_else(unknown)?;
    super::ocr::propose(state, &file).await
}
