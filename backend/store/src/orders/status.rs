//! Status changes of orders and their history.

use super::{HistoryRecord, OrderRecord, corrupt, find, insert_history, record};
use crate::entities::{order_history, orders};
use crate::error::StoreError;
use crate::paging::{self, After};
use chrono::{DateTime, Utc};
use mezha_api_types::orders::{OrderAction, OrderStatus};
use mezha_domain::contracts::DocumentKind;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

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
    // The two closing facts (docs/acts.md): the order completes when both
    // hold, whichever comes last.
    match t.action {
        OrderAction::ActSigned => {
            update = update.col_expr(orders::Column::ActSignedAt, Expr::value(now));
        }
        OrderAction::ConfirmPayment => {
            update = update.col_expr(orders::Column::PaidAt, Expr::value(now));
        }
        _ => {}
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
    if t.from == OrderStatus::ContractSigning && t.to == OrderStatus::Cancelled {
        crate::contracts::void_open(txn, id, DocumentKind::Contract, now).await?;
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

/// Writes the notification events of a transition (docs/notifications.md) inside `txn`.
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

/// A page of an order's history, oldest first (the time, then the id):
/// `limit` entries after `after` and whether more follow.
pub async fn history(
    db: &DatabaseConnection,
    id: Uuid,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<HistoryRecord>, bool), StoreError> {
    let mut query = order_history::Entity::find().filter(order_history::Column::OrderId.eq(id));
    if let Some(after) = after {
        query = query.filter(paging::later(
            order_history::Column::CreatedAt,
            order_history::Column::Id,
            after,
        ));
    }
    let rows = query
        .order_by_asc(order_history::Column::CreatedAt)
        .order_by_asc(order_history::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let (rows, more) = paging::split(rows, limit);
    let rows = rows
        .into_iter()
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
        .collect::<Result<_, StoreError>>()?;
    Ok((rows, more))
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
