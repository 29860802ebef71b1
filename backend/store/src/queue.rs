//! One leased job queue over any table that has the queue's columns
//! (docs/adr/0005-outbox-and-job-queue.md).
//!
//! A row is a job. It is *waiting* until it is done or given up, *due* when
//! it is waiting and its time has come, and *leased* while a worker holds
//! it: `claimed_until` in the future and a `claim_token` that only that
//! worker knows.
//!
//! * [`claim`] leases up to `limit` due rows that no live lease holds, in
//!   one atomic `UPDATE … WHERE id IN (SELECT … [FOR UPDATE SKIP LOCKED])`
//!   (SQLite serialises writers; on PostgreSQL `SKIP LOCKED` lets workers
//!   in several processes take disjoint rows without waiting). Two workers
//!   never get the same row; a worker that dies leaves its rows to be
//!   claimed again when the lease runs out.
//! * [`finish`] and [`fail`] record an attempt, and change the row only
//!   while the worker still holds the lease (the token matches): a worker
//!   whose lease ran out and was taken over cannot overwrite the newer
//!   outcome. [`fail`] schedules the next attempt, or gives the job up.
//! * [`release`] gives a claimed job back unattempted (a worker stopping).
//! * [`stats`] counts the rows in each state, for `/metrics`.
//!
//! Each table says what its states mean through [`Queued`]: the
//! notification outbox (`notification_events`: done when fanned out), the
//! notification deliveries and the webhook deliveries (a [`JobStatus`] and
//! a `next_attempt_at`).

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

/// Where a delivery job stands (the `status` column of the delivery tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// Done: handed over (to the mail or SMS provider, to the receiver).
    Sent,
    /// Given up after every attempt failed.
    Failed,
}

impl JobStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Sent => "sent",
            JobStatus::Failed => "failed",
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JobStatus {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(JobStatus::Pending),
            "sent" => Ok(JobStatus::Sent),
            "failed" => Ok(JobStatus::Failed),
            other => Err(StoreError::Corrupt(format!("job status: {other:?}"))),
        }
    }
}

impl From<JobStatus> for sea_orm::Value {
    fn from(status: JobStatus) -> Self {
        status.as_str().into()
    }
}

/// A table that is a job queue: its lease columns, and what waiting, due,
/// done and given up mean for it.
pub trait Queued: EntityTrait {
    /// The queue's name in logs and metrics.
    const NAME: &'static str;
    /// The primary key (a UUID).
    const ID: Self::Column;
    /// Until when the lease holds (`NULL`: not leased).
    const CLAIMED_UNTIL: Self::Column;
    /// The token of the worker holding the lease.
    const CLAIM_TOKEN: Self::Column;
    /// Attempts made.
    const ATTEMPTS: Self::Column;
    /// Why the last attempt failed.
    const LAST_ERROR: Self::Column;
    /// Due rows are taken in this column's order.
    const ORDER: Self::Column;

    /// The row's id and attempts made.
    fn lease_of(model: &Self::Model) -> (Uuid, i32);
    /// Rows not done and not given up.
    fn waiting() -> Condition;
    /// Waiting rows whose time has come at `now`.
    fn due(now: DateTime<Utc>) -> Condition;
    /// Rows given up.
    fn given_up() -> Condition;
    /// The columns that say the job is done.
    fn done(now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)>;
    /// The columns that schedule the next attempt at `at` (and release
    /// or keep the lease).
    fn retry(at: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)>;
    /// The columns that give the job up.
    fn give_up(now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)>;
}

/// A worker's hold on one row: what [`finish`] and [`fail`] need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The row.
    pub id: Uuid,
    /// The claim's token.
    pub token: Uuid,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// Rows leased by one [`claim`], each with its [`Lease`].
pub type Claimed<M> = Vec<(Lease, M)>;

fn lease_until(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60))
}

fn free<Q: Queued>(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(Q::CLAIMED_UNTIL.is_null())
        .add(Q::CLAIMED_UNTIL.lt(now))
}

fn attempts_after(lease: &Lease) -> SimpleExpr {
    Expr::value(i32::try_from(lease.attempts + 1).unwrap_or(i32::MAX))
}

/// Leases up to `limit` due rows that no live lease holds, for `lease`.
pub async fn claim<Q: Queued>(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Claimed<Q::Model>, StoreError> {
    let token = Uuid::new_v4();
    let mut candidates = Q::find()
        .select_only()
        .column(Q::ID)
        .filter(Q::due(now))
        .filter(free::<Q>(now))
        .order_by_asc(Q::ORDER)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        candidates = candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claimed = Q::update_many()
        .col_expr(Q::CLAIMED_UNTIL, Expr::value(lease_until(now, lease)))
        .col_expr(Q::CLAIM_TOKEN, Expr::value(token))
        .filter(Q::ID.in_subquery(candidates.into_query()))
        .filter(Q::due(now))
        .filter(free::<Q>(now))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(Vec::new());
    }
    Ok(Q::find()
        .filter(Q::CLAIM_TOKEN.eq(token))
        .filter(Q::waiting())
        .order_by_asc(Q::ORDER)
        .all(db)
        .await?
        .into_iter()
        .map(|model| {
            let (id, attempts) = Q::lease_of(&model);
            let lease = Lease {
                id,
                token,
                attempts: u32::try_from(attempts).unwrap_or(0),
            };
            (lease, model)
        })
        .collect())
}

/// Marks the job done, counting the attempt, with the table's own `extra`
/// columns — inside `db`, which may be the transaction that did the work.
/// `false` when the lease was lost (nothing changed).
pub async fn finish<Q: Queued, C: ConnectionTrait>(
    db: &C,
    lease: &Lease,
    now: DateTime<Utc>,
    extra: Vec<(Q::Column, SimpleExpr)>,
) -> Result<bool, StoreError> {
    let mut update = Q::update_many()
        .col_expr(Q::ATTEMPTS, attempts_after(lease))
        .col_expr(Q::CLAIMED_UNTIL, Expr::value(None::<DateTime<Utc>>));
    for (column, value) in Q::done(now).into_iter().chain(extra) {
        update = update.col_expr(column, value);
    }
    let done = update
        .filter(Q::ID.eq(lease.id))
        .filter(Q::CLAIM_TOKEN.eq(lease.token))
        .filter(Q::waiting())
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// Records a failed attempt with its `error` and the table's own `extra`
/// columns: the next attempt at `retry_at`, or given up for good when
/// `None`. Nothing changes when the lease was lost.
pub async fn fail<Q: Queued>(
    db: &DatabaseConnection,
    lease: &Lease,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    extra: Vec<(Q::Column, SimpleExpr)>,
) -> Result<(), StoreError> {
    let next = match retry_at {
        Some(at) => Q::retry(at),
        None => Q::give_up(now),
    };
    let mut update = Q::update_many()
        .col_expr(Q::ATTEMPTS, attempts_after(lease))
        .col_expr(Q::LAST_ERROR, Expr::value(error.to_owned()));
    for (column, value) in next.into_iter().chain(extra) {
        update = update.col_expr(column, value);
    }
    update
        .filter(Q::ID.eq(lease.id))
        .filter(Q::CLAIM_TOKEN.eq(lease.token))
        .filter(Q::waiting())
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a claimed job back unattempted (a worker stopping): its lease
/// ends now, so another worker may claim it at once instead of when the
/// lease runs out. Nothing changes when the lease was lost.
pub async fn release<Q: Queued>(db: &DatabaseConnection, lease: &Lease) -> Result<(), StoreError> {
    Q::update_many()
        .col_expr(Q::CLAIMED_UNTIL, Expr::value(None::<DateTime<Utc>>))
        .filter(Q::ID.eq(lease.id))
        .filter(Q::CLAIM_TOKEN.eq(lease.token))
        .filter(Q::waiting())
        .exec(db)
        .await?;
    Ok(())
}

/// How many rows of a queue are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Not done and not given up.
    pub waiting: u64,
    /// Waiting and due now (late work piles up here).
    pub due: u64,
    /// Waiting and held by a live lease.
    pub leased: u64,
    /// Given up after every attempt failed.
    pub failed: u64,
}

/// Counts the rows of queue `Q` in each state at `now`.
pub async fn stats<Q: Queued>(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<QueueStats, StoreError>
where
    Q::Model: Send + Sync,
{
    let count = |condition: Condition| Q::find().filter(condition).count(db);
    Ok(QueueStats {
        waiting: count(Q::waiting()).await?,
        due: count(Q::due(now).add(free::<Q>(now))).await?,
        leased: count(Q::waiting().add(Q::CLAIMED_UNTIL.gte(now))).await?,
        failed: count(Q::given_up()).await?,
    })
}

/// Every queue of the product with its rows in each state, by name.
pub async fn all_stats(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(&'static str, QueueStats)>, StoreError> {
    use crate::entities::{
        deal_registry_jobs, notification_deliveries, notification_events, webhook_deliveries,
    };
    Ok(vec![
        (
            notification_events::Entity::NAME,
            stats::<notification_events::Entity>(db, now).await?,
        ),
        (
            notification_deliveries::Entity::NAME,
            stats::<notification_deliveries::Entity>(db, now).await?,
        ),
        (
            webhook_deliveries::Entity::NAME,
            stats::<webhook_deliveries::Entity>(db, now).await?,
        ),
        (
            deal_registry_jobs::Entity::NAME,
            stats::<deal_registry_jobs::Entity>(db, now).await?,
        ),
    ])
}

/// The queues of the product: what their states mean.
pub mod tables {
    use super::{JobStatus, Queued};
    use crate::entities::{
        deal_registry_jobs, notification_deliveries, notification_events, webhook_deliveries,
    };
    use chrono::{DateTime, Utc};
    use sea_orm::sea_query::{Expr, SimpleExpr};
    use sea_orm::{ColumnTrait, Condition};
    use uuid::Uuid;

    /// The outbox of notification events: done once fanned out; a failed
    /// fan-out keeps its lease until the retry time (the table has no
    /// schedule column of its own).
    impl Queued for notification_events::Entity {
        const NAME: &'static str = "notification_events";
        const ID: Self::Column = notification_events::Column::Id;
        const CLAIMED_UNTIL: Self::Column = notification_events::Column::ClaimedUntil;
        const CLAIM_TOKEN: Self::Column = notification_events::Column::ClaimToken;
        const ATTEMPTS: Self::Column = notification_events::Column::Attempts;
        const LAST_ERROR: Self::Column = notification_events::Column::LastError;
        const ORDER: Self::Column = notification_events::Column::Id;

        fn lease_of(model: &Self::Model) -> (Uuid, i32) {
            (model.id, model.attempts)
        }
        fn waiting() -> Condition {
            Condition::all().add(notification_events::Column::ProcessedAt.is_null())
        }
        fn due(_now: DateTime<Utc>) -> Condition {
            Self::waiting()
        }
        /// Processed, but still stamped with a lease time: [`finish`](super::finish)
        /// clears it, [`give_up`](Queued::give_up) sets it.
        fn given_up() -> Condition {
            Condition::all()
                .add(notification_events::Column::ProcessedAt.is_not_null())
                .add(notification_events::Column::ClaimedUntil.is_not_null())
        }
        fn done(now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
            vec![(notification_events::Column::ProcessedAt, Expr::value(now))]
        }
        fn retry(at: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
            vec![(notification_events::Column::ClaimedUntil, Expr::value(at))]
        }
        fn give_up(now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
            vec![
                (notification_events::Column::ProcessedAt, Expr::value(now)),
                (notification_events::Column::ClaimedUntil, Expr::value(now)),
            ]
        }
    }

    /// Generates [`Queued`] for a delivery table: a [`JobStatus`], a
    /// `next_attempt_at` and a `sent_at`.
    macro_rules! delivery_queue {
        ($name:literal, $table:ident) => {
            impl Queued for $table::Entity {
                const NAME: &'static str = $name;
                const ID: Self::Column = $table::Column::Id;
                const CLAIMED_UNTIL: Self::Column = $table::Column::ClaimedUntil;
                const CLAIM_TOKEN: Self::Column = $table::Column::ClaimToken;
                const ATTEMPTS: Self::Column = $table::Column::Attempts;
                const LAST_ERROR: Self::Column = $table::Column::LastError;
                const ORDER: Self::Column = $table::Column::NextAttemptAt;

                fn lease_of(model: &Self::Model) -> (Uuid, i32) {
                    (model.id, model.attempts)
                }
                fn waiting() -> Condition {
                    Condition::all().add($table::Column::Status.eq(JobStatus::Pending))
                }
                fn due(now: DateTime<Utc>) -> Condition {
                    Self::waiting().add($table::Column::NextAttemptAt.lte(now))
                }
                fn given_up() -> Condition {
                    Condition::all().add($table::Column::Status.eq(JobStatus::Failed))
                }
                fn done(now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
                    vec![
                        ($table::Column::Status, Expr::value(JobStatus::Sent)),
                        ($table::Column::SentAt, Expr::value(now)),
                    ]
                }
                fn retry(at: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
                    vec![
                        ($table::Column::NextAttemptAt, Expr::value(at)),
                        (
                            $table::Column::ClaimedUntil,
                            Expr::value(None::<DateTime<Utc>>),
                        ),
                    ]
                }
                fn give_up(_now: DateTime<Utc>) -> Vec<(Self::Column, SimpleExpr)> {
                    vec![
                        ($table::Column::Status, Expr::value(JobStatus::Failed)),
                        (
                            $table::Column::ClaimedUntil,
                            Expr::value(None::<DateTime<Utc>>),
                        ),
                    ]
                }
            }
        };
    }

    delivery_queue!("notification_deliveries", notification_deliveries);
    delivery_queue!("webhook_deliveries", webhook_deliveries);
    delivery_queue!("deal_registry_jobs", deal_registry_jobs);
}

#[cfg(test)]
mod tests {
    use super::JobStatus;

    #[test]
    fn statuses_round_trip_and_refuse_unknown_names() {
        for status in [JobStatus::Pending, JobStatus::Sent, JobStatus::Failed] {
            assert_eq!(status.as_str().parse::<JobStatus>().unwrap(), status);
        }
        assert!("done".parse::<JobStatus>().is_err());
    }

    /// A released job can be claimed again at once; a release by a worker
    /// whose lease was taken over changes nothing.
    #[tokio::test]
    async fn a_released_job_is_claimed_again_at_once() {
        use crate::notifications::{claim_events, emit, release_event};
        use mezha_domain::notifications::{Event, OrderRef};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("queue.db").display());
        let db = crate::db::connect(&url, 2).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let now = chrono::Utc::now();
        let user = crate::users::create(
            &db,
            crate::users::NewUser {
                email: "anna@example.ru".into(),
                password_hash: None,
                full_name: None,
                email_confirmed: true,
                roles: Vec::new(),
            },
            now,
        )
        .await
        .unwrap();
        let event = Event::PaymentMarked {
            order: OrderRef {
                id: uuid::Uuid::new_v4(),
                number: 1,
                title: "Заказ".into(),
            },
        };
        emit(&db, user.id, &event, now).await.unwrap();
        let lease = std::time::Duration::from_secs(600);

        let first = claim_events(&db, now, lease, 10).await.unwrap();
        assert_eq!(first.len(), 1);
        assert!(
            claim_events(&db, now, lease, 10).await.unwrap().is_empty(),
            "leased"
        );
        release_event(&db, &first[0]).await.unwrap();
        let second = claim_events(&db, now, lease, 10).await.unwrap();
        assert_eq!(second.len(), 1, "free again at once");
        assert_ne!(second[0].lease.token, first[0].lease.token);

        // The first worker's late release leaves the second one's lease.
        release_event(&db, &first[0]).await.unwrap();
        assert!(claim_events(&db, now, lease, 10).await.unwrap().is_empty());
    }
}
