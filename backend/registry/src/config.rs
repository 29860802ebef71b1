//! The stand-in's settings: the API token, the callback secret, the
//! schedule and the trust store (docs/registry-gateway.md, "Running the
//! stand-in").

use crate::protocol::MAX_PACKAGE_BYTES;
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// How the stand-in runs. `Default` is what `make run` wants: a few seconds
/// per step, no token, no callback secret, no trust anchors.
#[derive(Debug, Clone)]
pub struct Config {
    /// The bearer token every `/v1` call must carry; `None` lets any call in.
    pub api_token: Option<SecretString>,
    /// The HMAC key of callbacks; `None` sends them unsigned (no
    /// `X-Registry-Signature`).
    pub callback_secret: Option<SecretString>,
    /// From intake to the checks (`received` → `accepted` | `refused`).
    pub accept_after: Duration,
    /// Between the registrar's steps: from the fee notice to
    /// `in_registration`, and from each status of the registration to the
    /// next.
    pub register_after: Duration,
    /// A directory of trust anchors, intermediates and CRLs (PEM or DER) for
    /// signature validation; `None` validates against an empty store and
    /// accepts signatures whose only problem is the missing chain.
    pub trust_dir: Option<PathBuf>,
    /// Largest package body, in bytes.
    pub max_package_bytes: usize,
    /// Attempts of each callback delivery.
    pub callback_attempts: u32,
    /// Wait before the second attempt; doubled before each next one.
    pub callback_backoff: Duration,
    /// Time limit of one callback attempt.
    pub callback_timeout: Duration,
    /// HTTP worker threads.
    pub workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_token: None,
            callback_secret: None,
            accept_after: Duration::from_secs(3),
            register_after: Duration::from_secs(5),
            trust_dir: None,
            max_package_bytes: MAX_PACKAGE_BYTES,
            callback_attempts: 5,
            callback_backoff: Duration::from_millis(500),
            callback_timeout: Duration::from_secs(10),
            workers: 2,
        }
    }
}

/// Parses a duration written as a number and a unit: `250ms`, `3s`, `2m`
/// (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms, 3s or 1m"))?;
    match unit.trim() {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n.saturating_mul(60))),
        other => Err(format!("unknown unit `{other}` in `{text}` (ms, s or m)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, expected) in [
            ("250ms", Ok(Duration::from_millis(250))),
            ("3s", Ok(Duration::from_secs(3))),
            ("3", Ok(Duration::from_secs(3))),
            (" 2m ", Ok(Duration::from_secs(120))),
            ("0ms", Ok(Duration::ZERO)),
        ] {
            assert_eq!(parse_duration(text), expected, "{text}");
        }
        for bad in ["", "ms", "3h", "-1s", "1.5s", "s3"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_suit_make_run() {
        let config = Config::default();
        assert_eq!(config.max_package_bytes, 64 * 1024 * 1024);
        assert!(config.accept_after <= Duration::from_secs(10));
        assert!(config.register_after <= Duration::from_secs(10));
        assert!(config.api_token.is_none());
    }
}
