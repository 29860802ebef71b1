//! The order chat (docs/chat.md): messages and how far each participant read.

use crate::entities::{chat_messages, chat_reads, orders};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::LockType,
};
use uuid::Uuid;

/// A chat message: text, or a file (`file_id`) with an optional caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    /// UUIDv7: messages sort by it.
    pub id: Uuid,
    pub order_id: Uuid,
    pub author_id: Uuid,
    pub body: Option<String>,
    pub file_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<chat_messages::Model> for MessageRecord {
    fn from(m: chat_messages::Model) -> Self {
        MessageRecord {
            id: m.id,
            order_id: m.order_id,
            author_id: m.author_id,
            body: m.body,
            file_id: m.file_id,
            created_at: m.created_at,
        }
    }
}

/// Keeps a message (`m.id` is not used) and answers its id: a UUIDv7 above both the chat's
/// newest message and the live-event cursors of the `audience` (everyone
/// whose stream carries it, [`crate::live`]). The order's row and the
/// audience's rows are locked meanwhile (PostgreSQL; SQLite holds its write
/// lock), so a chat's ids follow commit order — a reader who saw up to an
/// id has seen every message below it, and a message committed later is
/// always above — and so do each follower's live-event ids.
pub async fn insert(
    db: &DatabaseConnection,
    m: &MessageRecord,
    audience: &[Uuid],
) -> Result<Uuid, StoreError> {
    let txn = crate::db::begin(db).await?;
    orders::Entity::find_by_id(m.order_id)
        .lock(LockType::NoKeyUpdate)
        .one(&txn)
        .await?;
    crate::live::lock_users(&txn, audience).await?;
    let newest: Option<Uuid> = chat_messages::Entity::find()
        .select_only()
        .column(chat_messages::Column::Id)
        .filter(chat_messages::Column::OrderId.eq(m.order_id))
        .order_by_desc(chat_messages::Column::Id)
        .limit(1)
        .into_tuple()
        .one(&txn)
        .await?;
    let id = crate::live::take_id(&txn, audience, newest).await?;
    chat_messages::Entity::insert(chat_messages::ActiveModel {
        id: Set(id),
        order_id: Set(m.order_id),
        author_id: Set(m.author_id),
        body: Set(m.body.clone()),
        file_id: Set(m.file_id),
        created_at: Set(m.created_at),
    })
    .exec(&txn)
    .await?;
    crate::idempotency::bind(&txn, id).await?;
    txn.commit().await?;
    Ok(id)
}

/// The message `id` of the order's chat.
pub async fn find(
    db: &DatabaseConnection,
    order: Uuid,
    id: Uuid,
) -> Result<Option<MessageRecord>, StoreError> {
    Ok(chat_messages::Entity::find_by_id(id)
        .filter(chat_messages::Column::OrderId.eq(order))
        .one(db)
        .await?
        .map(MessageRecord::from))
}

/// Up to `limit` messages of the order's chat older than `before` (all
/// when `None`), newest first.
pub async fn page(
    db: &DatabaseConnection,
    order: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<MessageRecord>, StoreError> {
    let mut q = chat_messages::Entity::find().filter(chat_messages::Column::OrderId.eq(order));
    if let Some(before) = before {
        q = q.filter(chat_messages::Column::Id.lt(before));
    }
    Ok(q.order_by_desc(chat_messages::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(MessageRecord::from)
        .collect())
}

/// The newest message of the order's chat.
pub async fn newest(db: &DatabaseConnection, order: Uuid) -> Result<Option<Uuid>, StoreError> {
    Ok(page(db, order, None, 1).await?.first().map(|m| m.id))
}

/// `user` has read the order's chat up to `last` (never moves back).
pub async fn mark_read(
    db: &DatabaseConnection,
    order: Uuid,
    user: Uuid,
    last: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current = chat_reads::Entity::find_by_id((order, user))
        .one(db)
        .await?;
    if current.is_some_and(|c| c.last_read_id >= last) {
        return Ok(());
    }
    chat_reads::Entity::insert(chat_reads::ActiveModel {
        order_id: Set(order),
        user_id: Set(user),
        last_read_id: Set(last),
        read_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([chat_reads::Column::OrderId, chat_reads::Column::UserId])
            .update_columns([chat_reads::Column::LastReadId, chat_reads::Column::ReadAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Per order where `user` is the customer or the executor, the ids of the
/// messages others wrote after what he read: the truth of his chat counters.
/// One query, whatever the number of his orders.
pub async fn unread_ids(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<Vec<(Uuid, Vec<Uuid>)>, StoreError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
    let m = |c: chat_messages::Column| Expr::col((chat_messages::Entity, c));
    let read_upto = Expr::col((chat_reads::Entity, chat_reads::Column::LastReadId));
    let q = Query::select()
        .expr(m(chat_messages::Column::OrderId))
        .expr(m(chat_messages::Column::Id))
        .from(chat_messages::Entity)
        .inner_join(
            orders::Entity,
            Expr::col((orders::Entity, orders::Column::Id))
                .equals((chat_messages::Entity, chat_messages::Column::OrderId)),
        )
        .left_join(
            chat_reads::Entity,
            Expr::col((chat_reads::Entity, chat_reads::Column::OrderId))
                .equals((chat_messages::Entity, chat_messages::Column::OrderId))
                .and(Expr::col((chat_reads::Entity, chat_reads::Column::UserId)).eq(user)),
        )
        .cond_where(
            Condition::all()
                .add(
                    Condition::any()
                        .add(Expr::col((orders::Entity, orders::Column::CustomerId)).eq(user))
                        .add(Expr::col((orders::Entity, orders::Column::ExecutorId)).eq(user)),
                )
                .add(m(chat_messages::Column::AuthorId).ne(user))
                .add(
                    Condition::any()
                        .add(read_upto.clone().is_null())
                        .add(m(chat_messages::Column::Id).gt(read_upto)),
                ),
        )
        .order_by_expr(m(chat_messages::Column::OrderId), Order::Asc)
        .order_by_expr(m(chat_messages::Column::Id), Order::Asc)
        .to_owned();
    let mut out: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for row in db.query_all(&q).await? {
        let order: Uuid = row.try_get_by_index(0)?;
        let id: Uuid = row.try_get_by_index(1)?;
        match out.last_mut() {
            Some((last, ids)) if *last == order => ids.push(id),
            _ => out.push((order, vec![id])),
        }
    }
    Ok(out)
}

/// The orders whose chat carries the file.
pub async fn orders_of_file(db: &DatabaseConnection, file: Uuid) -> Result<Vec<Uuid>, StoreError> {
    Ok(chat_messages::Entity::find()
        .select_only()
        .column(chat_messages::Column::OrderId)
        .filter(chat_messages::Column::FileId.eq(file))
        .into_tuple()
        .all(db)
        .await?)
}
