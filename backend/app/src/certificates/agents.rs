//! Applications an organisation's CA agent files for a client of its base
//! (docs/certificates.md, "Filed by an organisation's CA agent"): filed
//! from the client's card and submitted at once, seen on the card with
//! their status; once approved, the client gets a one-use link by e-mail,
//! claims the application with his own account and issues the certificate
//! like any owner (his key, his consent, the SMS code to his phone). Only a
//! SHA-256 of each link's token is kept.

use super::{not_found as application_not_found, shown_status, view};
use crate::Actor as Caller;
use crate::context::{Accounts, Core};
use crate::error::{AppError, body_issues};
use crate::messaging::Mail;
use crate::organisations::permitted;
use mezha_api_types::ErrorCode;
use mezha_api_types::Role;
use mezha_api_types::certificate_agents::{
    AgentApplication, AgentApplicationAction, AgentApplicationList, ClaimPreview, FileApplication,
};
use mezha_api_types::certificates::CertificateApplication;
use mezha_api_types::clients::ClientAction;
use mezha_api_types::organisations::{AuditKind, OrgRight};
use mezha_api_types::page::PageQuery;
use mezha_domain::certificates::agent::{self as rules, ClientCard};
use mezha_domain::certificates::machine::Actor;
use mezha_domain::organisations::Permission;
use mezha_domain::session::{generate_secret, hash_secret};
use mezha_store::StoreError;
use mezha_store::certificate_agents::{self as store, Filing};
use mezha_store::certificates::ApplicationRecord;
use mezha_store::clients::ClientRecord;
use mezha_store::organisations::{self as orgs, OrganisationRecord};
use uuid::Uuid;

const AGENT: Permission = Permission::Right(OrgRight::CaAgent);

fn client_not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "clients.not_found")
}

fn link_invalid() -> AppError {
    AppError::new(ErrorCode::InvalidToken, "certificates.claim_link_invalid")
}

/// The client `id` when the caller is a CA agent of his organisation;
/// anyone outside it gets 404 (the client does not exist for him), a
/// member without `ca_agent` 403.
async fn client_for_agent(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<(ClientRecord, OrganisationRecord), AppError> {
    let client = mezha_store::clients::get(&state.db, id)
        .await?
        .ok_or_else(client_not_found)?;
    let (org, _) = permitted(state, auth, client.organisation_id, AGENT)
        .await
        .map_err(|e| {
            if e.code() == ErrorCode::NotFound {
                client_not_found()
            } else {
                e
            }
        })?;
    Ok((client, org))
}

/// An application as the client's organisation sees it; `agent` says
/// whether the caller holds `ca_agent` (else he may only look).
async fn agent_view(
    state: &Core,
    app: ApplicationRecord,
    agent: bool,
) -> Result<AgentApplication, AppError> {
    let Some(filing) = app.agent.clone() else {
        return Err(AppError::internal(anyhow::anyhow!(
            "application {} was not filed by an agent",
            app.id
        )));
    };
    let (status, _) = shown_status(state, &app).await?;
    let claim = rules::claim_status(
        filing.claim_expires_at,
        filing.claimed_at,
        state.clock.now(),
    );
    Ok(AgentApplication {
        id: app.id,
        client_id: filing.client_id,
        organisation_id: filing.organisation_id,
        filed_by: filing.filed_by,
        status,
        claim,
        claim_expires_at: filing
            .claim_expires_at
            .filter(|_| filing.claimed_at.is_none()),
        reject_reasons: app.reject_reasons,
        certificate_id: app.certificate_id,
        created_at: app.created_at,
        decided_at: app.decided_at,
        claimed_at: filing.claimed_at,
        allowed_actions: if agent {
            rules::agent_actions(status, claim)
        } else {
            Vec::new()
        },
    })
}

/// What a client's card shows of the applications filed for him, and
/// what the caller (who reads the card: he works with the base) may do.
pub(crate) async fn on_card(
    state: &Core,
    auth: &Caller,
    client: &ClientRecord,
) -> Result<(Vec<AgentApplication>, Vec<ClientAction>), AppError> {
    let agent = permitted(state, auth, client.organisation_id, AGENT)
        .await
        .is_ok();
    let mut items = Vec::new();
    for app in store::of_client(&state.db, client.id).await? {
        items.push(agent_view(state, app, agent).await?);
    }
    let mut actions = vec![ClientAction::Edit];
    if agent && !items.iter().any(|a| rules::under_way(a.status)) {
        actions.push(ClientAction::FileCertificateApplication);
    }
    Ok((items, actions))
}

/// `POST /clients/{id}/certificate-applications`: files an application
/// from the client's card and submits it for review. Every datum it needs
/// that the card lacks or has wrong is named (422); one under way already
/// is a 409.
pub async fn file(
    state: &Core,
    auth: &Caller,
    client_id: Uuid,
    input: FileApplication,
) -> Result<AgentApplication, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let (client, org) = client_for_agent(state, auth, client_id).await?;
    if let Some(open) = store::of_client(&state.db, client.id)
        .await?
        .into_iter()
        .find(|a| rules::under_way(a.status))
    {
        return Err(AppError::new(
            ErrorCode::Conflict,
            crate::msg!(
                "certificates.agent_application_under_way",
                id = open.id,
                status = open.status
            ),
        ));
    }
    let d = &client.data;
    let card = ClientCard {
        full_name: &d.full_name,
        snils: d.snils.as_deref(),
        inn: d.inn.as_deref(),
        email: d.email.as_deref(),
        phone: d.phone.as_deref(),
        passport_series: d.passport_series.as_deref(),
        passport_number: d.passport_number.as_deref(),
        passport_issuer: d.passport_issuer.as_deref(),
        passport_issued_on: d.passport_issued_on,
    };
    let fields = rules::application_fields(&card, input.purpose.as_deref(), super::today(state))
        .map_err(super::problems)?;
    let now = state.clock.now();
    let app = store::file(
        &state.db,
        Filing {
            organisation_id: org.id,
            client_id: client.id,
            agent_id: auth.user_id,
        },
        &fields,
        now,
    )
    .await?;
    // Filing copies the client's passport data: a read of it, like his card.
    orgs::record(
        &state.db,
        org.id,
        orgs::Audit {
            kind: AuditKind::ClientRead,
            actor_id: Some(auth.user_id),
            subject_id: None,
            details: serde_json::json!({
                "client_id": client.id,
                "full_name": client.data.full_name,
                "certificate_application_id": app.id,
            }),
        },
        now,
    )
    .await?;
    tracing::info!(organisation_id = %org.id, client_id = %client.id, application = %app.id, "certificate application filed by an agent");
    agent_view(state, app, true).await
}

/// The application `id` filed by an agent, for an `Idempotency-Key` retry
/// of its filing.
pub async fn filed(state: &Core, auth: &Caller, id: Uuid) -> Result<AgentApplication, AppError> {
    let app = mezha_store::certificates::find(&state.db, id)
        .await?
        .ok_or_else(application_not_found)?;
    let client_id = app
        .agent
        .as_ref()
        .map(|a| a.client_id)
        .ok_or_else(application_not_found)?;
    client_for_agent(state, auth, client_id).await?;
    agent_view(state, app, true).await
}

/// `GET /clients/{id}/certificate-applications`: newest first, a page at
/// a time.
pub async fn list(
    state: &Core,
    auth: &Caller,
    client_id: Uuid,
    page: &PageQuery,
) -> Result<AgentApplicationList, AppError> {
    let limit = crate::paging::limit(page)?;
    let after = crate::paging::decode(page.cursor.as_deref())?;
    let (client, _) = client_for_agent(state, auth, client_id).await?;
    let (rows, more) = store::page_of_client(&state.db, client.id, limit, after).await?;
    let next_cursor = crate::paging::next_cursor(more, &rows, |a| (a.created_at, a.id));
    let mut items = Vec::with_capacity(rows.len());
    for app in rows {
        items.push(agent_view(state, app, true).await?);
    }
    Ok(AgentApplicationList { items, next_cursor })
}

/// `POST /clients/{id}/certificate-applications/{application_id}/resend-link`:
/// a new claim link (the old one stops working).
pub async fn resend_link(
    state: &Accounts,
    auth: &Caller,
    client_id: Uuid,
    id: Uuid,
) -> Result<AgentApplication, AppError> {
    let (client, _) = client_for_agent(state, auth, client_id).await?;
    let app = mezha_store::certificates::find(&state.db, id)
        .await?
        .filter(|a| a.agent.as_ref().is_some_and(|f| f.client_id == client.id))
        .ok_or_else(application_not_found)?;
    let (status, _) = shown_status(state, &app).await?;
    let filing = app.agent.as_ref().ok_or_else(application_not_found)?;
    let claim = rules::claim_status(
        filing.claim_expires_at,
        filing.claimed_at,
        state.clock.now(),
    );
    let allowed = rules::agent_actions(status, claim);
    if !allowed.contains(&AgentApplicationAction::ResendLink) {
        let message = crate::msg!("certificates.illegal_transition_none")
            .arg("action", AgentApplicationAction::ResendLink)
            .arg("status", status);
        return Err(AppError::illegal_transition(
            message,
            status.as_str(),
            Vec::new(),
        ));
    }
    let app = send_link(state, &app).await?;
    agent_view(state, app, true).await
}

/// Mails the client of an approved, unclaimed application a new one-use
/// link to claim it.
pub(crate) async fn send_link(
    state: &Accounts,
    app: &ApplicationRecord,
) -> Result<ApplicationRecord, AppError> {
    let filing = app.agent.as_ref().ok_or_else(application_not_found)?;
    let org = orgs::get(&state.db, filing.organisation_id)
        .await?
        .ok_or_else(client_not_found)?;
    let Some(email) = app.fields.email.clone() else {
        return Err(AppError::internal(anyhow::anyhow!(
            "an agent's application {} without an e-mail",
            app.id
        )));
    };
    let token = generate_secret(&mut rand::rngs::OsRng);
    let expires_at = state.clock.now() + rules::CLAIM_TTL;
    let app = store::set_claim_link(&state.db, app.id, &hash_secret(&token), expires_at)
        .await
        .map_err(super::raced)?;
    let link = format!(
        "{}/certificate-claim?token={token}",
        state.settings.public_url.trim_end_matches('/')
    );
    let days = rules::CLAIM_TTL.num_days();
    let body = format!(
        "Здравствуйте!\n\n{org} оформил(а) для вас заявление на сертификат электронной подписи, \
         и удостоверяющий центр его одобрил. Чтобы получить сертификат, откройте ссылку, войдите \
         или зарегистрируйтесь и выпустите сертификат: ключ создаётся на вашем устройстве, выпуск \
         подтверждается кодом из SMS на ваш телефон. Ссылка действует {days} дн. и открывается один раз:\n\
         {link}\n\nЕсли вы не ждали этого письма, просто удалите его.\n\n\
         {org} filed a signature certificate application for you and the certification centre \
         approved it. Open the link above, log in or register, and issue the certificate with a key \
         made on your device and the SMS code sent to your phone (the link works for {days} days, once).\n",
        org = org.short_name,
    );
    state
        .mailer
        .send(Mail {
            to: email,
            subject: format!(
                "Межа: ваш сертификат ждёт выпуска / Mezha: your certificate is ready to issue ({})",
                org.short_name
            ),
            body,
            html: None,
        })
        .await?;
    tracing::info!(application = %app.id, "certificate claim link mailed");
    Ok(app)
}

/// The unclaimed application whose link `token` is, while the link works.
async fn open(state: &Core, token: &str) -> Result<(ApplicationRecord, String), AppError> {
    let hash = hash_secret(token.trim());
    let app = store::by_claim_token(&state.db, &hash)
        .await?
        .ok_or_else(link_invalid)?;
    let filing = app.agent.as_ref().ok_or_else(link_invalid)?;
    let claim = rules::claim_status(
        filing.claim_expires_at,
        filing.claimed_at,
        state.clock.now(),
    );
    if !rules::link_works(app.status, claim) {
        return Err(link_invalid());
    }
    Ok((app, hash))
}

/// `POST /certificate-claims/preview`: what the link offers (no account).
pub async fn preview(state: &Core, token: &str) -> Result<ClaimPreview, AppError> {
    let (app, _) = open(state, token).await?;
    let filing = app.agent.as_ref().ok_or_else(link_invalid)?;
    let org = orgs::get(&state.db, filing.organisation_id)
        .await?
        .ok_or_else(link_invalid)?;
    Ok(ClaimPreview {
        application_id: app.id,
        organisation: org.short_name,
        full_name: app.fields.full_name.clone(),
        email: app.fields.email.clone(),
        expires_at: filing.claim_expires_at.unwrap_or(app.updated_at),
    })
}

/// `POST /certificate-claims/accept`: the signed-in caller's account
/// becomes the application's owner — once; then he issues it like any
/// owner. An account whose profile names another SNILS is another person.
pub async fn claim(
    state: &Core,
    auth: &Caller,
    token: &str,
) -> Result<CertificateApplication, AppError> {
    if matches!(auth.role, Role::CaOperator | Role::Moderator) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "certificates.staff_cannot_apply",
        ));
    }
    let (app, hash) = open(state, token).await?;
    let user = mezha_store::users::find_by_id(&state.db, auth.user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))?;
    if !rules::may_claim(user.snils.as_deref(), app.fields.snils.as_deref()) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "certificates.claim_other_person",
        ));
    }
    let app = store::claim(&state.db, app.id, &hash, auth.user_id, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::VersionMismatch => link_invalid(),
            other => other.into(),
        })?;
    tracing::info!(application = %app.id, owner = %auth.user_id, "certificate application claimed");
    view(state, Actor::Owner, app).await
}
