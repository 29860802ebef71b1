//! Refresh-token rotation with reuse detection.
//!
//! A refresh token is `"{session_uuid}.{secret}"`. The store keeps, per
//! session, the hash of the current secret and the hashes of the secrets it
//! replaced ([`RefreshState`]). On refresh the presented secret is hashed and
//! classified: the current one rotates to a new secret; a replaced one means
//! the token was stolen or replayed, and the caller revokes the whole session;
//! an unknown one is refused.

use crate::digest::sha256_hex;
use chrono::{DateTime, Utc};
use rand::Rng;
use rand::distributions::{Alphanumeric, Distribution};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use subtle::{Choice, ConstantTimeEq};

/// How many replaced secret hashes a session remembers.
pub const MAX_ROTATED: usize = 64;

/// Length of a secret: 43 characters of 62 give about 256 bits.
const SECRET_CHARS: usize = 43;

/// A new random secret: 43 characters of `[A-Za-z0-9]` (over 256 bits).
pub fn generate_secret<R: Rng + ?Sized>(rng: &mut R) -> String {
    (0..SECRET_CHARS)
        .map(|_| char::from(Alphanumeric.sample(rng)))
        .collect()
}

/// Hex SHA-256 of a secret: what the store keeps instead of the secret.
pub fn hash_secret(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Splits a wire refresh token `"{session_uuid}.{secret}"` at the first `.`.
///
/// `None` when there is no `.` or either part is empty. The caller parses the
/// session id.
pub fn split_refresh_token(token: &str) -> Option<(&str, &str)> {
    token
        .split_once('.')
        .filter(|(session, secret)| !session.is_empty() && !secret.is_empty())
}

/// What a session remembers about its refresh secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshState {
    /// Hash of the secret that may be used now.
    pub current_hash: String,
    /// Hashes of replaced secrets, oldest first, at most [`MAX_ROTATED`].
    pub rotated: Vec<String>,
    /// When the current secret replaced the previous one.
    #[serde(default)]
    pub rotated_at: Option<DateTime<Utc>>,
}

/// How a presented secret relates to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshCheck {
    /// It is the current secret: rotate and issue new tokens.
    Current,
    /// A replaced secret presented within the grace period after the last
    /// rotation: a concurrent refresh of the same client (browser tabs
    /// sharing a cookie) lost the race. Refuse without revoking; the client retries
    /// with the newer secret it now holds.
    Superseded,
    /// It was replaced already: reuse, so revoke the session.
    Reused,
    /// The session never issued it: refuse.
    Unknown,
}

impl RefreshState {
    /// A new session whose current secret hashes to `current_hash`.
    pub fn new(current_hash: String) -> Self {
        Self {
            current_hash,
            rotated: Vec::new(),
            rotated_at: None,
        }
    }

    /// Classifies the hash of a presented secret at `now`. While the last
    /// rotation is less than `grace` old, a replaced secret counts as
    /// [`RefreshCheck::Superseded`] (a burst of concurrent refreshes from
    /// tabs sharing a cookie; nothing is issued for it), and as reuse after. Every stored hash is
    /// compared in constant time, so timing does not reveal which matched.
    pub fn classify(
        &self,
        presented_hash: &str,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> RefreshCheck {
        let presented = presented_hash.as_bytes();
        let current = presented.ct_eq(self.current_hash.as_bytes());
        let reused = self.rotated.iter().fold(Choice::from(0), |acc, old| {
            acc | presented.ct_eq(old.as_bytes())
        });
        let in_grace = self.rotated_at.is_some_and(|at| {
            now < at + chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::zero())
        });
        if bool::from(current) {
            RefreshCheck::Current
        } else if bool::from(reused) && in_grace {
            RefreshCheck::Superseded
        } else if bool::from(reused) {
            RefreshCheck::Reused
        } else {
            RefreshCheck::Unknown
        }
    }

    /// Makes `new_hash` current; the old current hash joins `rotated`, which
    /// keeps only the newest [`MAX_ROTATED`].
    pub fn rotate(&mut self, new_hash: String, now: DateTime<Utc>) {
        self.rotated_at = Some(now);
        let old = std::mem::replace(&mut self.current_hash, new_hash);
        self.rotated.push(old);
        if self.rotated.len() > MAX_ROTATED {
            let excess = self.rotated.len() - MAX_ROTATED;
            self.rotated.drain(..excess);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn secrets_are_long_random_alphanumerics() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut seen = HashSet::new();
        for _ in 0..500 {
            let s = generate_secret(&mut rng);
            assert_eq!(s.len(), 43);
            assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()), "{s}");
            assert!(seen.insert(s));
        }
        // 62^43 > 2^256.
        assert!(43.0 * 62f64.log2() >= 256.0);
        let dynamic: &mut dyn rand::RngCore = &mut rng;
        assert_eq!(generate_secret(dynamic).len(), 43);
    }

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(hash_secret("a"), hash_secret("b"));
    }

    #[test]
    fn splits_tokens_at_the_first_dot() {
        let id = "0191e2a4-7b3c-7def-8a00-0123456789ab";
        let token = format!("{id}.AbC123");
        assert_eq!(split_refresh_token(&token), Some((id, "AbC123")));
        assert_eq!(split_refresh_token("a.b.c"), Some(("a", "b.c")));
        for bad in ["", ".", "abc", "abc.", ".abc"] {
            assert_eq!(split_refresh_token(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn classifies_current_reused_and_unknown() {
        let mut state = RefreshState::new(hash_secret("s0"));
        assert_eq!(
            state.classify(&hash_secret("s0"), t0(), Duration::ZERO),
            RefreshCheck::Current
        );
        assert_eq!(
            state.classify(&hash_secret("s1"), t0(), Duration::ZERO),
            RefreshCheck::Unknown
        );

        state.rotate(hash_secret("s1"), t0());
        state.rotate(hash_secret("s2"), t0());
        assert_eq!(
            state.classify(&hash_secret("s2"), t0(), Duration::ZERO),
            RefreshCheck::Current
        );
        assert_eq!(
            state.classify(&hash_secret("s1"), t0(), Duration::ZERO),
            RefreshCheck::Reused
        );
        assert_eq!(
            state.classify(&hash_secret("s0"), t0(), Duration::ZERO),
            RefreshCheck::Reused
        );
        assert_eq!(
            state.classify(&hash_secret("s3"), t0(), Duration::ZERO),
            RefreshCheck::Unknown
        );
        assert_eq!(
            state.classify("", t0(), Duration::ZERO),
            RefreshCheck::Unknown
        );
        assert_eq!(
            state.classify("s2", t0(), Duration::ZERO),
            RefreshCheck::Unknown
        );
        assert_eq!(state.rotated, vec![hash_secret("s0"), hash_secret("s1")]);
    }

    #[test]
    fn keeps_only_the_newest_rotated_hashes() {
        let mut state = RefreshState::new(hash_secret("0"));
        for i in 1..=(MAX_ROTATED + 10) {
            state.rotate(hash_secret(&i.to_string()), t0());
        }
        assert_eq!(state.rotated.len(), MAX_ROTATED);
        // Secrets 0..=9 were forgotten; 10..MAX_ROTATED+9 are remembered.
        assert_eq!(state.rotated.first(), Some(&hash_secret("10")));
        assert_eq!(
            state.rotated.last(),
            Some(&hash_secret(&(MAX_ROTATED + 9).to_string()))
        );
        assert_eq!(
            state.classify(&hash_secret("9"), t0(), Duration::ZERO),
            RefreshCheck::Unknown
        );
        assert_eq!(
            state.classify(&hash_secret("10"), t0(), Duration::ZERO),
            RefreshCheck::Reused
        );
        assert_eq!(
            state.classify(
                &hash_secret(&(MAX_ROTATED + 10).to_string()),
                t0(),
                Duration::ZERO
            ),
            RefreshCheck::Current
        );
    }

    #[test]
    fn rotate_trims_an_oversized_deserialised_list() {
        let mut state = RefreshState {
            current_hash: hash_secret("c"),
            rotated: (0..MAX_ROTATED + 5)
                .map(|i| hash_secret(&i.to_string()))
                .collect(),
            rotated_at: None,
        };
        state.rotate(hash_secret("d"), t0());
        assert_eq!(state.rotated.len(), MAX_ROTATED);
        assert_eq!(state.rotated.last(), Some(&hash_secret("c")));
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut state = RefreshState::new(hash_secret("a"));
        state.rotate(hash_secret("b"), t0());
        let json = serde_json::to_string(&state).unwrap();
        let back: RefreshState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, state);
    }

    #[test]
    fn replaced_secrets_are_superseded_within_grace_only() {
        let grace = Duration::from_secs(10);
        let mut state = RefreshState::new(hash_secret("a"));
        state.rotate(hash_secret("b"), t0());
        state.rotate(hash_secret("c"), t0());
        let soon = t0() + chrono::Duration::seconds(9);
        let later = t0() + chrono::Duration::seconds(10);
        assert_eq!(
            state.classify(&hash_secret("c"), soon, grace),
            RefreshCheck::Current
        );
        assert_eq!(
            state.classify(&hash_secret("b"), soon, grace),
            RefreshCheck::Superseded
        );
        assert_eq!(
            state.classify(&hash_secret("a"), soon, grace),
            RefreshCheck::Superseded
        );
        assert_eq!(
            state.classify(&hash_secret("a"), later, grace),
            RefreshCheck::Reused
        );
        assert_eq!(
            state.classify(&hash_secret("b"), later, grace),
            RefreshCheck::Reused
        );
        assert_eq!(
            state.classify(&hash_secret("x"), soon, grace),
            RefreshCheck::Unknown
        );
    }
}
