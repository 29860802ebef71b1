//! Responses and offers: how an order finds its executor. Choosing one
//! (selecting a response, accepting an offer) moves the order to
//! `contract_signing`, assigns the executor and closes every other
//! response and offer — all in one transaction with the history entry.

use crate::entities::{order_offers, order_responses, orders};
use crate::error::StoreError;
use crate::notifications;
use crate::orders::{Transition, apply_transition};
use crate::paging::{self, After};
use chrono::{DateTime, Utc};
use mezha_api_types::orders::{OfferStatus, OrderAction, OrderStatus, ResponseStatus};
use mezha_domain::notifications::{Event, OrderRef};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

/// A response as stored, with the engineer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub engineer_id: Uuid,
    pub engineer_name: Option<String>,
    pub price: i64,
    pub deadline_days: u32,
    pub message: String,
    pub status: ResponseStatus,
    pub created_at: DateTime<Utc>,
}

/// An offer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub engineer_id: Uuid,
    pub message: Option<String>,
    pub status: OfferStatus,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

fn corrupt(err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(err.to_string())
}

async fn responses_of<C: ConnectionTrait>(
    db: &C,
    rows: Vec<order_responses::Model>,
) -> Result<Vec<ResponseRecord>, StoreError> {
    let names = crate::users::names(db, rows.iter().map(|r| r.engineer_id).collect()).await?;
    rows.into_iter()
        .map(|r| {
            Ok(ResponseRecord {
                id: r.id,
                order_id: r.order_id,
                engineer_id: r.engineer_id,
                engineer_name: names.get(&r.engineer_id).cloned().flatten(),
                price: r.price,
                deadline_days: u32::try_from(r.deadline_days).unwrap_or(0),
                message: r.message,
                status: r.status.parse().map_err(corrupt)?,
                created_at: r.created_at,
            })
        })
        .collect()
}

fn offer(m: order_offers::Model) -> Result<OfferRecord, StoreError> {
    Ok(OfferRecord {
        id: m.id,
        order_id: m.order_id,
        engineer_id: m.engineer_id,
        message: m.message,
        status: m.status.parse().map_err(corrupt)?,
        created_at: m.created_at,
        decided_at: m.decided_at,
    })
}

async fn bump_responses<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
    by: i32,
) -> Result<(), StoreError> {
    orders::Entity::update_many()
        .col_expr(
            orders::Column::ResponsesCount,
            Expr::col(orders::Column::ResponsesCount).add(by),
        )
        .filter(orders::Column::Id.eq(order_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a response. The order must still be in `executor_selection`
/// (else [`StoreError::VersionMismatch`]); a second active response of the
/// same engineer is [`StoreError::Duplicate`].
pub async fn respond(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Uuid,
    price: i64,
    deadline_days: u32,
    message: String,
    now: DateTime<Utc>,
) -> Result<ResponseRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let Some(open) = orders::Entity::find_by_id(order_id)
        .filter(orders::Column::Status.eq(OrderStatus::ExecutorSelection.as_str()))
        .one(&txn)
        .await?
    else {
        return Err(StoreError::VersionMismatch);
    };
    let model = order_responses::ActiveModel {
        id: Set(Uuid::now_v7()),
        order_id: Set(order_id),
        engineer_id: Set(engineer_id),
        price: Set(price),
        deadline_days: Set(i32::try_from(deadline_days).unwrap_or(i32::MAX)),
        message: Set(message),
        status: Set(ResponseStatus::Active.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    bump_responses(&txn, order_id, 1).await?;
    let record = responses_of(&txn, vec![model])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let event = Event::ResponseReceived {
        order: OrderRef {
            id: open.id,
            number: open.number,
            title: open.title.clone(),
        },
        response_id: record.id,
        engineer_name: record.engineer_name.clone(),
        price: record.price,
        deadline_days: record.deadline_days,
    };
    notifications::emit(&txn, open.customer_id, &event, now).await?;
    crate::idempotency::bind(&txn, record.id).await?;
    txn.commit().await?;
    Ok(record)
}

/// The response with this id.
pub async fn find_response(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<ResponseRecord>, StoreError> {
    match order_responses::Entity::find_by_id(id).one(db).await? {
        Some(row) => Ok(responses_of(db, vec![row]).await?.pop()),
        None => Ok(None),
    }
}

/// Responses to an order (of one engineer when given), oldest first: the
/// time, then the id.
fn responses_query(order_id: Uuid, engineer_id: Option<Uuid>) -> Select<order_responses::Entity> {
    let mut query =
        order_responses::Entity::find().filter(order_responses::Column::OrderId.eq(order_id));
    if let Some(engineer) = engineer_id {
        query = query.filter(order_responses::Column::EngineerId.eq(engineer));
    }
    query
        .order_by_asc(order_responses::Column::CreatedAt)
        .order_by_asc(order_responses::Column::Id)
}

/// Every response to an order (of one engineer when given), oldest first.
pub async fn responses(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Option<Uuid>,
) -> Result<Vec<ResponseRecord>, StoreError> {
    let rows = responses_query(order_id, engineer_id).all(db).await?;
    responses_of(db, rows).await
}

/// A page of [`responses`]: `limit` responses after `after` and whether
/// more follow.
pub async fn responses_page(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Option<Uuid>,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<ResponseRecord>, bool), StoreError> {
    let mut query = responses_query(order_id, engineer_id);
    if let Some(after) = after {
        query = query.filter(paging::later(
            order_responses::Column::CreatedAt,
            order_responses::Column::Id,
            after,
        ));
    }
    let (rows, more) = paging::split(query.limit(limit + 1).all(db).await?, limit);
    Ok((responses_of(db, rows).await?, more))
}

/// Withdraws an active response ([`StoreError::VersionMismatch`] when it
/// is no longer active).
pub async fn withdraw(
    db: &DatabaseConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<ResponseRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let row = order_responses::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let result = order_responses::Entity::update_many()
        .col_expr(
            order_responses::Column::Status,
            Expr::value(ResponseStatus::Withdrawn.as_str()),
        )
        .col_expr(order_responses::Column::UpdatedAt, Expr::value(now))
        .filter(order_responses::Column::Id.eq(id))
        .filter(order_responses::Column::Status.eq(ResponseStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    bump_responses(&txn, row.order_id, -1).await?;
    txn.commit().await?;
    find_response(db, id).await?.ok_or(StoreError::NotFound)
}

/// Closes every active response and pending offer of an order except the
/// chosen ones, inside `txn`.
async fn close_others<C: ConnectionTrait>(
    txn: &C,
    order_id: Uuid,
    keep_response: Option<Uuid>,
    keep_offer: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut responses = order_responses::Entity::update_many()
        .col_expr(
            order_responses::Column::Status,
            Expr::value(ResponseStatus::Closed.as_str()),
        )
        .col_expr(order_responses::Column::UpdatedAt, Expr::value(now))
        .filter(order_responses::Column::OrderId.eq(order_id))
        .filter(order_responses::Column::Status.eq(ResponseStatus::Active.as_str()));
    if let Some(keep) = keep_response {
        responses = responses.filter(order_responses::Column::Id.ne(keep));
    }
    responses.exec(txn).await?;
    let mut offers = order_offers::Entity::update_many()
        .col_expr(
            order_offers::Column::Status,
            Expr::value(OfferStatus::Closed.as_str()),
        )
        .col_expr(order_offers::Column::DecidedAt, Expr::value(now))
        .filter(order_offers::Column::OrderId.eq(order_id))
        .filter(order_offers::Column::Status.eq(OfferStatus::Pending.as_str()));
    if let Some(keep) = keep_offer {
        offers = offers.filter(order_offers::Column::Id.ne(keep));
    }
    offers.exec(txn).await?;
    Ok(())
}

/// The customer selects an active response: the order moves from
/// `executor_selection` to `contract_signing` with the response's engineer
/// as executor.
pub async fn select(
    db: &DatabaseConnection,
    response_id: Uuid,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let row = order_responses::Entity::find_by_id(response_id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let result = order_responses::Entity::update_many()
        .col_expr(
            order_responses::Column::Status,
            Expr::value(ResponseStatus::Selected.as_str()),
        )
        .col_expr(order_responses::Column::UpdatedAt, Expr::value(now))
        .filter(order_responses::Column::Id.eq(response_id))
        .filter(order_responses::Column::Status.eq(ResponseStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    let mut t = Transition::new(
        OrderAction::SelectResponse,
        OrderStatus::ExecutorSelection,
        OrderStatus::ContractSigning,
        Some(customer_id),
    );
    t.executor_id = Some(row.engineer_id);
    apply_transition(&txn, row.order_id, &t, now).await?;
    close_others(&txn, row.order_id, Some(response_id), None, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Records an offer (and its `offer_received` event); a second pending
/// offer to the same engineer is [`StoreError::Duplicate`].
pub async fn offer_to(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Uuid,
    message: Option<String>,
    now: DateTime<Utc>,
) -> Result<OfferRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let (order, _) = notifications::order_ref(&txn, order_id).await?;
    let model = order_offers::ActiveModel {
        id: Set(Uuid::now_v7()),
        order_id: Set(order_id),
        engineer_id: Set(engineer_id),
        message: Set(message),
        status: Set(OfferStatus::Pending.as_str().to_owned()),
        created_at: Set(now),
        decided_at: Set(None),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, model.id).await?;
    let event = Event::OfferReceived {
        order,
        offer_id: model.id,
        message: model.message.clone(),
    };
    notifications::emit(&txn, engineer_id, &event, now).await?;
    txn.commit().await?;
    offer(model)
}

/// The offer with this id.
pub async fn find_offer(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<OfferRecord>, StoreError> {
    order_offers::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(offer)
        .transpose()
}

/// Offers of an order (to one engineer when given), oldest first: the
/// time, then the id.
fn offers_query(order_id: Uuid, engineer_id: Option<Uuid>) -> Select<order_offers::Entity> {
    let mut query = order_offers::Entity::find().filter(order_offers::Column::OrderId.eq(order_id));
    if let Some(engineer) = engineer_id {
        query = query.filter(order_offers::Column::EngineerId.eq(engineer));
    }
    query
        .order_by_asc(order_offers::Column::CreatedAt)
        .order_by_asc(order_offers::Column::Id)
}

/// Every offer of an order (to one engineer when given), oldest first.
pub async fn offers(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Option<Uuid>,
) -> Result<Vec<OfferRecord>, StoreError> {
    offers_query(order_id, engineer_id)
        .all(db)
        .await?
        .into_iter()
        .map(offer)
        .collect()
}

/// A page of [`offers`]: `limit` offers after `after` and whether more
/// follow.
pub async fn offers_page(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Option<Uuid>,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<OfferRecord>, bool), StoreError> {
    let mut query = offers_query(order_id, engineer_id);
    if let Some(after) = after {
        query = query.filter(paging::later(
            order_offers::Column::CreatedAt,
            order_offers::Column::Id,
            after,
        ));
    }
    let (rows, more) = paging::split(query.limit(limit + 1).all(db).await?, limit);
    let rows = rows.into_iter().map(offer).collect::<Result<_, _>>()?;
    Ok((rows, more))
}

/// Whether `engineer_id` has a pending offer on the order.
pub async fn has_pending_offer(
    db: &DatabaseConnection,
    order_id: Uuid,
    engineer_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(order_offers::Entity::find()
        .filter(order_offers::Column::OrderId.eq(order_id))
        .filter(order_offers::Column::EngineerId.eq(engineer_id))
        .filter(order_offers::Column::Status.eq(OfferStatus::Pending.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// Which of `order_ids` the engineer has a pending offer of (a list's
/// rows at once).
pub async fn pending_offers_among(
    db: &DatabaseConnection,
    engineer_id: Uuid,
    order_ids: Vec<Uuid>,
) -> Result<std::collections::HashSet<Uuid>, StoreError> {
    if order_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(order_offers::Entity::find()
        .filter(order_offers::Column::OrderId.is_in(order_ids))
        .filter(order_offers::Column::EngineerId.eq(engineer_id))
        .filter(order_offers::Column::Status.eq(OfferStatus::Pending.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.order_id)
        .collect())
}

/// The engineer answers a pending offer. Accepting moves the order to
/// `contract_signing` with him as executor and closes the rest.
pub async fn answer_offer(
    db: &DatabaseConnection,
    offer_id: Uuid,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<OfferRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let row = order_offers::Entity::find_by_id(offer_id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let status = if accept {
        OfferStatus::Accepted
    } else {
        OfferStatus::Declined
    };
    let result = order_offers::Entity::update_many()
        .col_expr(order_offers::Column::Status, Expr::value(status.as_str()))
        .col_expr(order_offers::Column::DecidedAt, Expr::value(now))
        .filter(order_offers::Column::Id.eq(offer_id))
        .filter(order_offers::Column::Status.eq(OfferStatus::Pending.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    if accept {
        let mut t = Transition::new(
            OrderAction::AcceptOffer,
            OrderStatus::ExecutorSelection,
            OrderStatus::ContractSigning,
            Some(row.engineer_id),
        );
        t.executor_id = Some(row.engineer_id);
        apply_transition(&txn, row.order_id, &t, now).await?;
        close_others(&txn, row.order_id, None, Some(offer_id), now).await?;
    } else {
        let t = Transition::new(
            OrderAction::DeclineOffer,
            OrderStatus::ExecutorSelection,
            OrderStatus::ExecutorSelection,
            Some(row.engineer_id),
        );
        apply_transition(&txn, row.order_id, &t, now).await?;
    }
    txn.commit().await?;
    find_offer(db, offer_id).await?.ok_or(StoreError::NotFound)
}

/// Cancels an order (from `from`) and closes its responses and offers.
pub async fn cancel(
    db: &DatabaseConnection,
    order_id: Uuid,
    from: OrderStatus,
    customer_id: Uuid,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let mut t = Transition::new(
        OrderAction::Cancel,
        from,
        OrderStatus::Cancelled,
        Some(customer_id),
    );
    t.comment = comment;
    apply_transition(&txn, order_id, &t, now).await?;
    close_others(&txn, order_id, None, None, now).await?;
    txn.commit().await?;
    Ok(())
}
