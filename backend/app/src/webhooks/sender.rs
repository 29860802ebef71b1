//! The webhook sender: a job queue driven by the [`Runner`]
//! ([`crate::jobs`]; leased rows, so any number of processes can run one).
//! It POSTs each delivery as signed JSON and records the attempt — 2xx is
//! `sent`; anything else is retried on the runner's backoff until given up.
//!
//! Requests: 10 s timeout, no redirects, no proxy, and a DNS resolver that
//! refuses internal addresses ([`super::guard::GuardedResolver`]).

use super::guard::GuardedResolver;
use crate::App;
use crate::clock::Clock;
use crate::jobs::{Attempt, Jobs, Runner};
use chrono::{DateTime, Utc};
use mezha_domain::notifications::render;
use mezha_domain::webhooks::{WebhookUrl, payload, signature};
use mezha_store::queue::Lease;
use mezha_store::webhooks::{self as store, WebhookJob};
use mezha_store::{DatabaseConnection, StoreError};
use std::sync::Arc;
use std::time::Duration;
/// Longest wait for one request.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Deliveries the receiver accepted.
    pub sent: usize,
    /// Attempts that failed (rescheduled or given up).
    pub failed: usize,
}

/// The sender and what it needs.
#[derive(Clone)]
pub struct Sender {
    runner: Runner,
    hooks: Hooks,
}

/// The webhook deliveries and what sending them needs.
#[derive(Clone)]
struct Hooks {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    public_url: String,
    allow_private: bool,
}

/// Why an attempt failed: the HTTP status when an answer came, and the error.
type Failure = (Option<u16>, String);

impl Sender {
    /// A sender over the application's database, clock and settings.
    pub fn new(state: &App) -> anyhow::Result<Self> {
        let allow_private = state.settings.webhooks_allow_private;
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .user_agent("Mezha-Webhooks/1")
            .build()?;
        Ok(Sender {
            runner: Runner::new(
                Arc::clone(&state.clock),
                state.settings.notify_lease,
                state.settings.notify_poll,
                state.job_metrics.clone(),
            )
            .until(state.stopping.clone()),
            hooks: Hooks {
                db: state.db.clone(),
                clock: Arc::clone(&state.clock),
                client,
                public_url: state.settings.public_url.clone(),
                allow_private,
            },
        })
    }

    /// Sends every delivery that is due now.
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let drained = self.runner.drain(&self.hooks).await?;
        Ok(Pass {
            sent: drained.done,
            failed: drained.failed,
        })
    }

    /// Runs forever (spawned at start): a pass, then a pause when idle.
    pub async fn run(self) {
        let runner = self.runner.clone();
        runner
            .run("webhooks", move || {
                let sender = self.clone();
                async move {
                    let pass = sender.run_once().await?;
                    Ok(pass.sent + pass.failed)
                }
            })
            .await;
    }
}

impl Hooks {
    async fn send(&self, job: &WebhookJob) -> Result<u16, Failure> {
        // An IP literal is checked again (the setting may have changed);
        // a host name is checked by the resolver while connecting.
        let url = WebhookUrl::parse(&job.url, self.allow_private)
            .map_err(|e| (None, format!("refused: {e}")))?;
        let texts = render(&job.event, job.language, &self.public_url);
        let body = payload(
            job.lease.id,
            &job.event,
            job.event_created_at,
            &texts,
            &self.public_url,
        );
        let body = serde_json::to_vec(&body).map_err(|e| (None, e.to_string()))?;
        let timestamp = self.clock.now().timestamp();
        let response = self
            .client
            .post(url.as_str())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Mezha-Webhook-Id", job.webhook_id.to_string())
            .header("Mezha-Delivery", job.lease.id.to_string())
            .header("Mezha-Event", job.event.kind().as_str())
            .header("Mezha-Timestamp", timestamp.to_string())
            .header("Mezha-Signature", signature(&job.secret, timestamp, &body))
            .body(body)
            .send()
            .await
            .map_err(|e| (None, format!("{:#}", anyhow::Error::from(e))))?;
        let status = response.status();
        if status.is_success() {
            Ok(status.as_u16())
        } else {
            Err((Some(status.as_u16()), format!("HTTP {status}")))
        }
    }
}

impl Jobs for Hooks {
    type Job = WebhookJob;
    type Done = u16;
    type Failed = Option<u16>;
    const QUEUE: &'static str = "webhook_deliveries";
    const CONCURRENT: bool = true;

    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u64,
    ) -> Result<Vec<WebhookJob>, StoreError> {
        store::claim(&self.db, now, lease, limit).await
    }

    fn lease(job: &WebhookJob) -> &Lease {
        &job.lease
    }

    async fn attempt(&self, job: &WebhookJob) -> Attempt<u16, Option<u16>> {
        match self.send(job).await {
            Ok(status) => Attempt::Done(status),
            Err((detail, error)) => Attempt::Failed { detail, error },
        }
    }

    async fn done(
        &self,
        job: &WebhookJob,
        status: u16,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        store::sent(&self.db, job, status, now).await
    }

    async fn failed(
        &self,
        job: &WebhookJob,
        status: Option<u16>,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        store::failed(&self.db, job, status, error, retry_at, now).await
    }
    async fn release(&self, job: &WebhookJob) -> Result<(), StoreError> {
        store::release(&self.db, job).await
    }
}
