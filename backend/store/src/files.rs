//! Uploaded files' metadata (the bytes live in the file storage directory).

use crate::entities::files;
use crate::error::StoreError;
pub use crate::orders::FileRecord;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};

/// Records an uploaded file.
pub async fn insert(db: &DatabaseConnection, file: &FileRecord) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    files::ActiveModel {
        id: Set(file.id),
        owner_id: Set(file.owner_id),
        name: Set(file.name.clone()),
        content_type: Set(file.content_type.clone()),
        size: Set(file.size),
        sha256: Set(file.sha256.clone()),
        created_at: Set(file.created_at),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, file.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Forgets the records of files nothing refers to yet (documents made for
/// a version that could not be stored); how many.
pub async fn delete_unreferenced(
    db: &DatabaseConnection,
    ids: Vec<uuid::Uuid>,
) -> Result<u64, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(files::Entity::delete_many()
        .filter(files::Column::Id.is_in(ids))
        .exec(db)
        .await?
        .rows_affected)
}

/// The file with this id.
pub async fn find(
    db: &DatabaseConnection,
    id: uuid::Uuid,
) -> Result<Option<FileRecord>, StoreError> {
    Ok(files::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(FileRecord::from))
}

/// The files with these ids, by id (unknown ids are left out). One query.
pub async fn find_many(
    db: &DatabaseConnection,
    ids: Vec<uuid::Uuid>,
) -> Result<std::collections::HashMap<uuid::Uuid, FileRecord>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(files::Entity::find()
        .filter(files::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, FileRecord::from(f)))
        .collect())
}

/// Orders a file belongs to: attached to the order, delivered with its
/// results (or registration outcome), or an invoice or receipt of it.
pub async fn attached_to(
    db: &DatabaseConnection,
    id: uuid::Uuid,
) -> Result<Vec<uuid::Uuid>, StoreError> {
    use crate::entities::{invoices, order_attachments, order_results};
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    let mut orders: Vec<uuid::Uuid> = order_attachments::Entity::find()
        .filter(order_attachments::Column::FileId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.order_id)
        .collect();
    // `file_ids` is a JSON array of hyphenated ids: a LIKE finds the few
    // candidates, parsing keeps the exact ones.
    for delivery in order_results::Entity::find()
        .filter(order_results::Column::FileIds.contains(id.to_string()))
        .all(db)
        .await?
    {
        let files: Vec<uuid::Uuid> = serde_json::from_str(&delivery.file_ids)?;
        if files.contains(&id) {
            orders.push(delivery.order_id);
        }
    }
    orders.extend(
        invoices::Entity::find()
            .filter(
                Condition::any()
                    .add(invoices::Column::FileId.eq(id))
                    .add(invoices::Column::ReceiptFileId.eq(id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|i| i.order_id),
    );
    orders.dedup();
    Ok(orders)
}

/// Up to `limit` file records with ids after `after`, by id: every record,
/// a page at a time (the storage migration).
pub async fn page_by_id(
    db: &DatabaseConnection,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> Result<Vec<FileRecord>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut query = files::Entity::find().order_by_asc(files::Column::Id);
    if let Some(after) = after {
        query = query.filter(files::Column::Id.gt(after));
    }
    Ok(query
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(FileRecord::from)
        .collect())
}
