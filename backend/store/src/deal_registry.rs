//! A deal at the registry (docs/deals.md, "Sending", "The state fee",
//! "The registry's answers"): the jobs that reach the gateway — the
//! package's submission and the fee's payment notice, each queued in the
//! transaction that changes the deal's status, with an idempotency key the
//! gateway de-duplicates by (an outbox: a crash between the change and the
//! send loses nothing, a retry never submits twice) — and the registry's
//! status events, each recorded once per package and sequence number.

use crate::deals::{DealRecord, log};
use crate::entities::{deal_registry_events as events, deal_registry_jobs as jobs, deals};
use crate::error::StoreError;
use crate::queue::{self, JobStatus, Lease};
use chrono::{DateTime, Utc};
use mezha_api_types::deals::{DealAction, DealStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// What a registry job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Submit the deal's package.
    Submit,
    /// Tell the registry the state fee is paid.
    Fee,
    /// E-mail the deal's clients that it is registered (queued with the
    /// step to `registered`, so no registration goes untold).
    TellClients,
}

impl JobKind {
    fn as_str(self) -> &'static str {
        match self {
            JobKind::Submit => "submit",
            JobKind::Fee => "fee",
            JobKind::TellClients => "tell_clients",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "submit" => Ok(JobKind::Submit),
            "fee" => Ok(JobKind::Fee),
            "tell_clients" => Ok(JobKind::TellClients),
            other => Err(StoreError::Corrupt(format!("registry job kind {other:?}"))),
        }
    }
}

/// A claimed registry job.
#[derive(Debug, Clone)]
pub struct RegistryJob {
    pub lease: Lease,
    pub deal_id: Uuid,
    pub kind: JobKind,
    /// Sent as `Idempotency-Key`, the same on every attempt.
    pub idempotency_key: String,
}

async fn queue_job<C: ConnectionTrait>(
    conn: &C,
    deal_id: Uuid,
    kind: JobKind,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    jobs::ActiveModel {
        id: Set(Uuid::now_v7()),
        deal_id: Set(deal_id),
        kind: Set(kind.as_str().to_owned()),
        idempotency_key: Set(format!("mezha-{}-{}", kind.as_str(), Uuid::new_v4())),
        status: Set(JobStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        claim_token: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Moves the deal from `from` to `to` if it is still there (and at its
/// version, when given), with a history entry; `VersionMismatch` if not.
#[allow(clippy::too_many_arguments)]
async fn step<C: ConnectionTrait>(
    conn: &C,
    deal: &DealRecord,
    (from, to): (DealStatus, DealStatus),
    action: DealAction,
    version: Option<i64>,
    actor: Option<Uuid>,
    message: Option<String>,
    extra: Vec<(deals::Column, sea_orm::sea_query::SimpleExpr)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = deals::Entity::update_many()
        .col_expr(deals::Column::Status, Expr::value(to.as_str()))
        .col_expr(
            deals::Column::Version,
            Expr::col(deals::Column::Version).add(1),
        )
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .filter(deals::Column::Id.eq(deal.id))
        .filter(deals::Column::Status.eq(from.as_str()));
    if let Some(v) = version {
        update = update.filter(deals::Column::Version.eq(v));
    }
    for (column, value) in extra {
        update = update.col_expr(column, value);
    }
    if update.exec(conn).await?.rows_affected != 1 {
        return Err(StoreError::VersionMismatch);
    }
    log(conn, deal.id, action, (Some(from), to), actor, message, now).await
}

/// `send`: a ready deal (seen at its version) is submitted, and its
/// package's submission queued, in one transaction.
pub async fn send(
    db: &DatabaseConnection,
    deal: &DealRecord,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    step(
        &txn,
        deal,
        (DealStatus::Ready, DealStatus::Submitted),
        DealAction::Send,
        Some(deal.version),
        Some(actor),
        None,
        Vec::new(),
        now,
    )
    .await?;
    queue_job(&txn, deal.id, JobKind::Submit, now).await?;
    txn.commit().await?;
    Ok(())
}

/// `pay_fee` / `fee_paid`: the fee of a deal in `fee_payment` is paid (by
/// `payer`, or automatically when `None`), the deal goes to
/// `in_registration` and the payment notice is queued, in one transaction.
pub async fn fee_paid(
    db: &DatabaseConnection,
    deal: &DealRecord,
    payer: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    pay_in(&txn, deal, payer, now).await?;
    txn.commit().await?;
    Ok(())
}

async fn pay_in<C: ConnectionTrait>(
    conn: &C,
    deal: &DealRecord,
    payer: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let action = if payer.is_some() {
        DealAction::PayFee
    } else {
        DealAction::FeePaid
    };
    step(
        conn,
        deal,
        (DealStatus::FeePayment, DealStatus::InRegistration),
        action,
        None,
        payer,
        None,
        vec![
            (deals::Column::FeePaidAt, Expr::value(now)),
            (deals::Column::FeePaidBy, Expr::value(payer)),
        ],
        now,
    )
    .await?;
    queue_job(conn, deal.id, JobKind::Fee, now).await
}

/// Up to `limit` registry jobs due at `now`, leased for `lease`.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u64,
) -> Result<Vec<RegistryJob>, StoreError> {
    queue::claim::<jobs::Entity>(db, now, lease, limit)
        .await?
        .into_iter()
        .map(|(lease, row)| {
            Ok(RegistryJob {
                lease,
                deal_id: row.deal_id,
                kind: JobKind::parse(&row.kind)?,
                idempotency_key: row.idempotency_key,
            })
        })
        .collect()
}

/// A submission the gateway took: the package's id is kept with the deal
/// (the first one: a repeated answer names the same package) and the job
/// is done.
pub async fn submitted(
    db: &DatabaseConnection,
    job: &RegistryJob,
    package_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    deals::Entity::update_many()
        .col_expr(deals::Column::RegistryPackageId, Expr::value(package_id))
        .filter(deals::Column::Id.eq(job.deal_id))
        .filter(deals::Column::RegistryPackageId.is_null())
        .exec(&txn)
        .await?;
    queue::finish::<jobs::Entity, _>(&txn, &job.lease, now, Vec::new()).await?;
    txn.commit().await?;
    Ok(())
}

/// A job done (the fee notice taken).
pub async fn done(
    db: &DatabaseConnection,
    job: &RegistryJob,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    queue::finish::<jobs::Entity, _>(db, &job.lease, now, Vec::new()).await?;
    Ok(())
}

/// A failed attempt: again at `retry_at`, or given up.
pub async fn failed(
    db: &DatabaseConnection,
    job: &RegistryJob,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    queue::fail::<jobs::Entity>(db, &job.lease, error, retry_at, now, Vec::new()).await
}

/// Gives a claimed job back unattempted (the worker is stopping).
pub async fn release(db: &DatabaseConnection, job: &RegistryJob) -> Result<(), StoreError> {
    queue::release::<jobs::Entity>(db, &job.lease).await
}

/// The newest job of a deal's kind that was given up, and why.
pub async fn given_up(
    db: &DatabaseConnection,
    deal_id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(jobs::Entity::find()
        .filter(jobs::Column::DealId.eq(deal_id))
        .filter(jobs::Column::Status.eq(JobStatus::Failed.as_str()))
        .order_by_desc(jobs::Column::CreatedAt)
        .one(db)
        .await?
        .map(|j| j.last_error.unwrap_or_default()))
}

/// Keeps `package_id` as the deal's package when it has none yet (its
/// callback came before the answer to its submission).
pub async fn adopt_package(
    db: &DatabaseConnection,
    deal_id: Uuid,
    package_id: &str,
) -> Result<(), StoreError> {
    deals::Entity::update_many()
        .col_expr(deals::Column::RegistryPackageId, Expr::value(package_id))
        .filter(deals::Column::Id.eq(deal_id))
        .filter(deals::Column::RegistryPackageId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The deal whose package this is.
pub async fn deal_of_package(
    db: &DatabaseConnection,
    package_id: &str,
) -> Result<Option<Uuid>, StoreError> {
    Ok(deals::Entity::find()
        .filter(deals::Column::RegistryPackageId.eq(package_id))
        .one(db)
        .await?
        .map(|d| d.id))
}

/// Deals the registry works on (submitted with a known package, waiting
/// for the fee, registering, suspended): what polling asks about.
pub async fn at_registry(db: &DatabaseConnection) -> Result<Vec<(Uuid, String)>, StoreError> {
    Ok(deals::Entity::find()
        .filter(deals::Column::RegistryPackageId.is_not_null())
        .filter(deals::Column::Status.is_in([
            DealStatus::Submitted.as_str(),
            DealStatus::FeePayment.as_str(),
            DealStatus::InRegistration.as_str(),
            DealStatus::Suspended.as_str(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| d.registry_package_id.map(|p| (d.id, p)))
        .collect())
}

/// A registry status event, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub package_id: String,
    pub seq: i64,
    pub status: String,
    pub message: Option<String>,
    pub at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

/// The registry's events of a deal, in the registry's order.
pub async fn events(
    db: &DatabaseConnection,
    deal_id: Uuid,
) -> Result<Vec<EventRecord>, StoreError> {
    Ok(events::Entity::find()
        .filter(events::Column::DealId.eq(deal_id))
        .order_by_asc(events::Column::PackageId)
        .order_by_asc(events::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EventRecord {
            package_id: e.package_id,
            seq: e.seq,
            status: e.status,
            message: e.message,
            at: e.at,
            received_at: e.received_at,
        })
        .collect())
}

/// What an event does to its deal, decided by the caller from the deal it
/// read: the steps to take (each `(from, to, action)`), and, when the
/// registry accepted the package, the fee charged.
#[derive(Debug, Clone, Default)]
pub struct EventEffect {
    pub steps: Vec<(DealStatus, DealStatus, DealAction)>,
    /// The fee's UIN and amount (kopecks) to keep, when the package is
    /// accepted.
    pub fee: Option<(String, i64)>,
    /// Pay the fee at once (the organisation pays automatically).
    pub auto_pay: bool,
}

/// The next serial number of a state-fee charge (its UIN's), taken in its
/// own transaction: a number taken and not used leaves only a gap.
pub async fn next_fee_serial(db: &DatabaseConnection) -> Result<i64, StoreError> {
    let txn = crate::db::begin(db).await?;
    let n = crate::sequences::next(&txn, "deal_fee_uin").await?;
    txn.commit().await?;
    Ok(n)
}

/// Records an event once (`false`: known already) and, when it is the
/// newest of its package and the deal is still at `deal.version`, applies
/// `effect` in the same transaction. A deal that changed meanwhile is
/// `VersionMismatch`: the caller reads it again and decides again.
pub async fn record_event(
    db: &DatabaseConnection,
    deal: &DealRecord,
    event: &EventRecord,
    effect: &EventEffect,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = crate::db::begin(db).await?;
    let known = events::Entity::find()
        .filter(events::Column::PackageId.eq(&event.package_id))
        .filter(events::Column::Seq.eq(event.seq))
        .one(&txn)
        .await?;
    if known.is_some() {
        return Ok(false);
    }
    events::ActiveModel {
        id: Set(Uuid::now_v7()),
        deal_id: Set(deal.id),
        package_id: Set(event.package_id.clone()),
        seq: Set(event.seq),
        status: Set(event.status.clone()),
        message: Set(event.message.clone()),
        at: Set(event.at),
        received_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let newer = events::Entity::find()
        .filter(events::Column::PackageId.eq(&event.package_id))
        .filter(events::Column::Seq.gt(event.seq))
        .one(&txn)
        .await?;
    if newer.is_none() && !effect.steps.is_empty() {
        let mut at = deal.clone();
        for (i, (from, to, action)) in effect.steps.iter().enumerate() {
            let mut extra = Vec::new();
            if *to == DealStatus::Suspended {
                extra.push((deals::Column::SuspendedFrom, Expr::value(from.as_str())));
            }
            if let (DealAction::RegistryAccepted, Some((uin, amount))) = (action, &effect.fee) {
                extra.push((deals::Column::FeeUin, Expr::value(uin.clone())));
                extra.push((deals::Column::FeeAmountKopecks, Expr::value(*amount)));
            }
            step(
                &txn,
                &at,
                (*from, *to),
                *action,
                (i == 0).then_some(deal.version),
                None,
                event.message.clone(),
                extra,
                now,
            )
            .await?;
            at.status = *to;
        }
        if effect.auto_pay && at.status == DealStatus::FeePayment {
            pay_in(&txn, &at, None, now).await?;
            at.status = DealStatus::InRegistration;
        }
        // The clients hear of the registration: queued with the step.
        if at.status == DealStatus::Registered {
            queue_job(&txn, deal.id, JobKind::TellClients, now).await?;
        }
        // The responsible employee hears of every move, in this transaction.
        let event = mezha_domain::notifications::Event::DealStatusChanged {
            deal: mezha_domain::notifications::DealRef {
                id: deal.id,
                number: deal.number,
                title: deal.title.clone(),
            },
            from: deal.status,
            to: at.status,
            message: event.message.clone(),
        };
        crate::notifications::emit(&txn, deal.responsible_id, &event, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}
