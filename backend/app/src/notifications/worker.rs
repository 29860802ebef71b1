//! The notification worker: drains the outbox of events into in-app
//! notifications and per-channel deliveries, and sends the deliveries that
//! are due — e-mail through the [`Mailer`], SMS through the
//! [`SmsProvider`] — retrying failures with exponential backoff
//! ([`mezha_domain::notifications::after_failure`]).
//!
//! Every row is claimed with a lease before it is worked on, so any number
//! of server processes can run a worker; a process that dies mid-way leaves
//! its rows to be claimed again when the lease runs out. Deliveries of one
//! batch are sent concurrently and each has its own row and schedule: a
//! failing or slow channel holds no other back.

use crate::App;
use crate::clock::Clock;
use crate::messaging::{Mail, Mailer, SmsProvider};
use chrono::{DateTime, Utc};
use mezha_api_types::notifications::NotificationChannel;
use mezha_domain::notifications::{AfterFailure, after_failure, render};
use mezha_store::counters::Unread;
use mezha_store::notifications::{self as store, ClaimedEvent, DeliveryJob};
use mezha_store::{DatabaseConnection, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Rows claimed at a time.
const BATCH: u64 = 50;
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

impl Pass {
    fn is_idle(&self) -> bool {
        *self == Pass::default()
    }
}

/// The worker and what it needs.
#[derive(Clone)]
pub struct Worker {
    db: DatabaseConnection,
    mailer: Arc<dyn Mailer>,
    sms: Arc<dyn SmsProvider>,
    unread: Unread,
    events: crate::events::Hub,
    clock: Arc<dyn Clock>,
    public_url: String,
    lease: Duration,
    poll: Duration,
}

fn retry_at(now: DateTime<Utc>, attempts: u32) -> Option<DateTime<Utc>> {
    match after_failure(attempts) {
        AfterFailure::RetryAfter(delay) => {
            Some(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1)))
        }
        AfterFailure::GiveUp => None,
    }
}

impl Worker {
    /// A worker over the application's connections and providers.
    pub fn new(state: &App) -> Self {
        Worker {
            db: state.db.clone(),
            mailer: Arc::clone(&state.mailer),
            sms: Arc::clone(&state.sms),
            unread: state.unread.clone(),
            events: state.events.clone(),
            clock: Arc::clone(&state.clock),
            public_url: state.settings.public_url.clone(),
            lease: state.settings.notify_lease,
            poll: state.settings.notify_poll,
        }
    }

    /// Processes what is pending and due now: events first, then deliveries.
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let mut pass = Pass::default();
        loop {
            let claimed =
                store::claim_events(&self.db, self.clock.now(), self.lease, BATCH).await?;
            if claimed.is_empty() {
                break;
            }
            for event in &claimed {
                if self.fan_out(event).await {
                    pass.events += 1;
                }
            }
        }
        loop {
            let jobs =
                store::claim_deliveries(&self.db, self.clock.now(), self.lease, BATCH).await?;
            if jobs.is_empty() {
                break;
            }
            let results =
                futures_util::future::join_all(jobs.iter().map(|job| self.deliver(job))).await;
            for ok in results {
                if ok {
                    pass.sent += 1;
                } else {
                    pass.failed += 1;
                }
            }
            // Failed ones were rescheduled into the future; the loop ends
            // when nothing due is left.
        }
        Ok(pass)
    }

    async fn fan_out(&self, event: &ClaimedEvent) -> bool {
        let now = self.clock.now();
        match store::fan_out(&self.db, event, now).await {
            Ok(out) => {
                if let Some((user, id)) = out.notification {
                    if let Err(e) = self.unread.add_system(user, id).await {
                        // The database has it; the next recount will too.
                        tracing::warn!(error = %e, user = %user, "unread counter not updated");
                    }
                    use crate::events::{publish_counters, publish_notification};
                    publish_notification(&self.events, &self.db, user, id, &self.public_url).await;
                    publish_counters(&self.events, &self.db, &self.unread, user).await;
                }
                true
            }
            Err(StoreError::VersionMismatch) => false,
            Err(e) => {
                let attempts = event.attempts + 1;
                tracing::error!(event = %event.id, attempts, error = %format!("{e:#}"), "notification event not processed");
                if let Err(e) = store::event_failed(
                    &self.db,
                    event,
                    &e.to_string(),
                    retry_at(now, attempts),
                    now,
                )
                .await
                {
                    tracing::error!(event = %event.id, error = %e, "recording the failure failed");
                }
                false
            }
        }
    }

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

    async fn deliver(&self, job: &DeliveryJob) -> bool {
        let result = self.send(job).await;
        let now = self.clock.now();
        let recorded = match &result {
            Ok(()) => store::delivery_sent(&self.db, job, now).await,
            Err(e) => {
                let attempts = job.attempts + 1;
                let next = retry_at(now, attempts);
                tracing::warn!(
                    delivery = %job.id,
                    channel = %job.channel,
                    attempts,
                    retry_at = ?next,
                    error = %format!("{e:#}"),
                    "notification delivery failed"
                );
                store::delivery_failed(&self.db, job, &format!("{e:#}"), next).await
            }
        };
        if let Err(e) = recorded {
            tracing::error!(delivery = %job.id, error = %e, "recording the delivery failed");
        }
        result.is_ok()
    }

    /// Runs forever (spawned at start): a pass, then a pause when idle.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(pass) if pass.is_idle() => tokio::time::sleep(self.poll).await,
                Ok(pass) => tracing::debug!(?pass, "notifications"),
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "notification worker pass failed");
                    tokio::time::sleep(self.poll).await;
                }
            }
        }
    }
}
