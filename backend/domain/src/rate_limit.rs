//! Fixed-window rate limits (docs/accounts.md, "Rate limits").
//!
//! The store counts requests per key and [`Window::index`] (e.g. with Redis
//! `INCR` on `"{key}:{index}"` and an expiry of one window); this module
//! says which window an instant falls in and whether a count is too high.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// At most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in one window.
    pub max: u32,
    /// Window length. Whole seconds are used; anything under a second counts
    /// as one second.
    pub window: Duration,
}

/// The fixed window an instant falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// `unix_seconds / window_seconds` (floored): the same for every instant
    /// in the window, so it can key the counter.
    pub index: i64,
    /// Time until the window ends, in whole seconds, at least one second.
    pub retry_after: Duration,
}

/// The request is over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("rate limited, retry after {retry_after:?}")]
pub struct RateLimited {
    /// When the current window ends (for a `Retry-After` header).
    pub retry_after: Duration,
}

impl RateLimit {
    /// The window that `now` falls in.
    pub fn window(&self, now: DateTime<Utc>) -> Window {
        let window_secs = i128::from(self.window.as_secs().max(1));
        let unix = i128::from(now.timestamp());
        let index = unix.div_euclid(window_secs);
        // `now` lies in [index * w, (index + 1) * w); its sub-second part only
        // shortens the wait, and rounding up gives back the whole seconds.
        let end = (index + 1) * window_secs;
        let left = u64::try_from(end - unix).unwrap_or(u64::MAX).max(1);
        Window {
            index: i64::try_from(index).unwrap_or(i64::MAX),
            retry_after: Duration::from_secs(left),
        }
    }

    /// Whether a request may go ahead, given how many requests (including this
    /// one) were counted in `window`: refused once the count exceeds `max`.
    pub fn decide(&self, count_in_window: u64, window: &Window) -> Result<(), RateLimited> {
        if count_in_window > u64::from(self.max) {
            Err(RateLimited {
                retry_after: window.retry_after,
            })
        } else {
            Ok(())
        }
    }
}

/// The pause before a password login is checked, for an address that has
/// failed `failures` times in the current window (docs/accounts.md, "Rate
/// limits"): none for the first `free`, then 100 ms doubling with each
/// further failure, at most 1.6 s. It slows a guesser spread over many
/// addresses without ever refusing the owner.
pub fn login_pause(failures: u64, free: u32) -> Duration {
    let beyond = failures.saturating_sub(u64::from(free));
    if beyond == 0 {
        return Duration::ZERO;
    }
    let steps = u32::try_from(beyond - 1).unwrap_or(u32::MAX).min(4);
    Duration::from_millis(100 << steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn login_pauses_grow_after_the_free_failures_and_stop_growing() {
        let pauses: Vec<u64> = (0..12)
            .map(|n| login_pause(n, 5).as_millis() as u64)
            .collect();
        assert_eq!(pauses, [0, 0, 0, 0, 0, 0, 100, 200, 400, 800, 1600, 1600]);
        assert_eq!(login_pause(u64::MAX, 5), Duration::from_millis(1600));
    }

    fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, nanos).unwrap()
    }

    fn limit(max: u32, window_secs: u64) -> RateLimit {
        RateLimit {
            max,
            window: Duration::from_secs(window_secs),
        }
    }

    #[test]
    fn windows_are_aligned_to_the_epoch() {
        let l = limit(5, 60);
        let w = l.window(at(1_700_000_000, 0)); // 1_700_000_000 = 28_333_333 * 60 + 20
        assert_eq!(w.index, 28_333_333);
        assert_eq!(w.retry_after, Duration::from_secs(40));

        let start = l.window(at(1_699_999_980, 0));
        assert_eq!(start.index, 28_333_333);
        assert_eq!(start.retry_after, Duration::from_secs(60));

        let last = l.window(at(1_700_000_039, 999_999_999));
        assert_eq!(last.index, 28_333_333);
        assert_eq!(last.retry_after, Duration::from_secs(1));

        let next = l.window(at(1_700_000_040, 0));
        assert_eq!(next.index, 28_333_334);
        assert_eq!(next.retry_after, Duration::from_secs(60));
    }

    #[test]
    fn sub_second_parts_round_up() {
        let w = limit(1, 10).window(at(1_000_000_003, 500_000_000));
        assert_eq!(w.index, 100_000_000);
        assert_eq!(w.retry_after, Duration::from_secs(7));
    }

    #[test]
    fn tiny_windows_count_as_one_second() {
        let l = RateLimit {
            max: 1,
            window: Duration::from_millis(300),
        };
        let w = l.window(at(42, 100));
        assert_eq!(w.index, 42);
        assert_eq!(w.retry_after, Duration::from_secs(1));
        let zero = RateLimit {
            max: 1,
            window: Duration::ZERO,
        };
        assert_eq!(zero.window(at(42, 0)).index, 42);
    }

    #[test]
    fn fractional_windows_use_whole_seconds() {
        let l = RateLimit {
            max: 1,
            window: Duration::from_millis(2_500),
        };
        assert_eq!(l.window(at(5, 0)).index, 2);
    }

    #[test]
    fn instants_before_the_epoch_floor() {
        let w = limit(1, 60).window(at(-1, 0));
        assert_eq!(w.index, -1);
        assert_eq!(w.retry_after, Duration::from_secs(1));
    }

    #[test]
    fn huge_windows_do_not_overflow() {
        let l = RateLimit {
            max: 1,
            window: Duration::MAX,
        };
        let w = l.window(at(1_700_000_000, 0));
        assert_eq!(w.index, 0);
        assert!(w.retry_after >= Duration::from_secs(1));
    }

    #[test]
    fn decide_allows_up_to_max() {
        let l = limit(3, 60);
        let w = l.window(at(1_700_000_000, 0));
        for count in 0..=3 {
            assert_eq!(l.decide(count, &w), Ok(()), "{count}");
        }
        let err = l.decide(4, &w).unwrap_err();
        assert_eq!(err.retry_after, Duration::from_secs(40));
        assert_eq!(l.decide(u64::MAX, &w), Err(err));
        assert_eq!(err.to_string(), "rate limited, retry after 40s");
    }

    #[test]
    fn zero_max_refuses_every_counted_request() {
        let l = limit(0, 60);
        let w = l.window(at(0, 0));
        assert!(l.decide(1, &w).is_err());
        assert!(l.decide(0, &w).is_ok());
    }
}
