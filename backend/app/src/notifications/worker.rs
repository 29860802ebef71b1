//! The notification worker: drains the outbox of events into in-app
//! notifications and per-channel deliveries, and sends the deliveries that
//! are due — e-mail through the [`Mailer`], SMS through the
//! [`SmsProvider`]. Both are job queues driven by the [`Runner`]
//! ([`crate::jobs`]): leased rows, so any number of server processes can
//! run a worker; retries with exponential backoff. Events are fanned out
//! in order; the deliveries of a batch are sent side by side, each with
//! its own row and schedule, so a failing or slow channel holds no other
//! back.

use crate::App;
use crate::clock::Clock;
use crate::jobs::{Attempt, Jobs, Runner};
use crate::messaging::{Mail, Mailer, SmsProvider};
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::NotificationChannel;
use mezha_domain::notifications::render;
use mezha_store::counters::Unread;
use mezha_store::notifications::{self as store, ClaimedEvent, DeliveryJob, FanOut};
use mezha_store::queue::Lease;
use mezha_store::{DatabaseConnection, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Longest wait for one provider call.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Events turned into notifications and deliveries.
    pub events: usize,
    /// Deliveries sent.
    pub sent: usize,
    /// Delivery attempts that failed (rescheduled or given up).
    pub failed: usize,
}

/// The outbox of events, fanned out into notifications and deliveries.
#[derive(Clone)]
struct Outbox {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    unread: Unread,
    events: crate::events::Hub,
    public_url: String,
}

impl Jobs for Outbox {
    type Job = ClaimedEvent;
    type Done = FanOut;
    type Failed = ();
    const QUEUE: &'static str = "notification_events";
    // A recipient's notifications are numbered in the order they are made.
    const CONCURRENT: bool = false;

    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<ClaimedEvent>, StoreError> {
        store::claim_events(&self.db, now, lease, limit).await
    }

    fn lease(job: &ClaimedEvent) -> &Lease {
        &job.lease
    }

    /// The fan-out records itself: it marks the event processed in its
    /// own transaction.
    async fn attempt(&self, job: &ClaimedEvent) -> Attempt<FanOut, ()> {
        match store::fan_out(&self.db, job, self.clock.now()).await {
            Ok(out) => Attempt::Done(out),
            Err(StoreError::VersionMismatch) => Attempt::Lost,
            Err(e) => Attempt::Failed {
                detail: (),
                error: format!("{e:#}"),
            },
        }
    }

    async fn done(
        &self,
        _: &ClaimedEvent,
        out: FanOut,
        _: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if let Some((user, id)) = out.notification {
            if let Err(e) = self.unread.add_system(user, id).await {
                // The database has it; the next recount will too.
                tracing::warn!(error = %e, user = %user, "unread counter not updated");
            }
            use crate::events::{publish_counters, publish_notification};
            publish_notification(&self.events, &self.db, user, id, &self.public_url).await;
            publish_counters(&self.events, &self.db, &self.unread, user).await;
        }
        Ok(())
    }

    async fn failed(
        &self,
        job: &ClaimedEvent,
        _: (),
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        store::event_failed(&self.db, job, error, retry_at, now).await
    }
    async fn release(&self, job: &ClaimedEvent) -> Result<(), StoreError> {
        store::release_event(&self.db, job).await
    }
}

/// The e-mail and SMS deliveries.
#[derive(Clone)]
struct Deliveries {
    db: DatabaseConnection,
    mailer: Arc<dyn Mailer>,
    sms: Arc<dyn SmsProvider>,
    public_url: String,
}

impl Deliveries {
    async fn send(&self, job: &DeliveryJob) -> anyhow::Result<()> {
        let texts = render(&job.event, job.language, &self.public_url);
        let call = async {
            match job.channel {
                NotificationChannel::Email => {
                    self.mailer
                        .send(Mail {
                            to: job.recipient.clone(),
                            subject: texts.title,
                            body: texts.email_text,
                            html: Some(texts.email_html),
                        })
                        .await
                }
                NotificationChannel::Sms => self.sms.send(&job.recipient, &texts.sms).await,
                NotificationChannel::InApp => Ok(()),
            }
        };
        tokio::time::timeout(SEND_TIMEOUT, call)
            .await
            .map_err(|_| anyhow::anyhow!("the provider did not answer in {SEND_TIMEOUT:?}"))?
    }
}

impl Jobs for Deliveries {
    type Job = DeliveryJob;
    type Done = ();
    type Failed = ();
    const QUEUE: &'static str = "notification_deliveries";
    const CONCURRENT: bool = true;

    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<DeliveryJob>, StoreError> {
        store::claim_deliveries(&self.db, now, lease, limit).await
    }

    fn lease(job: &DeliveryJob) -> &Lease {
        &job.lease
    }

    async fn attempt(&self, job: &DeliveryJob) -> Attempt<(), ()> {
        match self.send(job).await {
            Ok(()) => Attempt::Done(()),
            Err(e) => Attempt::Failed {
                detail: (),
                error: format!("{e:#}"),
            },
        }
    }

    async fn done(&self, job: &DeliveryJob, _: (), now: DateTime<Utc>) -> Result<(), StoreError> {
        store::delivery_sent(&self.db, job, now).await
    }

    async fn failed(
        &self,
        job: &DeliveryJob,
        _: (),
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        store::delivery_failed(&self.db, job, error, retry_at, now).await
    }
    async fn release(&self, job: &DeliveryJob) -> Result<(), StoreError> {
        store::release_delivery(&self.db, job).await
    }
}

/// The worker and what it needs.
#[derive(Clone)]
pub struct Worker {
    runner: Runner,
    outbox: Outbox,
    deliveries: Deliveries,
}

impl Worker {
    /// A worker over the application's connections and providers.
    pub fn new(state: &App) -> Self {
        let public_url = state.settings.public_url.clone();
        Worker {
            runner: Runner::new(
                Arc::clone(&state.clock),
                state.settings.notify_lease,
                state.settings.notify_poll,
                state.job_metrics.clone(),
            )
            .until(state.stopping.clone()),
            outbox: Outbox {
                db: state.db.clone(),
                clock: Arc::clone(&state.clock),
                unread: state.unread.clone(),
                events: state.events.clone(),
                public_url: public_url.clone(),
            },
            deliveries: Deliveries {
                db: state.db.clone(),
                mailer: Arc::clone(&state.mailer),
                sms: Arc::clone(&state.sms),
                public_url,
            },
        }
    }

    /// Processes what is pending and due now: events first, then deliveries.
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let events = self.runner.drain(&self.outbox).await?;
        let deliveries = self.runner.drain(&self.deliveries).await?;
        Ok(Pass {
            events: events.done,
            sent: deliveries.done,
            failed: deliveries.failed,
        })
    }

    /// Runs forever (spawned at start): a pass, then a pause when idle.
    pub async fn run(self) {
        let runner = self.runner.clone();
        runner
            .run("notifications", move || {
                let worker = self.clone();
                async move {
                    let pass = worker.run_once().await?;
                    Ok(pass.events + pass.sent + pass.failed)
                }
            })
            .await;
    }
}
