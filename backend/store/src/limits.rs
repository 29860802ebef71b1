//! Fixed-window rate-limit counters: `rl:{name}:{subject}:{window}`.
//!
//! Each counting also notes, for the request it serves, what the policy
//! leaves it ([`Quota`]); the edge reads the tightest one with
//! [`observing`] and answers it as `RateLimit` headers (docs/API.md,
//! "Rate limits"). Work a request leaves running in the background (mail
//! to a recipient) is outside it and tells the caller nothing.

use crate::error::StoreError;
use crate::kv::Kv;
use chrono::{DateTime, Utc};
use mezha_domain::rate_limit::{RateLimit, RateLimited};
use std::cell::RefCell;

/// What a rate-limit policy leaves a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    /// The policy's name (`login_ip`).
    pub policy: String,
    /// Requests its window allows.
    pub limit: u32,
    /// Its window, seconds.
    pub window_secs: u64,
    /// Requests left in the current window.
    pub remaining: u64,
    /// Seconds until the current window ends.
    pub reset_secs: u64,
}

tokio::task_local! {
    static OBSERVED: RefCell<Option<Quota>>;
}

/// Runs `work` noting the quotas it meets; answers its output and the
/// tightest of them (the fewest requests left), if any.
pub async fn observing<F: Future>(work: F) -> (F::Output, Option<Quota>) {
    OBSERVED
        .scope(RefCell::new(None), async {
            let out = work.await;
            (out, OBSERVED.with(|seen| seen.borrow_mut().take()))
        })
        .await
}

fn observe(name: &str, limit: &RateLimit, count: u64, reset_secs: u64) {
    let remaining = u64::from(limit.max).saturating_sub(count);
    let _ = OBSERVED.try_with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.as_ref().is_none_or(|q| remaining < q.remaining) {
            *seen = Some(Quota {
                policy: name.to_owned(),
                limit: limit.max,
                window_secs: limit.window.as_secs().max(1),
                remaining,
                reset_secs,
            });
        }
    });
}

/// The counter of `subject` against the policy `name` in a window.
fn counter_key(name: &str, subject: &str, window: i64) -> String {
    format!("rl:{name}:{subject}:{window}")
}

/// Counts hits and applies [`RateLimit`] policies.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    kv: Kv,
}

impl RateLimiter {
    /// Counters in `kv`.
    pub fn new(kv: Kv) -> Self {
        RateLimiter { kv }
    }

    /// Counts one hit of `subject` (an IP, a phone…) against the policy
    /// `name`; `Ok(Err(..))` when over the limit.
    pub async fn hit(
        &self,
        name: &str,
        subject: &str,
        limit: &RateLimit,
        now: DateTime<Utc>,
    ) -> Result<Result<(), RateLimited>, StoreError> {
        let window = limit.window(now);
        let key = counter_key(name, subject, window.index);
        let count = self
            .kv
            .incr(&key, limit.window + window.retry_after)
            .await?;
        observe(name, limit, count, window.retry_after.as_secs());
        Ok(limit.decide(count, &window))
    }

    /// How many hits `subject` has against `name` in the current window of
    /// `limit`, without counting one; noted for the caller like a hit.
    pub async fn count(
        &self,
        name: &str,
        subject: &str,
        limit: &RateLimit,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let window = limit.window(now);
        let count = self.peek(name, subject, limit, now).await?;
        observe(name, limit, count, window.retry_after.as_secs());
        Ok(count)
    }

    /// [`Self::count`] without telling the caller: for a counter that only
    /// slows (the login pause), never refuses.
    pub async fn peek(
        &self,
        name: &str,
        subject: &str,
        limit: &RateLimit,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let window = limit.window(now);
        let key = counter_key(name, subject, window.index);
        Ok(self
            .kv
            .get(&key)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Counts one hit like [`Self::hit`] without deciding or telling the
    /// caller anything: for a counter that only slows (the login pause).
    pub async fn tally(
        &self,
        name: &str,
        subject: &str,
        limit: &RateLimit,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let window = limit.window(now);
        let key = counter_key(name, subject, window.index);
        self.kv
            .incr(&key, limit.window + window.retry_after)
            .await?;
        Ok(())
    }
}
