//! Deliveries of orders' results (docs/results.md). A delivery is stored
//! with the order's `deliver_results` transition, or not at all.

use crate::entities::order_results as results;
use crate::error::StoreError;
use crate::notifications::corrupt;
use crate::orders::{Transition, apply_transition};
use crate::paging::{self, After};
use chrono::{DateTime, Utc};
use mezha_api_types::results::{ResultMethod, ResultStage};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub stage: ResultStage,
    pub method: ResultMethod,
    pub link: Option<String>,
    pub uin: Option<String>,
    pub file_ids: Vec<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn record(m: results::Model) -> Result<ResultRecord, StoreError> {
    Ok(ResultRecord {
        id: m.id,
        order_id: m.order_id,
        stage: m.stage.parse().map_err(|e| corrupt("result stage", e))?,
        method: m.method.parse().map_err(|e| corrupt("result method", e))?,
        link: m.link,
        uin: m.uin,
        file_ids: serde_json::from_str(&m.file_ids)?,
        note: m.note,
        created_at: m.created_at,
    })
}

/// Stores a delivery with the order's transition (`deliver_results` to
/// `acceptance`, `send_registration_outcome` to `payment`).
pub async fn deliver(
    db: &DatabaseConnection,
    delivery: &ResultRecord,
    transition: &Transition,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    results::ActiveModel {
        id: Set(delivery.id),
        order_id: Set(delivery.order_id),
        method: Set(delivery.method.as_str().to_owned()),
        link: Set(delivery.link.clone()),
        uin: Set(delivery.uin.clone()),
        file_ids: Set(serde_json::to_string(&delivery.file_ids)?),
        note: Set(delivery.note.clone()),
        created_at: Set(delivery.created_at),
        stage: Set(delivery.stage.as_str().to_owned()),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, delivery.id).await?;
    apply_transition(&txn, delivery.order_id, transition, delivery.created_at).await?;
    txn.commit().await?;
    Ok(())
}

/// The delivery with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<ResultRecord>, StoreError> {
    results::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// A page of an order's deliveries, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    order_id: Uuid,
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<ResultRecord>, bool), StoreError> {
    use results::Column as C;
    let (rows, more) = paging::oldest_first::<results::Entity, _>(
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
