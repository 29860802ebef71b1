//! Creating, editing and deleting orders.

use super::attachments::replace_attachments;
use super::{OrderRecord, OrderWrite, find, insert_history, record, work_types_mask};
use crate::entities::orders;
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::{OrderAction, OrderStatus};
use mezha_domain::contracts::DocumentKind;
use mezha_domain::orders::fields::{Deadline, OrderFields};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

fn deadline_columns(deadline: Option<Deadline>) -> (Option<NaiveDate>, Option<i32>) {
    match deadline {
        Some(Deadline::Date(date)) => (Some(date), None),
        Some(Deadline::Days(days)) => (None, i32::try_from(days).ok()),
        None => (None, None),
    }
}

/// Creates a draft with its first history entry; its number is the next of
/// the order-number sequence, taken in the same transaction.
pub async fn create(
    db: &DatabaseConnection,
    customer_id: Uuid,
    write: OrderWrite,
    now: DateTime<Utc>,
) -> Result<OrderRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let number = crate::sequences::next(&txn, crate::sequences::ORDER_NUMBER).await?;
    let f = &write.fields;
    let (deadline_date, deadline_days) = deadline_columns(f.deadline);
    let id = Uuid::now_v7();
    let model = orders::ActiveModel {
        id: Set(id),
        number: Set(number),
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
        reviewed_at: Set(None),
        act_signed_at: Set(None),
        paid_at: Set(None),
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
    crate::idempotency::bind(&txn, id).await?;
    txn.commit().await?;
    record(model)
}

fn cadastral_json(f: &OrderFields) -> Result<String, StoreError> {
    let numbers: Vec<&str> = f.cadastral_numbers.iter().map(|n| n.as_str()).collect();
    Ok(serde_json::to_string(&numbers)?)
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
    if status == OrderStatus::ContractSigning {
        // The unsigned contract versions no longer match the order.
        crate::contracts::void_open(&txn, id, DocumentKind::Contract, now).await?;
    }
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
