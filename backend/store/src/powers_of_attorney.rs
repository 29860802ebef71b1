//! An organisation's machine-readable powers of attorney
//! (docs/power-of-attorney.md). The XML is a stored file; what was read
//! from it is kept beside it so that a signer is matched by SNILS or INN
//! without reading XML. Every change writes the organisation's audit entry
//! in the same transaction, and is conditional on the version read.

use crate::entities::powers_of_attorney as poa;
use crate::error::StoreError;
use crate::organisations::{Audit, write_audit};
use crate::paging::After;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::organisations::AuditKind;
use mezha_api_types::powers_of_attorney::{PoaPower, PoaStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// A person as the XML names him.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoaPersonRecord {
    pub full_name: String,
    pub snils: Option<String>,
    pub inn: Option<String>,
}

/// A stored power of attorney. `status` is the stored one
/// (`awaiting_signature`, `active`, `revoked`); expiry is a matter of the
/// date, decided by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoaRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub number: Uuid,
    pub internal_number: Option<String>,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub head: PoaPersonRecord,
    pub representative: PoaPersonRecord,
    pub powers: Vec<PoaPower>,
    pub xml_file_id: Uuid,
    pub status: PoaStatus,
    pub signature: Option<Vec<u8>>,
    pub signature_report: Option<String>,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    pub uploaded_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

fn record(m: poa::Model) -> Result<PoaRecord, StoreError> {
    Ok(PoaRecord {
        status: m
            .status
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("power of attorney status: {e}")))?,
        powers: serde_json::from_str::<Vec<(String, String, bool)>>(&m.powers)?
            .into_iter()
            .map(|(code, name, restricted)| PoaPower {
                code,
                name,
                restricted,
            })
            .collect(),
        id: m.id,
        organisation_id: m.organisation_id,
        number: m.number,
        internal_number: m.internal_number,
        issued_on: m.issued_on,
        valid_until: m.valid_until,
        head: PoaPersonRecord {
            full_name: m.head_name,
            snils: m.head_snils,
            inn: m.head_inn,
        },
        representative: PoaPersonRecord {
            full_name: m.representative_name,
            snils: m.representative_snils,
            inn: m.representative_inn,
        },
        xml_file_id: m.xml_file_id,
        signature: m.signature,
        signature_report: m.signature_report,
        signed_by: m.signed_by,
        signed_at: m.signed_at,
        revoked_at: m.revoked_at,
        revoke_reason: m.revoke_reason,
        uploaded_by: m.uploaded_by,
        created_at: m.created_at,
        version: m.version,
    })
}

/// What an upload read from the XML.
#[derive(Debug, Clone)]
pub struct NewPoa {
    pub number: Uuid,
    pub internal_number: Option<String>,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub head: PoaPersonRecord,
    pub representative: PoaPersonRecord,
    pub powers: Vec<PoaPower>,
    pub xml_file_id: Uuid,
}

/// Keeps an uploaded power of attorney, awaiting the head's signature.
/// [`StoreError::Duplicate`] when the organisation keeps one with its
/// number already.
pub async fn insert(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    new: NewPoa,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<PoaRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let powers: Vec<(&str, &str, bool)> = new
        .powers
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str(), p.restricted))
        .collect();
    let model = poa::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        number: Set(new.number),
        internal_number: Set(new.internal_number),
        issued_on: Set(new.issued_on),
        valid_until: Set(new.valid_until),
        head_name: Set(new.head.full_name),
        head_snils: Set(new.head.snils),
        head_inn: Set(new.head.inn),
        representative_name: Set(new.representative.full_name.clone()),
        representative_snils: Set(new.representative.snils),
        representative_inn: Set(new.representative.inn),
        powers: Set(serde_json::to_string(&powers)?),
        xml_file_id: Set(new.xml_file_id),
        status: Set(PoaStatus::AwaitingSignature.as_str().to_owned()),
        signature: Set(None),
        signature_report: Set(None),
        signed_by: Set(None),
        signed_at: Set(None),
        revoked_at: Set(None),
        revoke_reason: Set(None),
        revoked_by: Set(None),
        uploaded_by: Set(actor),
        created_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, model.id).await?;
    write_audit(
        &txn,
        organisation_id,
        Audit {
            kind: AuditKind::PoaUploaded,
            actor_id: Some(actor),
            subject_id: None,
            details: serde_json::json!({
                "number": new.number, "representative": new.representative.full_name,
            }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    record(model)
}

/// A page of the organisation's powers of attorney, the latest uploaded
/// first, and whether more follow.
pub async fn list(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<PoaRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::newest_first::<poa::Entity, _>(
        db,
        Condition::all().add(poa::Column::OrganisationId.eq(organisation_id)),
        (poa::Column::CreatedAt, poa::Column::Id),
        limit,
        before,
    )
    .await?;
    let records = rows
        .into_iter()
        .map(record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((records, more))
}

/// One of the organisation's powers of attorney.
pub async fn get(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    id: Uuid,
) -> Result<Option<PoaRecord>, StoreError> {
    poa::Entity::find_by_id(id)
        .filter(poa::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The powers of attorney with these ids, whatever their organisation.
pub async fn by_ids(db: &DatabaseConnection, ids: &[Uuid]) -> Result<Vec<PoaRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    poa::Entity::find()
        .filter(poa::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The organisation's signed, unrevoked powers of attorney naming a
/// representative with this SNILS or INN, the latest-ending first.
pub async fn active_naming(
    db: &DatabaseConnection,
    organisation_id: Uuid,
    snils: Option<&str>,
    inn: Option<&str>,
) -> Result<Vec<PoaRecord>, StoreError> {
    let mut whom = Condition::any();
    if let Some(snils) = snils {
        whom = whom.add(poa::Column::RepresentativeSnils.eq(snils));
    }
    if let Some(inn) = inn {
        whom = whom.add(poa::Column::RepresentativeInn.eq(inn));
    }
    if snils.is_none() && inn.is_none() {
        return Ok(Vec::new());
    }
    poa::Entity::find()
        .filter(poa::Column::OrganisationId.eq(organisation_id))
        .filter(poa::Column::Status.eq(PoaStatus::Active.as_str()))
        .filter(whom)
        .order_by_desc(poa::Column::ValidUntil)
        .order_by_desc(poa::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The head's accepted signature: the power of attorney becomes active.
/// [`StoreError::VersionMismatch`] when it changed since `was` was read.
pub async fn sign(
    db: &DatabaseConnection,
    was: &PoaRecord,
    signature: Vec<u8>,
    report: String,
    signed_by: Option<String>,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let done = poa::Entity::update_many()
        .col_expr(poa::Column::Status, Expr::value(PoaStatus::Active.as_str()))
        .col_expr(poa::Column::Signature, Expr::value(signature))
        .col_expr(poa::Column::SignatureReport, Expr::value(report))
        .col_expr(poa::Column::SignedBy, Expr::value(signed_by))
        .col_expr(poa::Column::SignedAt, Expr::value(now))
        .col_expr(poa::Column::Version, Expr::value(was.version + 1))
        .filter(poa::Column::Id.eq(was.id))
        .filter(poa::Column::Version.eq(was.version))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(StoreError::VersionMismatch);
    }
    write_audit(
        &txn,
        was.organisation_id,
        Audit {
            kind: AuditKind::PoaSigned,
            actor_id: Some(actor),
            subject_id: None,
            details: serde_json::json!({
                "number": was.number, "representative": was.representative.full_name,
            }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Revokes a power of attorney. [`StoreError::VersionMismatch`] when it
/// changed since `was` was read.
pub async fn revoke(
    db: &DatabaseConnection,
    was: &PoaRecord,
    reason: String,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let done = poa::Entity::update_many()
        .col_expr(
            poa::Column::Status,
            Expr::value(PoaStatus::Revoked.as_str()),
        )
        .col_expr(poa::Column::RevokedAt, Expr::value(now))
        .col_expr(poa::Column::RevokeReason, Expr::value(reason.clone()))
        .col_expr(poa::Column::RevokedBy, Expr::value(actor))
        .col_expr(poa::Column::Version, Expr::value(was.version + 1))
        .filter(poa::Column::Id.eq(was.id))
        .filter(poa::Column::Version.eq(was.version))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(StoreError::VersionMismatch);
    }
    write_audit(
        &txn,
        was.organisation_id,
        Audit {
            kind: AuditKind::PoaRevoked,
            actor_id: Some(actor),
            subject_id: None,
            details: serde_json::json!({
                "number": was.number, "representative": was.representative.full_name,
                "reason": reason,
            }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
