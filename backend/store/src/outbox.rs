//! The development outbox of e-mails and SMS.

use crate::entities::outbox_messages;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::common::Channel;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: Uuid,
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Keeps a sent message.
pub async fn push(
    db: &DatabaseConnection,
    channel: Channel,
    recipient: &str,
    subject: Option<&str>,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    outbox_messages::ActiveModel {
        id: Set(Uuid::now_v7()),
        channel: Set(channel.as_str().to_owned()),
        recipient: Set(recipient.to_owned()),
        subject: Set(subject.map(str::to_owned)),
        body: Set(body.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Messages newest first (ids are time-ordered UUIDv7), `limit` at a time,
/// starting after `before` (the last id of the previous page). Returns the
/// page and whether more follow.
pub async fn list(
    db: &DatabaseConnection,
    limit: u64,
    before: Option<Uuid>,
    recipient: Option<&str>,
) -> Result<(Vec<OutboxRecord>, bool), StoreError> {
    let mut query = outbox_messages::Entity::find().order_by_desc(outbox_messages::Column::Id);
    if let Some(before) = before {
        query = query.filter(outbox_messages::Column::Id.lt(before));
    }
    if let Some(recipient) = recipient {
        query = query.filter(outbox_messages::Column::Recipient.eq(recipient));
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(OutboxRecord {
                id: row.id,
                channel: row.channel.parse().map_err(StoreError::Corrupt)?,
                recipient: row.recipient,
                subject: row.subject,
                body: row.body,
                created_at: row.created_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, more))
}
