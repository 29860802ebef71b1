//! Invitations (docs/organisations.md, "Employees"): the admin invites an
//! employee by e-mail; the link (one use, expiring after
//! [`rules::INVITATION_TTL`]) leads to a page where the invitee either
//! registers — a password and a phone confirmed by an SMS code, the e-mail
//! being proven by the link itself — or, having an account with that
//! e-mail, logs in and accepts. Either way he becomes a pending member the
//! admin activates. Only a SHA-256 of each link's token is stored.

use super::{not_found, permitted};
use crate::Actor as Caller;
use crate::context::{Accounts, Core};
use crate::error::{AppError, FieldIssues, body_issues, push_issue};
use crate::messaging::Mail;
use crate::{ClientInfo, paging};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::OtpRequested;
use mezha_api_types::organisations::{
    AcceptInvitation, Invitation, InvitationAccepted, InvitationList, InvitationPreview,
    InvitationStatus, NewInvitation,
};
use mezha_api_types::page::PageQuery;
use mezha_domain::organisations::{self as rules, Permission};
use mezha_domain::password::NewPassword;
use mezha_domain::session::{generate_secret, hash_secret};
use mezha_domain::{Email, FieldError, FullName, Phone};
use mezha_store::StoreError;
use mezha_store::organisations::{self as store, InvitationRecord, NewInvitationRecord};
use mezha_store::paging::After;
use mezha_store::users::{self, NewUser, ProfileChanges};
use uuid::Uuid;

fn link_used() -> AppError {
    AppError::new(ErrorCode::InvalidToken, "organisations.invitation_invalid")
}

fn view(state: &Core, record: InvitationRecord) -> Invitation {
    Invitation {
        status: rules::invitation_status(record.accepted_at, record.expires_at, state.clock.now()),
        id: record.id,
        organisation_id: record.organisation_id,
        email: record.email,
        expires_at: record.expires_at,
        accepted_by: record.accepted_by,
        created_at: record.created_at,
    }
}

/// `POST /organisations/{id}/invitations` (the admin of a confirmed
/// organisation): stores the invitation and mails its link.
pub async fn invite(
    state: &Accounts,
    auth: &Caller,
    id: Uuid,
    input: NewInvitation,
) -> Result<Invitation, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let email = Email::parse(&input.email).map_err(|e| AppError::field("email", e))?;
    let (org, _) = permitted(state, auth, id, Permission::ManageMembers).await?;
    let now = state.clock.now();
    let token = generate_secret(&mut rand::rngs::OsRng);
    let record = store::invite(
        &state.db,
        NewInvitationRecord {
            organisation_id: org.id,
            email: email.as_str().to_owned(),
            token_hash: hash_secret(&token),
            expires_at: now + rules::INVITATION_TTL,
            created_by: auth.user_id,
        },
        now,
    )
    .await?;
    let link = format!(
        "{}/invitation?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    let days = rules::INVITATION_TTL.num_days();
    let body = format!(
        "Здравствуйте!\n\n{org} приглашает вас работать в Меже сотрудником организации.\n\
         Примите приглашение по ссылке (она действует {days} дн. и открывается один раз):\n{link}\n\n\
         {org} invites you to work in Mezha as its employee. Accept the invitation at the link \
         above (it works for {days} days, once).\n",
        org = org.short_name,
    );
    state
        .mailer
        .send(Mail {
            to: record.email.clone(),
            subject: format!(
                "Межа: приглашение от {0} / Mezha: an invitation from {0}",
                org.short_name
            ),
            body,
            html: None,
        })
        .await?;
    tracing::info!(organisation_id = %org.id, invitation_id = %record.id, "invitation sent");
    Ok(view(state, record))
}

/// One invitation of the organisation (the admin).
pub async fn get(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    invitation: Uuid,
) -> Result<Invitation, AppError> {
    permitted(state, auth, id, Permission::ManageMembers).await?;
    store::invitation_of(&state.db, id, invitation)
        .await?
        .map(|r| view(state, r))
        .ok_or_else(not_found)
}

/// `GET /organisations/{id}/invitations` (the admin): newest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<InvitationList, AppError> {
    permitted(state, auth, id, Permission::ManageMembers).await?;
    let limit = paging::limit(page)?;
    let before: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = store::invitations(&state.db, id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    Ok(InvitationList {
        items: rows.into_iter().map(|r| view(state, r)).collect(),
        next_cursor,
    })
}

/// The pending invitation a link's token belongs to: `invalid_token` when
/// it is unknown, used or expired.
async fn pending(state: &Core, token: &str) -> Result<InvitationRecord, AppError> {
    let record = store::invitation_by_token(&state.db, &hash_secret(token.trim()))
        .await?
        .ok_or_else(link_used)?;
    match rules::invitation_status(record.accepted_at, record.expires_at, state.clock.now()) {
        InvitationStatus::Pending => Ok(record),
        InvitationStatus::Accepted | InvitationStatus::Expired => Err(link_used()),
    }
}

/// `POST /invitations/preview`: what the link invites to (no account needed).
pub async fn preview(state: &Core, token: &str) -> Result<InvitationPreview, AppError> {
    let record = pending(state, token).await?;
    let org = store::get(&state.db, record.organisation_id)
        .await?
        .ok_or_else(link_used)?;
    let account_exists = users::find_by_email(&state.db, &record.email)
        .await?
        .is_some();
    Ok(InvitationPreview {
        organisation: org.short_name,
        full_name: org.full_name,
        address: org.address,
        inn: org.inn,
        email: record.email,
        account_exists,
        expires_at: record.expires_at,
    })
}

/// Where the code confirming `phone` for the invitation is kept.
fn code_key(invitation: Uuid, phone: &str) -> String {
    format!("invitation:{invitation}:{phone}")
}

/// `POST /invitations/phone-code`: texts a code to the phone the
/// new account will have; the same limits as the SMS login's.
pub async fn phone_code(
    state: &Accounts,
    client: &ClientInfo,
    token: &str,
    phone: &str,
) -> Result<OtpRequested, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::field("phone", e))?;
    let phone = phone.as_str();
    let record = pending(state, token).await?;
    crate::accounts::phone::text_phone_code(state, client, phone, &code_key(record.id, phone)).await
}

fn required(errors: &mut FieldIssues, field: &str) {
    push_issue(
        errors,
        field,
        FieldError::new("required", "This field is required."),
    );
}

/// `POST /invitations/accept`. With `caller` (a session) his
/// account accepts — it must be the invited e-mail's; without one a new
/// account is registered from the body (name, password, the phone and its
/// code), its e-mail confirmed by the link. The link works once.
pub async fn accept(
    state: &Accounts,
    caller: Option<&Caller>,
    input: AcceptInvitation,
) -> Result<InvitationAccepted, AppError> {
    let mut errors = body_issues(&input);
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let record = pending(state, &input.token).await?;
    let now = state.clock.now();
    let user_id = match caller {
        Some(caller) => {
            let user = users::find_by_id(&state.db, caller.user_id)
                .await?
                .ok_or_else(not_found)?;
            if !user.email.eq_ignore_ascii_case(&record.email) {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    "organisations.invitation_other_email",
                ));
            }
            user.id
        }
        None => {
            if users::find_by_email(&state.db, &record.email)
                .await?
                .is_some()
            {
                return Err(AppError::new(
                    ErrorCode::EmailTaken,
                    "organisations.invitation_log_in",
                ));
            }
            let full_name = match input.full_name.as_deref().map(FullName::parse) {
                Some(Ok(name)) => Some(name.as_str().to_owned()),
                Some(Err(e)) => {
                    push_issue(&mut errors, "full_name", e);
                    None
                }
                None => {
                    required(&mut errors, "full_name");
                    None
                }
            };
            let password = match input.password.as_deref().map(NewPassword::parse) {
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => {
                    push_issue(&mut errors, "password", e);
                    None
                }
                None => {
                    required(&mut errors, "password");
                    None
                }
            };
            let phone = match input.phone.as_deref().map(Phone::parse) {
                Some(Ok(p)) => Some(p.as_str().to_owned()),
                Some(Err(e)) => {
                    push_issue(&mut errors, "phone", e);
                    None
                }
                None => {
                    required(&mut errors, "phone");
                    None
                }
            };
            if input.code.as_deref().is_none_or(|c| c.trim().is_empty()) {
                required(&mut errors, "code");
            }
            let (Some(full_name), Some(password), Some(phone), Some(code)) =
                (full_name, password, phone, input.code.as_deref())
            else {
                return Err(AppError::validation(errors));
            };
            if !errors.is_empty() {
                return Err(AppError::validation(errors));
            }
            if users::find_by_phone(&state.db, &phone).await?.is_some() {
                return Err(StoreError::Duplicate("phone").into());
            }
            crate::sms_codes::check(
                &crate::accounts::phone::phone_codes(state),
                &code_key(record.id, &phone),
                code,
                || AppError::new(ErrorCode::OtpExpired, "otp.no_code_for_phone"),
            )
            .await?;
            let hash = state.hasher.hash(password.expose().to_owned()).await?;
            let user = users::create(
                &state.db,
                NewUser {
                    email: record.email.clone(),
                    password_hash: Some(hash),
                    full_name: Some(full_name),
                    email_confirmed: true,
                    roles: mezha_domain::authz::registration_roles(),
                },
                now,
            )
            .await?;
            users::update_profile(
                &state.db,
                user.id,
                None,
                ProfileChanges {
                    phone: Some(Some(phone)),
                    ..ProfileChanges::default()
                },
                now,
            )
            .await?;
            tracing::info!(user_id = %user.id, invitation_id = %record.id, "account registered by invitation");
            user.id
        }
    };
    let member = store::accept(&state.db, &record, user_id, now)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => link_used(),
            StoreError::Duplicate(_) => {
                AppError::new(ErrorCode::Conflict, "organisations.already_member")
            }
            other => other.into(),
        })?;
    Ok(InvitationAccepted {
        organisation_id: member.organisation_id,
        user_id,
        status: member.status,
    })
}
