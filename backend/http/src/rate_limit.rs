//! `RateLimit-Policy` and `RateLimit` headers (draft-ietf-httpapi-
//! ratelimit-headers): an answer to a request that a rate limit counted
//! tells the tightest policy it met, its quota and window, and what is
//! left of it until when (docs/API.md, "Rate limits"), e.g.
//! `RateLimit-Policy: "login_ip";q=300;w=600` and
//! `RateLimit: "login_ip";r=299;t=412`. A `429` carries them too, with
//! `Retry-After`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use mezha_store::limits::{Quota, observing};

/// `RateLimit-Policy`.
pub const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// `RateLimit`.
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// The two header values for `quota`.
pub fn header_values(quota: &Quota) -> (String, String) {
    (
        format!(
            "\"{}\";q={};w={}",
            quota.policy, quota.limit, quota.window_secs
        ),
        format!(
            "\"{}\";r={};t={}",
            quota.policy, quota.remaining, quota.reset_secs
        ),
    )
}

/// Adds the headers to every answer whose request met a rate limit.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let (result, quota) = observing(next.call(req)).await;
    let mut res = result?;
    if let Some(quota) = quota {
        let (policy, left) = header_values(&quota);
        let headers = res.headers_mut();
        for (name, value) in [(POLICY, policy), (RATELIMIT, left)] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_follow_the_draft_syntax() {
        let quota = Quota {
            policy: "login_ip".into(),
            limit: 300,
            window_secs: 600,
            remaining: 0,
            reset_secs: 42,
        };
        assert_eq!(
            header_values(&quota),
            (
                "\"login_ip\";q=300;w=600".to_owned(),
                "\"login_ip\";r=0;t=42".to_owned()
            )
        );
    }
}
