//! Notifications (docs/notifications.md): the event outbox, the in-app list, the
//! per-channel deliveries and the users' settings.
//!
//! * [`emit`] writes an event inside the caller's transaction — the same
//!   one as the state change it announces — so an event exists exactly
//!   when its change was committed.
//! * The worker [`claim_events`] (a lease on the job queue,
//!   [`crate::queue`]), then [`fan_out`] each: the in-app notification and
//!   one delivery row per external channel the recipient's settings allow,
//!   in one transaction.
//! * Deliveries are claimed from the same queue ([`claim_deliveries`]) and
//!   end as `sent`, or are rescheduled ([`delivery_failed`]) until given
//!   up. Each row stands alone, so a failing channel never holds the
//!   others back.

use crate::entities::{notification_events as events, orders, users};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_domain::notifications::{Event, OrderRef};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

pub(crate) fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {err}"))
}

/// Writes `event` for `recipient` into the outbox, inside `db` (the
/// caller's transaction).
pub async fn emit<C: ConnectionTrait>(
    db: &C,
    recipient: Uuid,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    events::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(event.kind().as_str().to_owned()),
        recipient_id: Set(recipient),
        payload: Set(event.to_json()),
        created_at: Set(now),
        claimed_until: Set(None),
        claim_token: Set(None),
        processed_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// [`emit`] for each `(recipient, event)`.
pub async fn emit_all<C: ConnectionTrait>(
    db: &C,
    list: Vec<(Uuid, Event)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for (recipient, event) in list {
        emit(db, recipient, &event, now).await?;
    }
    Ok(())
}

/// An order as its events name it, read inside `db`.
pub async fn order_ref<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
) -> Result<(OrderRef, orders::Model), StoreError> {
    let order = orders::Entity::find_by_id(order_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((
        OrderRef {
            id: order.id,
            number: order.number,
            title: order.title.clone(),
        },
        order,
    ))
}

/// A user's full name, read inside `db`.
pub async fn user_name<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| u.full_name))
}

mod delivery;
mod inbox;
mod settings;

pub use delivery::*;
pub use inbox::*;
pub use settings::*;
