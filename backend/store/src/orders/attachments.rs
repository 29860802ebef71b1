//! Files attached to orders.

use super::FileRecord;
use crate::entities::{files, order_attachments};
use crate::error::StoreError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// Files among `ids` owned by `owner`; the rest are missing or foreign.
pub async fn owned_files<C: ConnectionTrait>(
    db: &C,
    owner: Uuid,
    ids: &[Uuid],
) -> Result<Vec<FileRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = files::Entity::find()
        .filter(files::Column::Id.is_in(ids.iter().copied()))
        .filter(files::Column::OwnerId.eq(owner))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(FileRecord::from).collect())
}

pub(super) async fn replace_attachments<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
    ids: &[Uuid],
) -> Result<(), StoreError> {
    order_attachments::Entity::delete_many()
        .filter(order_attachments::Column::OrderId.eq(order_id))
        .exec(db)
        .await?;
    for (position, file_id) in ids.iter().enumerate() {
        order_attachments::ActiveModel {
            order_id: Set(order_id),
            file_id: Set(*file_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Files attached to an order, in order.
pub async fn attachments(
    db: &DatabaseConnection,
    order_id: Uuid,
) -> Result<Vec<FileRecord>, StoreError> {
    let links = order_attachments::Entity::find()
        .filter(order_attachments::Column::OrderId.eq(order_id))
        .order_by_asc(order_attachments::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.iter().map(|l| l.file_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<FileRecord> = files::Entity::find()
        .filter(files::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(FileRecord::from)
        .collect();
    rows.sort_by_key(|f| ids.iter().position(|id| *id == f.id));
    Ok(rows)
}
