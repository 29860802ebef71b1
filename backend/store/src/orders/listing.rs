//! The lists of orders and the engineers' search of published orders.

use super::{OrderRecord, corrupt, record, work_types_mask, work_types_of};
use crate::entities::orders;
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::{CustomerType, OrderStatus, Registration, WorkType};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

/// Position after which a page starts (serde: the list's cursor carries
/// it, `mezha_app::paging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
/// turned into spaces: they mean nothing in an address, a title, a name or
/// an e-mail search, and without an `ESCAPE` clause the same pattern works
/// on SQLite and lets PostgreSQL use the trigram index on `address_search`.
/// Also the user search's ([`crate::users::list`]).
pub(crate) fn like_pattern(text: &str) -> String {
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
    // What the caller may do depends on these too (the order's facts).
    pub customer_id: Uuid,
    pub suspended_from: Option<OrderStatus>,
    pub registration: Registration,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub act_signed_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
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
            customer_id: o.customer_id,
            suspended_from: o.suspended_from,
            registration: o.registration,
            reviewed_at: o.reviewed_at,
            act_signed_at: o.act_signed_at,
            paid_at: o.paid_at,
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
    customer_id: Uuid,
    suspended_from: Option<String>,
    registration: String,
    reviewed_at: Option<DateTime<Utc>>,
    act_signed_at: Option<DateTime<Utc>>,
    paid_at: Option<DateTime<Utc>>,
}

const SUMMARY_COLUMNS: [orders::Column; 23] = [
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
    orders::Column::CustomerId,
    orders::Column::SuspendedFrom,
    orders::Column::Registration,
    orders::Column::ReviewedAt,
    orders::Column::ActSignedAt,
    orders::Column::PaidAt,
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
        customer_id: r.customer_id,
        suspended_from: r
            .suspended_from
            .map(|s| s.parse())
            .transpose()
            .map_err(|e| corrupt("suspended_from", e))?,
        registration: r
            .registration
            .parse()
            .map_err(|e| corrupt("registration", e))?,
        reviewed_at: r.reviewed_at,
        act_signed_at: r.act_signed_at,
        paid_at: r.paid_at,
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
