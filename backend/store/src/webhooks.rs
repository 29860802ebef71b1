//! Webhooks (docs/webhooks.md): a user's registered URLs and the
//! delivery log.
//!
//! * [`enqueue`] is called by the notification fan-out inside its
//!   transaction: one `webhook_deliveries` row per webhook of the
//!   recipient subscribed to the event's kind (unique per webhook × event,
//!   so a re-run creates nothing twice).
//! * The sender [`claim`]s due deliveries with a lease on the job queue
//!   ([`crate::queue`], like the notification deliveries) and records each
//!   attempt with [`sent`] or [`failed`].

use crate::entities::{
    notification_events as events, users, webhook_deliveries as deliveries, webhooks,
};
use crate::error::StoreError;
use crate::notifications::corrupt;
use crate::queue::{self, JobStatus, Lease};
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::{Language, NotificationKind};
use mezha_domain::notifications::Event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub url: String,
    pub kinds: Vec<NotificationKind>,
    pub created_at: DateTime<Utc>,
}

fn kinds_of(text: &str) -> Result<Vec<NotificationKind>, StoreError> {
    let names: Vec<String> = serde_json::from_str(text)?;
    names
        .iter()
        .map(|n| n.parse().map_err(|e| corrupt("webhook kind", e)))
        .collect()
}

fn record(m: webhooks::Model) -> Result<WebhookRecord, StoreError> {
    Ok(WebhookRecord {
        kinds: kinds_of(&m.kinds)?,
        id: m.id,
        user_id: m.user_id,
        url: m.url,
        created_at: m.created_at,
    })
}

/// Creates a webhook for `user` unless he already has `max`; `Ok(None)`
/// when he has. The count and the insert share one transaction (the
/// user's row locked on PostgreSQL), so two requests at once cannot pass
/// the limit together.
pub async fn create(
    db: &DatabaseConnection,
    user: Uuid,
    url: &str,
    kinds: &[NotificationKind],
    secret: &str,
    max: u64,
    now: DateTime<Utc>,
) -> Result<Option<WebhookRecord>, StoreError> {
    let txn = crate::db::begin(db).await?;
    let mut owner = users::Entity::find_by_id(user);
    if db.get_database_backend() == DbBackend::Postgres {
        owner = owner.lock_exclusive();
    }
    owner.one(&txn).await?.ok_or(StoreError::NotFound)?;
    let existing = webhooks::Entity::find()
        .filter(webhooks::Column::UserId.eq(user))
        .count(&txn)
        .await?;
    if existing >= max {
        return Ok(None);
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let model = webhooks::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user),
        url: Set(url.to_owned()),
        kinds: Set(serde_json::to_string(&names)?),
        secret: Set(secret.to_owned()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::idempotency::bind(&txn, model.id).await?;
    txn.commit().await?;
    record(model).map(Some)
}

/// The webhooks of `user`, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    user: Uuid,
    limit: u64,
    after: Option<Uuid>,
) -> Result<(Vec<WebhookRecord>, bool), StoreError> {
    let mut query = webhooks::Entity::find().filter(webhooks::Column::UserId.eq(user));
    if let Some(after) = after {
        query = query.filter(webhooks::Column::Id.gt(after));
    }
    let mut rows = query
        .order_by_asc(webhooks::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let rows = rows.into_iter().map(record).collect::<Result<_, _>>()?;
    Ok((rows, more))
}

/// The webhook `id` if it belongs to `user`.
pub async fn get(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Option<WebhookRecord>, StoreError> {
    webhooks::Entity::find_by_id(id)
        .filter(webhooks::Column::UserId.eq(user))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The signing secret of the webhook `id` of `user`.
pub async fn secret_of(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(webhooks::Entity::find_by_id(id)
        .filter(webhooks::Column::UserId.eq(user))
        .one(db)
        .await?
        .map(|m| m.secret))
}

/// Deletes the webhook `id` of `user` with its delivery log; whether it
/// existed.
pub async fn delete(db: &DatabaseConnection, user: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let txn = crate::db::begin(db).await?;
    let found = webhooks::Entity::find_by_id(id)
        .filter(webhooks::Column::UserId.eq(user))
        .one(&txn)
        .await?
        .is_some();
    if found {
        // Explicitly, so SQLite without foreign-key enforcement agrees.
        deliveries::Entity::delete_many()
            .filter(deliveries::Column::WebhookId.eq(id))
            .exec(&txn)
            .await?;
        webhooks::Entity::delete_by_id(id).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(found)
}

/// Queues the event `event_id` of `kind` for every webhook of `user`
/// subscribed to it, inside `db` (the fan-out's transaction). Returns the
/// rows created.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    user: Uuid,
    kind: NotificationKind,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let hooks = webhooks::Entity::find()
        .filter(webhooks::Column::UserId.eq(user))
        .all(db)
        .await?;
    let mut created = 0;
    for hook in hooks {
        if !kinds_of(&hook.kinds)?.contains(&kind) {
            continue;
        }
        let exists = deliveries::Entity::find()
            .filter(deliveries::Column::WebhookId.eq(hook.id))
            .filter(deliveries::Column::EventId.eq(event_id))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        deliveries::ActiveModel {
            id: Set(Uuid::now_v7()),
            webhook_id: Set(hook.id),
            event_id: Set(event_id),
            kind: Set(kind.as_str().to_owned()),
            status: Set(JobStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            claim_token: Set(None),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            last_attempt_at: Set(None),
            sent_at: Set(None),
        }
        .insert(db)
        .await?;
        created += 1;
    }
    Ok(created)
}

/// A delivery claimed by this sender, with what its request needs.
#[derive(Debug, Clone)]
pub struct WebhookJob {
    pub lease: Lease,
    pub webhook_id: Uuid,
    pub url: String,
    pub secret: String,
    pub event: Event,
    pub event_created_at: DateTime<Utc>,
    pub language: Language,
}

/// Claims up to `limit` pending deliveries that are due, for `lease`. Two
/// senders never get the same row.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u64,
) -> Result<Vec<WebhookJob>, StoreError> {
    let rows = queue::claim::<deliveries::Entity>(db, now, lease, limit).await?;
    let mut jobs = Vec::with_capacity(rows.len());
    for (lease, row) in rows {
        // Deleted meanwhile: its rows went with it, nothing to send.
        let Some(hook) = webhooks::Entity::find_by_id(row.webhook_id).one(db).await? else {
            continue;
        };
        let event = events::Entity::find_by_id(row.event_id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        jobs.push(WebhookJob {
            lease,
            webhook_id: hook.id,
            url: hook.url,
            secret: hook.secret,
            event: Event::from_json(&event.payload)?,
            event_created_at: event.created_at,
            language: crate::notifications::language_of(db, hook.user_id).await?,
        });
    }
    Ok(jobs)
}

/// Records a successful attempt (if this sender still holds the row).
pub async fn sent(
    db: &DatabaseConnection,
    job: &WebhookJob,
    status: u16,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let extra = vec![
        (
            deliveries::Column::LastStatus,
            Expr::value(i32::from(status)),
        ),
        (deliveries::Column::LastError, Expr::value(None::<String>)),
        (deliveries::Column::LastAttemptAt, Expr::value(now)),
    ];
    queue::finish::<deliveries::Entity, _>(db, &job.lease, now, extra).await?;
    Ok(())
}

/// Records a failed attempt: the next one at `retry_at`, or `failed` for
/// good when `None`.
pub async fn failed(
    db: &DatabaseConnection,
    job: &WebhookJob,
    status: Option<u16>,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let extra = vec![
        (
            deliveries::Column::LastStatus,
            Expr::value(status.map(i32::from)),
        ),
        (deliveries::Column::LastAttemptAt, Expr::value(now)),
    ];
    queue::fail::<deliveries::Entity>(db, &job.lease, error, retry_at, now, extra).await
}

/// Gives a claimed delivery back unsent (the sender is stopping).
pub async fn release(db: &DatabaseConnection, job: &WebhookJob) -> Result<(), StoreError> {
    queue::release::<deliveries::Entity>(db, &job.lease).await
}

/// One row of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLogRecord {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub status: JobStatus,
    pub attempts: u32,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The deliveries of `webhook`, newest first: `limit` of them older than
/// `before`, and whether there are more.
pub async fn log(
    db: &DatabaseConnection,
    webhook: Uuid,
    limit: u64,
    before: Option<Uuid>,
) -> Result<(Vec<DeliveryLogRecord>, bool), StoreError> {
    let mut query = deliveries::Entity::find().filter(deliveries::Column::WebhookId.eq(webhook));
    if let Some(before) = before {
        query = query.filter(deliveries::Column::Id.lt(before));
    }
    let mut rows = query
        .order_by_desc(deliveries::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let items = rows
        .into_iter()
        .map(|d| {
            Ok(DeliveryLogRecord {
                id: d.id,
                kind: d.kind.parse().map_err(|e| corrupt("webhook kind", e))?,
                status: d.status.parse()?,
                attempts: u32::try_from(d.attempts).unwrap_or(0),
                last_status: d.last_status.and_then(|s| u16::try_from(s).ok()),
                last_error: d.last_error,
                created_at: d.created_at,
                last_attempt_at: d.last_attempt_at,
                next_attempt_at: d.next_attempt_at,
                sent_at: d.sent_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, more))
}
