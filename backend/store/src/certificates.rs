//! Certificate applications, issued certificates and the expiry reminders
//! sent (docs/certificates.md). A status change is written only if the application is
//! still in the status the service saw (`UPDATE … WHERE status = $from`);
//! issuing writes the certificate and both status steps in one transaction.

use crate::entities::{certificate_applications as apps, certificate_reminders, certificates};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::certificates::{ApplicantKind, ApplicationStatus, RevocationReason};
use mezha_domain::certificates::owner::OwnerFields;
use mezha_domain::notifications::Event;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// The organisation a legal entity's certificate names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    /// 10 digits.
    pub inn: String,
}

/// The scans attached to an application (file ids).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scans {
    pub passport: Option<Uuid>,
    pub snils: Option<Uuid>,
    pub form: Option<Uuid>,
}

/// Who filed an application for a client of an organisation's base (its
/// CA agent), and where the client's claim of it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFiling {
    pub organisation_id: Uuid,
    pub client_id: Uuid,
    /// The agent (an employee with `ca_agent`).
    pub filed_by: Uuid,
    /// Until when the mailed claim link works (`None`: none sent yet).
    pub claim_expires_at: Option<DateTime<Utc>>,
    /// When the client claimed it (its owner is then his account).
    pub claimed_at: Option<DateTime<Utc>>,
}

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub status: ApplicationStatus,
    pub fields: OwnerFields,
    pub organisation: Option<Organisation>,
    pub scans: Scans,
    pub reject_reasons: Vec<String>,
    pub renewal_of: Option<Uuid>,
    pub certificate_id: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Filed by an organisation's CA agent for a client of its base.
    pub agent: Option<AgentFiling>,
}

impl ApplicationRecord {
    /// Filed by an agent and not claimed yet: no account owns it so far.
    pub fn awaiting_claim(&self) -> bool {
        self.agent.as_ref().is_some_and(|a| a.claimed_at.is_none())
    }
}

/// A certificate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    pub id: Uuid,
    pub application_id: Uuid,
    pub owner_id: Uuid,
    /// Lowercase hex.
    pub serial: String,
    pub subject: String,
    pub der: Vec<u8>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revocation_reason: Option<RevocationReason>,
    pub revocation_comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A certificate about to be stored.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub id: Uuid,
    pub serial: String,
    pub subject: String,
    pub der: Vec<u8>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// A revoked certificate as the CRL lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    pub serial: String,
    pub revoked_at: DateTime<Utc>,
    pub reason: Option<RevocationReason>,
}

fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {err}"))
}

pub(crate) fn application(m: apps::Model) -> Result<ApplicationRecord, StoreError> {
    let kind: ApplicantKind = m.kind.parse().map_err(|e| corrupt("kind", e))?;
    let organisation = match (m.organisation_name, m.organisation_inn) {
        (Some(name), Some(inn)) => Some(Organisation { name, inn }),
        _ => None,
    };
    let agent = match (m.agent_organisation_id, m.agent_client_id, m.filed_by) {
        (Some(organisation_id), Some(client_id), Some(filed_by)) => Some(AgentFiling {
            organisation_id,
            client_id,
            filed_by,
            claim_expires_at: m.claim_expires_at,
            claimed_at: m.claimed_at,
        }),
        _ => None,
    };
    let reject_reasons = match m.reject_reasons.as_deref() {
        Some(text) => serde_json::from_str(text)?,
        None => Vec::new(),
    };
    Ok(ApplicationRecord {
        id: m.id,
        owner_id: m.owner_id,
        status: m.status.parse().map_err(|e| corrupt("status", e))?,
        fields: OwnerFields {
            kind: Some(kind),
            full_name: m.full_name,
            snils: m.snils,
            inn: m.inn,
            email: m.email,
            phone: m.phone,
            passport_series: m.passport_series,
            passport_number: m.passport_number,
            passport_issued_by: m.passport_issued_by,
            passport_issued_on: m.passport_issued_on,
            position: m.position,
            purpose: m.purpose,
        },
        organisation,
        scans: Scans {
            passport: m.passport_scan_id,
            snils: m.snils_scan_id,
            form: m.form_scan_id,
        },
        reject_reasons,
        renewal_of: m.renewal_of,
        certificate_id: m.certificate_id,
        decided_by: m.decided_by,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
        decided_at: m.decided_at,
        agent,
    })
}

fn certificate(m: certificates::Model) -> Result<CertificateRecord, StoreError> {
    Ok(CertificateRecord {
        id: m.id,
        application_id: m.application_id,
        owner_id: m.owner_id,
        serial: m.serial,
        subject: m.subject,
        der: m.der,
        not_before: m.not_before,
        not_after: m.not_after,
        revoked_at: m.revoked_at,
        revocation_reason: m
            .revocation_reason
            .map(|r| r.parse())
            .transpose()
            .map_err(|e| corrupt("revocation_reason", e))?,
        revocation_comment: m.revocation_comment,
        created_at: m.created_at,
    })
}

/// Writes the owner's fields, organisation and scans into an active model.
pub(crate) fn set_fields(
    model: &mut apps::ActiveModel,
    f: &OwnerFields,
    organisation: Option<&Organisation>,
    scans: Scans,
) {
    model.kind = Set(f.kind().as_str().to_owned());
    model.full_name = Set(f.full_name.clone());
    model.snils = Set(f.snils.clone());
    model.inn = Set(f.inn.clone());
    model.email = Set(f.email.clone());
    model.phone = Set(f.phone.clone());
    model.passport_series = Set(f.passport_series.clone());
    model.passport_number = Set(f.passport_number.clone());
    model.passport_issued_by = Set(f.passport_issued_by.clone());
    model.passport_issued_on = Set(f.passport_issued_on);
    model.organisation_name = Set(organisation.map(|o| o.name.clone()));
    model.organisation_inn = Set(organisation.map(|o| o.inn.clone()));
    model.position = Set(f.position.clone());
    model.purpose = Set(f.purpose.clone());
    model.passport_scan_id = Set(scans.passport);
    model.snils_scan_id = Set(scans.snils);
    model.form_scan_id = Set(scans.form);
}

/// Creates a draft.
pub async fn create(
    db: &DatabaseConnection,
    owner_id: Uuid,
    fields: &OwnerFields,
    organisation: Option<&Organisation>,
    scans: Scans,
    renewal_of: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let id = Uuid::now_v7();
    let mut model = apps::ActiveModel {
        id: Set(id),
        owner_id: Set(owner_id),
        status: Set(ApplicationStatus::Draft.as_str().to_owned()),
        reject_reasons: Set(None),
        renewal_of: Set(renewal_of),
        certificate_id: Set(None),
        decided_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        decided_at: Set(None),
        ..Default::default()
    };
    set_fields(&mut model, fields, organisation, scans);
    let txn = crate::db::begin(db).await?;
    model.insert(&txn).await?;
    crate::idempotency::bind(&txn, id).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// An application by id.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<ApplicationRecord>, StoreError> {
    apps::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(application)
        .transpose()
}

/// A page of applications, newest first; `owner` narrows to one owner's.
/// Returns the rows and whether there are more.
pub async fn list(
    db: &DatabaseConnection,
    owner: Option<Uuid>,
    status: Option<ApplicationStatus>,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<(Vec<ApplicationRecord>, bool), StoreError> {
    let mut query = apps::Entity::find();
    if let Some(owner) = owner {
        // An agent's filing is its client's once claimed, never the agent's.
        query = query.filter(apps::Column::OwnerId.eq(owner)).filter(
            Condition::any()
                .add(apps::Column::AgentClientId.is_null())
                .add(apps::Column::ClaimedAt.is_not_null()),
        );
    }
    if let Some(status) = status {
        query = query.filter(apps::Column::Status.eq(status.as_str()));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any().add(apps::Column::CreatedAt.lt(at)).add(
                Condition::all()
                    .add(apps::Column::CreatedAt.eq(at))
                    .add(apps::Column::Id.lt(id)),
            ),
        );
    }
    let mut rows = query
        .order_by_desc(apps::Column::CreatedAt)
        .order_by_desc(apps::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let rows = rows
        .into_iter()
        .map(application)
        .collect::<Result<_, _>>()?;
    Ok((rows, more))
}

/// Replaces the owner's data of an application still in `status` at
/// `version`; `VersionMismatch` otherwise.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &DatabaseConnection,
    id: Uuid,
    status: ApplicationStatus,
    version: i64,
    fields: &OwnerFields,
    organisation: Option<&Organisation>,
    scans: Scans,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let mut model = <apps::ActiveModel as Default>::default();
    set_fields(&mut model, fields, organisation, scans);
    model.updated_at = Set(now);
    let update = apps::Entity::update_many()
        .set(model)
        .col_expr(
            apps::Column::Version,
            Expr::col(apps::Column::Version).add(1),
        )
        .filter(apps::Column::Id.eq(id))
        .filter(apps::Column::Status.eq(status.as_str()))
        .filter(apps::Column::Version.eq(version));
    if update.exec(db).await?.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// A status change and what comes with it.
#[derive(Debug, Clone)]
pub struct Transition {
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
    /// Set `submitted_at`.
    pub submitted: bool,
    /// The operator's decision (approve / reject).
    pub decided_by: Option<Uuid>,
    /// Replaces the rejection reasons (`Some(vec![])` clears them).
    pub reject_reasons: Option<Vec<String>>,
}

impl Transition {
    /// A plain status change.
    pub fn new(from: ApplicationStatus, to: ApplicationStatus) -> Self {
        Transition {
            from,
            to,
            submitted: false,
            decided_by: None,
            reject_reasons: None,
        }
    }
}

async fn apply_transition<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    t: &Transition,
    certificate_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = apps::Entity::update_many()
        .col_expr(apps::Column::Status, Expr::value(t.to.as_str()))
        .col_expr(apps::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            apps::Column::Version,
            Expr::col(apps::Column::Version).add(1),
        )
        .filter(apps::Column::Id.eq(id))
        .filter(apps::Column::Status.eq(t.from.as_str()));
    if t.submitted {
        update = update.col_expr(apps::Column::SubmittedAt, Expr::value(now));
    }
    if let Some(by) = t.decided_by {
        update = update
            .col_expr(apps::Column::DecidedBy, Expr::value(by))
            .col_expr(apps::Column::DecidedAt, Expr::value(now));
    }
    if let Some(reasons) = &t.reject_reasons {
        let text = (!reasons.is_empty())
            .then(|| serde_json::to_string(reasons))
            .transpose()?;
        update = update.col_expr(apps::Column::RejectReasons, Expr::value(text));
    }
    if let Some(cert) = certificate_id {
        update = update.col_expr(apps::Column::CertificateId, Expr::value(cert));
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

/// Changes the status if it is still `t.from`; `VersionMismatch` otherwise.
pub async fn transition(
    db: &DatabaseConnection,
    id: Uuid,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    apply_transition(&txn, id, &t, None, now).await?;
    let app = find(&txn, id).await?.ok_or(StoreError::NotFound)?;
    let event = match t.to {
        ApplicationStatus::Approved => {
            Some(Event::CertificateApplicationApproved { application_id: id })
        }
        ApplicationStatus::Rejected => Some(Event::CertificateApplicationRejected {
            application_id: id,
            reasons: t.reject_reasons.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    // An agent's filing has no owner to tell until claimed: the client
    // hears of the approval by the claim link (docs/certificates.md).
    if let Some(event) = event.filter(|_| !app.awaiting_claim()) {
        crate::notifications::emit(&txn, app.owner_id, &event, now).await?;
    }
    txn.commit().await?;
    Ok(app)
}

/// Issuing, in one transaction: `approved → issuing`, the certificate
/// stored, `issuing → issued` with the certificate's id.
pub async fn issue(
    db: &DatabaseConnection,
    application_id: Uuid,
    owner_id: Uuid,
    cert: NewCertificate,
    now: DateTime<Utc>,
) -> Result<(ApplicationRecord, CertificateRecord), StoreError> {
    let serial = cert.serial.clone();
    let txn = crate::db::begin(db).await?;
    apply_transition(
        &txn,
        application_id,
        &Transition::new(ApplicationStatus::Approved, ApplicationStatus::Issuing),
        None,
        now,
    )
    .await?;
    certificates::ActiveModel {
        id: Set(cert.id),
        application_id: Set(application_id),
        owner_id: Set(owner_id),
        serial: Set(serial.clone()),
        subject: Set(cert.subject),
        der: Set(cert.der),
        not_before: Set(cert.not_before),
        not_after: Set(cert.not_after),
        revoked_at: Set(None),
        revocation_reason: Set(None),
        revocation_comment: Set(None),
        revoked_by: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    apply_transition(
        &txn,
        application_id,
        &Transition::new(ApplicationStatus::Issuing, ApplicationStatus::Issued),
        Some(cert.id),
        now,
    )
    .await?;
    crate::idempotency::bind(&txn, cert.id).await?;
    let event = Event::CertificateIssued {
        certificate_id: cert.id,
        serial: serial.clone(),
        not_after: cert.not_after,
    };
    crate::notifications::emit(&txn, owner_id, &event, now).await?;
    txn.commit().await?;
    let app = find(db, application_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let cert = find_certificate(db, cert.id)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((app, cert))
}

/// A certificate by id.
pub async fn find_certificate<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<CertificateRecord>, StoreError> {
    certificates::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(certificate)
        .transpose()
}

/// The certificate with this serial (lowercase hex, as issued).
pub async fn find_certificate_by_serial(
    db: &DatabaseConnection,
    serial: &str,
) -> Result<Option<CertificateRecord>, StoreError> {
    certificates::Entity::find()
        .filter(certificates::Column::Serial.eq(serial))
        .one(db)
        .await?
        .map(certificate)
        .transpose()
}

/// A page of certificates, newest first; `owner` narrows to one owner's.
pub async fn list_certificates(
    db: &DatabaseConnection,
    owner: Option<Uuid>,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<(Vec<CertificateRecord>, bool), StoreError> {
    let mut query = certificates::Entity::find();
    if let Some(owner) = owner {
        query = query.filter(certificates::Column::OwnerId.eq(owner));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(certificates::Column::CreatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(certificates::Column::CreatedAt.eq(at))
                        .add(certificates::Column::Id.lt(id)),
                ),
        );
    }
    let mut rows = query
        .order_by_desc(certificates::Column::CreatedAt)
        .order_by_desc(certificates::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let rows = rows
        .into_iter()
        .map(certificate)
        .collect::<Result<_, _>>()?;
    Ok((rows, more))
}

/// Revokes a certificate not yet revoked, and moves its application
/// `issued → revoked`, in one transaction. `VersionMismatch` when it was
/// revoked meanwhile.
pub async fn revoke(
    db: &DatabaseConnection,
    id: Uuid,
    reason: RevocationReason,
    comment: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<CertificateRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let cert = find_certificate(&txn, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let done = certificates::Entity::update_many()
        .col_expr(certificates::Column::RevokedAt, Expr::value(now))
        .col_expr(
            certificates::Column::RevocationReason,
            Expr::value(reason.as_str()),
        )
        .col_expr(
            certificates::Column::RevocationComment,
            Expr::value(comment),
        )
        .col_expr(certificates::Column::RevokedBy, Expr::value(by))
        .filter(certificates::Column::Id.eq(id))
        .filter(certificates::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    apply_transition(
        &txn,
        cert.application_id,
        &Transition::new(ApplicationStatus::Issued, ApplicationStatus::Revoked),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    find_certificate(db, id).await?.ok_or(StoreError::NotFound)
}

/// Every revoked certificate, for the CRL (oldest revocation first).
pub async fn revoked(db: &DatabaseConnection) -> Result<Vec<RevokedEntry>, StoreError> {
    let rows = certificates::Entity::find()
        .filter(certificates::Column::RevokedAt.is_not_null())
        .order_by_asc(certificates::Column::RevokedAt)
        .order_by_asc(certificates::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let c = certificate(m)?;
        if let Some(revoked_at) = c.revoked_at {
            out.push(RevokedEntry {
                serial: c.serial,
                revoked_at,
                reason: c.revocation_reason,
            });
        }
    }
    Ok(out)
}

/// Valid certificates expiring by `until` (after `now`) that have no
/// reminder `days_before` yet, with the e-mail of their application.
pub async fn expiring_without_reminder(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    days_before: i32,
) -> Result<Vec<(CertificateRecord, Option<String>)>, StoreError> {
    let reminded: Vec<Uuid> = certificate_reminders::Entity::find()
        .filter(certificate_reminders::Column::DaysBefore.eq(days_before))
        .select_only()
        .column(certificate_reminders::Column::CertificateId)
        .into_tuple()
        .all(db)
        .await?;
    let rows = certificates::Entity::find()
        .filter(certificates::Column::RevokedAt.is_null())
        .filter(certificates::Column::NotAfter.gt(now))
        .filter(certificates::Column::NotAfter.lte(until))
        .order_by_asc(certificates::Column::NotAfter)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for m in rows {
        if reminded.contains(&m.id) {
            continue;
        }
        let cert = certificate(m)?;
        let email = find(db, cert.application_id)
            .await?
            .and_then(|a| a.fields.email);
        out.push((cert, email));
    }
    Ok(out)
}

/// Records that the reminder `days_before` of a certificate was sent;
/// `false` when it already was (another instance got there first).
pub async fn mark_reminded(
    db: &DatabaseConnection,
    certificate_id: Uuid,
    days_before: i32,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = certificate_reminders::ActiveModel {
        certificate_id: Set(certificate_id),
        days_before: Set(days_before),
        sent_at: Set(now),
    }
    .insert(db)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) => match StoreError::from(e) {
            StoreError::Duplicate(_) => Ok(false),
            other => Err(other),
        },
    }
}

/// Records the reminder `days_before` of a certificate together with its
/// `certificate_expiring` event for the owner, in one transaction; `false`
/// (nothing written) when it was already recorded.
pub async fn remind(
    db: &DatabaseConnection,
    cert: &CertificateRecord,
    days_before: i32,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = crate::db::begin(db).await?;
    let inserted = certificate_reminders::ActiveModel {
        certificate_id: Set(cert.id),
        days_before: Set(days_before),
        sent_at: Set(now),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) => {
            return match StoreError::from(e) {
                StoreError::Duplicate(_) => Ok(false),
                other => Err(other),
            };
        }
    }
    let event = Event::CertificateExpiring {
        certificate_id: cert.id,
        serial: cert.serial.clone(),
        not_after: cert.not_after,
        days_left: std::cmp::max((cert.not_after - now).num_days(), 0),
    };
    crate::notifications::emit(&txn, cert.owner_id, &event, now).await?;
    txn.commit().await?;
    Ok(true)
}
