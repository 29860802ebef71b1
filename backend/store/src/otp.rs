//! Pending SMS login codes, one per phone number: `otp:{phone}`.

use crate::error::StoreError;
use crate::kv::Kv;
use mezha_domain::otp::OtpChallenge;
use std::time::Duration;

/// A stored challenge with the exact bytes read, for compare-and-swap.
#[derive(Debug, Clone)]
pub struct LoadedChallenge {
    pub challenge: OtpChallenge,
    raw: String,
}

/// SMS-code persistence.
#[derive(Debug, Clone)]
pub struct OtpStore {
    kv: Kv,
    /// How long a challenge's key is kept (longer than the code's validity,
    /// so that "expired" can be told from "never sent").
    ttl: Duration,
}

fn key(phone: &str) -> String {
    format!("otp:{phone}")
}

impl OtpStore {
    /// Codes in `kv`, their keys kept for `ttl`.
    pub fn new(kv: Kv, ttl: Duration) -> Self {
        OtpStore { kv, ttl }
    }

    /// The pending challenge for the phone.
    pub async fn get(&self, phone: &str) -> Result<Option<LoadedChallenge>, StoreError> {
        match self.kv.get(&key(phone)).await? {
            Some(raw) => Ok(Some(LoadedChallenge {
                challenge: serde_json::from_str(&raw)?,
                raw,
            })),
            None => Ok(None),
        }
    }

    /// Stores a new challenge, replacing `previous` (or requiring that there
    /// was none). `false` when a concurrent request got there first.
    pub async fn put(
        &self,
        phone: &str,
        previous: Option<&LoadedChallenge>,
        challenge: &OtpChallenge,
    ) -> Result<bool, StoreError> {
        let raw = serde_json::to_string(challenge)?;
        match previous {
            Some(previous) => {
                self.kv
                    .compare_and_swap(&key(phone), &previous.raw, &raw, self.ttl)
                    .await
            }
            None => self.kv.set_nx(&key(phone), &raw, self.ttl).await,
        }
    }

    /// Removes the challenge (after a successful login).
    pub async fn delete(&self, phone: &str) -> Result<(), StoreError> {
        self.kv.del(&key(phone)).await
    }
}
