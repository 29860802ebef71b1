//! The worker runner: drives any job queue of the store
//! ([`mezha_store::queue`]; docs/adr/0005-outbox-and-job-queue.md).
//!
//! A kind of job ([`Jobs`]) says how to claim its rows, how to attempt
//! one and how to record the outcome. The [`Runner`] does the rest, the
//! same for every kind: it claims batches with a lease until nothing is
//! due, attempts the jobs of a batch side by side (or one by one when
//! their order matters), schedules a failed attempt's retry with
//! exponential backoff ([`mezha_domain::notifications::after_failure`]:
//! 30 s, doubling, given up after the last attempt), logs and counts
//! outcomes ([`JobMetrics`], shown by `GET /metrics`), and, spawned, keeps
//! polling until the process stops: then it claims nothing more, finishes
//! the attempts under way and gives back the jobs of its batch it had not
//! begun (docs/deploy.md, "Stopping").
//!
//! The notification worker (the outbox's fan-out and the e-mail/SMS
//! deliveries) and the webhook sender are its users.

use crate::clock::Clock;
use chrono::{DateTime, Utc};
use mezha_domain::notifications::{AfterFailure, after_failure};
use mezha_store::StoreError;
use mezha_store::queue::Lease;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Rows claimed at a time.
const BATCH: u64 = 50;

/// How one attempt at a job ended.
#[derive(Debug)]
pub enum Attempt<D, F> {
    /// The work is done; `D` is what recording it needs.
    Done(D),
    /// It failed with `error`; `F` is what else recording it needs.
    Failed { detail: F, error: String },
    /// Another worker took the job over (this lease ran out): nothing to
    /// record.
    Lost,
}

/// A kind of job: a queue and the work on its rows.
pub trait Jobs: Send + Sync {
    /// A claimed row with what its work needs.
    type Job: Send + Sync;
    /// What a done attempt leaves to record.
    type Done: Send;
    /// What a failed attempt leaves to record beside its error.
    type Failed: Send;
    /// The queue's name in logs and metrics.
    const QUEUE: &'static str;
    /// Whether the jobs of a batch are attempted side by side (each has
    /// its own row and schedule, so a slow one holds no other back) or in
    /// the order they were claimed.
    const CONCURRENT: bool;

    /// Claims up to `limit` due jobs for `lease`.
    fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Self::Job>, StoreError>> + Send;
    /// The job's lease.
    fn lease(job: &Self::Job) -> &Lease;
    /// Attempts the job.
    fn attempt(
        &self,
        job: &Self::Job,
    ) -> impl Future<Output = Attempt<Self::Done, Self::Failed>> + Send;
    /// Records a done attempt (and whatever follows it).
    fn done(
        &self,
        job: &Self::Job,
        done: Self::Done,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Records a failed attempt: the next one at `retry_at`, or given up
    /// when `None`.
    fn failed(
        &self,
        job: &Self::Job,
        detail: Self::Failed,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Gives the job back unattempted (the process is stopping): its lease
    /// ends now.
    fn release(&self, job: &Self::Job) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What draining a queue did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drained {
    /// Jobs done.
    pub done: usize,
    /// Attempts that failed (rescheduled or given up).
    pub failed: usize,
}

/// Outcomes counted since the process started, per queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Jobs done.
    pub done: u64,
    /// Failed attempts that will be retried.
    pub retried: u64,
    /// Jobs given up after their last attempt.
    pub given_up: u64,
}

/// The runner's counters, shared by every worker of the process.
#[derive(Debug, Clone, Default)]
pub struct JobMetrics(Arc<Mutex<BTreeMap<&'static str, JobCounts>>>);

impl JobMetrics {
    fn count(&self, queue: &'static str, add: impl FnOnce(&mut JobCounts)) {
        if let Ok(mut map) = self.0.lock() {
            add(map.entry(queue).or_default());
        }
    }

    /// The counts so far, per queue.
    pub fn snapshot(&self) -> BTreeMap<&'static str, JobCounts> {
        self.0.lock().map(|map| map.clone()).unwrap_or_default()
    }
}

/// When a job that has failed `attempts` times is tried again, if at all.
pub fn retry_at(now: DateTime<Utc>, attempts: u32) -> Option<DateTime<Utc>> {
    match after_failure(attempts) {
        AfterFailure::RetryAfter(delay) => {
            Some(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1)))
        }
        AfterFailure::GiveUp => None,
    }
}

/// Drives job queues: claims, attempts, records, counts.
#[derive(Clone)]
pub struct Runner {
    clock: Arc<dyn Clock>,
    lease: Duration,
    poll: Duration,
    metrics: JobMetrics,
    /// Cancelled when the process stops ([`crate::App::stopping`]).
    stopping: CancellationToken,
}

impl Runner {
    /// A runner leasing rows for `lease` and, when idle, polling every `poll`.
    pub fn new(
        clock: Arc<dyn Clock>,
        lease: Duration,
        poll: Duration,
        metrics: JobMetrics,
    ) -> Self {
        Runner {
            clock,
            lease,
            poll,
            metrics,
            stopping: CancellationToken::new(),
        }
    }

    /// The same runner, stopping when `stopping` is cancelled: it claims
    /// nothing more, finishes (and records) the jobs it is attempting,
    /// gives back those of its batch it has not begun, and [`Runner::run`]
    /// returns.
    pub fn until(mut self, stopping: CancellationToken) -> Self {
        self.stopping = stopping;
        self
    }

    /// Attempts every job of `jobs` that is due now, batch after batch,
    /// until none is left (failed ones were rescheduled into the future).
    pub async fn drain<J: Jobs>(&self, jobs: &J) -> Result<Drained, StoreError> {
        let mut drained = Drained::default();
        loop {
            if self.stopping.is_cancelled() {
                return Ok(drained);
            }
            let batch = jobs.claim(self.clock.now(), self.lease, BATCH).await?;
            if batch.is_empty() {
                return Ok(drained);
            }
            let outcomes = if J::CONCURRENT {
                futures_util::future::join_all(batch.iter().map(|job| self.attempt(jobs, job)))
                    .await
            } else {
                let mut outcomes = Vec::with_capacity(batch.len());
                for job in &batch {
                    if self.stopping.is_cancelled() {
                        // Not begun: back to the queue for another process.
                        if let Err(e) = jobs.release(job).await {
                            tracing::warn!(queue = J::QUEUE, job = %J::lease(job).id, error = %e, "giving a job back failed");
                        }
                        continue;
                    }
                    outcomes.push(self.attempt(jobs, job).await);
                }
                outcomes
            };
            for outcome in outcomes {
                match outcome {
                    Some(true) => drained.done += 1,
                    Some(false) => drained.failed += 1,
                    None => {}
                }
            }
        }
    }

    /// One attempt, recorded: `Some(done?)`, or `None` when the lease was lost.
    async fn attempt<J: Jobs>(&self, jobs: &J, job: &J::Job) -> Option<bool> {
        let attempt = jobs.attempt(job).await;
        let now = self.clock.now();
        let lease = J::lease(job);
        let (recorded, done) = match attempt {
            Attempt::Lost => return None,
            Attempt::Done(done) => {
                self.metrics.count(J::QUEUE, |c| c.done += 1);
                (jobs.done(job, done, now).await, true)
            }
            Attempt::Failed { detail, error } => {
                let attempts = lease.attempts + 1;
                let next = retry_at(now, attempts);
                self.metrics.count(J::QUEUE, |c| match next {
                    Some(_) => c.retried += 1,
                    None => c.given_up += 1,
                });
                tracing::warn!(
                    queue = J::QUEUE,
                    job = %lease.id,
                    attempts,
                    retry_at = ?next,
                    error = %error,
                    "job attempt failed"
                );
                (jobs.failed(job, detail, &error, next, now).await, false)
            }
        };
        if let Err(e) = recorded {
            tracing::error!(queue = J::QUEUE, job = %lease.id, error = %e, "recording the attempt failed");
        }
        Some(done)
    }

    /// Runs `pass` until the process stops (spawned at start), pausing
    /// `poll` after a pass that found nothing to do or failed. `pass` says how many jobs it
    /// attempted.
    pub async fn run<F, Fut>(self, name: &'static str, mut pass: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<usize, StoreError>>,
    {
        while !self.stopping.is_cancelled() {
            let pause = match pass().await {
                Ok(0) => true,
                Ok(attempted) => {
                    tracing::debug!(worker = name, attempted, "worker pass");
                    false
                }
                Err(e) => {
                    tracing::error!(worker = name, error = %format!("{e:#}"), "worker pass failed");
                    true
                }
            };
            if pause {
                tokio::select! {
                    () = tokio::time::sleep(self.poll) => {}
                    () = self.stopping.cancelled() => {}
                }
            }
        }
        tracing::info!(worker = name, "worker stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use uuid::Uuid;

    /// A recorded attempt: the job, the retry time, whether it was done.
    type Recorded = (Uuid, Option<DateTime<Utc>>, bool);

    /// A queue in memory: the jobs named in `fail` fail, the others succeed.
    struct Memory {
        due: Mutex<Vec<Lease>>,
        fail: Vec<Uuid>,
        recorded: Mutex<Vec<Recorded>>,
        claims: AtomicUsize,
    }

    impl Jobs for Memory {
        type Job = Lease;
        type Done = ();
        type Failed = ();
        const QUEUE: &'static str = "memory";
        const CONCURRENT: bool = true;

        async fn claim(
            &self,
            _now: DateTime<Utc>,
            _lease: Duration,
            _limit: u64,
        ) -> Result<Vec<Lease>, StoreError> {
            self.claims.fetch_add(1, Ordering::SeqCst);
            Ok(std::mem::take(&mut *self.due.lock().unwrap()))
        }
        fn lease(job: &Lease) -> &Lease {
            job
        }
        async fn attempt(&self, job: &Lease) -> Attempt<(), ()> {
            if self.fail.contains(&job.id) {
                Attempt::Failed {
                    detail: (),
                    error: "no".into(),
                }
            } else {
                Attempt::Done(())
            }
        }
        async fn done(&self, job: &Lease, _: (), _now: DateTime<Utc>) -> Result<(), StoreError> {
            self.recorded.lock().unwrap().push((job.id, None, true));
            Ok(())
        }
        async fn failed(
            &self,
            job: &Lease,
            _: (),
            _error: &str,
            retry_at: Option<DateTime<Utc>>,
            _now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            self.recorded
                .lock()
                .unwrap()
                .push((job.id, retry_at, false));
            Ok(())
        }
        async fn release(&self, _job: &Lease) -> Result<(), StoreError> {
            Ok(())
        }
    }

    fn lease(attempts: u32) -> Lease {
        Lease {
            id: Uuid::new_v4(),
            token: Uuid::new_v4(),
            attempts,
        }
    }

    #[tokio::test]
    async fn drains_until_nothing_is_due_and_schedules_or_gives_up_failures() {
        let clock = ManualClock::default();
        let now = clock.now();
        let metrics = JobMetrics::default();
        let runner = Runner::new(
            Arc::new(clock),
            Duration::from_secs(60),
            Duration::from_secs(1),
            metrics.clone(),
        );
        let max = mezha_domain::notifications::MAX_DELIVERY_ATTEMPTS;
        let (first, late, last) = (lease(0), lease(max), lease(max - 1));
        let jobs = Memory {
            due: Mutex::new(vec![first, late, last]),
            fail: vec![first.id, last.id],
            recorded: Mutex::default(),
            claims: AtomicUsize::new(0),
        };
        let drained = runner.drain(&jobs).await.unwrap();
        assert_eq!(drained, Drained { done: 1, failed: 2 });
        // Claimed until a claim came back empty.
        assert_eq!(jobs.claims.load(Ordering::SeqCst), 2);
        let recorded = jobs.recorded.lock().unwrap().clone();
        assert!(recorded.contains(&(late.id, None, true)), "{recorded:?}");
        // The first failure is retried 30 s later; the last one is given up.
        let retry = now + chrono::Duration::seconds(30);
        assert!(
            recorded.contains(&(first.id, Some(retry), false)),
            "{recorded:?}"
        );
        assert!(recorded.contains(&(last.id, None, false)), "{recorded:?}");
        let counts = metrics.snapshot()["memory"];
        assert_eq!(
            counts,
            JobCounts {
                done: 1,
                retried: 1,
                given_up: 1
            }
        );
    }

    /// A queue whose jobs must go in order; the process is told to stop
    /// while its first job is being attempted.
    struct InOrder {
        due: Mutex<Vec<Lease>>,
        stopping: CancellationToken,
        attempted: Mutex<Vec<Uuid>>,
        released: Mutex<Vec<Uuid>>,
        claims: AtomicUsize,
    }

    impl Jobs for InOrder {
        type Job = Lease;
        type Done = ();
        type Failed = ();
        const QUEUE: &'static str = "in-order";
        const CONCURRENT: bool = false;

        async fn claim(
            &self,
            _now: DateTime<Utc>,
            _lease: Duration,
            _limit: u64,
        ) -> Result<Vec<Lease>, StoreError> {
            self.claims.fetch_add(1, Ordering::SeqCst);
            Ok(std::mem::take(&mut *self.due.lock().unwrap()))
        }
        fn lease(job: &Lease) -> &Lease {
            job
        }
        async fn attempt(&self, job: &Lease) -> Attempt<(), ()> {
            self.attempted.lock().unwrap().push(job.id);
            self.stopping.cancel();
            Attempt::Done(())
        }
        async fn done(&self, _job: &Lease, _: (), _now: DateTime<Utc>) -> Result<(), StoreError> {
            Ok(())
        }
        async fn failed(
            &self,
            _job: &Lease,
            _: (),
            _error: &str,
            _retry_at: Option<DateTime<Utc>>,
            _now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        async fn release(&self, job: &Lease) -> Result<(), StoreError> {
            self.released.lock().unwrap().push(job.id);
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_stopping_runner_finishes_the_job_under_way_and_gives_the_rest_back() {
        let stopping = CancellationToken::new();
        let jobs = [lease(0), lease(0), lease(0)];
        let queue = InOrder {
            due: Mutex::new(jobs.to_vec()),
            stopping: stopping.clone(),
            attempted: Mutex::default(),
            released: Mutex::default(),
            claims: AtomicUsize::new(0),
        };
        let runner = Runner::new(
            Arc::new(ManualClock::default()),
            Duration::from_secs(60),
            Duration::from_secs(3600),
            JobMetrics::default(),
        )
        .until(stopping);
        let drained = runner.drain(&queue).await.unwrap();
        assert_eq!(drained.done, 1);
        assert_eq!(*queue.attempted.lock().unwrap(), [jobs[0].id]);
        assert_eq!(*queue.released.lock().unwrap(), [jobs[1].id, jobs[2].id]);
        assert_eq!(
            queue.claims.load(Ordering::SeqCst),
            1,
            "nothing claimed after"
        );

        // Stopped, `run` returns at once instead of polling (an hour here).
        tokio::time::timeout(
            Duration::from_secs(5),
            runner.run("in-order", || async { Ok(0) }),
        )
        .await
        .expect("a stopped runner returns");
    }
}
