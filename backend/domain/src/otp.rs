//! One-time SMS codes (docs/accounts.md, "Logging in"): issuing, resend spacing and checking.
//!
//! The store keeps an [`OtpChallenge`] per phone (only the hash of the code,
//! never the code); the handler generates a code with [`generate_code`],
//! sends it, and later calls [`OtpChallenge::check`] and saves the changed
//! attempt counter.

use crate::digest::sha256_hex;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use subtle::ConstantTimeEq;

/// How codes are made and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpPolicy {
    /// Number of decimal digits in a code.
    pub code_length: usize,
    /// How long a code stays valid after it is issued.
    pub ttl: Duration,
    /// How long after issuing a new code may be requested.
    pub resend_after: Duration,
    /// Wrong attempts allowed per code.
    pub max_attempts: u32,
}

impl Default for OtpPolicy {
    /// docs/accounts.md, "Logging in": 6 digits, valid 5 minutes, resend after 2 minutes, at most 5
    /// wrong attempts.
    fn default() -> Self {
        Self {
            code_length: 6,
            ttl: Duration::from_secs(5 * 60),
            resend_after: Duration::from_secs(2 * 60),
            max_attempts: 5,
        }
    }
}

/// A random code of `length` decimal digits; leading zeros are allowed.
pub fn generate_code<R: Rng + ?Sized>(rng: &mut R, length: usize) -> String {
    (0..length)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    /// The code's lifetime is over; a new one must be requested.
    #[error("the code has expired")]
    Expired,
    /// Every allowed attempt was used; a new code must be requested.
    #[error("too many wrong attempts for this code")]
    AttemptsExceeded,
    /// Wrong code; `remaining` attempts are left (0: the next check fails
    /// with [`OtpError::AttemptsExceeded`]).
    #[error("wrong code, {remaining} attempts left")]
    Mismatch {
        /// Attempts left for this code.
        remaining: u32,
    },
}

/// A code that was sent to a phone and awaits confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpChallenge {
    /// Hex SHA-256 of `"{phone}:{code}"`.
    pub code_hash: String,
    /// When the code was issued.
    pub issued_at: DateTime<Utc>,
    /// Wrong attempts so far.
    pub attempts: u32,
}

impl OtpChallenge {
    /// A fresh challenge for `code` sent to `phone` (E.164) at `now`.
    pub fn issue(phone: &str, code: &str, now: DateTime<Utc>) -> Self {
        Self {
            code_hash: code_hash(phone, code),
            issued_at: now,
            attempts: 0,
        }
    }

    /// The instant from which the code is no longer accepted.
    pub fn expires_at(&self, policy: &OtpPolicy) -> DateTime<Utc> {
        add_saturating(self.issued_at, policy.ttl)
    }

    /// `None` when a new code may be sent at `now`; otherwise how long to
    /// wait, rounded up to whole seconds (suits a `Retry-After` header).
    pub fn resend_wait(&self, policy: &OtpPolicy, now: DateTime<Utc>) -> Option<Duration> {
        let allowed_at = add_saturating(self.issued_at, policy.resend_after);
        let left = (allowed_at - now).to_std().ok().filter(|d| !d.is_zero())?;
        let whole = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        Some(Duration::from_secs(whole))
    }

    /// Checks `code` typed for `phone` at `now`.
    ///
    /// In order: [`OtpError::Expired`] once `now` reaches
    /// [`expires_at`](Self::expires_at); [`OtpError::AttemptsExceeded`] when
    /// the allowed attempts are used up (even for the right code); otherwise
    /// the hashes are compared in constant time and a mismatch counts an
    /// attempt and returns [`OtpError::Mismatch`] with the attempts left. A
    /// code of the wrong length or with non-digits is simply a mismatch.
    /// On `Ok` the caller deletes the challenge so the code cannot be reused.
    pub fn check(
        &mut self,
        policy: &OtpPolicy,
        phone: &str,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<(), OtpError> {
        if now >= self.expires_at(policy) {
            return Err(OtpError::Expired);
        }
        if self.attempts >= policy.max_attempts {
            return Err(OtpError::AttemptsExceeded);
        }
        let presented = code_hash(phone, code);
        if bool::from(presented.as_bytes().ct_eq(self.code_hash.as_bytes())) {
            return Ok(());
        }
        self.attempts = self.attempts.saturating_add(1);
        Err(OtpError::Mismatch {
            remaining: policy.max_attempts.saturating_sub(self.attempts),
        })
    }
}

/// Hex SHA-256 of `"{phone}:{code}"`.
fn code_hash(phone: &str, code: &str) -> String {
    sha256_hex(format!("{phone}:{code}").as_bytes())
}

/// `t + d`, or the latest representable instant when that overflows.
fn add_saturating(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::TimeDelta::from_std(d)
        .ok()
        .and_then(|delta| t.checked_add_signed(delta))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const PHONE: &str = "+79123456789";

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
    }

    fn secs(s: i64) -> chrono::TimeDelta {
        chrono::TimeDelta::seconds(s)
    }

    #[test]
    fn default_policy_follows_the_spec() {
        let p = OtpPolicy::default();
        assert_eq!(p.code_length, 6);
        assert_eq!(p.ttl, Duration::from_secs(300));
        assert_eq!(p.resend_after, Duration::from_secs(120));
        assert_eq!(p.max_attempts, 5);
    }

    #[test]
    fn codes_are_digits_of_the_requested_length() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut leading_zero = false;
        for _ in 0..2000 {
            let c = generate_code(&mut rng, 6);
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()), "{c}");
            leading_zero |= c.starts_with('0');
        }
        assert!(leading_zero, "leading zeros must be possible");
        assert_eq!(generate_code(&mut rng, 0), "");
        assert_eq!(generate_code(&mut rng, 12).len(), 12);
        // Works through a trait object too.
        let dynamic: &mut dyn rand::RngCore = &mut rng;
        assert_eq!(generate_code(dynamic, 4).len(), 4);
    }

    #[test]
    fn issue_stores_only_a_hash() {
        let c = OtpChallenge::issue(PHONE, "123456", t0());
        assert_eq!(c.code_hash, sha256_hex(b"+79123456789:123456"));
        assert_eq!(c.code_hash.len(), 64);
        assert!(!c.code_hash.contains("123456"));
        assert_eq!(c.issued_at, t0());
        assert_eq!(c.attempts, 0);
    }

    #[test]
    fn right_code_passes_until_expiry() {
        let p = OtpPolicy::default();
        let c = OtpChallenge::issue(PHONE, "042137", t0());
        assert_eq!(c.expires_at(&p), t0() + secs(300));
        for now in [t0(), t0() + secs(299)] {
            assert_eq!(c.clone().check(&p, PHONE, "042137", now), Ok(()));
        }
        let last_nano = t0() + secs(300) - chrono::TimeDelta::nanoseconds(1);
        assert_eq!(c.clone().check(&p, PHONE, "042137", last_nano), Ok(()));
        let mut expired = c.clone();
        assert_eq!(
            expired.check(&p, PHONE, "042137", t0() + secs(300)),
            Err(OtpError::Expired)
        );
        assert_eq!(expired.attempts, 0);
    }

    #[test]
    fn the_code_is_bound_to_the_phone() {
        let p = OtpPolicy::default();
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        assert_eq!(
            c.check(&p, "+79990000000", "123456", t0()),
            Err(OtpError::Mismatch { remaining: 4 })
        );
    }

    #[test]
    fn five_wrong_codes_burn_the_challenge() {
        let p = OtpPolicy::default();
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        for (wrong, remaining) in ["000000", "12345", "1234567", "12345a", ""]
            .into_iter()
            .zip([4, 3, 2, 1, 0])
        {
            assert_eq!(
                c.check(&p, PHONE, wrong, t0() + secs(10)),
                Err(OtpError::Mismatch { remaining }),
                "{wrong:?}"
            );
        }
        assert_eq!(c.attempts, 5);
        assert_eq!(
            c.check(&p, PHONE, "123456", t0() + secs(11)),
            Err(OtpError::AttemptsExceeded)
        );
        assert_eq!(c.attempts, 5);
        // Expiry is reported first.
        assert_eq!(
            c.check(&p, PHONE, "123456", t0() + secs(400)),
            Err(OtpError::Expired)
        );
    }

    #[test]
    fn right_code_after_some_wrong_ones_passes() {
        let p = OtpPolicy::default();
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        for _ in 0..4 {
            assert!(c.check(&p, PHONE, "654321", t0()).is_err());
        }
        assert_eq!(c.check(&p, PHONE, "123456", t0()), Ok(()));
    }

    #[test]
    fn resend_wait_rounds_up_to_seconds() {
        let p = OtpPolicy::default();
        let c = OtpChallenge::issue(PHONE, "123456", t0());
        assert_eq!(c.resend_wait(&p, t0()), Some(Duration::from_secs(120)));
        assert_eq!(
            c.resend_wait(&p, t0() + secs(60)),
            Some(Duration::from_secs(60))
        );
        let a_bit_later = t0() + secs(60) + chrono::TimeDelta::milliseconds(1);
        assert_eq!(
            c.resend_wait(&p, a_bit_later),
            Some(Duration::from_secs(60))
        );
        let almost = t0() + secs(120) - chrono::TimeDelta::nanoseconds(1);
        assert_eq!(c.resend_wait(&p, almost), Some(Duration::from_secs(1)));
        assert_eq!(c.resend_wait(&p, t0() + secs(120)), None);
        assert_eq!(c.resend_wait(&p, t0() + secs(3600)), None);
        // A clock that went backwards still yields a bounded wait.
        assert_eq!(
            c.resend_wait(&p, t0() - secs(5)),
            Some(Duration::from_secs(125))
        );
    }

    #[test]
    fn huge_durations_do_not_overflow() {
        let p = OtpPolicy {
            ttl: Duration::MAX,
            resend_after: Duration::MAX,
            ..OtpPolicy::default()
        };
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        assert_eq!(c.expires_at(&p), DateTime::<Utc>::MAX_UTC);
        assert_eq!(c.check(&p, PHONE, "123456", t0()), Ok(()));
        assert!(c.resend_wait(&p, t0()).is_some());
    }

    #[test]
    fn zero_attempts_policy_refuses_everything() {
        let p = OtpPolicy {
            max_attempts: 0,
            ..OtpPolicy::default()
        };
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        assert_eq!(
            c.check(&p, PHONE, "123456", t0()),
            Err(OtpError::AttemptsExceeded)
        );
    }

    #[test]
    fn challenge_round_trips_through_json() {
        let mut c = OtpChallenge::issue(PHONE, "123456", t0());
        c.attempts = 2;
        let json = serde_json::to_string(&c).unwrap();
        let back: OtpChallenge = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn errors_have_messages() {
        assert_eq!(OtpError::Expired.to_string(), "the code has expired");
        assert_eq!(
            OtpError::Mismatch { remaining: 3 }.to_string(),
            "wrong code, 3 attempts left"
        );
    }
}
