//! The order chat (docs/chat.md): messages and how far each participant
//! read, per thread (an order and one engineer: docs/chat.md, "Threads").

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
    /// The thread's engineer.
    pub engineer_id: Uuid,
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
            engineer_id: m.engineer_id,
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
        engineer_id: Set(m.engineer_id),
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

/// Up to `limit` messages of a thread older than `before` (all when
/// `None`), newest first.
pub async fn page(
    db: &DatabaseConnection,
    order: Uuid,
    engineer: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<MessageRecord>, StoreError> {
    let mut q = chat_messages::Entity::find()
        .filter(chat_messages::Column::OrderId.eq(order))
        .filter(chat_messages::Column::EngineerId.eq(engineer));
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

/// The newest message of a thread.
pub async fn newest(
    db: &DatabaseConnection,
    order: Uuid,
    engineer: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(page(db, order, engineer, None, 1)
        .await?
        .first()
        .map(|m| m.id))
}

/// `user` has read a thread up to `last` (never moves back); answers the
/// ids of the messages by others this read, for the counters.
pub async fn mark_read(
    db: &DatabaseConnection,
    order: Uuid,
    engineer: Uuid,
    user: Uuid,
    last: Uuid,
    at: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    let current = chat_reads::Entity::find_by_id((order, engineer, user))
        .one(db)
        .await?
        .map(|c| c.last_read_id);
    if current.is_some_and(|c| c >= last) {
        return Ok(Vec::new());
    }
    let mut newly = chat_messages::Entity::find()
        .select_only()
        .column(chat_messages::Column::Id)
        .filter(chat_messages::Column::OrderId.eq(order))
        .filter(chat_messages::Column::EngineerId.eq(engineer))
        .filter(chat_messages::Column::AuthorId.ne(user))
        .filter(chat_messages::Column::Id.lte(last));
    if let Some(current) = current {
        newly = newly.filter(chat_messages::Column::Id.gt(current));
    }
    let newly: Vec<Uuid> = newly.into_tuple().all(db).await?;
    chat_reads::Entity::insert(chat_reads::ActiveModel {
        order_id: Set(order),
        engineer_id: Set(engineer),
        user_id: Set(user),
        last_read_id: Set(last),
        read_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([
            chat_reads::Column::OrderId,
            chat_reads::Column::EngineerId,
            chat_reads::Column::UserId,
        ])
        .update_columns([chat_reads::Column::LastReadId, chat_reads::Column::ReadAt])
        .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(newly)
}

/// A thread of an order's chat as its list shows it to `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSummary {
    pub engineer_id: Uuid,
    /// When its newest message was written.
    pub last_message_at: Option<DateTime<Utc>>,
    /// Messages by others `user` has not read.
    pub unread: u64,
}

/// The threads of the order that have messages, by engineer: the newest
/// message's time and what `user` has not read of each.
pub async fn summaries(
    db: &DatabaseConnection,
    order: Uuid,
    user: Uuid,
) -> Result<Vec<ThreadSummary>, StoreError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, Query};
    let m = |c: chat_messages::Column| Expr::col((chat_messages::Entity, c));
    let r = |c: chat_reads::Column| Expr::col((chat_reads::Entity, c));
    let unread = CaseStatement::new()
        .case(
            Condition::all()
                .add(m(chat_messages::Column::AuthorId).ne(user))
                .add(
                    Condition::any()
                        .add(r(chat_reads::Column::LastReadId).is_null())
                        .add(m(chat_messages::Column::Id).gt(r(chat_reads::Column::LastReadId))),
                ),
            1,
        )
        .finally(0);
    let q = Query::select()
        .expr(m(chat_messages::Column::EngineerId))
        .expr(Func::sum(unread))
        .from(chat_messages::Entity)
        .left_join(
            chat_reads::Entity,
            r(chat_reads::Column::OrderId)
                .equals((chat_messages::Entity, chat_messages::Column::OrderId))
                .and(
                    r(chat_reads::Column::EngineerId)
                        .equals((chat_messages::Entity, chat_messages::Column::EngineerId)),
                )
                .and(r(chat_reads::Column::UserId).eq(user)),
        )
        .and_where(m(chat_messages::Column::OrderId).eq(order))
        .group_by_col((chat_messages::Entity, chat_messages::Column::EngineerId))
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&q).await? {
        let engineer_id: Uuid = row.try_get_by_index(0)?;
        let unread: i64 = row.try_get_by_index(1)?;
        // The newest message's own time: one indexed row per thread (an
        // aggregate would lose the column's type on SQLite).
        let last_message_at = page(db, order, engineer_id, None, 1)
            .await?
            .first()
            .map(|m| m.created_at);
        out.push(ThreadSummary {
            engineer_id,
            last_message_at,
            unread: u64::try_from(unread).unwrap_or(0),
        });
    }
    Ok(out)
}

/// Per order, the ids of the messages others wrote after what `user` read
/// in the threads he is one of the two people of (the order's customer, or
/// the thread's engineer): the truth of his chat counters.
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
                .and(
                    Expr::col((chat_reads::Entity, chat_reads::Column::EngineerId))
                        .equals((chat_messages::Entity, chat_messages::Column::EngineerId)),
                )
                .and(Expr::col((chat_reads::Entity, chat_reads::Column::UserId)).eq(user)),
        )
        .cond_where(
            Condition::all()
                .add(
                    Condition::any()
                        .add(Expr::col((orders::Entity, orders::Column::CustomerId)).eq(user))
                        .add(m(chat_messages::Column::EngineerId).eq(user)),
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

/// The threads (order, engineer) a file was sent in.
pub async fn threads_of_file(
    db: &DatabaseConnection,
    file: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    Ok(chat_messages::Entity::find()
        .select_only()
        .column(chat_messages::Column::OrderId)
        .column(chat_messages::Column::EngineerId)
        .filter(chat_messages::Column::FileId.eq(file))
        .into_tuple()
        .all(db)
        .await?)
}
