//! The value syntaxes of the configuration: address lists, lenient
//! booleans, durations (`90s`, `30m`, `2d`) and rate limits (`"max/window"`).

use serde::{Deserialize, Deserializer, Serialize};
use std::net::IpAddr;

/// Accepts a list of IP addresses or one comma-separated string.
pub(super) fn ip_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<IpAddr>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        Text(String),
    }
    let items = match Raw::deserialize(d)? {
        Raw::List(items) => items,
        Raw::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an IP address")))
        })
        .collect()
}

/// Accepts `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
pub(super) fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bool(bool),
        Int(i64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Bool(b) => Ok(b),
        Raw::Int(0) => Ok(false),
        Raw::Int(1) => Ok(true),
        Raw::Text(t) => match t.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            other => Err(serde::de::Error::custom(format!(
                "expected a boolean, got {other:?}"
            ))),
        },
        Raw::Int(other) => Err(serde::de::Error::custom(format!(
            "expected a boolean, got {other}"
        ))),
    }
}

/// Accepts seconds as a number, or a text number with an optional unit
/// `s`, `m`, `h` or `d` (`86400`, `"24h"`, `"30m"`).
pub(super) fn duration_secs<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Int(n) => Ok(n),
        Raw::Text(t) => parse_duration_secs(&t).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected seconds or a duration like 24h, 30m, 90s, 1d; got {t:?}"
            ))
        }),
    }
}

/// `86400`, `"24h"`, `"30m"`, `"90s"`, `"1d"` → seconds.
pub fn parse_duration_secs(text: &str) -> Option<u64> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "s"),
    };
    let factor = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    number.parse::<u64>().ok()?.checked_mul(factor)
}

/// A rate limit as configured: `"max/window"`, the window in seconds or
/// `24h`-style (`"300/10m"`, `"5/3600"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSpec {
    /// Requests allowed in one window (at least 1).
    pub max: u32,
    /// The window, seconds (at least 1).
    pub window_secs: u64,
}

impl LimitSpec {
    /// `"300/10m"` → 300 per 600 s.
    pub fn parse(text: &str) -> Option<LimitSpec> {
        let (max, window) = text.split_once('/')?;
        let spec = LimitSpec {
            max: max.trim().parse().ok()?,
            window_secs: parse_duration_secs(window)?,
        };
        (spec.max > 0 && spec.window_secs > 0).then_some(spec)
    }

    fn limit(self) -> mezha_domain::rate_limit::RateLimit {
        mezha_domain::rate_limit::RateLimit {
            max: self.max,
            window: std::time::Duration::from_secs(self.window_secs),
        }
    }
}

impl From<&mezha_domain::rate_limit::RateLimit> for LimitSpec {
    fn from(limit: &mezha_domain::rate_limit::RateLimit) -> Self {
        LimitSpec {
            max: limit.max,
            window_secs: limit.window.as_secs().max(1),
        }
    }
}

impl Serialize for LimitSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}/{}", self.max, self.window_secs))
    }
}

impl<'de> Deserialize<'de> for LimitSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(i64),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Text(text) => text,
            Raw::Number(n) => n.to_string(),
        };
        LimitSpec::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected \"max/window\" with both above zero, like \"300/10m\"; got {text:?}"
            ))
        })
    }
}

/// The rate limits (`[rate_limits]`, `MEZHA_RATE_LIMITS__LOGIN_PER_IP=300/10m`;
/// what each counts and its default: docs/accounts.md, "Rate limits").
macro_rules! rate_limits_config {
    ($($field:ident),+ $(,)?) => {
        /// Each policy of [`mezha_app::RateLimits`] as `"max/window"`.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct RateLimitsConfig {
            $(
                #[allow(missing_docs)]
                pub $field: LimitSpec,
            )+
        }

        impl Default for RateLimitsConfig {
            fn default() -> Self {
                let defaults = mezha_app::RateLimits::default();
                RateLimitsConfig { $($field: LimitSpec::from(&defaults.$field),)+ }
            }
        }

        impl RateLimitsConfig {
            /// The policies the use cases apply.
            pub fn limits(&self) -> mezha_app::RateLimits {
                mezha_app::RateLimits { $($field: self.$field.limit(),)+ }
            }
        }
    };
}

rate_limits_config!(
    register_per_ip,
    login_per_ip,
    login_failures_per_pair,
    login_slowdown,
    otp_request_per_phone,
    otp_request_per_ip,
    otp_verify_per_ip,
    email_per_ip,
    email_per_recipient,
);
