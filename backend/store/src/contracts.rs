//! Contract and act versions of orders and their signatures
//! (docs/contracts.md, docs/acts.md): one table for both, told apart by
//! `kind`. A new version voids the open ones of its order and kind in the
//! same transaction;
//! a signature is stored with the version's new status (and, for the last
//! one, the order's transition) or not at all.

use crate::entities::{contract_signatures as sigs, contracts};
use crate::error::StoreError;
use crate::notifications::corrupt;
use crate::orders::{Transition, apply_transition};
use crate::paging::{self, After};
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::contracts::{ContractParty, ContractSource, ContractStatus, ContractTerms};
use mezha_api_types::signatures::ValidationReport;
use mezha_domain::contracts::DocumentKind;
use mezha_domain::notifications::Event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A contract or act version as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub kind: DocumentKind,
    /// Version number within the order and kind (given by [`insert_version`]).
    pub number: i32,
    pub status: ContractStatus,
    pub source: ContractSource,
    pub terms: Option<ContractTerms>,
    pub price_in_words: Option<String>,
    /// The document (its bytes and SHA-256 are the file's).
    pub file_id: Uuid,
    /// The DOCX of a template version (same text; not what is signed).
    pub docx_file_id: Option<Uuid>,
    pub extra_file_id: Option<Uuid>,
    pub declined_reason: Option<String>,
    /// The amount an act states.
    pub amount_kopecks: Option<i64>,
    /// The completion day an act states.
    pub completed_on: Option<NaiveDate>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A party's accepted signature of a version.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureRecord {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub party: ContractParty,
    pub signer_id: Uuid,
    pub signer_name: Option<String>,
    /// The CMS signature, DER.
    pub signature: Vec<u8>,
    pub sha256: String,
    pub report: ValidationReport,
    pub created_at: DateTime<Utc>,
}

const OPEN: [ContractStatus; 2] = [
    ContractStatus::AwaitingEngineer,
    ContractStatus::AwaitingCustomer,
];

fn record(m: contracts::Model) -> Result<ContractRecord, StoreError> {
    Ok(ContractRecord {
        id: m.id,
        order_id: m.order_id,
        kind: DocumentKind::parse(&m.kind)
            .ok_or_else(|| corrupt("document kind", m.kind.clone()))?,
        number: m.number,
        status: m
            .status
            .parse()
            .map_err(|e| corrupt("contract status", e))?,
        source: m
            .source
            .parse()
            .map_err(|e| corrupt("contract source", e))?,
        terms: m.terms.as_deref().map(serde_json::from_str).transpose()?,
        price_in_words: m.price_in_words,
        file_id: m.file_id,
        docx_file_id: m.docx_file_id,
        extra_file_id: m.extra_file_id,
        declined_reason: m.declined_reason,
        amount_kopecks: m.amount_kopecks,
        completed_on: m.completed_on,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn signature(m: sigs::Model) -> Result<SignatureRecord, StoreError> {
    Ok(SignatureRecord {
        id: m.id,
        contract_id: m.contract_id,
        party: m.party.parse().map_err(|e| corrupt("signature party", e))?,
        signer_id: m.signer_id,
        signer_name: m.signer_name,
        signature: m.signature,
        sha256: m.sha256,
        report: serde_json::from_str(&m.report)?,
        created_at: m.created_at,
    })
}

/// Voids the open versions of `kind` of `order_id` inside `txn` (a new
/// version, an edit or the cancellation of the order); how many.
pub async fn void_open<C: ConnectionTrait>(
    txn: &C,
    order_id: Uuid,
    kind: DocumentKind,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(contracts::Entity::update_many()
        .col_expr(
            contracts::Column::Status,
            Expr::value(ContractStatus::Voided.as_str()),
        )
        .col_expr(contracts::Column::UpdatedAt, Expr::value(now))
        .filter(contracts::Column::OrderId.eq(order_id))
        .filter(contracts::Column::Kind.eq(kind.as_str()))
        .filter(contracts::Column::Status.is_in(OPEN.map(|s| s.as_str())))
        .exec(txn)
        .await?
        .rows_affected)
}

/// The number the order's next version of `kind` takes: one after the last.
pub async fn next_number(
    db: &DatabaseConnection,
    order_id: Uuid,
    kind: DocumentKind,
) -> Result<i32, StoreError> {
    let last: Option<i32> = contracts::Entity::find()
        .select_only()
        .column_as(contracts::Column::Number.max(), "last")
        .filter(contracts::Column::OrderId.eq(order_id))
        .filter(contracts::Column::Kind.eq(kind.as_str()))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(last.unwrap_or(0) + 1)
}

/// Stores a new version of its order and voids the open ones; the record
/// as stored. [`StoreError::Duplicate`] when another version took its
/// number meanwhile.
pub async fn insert_version(
    db: &DatabaseConnection,
    version: ContractRecord,
) -> Result<ContractRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    void_open(&txn, version.order_id, version.kind, version.created_at).await?;
    contracts::ActiveModel {
        id: Set(version.id),
        order_id: Set(version.order_id),
        number: Set(version.number),
        status: Set(version.status.as_str().to_owned()),
        source: Set(version.source.as_str().to_owned()),
        terms: Set(version
            .terms
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?),
        price_in_words: Set(version.price_in_words.clone()),
        file_id: Set(version.file_id),
        extra_file_id: Set(version.extra_file_id),
        declined_reason: Set(None),
        created_by: Set(version.created_by),
        created_at: Set(version.created_at),
        updated_at: Set(version.updated_at),
        docx_file_id: Set(version.docx_file_id),
        kind: Set(version.kind.as_str().to_owned()),
        amount_kopecks: Set(version.amount_kopecks),
        completed_on: Set(version.completed_on),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, version.id).await?;
    txn.commit().await?;
    Ok(version)
}

/// The open versions (awaiting a signature) of these orders, both kinds.
pub async fn open_of(
    db: &DatabaseConnection,
    order_ids: Vec<Uuid>,
) -> Result<Vec<ContractRecord>, StoreError> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    contracts::Entity::find()
        .filter(contracts::Column::OrderId.is_in(order_ids))
        .filter(contracts::Column::Status.is_in(OPEN.map(|s| s.as_str())))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The version with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<ContractRecord>, StoreError> {
    contracts::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The order's version of `kind` signed by both, if any (at most one: the
/// order leaves `contract_signing` with the contract's, and an act signed
/// by both is never made again).
pub async fn signed(
    db: &DatabaseConnection,
    order_id: Uuid,
    kind: DocumentKind,
) -> Result<Option<ContractRecord>, StoreError> {
    contracts::Entity::find()
        .filter(contracts::Column::OrderId.eq(order_id))
        .filter(contracts::Column::Kind.eq(kind.as_str()))
        .filter(contracts::Column::Status.eq(ContractStatus::Signed.as_str()))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// A page of the versions of `kind` of an order, oldest first: `limit`
/// after `after` and whether more follow.
pub async fn list(
    db: &DatabaseConnection,
    order_id: Uuid,
    kind: DocumentKind,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<ContractRecord>, bool), StoreError> {
    use contracts::Column as C;
    let (rows, more) = paging::oldest_first::<contracts::Entity, _>(
        db,
        sea_orm::Condition::all()
            .add(C::OrderId.eq(order_id))
            .add(C::Kind.eq(kind.as_str())),
        (C::CreatedAt, C::Id),
        limit,
        after,
    )
    .await?;
    Ok((
        rows.into_iter().map(record).collect::<Result<_, _>>()?,
        more,
    ))
}

/// The signatures of these versions, by version, engineer's first. One query.
pub async fn signatures_of(
    db: &DatabaseConnection,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, Vec<SignatureRecord>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<SignatureRecord>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = sigs::Entity::find()
        .filter(sigs::Column::ContractId.is_in(ids))
        .order_by_asc(sigs::Column::CreatedAt)
        .order_by_asc(sigs::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let sig = signature(row)?;
        out.entry(sig.contract_id).or_default().push(sig);
    }
    Ok(out)
}

/// Moves a version from `from` to `to` inside `txn` (with the decline
/// reason, if any); [`StoreError::VersionMismatch`] when it is no longer
/// in `from` (signed, declined or voided meanwhile).
async fn set_status<C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    (from, to): (ContractStatus, ContractStatus),
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = contracts::Entity::update_many()
        .col_expr(contracts::Column::Status, Expr::value(to.as_str()))
        .col_expr(contracts::Column::UpdatedAt, Expr::value(now))
        .filter(contracts::Column::Id.eq(id))
        .filter(contracts::Column::Status.eq(from.as_str()));
    if let Some(reason) = reason {
        update = update.col_expr(contracts::Column::DeclinedReason, Expr::value(reason));
    }
    if update.exec(txn).await?.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

async fn find_in<C: ConnectionTrait>(txn: &C, id: Uuid) -> Result<ContractRecord, StoreError> {
    record(
        contracts::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?,
    )
}

/// Stores an accepted signature and moves its version from `from` to
/// `to` (the customer is told when it awaits him); with `order`, the
/// order's transition too (the last signature). All or nothing.
pub async fn add_signature(
    db: &DatabaseConnection,
    sig: &SignatureRecord,
    (from, to): (ContractStatus, ContractStatus),
    order: Option<Transition>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    set_status(&txn, sig.contract_id, (from, to), None, sig.created_at).await?;
    sigs::ActiveModel {
        id: Set(sig.id),
        contract_id: Set(sig.contract_id),
        party: Set(sig.party.as_str().to_owned()),
        signer_id: Set(sig.signer_id),
        signer_name: Set(sig.signer_name.clone()),
        signature: Set(sig.signature.clone()),
        sha256: Set(sig.sha256.clone()),
        report: Set(serde_json::to_string(&sig.report)?),
        created_at: Set(sig.created_at),
    }
    .insert(&txn)
    .await?;
    let contract = find_in(&txn, sig.contract_id).await?;
    if to == ContractStatus::AwaitingCustomer {
        let (order, row) = crate::notifications::order_ref(&txn, contract.order_id).await?;
        let event = match contract.kind {
            DocumentKind::Contract => Event::ContractSentForSignature { order },
            DocumentKind::Act => Event::ActSentForSignature { order },
        };
        crate::notifications::emit(&txn, row.customer_id, &event, sig.created_at).await?;
    }
    if let Some(transition) = order {
        apply_transition(&txn, contract.order_id, &transition, sig.created_at).await?;
        // The signed contract's deadline is the order's due date from now
        // on (docs/reminders.md).
        if let (DocumentKind::Contract, Some(terms)) = (contract.kind, &contract.terms) {
            crate::entities::orders::Entity::update_many()
                .col_expr(
                    crate::entities::orders::Column::DueDate,
                    Expr::value(terms.deadline),
                )
                .filter(crate::entities::orders::Column::Id.eq(contract.order_id))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The customer declines an awaiting version with `reason`; the executor
/// is told.
pub async fn decline(
    db: &DatabaseConnection,
    id: Uuid,
    reason: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    set_status(
        &txn,
        id,
        (ContractStatus::AwaitingCustomer, ContractStatus::Declined),
        Some(reason.clone()),
        now,
    )
    .await?;
    let contract = find_in(&txn, id).await?;
    let (order, row) = crate::notifications::order_ref(&txn, contract.order_id).await?;
    if let Some(executor) = row.executor_id {
        let event = match contract.kind {
            DocumentKind::Contract => Event::ContractDeclined { order, reason },
            DocumentKind::Act => Event::ActDeclined { order, reason },
        };
        crate::notifications::emit(&txn, executor, &event, now).await?;
    }
    txn.commit().await?;
    Ok(())
}
