//! Organisations (docs/organisations.md): the legal entity, its members and
//! their rights, the e-mailed invitations and the audit log. Every change
//! of a membership, of rights or of the settings writes its audit entry in
//! the same transaction, so the log cannot miss one.

use crate::engineers::{grant_role, revoke_role};
use crate::entities::{org_audit, org_invitations, org_members, organisations};
use crate::error::StoreError;
use crate::paging::{After, split};
use chrono::{DateTime, Utc};
use mezha_api_types::Role;
use mezha_api_types::organisations::{
    AuditKind, MemberRole, MemberStatus, OrgRight, OrganisationSettings, OrganisationStatus,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {err}"))
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRecord {
    pub id: Uuid,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub address: String,
    pub head_name: String,
    pub head_position: String,
    pub head_id: Uuid,
    pub status: OrganisationStatus,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub settings: OrganisationSettings,
    pub created_at: DateTime<Utc>,
}

fn organisation(m: organisations::Model) -> Result<OrganisationRecord, StoreError> {
    Ok(OrganisationRecord {
        status: m.status.parse().map_err(|e| corrupt("status", e))?,
        id: m.id,
        full_name: m.full_name,
        short_name: m.short_name,
        inn: m.inn,
        kpp: m.kpp,
        ogrn: m.ogrn,
        address: m.address,
        head_name: m.head_name,
        head_position: m.head_position,
        head_id: m.head_id,
        confirmed_at: m.confirmed_at,
        settings: OrganisationSettings {
            auto_pay_state_fee: m.auto_pay_state_fee,
            notify_employees_by_email: m.notify_employees_by_email,
            notify_employees_by_sms: m.notify_employees_by_sms,
        },
        created_at: m.created_at,
    })
}

/// A membership as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub organisation_id: Uuid,
    pub user_id: Uuid,
    pub role: MemberRole,
    pub status: MemberStatus,
    pub rights: Vec<OrgRight>,
    pub joined_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

fn rights_column(rights: &[OrgRight]) -> String {
    rights
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn member(m: org_members::Model) -> Result<MemberRecord, StoreError> {
    let rights = m
        .rights
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| r.parse::<OrgRight>().map_err(|e| corrupt("rights", e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MemberRecord {
        role: m.role.parse().map_err(|e| corrupt("role", e))?,
        status: m.status.parse().map_err(|e| corrupt("status", e))?,
        organisation_id: m.organisation_id,
        user_id: m.user_id,
        rights,
        joined_at: m.joined_at,
        activated_at: m.activated_at,
        deactivated_at: m.deactivated_at,
    })
}

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub email: String,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

fn invitation(m: org_invitations::Model) -> InvitationRecord {
    InvitationRecord {
        id: m.id,
        organisation_id: m.organisation_id,
        email: m.email,
        expires_at: m.expires_at,
        accepted_at: m.accepted_at,
        accepted_by: m.accepted_by,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// One entry of the audit log as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: Uuid,
    pub kind: AuditKind,
    pub actor_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub details: Value,
    pub at: DateTime<Utc>,
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct Audit {
    pub kind: AuditKind,
    pub actor_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub details: Value,
}

pub(crate) async fn write_audit<C: ConnectionTrait>(
    db: &C,
    organisation_id: Uuid,
    entry: Audit,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    org_audit::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        kind: Set(entry.kind.as_str().to_owned()),
        actor_id: Set(entry.actor_id),
        subject_id: Set(entry.subject_id),
        details: Set(entry.details.to_string()),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A new organisation's requisites, checked by the domain.
#[derive(Debug, Clone)]
pub struct NewOrganisationRecord {
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub address: String,
    pub head_name: String,
    pub head_position: String,
}

/// Registers an unconfirmed organisation with `head` as its active admin,
/// and its first audit entry.
pub async fn create(
    db: &DatabaseConnection,
    new: NewOrganisationRecord,
    head: Uuid,
    now: DateTime<Utc>,
) -> Result<(OrganisationRecord, MemberRecord), StoreError> {
    let txn = crate::db::begin(db).await?;
    let settings = OrganisationSettings::default();
    let id = Uuid::now_v7();
    let org = organisations::ActiveModel {
        id: Set(id),
        full_name: Set(new.full_name),
        short_name: Set(new.short_name),
        inn: Set(new.inn),
        kpp: Set(new.kpp),
        ogrn: Set(new.ogrn),
        address: Set(new.address),
        head_name: Set(new.head_name),
        head_position: Set(new.head_position),
        head_id: Set(head),
        status: Set(OrganisationStatus::Unconfirmed.as_str().to_owned()),
        confirmed_at: Set(None),
        offer_edition: Set(None),
        offer_sha256: Set(None),
        offer_signature: Set(None),
        offer_report: Set(None),
        auto_pay_state_fee: Set(settings.auto_pay_state_fee),
        notify_employees_by_email: Set(settings.notify_employees_by_email),
        notify_employees_by_sms: Set(settings.notify_employees_by_sms),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, id).await?;
    let admin = org_members::ActiveModel {
        organisation_id: Set(id),
        user_id: Set(head),
        role: Set(MemberRole::Admin.as_str().to_owned()),
        status: Set(MemberStatus::Active.as_str().to_owned()),
        rights: Set(String::new()),
        joined_at: Set(now),
        activated_at: Set(Some(now)),
        deactivated_at: Set(None),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    write_audit(
        &txn,
        id,
        Audit {
            kind: AuditKind::Registered,
            actor_id: Some(head),
            subject_id: Some(head),
            details: serde_json::json!({"inn": org.inn}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((organisation(org)?, member(admin)?))
}

/// The organisation with this id.
pub async fn get(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<OrganisationRecord>, StoreError> {
    organisations::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(organisation)
        .transpose()
}

/// `user`'s membership of the organisation, if any.
pub async fn membership(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    user: Uuid,
) -> Result<Option<MemberRecord>, StoreError> {
    org_members::Entity::find_by_id((organisation_id, user))
        .one(db)
        .await?
        .map(member)
        .transpose()
}

/// The organisations `user` is a member of (in any status), with his
/// membership, oldest membership first.
pub async fn of_user(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<Vec<(OrganisationRecord, MemberRecord)>, StoreError> {
    let rows = org_members::Entity::find()
        .filter(org_members::Column::UserId.eq(user))
        .order_by_asc(org_members::Column::JoinedAt)
        .order_by_asc(org_members::Column::OrganisationId)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(org) = get(db, row.organisation_id).await? {
            out.push((org, member(row)?));
        }
    }
    Ok(out)
}

/// The head's accepted offer signature.
#[derive(Debug, Clone)]
pub struct OfferSignature {
    pub edition: String,
    pub sha256: String,
    pub signature: Vec<u8>,
    /// The validation report, JSON.
    pub report: String,
}

/// Confirms an unconfirmed organisation with the head's offer signature:
/// the head gets the `org_admin` role, the log its entry.
/// `VersionMismatch` when it is confirmed already; `Duplicate("inn")` when
/// another organisation with the INN is confirmed.
pub async fn confirm(
    db: &DatabaseConnection,
    org: &OrganisationRecord,
    offer: OfferSignature,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let updated = organisations::Entity::update_many()
        .col_expr(
            organisations::Column::Status,
            Expr::value(OrganisationStatus::Confirmed.as_str()),
        )
        .col_expr(organisations::Column::ConfirmedAt, Expr::value(now))
        .col_expr(
            organisations::Column::OfferEdition,
            Expr::value(offer.edition.clone()),
        )
        .col_expr(
            organisations::Column::OfferSha256,
            Expr::value(offer.sha256.clone()),
        )
        .col_expr(
            organisations::Column::OfferSignature,
            Expr::value(offer.signature),
        )
        .col_expr(
            organisations::Column::OfferReport,
            Expr::value(offer.report),
        )
        .col_expr(organisations::Column::UpdatedAt, Expr::value(now))
        .filter(organisations::Column::Id.eq(org.id))
        .filter(organisations::Column::Status.eq(OrganisationStatus::Unconfirmed.as_str()))
        .exec(&txn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Duplicate(_) => StoreError::Duplicate("inn"),
            other => other,
        })?;
    if updated.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    grant_role(&txn, org.head_id, Role::OrgAdmin, now).await?;
    write_audit(
        &txn,
        org.id,
        Audit {
            kind: AuditKind::Confirmed,
            actor_id: Some(org.head_id),
            subject_id: None,
            details: serde_json::json!({"offer_edition": offer.edition, "offer_sha256": offer.sha256}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the settings, with the log's entry of before and after.
pub async fn save_settings(
    db: &DatabaseConnection,
    org: &OrganisationRecord,
    settings: OrganisationSettings,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    organisations::ActiveModel {
        id: Set(org.id),
        auto_pay_state_fee: Set(settings.auto_pay_state_fee),
        notify_employees_by_email: Set(settings.notify_employees_by_email),
        notify_employees_by_sms: Set(settings.notify_employees_by_sms),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let json = |s: &OrganisationSettings| {
        serde_json::json!({
            "auto_pay_state_fee": s.auto_pay_state_fee,
            "notify_employees_by_email": s.notify_employees_by_email,
            "notify_employees_by_sms": s.notify_employees_by_sms,
        })
    };
    write_audit(
        &txn,
        org.id,
        Audit {
            kind: AuditKind::SettingsChanged,
            actor_id: Some(actor),
            subject_id: None,
            details: serde_json::json!({"before": json(&org.settings), "after": json(&settings)}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A new invitation: its link's token is stored as a hash only.
#[derive(Debug, Clone)]
pub struct NewInvitationRecord {
    pub organisation_id: Uuid,
    pub email: String,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// Stores an invitation and its log entry.
pub async fn invite(
    db: &DatabaseConnection,
    new: NewInvitationRecord,
    now: DateTime<Utc>,
) -> Result<InvitationRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let row = org_invitations::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(new.organisation_id),
        email: Set(new.email.clone()),
        token_hash: Set(new.token_hash),
        expires_at: Set(new.expires_at),
        accepted_at: Set(None),
        accepted_by: Set(None),
        created_by: Set(new.created_by),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, row.id).await?;
    write_audit(
        &txn,
        new.organisation_id,
        Audit {
            kind: AuditKind::Invited,
            actor_id: Some(new.created_by),
            subject_id: None,
            details: serde_json::json!({"email": new.email, "invitation_id": row.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(invitation(row))
}

/// The invitation whose link's token hashes to `token_hash`.
pub async fn invitation_by_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<InvitationRecord>, StoreError> {
    Ok(org_invitations::Entity::find()
        .filter(org_invitations::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
        .map(invitation))
}

/// The organisation's invitation with this id.
pub async fn invitation_of(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    id: Uuid,
) -> Result<Option<InvitationRecord>, StoreError> {
    Ok(org_invitations::Entity::find_by_id(id)
        .filter(org_invitations::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .map(invitation))
}

/// A page of the organisation's invitations, newest first.
pub async fn invitations(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<InvitationRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::newest_first::<org_invitations::Entity, _>(
        db,
        Condition::all().add(org_invitations::Column::OrganisationId.eq(organisation_id)),
        (
            org_invitations::Column::CreatedAt,
            org_invitations::Column::Id,
        ),
        limit,
        before,
    )
    .await?;
    Ok((rows.into_iter().map(invitation).collect(), more))
}

/// Uses the invitation for `user`: marks it accepted (only while unused
/// and unexpired — `NotFound` otherwise, so a link works once) and makes
/// him a pending member, with the log's entry. `Duplicate("member")` when
/// he is a member already (nothing changes).
pub async fn accept(
    db: &DatabaseConnection,
    invitation: &InvitationRecord,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<MemberRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let used = org_invitations::Entity::update_many()
        .col_expr(org_invitations::Column::AcceptedAt, Expr::value(now))
        .col_expr(org_invitations::Column::AcceptedBy, Expr::value(user))
        .filter(org_invitations::Column::Id.eq(invitation.id))
        .filter(org_invitations::Column::AcceptedAt.is_null())
        .filter(org_invitations::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if used.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    if org_members::Entity::find_by_id((invitation.organisation_id, user))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(StoreError::Duplicate("member"));
    }
    let row = org_members::ActiveModel {
        organisation_id: Set(invitation.organisation_id),
        user_id: Set(user),
        role: Set(MemberRole::Employee.as_str().to_owned()),
        status: Set(MemberStatus::Pending.as_str().to_owned()),
        rights: Set(String::new()),
        joined_at: Set(now),
        activated_at: Set(None),
        deactivated_at: Set(None),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Duplicate(_) => StoreError::Duplicate("member"),
        other => other,
    })?;
    write_audit(
        &txn,
        invitation.organisation_id,
        Audit {
            kind: AuditKind::Joined,
            actor_id: Some(user),
            subject_id: Some(user),
            details: serde_json::json!({"email": invitation.email, "invitation_id": invitation.id}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    member(row)
}

/// A page of the organisation's members in the order they joined.
pub async fn members(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<MemberRecord>, bool), StoreError> {
    let mut query =
        org_members::Entity::find().filter(org_members::Column::OrganisationId.eq(organisation_id));
    if let Some(after) = after {
        query = query.filter(crate::paging::later(
            org_members::Column::JoinedAt,
            org_members::Column::UserId,
            after,
        ));
    }
    let rows = query
        .order_by_asc(org_members::Column::JoinedAt)
        .order_by_asc(org_members::Column::UserId)
        .limit(limit + 1)
        .all(db)
        .await?;
    let (rows, more) = split(rows, limit);
    Ok((
        rows.into_iter().map(member).collect::<Result<_, _>>()?,
        more,
    ))
}

/// A change of one membership.
#[derive(Debug, Clone)]
pub struct MemberChange {
    /// The status it had when the caller decided (optimistic check).
    pub from: MemberStatus,
    /// Its new status.
    pub to: MemberStatus,
    /// Its new rights.
    pub rights: Vec<OrgRight>,
    /// The log's entry.
    pub audit: Audit,
}

/// Applies `change` to `user`'s membership if its status is still
/// `change.from` (`VersionMismatch` otherwise), with the log's entry. An
/// activation grants the `org_employee` role; a deactivation takes it away
/// when he has no other active membership.
pub async fn change_member(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    user: Uuid,
    change: MemberChange,
    now: DateTime<Utc>,
) -> Result<MemberRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let mut update = org_members::Entity::update_many()
        .col_expr(org_members::Column::Status, Expr::value(change.to.as_str()))
        .col_expr(
            org_members::Column::Rights,
            Expr::value(rights_column(&change.rights)),
        )
        .col_expr(org_members::Column::UpdatedAt, Expr::value(now));
    let activated = change.from != MemberStatus::Active && change.to == MemberStatus::Active;
    let deactivated =
        change.from != MemberStatus::Deactivated && change.to == MemberStatus::Deactivated;
    if activated {
        update = update
            .col_expr(org_members::Column::ActivatedAt, Expr::value(now))
            .col_expr(
                org_members::Column::DeactivatedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    if deactivated {
        update = update.col_expr(org_members::Column::DeactivatedAt, Expr::value(now));
    }
    let result = update
        .filter(org_members::Column::OrganisationId.eq(organisation_id))
        .filter(org_members::Column::UserId.eq(user))
        .filter(org_members::Column::Status.eq(change.from.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    if activated {
        grant_role(&txn, user, Role::OrgEmployee, now).await?;
    }
    if deactivated {
        let others = org_members::Entity::find()
            .filter(org_members::Column::UserId.eq(user))
            .filter(org_members::Column::Role.eq(MemberRole::Employee.as_str()))
            .filter(org_members::Column::Status.eq(MemberStatus::Active.as_str()))
            .count(&txn)
            .await?;
        if others == 0 {
            revoke_role(&txn, user, Role::OrgEmployee).await?;
        }
    }
    write_audit(&txn, organisation_id, change.audit, now).await?;
    let row = org_members::Entity::find_by_id((organisation_id, user))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    txn.commit().await?;
    member(row)
}

/// A page of the audit log, newest first.
pub async fn audit_log(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<AuditRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::newest_first::<org_audit::Entity, _>(
        db,
        Condition::all().add(org_audit::Column::OrganisationId.eq(organisation_id)),
        (org_audit::Column::At, org_audit::Column::Id),
        limit,
        before,
    )
    .await?;
    let entries = rows
        .into_iter()
        .map(|m| {
            Ok(AuditRecord {
                kind: m.kind.parse().map_err(|e| corrupt("kind", e))?,
                details: serde_json::from_str(&m.details)?,
                id: m.id,
                actor_id: m.actor_id,
                subject_id: m.subject_id,
                at: m.at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((entries, more))
}

/// Writes one entry of the log (a read of personal data, say), in `db`'s
/// transaction when it is one.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    organisation_id: Uuid,
    entry: Audit,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    write_audit(db, organisation_id, entry, now).await
}
