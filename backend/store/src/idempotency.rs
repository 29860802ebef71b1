//! `Idempotency-Key` records: the first request with a key claims it; its
//! response is stored so a retry gets the same answer instead of a second
//! resource.
//!
//! Crash safety (docs/API.md, "Idempotency"): while a claimed request runs,
//! its key is the task-local [`guarding`] sets, and the store function that
//! creates the request's resource calls [`bind`] inside its transaction, so
//! the key names the resource exactly when the resource exists. A retry
//! after a crash then finds either the resource ([`Claim::Committed`]) or,
//! once the claim is older than a request can take, nothing committed: it
//! takes the key over and does the work once.

use crate::entities::idempotency_keys;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new and now ours: process the request, then [`complete`].
    Claimed,
    /// A request with this key finished: its status and JSON body.
    Done { status: u16, body: String },
    /// A request with this key created `resource_id` but its answer was not
    /// stored (the process stopped in between): answer with the resource.
    Committed { resource_id: Uuid },
    /// A request with this key is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// A claimed key, while its request runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    /// Whose key: the caller's account, or for an anonymous request
    /// (registration) an owner derived from what the request is about
    /// (docs/API.md, "Idempotency").
    pub user_id: Uuid,
    pub scope: String,
    pub key: String,
}

tokio::task_local! {
    static CURRENT: Option<KeyRef>;
}

/// Runs `work` with `key` (if any) as the key its created resource is bound
/// to ([`bind`]).
pub async fn guarding<F: std::future::Future>(key: Option<KeyRef>, work: F) -> F::Output {
    match key {
        Some(key) => CURRENT.scope(Some(key), work).await,
        None => work.await,
    }
}

/// Runs `work`, a step of a guarded request that creates something other
/// than the request's resource (the file of a chat message), with no key
/// to bind: the key stays free for the resource the request answers with.
pub async fn unguarded<F: std::future::Future>(work: F) -> F::Output {
    CURRENT.scope(None, work).await
}

/// Records, in `txn` (the transaction creating it), that the running
/// request's key created `resource_id`; nothing when no key guards the
/// request or the key already names a resource (the first one created is
/// the request's).
pub async fn bind<C: ConnectionTrait>(txn: &C, resource_id: Uuid) -> Result<(), StoreError> {
    let Ok(Some(key)) = CURRENT.try_with(Clone::clone) else {
        return Ok(());
    };
    idempotency_keys::Entity::update_many()
        .col_expr(
            idempotency_keys::Column::ResourceId,
            Expr::value(resource_id),
        )
        .filter(idempotency_keys::Column::UserId.eq(key.user_id))
        .filter(idempotency_keys::Column::Scope.eq(key.scope))
        .filter(idempotency_keys::Column::Key.eq(key.key))
        .filter(idempotency_keys::Column::ResourceId.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Claims `key` for a request whose canonical hash is `request_hash`. A
/// claim older than `stale_after` whose request created nothing is taken
/// over (its request died).
pub async fn claim(
    db: &DatabaseConnection,
    user_id: Uuid,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
    stale_after: chrono::Duration,
) -> Result<Claim, StoreError> {
    let inserted = idempotency_keys::ActiveModel {
        user_id: Set(user_id),
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(None),
        response: Set(None),
        created_at: Set(now),
        resource_id: Set(None),
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
    Ok(match (row.status, row.response, row.resource_id) {
        (Some(status), Some(body), _) => Claim::Done {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        (_, _, Some(resource_id)) => Claim::Committed { resource_id },
        _ if row.created_at <= now - stale_after => {
            // Taken over only if no one else did meanwhile.
            let taken = idempotency_keys::Entity::update_many()
                .col_expr(idempotency_keys::Column::CreatedAt, Expr::value(now))
                .filter(idempotency_keys::Column::UserId.eq(user_id))
                .filter(idempotency_keys::Column::Scope.eq(scope))
                .filter(idempotency_keys::Column::Key.eq(key))
                .filter(idempotency_keys::Column::CreatedAt.eq(row.created_at))
                .filter(idempotency_keys::Column::Status.is_null())
                .filter(idempotency_keys::Column::ResourceId.is_null())
                .exec(db)
                .await?;
            if taken.rows_affected == 1 {
                Claim::Claimed
            } else {
                Claim::InProgress
            }
        }
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
        // A request that created its resource and failed after keeps the
        // key: a retry answers with that resource rather than make another.
        .filter(idempotency_keys::Column::ResourceId.is_null())
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
