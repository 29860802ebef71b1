//! Certificate applications (docs/certificates.md, "Statuses"): who may see and do what, checked
//! against `mezha_domain::certificates`, then persisted. Issuing is in
//! [`issue`], certificates, revocation, renewal and the CRL in [`certs`],
//! expiry reminders in [`reminders`], the printable form in [`form`].

pub mod agents;
pub mod certs;
pub mod form;
pub mod issue;
pub mod reminders;

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::{AppError, FieldIssues, push_issue};
use crate::paging;
use chrono::{DateTime, Utc};
use mezha_api_types::ErrorCode;
use mezha_api_types::certificates::{
    ApplicantKind, ApplicationAction, ApplicationInput, ApplicationList, ApplicationListQuery,
    ApplicationStatus, CertificateApplication,
};
use mezha_domain::Role;
use mezha_domain::certificates::machine::{self, Actor, Effect};
use mezha_domain::certificates::owner::{self, Attachments, FieldProblems, OwnerFields};
use mezha_store::StoreError;
use mezha_store::certificates::{self as store, ApplicationRecord, Organisation, Scans};
use uuid::Uuid;

pub(crate) fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "certificates.application_not_found")
}

pub(crate) fn problems(list: FieldProblems) -> AppError {
    let mut errors = FieldIssues::new();
    for (field, error) in list {
        push_issue(&mut errors, field, error);
    }
    AppError::validation(errors)
}

/// The caller's part in an application; `None` when he may not see it.
pub(crate) fn actor(auth: &Caller, app: &ApplicationRecord) -> Option<Actor> {
    match auth.role {
        Role::CaOperator => Some(Actor::Operator),
        Role::Moderator => Some(Actor::Observer),
        // An agent's filing is nobody's until its client claims it.
        _ if app.owner_id == auth.user_id && !app.awaiting_claim() => Some(Actor::Owner),
        _ => None,
    }
}

/// The status shown now (`expired` computed from the certificate).
pub(crate) async fn shown_status(
    state: &Core,
    app: &ApplicationRecord,
) -> Result<(ApplicationStatus, Option<DateTime<Utc>>), AppError> {
    let not_after = match app.certificate_id {
        Some(id) => store::find_certificate(&state.db, id)
            .await?
            .map(|c| c.not_after),
        None => None,
    };
    Ok((
        machine::shown_status(app.status, not_after, state.clock.now()),
        not_after,
    ))
}

/// 409 naming the status and what the caller may do now.
pub(crate) fn illegal(
    status: ApplicationStatus,
    action: ApplicationAction,
    actor: Actor,
) -> AppError {
    let allowed: Vec<String> = machine::allowed_actions(status, actor)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    let message = if allowed.is_empty() {
        crate::msg!("certificates.illegal_transition_none")
    } else {
        crate::msg!(
            "certificates.illegal_transition",
            allowed = allowed.join(", ")
        )
    }
    .arg("action", action)
    .arg("status", status);
    AppError::illegal_transition(message, status.as_str(), allowed)
}

/// Checks that `actor` may take `action` in `status` now; returns its effect.
pub(crate) fn permit(
    status: ApplicationStatus,
    action: ApplicationAction,
    actor: Actor,
) -> Result<Effect, AppError> {
    if !machine::may_act(actor, action) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            crate::msg!("certificates.forbidden_action", action = action),
        ));
    }
    machine::apply(status, action).map_err(|_| illegal(status, action, actor))
}

/// Loads an application the caller may see (404 otherwise), with his part.
pub async fn load(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<(ApplicationRecord, Actor), AppError> {
    let app = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    match actor(auth, &app) {
        Some(actor) => Ok((app, actor)),
        None => Err(not_found()),
    }
}

/// The application `id` as its creation answered it: for an
/// `Idempotency-Key` retry whose first request created it but could not
/// answer.
pub async fn created(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<CertificateApplication, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    view(state, actor, app).await
}

/// The application as the caller sees it.
pub async fn view(
    state: &Core,
    actor: Actor,
    app: ApplicationRecord,
) -> Result<CertificateApplication, AppError> {
    let (status, _) = shown_status(state, &app).await?;
    let f = app.fields;
    Ok(CertificateApplication {
        id: app.id,
        owner_id: app.owner_id,
        status,
        kind: f.kind(),
        full_name: f.full_name,
        snils: f.snils,
        inn: f.inn,
        email: f.email,
        phone: f.phone,
        passport_series: f.passport_series,
        passport_number: f.passport_number,
        passport_issued_by: f.passport_issued_by,
        passport_issued_on: f.passport_issued_on,
        organisation_name: app.organisation.as_ref().map(|o| o.name.clone()),
        organisation_inn: app.organisation.map(|o| o.inn),
        position: f.position,
        purpose: f.purpose,
        passport_scan_id: app.scans.passport,
        snils_scan_id: app.scans.snils,
        form_scan_id: app.scans.form,
        reject_reasons: app.reject_reasons,
        renewal_of: app.renewal_of,
        certificate_id: app.certificate_id,
        allowed_actions: machine::allowed_actions(status, actor),
        version: app.version,
        created_at: app.created_at,
        updated_at: app.updated_at,
        submitted_at: app.submitted_at,
        decided_at: app.decided_at,
    })
}

/// The organisation of a legal entity's certificate: the applicant's own
/// employer record, or the employer he works for. Never typed by him.
async fn organisation(
    state: &Core,
    user_id: Uuid,
    kind: ApplicantKind,
) -> Result<Option<Organisation>, AppError> {
    if kind != ApplicantKind::LegalEntity {
        return Ok(None);
    }
    use mezha_store::employment;
    let record = match employment::employer(&state.db, user_id)
        .await?
        .filter(|e| e.enabled)
    {
        Some(own) => Some(own),
        None => match employment::current_of(&state.db, user_id)
            .await?
            .filter(|e| e.status == employment::Status::Active)
        {
            Some(job) => employment::employer(&state.db, job.employer_id).await?,
            None => None,
        },
    };
    Ok(record.map(|e| Organisation {
        name: e.name,
        inn: e.inn,
    }))
}

/// `input` over `fields` and `scans`, every bad field named at once (docs/API.md,
/// "Errors"): the body's own bounds, the owner's data rules, and the scans
/// (each a file the caller uploaded).
async fn checked_input(
    state: &Core,
    owner: Uuid,
    fields: OwnerFields,
    scans: Scans,
    input: &ApplicationInput,
) -> Result<(OwnerFields, Scans), AppError> {
    let mut errors = crate::error::body_issues(input);
    let fields = fields
        .merge(input, today(state))
        .map_err(|list| {
            for (field, error) in list {
                if !errors.contains_key(field) {
                    push_issue(&mut errors, field, error);
                }
            }
        })
        .ok();
    let scans = checked_scans(state, owner, scans, input, &mut errors).await?;
    match fields {
        Some(fields) if errors.is_empty() => Ok((fields, scans)),
        _ => Err(AppError::validation(errors)),
    }
}

/// Merges the scan ids of `input` over `scans`, checking the caller
/// uploaded each file (an issue in `errors` otherwise).
async fn checked_scans(
    state: &Core,
    owner: Uuid,
    mut scans: Scans,
    input: &ApplicationInput,
    errors: &mut FieldIssues,
) -> Result<Scans, AppError> {
    for (field, id, slot) in [
        (
            "passport_scan_id",
            input.passport_scan_id,
            &mut scans.passport,
        ),
        ("snils_scan_id", input.snils_scan_id, &mut scans.snils),
        ("form_scan_id", input.form_scan_id, &mut scans.form),
    ] {
        let Some(id) = id else { continue };
        let owned = mezha_store::orders::owned_files(&state.db, owner, &[id]).await?;
        if owned.is_empty() {
            push_issue(
                errors,
                field,
                mezha_domain::FieldError::new(
                    "unknown_file",
                    "attach only files you uploaded (POST /files)",
                ),
            );
        } else {
            *slot = Some(id);
        }
    }
    Ok(scans)
}

fn today(state: &Core) -> chrono::NaiveDate {
    (state.clock.now() + chrono::Duration::hours(3)).date_naive()
}

/// Creates a draft for the caller, pre-filled from his profile.
pub async fn create(
    state: &Core,
    auth: &Caller,
    input: ApplicationInput,
) -> Result<CertificateApplication, AppError> {
    if auth.role == Role::CaOperator || auth.role == Role::Moderator {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "certificates.staff_cannot_apply",
        ));
    }
    let user = mezha_store::users::find_by_id(&state.db, auth.user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))?;
    let base = OwnerFields {
        kind: Some(ApplicantKind::Individual),
        full_name: user.full_name,
        snils: user.snils,
        inn: user.inn.filter(|i| i.len() == 12),
        email: Some(user.email),
        phone: user.phone,
        ..OwnerFields::default()
    };
    let (fields, scans) =
        checked_input(state, auth.user_id, base, Scans::default(), &input).await?;
    let org = organisation(state, auth.user_id, fields.kind()).await?;
    let app = store::create(
        &state.db,
        auth.user_id,
        &fields,
        org.as_ref(),
        scans,
        None,
        state.clock.now(),
    )
    .await?;
    view(state, Actor::Owner, app).await
}

/// Edits a draft or rejected application (its owner).
pub async fn update(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    expected_version: Option<i64>,
    input: ApplicationInput,
) -> Result<CertificateApplication, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    permit(app.status, ApplicationAction::Edit, actor)?;
    if let Some(expected) = expected_version
        && expected != app.version
    {
        return Err(StoreError::VersionMismatch.into());
    }
    let (fields, scans) =
        checked_input(state, app.owner_id, app.fields.clone(), app.scans, &input).await?;
    let org = organisation(state, app.owner_id, fields.kind()).await?;
    let updated = store::update(
        &state.db,
        id,
        app.status,
        app.version,
        &fields,
        org.as_ref(),
        scans,
        state.clock.now(),
    )
    .await?;
    view(state, actor, updated).await
}

fn moved(effect: Effect) -> Result<ApplicationStatus, AppError> {
    match effect {
        Effect::MoveTo(to) => Ok(to),
        Effect::Stay => Err(AppError::internal(anyhow::anyhow!(
            "a status action did not move"
        ))),
    }
}

/// A lost race (the status changed meanwhile) becomes 409.
pub(crate) fn raced(err: StoreError) -> AppError {
    match err {
        StoreError::VersionMismatch => {
            AppError::new(ErrorCode::Conflict, "certificates.application_changed")
        }
        other => other.into(),
    }
}

/// Sends for review (owner), when everything required is there.
pub async fn submit(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<CertificateApplication, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    let to = moved(permit(app.status, ApplicationAction::Submit, actor)?)?;
    let attachments = Attachments {
        organisation: app.organisation.is_some(),
        passport_scan: app.scans.passport.is_some(),
        snils_scan: app.scans.snils.is_some(),
        form_scan: app.scans.form.is_some(),
    };
    owner::check_submittable(&app.fields, &attachments).map_err(problems)?;
    let mut t = store::Transition::new(app.status, to);
    t.submitted = true;
    let app = store::transition(&state.db, id, t, state.clock.now())
        .await
        .map_err(raced)?;
    view(state, actor, app).await
}

/// Approves or rejects (operator). Approving an application an
/// organisation's CA agent filed mails its client the link to claim it
/// (a failed mail is logged; the agent can send the link again).
pub async fn decide(
    state: &crate::context::Accounts,
    auth: &Caller,
    id: Uuid,
    reasons: Option<Vec<String>>,
) -> Result<CertificateApplication, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    let action = if reasons.is_some() {
        ApplicationAction::Reject
    } else {
        ApplicationAction::Approve
    };
    let to = moved(permit(app.status, action, actor)?)?;
    let reasons = match reasons {
        Some(list) => {
            let list: Vec<String> = list
                .iter()
                .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|r| !r.is_empty())
                .collect();
            if list.is_empty() {
                return Err(AppError::field(
                    "reasons",
                    mezha_domain::FieldError::new("required", "give at least one reason"),
                ));
            }
            list
        }
        None => Vec::new(),
    };
    let mut t = store::Transition::new(app.status, to);
    t.decided_by = Some(auth.user_id);
    t.reject_reasons = Some(reasons);
    let mut app = store::transition(&state.db, id, t, state.clock.now())
        .await
        .map_err(raced)?;
    if app.status == ApplicationStatus::Approved && app.awaiting_claim() {
        match agents::send_link(state, &app).await {
            Ok(sent) => app = sent,
            Err(e) => {
                tracing::warn!(application = %id, error = ?e, "the claim link was not mailed")
            }
        }
    }
    view(state, actor, app).await
}

/// The caller's applications (operators and moderators: everyone's),
/// newest first; the cursor is the creation time and id of the last one.
pub async fn list(
    state: &Core,
    auth: &Caller,
    q: &ApplicationListQuery,
) -> Result<ApplicationList, AppError> {
    let limit = paging::limit(&q.page)?;
    let after = paging::decode(q.page.cursor.as_deref())?;
    let owner = match auth.role {
        Role::CaOperator | Role::Moderator => None,
        _ => Some(auth.user_id),
    };
    let (rows, more) = store::list(&state.db, owner, q.status, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |a| (a.created_at, a.id));
    let mut items = Vec::with_capacity(rows.len());
    for app in rows {
        let actor = actor(auth, &app).unwrap_or(Actor::Observer);
        items.push(view(state, actor, app).await?);
    }
    Ok(ApplicationList { items, next_cursor })
}
