//! Ids of what a user's live-event stream carries (docs/adr/0007-live-event-ids.md): his
//! notifications and the messages of the chats he follows.
//!
//! Both are UUIDv7, and one stream resumes after one id (`Last-Event-ID`).
//! For that to miss nothing, each user's ids must follow commit order
//! across both kinds: whatever is committed later for him has a larger id
//! than anything he may already have seen. [`take_id`] gives that: under
//! the lock of the users' rows it takes an id above their cursors (the
//! newest id handed to each, `live_event_cursors`) and moves the cursors
//! to it. A server whose clock runs behind takes the next id after the
//! cursor instead of a smaller one.

use crate::entities::{chat_messages, employments, live_event_cursors as cursors, orders, users};
use crate::error::StoreError;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LockType, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// `fresh` (a UUIDv7 of now), unless `newest` is not older — another
/// server's clock ran ahead, or a transaction took its id late — then the
/// next id after `newest`.
pub fn next_id(fresh: Uuid, newest: Option<Uuid>) -> Uuid {
    match newest {
        Some(newest) if fresh <= newest => {
            // +1 in the random tail; carry into the upper half instead
            // when the tail is full, so version and variant bits stay.
            let n = newest.as_u128();
            let tail_mask: u128 = (1 << 62) - 1;
            if n & tail_mask == tail_mask {
                Uuid::from_u128((n & !tail_mask) + (1 << 64))
            } else {
                Uuid::from_u128(n + 1)
            }
        }
        _ => fresh,
    }
}

/// Locks the rows of `people` (PostgreSQL `FOR NO KEY UPDATE`, in id
/// order so that two writers never wait for each other in a cycle; SQLite
/// holds its write lock already). `NO KEY UPDATE` leaves foreign-key
/// checks of other writers unblocked.
pub(crate) async fn lock_users<C: ConnectionTrait>(
    txn: &C,
    people: &[Uuid],
) -> Result<(), StoreError> {
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Id.is_in(people.iter().copied()))
        .order_by_asc(users::Column::Id)
        .lock(LockType::NoKeyUpdate)
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    Ok(())
}

/// The id of a new live item for every one of `people`, whose rows the
/// caller's transaction has locked ([`lock_users`]): above `floor` (the
/// newest item of its own kind, for rows older than the cursors) and above
/// each one's cursor; the cursors move to it in the same transaction.
pub(crate) async fn take_id<C: ConnectionTrait>(
    txn: &C,
    people: &[Uuid],
    floor: Option<Uuid>,
) -> Result<Uuid, StoreError> {
    let newest: Option<Uuid> = cursors::Entity::find()
        .filter(cursors::Column::UserId.is_in(people.iter().copied()))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| c.last_id)
        .chain(floor)
        .max();
    let id = next_id(Uuid::now_v7(), newest);
    // Each once: an upsert may not touch a row twice.
    let people: std::collections::BTreeSet<Uuid> = people.iter().copied().collect();
    if people.is_empty() {
        return Ok(id);
    }
    cursors::Entity::insert_many(people.into_iter().map(|user| cursors::ActiveModel {
        user_id: Set(user),
        last_id: Set(id),
    }))
    .on_conflict(
        OnConflict::column(cursors::Column::UserId)
            .update_column(cursors::Column::LastId)
            .to_owned(),
    )
    .exec(txn)
    .await?;
    Ok(id)
}

/// Up to `limit` messages after `after`, oldest first, of the chats whose
/// new messages `user`'s stream carries: the threads of the orders he
/// orders, his own threads as an engineer, and those of the engineers he
/// employs now (docs/chat.md, "Threads").
pub async fn chat_after(
    db: &DatabaseConnection,
    user: Uuid,
    after: Uuid,
    limit: u64,
) -> Result<Vec<crate::chat::MessageRecord>, StoreError> {
    let employees = Query::select()
        .column(employments::Column::EngineerId)
        .from(employments::Entity)
        .and_where(Expr::col(employments::Column::EmployerId).eq(user))
        .and_where(
            Expr::col(employments::Column::Status)
                .eq(mezha_domain::employment::Status::Active.as_str()),
        )
        .to_owned();
    let ordered = Query::select()
        .column(orders::Column::Id)
        .from(orders::Entity)
        .and_where(Expr::col(orders::Column::CustomerId).eq(user))
        .to_owned();
    Ok(chat_messages::Entity::find()
        .filter(chat_messages::Column::Id.gt(after))
        .filter(
            Condition::any()
                .add(Expr::col(chat_messages::Column::OrderId).in_subquery(ordered))
                .add(chat_messages::Column::EngineerId.eq(user))
                .add(Expr::col(chat_messages::Column::EngineerId).in_subquery(employees)),
        )
        .order_by_asc(chat_messages::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(crate::chat::MessageRecord::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::next_id;
    use uuid::Uuid;

    #[test]
    fn ids_never_go_back() {
        let older = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
        let fresh = Uuid::from_u128(0x0193_0000_0001_7000_8000_0000_0000_0001);
        assert_eq!(next_id(fresh, None), fresh);
        assert_eq!(next_id(fresh, Some(older)), fresh);
        // The clock behind the newest: the next id after it.
        let next = next_id(older, Some(fresh));
        assert!(next > fresh);
        assert_eq!(next.get_version_num(), 7);
        // A full random tail carries into the upper half; version and
        // variant bits stay.
        let full = Uuid::from_u128(0x0193_0000_0001_7000_bfff_ffff_ffff_ffff);
        let next = next_id(older, Some(full));
        assert!(next > full);
        assert_eq!(next.get_version_num(), 7);
        assert_eq!(next.get_variant(), uuid::Variant::RFC4122);
    }
}
