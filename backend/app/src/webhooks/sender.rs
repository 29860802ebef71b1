//! The webhook sender: claims due deliveries with a lease (any number of
//! processes can run one), POSTs each as signed JSON and records the
//! attempt — 2xx is `sent`; anything else is retried on the notification
//! backoff ([`mezha_domain::notifications::after_failure`]) until given up.
//!
//! Requests: 10 s timeout, no redirects, no proxy, and a DNS resolver that
//! refuses internal addresses ([`super::guard::GuardedResolver`]).

use super::guard::GuardedResolver;
use crate::App;
use crate::clock::Clock;
use chrono::{DateTime, Utc};
use mezha_domain::notifications::{AfterFailure, after_failure, render};
use mezha_domain::webhooks::{WebhookUrl, payload, signature};
use mezha_store::webhooks::{self as store, WebhookJob};
use mezha_store::{DatabaseConnection, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Rows claimed at a time.
const BATCH: u64 = 50;
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
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    public_url: String,
    allow_private: bool,
    lease: Duration,
    poll: Duration,
}

/// Why an attempt failed: the HTTP status when an answer came, and the error.
type Failure = (Option<u16>, String);

fn retry_at(now: DateTime<Utc>, attempts: u32) -> Option<DateTime<Utc>> {
    match after_failure(attempts) {
        AfterFailure::RetryAfter(delay) => {
            Some(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1)))
        }
        AfterFailure::GiveUp => None,
    }
}

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
            db: state.db.clone(),
            clock: Arc::clone(&state.clock),
            client,
            public_url: state.settings.public_url.clone(),
            allow_private,
            lease: state.settings.notify_lease,
            poll: state.settings.notify_poll,
        })
    }

    /// Sends every delivery that is due now.
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let mut pass = Pass::default();
        loop {
            let jobs = store::claim(&self.db, self.clock.now(), self.lease, BATCH).await?;
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
        }
        Ok(pass)
    }

    async fn send(&self, job: &WebhookJob) -> Result<u16, Failure> {
        // An IP literal is checked again (the setting may have changed);
        // a host name is checked by the resolver while connecting.
        let url = WebhookUrl::parse(&job.url, self.allow_private)
            .map_err(|e| (None, format!("refused: {e}")))?;
        let texts = render(&job.event, job.language, &self.public_url);
        let body = payload(
            job.id,
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
            .header("Mezha-Delivery", job.id.to_string())
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

    async fn deliver(&self, job: &WebhookJob) -> bool {
        let result = self.send(job).await;
        let now = self.clock.now();
        let recorded = match &result {
            Ok(status) => store::sent(&self.db, job, *status, now).await,
            Err((status, error)) => {
                let attempts = job.attempts + 1;
                let next = retry_at(now, attempts);
                tracing::warn!(
                    delivery = %job.id,
                    webhook = %job.webhook_id,
                    attempts,
                    retry_at = ?next,
                    error = %error,
                    "webhook delivery failed"
                );
                store::failed(&self.db, job, *status, error, next, now).await
            }
        };
        if let Err(e) = recorded {
            tracing::error!(delivery = %job.id, error = %e, "recording the webhook delivery failed");
        }
        result.is_ok()
    }

    /// Runs forever (spawned at start): a pass, then a pause when idle.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(pass) if pass == Pass::default() => tokio::time::sleep(self.poll).await,
                Ok(pass) => tracing::debug!(?pass, "webhooks"),
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "webhook sender pass failed");
                    tokio::time::sleep(self.poll).await;
                }
            }
        }
    }
}
