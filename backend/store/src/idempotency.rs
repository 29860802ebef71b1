//! `Idempotency-Key` records: the first request with a key claims it; its
//! response is stored so a retry gets the same answer instead of a second
//! resource.

use crate::entities::idempotency_keys;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new and now ours: process the request, then [`complete`].
    Claimed,
    /// A request with this key finished: its status and JSON body.
    Done { status: u16, body: String },
    /// A request with this key is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// Claims `key` for a request whose canonical hash is `request_hash`.
pub async fn claim(
    db: &DatabaseConnection,
    user_id: Uuid,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    let inserted = idempotency_keys::ActiveModel {
        user_id: Set(user_id),
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(None),
        response: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => return Ok(Claim::Claimed),
        Err(err) => match StoreError::from(err) {
            StoreError::Duplicate(_) => {}
            other => return Err(other),
        },
    }
    let row = idempotency_keys::Entity::find_by_id((user_id, scope.to_owned(), key.to_owned()))
        .one(db)
        .await?;
    let Some(row) = row else {
        // Released between our insert and read: the caller may retry.
        return Ok(Claim::InProgress);
    };
    if row.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(match (row.status, row.response) {
        (Some(status), Some(body)) => Claim::Done {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        _ => Claim::InProgress,
    })
}

/// Stores the response of a claimed key.
pub async fn complete(
    db: &DatabaseConnection,
    user_id: Uuid,
    scope: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    idempotency_keys::Entity::update_many()
        .col_expr(idempotency_keys::Column::Status, Expr::value(status as i16))
        .col_expr(idempotency_keys::Column::Response, Expr::value(body))
        .filter(idempotency_keys::Column::UserId.eq(user_id))
        .filter(idempotency_keys::Column::Scope.eq(scope))
        .filter(idempotency_keys::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a claimed key whose request failed, so it can be retried.
pub async fn release(
    db: &DatabaseConnection,
    user_id: Uuid,
    scope: &str,
    key: &str,
) -> Result<(), StoreError> {
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::UserId.eq(user_id))
        .filter(idempotency_keys::Column::Scope.eq(scope))
        .filter(idempotency_keys::Column::Key.eq(key))
        .filter(idempotency_keys::Column::Status.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes records older than `before`; returns how many.
pub async fn purge(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
