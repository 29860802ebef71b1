//! Fixed-window rate-limit counters: `rl:{name}:{subject}:{window}`.

use crate::error::StoreError;
use crate::kv::Kv;
use chrono::{DateTime, Utc};
use mezha_domain::rate_limit::{RateLimit, RateLimited};

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
        let key = format!("rl:{name}:{subject}:{}", window.index);
        let count = self
            .kv
            .incr(&key, limit.window + window.retry_after)
            .await?;
        Ok(limit.decide(count, &window))
    }
}
