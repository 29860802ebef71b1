//! The worker's side: claiming events and deliveries with a lease, fanning
//! events out, recording outcomes.

use crate::entities::{
    notification_deliveries as deliveries, notification_events as events, notifications, users,
};
use crate::error::StoreError;
use crate::queue::{self, JobStatus, Lease};
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{Language, NotificationChannel};
use mezha_domain::notifications::Event;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::corrupt;
use super::settings::{channels_of, language_of};

/// An event claimed by this worker.
#[derive(Debug, Clone)]
pub struct ClaimedEvent {
    pub lease: Lease,
    pub recipient_id: Uuid,
    pub payload: String,
}

/// Claims up to `limit` unprocessed events whose lease (if any) ran out,
/// for `lease`. Two workers never get the same row.
pub async fn claim_events(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u64,
) -> Result<Vec<ClaimedEvent>, StoreError> {
    Ok(queue::claim::<events::Entity>(db, now, lease, limit)
        .await?
        .into_iter()
        .map(|(lease, m)| ClaimedEvent {
            lease,
            recipient_id: m.recipient_id,
            payload: m.payload,
        })
        .collect())
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
    if !queue::finish::<events::Entity, _>(&txn, &claimed.lease, now, Vec::new()).await? {
        return Err(StoreError::VersionMismatch);
    }
    let mut out = FanOut::default();
    // The recipient's row is locked (PostgreSQL; SQLite holds its write
    // lock already) so that his notifications are created one at a time
    // and their ids follow commit order with his chat messages
    // (`crate::live::take_id`). `NO KEY UPDATE` leaves foreign-key checks
    // (requests writing events for him) unblocked.
    if let Some(user) = users::Entity::find_by_id(claimed.recipient_id)
        .lock(LockType::NoKeyUpdate)
        .one(&txn)
        .await?
    {
        let channels = channels_of(&txn, user.id, kind).await?;
        let on = |c: NotificationChannel| channels.get(&c).copied().unwrap_or(false);
        if on(NotificationChannel::InApp) {
            let existing = notifications::Entity::find()
                .filter(notifications::Column::EventId.eq(claimed.lease.id))
                .one(&txn)
                .await?;
            let id = match existing {
                Some(n) => n.id,
                None => {
                    let (object_kind, object_id) = event.object();
                    let newest: Option<Uuid> = notifications::Entity::find()
                        .select_only()
                        .column(notifications::Column::Id)
                        .filter(notifications::Column::UserId.eq(user.id))
                        .order_by_desc(notifications::Column::Id)
                        .into_tuple()
                        .one(&txn)
                        .await?;
                    let id = crate::live::take_id(&txn, &[user.id], newest).await?;
                    notifications::ActiveModel {
                        id: Set(id),
                        event_id: Set(claimed.lease.id),
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
                .filter(deliveries::Column::EventId.eq(claimed.lease.id))
                .filter(deliveries::Column::Channel.eq(channel.as_str()))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                continue;
            }
            deliveries::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(claimed.lease.id),
                user_id: Set(user.id),
                channel: Set(channel.as_str().to_owned()),
                recipient: Set(recipient),
                status: Set(JobStatus::Pending.as_str().to_owned()),
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
    // Webhooks subscribed to this kind: queued in the same transaction.
    crate::webhooks::enqueue(&txn, claimed.lease.id, claimed.recipient_id, kind, now).await?;
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
    queue::fail::<events::Entity>(db, &claimed.lease, error, retry_at, now, Vec::new()).await
}

/// Gives a claimed event back unprocessed (the worker is stopping).
pub async fn release_event(
    db: &DatabaseConnection,
    claimed: &ClaimedEvent,
) -> Result<(), StoreError> {
    queue::release::<events::Entity>(db, &claimed.lease).await
}

/// Gives a claimed delivery back unsent (the worker is stopping).
pub async fn release_delivery(
    db: &DatabaseConnection,
    job: &DeliveryJob,
) -> Result<(), StoreError> {
    queue::release::<deliveries::Entity>(db, &job.lease).await
}

/// A delivery claimed by this worker, with what its message needs.
#[derive(Debug, Clone)]
pub struct DeliveryJob {
    pub lease: Lease,
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub channel: NotificationChannel,
    pub recipient: String,
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
    let rows = queue::claim::<deliveries::Entity>(db, now, lease, limit).await?;
    let mut jobs = Vec::with_capacity(rows.len());
    for (lease, row) in rows {
        let payload = events::Entity::find_by_id(row.event_id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?
            .payload;
        jobs.push(DeliveryJob {
            lease,
            event_id: row.event_id,
            user_id: row.user_id,
            channel: row.channel.parse().map_err(|e| corrupt("channel", e))?,
            recipient: row.recipient,
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
    queue::finish::<deliveries::Entity, _>(db, &job.lease, now, Vec::new()).await?;
    Ok(())
}

/// Records a failed attempt: the next one at `retry_at`, or `failed` for
/// good when `None`.
pub async fn delivery_failed(
    db: &DatabaseConnection,
    job: &DeliveryJob,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    queue::fail::<deliveries::Entity>(db, &job.lease, error, retry_at, now, Vec::new()).await
}

/// A delivery as stored (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub event_id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub status: JobStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// Deliveries to `user`, oldest first.
pub async fn deliveries_of(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    deliveries::Entity::find()
        .filter(deliveries::Column::UserId.eq(user))
        .order_by_asc(deliveries::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            Ok(DeliveryRecord {
                status: d.status.parse()?,
                id: d.id,
                event_id: d.event_id,
                channel: d.channel,
                recipient: d.recipient,
                attempts: d.attempts,
                next_attempt_at: d.next_attempt_at,
                last_error: d.last_error,
            })
        })
        .collect()
}

/// Events not yet processed (for readiness and tests).
pub async fn pending_events(db: &DatabaseConnection) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(events::Entity::find()
        .filter(events::Column::ProcessedAt.is_null())
        .count(db)
        .await?)
}
