//! Deals of organisations (docs/deals.md): the deal and its object, its
//! participants, documents and statements, the signatures of them, its
//! history. Every change of a deal bumps its `version` (its `ETag`) in the
//! transaction that makes it, and a change of its status writes the
//! history entry in the same transaction, conditional on the status it
//! came from; a document is added only while the deal is a draft and its
//! documents' total stays within the deal's limit (one conditional update).

use crate::entities::{
    deal_documents as docs, deal_history as history, deal_participants as parts,
    deal_signatures as sigs, deals,
};
use crate::error::StoreError;
use crate::paging::After;
use chrono::{DateTime, Utc};
use mezha_api_types::deals::{
    DealAction, DealDocumentKind, DealObject, DealStatus, ObjectType, ParticipantRole,
};
use mezha_api_types::signatures::ValidationReport;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// A deal as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub number: i64,
    pub title: String,
    pub status: DealStatus,
    pub suspended_from: Option<DealStatus>,
    pub responsible_id: Uuid,
    pub object: DealObject,
    pub documents_bytes: i64,
    pub copied_from: Option<Uuid>,
    pub registry_package_id: Option<String>,
    pub fee_uin: Option<String>,
    pub fee_amount_kopecks: Option<i64>,
    pub fee_paid_at: Option<DateTime<Utc>>,
    pub fee_paid_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A participant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRecord {
    pub id: Uuid,
    pub deal_id: Uuid,
    pub client_id: Option<Uuid>,
    pub role: ParticipantRole,
    pub share: Option<String>,
    pub represents: Option<Uuid>,
    /// The person's data frozen when the statements were formed (JSON).
    pub snapshot: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A document or statement as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub id: Uuid,
    pub deal_id: Uuid,
    pub kind: DealDocumentKind,
    pub title: String,
    pub file_id: Uuid,
    pub applicant_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// An accepted signature as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureRecord {
    pub id: Uuid,
    pub deal_id: Uuid,
    pub document_id: Uuid,
    /// The participant it counts for; `None`: the employee.
    pub participant_id: Option<Uuid>,
    pub signer_name: Option<String>,
    /// The signature's DER.
    pub signature: Vec<u8>,
    pub sha256: String,
    pub report: ValidationReport,
    pub power_of_attorney_id: Option<Uuid>,
    pub added_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A history entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub id: Uuid,
    pub action: DealAction,
    pub from_status: Option<DealStatus>,
    pub to_status: DealStatus,
    pub actor_id: Option<Uuid>,
    pub message: Option<String>,
    pub at: DateTime<Utc>,
}

/// The stored key of a signer: the participant's id, or `employee`.
fn signer_key(participant: Option<Uuid>) -> String {
    participant.map_or_else(|| "employee".to_owned(), |id| id.to_string())
}

fn parse<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {value:?}")))
}

fn record(row: deals::Model) -> Result<DealRecord, StoreError> {
    Ok(DealRecord {
        status: parse("deal status", &row.status)?,
        suspended_from: row
            .suspended_from
            .as_deref()
            .map(|s| parse("deal status", s))
            .transpose()?,
        object: DealObject {
            cadastral_number: row.cadastral_number,
            address: row.address,
            object_type: row
                .object_type
                .as_deref()
                .map(|t| parse::<ObjectType>("object type", t))
                .transpose()?,
            area: row.area,
        },
        id: row.id,
        organisation_id: row.organisation_id,
        number: row.number,
        title: row.title,
        responsible_id: row.responsible_id,
        documents_bytes: row.documents_bytes,
        copied_from: row.copied_from,
        registry_package_id: row.registry_package_id,
        fee_uin: row.fee_uin,
        fee_amount_kopecks: row.fee_amount_kopecks,
        fee_paid_at: row.fee_paid_at,
        fee_paid_by: row.fee_paid_by,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn participant(row: parts::Model) -> Result<ParticipantRecord, StoreError> {
    Ok(ParticipantRecord {
        role: parse("participant role", &row.role)?,
        id: row.id,
        deal_id: row.deal_id,
        client_id: row.client_id,
        share: row.share,
        represents: row.represents,
        snapshot: row.snapshot,
        created_at: row.created_at,
    })
}

fn document(row: docs::Model) -> Result<DocumentRecord, StoreError> {
    Ok(DocumentRecord {
        kind: parse("document kind", &row.kind)?,
        id: row.id,
        deal_id: row.deal_id,
        title: row.title,
        file_id: row.file_id,
        applicant_id: row.applicant_id,
        created_by: row.created_by,
        created_at: row.created_at,
    })
}

fn signature(row: sigs::Model) -> Result<SignatureRecord, StoreError> {
    Ok(SignatureRecord {
        report: serde_json::from_str(&row.report).map_err(StoreError::Decode)?,
        id: row.id,
        deal_id: row.deal_id,
        document_id: row.document_id,
        participant_id: row.participant_id,
        signer_name: row.signer_name,
        signature: row.signature,
        sha256: row.sha256,
        power_of_attorney_id: row.power_of_attorney_id,
        added_by: row.added_by,
        created_at: row.created_at,
    })
}

fn history_entry(row: history::Model) -> Result<HistoryRecord, StoreError> {
    Ok(HistoryRecord {
        action: parse("deal action", &row.action)?,
        from_status: row
            .from_status
            .as_deref()
            .map(|s| parse("deal status", s))
            .transpose()?,
        to_status: parse("deal status", &row.to_status)?,
        id: row.id,
        actor_id: row.actor_id,
        message: row.message,
        at: row.at,
    })
}

/// Writes a history entry.
pub(crate) async fn log<C: ConnectionTrait>(
    conn: &C,
    deal_id: Uuid,
    action: DealAction,
    (from, to): (Option<DealStatus>, DealStatus),
    actor_id: Option<Uuid>,
    message: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    history::ActiveModel {
        id: Set(Uuid::now_v7()),
        deal_id: Set(deal_id),
        action: Set(action.as_str().to_owned()),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_id: Set(actor_id),
        message: Set(message),
        at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// What a new deal starts with.
#[derive(Debug, Clone)]
pub struct NewDealRecord {
    pub organisation_id: Uuid,
    pub title: String,
    pub object: DealObject,
    pub responsible_id: Uuid,
    pub copied_from: Option<Uuid>,
}

async fn next_number<C: ConnectionTrait>(
    conn: &C,
    organisation_id: Uuid,
) -> Result<i64, StoreError> {
    let last = deals::Entity::find()
        .select_only()
        .column_as(deals::Column::Number.max(), "last")
        .filter(deals::Column::OrganisationId.eq(organisation_id))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten();
    Ok(last.unwrap_or(0) + 1)
}

async fn insert_deal<C: ConnectionTrait>(
    conn: &C,
    new: NewDealRecord,
    now: DateTime<Utc>,
) -> Result<deals::Model, StoreError> {
    let id = Uuid::now_v7();
    let number = next_number(conn, new.organisation_id).await?;
    let o = new.object;
    let row = deals::ActiveModel {
        id: Set(id),
        organisation_id: Set(new.organisation_id),
        number: Set(number),
        title: Set(new.title),
        status: Set(DealStatus::Draft.as_str().to_owned()),
        suspended_from: Set(None),
        responsible_id: Set(new.responsible_id),
        cadastral_number: Set(o.cadastral_number),
        address: Set(o.address),
        object_type: Set(o.object_type.map(|t| t.as_str().to_owned())),
        area: Set(o.area),
        documents_bytes: Set(0),
        copied_from: Set(new.copied_from),
        registry_package_id: Set(None),
        fee_uin: Set(None),
        fee_amount_kopecks: Set(None),
        fee_paid_at: Set(None),
        fee_paid_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    log(
        conn,
        id,
        DealAction::Create,
        (None, DealStatus::Draft),
        Some(new.responsible_id),
        None,
        now,
    )
    .await?;
    Ok(row)
}

/// Creates a draft numbered next in its organisation (bound to the
/// request's `Idempotency-Key`). Two created at the same moment may race
/// for a number: the loser is tried again.
pub async fn create(
    db: &DatabaseConnection,
    new: NewDealRecord,
    now: DateTime<Utc>,
) -> Result<DealRecord, StoreError> {
    let mut tries = 0;
    loop {
        let txn = crate::db::begin(db).await?;
        match insert_deal(&txn, new.clone(), now).await {
            Ok(row) => {
                crate::idempotency::bind(&txn, row.id).await?;
                txn.commit().await?;
                return record(row);
            }
            Err(StoreError::Duplicate(_)) if tries < 5 => {
                tries += 1;
                drop(txn);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Copies `source` into a new draft: title, object, participants (with
/// their representatives re-pointed), documents (the same stored files);
/// neither statements nor signatures.
pub async fn copy(
    db: &DatabaseConnection,
    source: &DealRecord,
    responsible_id: Uuid,
    now: DateTime<Utc>,
) -> Result<DealRecord, StoreError> {
    let participants = participants(db, source.id).await?;
    let documents: Vec<DocumentRecord> = documents(db, source.id)
        .await?
        .into_iter()
        .filter(|d| d.kind == DealDocumentKind::Document)
        .collect();
    let sizes = file_sizes(db, &documents).await?;
    let mut tries = 0;
    loop {
        let txn = crate::db::begin(db).await?;
        let new = NewDealRecord {
            organisation_id: source.organisation_id,
            title: source.title.clone(),
            object: source.object.clone(),
            responsible_id,
            copied_from: Some(source.id),
        };
        let row = match insert_deal(&txn, new, now).await {
            Ok(row) => {
                crate::idempotency::bind(&txn, row.id).await?;
                row
            }
            Err(StoreError::Duplicate(_)) if tries < 5 => {
                tries += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let ids: Vec<(Uuid, Uuid)> = participants
            .iter()
            .map(|p| (p.id, Uuid::now_v7()))
            .collect();
        let new_id = |old: Uuid| ids.iter().find(|(o, _)| *o == old).map(|(_, n)| *n);
        for (position, p) in participants.iter().enumerate() {
            parts::ActiveModel {
                id: Set(new_id(p.id).unwrap_or_else(Uuid::now_v7)),
                deal_id: Set(row.id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                client_id: Set(p.client_id),
                role: Set(p.role.as_str().to_owned()),
                share: Set(p.share.clone()),
                represents: Set(p.represents.and_then(new_id)),
                snapshot: Set(None),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        for (position, d) in documents.iter().enumerate() {
            insert_document(
                &txn,
                row.id,
                position,
                d.kind,
                &d.title,
                d.file_id,
                None,
                responsible_id,
                now,
            )
            .await?;
        }
        let total: i64 = sizes.iter().sum();
        deals::Entity::update_many()
            .col_expr(deals::Column::DocumentsBytes, Expr::value(total))
            .filter(deals::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        log(
            &txn,
            source.id,
            DealAction::Copy,
            (Some(source.status), source.status),
            Some(responsible_id),
            Some(format!("№ {}", row.number)),
            now,
        )
        .await?;
        txn.commit().await?;
        return get(db, row.id).await?.ok_or(StoreError::NotFound);
    }
}

async fn file_sizes(
    db: &DatabaseConnection,
    documents: &[DocumentRecord],
) -> Result<Vec<i64>, StoreError> {
    use crate::entities::files;
    let ids: Vec<Uuid> = documents.iter().map(|d| d.file_id).collect();
    Ok(files::Entity::find()
        .filter(files::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.size)
        .collect())
}

/// The deal with this id.
pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<Option<DealRecord>, StoreError> {
    deals::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// What `GET /deals` lists.
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    pub organisation_id: Uuid,
    /// Only this employee's deals (he does not see all).
    pub responsible_id: Option<Uuid>,
    pub status: Option<DealStatus>,
}

/// A page of deals, newest first.
pub async fn list(
    db: &DatabaseConnection,
    filter: &DealFilter,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<DealRecord>, bool), StoreError> {
    let mut cond = Condition::all().add(deals::Column::OrganisationId.eq(filter.organisation_id));
    if let Some(r) = filter.responsible_id {
        cond = cond.add(deals::Column::ResponsibleId.eq(r));
    }
    if let Some(s) = filter.status {
        cond = cond.add(deals::Column::Status.eq(s.as_str()));
    }
    let (rows, more) = crate::paging::newest_first::<deals::Entity, _>(
        db,
        cond,
        (deals::Column::CreatedAt, deals::Column::Id),
        limit,
        before,
    )
    .await?;
    Ok((
        rows.into_iter().map(record).collect::<Result<_, _>>()?,
        more,
    ))
}

/// Bumps the deal's version if it is still a draft at `version` (when
/// given); `VersionMismatch` when it changed, `Conflict`-worthy
/// `NotFound` is never returned: a missing deal is the caller's 404.
async fn touch_draft<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = deals::Entity::update_many()
        .col_expr(
            deals::Column::Version,
            Expr::col(deals::Column::Version).add(1),
        )
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .filter(deals::Column::Id.eq(id))
        .filter(deals::Column::Status.eq(DealStatus::Draft.as_str()));
    if let Some(v) = version {
        update = update.filter(deals::Column::Version.eq(v));
    }
    if update.exec(conn).await?.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::VersionMismatch)
    }
}

/// Replaces the title and object of a draft seen at `version`.
pub async fn update(
    db: &DatabaseConnection,
    deal: &DealRecord,
    title: String,
    object: DealObject,
    version: Option<i64>,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    touch_draft(&txn, deal.id, version, now).await?;
    deals::Entity::update_many()
        .col_expr(deals::Column::Title, Expr::value(title))
        .col_expr(
            deals::Column::CadastralNumber,
            Expr::value(object.cadastral_number),
        )
        .col_expr(deals::Column::Address, Expr::value(object.address))
        .col_expr(
            deals::Column::ObjectType,
            Expr::value(object.object_type.map(|t| t.as_str().to_owned())),
        )
        .col_expr(deals::Column::Area, Expr::value(object.area))
        .filter(deals::Column::Id.eq(deal.id))
        .exec(&txn)
        .await?;
    log(
        &txn,
        deal.id,
        DealAction::Edit,
        (Some(deal.status), deal.status),
        Some(actor),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a draft (its participants, documents and signatures with it;
/// the stored files stay, as other deals may share them).
pub async fn delete(db: &DatabaseConnection, deal: &DealRecord) -> Result<(), StoreError> {
    let result = deals::Entity::delete_many()
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::Status.eq(DealStatus::Draft.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::VersionMismatch)
    }
}

/// The deal's participants in the order they were added.
pub async fn participants(
    db: &impl ConnectionTrait,
    deal_id: Uuid,
) -> Result<Vec<ParticipantRecord>, StoreError> {
    parts::Entity::find()
        .filter(parts::Column::DealId.eq(deal_id))
        .order_by_asc(parts::Column::Position)
        .order_by_asc(parts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(participant)
        .collect()
}

/// A participant to add or the new values of one.
#[derive(Debug, Clone)]
pub struct ParticipantData {
    pub client_id: Option<Uuid>,
    pub role: ParticipantRole,
    pub share: Option<String>,
    pub represents: Option<Uuid>,
}

/// Adds a participant to a draft; his id.
pub async fn add_participant(
    db: &DatabaseConnection,
    deal: &DealRecord,
    data: ParticipantData,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let txn = crate::db::begin(db).await?;
    touch_draft(&txn, deal.id, None, now).await?;
    let position = parts::Entity::find()
        .filter(parts::Column::DealId.eq(deal.id))
        .count(&txn)
        .await?;
    let id = Uuid::now_v7();
    parts::ActiveModel {
        id: Set(id),
        deal_id: Set(deal.id),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        client_id: Set(data.client_id),
        role: Set(data.role.as_str().to_owned()),
        share: Set(data.share),
        represents: Set(data.represents),
        snapshot: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    // A retry answers with the deal as it is then.
    crate::idempotency::bind(&txn, deal.id).await?;
    log(
        &txn,
        deal.id,
        DealAction::AddParticipant,
        (Some(deal.status), deal.status),
        Some(actor),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes a participant of a draft; his signatures go (they were given
/// in another role), and a representative pointing at him keeps pointing.
pub async fn update_participant(
    db: &DatabaseConnection,
    deal: &DealRecord,
    id: Uuid,
    data: ParticipantData,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    touch_draft(&txn, deal.id, None, now).await?;
    sigs::Entity::delete_many()
        .filter(sigs::Column::DealId.eq(deal.id))
        .filter(sigs::Column::ParticipantId.eq(id))
        .exec(&txn)
        .await?;
    let changed = parts::Entity::update_many()
        .col_expr(parts::Column::Role, Expr::value(data.role.as_str()))
        .col_expr(parts::Column::Share, Expr::value(data.share))
        .col_expr(parts::Column::Represents, Expr::value(data.represents))
        .filter(parts::Column::Id.eq(id))
        .filter(parts::Column::DealId.eq(deal.id))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    log(
        &txn,
        deal.id,
        DealAction::EditParticipant,
        (Some(deal.status), deal.status),
        Some(actor),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a participant of a draft, with his signatures; representatives
/// who signed for him now represent nobody (the checklist says so).
pub async fn remove_participant(
    db: &DatabaseConnection,
    deal: &DealRecord,
    id: Uuid,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    touch_draft(&txn, deal.id, None, now).await?;
    sigs::Entity::delete_many()
        .filter(sigs::Column::DealId.eq(deal.id))
        .filter(sigs::Column::ParticipantId.eq(id))
        .exec(&txn)
        .await?;
    parts::Entity::update_many()
        .col_expr(parts::Column::Represents, Expr::value(Option::<Uuid>::None))
        .filter(parts::Column::DealId.eq(deal.id))
        .filter(parts::Column::Represents.eq(id))
        .exec(&txn)
        .await?;
    let removed = parts::Entity::delete_many()
        .filter(parts::Column::Id.eq(id))
        .filter(parts::Column::DealId.eq(deal.id))
        .exec(&txn)
        .await?;
    if removed.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    log(
        &txn,
        deal.id,
        DealAction::EditParticipant,
        (Some(deal.status), deal.status),
        Some(actor),
        Some("removed".to_owned()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The deal's documents then statements, each in the order added.
pub async fn documents(
    db: &impl ConnectionTrait,
    deal_id: Uuid,
) -> Result<Vec<DocumentRecord>, StoreError> {
    docs::Entity::find()
        .filter(docs::Column::DealId.eq(deal_id))
        .order_by_asc(docs::Column::Position)
        .order_by_asc(docs::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(document)
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn insert_document<C: ConnectionTrait>(
    conn: &C,
    deal_id: Uuid,
    position: usize,
    kind: DealDocumentKind,
    title: &str,
    file_id: Uuid,
    applicant_id: Option<Uuid>,
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    docs::ActiveModel {
        id: Set(id),
        deal_id: Set(deal_id),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        kind: Set(kind.as_str().to_owned()),
        title: Set(title.to_owned()),
        file_id: Set(file_id),
        applicant_id: Set(applicant_id),
        created_by: Set(created_by),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// Why a document could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddDocumentError {
    /// The deal is no longer a draft.
    #[error("the deal is no longer a draft")]
    Frozen,
    /// The deal's documents would exceed `max` bytes.
    #[error("the deal's documents would exceed their limit")]
    TooLarge,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AddDocumentError {
    fn from(err: sea_orm::DbErr) -> Self {
        AddDocumentError::Store(err.into())
    }
}

/// Adds an uploaded document of `size` bytes to a draft whose documents
/// then stay within `max` bytes (one conditional update, so two uploads at
/// once cannot both pass the limit); its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_document(
    db: &DatabaseConnection,
    deal: &DealRecord,
    title: &str,
    file_id: Uuid,
    size: i64,
    max: i64,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, AddDocumentError> {
    let txn = crate::db::begin(db).await?;
    let grown = deals::Entity::update_many()
        .col_expr(
            deals::Column::DocumentsBytes,
            Expr::col(deals::Column::DocumentsBytes).add(size),
        )
        .col_expr(
            deals::Column::Version,
            Expr::col(deals::Column::Version).add(1),
        )
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::Status.eq(DealStatus::Draft.as_str()))
        .filter(Expr::col(deals::Column::DocumentsBytes).add(size).lte(max))
        .exec(&txn)
        .await?;
    if grown.rows_affected != 1 {
        let current = get(db, deal.id).await?.ok_or(StoreError::NotFound)?;
        return Err(if current.status == DealStatus::Draft {
            AddDocumentError::TooLarge
        } else {
            AddDocumentError::Frozen
        });
    }
    let position = docs::Entity::find()
        .filter(docs::Column::DealId.eq(deal.id))
        .count(&txn)
        .await?;
    let id = insert_document(
        &txn,
        deal.id,
        usize::try_from(position).unwrap_or(usize::MAX),
        DealDocumentKind::Document,
        title,
        file_id,
        None,
        actor,
        now,
    )
    .await?;
    // A retry answers with the deal as it is then.
    crate::idempotency::bind(&txn, deal.id).await?;
    log(
        &txn,
        deal.id,
        DealAction::UploadDocument,
        (Some(deal.status), deal.status),
        Some(actor),
        Some(title.to_owned()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Removes a document of a draft with its signatures, giving its bytes
/// back to the deal's limit.
pub async fn remove_document(
    db: &DatabaseConnection,
    deal: &DealRecord,
    document: &DocumentRecord,
    size: i64,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    touch_draft(&txn, deal.id, None, now).await?;
    let removed = docs::Entity::delete_many()
        .filter(docs::Column::Id.eq(document.id))
        .filter(docs::Column::DealId.eq(deal.id))
        .exec(&txn)
        .await?;
    if removed.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    deals::Entity::update_many()
        .col_expr(
            deals::Column::DocumentsBytes,
            Expr::col(deals::Column::DocumentsBytes).sub(size),
        )
        .filter(deals::Column::Id.eq(deal.id))
        .exec(&txn)
        .await?;
    log(
        &txn,
        deal.id,
        DealAction::RemoveDocument,
        (Some(deal.status), deal.status),
        Some(actor),
        Some(document.title.clone()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The deal's accepted signatures, oldest first.
pub async fn signatures(
    db: &impl ConnectionTrait,
    deal_id: Uuid,
) -> Result<Vec<SignatureRecord>, StoreError> {
    sigs::Entity::find()
        .filter(sigs::Column::DealId.eq(deal_id))
        .order_by_asc(sigs::Column::CreatedAt)
        .order_by_asc(sigs::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(signature)
        .collect()
}

/// A signature to keep.
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub document_id: Uuid,
    pub participant_id: Option<Uuid>,
    pub signer_name: Option<String>,
    pub signature: Vec<u8>,
    pub sha256: String,
    pub report: ValidationReport,
    pub power_of_attorney_id: Option<Uuid>,
}

/// Keeps a signature of a deal seen in `status` at `version` (the deal
/// must not have changed since: its documents, participants and status are
/// what the signature was checked against); the last statement signature
/// moves the deal on (`then`: the status it reaches, in the same
/// transaction). `Duplicate` when the signer signed the document already.
pub async fn add_signature(
    db: &DatabaseConnection,
    deal: &DealRecord,
    new: NewSignature,
    then: Option<DealStatus>,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let mut update = deals::Entity::update_many()
        .col_expr(
            deals::Column::Version,
            Expr::col(deals::Column::Version).add(1),
        )
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::Version.eq(deal.version))
        .filter(deals::Column::Status.eq(deal.status.as_str()));
    if let Some(to) = then {
        update = update.col_expr(deals::Column::Status, Expr::value(to.as_str()));
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        return Err(StoreError::VersionMismatch);
    }
    let report = serde_json::to_string(&new.report).map_err(StoreError::Decode)?;
    sigs::ActiveModel {
        id: Set(Uuid::now_v7()),
        deal_id: Set(deal.id),
        document_id: Set(new.document_id),
        signer: Set(signer_key(new.participant_id)),
        participant_id: Set(new.participant_id),
        signer_name: Set(new.signer_name),
        signature: Set(new.signature),
        sha256: Set(new.sha256),
        report: Set(report),
        power_of_attorney_id: Set(new.power_of_attorney_id),
        added_by: Set(actor),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    log(
        &txn,
        deal.id,
        DealAction::Sign,
        (Some(deal.status), deal.status),
        Some(actor),
        None,
        now,
    )
    .await?;
    if let Some(to) = then {
        log(
            &txn,
            deal.id,
            DealAction::StatementsSigned,
            (Some(deal.status), to),
            None,
            None,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A statement formed for an applicant.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub title: String,
    pub file_id: Uuid,
    pub size: i64,
    pub applicant_id: Uuid,
}

/// Freezes a draft seen at `version`: each participant's person data
/// (`snapshots`: participant id → JSON) is kept with him, the statements
/// are added, and the deal moves to `statements`.
pub async fn form_statements(
    db: &DatabaseConnection,
    deal: &DealRecord,
    snapshots: Vec<(Uuid, String)>,
    statements: Vec<NewStatement>,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let total: i64 = statements.iter().map(|s| s.size).sum();
    let moved = deals::Entity::update_many()
        .col_expr(
            deals::Column::Status,
            Expr::value(DealStatus::Statements.as_str()),
        )
        .col_expr(
            deals::Column::Version,
            Expr::col(deals::Column::Version).add(1),
        )
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            deals::Column::DocumentsBytes,
            Expr::col(deals::Column::DocumentsBytes).add(total),
        )
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::Version.eq(deal.version))
        .filter(deals::Column::Status.eq(DealStatus::Draft.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(StoreError::VersionMismatch);
    }
    for (id, snapshot) in snapshots {
        parts::Entity::update_many()
            .col_expr(parts::Column::Snapshot, Expr::value(snapshot))
            .filter(parts::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    let first = docs::Entity::find()
        .filter(docs::Column::DealId.eq(deal.id))
        .count(&txn)
        .await?;
    for (i, s) in statements.iter().enumerate() {
        insert_document(
            &txn,
            deal.id,
            usize::try_from(first).unwrap_or(0) + i,
            DealDocumentKind::Statement,
            &s.title,
            s.file_id,
            Some(s.applicant_id),
            actor,
            now,
        )
        .await?;
    }
    log(
        &txn,
        deal.id,
        DealAction::FormStatements,
        (Some(DealStatus::Draft), DealStatus::Statements),
        Some(actor),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A page of the deal's history, oldest first.
pub async fn history(
    db: &DatabaseConnection,
    deal_id: Uuid,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<HistoryRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::oldest_first::<history::Entity, _>(
        db,
        Condition::all().add(history::Column::DealId.eq(deal_id)),
        (history::Column::At, history::Column::Id),
        limit,
        after,
    )
    .await?;
    Ok((
        rows.into_iter()
            .map(history_entry)
            .collect::<Result<_, _>>()?,
        more,
    ))
}
