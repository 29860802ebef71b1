//! Reviews of engineers (docs/results.md, "Rating"). A review marks its
//! order reviewed in the same transaction; a second one finds it marked
//! and is refused.

use crate::entities::{orders, reviews};
use crate::error::StoreError;
use crate::paging::After;
use chrono::{DateTime, Utc};
use mezha_api_types::orders::OrderStatus;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// A review as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub engineer_id: Uuid,
    pub customer_id: Uuid,
    pub rating: u8,
    pub text: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn record(m: reviews::Model) -> ReviewRecord {
    ReviewRecord {
        id: m.id,
        order_id: m.order_id,
        engineer_id: m.engineer_id,
        customer_id: m.customer_id,
        rating: u8::try_from(m.rating).unwrap_or(0),
        text: m.text,
        created_at: m.created_at,
    }
}

/// Stores the review of a completed order not reviewed yet
/// ([`StoreError::VersionMismatch`] otherwise).
pub async fn insert(db: &DatabaseConnection, review: &ReviewRecord) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let marked = orders::Entity::update_many()
        .col_expr(orders::Column::ReviewedAt, Expr::value(review.created_at))
        .filter(orders::Column::Id.eq(review.order_id))
        .filter(orders::Column::ReviewedAt.is_null())
        .filter(orders::Column::Status.eq(OrderStatus::Completed.as_str()))
        .exec(&txn)
        .await?;
    if marked.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    reviews::ActiveModel {
        id: Set(review.id),
        order_id: Set(review.order_id),
        engineer_id: Set(review.engineer_id),
        customer_id: Set(review.customer_id),
        rating: Set(i16::from(review.rating)),
        text: Set(review.text.clone()),
        created_at: Set(review.created_at),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, review.id).await?;
    txn.commit().await?;
    Ok(())
}

/// The review with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<ReviewRecord>, StoreError> {
    Ok(reviews::Entity::find_by_id(id).one(db).await?.map(record))
}

/// A page of an engineer's reviews, newest first.
pub async fn of_engineer(
    db: &DatabaseConnection,
    engineer_id: Uuid,
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<ReviewRecord>, bool), StoreError> {
    let mut query = reviews::Entity::find().filter(reviews::Column::EngineerId.eq(engineer_id));
    if let Some((at, id)) = before {
        query = query.filter(
            Expr::tuple([
                Expr::col(reviews::Column::CreatedAt),
                Expr::col(reviews::Column::Id),
            ])
            .lt(Expr::tuple([Expr::value(at), Expr::value(id)])),
        );
    }
    let rows = query
        .order_by_desc(reviews::Column::CreatedAt)
        .order_by_desc(reviews::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    let rows = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(record)
        .collect();
    Ok((rows, more))
}
