//! The in-app list: pages, read marks, unread ids.

use crate::entities::notifications;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{NotificationKind, ObjectKind};
use mezha_domain::notifications::Event;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::corrupt;

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub object_kind: ObjectKind,
    pub object_id: Uuid,
    pub event: Event,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

fn notification(m: notifications::Model) -> Result<NotificationRecord, StoreError> {
    Ok(NotificationRecord {
        id: m.id,
        kind: m.kind.parse().map_err(|e| corrupt("kind", e))?,
        object_kind: m
            .object_kind
            .parse()
            .map_err(|e| corrupt("object_kind", e))?,
        object_id: m.object_id,
        event: Event::from_json(&m.payload)?,
        created_at: m.created_at,
        read_at: m.read_at,
    })
}

/// The notifications of `user`, newest first, `limit` at a time after
/// `before` (the last id of the previous page); and whether more follow.
pub async fn list(
    db: &DatabaseConnection,
    user: Uuid,
    limit: u64,
    before: Option<Uuid>,
    unread_only: bool,
) -> Result<(Vec<NotificationRecord>, bool), StoreError> {
    let mut query = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user))
        .order_by_desc(notifications::Column::Id);
    if let Some(before) = before {
        query = query.filter(notifications::Column::Id.lt(before));
    }
    if unread_only {
        query = query.filter(notifications::Column::ReadAt.is_null());
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let items = rows
        .into_iter()
        .map(notification)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, more))
}

/// Marks one notification of `user` read. `None` when he has no such
/// notification; else it, and whether it was unread until now.
pub async fn mark_read(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(NotificationRecord, bool)>, StoreError> {
    let result = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(now))
        .filter(notifications::Column::Id.eq(id))
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    let row = notifications::Entity::find_by_id(id)
        .filter(notifications::Column::UserId.eq(user))
        .one(db)
        .await?;
    match row {
        Some(r) => Ok(Some((notification(r)?, result.rows_affected > 0))),
        None => Ok(None),
    }
}

/// Marks every unread notification of `user` up to the newest one now
/// read; returns how many and that newest id (the watermark for the
/// counters: a notification arriving meanwhile is newer and stays unread).
pub async fn mark_all_read(
    db: &DatabaseConnection,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<(u64, Option<Uuid>), StoreError> {
    let newest: Option<Uuid> = notifications::Entity::find()
        .select_only()
        .column(notifications::Column::Id)
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null())
        .order_by_desc(notifications::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    let Some(newest) = newest else {
        return Ok((0, None));
    };
    let result = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(now))
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null())
        .filter(notifications::Column::Id.lte(newest))
        .exec(db)
        .await?;
    Ok((result.rows_affected, Some(newest)))
}

/// Ids of the unread notifications of `user` (the recount of the counters).
pub async fn unread_ids(db: &DatabaseConnection, user: Uuid) -> Result<Vec<Uuid>, StoreError> {
    Ok(notifications::Entity::find()
        .select_only()
        .column(notifications::Column::Id)
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null())
        .into_tuple()
        .all(db)
        .await?)
}

/// The notifications of `user` created after `after` (ids are UUIDv7, so
/// in creation order), oldest first, at most `limit`: what a live stream
/// missed.
pub async fn after(
    db: &DatabaseConnection,
    user: Uuid,
    after: Uuid,
    limit: u64,
) -> Result<Vec<NotificationRecord>, StoreError> {
    notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::Id.gt(after))
        .order_by_asc(notifications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(notification)
        .collect()
}

/// One notification of `user`.
pub async fn get(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Option<NotificationRecord>, StoreError> {
    notifications::Entity::find_by_id(id)
        .filter(notifications::Column::UserId.eq(user))
        .one(db)
        .await?
        .map(notification)
        .transpose()
}
