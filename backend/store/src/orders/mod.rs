//! Orders, their history and attachments; the search of published orders.
//!
//! Every status change goes through [`transition`] (or the response/offer
//! functions in [`crate::marketplace`]), which updates the order only if it
//! is still in the status the caller saw and writes the history entry in
//! the same transaction.

mod attachments;
mod listing;
pub(crate) use listing::like_pattern;
mod reference;
mod status;
mod write;

pub use attachments::{attachments, owned_files};
pub use listing::{
    Cursor, Scope, SearchFilter, SummaryRecord, list, search, search_condition, search_query,
};
pub use reference::{reference, region_codes};
pub use status::{
    Transition, apply_transition, history, resume_for_executor, suspend_for_executor, transition,
};
pub use write::{create, delete_draft, update};

use crate::entities::{files, order_history, orders};
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::{CustomerType, OrderAction, OrderStatus, Registration, WorkType};
use mezha_domain::orders::fields::{Deadline, OrderFields};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<files::Model> for FileRecord {
    fn from(m: files::Model) -> Self {
        FileRecord {
            id: m.id,
            owner_id: m.owner_id,
            name: m.name,
            content_type: m.content_type,
            size: m.size,
            sha256: m.sha256,
            created_at: m.created_at,
        }
    }
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: Uuid,
    pub number: i64,
    pub customer_id: Uuid,
    pub customer_type: CustomerType,
    pub status: OrderStatus,
    pub suspended_from: Option<OrderStatus>,
    pub title: String,
    pub description: Option<String>,
    pub work_types: Vec<WorkType>,
    pub cadastral_numbers: Vec<String>,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub deadline_date: Option<NaiveDate>,
    pub deadline_days: Option<u32>,
    pub due_date: Option<NaiveDate>,
    pub price: Option<i64>,
    pub prepayment_required: bool,
    pub prepayment_percent: Option<u8>,
    pub registration: Registration,
    pub executor_id: Option<Uuid>,
    pub responses_count: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// When the customer reviewed the engineer (completed orders).
    pub reviewed_at: Option<DateTime<Utc>>,
    /// When an act of completed works was signed by both parties.
    pub act_signed_at: Option<DateTime<Utc>>,
    /// When the final invoice's payment was confirmed.
    pub paid_at: Option<DateTime<Utc>>,
}

impl OrderRecord {
    /// The deadline as the domain sees it.
    pub fn deadline(&self) -> Option<Deadline> {
        match (self.deadline_date, self.deadline_days) {
            (Some(date), _) => Some(Deadline::Date(date)),
            (None, Some(days)) => Some(Deadline::Days(days)),
            (None, None) => None,
        }
    }
}

/// A history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub action: OrderAction,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub actor_id: Option<Uuid>,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The bit of a work type in the `work_types` column.
pub fn work_type_bit(work_type: WorkType) -> i32 {
    let index = WorkType::ALL
        .iter()
        .position(|w| *w == work_type)
        .unwrap_or(0);
    1 << index
}

/// The `work_types` column value of a set of work types.
pub fn work_types_mask(work_types: &[WorkType]) -> i32 {
    work_types.iter().fold(0, |m, w| m | work_type_bit(*w))
}

fn work_types_of(mask: i32) -> Vec<WorkType> {
    WorkType::ALL
        .iter()
        .copied()
        .filter(|w| mask & work_type_bit(*w) != 0)
        .collect()
}

fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {err}"))
}

pub(crate) fn record(m: orders::Model) -> Result<OrderRecord, StoreError> {
    Ok(OrderRecord {
        id: m.id,
        number: m.number,
        customer_id: m.customer_id,
        customer_type: m
            .customer_type
            .parse()
            .map_err(|e| corrupt("customer_type", e))?,
        status: m.status.parse().map_err(|e| corrupt("status", e))?,
        suspended_from: m
            .suspended_from
            .map(|s| s.parse())
            .transpose()
            .map_err(|e| corrupt("suspended_from", e))?,
        title: m.title,
        description: m.description,
        work_types: work_types_of(m.work_types),
        cadastral_numbers: serde_json::from_str(&m.cadastral_numbers)?,
        region_code: m.region_code,
        address: m.address,
        deadline_date: m.deadline_date,
        deadline_days: m.deadline_days.and_then(|d| u32::try_from(d).ok()),
        due_date: m.due_date,
        price: m.price,
        prepayment_required: m.prepayment_required,
        prepayment_percent: m.prepayment_percent.and_then(|p| u8::try_from(p).ok()),
        registration: m
            .registration
            .parse()
            .map_err(|e| corrupt("registration", e))?,
        executor_id: m.executor_id,
        responses_count: i64::from(m.responses_count),
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        published_at: m.published_at,
        reviewed_at: m.reviewed_at,
        act_signed_at: m.act_signed_at,
        paid_at: m.paid_at,
    })
}

/// What is written for a new or edited order.
#[derive(Debug, Clone)]
pub struct OrderWrite {
    pub fields: OrderFields,
    pub customer_type: CustomerType,
    /// Files to attach, in order; they must belong to the customer.
    pub attachment_ids: Vec<Uuid>,
}

async fn insert_history<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
    action: OrderAction,
    (from, to): (Option<OrderStatus>, OrderStatus),
    actor: Option<Uuid>,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    order_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        order_id: Set(order_id),
        action: Set(action.as_str().to_owned()),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_id: Set(actor),
        comment: Set(comment),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The order with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<OrderRecord>, StoreError> {
    orders::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The orders with these ids (in no particular order), one query.
pub async fn find_many(
    db: &DatabaseConnection,
    ids: Vec<Uuid>,
) -> Result<Vec<OrderRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    orders::Entity::find()
        .filter(orders::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

#[cfg(test)]
mod tests;
