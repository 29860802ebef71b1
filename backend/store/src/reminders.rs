//! Reminders of orders (docs/reminders.md): the steps that wait for a
//! party, the orders with a due date, and the record of each reminder sent
//! (`order_reminders`), written with its notification event in one
//! transaction so that restarts and several replicas never send one twice.

use crate::entities::{contracts, invoices, order_reminders, orders};
use crate::error::StoreError;
use crate::orders::{OrderRecord, record};
use chrono::{DateTime, Utc};
use mezha_api_types::contracts::ContractStatus;
use mezha_api_types::invoices::InvoiceStatus;
use mezha_api_types::orders::OrderStatus;
use mezha_domain::contracts::DocumentKind;
use mezha_domain::notifications::{Event, OrderRef, Task};
use mezha_domain::orders::reminders::BEFORE_RESULTS;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A step of an order that waits for one party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub order_id: Uuid,
    /// What waits: a contract or act version, an invoice, the order.
    pub subject_id: Uuid,
    pub task: Task,
    /// Whom it waits for.
    pub recipient: Uuid,
    /// Since when.
    pub since: DateTime<Utc>,
}

/// The orders that are not stopped (suspended, cancelled or completed),
/// by id, of these ids.
async fn live_orders(
    db: &DatabaseConnection,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, orders::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stopped = [
        OrderStatus::Suspended,
        OrderStatus::Cancelled,
        OrderStatus::Completed,
    ];
    Ok(orders::Entity::find()
        .filter(orders::Column::Id.is_in(ids))
        .filter(orders::Column::Status.is_not_in(stopped.map(|s| s.as_str())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// Every step that waits for a party now: a contract or act version for
/// the party whose signature it awaits, a sent invoice for the customer
/// (to pay), a paid one for the executor (to confirm), delivered results
/// for the customer (to accept or reject). Suspended orders wait for
/// nobody.
pub async fn waiting(db: &DatabaseConnection) -> Result<Vec<Waiting>, StoreError> {
    let versions = contracts::Entity::find()
        .filter(contracts::Column::Status.is_in([
            ContractStatus::AwaitingEngineer.as_str(),
            ContractStatus::AwaitingCustomer.as_str(),
        ]))
        .all(db)
        .await?;
    let bills = invoices::Entity::find()
        .filter(
            invoices::Column::Status
                .is_in([InvoiceStatus::Sent.as_str(), InvoiceStatus::Paid.as_str()]),
        )
        .all(db)
        .await?;
    let accepting = orders::Entity::find()
        .filter(orders::Column::Status.eq(OrderStatus::Acceptance.as_str()))
        .all(db)
        .await?;
    let ids = versions
        .iter()
        .map(|v| v.order_id)
        .chain(bills.iter().map(|b| b.order_id))
        .collect();
    let live = live_orders(db, ids).await?;
    let mut out = Vec::new();
    for v in versions {
        let Some(order) = live.get(&v.order_id) else {
            continue;
        };
        let task = match DocumentKind::parse(&v.kind) {
            Some(DocumentKind::Act) => Task::SignAct,
            _ => Task::SignContract,
        };
        let (recipient, since) = if v.status == ContractStatus::AwaitingEngineer.as_str() {
            (order.executor_id, v.created_at)
        } else {
            (Some(order.customer_id), v.updated_at)
        };
        if let Some(recipient) = recipient {
            out.push(Waiting {
                order_id: order.id,
                subject_id: v.id,
                task,
                recipient,
                since,
            });
        }
    }
    for b in bills {
        let Some(order) = live.get(&b.order_id) else {
            continue;
        };
        let (task, recipient, since) = if b.status == InvoiceStatus::Sent.as_str() {
            (Task::PayInvoice, Some(order.customer_id), b.created_at)
        } else {
            (
                Task::ConfirmPayment,
                order.executor_id,
                b.paid_at.unwrap_or(b.created_at),
            )
        };
        if let Some(recipient) = recipient {
            out.push(Waiting {
                order_id: order.id,
                subject_id: b.id,
                task,
                recipient,
                since,
            });
        }
    }
    // In `acceptance` the order changes only by a transition, so its last
    // change is the delivery.
    out.extend(accepting.into_iter().map(|o| Waiting {
        order_id: o.id,
        subject_id: o.id,
        task: Task::AcceptResults,
        recipient: o.customer_id,
        since: o.updated_at,
    }));
    Ok(out)
}

/// The orders whose results are still to be delivered and that have a due
/// date (for the deadline notice and the overdue notice).
pub async fn with_due_date(db: &DatabaseConnection) -> Result<Vec<OrderRecord>, StoreError> {
    orders::Entity::find()
        .filter(orders::Column::Status.is_in(BEFORE_RESULTS.map(|s| s.as_str())))
        .filter(orders::Column::DueDate.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// One reminder: about what, of what, to whom, which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminder<'a> {
    pub order_id: Uuid,
    pub subject_id: Uuid,
    /// What it reminds of (a task's or a notice's name).
    pub what: &'a str,
    pub recipient: Uuid,
    /// The n-th reminder of the same step (0 for a one-time notice).
    pub sequence: i32,
}

/// Records `reminder` with its notification event (made from the order's
/// reference) in one transaction; `false`, writing nothing, when it was
/// recorded before (by this replica or another).
pub async fn remind(
    db: &DatabaseConnection,
    reminder: Reminder<'_>,
    event: impl FnOnce(OrderRef) -> Event,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = crate::db::begin(db).await?;
    let inserted = order_reminders::ActiveModel {
        subject_id: Set(reminder.subject_id),
        what: Set(reminder.what.to_owned()),
        recipient_id: Set(reminder.recipient),
        sequence: Set(reminder.sequence),
        order_id: Set(reminder.order_id),
        sent_at: Set(now),
    }
    .insert(&txn)
    .await;
    if let Err(e) = inserted {
        return match StoreError::from(e) {
            StoreError::Duplicate(_) => Ok(false),
            other => Err(other),
        };
    }
    let (order, _) = crate::notifications::order_ref(&txn, reminder.order_id).await?;
    crate::notifications::emit(&txn, reminder.recipient, &event(order), now).await?;
    txn.commit().await?;
    Ok(true)
}
