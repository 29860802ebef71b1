//! Orders, their history and attachments; the search of published orders.
//!
//! Every status change goes through [`transition`] (or the response/offer
//! functions in [`crate::marketplace`]), which updates the order only if it
//! is still in the status the caller saw and writes the history entry in
//! the same transaction.

use crate::entities::{files, order_attachments, order_history, orders};
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::{CustomerType, OrderAction, OrderStatus, Registration, WorkType};
use mezha_domain::orders::fields::{Deadline, OrderFields};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select,
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

fn record(m: orders::Model) -> Result<OrderRecord, StoreError> {
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

fn deadline_columns(deadline: Option<Deadline>) -> (Option<NaiveDate>, Option<i32>) {
    match deadline {
        Some(Deadline::Date(date)) => (Some(date), None),
        Some(Deadline::Days(days)) => (None, i32::try_from(days).ok()),
        None => (None, None),
    }
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

/// Files among `ids` owned by `owner`; the rest are missing or foreign.
pub async fn owned_files<C: ConnectionTrait>(
    db: &C,
    owner: Uuid,
    ids: &[Uuid],
) -> Result<Vec<FileRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = files::Entity::find()
        .filter(files::Column::Id.is_in(ids.iter().copied()))
        .filter(files::Column::OwnerId.eq(owner))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(FileRecord::from).collect())
}

async fn replace_attachments<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
    ids: &[Uuid],
) -> Result<(), StoreError> {
    order_attachments::Entity::delete_many()
        .filter(order_attachments::Column::OrderId.eq(order_id))
        .exec(db)
        .await?;
    for (position, file_id) in ids.iter().enumerate() {
        order_attachments::ActiveModel {
            order_id: Set(order_id),
            file_id: Set(*file_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Files attached to an order, in order.
pub async fn attachments(
    db: &DatabaseConnection,
    order_id: Uuid,
) -> Result<Vec<FileRecord>, StoreError> {
    let links = order_attachments::Entity::find()
        .filter(order_attachments::Column::OrderId.eq(order_id))
        .order_by_asc(order_attachments::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.iter().map(|l| l.file_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<FileRecord> = files::Entity::find()
        .filter(files::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(FileRecord::from)
        .collect();
    rows.sort_by_key(|f| ids.iter().position(|id| *id == f.id));
    Ok(rows)
}

/// Creates a draft with its first history entry. Order numbers increase by
/// one; a concurrent creation that took the same number is retried.
pub async fn create(
    db: &DatabaseConnection,
    customer_id: Uuid,
    write: OrderWrite,
    now: DateTime<Utc>,
) -> Result<OrderRecord, StoreError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_create(db, customer_id, &write, now).await {
            Err(StoreError::Duplicate(_)) if attempt < 8 => continue,
            other => return other,
        }
    }
}

async fn try_create(
    db: &DatabaseConnection,
    customer_id: Uuid,
    write: &OrderWrite,
    now: DateTime<Utc>,
) -> Result<OrderRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let last: Option<i64> = orders::Entity::find()
        .select_only()
        .column_as(orders::Column::Number.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(&txn)
        .await?
        .flatten();
    let f = &write.fields;
    let (deadline_date, deadline_days) = deadline_columns(f.deadline);
    let id = Uuid::now_v7();
    let model = orders::ActiveModel {
        id: Set(id),
        number: Set(last.unwrap_or(1000) + 1),
        customer_id: Set(customer_id),
        customer_type: Set(write.customer_type.as_str().to_owned()),
        status: Set(OrderStatus::Draft.as_str().to_owned()),
        suspended_from: Set(None),
        title: Set(f.title.clone()),
        description: Set(f.description.clone()),
        work_types: Set(work_types_mask(&f.work_types)),
        cadastral_numbers: Set(cadastral_json(f)?),
        region_code: Set(f.region_code.clone()),
        address: Set(f.address.clone()),
        address_search: Set(f.address.as_deref().map(str::to_lowercase)),
        deadline_date: Set(deadline_date),
        deadline_days: Set(deadline_days),
        due_date: Set(None),
        price: Set(f.price),
        prepayment_required: Set(f.prepayment_required),
        prepayment_percent: Set(f.prepayment_percent.map(i16::from)),
        registration: Set(f.registration.as_str().to_owned()),
        executor_id: Set(None),
        responses_count: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
    }
    .insert(&txn)
    .await?;
    replace_attachments(&txn, id, &write.attachment_ids).await?;
    insert_history(
        &txn,
        id,
        OrderAction::Create,
        (None, OrderStatus::Draft),
        Some(customer_id),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    record(model)
}

fn cadastral_json(f: &OrderFields) -> Result<String, StoreError> {
    let numbers: Vec<&str> = f.cadastral_numbers.iter().map(|n| n.as_str()).collect();
    Ok(serde_json::to_string(&numbers)?)
}

/// The order with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<OrderRecord>, StoreError> {
    orders::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Replaces an order's fields when its version is `expected_version` (any
/// version when `None`) and its status is still `status`; bumps the version
/// and records the edit.
pub async fn update(
    db: &DatabaseConnection,
    id: Uuid,
    status: OrderStatus,
    expected_version: Option<i64>,
    write: OrderWrite,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<OrderRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let f = &write.fields;
    let (deadline_date, deadline_days) = deadline_columns(f.deadline);
    let mut update = orders::Entity::update_many()
        .col_expr(orders::Column::Title, Expr::value(f.title.clone()))
        .col_expr(
            orders::Column::Description,
            Expr::value(f.description.clone()),
        )
        .col_expr(
            orders::Column::WorkTypes,
            Expr::value(work_types_mask(&f.work_types)),
        )
        .col_expr(
            orders::Column::CadastralNumbers,
            Expr::value(cadastral_json(f)?),
        )
        .col_expr(
            orders::Column::RegionCode,
            Expr::value(f.region_code.clone()),
        )
        .col_expr(orders::Column::Address, Expr::value(f.address.clone()))
        .col_expr(
            orders::Column::AddressSearch,
            Expr::value(f.address.as_deref().map(str::to_lowercase)),
        )
        .col_expr(orders::Column::DeadlineDate, Expr::value(deadline_date))
        .col_expr(orders::Column::DeadlineDays, Expr::value(deadline_days))
        .col_expr(orders::Column::Price, Expr::value(f.price))
        .col_expr(
            orders::Column::PrepaymentRequired,
            Expr::value(f.prepayment_required),
        )
        .col_expr(
            orders::Column::PrepaymentPercent,
            Expr::value(f.prepayment_percent.map(i16::from)),
        )
        .col_expr(
            orders::Column::Registration,
            Expr::value(f.registration.as_str()),
        )
        .col_expr(
            orders::Column::CustomerType,
            Expr::value(write.customer_type.as_str()),
        )
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .filter(orders::Column::Id.eq(id))
        .filter(orders::Column::Status.eq(status.as_str()));
    if status == OrderStatus::ExecutorSelection {
        // The urgency sort keeps following the deadline.
        let published = orders::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .and_then(|m| m.published_at)
            .unwrap_or(now);
        let due = mezha_domain::orders::fields::due_date(f.deadline, published.date_naive());
        update = update.col_expr(orders::Column::DueDate, Expr::value(due));
    }
    if let Some(version) = expected_version {
        update = update.filter(orders::Column::Version.eq(version));
    }
    let result = update.exec(&txn).await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    replace_attachments(&txn, id, &write.attachment_ids).await?;
    insert_history(
        &txn,
        id,
        OrderAction::Edit,
        (Some(status), status),
        Some(actor),
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// Deletes a draft (with its history and attachment links).
pub async fn delete_draft(db: &DatabaseConnection, id: Uuid) -> Result<(), StoreError> {
    let result = orders::Entity::delete_many()
        .filter(orders::Column::Id.eq(id))
        .filter(orders::Column::Status.eq(OrderStatus::Draft.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

/// A status change to write.
#[derive(Debug, Clone)]
pub struct Transition {
    pub action: OrderAction,
    /// The status the caller saw; the change applies only if it still is.
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub actor: Option<Uuid>,
    pub comment: Option<String>,
    /// Set the executor.
    pub executor_id: Option<Uuid>,
    /// Set `suspended_from` (on suspension) or clear it (on resumption).
    pub suspended_from: Option<Option<OrderStatus>>,
}

impl Transition {
    /// A plain change of status.
    pub fn new(
        action: OrderAction,
        from: OrderStatus,
        to: OrderStatus,
        actor: Option<Uuid>,
    ) -> Self {
        Transition {
            action,
            from,
            to,
            actor,
            comment: None,
            executor_id: None,
            suspended_from: None,
        }
    }
}

/// Applies a status change inside `txn`: the order must still be in
/// `t.from` (else [`StoreError::VersionMismatch`]); publication sets
/// `published_at` and the due date. Writes the history entry.
pub async fn apply_transition<C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    t: &Transition,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::value(t.to.as_str()))
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .filter(orders::Column::Id.eq(id))
        .filter(orders::Column::Status.eq(t.from.as_str()));
    if t.action == OrderAction::Publish {
        let current = orders::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = record(current)?;
        let due = mezha_domain::orders::fields::due_date(current.deadline(), now.date_naive());
        update = update
            .col_expr(orders::Column::PublishedAt, Expr::value(now))
            .col_expr(orders::Column::DueDate, Expr::value(due));
    }
    if let Some(executor) = t.executor_id {
        update = update.col_expr(orders::Column::ExecutorId, Expr::value(executor));
    }
    if let Some(from) = t.suspended_from {
        update = update.col_expr(
            orders::Column::SuspendedFrom,
            Expr::value(from.map(|s| s.as_str())),
        );
    }
    if update.exec(txn).await?.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    insert_history(
        txn,
        id,
        t.action,
        (Some(t.from), t.to),
        t.actor,
        t.comment.clone(),
        now,
    )
    .await?;
    emit_transition_events(txn, id, t, now).await
}

/// Writes the notification events of a transition (SPEC §8) inside `txn`.
async fn emit_transition_events<C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    t: &Transition,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use mezha_domain::notifications::{Parties, order_transition_events};
    let (order, row) = crate::notifications::order_ref(txn, id).await?;
    // An engineer declining an offer is not the executor but is named.
    let named = match t.action {
        OrderAction::DeclineOffer => t.actor,
        _ => row.executor_id,
    };
    let executor_name = match named {
        Some(executor) => crate::notifications::user_name(txn, executor).await?,
        None => None,
    };
    let parties = Parties {
        customer: row.customer_id,
        executor: row.executor_id,
        executor_name,
        actor: t.actor,
    };
    let list = order_transition_events(
        t.action,
        t.from,
        t.to,
        &order,
        &parties,
        t.comment.as_deref(),
    );
    crate::notifications::emit_all(txn, list, now).await
}

/// Applies a status change in its own transaction and returns the order.
pub async fn transition(
    db: &DatabaseConnection,
    id: Uuid,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<OrderRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    apply_transition(&txn, id, &t, now).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// An order's history, oldest first.
pub async fn history(db: &DatabaseConnection, id: Uuid) -> Result<Vec<HistoryRecord>, StoreError> {
    let rows = order_history::Entity::find()
        .filter(order_history::Column::OrderId.eq(id))
        .order_by_asc(order_history::Column::CreatedAt)
        .order_by_asc(order_history::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|m| {
            Ok(HistoryRecord {
                id: m.id,
                order_id: m.order_id,
                action: m.action.parse().map_err(|e| corrupt("action", e))?,
                from_status: m
                    .from_status
                    .map(|s| s.parse())
                    .transpose()
                    .map_err(|e| corrupt("from_status", e))?,
                to_status: m.to_status.parse().map_err(|e| corrupt("to_status", e))?,
                actor_id: m.actor_id,
                comment: m.comment,
                created_at: m.created_at,
            })
        })
        .collect()
}

/// Suspends every order of `engineer_id` in an assigned status (he lost
/// active SRO status); returns how many.
pub async fn suspend_for_executor(
    db: &DatabaseConnection,
    engineer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let assigned: Vec<&str> = mezha_domain::orders::machine::ASSIGNED
        .iter()
        .map(|s| s.as_str())
        .collect();
    let rows = orders::Entity::find()
        .filter(orders::Column::ExecutorId.eq(engineer_id))
        .filter(orders::Column::Status.is_in(assigned))
        .all(db)
        .await?;
    let mut count = 0;
    for row in rows {
        let from: OrderStatus = row.status.parse().map_err(|e| corrupt("status", e))?;
        let mut t = Transition::new(OrderAction::Suspend, from, OrderStatus::Suspended, None);
        t.suspended_from = Some(Some(from));
        t.comment = Some("The executor lost active SRO status.".into());
        match transition(db, row.id, t, now).await {
            Ok(_) => count += 1,
            Err(StoreError::VersionMismatch) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(count)
}

/// Resumes every suspended order of `engineer_id` to its status before the
/// suspension; returns how many.
pub async fn resume_for_executor(
    db: &DatabaseConnection,
    engineer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let rows = orders::Entity::find()
        .filter(orders::Column::ExecutorId.eq(engineer_id))
        .filter(orders::Column::Status.eq(OrderStatus::Suspended.as_str()))
        .all(db)
        .await?;
    let mut count = 0;
    for row in rows {
        let Some(to) = row
            .suspended_from
            .as_deref()
            .and_then(|s| s.parse::<OrderStatus>().ok())
        else {
            continue;
        };
        let mut t = Transition::new(OrderAction::Resume, OrderStatus::Suspended, to, None);
        t.suspended_from = Some(None);
        t.comment = Some("The executor's SRO status is active again.".into());
        match transition(db, row.id, t, now).await {
            Ok(_) => count += 1,
            Err(StoreError::VersionMismatch) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(count)
}

/// Position after which a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// Newest first: the last row's publication time and id.
    Published(DateTime<Utc>, Uuid),
    /// Most urgent first: the last row's due date and id.
    Due(NaiveDate, Uuid),
    /// Most recently changed first: the last row's change time and id.
    Updated(DateTime<Utc>, Uuid),
}

/// Filters of the engineers' search.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub region_code: Option<String>,
    /// Lower-case text the address contains.
    pub address: Option<String>,
    pub number: Option<i64>,
    pub due_until: Option<NaiveDate>,
    pub deadline_days_max: Option<u32>,
    pub without_responses: bool,
    pub with_prepayment: bool,
    pub with_price: bool,
    /// Empty: any.
    pub customer_types: Vec<CustomerType>,
    /// Empty: any; else orders having any of them.
    pub work_types: Vec<WorkType>,
    /// `true`: urgency; `false`: newest.
    pub by_urgency: bool,
}

/// `%text%`, with the characters LIKE treats specially (`%`, `_`, `\`)
/// turned into spaces: they mean nothing in an address or a title, and
/// without an `ESCAPE` clause the same pattern works on SQLite and lets
/// PostgreSQL use the trigram index on `address_search`.
fn like_pattern(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("%{plain}%")
}

fn address_like(text: &str) -> Expr {
    Expr::col(orders::Column::AddressSearch).like(like_pattern(text))
}

/// The search condition (shared with the benchmark's raw SQL).
pub fn search_condition(filter: &SearchFilter) -> Condition {
    let mut cond =
        Condition::all().add(orders::Column::Status.eq(OrderStatus::ExecutorSelection.as_str()));
    if let Some(region) = &filter.region_code {
        cond = cond.add(orders::Column::RegionCode.eq(region.as_str()));
    }
    if let Some(text) = &filter.address {
        cond = cond.add(address_like(text));
    }
    if let Some(number) = filter.number {
        cond = cond.add(orders::Column::Number.eq(number));
    }
    if let Some(until) = filter.due_until {
        cond = cond.add(orders::Column::DueDate.lte(until));
    }
    if let Some(days) = filter.deadline_days_max {
        cond = cond.add(orders::Column::DeadlineDays.lte(i64::from(days)));
    }
    if filter.without_responses {
        cond = cond.add(orders::Column::ResponsesCount.eq(0));
    }
    if filter.with_prepayment {
        cond = cond.add(orders::Column::PrepaymentRequired.eq(true));
    }
    if filter.with_price {
        cond = cond.add(orders::Column::Price.is_not_null());
    }
    if !filter.customer_types.is_empty() {
        cond = cond.add(
            orders::Column::CustomerType.is_in(filter.customer_types.iter().map(|c| c.as_str())),
        );
    }
    if !filter.work_types.is_empty() {
        cond = cond.add(
            Expr::col(orders::Column::WorkTypes)
                .bit_and(work_types_mask(&filter.work_types))
                .ne(0),
        );
    }
    cond
}

fn page(rows: Vec<orders::Model>, limit: u64) -> Result<(Vec<OrderRecord>, bool), StoreError> {
    let more = rows.len() as u64 > limit;
    let records = rows
        .into_iter()
        .take(limit as usize)
        .map(record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((records, more))
}

/// A row of an order list: what a summary shows (and the sort keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRecord {
    pub id: Uuid,
    pub number: i64,
    pub status: OrderStatus,
    pub title: String,
    pub work_types: Vec<WorkType>,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub customer_type: CustomerType,
    pub deadline_date: Option<NaiveDate>,
    pub deadline_days: Option<u32>,
    pub due_date: Option<NaiveDate>,
    pub price: Option<i64>,
    pub prepayment_required: bool,
    pub responses_count: i64,
    pub executor_id: Option<Uuid>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<OrderRecord> for SummaryRecord {
    fn from(o: OrderRecord) -> SummaryRecord {
        SummaryRecord {
            id: o.id,
            number: o.number,
            status: o.status,
            title: o.title,
            work_types: o.work_types,
            region_code: o.region_code,
            address: o.address,
            customer_type: o.customer_type,
            deadline_date: o.deadline_date,
            deadline_days: o.deadline_days,
            due_date: o.due_date,
            price: o.price,
            prepayment_required: o.prepayment_required,
            responses_count: o.responses_count,
            executor_id: o.executor_id,
            published_at: o.published_at,
            updated_at: o.updated_at,
        }
    }
}

/// The columns of a [`SummaryRecord`], as selected.
#[derive(Debug, FromQueryResult)]
struct SummaryRow {
    id: Uuid,
    number: i64,
    status: String,
    title: String,
    work_types: i32,
    region_code: Option<String>,
    address: Option<String>,
    customer_type: String,
    deadline_date: Option<NaiveDate>,
    deadline_days: Option<i32>,
    due_date: Option<NaiveDate>,
    price: Option<i64>,
    prepayment_required: bool,
    responses_count: i32,
    executor_id: Option<Uuid>,
    published_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

const SUMMARY_COLUMNS: [orders::Column; 17] = [
    orders::Column::Id,
    orders::Column::Number,
    orders::Column::Status,
    orders::Column::Title,
    orders::Column::WorkTypes,
    orders::Column::RegionCode,
    orders::Column::Address,
    orders::Column::CustomerType,
    orders::Column::DeadlineDate,
    orders::Column::DeadlineDays,
    orders::Column::DueDate,
    orders::Column::Price,
    orders::Column::PrepaymentRequired,
    orders::Column::ResponsesCount,
    orders::Column::ExecutorId,
    orders::Column::PublishedAt,
    orders::Column::UpdatedAt,
];

fn summary_record(r: SummaryRow) -> Result<SummaryRecord, StoreError> {
    Ok(SummaryRecord {
        id: r.id,
        number: r.number,
        status: r.status.parse().map_err(|e| corrupt("status", e))?,
        title: r.title,
        work_types: work_types_of(r.work_types),
        region_code: r.region_code,
        address: r.address,
        customer_type: r
            .customer_type
            .parse()
            .map_err(|e| corrupt("customer_type", e))?,
        deadline_date: r.deadline_date,
        deadline_days: r.deadline_days.and_then(|d| u32::try_from(d).ok()),
        due_date: r.due_date,
        price: r.price,
        prepayment_required: r.prepayment_required,
        responses_count: i64::from(r.responses_count),
        executor_id: r.executor_id,
        published_at: r.published_at,
        updated_at: r.updated_at,
    })
}

/// The query [`search`] runs: the summary's columns of the orders matching
/// `filter` after `cursor`, in the filter's order, `limit` rows. Public so
/// that `mezha bench` runs exactly this SQL against the database.
pub fn search_query(
    filter: &SearchFilter,
    limit: u64,
    cursor: Option<Cursor>,
) -> Select<orders::Entity> {
    let mut query = orders::Entity::find()
        .select_only()
        .columns(SUMMARY_COLUMNS)
        .filter(search_condition(filter));
    if filter.by_urgency {
        if let Some(Cursor::Due(due, id)) = cursor {
            query = query.filter(
                Expr::tuple([
                    Expr::col(orders::Column::DueDate),
                    Expr::col(orders::Column::Id),
                ])
                .gt(Expr::tuple([Expr::value(due), Expr::value(id)])),
            );
        }
        query = query
            .order_by_asc(orders::Column::DueDate)
            .order_by_asc(orders::Column::Id);
    } else {
        if let Some(Cursor::Published(at, id)) = cursor {
            query = query.filter(
                Expr::tuple([
                    Expr::col(orders::Column::PublishedAt),
                    Expr::col(orders::Column::Id),
                ])
                .lt(Expr::tuple([Expr::value(at), Expr::value(id)])),
            );
        }
        query = query
            .order_by_desc(orders::Column::PublishedAt)
            .order_by_desc(orders::Column::Id);
    }
    query.limit(limit)
}

/// Published orders matching `filter`, `limit` at a time after `cursor`;
/// returns the page and whether more follow.
pub async fn search(
    db: &DatabaseConnection,
    filter: &SearchFilter,
    limit: u64,
    cursor: Option<Cursor>,
) -> Result<(Vec<SummaryRecord>, bool), StoreError> {
    let rows = search_query(filter, limit + 1, cursor)
        .into_model::<SummaryRow>()
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    let records = rows
        .into_iter()
        .take(limit as usize)
        .map(summary_record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((records, more))
}

/// Whose orders a list shows.
#[derive(Debug, Clone)]
pub enum Scope {
    /// A customer's own.
    Customer(Uuid),
    /// Orders these engineers execute or have responded to / been offered.
    Engineers(Vec<Uuid>),
    /// Every order but drafts (moderators).
    All,
}

/// Orders in `scope`, most recently changed first.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    status: Option<OrderStatus>,
    text: Option<&str>,
    limit: u64,
    cursor: Option<Cursor>,
) -> Result<(Vec<OrderRecord>, bool), StoreError> {
    use crate::entities::{order_offers, order_responses};
    use sea_orm::sea_query::Query;
    let mut query = orders::Entity::find();
    match scope {
        Scope::Customer(id) => query = query.filter(orders::Column::CustomerId.eq(*id)),
        Scope::Engineers(ids) => {
            let responded = Query::select()
                .column(order_responses::Column::OrderId)
                .from(order_responses::Entity)
                .and_where(order_responses::Column::EngineerId.is_in(ids.clone()))
                .to_owned();
            let offered = Query::select()
                .column(order_offers::Column::OrderId)
                .from(order_offers::Entity)
                .and_where(order_offers::Column::EngineerId.is_in(ids.clone()))
                .to_owned();
            query = query.filter(
                Condition::any()
                    .add(orders::Column::ExecutorId.is_in(ids.clone()))
                    .add(orders::Column::Id.in_subquery(responded))
                    .add(orders::Column::Id.in_subquery(offered)),
            );
        }
        // Drafts are their customer's alone, moderators included.
        Scope::All => query = query.filter(orders::Column::Status.ne(OrderStatus::Draft.as_str())),
    }
    if let Some(status) = status {
        query = query.filter(orders::Column::Status.eq(status.as_str()));
    }
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        let lower = text.to_lowercase();
        let mut any = Condition::any()
            .add(address_like(&lower))
            .add(Expr::col(orders::Column::Title).like(like_pattern(text)));
        if let Ok(number) = text.trim_start_matches('№').trim().parse::<i64>() {
            any = any.add(orders::Column::Number.eq(number));
        }
        query = query.filter(any);
    }
    if let Some(Cursor::Updated(at, id)) = cursor {
        query = query.filter(
            Expr::tuple([
                Expr::col(orders::Column::UpdatedAt),
                Expr::col(orders::Column::Id),
            ])
            .lt(Expr::tuple([Expr::value(at), Expr::value(id)])),
        );
    }
    let rows = query
        .order_by_desc(orders::Column::UpdatedAt)
        .order_by_desc(orders::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    page(rows, limit)
}

/// Every region code.
pub async fn region_codes(db: &DatabaseConnection) -> Result<Vec<String>, StoreError> {
    use crate::entities::regions;
    Ok(regions::Entity::find()
        .order_by_asc(regions::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect())
}

/// Regions and work types: `(code, name_ru, name_en)`.
pub async fn reference(
    db: &DatabaseConnection,
) -> Result<(Vec<(String, String, String)>, Vec<(String, String, String)>), StoreError> {
    use crate::entities::{regions, work_types};
    let regions = regions::Entity::find()
        .order_by_asc(regions::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name_ru, r.name_en))
        .collect();
    let work_types = work_types::Entity::find()
        .order_by_asc(work_types::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.code, w.name_ru, w.name_en))
        .collect();
    Ok((regions, work_types))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_type_masks_round_trip() {
        let set = vec![WorkType::LandPlotRedistribution, WorkType::MapPlan];
        let mask = work_types_mask(&set);
        assert_eq!(mask, 1 | (1 << 7));
        assert_eq!(work_types_of(mask), set);
        assert_eq!(work_types_of(work_types_mask(WorkType::ALL)), WorkType::ALL);
    }

    #[test]
    fn like_patterns_carry_no_wildcards_of_the_user() {
        assert_eq!(like_pattern("ул. 5%_\\"), "%ул. 5   %");
        assert_eq!(like_pattern("серова"), "%серова%");
    }
}
