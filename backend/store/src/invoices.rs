//! Invoices of orders (docs/payments.md). Each change is written only if
//! the invoice is still in the status the caller read; the confirmation
//! writes the order's transition in the same transaction, and each step
//! tells the other party.

use crate::entities::invoices;
use crate::error::StoreError;
use crate::notifications::corrupt;
use crate::orders::{Transition, apply_transition};
use crate::paging::{self, After};
use chrono::{DateTime, Utc};
use mezha_api_types::invoices::{InvoiceKind, InvoiceStatus};
use mezha_domain::notifications::Event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// An invoice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub amount_kopecks: i64,
    pub link: Option<String>,
    pub file_id: Option<Uuid>,
    pub receipt_link: Option<String>,
    pub receipt_file_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

fn record(m: invoices::Model) -> Result<InvoiceRecord, StoreError> {
    Ok(InvoiceRecord {
        id: m.id,
        order_id: m.order_id,
        kind: m.kind.parse().map_err(|e| corrupt("invoice kind", e))?,
        status: m.status.parse().map_err(|e| corrupt("invoice status", e))?,
        amount_kopecks: m.amount_kopecks,
        link: m.link,
        file_id: m.file_id,
        receipt_link: m.receipt_link,
        receipt_file_id: m.receipt_file_id,
        created_at: m.created_at,
        paid_at: m.paid_at,
        confirmed_at: m.confirmed_at,
    })
}

/// Tells the order's customer (`to_customer`) or executor about it.
async fn tell<C: ConnectionTrait>(
    txn: &C,
    order_id: Uuid,
    to_customer: bool,
    event: impl FnOnce(mezha_domain::notifications::OrderRef) -> Event,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (order, row) = crate::notifications::order_ref(txn, order_id).await?;
    let recipient = if to_customer {
        Some(row.customer_id)
    } else {
        row.executor_id
    };
    if let Some(recipient) = recipient {
        crate::notifications::emit(txn, recipient, &event(order), now).await?;
    }
    Ok(())
}

/// Stores a sent invoice and tells the customer. [`StoreError::Duplicate`]
/// when the order has an invoice of this kind already.
pub async fn insert(db: &DatabaseConnection, invoice: &InvoiceRecord) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    invoices::ActiveModel {
        id: Set(invoice.id),
        order_id: Set(invoice.order_id),
        kind: Set(invoice.kind.as_str().to_owned()),
        status: Set(invoice.status.as_str().to_owned()),
        amount_kopecks: Set(invoice.amount_kopecks),
        link: Set(invoice.link.clone()),
        file_id: Set(invoice.file_id),
        receipt_link: Set(None),
        receipt_file_id: Set(None),
        created_at: Set(invoice.created_at),
        paid_at: Set(None),
        confirmed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, invoice.id).await?;
    let amount = Some(invoice.amount_kopecks / 100);
    tell(
        &txn,
        invoice.order_id,
        true,
        |order| Event::InvoiceSent { order, amount },
        invoice.created_at,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The invoice with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<InvoiceRecord>, StoreError> {
    invoices::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// A page of an order's invoices, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    order_id: Uuid,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<InvoiceRecord>, bool), StoreError> {
    use invoices::Column as C;
    let (rows, more) = paging::oldest_first::<invoices::Entity, _>(
        db,
        sea_orm::Condition::all().add(C::OrderId.eq(order_id)),
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

/// Every invoice of these orders.
pub async fn of_orders(
    db: &DatabaseConnection,
    order_ids: Vec<Uuid>,
) -> Result<Vec<InvoiceRecord>, StoreError> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    invoices::Entity::find()
        .filter(invoices::Column::OrderId.is_in(order_ids))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The customer marks a sent invoice paid with his receipt (a link or a
/// file); the engineer is told.
pub async fn mark_paid(
    db: &DatabaseConnection,
    invoice: &InvoiceRecord,
    receipt: (Option<String>, Option<Uuid>),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let done = invoices::Entity::update_many()
        .col_expr(
            invoices::Column::Status,
            Expr::value(InvoiceStatus::Paid.as_str()),
        )
        .col_expr(invoices::Column::ReceiptLink, Expr::value(receipt.0))
        .col_expr(invoices::Column::ReceiptFileId, Expr::value(receipt.1))
        .col_expr(invoices::Column::PaidAt, Expr::value(now))
        .filter(invoices::Column::Id.eq(invoice.id))
        .filter(invoices::Column::Status.eq(InvoiceStatus::Sent.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    tell(
        &txn,
        invoice.order_id,
        false,
        |order| Event::PaymentMarked { order },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The engineer confirms a paid invoice; the order's transition
/// (`confirm_prepayment` or `confirm_payment`) in the same transaction.
pub async fn confirm(
    db: &DatabaseConnection,
    invoice: &InvoiceRecord,
    transition: &Transition,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let done = invoices::Entity::update_many()
        .col_expr(
            invoices::Column::Status,
            Expr::value(InvoiceStatus::Confirmed.as_str()),
        )
        .col_expr(invoices::Column::ConfirmedAt, Expr::value(now))
        .filter(invoices::Column::Id.eq(invoice.id))
        .filter(invoices::Column::Status.eq(InvoiceStatus::Paid.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    apply_transition(&txn, invoice.order_id, transition, now).await?;
    txn.commit().await?;
    Ok(())
}
