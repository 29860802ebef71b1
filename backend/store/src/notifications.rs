//! Notifications (SPEC §8): the event outbox, the in-app list, the
//! per-channel deliveries and the users' settings.
//!
//! * [`emit`] writes an event inside the caller's transaction — the same
//!   one as the state change it announces — so an event exists exactly
//!   when its change was committed.
//! * The worker [`claim_events`] (a lease: `claimed_until` + a claim token,
//!   taken by one atomic `UPDATE … WHERE` that works on SQLite and, with
//!   `FOR UPDATE SKIP LOCKED` in its sub-select, on PostgreSQL), then
//!   [`fan_out`] each: the in-app notification and one delivery row per
//!   external channel the recipient's settings allow, in one transaction.
//! * Deliveries are claimed the same way ([`claim_deliveries`]) and end as
//!   `sent`, or are rescheduled ([`delivery_failed`]) until given up. Each
//!   row stands alone, so a failing channel never holds the others back.

use crate::entities::{
    notification_deliveries as deliveries, notification_events as events,
    notification_preferences as preferences, notification_settings as settings, notifications,
    orders, users,
};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{Language, NotificationChannel, NotificationKind, ObjectKind};
use mezha_domain::notifications::{Event, OrderRef, default_enabled};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Delivery status: waiting for its (next) attempt.
pub const PENDING: &str = "pending";
/// Delivery status: handed to the provider.
pub const SENT: &str = "sent";
/// Delivery status: given up after every attempt failed.
pub const FAILED: &str = "failed";

fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
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

fn lease_until(now: DateTime<Utc>, lease: std::time::Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60))
}

/// An event claimed by this worker.
#[derive(Debug, Clone)]
pub struct ClaimedEvent {
    pub id: Uuid,
    pub token: Uuid,
    pub recipient_id: Uuid,
    pub payload: String,
    pub attempts: u32,
}

/// Claims up to `limit` unprocessed events whose lease (if any) ran out,
/// for `lease`. Two workers never get the same row.
pub async fn claim_events(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u64,
) -> Result<Vec<ClaimedEvent>, StoreError> {
    let token = Uuid::new_v4();
    let free = || {
        Condition::any()
            .add(events::Column::ClaimedUntil.is_null())
            .add(events::Column::ClaimedUntil.lt(now))
    };
    let mut candidates = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .filter(events::Column::ProcessedAt.is_null())
        .filter(free())
        .order_by_asc(events::Column::Id)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        candidates = candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claimed = events::Entity::update_many()
        .col_expr(
            events::Column::ClaimedUntil,
            Expr::value(lease_until(now, lease)),
        )
        .col_expr(events::Column::ClaimToken, Expr::value(token))
        .filter(events::Column::Id.in_subquery(candidates.into_query()))
        .filter(events::Column::ProcessedAt.is_null())
        .filter(free())
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(Vec::new());
    }
    Ok(events::Entity::find()
        .filter(events::Column::ClaimToken.eq(token))
        .filter(events::Column::ProcessedAt.is_null())
        .order_by_asc(events::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ClaimedEvent {
            id: m.id,
            token,
            recipient_id: m.recipient_id,
            payload: m.payload,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
        })
        .collect())
}

/// The channels of `user` for `kind`: his overrides over the defaults.
async fn channels_of<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
    kind: NotificationKind,
) -> Result<HashMap<NotificationChannel, bool>, StoreError> {
    let mut out: HashMap<NotificationChannel, bool> = NotificationChannel::ALL
        .iter()
        .map(|c| (*c, default_enabled(kind, *c)))
        .collect();
    for row in settings::Entity::find()
        .filter(settings::Column::UserId.eq(user))
        .filter(settings::Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?
    {
        if let Ok(channel) = row.channel.parse::<NotificationChannel>() {
            out.insert(channel, row.enabled);
        }
    }
    Ok(out)
}

/// What [`fan_out`] created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FanOut {
    /// The in-app notification, new or already there, when in-app is on.
    pub notification: Option<(Uuid, Uuid)>,
    /// Delivery rows created.
    pub deliveries: usize,
}

/// Turns a claimed event into its in-app notification and its deliveries,
/// per the recipient's settings, and marks it processed — in one
/// transaction, and only while this worker still holds the claim
/// ([`StoreError::VersionMismatch`] otherwise). Re-running it for the same
/// event creates nothing twice.
pub async fn fan_out(
    db: &DatabaseConnection,
    claimed: &ClaimedEvent,
    now: DateTime<Utc>,
) -> Result<FanOut, StoreError> {
    let event = Event::from_json(&claimed.payload)?;
    let kind = event.kind();
    let txn = crate::db::begin(db).await?;
    // Writing first takes SQLite's write lock at once (a read-then-write
    // transaction could fail on a snapshot another writer moved on), and
    // checks that this worker still holds the claim.
    let done = events::Entity::update_many()
        .col_expr(events::Column::ProcessedAt, Expr::value(now))
        .col_expr(
            events::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(events::Column::Id.eq(claimed.id))
        .filter(events::Column::ClaimToken.eq(claimed.token))
        .filter(events::Column::ProcessedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    let mut out = FanOut::default();
    if let Some(user) = users::Entity::find_by_id(claimed.recipient_id)
        .one(&txn)
        .await?
    {
        let channels = channels_of(&txn, user.id, kind).await?;
        let on = |c: NotificationChannel| channels.get(&c).copied().unwrap_or(false);
        if on(NotificationChannel::InApp) {
            let existing = notifications::Entity::find()
                .filter(notifications::Column::EventId.eq(claimed.id))
                .one(&txn)
                .await?;
            let id = match existing {
                Some(n) => n.id,
                None => {
                    let (object_kind, object_id) = event.object();
                    let id = Uuid::now_v7();
                    notifications::ActiveModel {
                        id: Set(id),
                        event_id: Set(claimed.id),
                        user_id: Set(user.id),
                        kind: Set(kind.as_str().to_owned()),
                        object_kind: Set(object_kind.as_str().to_owned()),
                        object_id: Set(object_id),
                        payload: Set(claimed.payload.clone()),
                        created_at: Set(now),
                        read_at: Set(None),
                    }
                    .insert(&txn)
                    .await?;
                    id
                }
            };
            out.notification = Some((user.id, id));
        }
        let mut targets = Vec::new();
        if on(NotificationChannel::Email) && user.email_confirmed_at.is_some() {
            targets.push((NotificationChannel::Email, user.email.clone()));
        }
        if on(NotificationChannel::Sms)
            && let Some(phone) = user.phone.clone()
        {
            targets.push((NotificationChannel::Sms, phone));
        }
        for (channel, recipient) in targets {
            let exists = deliveries::Entity::find()
                .filter(deliveries::Column::EventId.eq(claimed.id))
                .filter(deliveries::Column::Channel.eq(channel.as_str()))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                continue;
            }
            deliveries::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(claimed.id),
                user_id: Set(user.id),
                channel: Set(channel.as_str().to_owned()),
                recipient: Set(recipient),
                status: Set(PENDING.to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                claimed_until: Set(None),
                claim_token: Set(None),
                last_error: Set(None),
                created_at: Set(now),
                sent_at: Set(None),
            }
            .insert(&txn)
            .await?;
            out.deliveries += 1;
        }
    }
    txn.commit().await?;
    Ok(out)
}

/// Records a failed fan-out: retried at `retry_at`, or given up (marked
/// processed with the error) when `None`.
pub async fn event_failed(
    db: &DatabaseConnection,
    claimed: &ClaimedEvent,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = events::Entity::update_many()
        .col_expr(
            events::Column::Attempts,
            Expr::value(i32::try_from(claimed.attempts + 1).unwrap_or(i32::MAX)),
        )
        .col_expr(events::Column::LastError, Expr::value(error.to_owned()))
        .filter(events::Column::Id.eq(claimed.id))
        .filter(events::Column::ClaimToken.eq(claimed.token));
    update = match retry_at {
        Some(at) => update.col_expr(events::Column::ClaimedUntil, Expr::value(at)),
        None => update.col_expr(events::Column::ProcessedAt, Expr::value(now)),
    };
    update.exec(db).await?;
    Ok(())
}

/// A delivery claimed by this worker, with what its message needs.
#[derive(Debug, Clone)]
pub struct DeliveryJob {
    pub id: Uuid,
    pub token: Uuid,
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub channel: NotificationChannel,
    pub recipient: String,
    pub attempts: u32,
    pub event: Event,
    pub language: Language,
}

/// Claims up to `limit` pending deliveries that are due, for `lease`.
pub async fn claim_deliveries(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u64,
) -> Result<Vec<DeliveryJob>, StoreError> {
    let token = Uuid::new_v4();
    let free = || {
        Condition::any()
            .add(deliveries::Column::ClaimedUntil.is_null())
            .add(deliveries::Column::ClaimedUntil.lt(now))
    };
    let mut candidates = deliveries::Entity::find()
        .select_only()
        .column(deliveries::Column::Id)
        .filter(deliveries::Column::Status.eq(PENDING))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .filter(free())
        .order_by_asc(deliveries::Column::NextAttemptAt)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        candidates = candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claimed = deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::ClaimedUntil,
            Expr::value(lease_until(now, lease)),
        )
        .col_expr(deliveries::Column::ClaimToken, Expr::value(token))
        .filter(deliveries::Column::Id.in_subquery(candidates.into_query()))
        .filter(deliveries::Column::Status.eq(PENDING))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .filter(free())
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(Vec::new());
    }
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::ClaimToken.eq(token))
        .filter(deliveries::Column::Status.eq(PENDING))
        .all(db)
        .await?;
    let mut jobs = Vec::with_capacity(rows.len());
    for row in rows {
        let payload = events::Entity::find_by_id(row.event_id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?
            .payload;
        jobs.push(DeliveryJob {
            id: row.id,
            token,
            event_id: row.event_id,
            user_id: row.user_id,
            channel: row.channel.parse().map_err(|e| corrupt("channel", e))?,
            recipient: row.recipient,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            event: Event::from_json(&payload)?,
            language: language_of(db, row.user_id).await?,
        });
    }
    Ok(jobs)
}

/// Marks a delivery sent (if this worker still holds it).
pub async fn delivery_sent(
    db: &DatabaseConnection,
    job: &DeliveryJob,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value(SENT))
        .col_expr(
            deliveries::Column::Attempts,
            Expr::value(i32::try_from(job.attempts + 1).unwrap_or(i32::MAX)),
        )
        .col_expr(deliveries::Column::SentAt, Expr::value(now))
        .col_expr(
            deliveries::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(deliveries::Column::Id.eq(job.id))
        .filter(deliveries::Column::ClaimToken.eq(job.token))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: the next one at `retry_at`, or `failed` for
/// good when `None`.
pub async fn delivery_failed(
    db: &DatabaseConnection,
    job: &DeliveryJob,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    let mut update = deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::Attempts,
            Expr::value(i32::try_from(job.attempts + 1).unwrap_or(i32::MAX)),
        )
        .col_expr(deliveries::Column::LastError, Expr::value(error.to_owned()))
        .col_expr(
            deliveries::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(deliveries::Column::Id.eq(job.id))
        .filter(deliveries::Column::ClaimToken.eq(job.token));
    update = match retry_at {
        Some(at) => update.col_expr(deliveries::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(deliveries::Column::Status, Expr::value(FAILED)),
    };
    update.exec(db).await?;
    Ok(())
}

/// A delivery as stored (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub event_id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// Deliveries to `user`, oldest first.
pub async fn deliveries_of(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    Ok(deliveries::Entity::find()
        .filter(deliveries::Column::UserId.eq(user))
        .order_by_asc(deliveries::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| DeliveryRecord {
            id: d.id,
            event_id: d.event_id,
            channel: d.channel,
            recipient: d.recipient,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_error: d.last_error,
        })
        .collect())
}

/// Events not yet processed (for readiness and tests).
pub async fn pending_events(db: &DatabaseConnection) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(events::Entity::find()
        .filter(events::Column::ProcessedAt.is_null())
        .count(db)
        .await?)
}

async fn language_of<C: ConnectionTrait>(db: &C, user: Uuid) -> Result<Language, StoreError> {
    Ok(preferences::Entity::find_by_id(user)
        .one(db)
        .await?
        .and_then(|p| p.language.parse().ok())
        .unwrap_or(Language::Ru))
}

/// A user's settings: his language and his overrides of the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRecord {
    pub language: Language,
    pub overrides: Vec<(NotificationKind, NotificationChannel, bool)>,
}

/// The settings of `user`.
pub async fn settings_of(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<SettingsRecord, StoreError> {
    let overrides = settings::Entity::find()
        .filter(settings::Column::UserId.eq(user))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some((
                row.kind.parse().ok()?,
                row.channel.parse().ok()?,
                row.enabled,
            ))
        })
        .collect();
    Ok(SettingsRecord {
        language: language_of(db, user).await?,
        overrides,
    })
}

/// Saves the language (when given) and the channel choices of `user`.
pub async fn save_settings(
    db: &DatabaseConnection,
    user: Uuid,
    language: Option<Language>,
    changes: &[(NotificationKind, NotificationChannel, bool)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    if let Some(language) = language {
        preferences::Entity::delete_by_id(user).exec(&txn).await?;
        preferences::ActiveModel {
            user_id: Set(user),
            language: Set(language.as_str().to_owned()),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    for (kind, channel, enabled) in changes {
        settings::Entity::delete_many()
            .filter(settings::Column::UserId.eq(user))
            .filter(settings::Column::Kind.eq(kind.as_str()))
            .filter(settings::Column::Channel.eq(channel.as_str()))
            .exec(&txn)
            .await?;
        settings::ActiveModel {
            user_id: Set(user),
            kind: Set(kind.as_str().to_owned()),
            channel: Set(channel.as_str().to_owned()),
            enabled: Set(*enabled),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

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
