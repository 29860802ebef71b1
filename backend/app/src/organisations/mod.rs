//! Organisations (docs/organisations.md): registration by the head, the
//! offer he signs to confirm it, its members and their rights, settings
//! and the audit log. Every request loads the caller's membership and asks
//! the domain ([`rules::authorize`]) whether he may, so a change of rights
//! or a deactivation takes effect on the next request.

pub mod invitations;
pub mod powers_of_attorney;

use crate::Actor as Caller;
use crate::context::{Accounts, Certificates, Core};
use crate::error::{AppError, body_issues, field_problems};
use crate::paging;
use mezha_api_types::organisations::{
    AuditEntry, AuditKind, AuditLog, ConfirmOrganisation, Member, MemberAction, MemberList,
    MemberRights, MemberRole, MemberStatus, NewOrganisation, Offer, Organisation, OrganisationList,
    OrganisationSettings,
};
use mezha_api_types::page::PageQuery;
use mezha_api_types::{ErrorCode, Role};
use mezha_domain::organisations::{
    self as rules, Denied, Membership, Permission, RawRequisites, Requisites,
};
use mezha_store::StoreError;
use mezha_store::organisations::{
    self as store, Audit, MemberChange, MemberRecord, NewOrganisationRecord, OfferSignature,
    OrganisationRecord,
};
use mezha_store::paging::After;
use mezha_store::users;
use uuid::Uuid;

/// The acting roles that work inside a confirmed organisation.
pub const ORG_ROLES: [Role; 2] = [Role::OrgAdmin, Role::OrgEmployee];

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "organisations.not_found")
}

/// The HTTP answer of a refusal of the rules.
pub(crate) fn refused(denied: Denied) -> AppError {
    match denied {
        Denied::NotMember => not_found(),
        Denied::Unconfirmed => AppError::new(ErrorCode::Conflict, "organisations.unconfirmed"),
        Denied::AlreadyConfirmed => {
            AppError::new(ErrorCode::Conflict, "organisations.already_confirmed")
        }
        Denied::Inactive => AppError::new(ErrorCode::Forbidden, "organisations.inactive"),
        Denied::AdminOnly => AppError::new(ErrorCode::Forbidden, "organisations.admin_only"),
        Denied::MissingRight(right) => AppError::new(
            ErrorCode::Forbidden,
            crate::msg!("organisations.missing_right", right = right),
        ),
    }
}

fn membership(record: &MemberRecord) -> Membership {
    Membership {
        role: record.role,
        status: record.status,
        rights: record.rights.clone(),
    }
}

/// The organisation a request of the caller is about: `requested`, or the
/// only one he is an active member of (404 when none; 422 naming
/// `organisation_id` when he works in several).
pub(crate) async fn the_one(
    state: &Core,
    auth: &Caller,
    requested: Option<Uuid>,
) -> Result<Uuid, AppError> {
    if let Some(id) = requested {
        return Ok(id);
    }
    let active: Vec<Uuid> = store::of_user(&state.db, auth.user_id)
        .await?
        .into_iter()
        .filter(|(_, m)| m.status == MemberStatus::Active)
        .map(|(org, _)| org.id)
        .collect();
    match active.as_slice() {
        [] => Err(refused(Denied::NotMember)),
        [only] => Ok(*only),
        _ => Err(AppError::field(
            "organisation_id",
            mezha_domain::FieldError::new(
                "required",
                "You work in several organisations: name the one.",
            ),
        )),
    }
}

/// An organisation and the caller's membership of it, once the rules let
/// him do `what` there: 404 when it does not exist or he is no member.
pub(crate) async fn permitted(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    what: Permission,
) -> Result<(OrganisationRecord, MemberRecord), AppError> {
    let org = store::get(&state.db, id).await?.ok_or_else(not_found)?;
    let member = store::membership(&state.db, id, auth.user_id).await?;
    rules::authorize(org.status, member.as_ref().map(membership).as_ref(), what)
        .map_err(refused)?;
    let member = member.ok_or_else(not_found)?;
    // Inside a confirmed organisation one acts as its admin or employee.
    if org.status == mezha_api_types::organisations::OrganisationStatus::Confirmed
        && what != Permission::View
    {
        auth.require(&ORG_ROLES)?;
    }
    Ok((org, member))
}

fn view(org: OrganisationRecord, member: &MemberRecord) -> Organisation {
    let m = membership(member);
    Organisation {
        allowed_actions: if member.status == MemberStatus::Active {
            rules::organisation_actions(org.status, &m)
        } else {
            Vec::new()
        },
        my_rights: m.effective_rights(),
        my_role: member.role,
        my_status: member.status,
        id: org.id,
        full_name: org.full_name,
        short_name: org.short_name,
        inn: org.inn,
        kpp: org.kpp,
        ogrn: org.ogrn,
        address: org.address,
        head_name: org.head_name,
        head_position: org.head_position,
        head_id: org.head_id,
        status: org.status,
        confirmed_at: org.confirmed_at,
        settings: org.settings,
        created_at: org.created_at,
    }
}

fn requisites(input: &NewOrganisation) -> Result<Requisites, AppError> {
    let issues = body_issues(input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    Requisites::parse(RawRequisites {
        full_name: &input.full_name,
        short_name: &input.short_name,
        inn: &input.inn,
        kpp: &input.kpp,
        ogrn: &input.ogrn,
        address: &input.address,
        head_name: &input.head_name,
        head_position: &input.head_position,
    })
    .map_err(field_problems)
}

/// `POST /organisations`: the caller registers an organisation as its
/// head; it is unconfirmed until he signs the offer.
pub async fn create(
    state: &Core,
    auth: &Caller,
    input: NewOrganisation,
) -> Result<Organisation, AppError> {
    let r = requisites(&input)?;
    let (org, _) = store::create(
        &state.db,
        NewOrganisationRecord {
            full_name: r.full_name,
            short_name: r.short_name,
            inn: r.inn.as_str().to_owned(),
            kpp: r.kpp.as_str().to_owned(),
            ogrn: r.ogrn.as_str().to_owned(),
            address: r.address,
            head_name: r.head_name,
            head_position: r.head_position,
        },
        auth.user_id,
        state.clock.now(),
    )
    .await?;
    tracing::info!(organisation_id = %org.id, head = %auth.user_id, "organisation registered");
    get(state, auth, org.id).await
}

/// `GET /organisations/{id}`.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Organisation, AppError> {
    let (org, member) = permitted(state, auth, id, Permission::View).await?;
    Ok(view(org, &member))
}

/// `GET /organisations`: the caller's organisations, whatever his
/// membership's status (`my_status`): a pending member sees whom he waits
/// for, a deactivated one where he worked; only an active one may act.
pub async fn mine(state: &Core, auth: &Caller) -> Result<OrganisationList, AppError> {
    let organisations = store::of_user(&state.db, auth.user_id)
        .await?
        .into_iter()
        .map(|(org, m)| view(org, &m))
        .collect();
    Ok(OrganisationList { organisations })
}

fn requisites_of(org: &OrganisationRecord) -> Result<Requisites, AppError> {
    Requisites::parse(RawRequisites {
        full_name: &org.full_name,
        short_name: &org.short_name,
        inn: &org.inn,
        kpp: &org.kpp,
        ogrn: &org.ogrn,
        address: &org.address,
        head_name: &org.head_name,
        head_position: &org.head_position,
    })
    .map_err(|p| AppError::internal(anyhow::anyhow!("stored requisites refused: {p:?}")))
}

fn offer_of(org: &OrganisationRecord) -> Result<Offer, AppError> {
    let text = rules::offer::text(&requisites_of(org)?);
    Ok(Offer {
        edition: rules::offer::EDITION.to_owned(),
        sha256: mezha_domain::digest::sha256_hex(text.as_bytes()),
        text,
    })
}

/// `GET /organisations/{id}/offer`: the text the head signs.
pub async fn offer(state: &Core, auth: &Caller, id: Uuid) -> Result<Offer, AppError> {
    let (org, _) = permitted(state, auth, id, Permission::View).await?;
    offer_of(&org)
}

/// The head's detached signature of `document` for the organisation: the
/// DER and its report when it validates `TOTAL_PASSED` and its certificate
/// is the organisation's (its INN as a legal entity's) or the head's own
/// (his SNILS or INN, or one the platform issued him); otherwise refused
/// with the report and `messages` (not valid, not the head's).
pub(crate) async fn head_signature(
    state: &Certificates,
    org: &OrganisationRecord,
    document: Vec<u8>,
    signature: Vec<u8>,
    messages: (&'static str, &'static str),
) -> Result<(Vec<u8>, mezha_api_types::signatures::ValidationReport), AppError> {
    let report =
        crate::certificates::certs::validate_signed(state, document, signature.clone(), messages.0)
            .await?;
    let head = users::find_by_id(&state.db, org.head_id)
        .await?
        .ok_or_else(not_found)?;
    let theirs = match &report.signer {
        Some(signer) => {
            signer.inn_le.as_deref() == Some(org.inn.as_str())
                || crate::cert_login::is_theirs(state, signer, &head).await?
        }
        None => false,
    };
    if !theirs {
        return Err(AppError::with_report(
            ErrorCode::SignerNotParty,
            messages.1,
            report,
        ));
    }
    let der = mezha_signatures::signature_der(&signature)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
        .into_owned();
    Ok((der, report))
}

/// `POST /organisations/{id}/confirm`: the head's detached signature of
/// the offer. Accepted only when it validates `TOTAL_PASSED` over the
/// offer's exact bytes and its certificate is the organisation's (its INN
/// as a legal entity's) or the head's own (his SNILS or INN, or one the
/// platform issued him); anything else is refused with its report and
/// changes nothing.
pub async fn confirm(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    input: ConfirmOrganisation,
) -> Result<Organisation, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let (org, _) = permitted(state, auth, id, Permission::SignOffer).await?;
    let offer = offer_of(&org)?;
    let signature = crate::cert_login::signature_bytes(&input.signature)?;
    let (der, report) = head_signature(
        state,
        &org,
        offer.text.clone().into_bytes(),
        signature,
        (
            "organisations.signature_refused",
            "organisations.signer_not_head",
        ),
    )
    .await?;
    let report_json =
        serde_json::to_string(&report).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let now = state.clock.now();
    store::confirm(
        &state.db,
        &org,
        OfferSignature {
            edition: offer.edition,
            sha256: offer.sha256,
            signature: der,
            report: report_json,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::VersionMismatch => refused(Denied::AlreadyConfirmed),
        StoreError::Duplicate(_) => {
            AppError::new(ErrorCode::Conflict, "organisations.inn_confirmed_elsewhere")
        }
        other => other.into(),
    })?;
    tracing::info!(organisation_id = %org.id, "organisation confirmed by the offer signature");
    get(state, auth, id).await
}

/// `PUT /organisations/{id}/settings` (the admin).
pub async fn update_settings(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    settings: OrganisationSettings,
) -> Result<Organisation, AppError> {
    let (org, _) = permitted(state, auth, id, Permission::EditSettings).await?;
    if org.settings != settings {
        store::save_settings(&state.db, &org, settings, auth.user_id, state.clock.now()).await?;
    }
    get(state, auth, id).await
}

async fn member_views(state: &Core, rows: Vec<MemberRecord>) -> Result<Vec<Member>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let user = users::find_by_id(&state.db, row.user_id)
            .await?
            .ok_or_else(not_found)?;
        let m = membership(&row);
        out.push(Member {
            allowed_actions: rules::member_actions(&m),
            rights: m.effective_rights(),
            user_id: row.user_id,
            full_name: user.full_name,
            email: user.email,
            phone: user.phone,
            role: row.role,
            status: row.status,
            joined_at: row.joined_at,
            activated_at: row.activated_at,
            deactivated_at: row.deactivated_at,
        });
    }
    Ok(out)
}

/// `GET /organisations/{id}/members` (the admin): in the order they joined.
pub async fn members(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<MemberList, AppError> {
    permitted(state, auth, id, Permission::ManageMembers).await?;
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = store::members(&state.db, id, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |m| (m.joined_at, m.user_id));
    Ok(MemberList {
        items: member_views(state, rows).await?,
        next_cursor,
    })
}

fn illegal(target: &MemberRecord, tried: MemberAction) -> AppError {
    let allowed = rules::member_actions(&membership(target))
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    AppError::illegal_transition(
        crate::msg!(
            "organisations.illegal_member_step",
            action = tried,
            status = target.status,
        ),
        target.status.as_str(),
        allowed,
    )
}

/// Takes `action` on member `user` with `rights` (his own unless
/// [`MemberAction::SetRights`]): checked by the rules, written with its
/// audit entry.
async fn change(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    user: Uuid,
    action: MemberAction,
    rights: Option<Vec<mezha_api_types::organisations::OrgRight>>,
) -> Result<Member, AppError> {
    permitted(state, auth, id, Permission::ManageMembers).await?;
    let target = store::membership(&state.db, id, user)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "organisations.no_such_member"))?;
    if target.role == MemberRole::Admin {
        return Err(illegal(&target, action));
    }
    let to =
        rules::member_transition(target.status, action).ok_or_else(|| illegal(&target, action))?;
    let rights = rights.map_or_else(|| target.rights.clone(), |r| rules::normalised_rights(&r));
    let (kind, details) = match action {
        MemberAction::Activate => (AuditKind::Activated, serde_json::json!({})),
        MemberAction::Deactivate => (AuditKind::Deactivated, serde_json::json!({})),
        MemberAction::SetRights => (
            AuditKind::RightsChanged,
            serde_json::json!({"before": target.rights, "after": rights}),
        ),
    };
    if action == MemberAction::SetRights && rights == target.rights {
        return Ok(member_views(state, vec![target]).await?.remove(0));
    }
    let updated = store::change_member(
        &state.db,
        id,
        user,
        MemberChange {
            from: target.status,
            to,
            rights,
            audit: Audit {
                kind,
                actor_id: Some(auth.user_id),
                subject_id: Some(user),
                details,
            },
        },
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::VersionMismatch => {
            AppError::new(ErrorCode::Conflict, "organisations.member_changed")
        }
        other => other.into(),
    })?;
    Ok(member_views(state, vec![updated]).await?.remove(0))
}

/// `POST /organisations/{id}/members/{user_id}/activate` (the admin).
pub async fn activate(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    user: Uuid,
) -> Result<Member, AppError> {
    change(state, auth, id, user, MemberAction::Activate, None).await
}

/// `POST /organisations/{id}/members/{user_id}/deactivate` (the admin):
/// his sessions end at once, on every replica; his history stays.
pub async fn deactivate(
    state: &Accounts,
    auth: &Caller,
    id: Uuid,
    user: Uuid,
) -> Result<Member, AppError> {
    let member = change(state, auth, id, user, MemberAction::Deactivate, None).await?;
    state.sessions.delete_all(user).await?;
    tracing::info!(organisation_id = %id, user_id = %user, "member deactivated, sessions ended");
    Ok(member)
}

/// `PUT /organisations/{id}/members/{user_id}/rights` (the admin).
pub async fn set_rights(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    user: Uuid,
    input: MemberRights,
) -> Result<Member, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    change(
        state,
        auth,
        id,
        user,
        MemberAction::SetRights,
        Some(input.rights),
    )
    .await
}

/// `GET /organisations/{id}/audit` (the admin): newest first, with the
/// names of who did it and whom it concerned.
pub async fn audit(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<AuditLog, AppError> {
    permitted(state, auth, id, Permission::ViewAudit).await?;
    let limit = paging::limit(page)?;
    let before: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = store::audit_log(&state.db, id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |e| (e.at, e.id));
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|e| [e.actor_id, e.subject_id])
        .flatten()
        .collect();
    let names = users::names(&state.db, ids).await?;
    let name = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned().flatten());
    let items = rows
        .into_iter()
        .map(|e| AuditEntry {
            actor_name: name(e.actor_id),
            subject_name: name(e.subject_id),
            id: e.id,
            kind: e.kind,
            actor_id: e.actor_id,
            subject_id: e.subject_id,
            details: e.details,
            at: e.at,
        })
        .collect();
    Ok(AuditLog { items, next_cursor })
}
