//! Extractors shared by handlers: JSON bodies validated before the handler
//! runs, optional JSON bodies, and facts about the client. Every JSON body
//! goes through one of the two, so no text with U+0000 reaches a use case
//! ([`crate::text`]).

use crate::error::{ApiError, FieldIssues, json_parse_error, payload_error};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use std::net::IpAddr;
use validator::{Validate, ValidationErrors};

/// A JSON body that has passed its `validator` rules (422 otherwise).
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = json.await?;
            let value: T = without_nul(value)?;
            value
                .validate()
                .map_err(|errors| ApiError::validation(issues(&errors)))?;
            Ok(ValidJson(value))
        })
    }
}

/// A JSON body of the right shape whose field rules its use case checks,
/// together with its own (`mezha_app::error::body_issues`), so that one
/// answer names every bad field.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = json.await?;
            Ok(JsonBody(without_nul(value)?))
        })
    }
}

/// A JSON body that may be absent (empty body): then `T::default()`.
/// A present body must be JSON and well-formed, like [`ValidJson`].
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|err| {
                match err.as_error::<actix_web::error::PayloadError>() {
                    Some(actix_web::error::PayloadError::Overflow) => {
                        payload_error(actix_web::error::PayloadError::Overflow)
                    }
                    _ => ApiError::new(
                        mezha_api_types::ErrorCode::BadRequest,
                        "http.body_unreadable",
                    ),
                }
            })?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            if !is_json {
                return Err(ApiError::new(
                    mezha_api_types::ErrorCode::UnsupportedMediaType,
                    "http.json_content_type",
                )
                .into());
            }
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| json_parse_error(&e))?;
            // `null` says "no body" as an empty body does.
            if value.is_null() {
                return Ok(OptionalJson(T::default()));
            }
            Ok(OptionalJson(without_nul(value)?))
        })
    }
}

/// `T` from a JSON value none of whose strings carries U+0000
/// ([`crate::text`]): 422 naming those that do, or the shape's error. A
/// whole number written with a fraction (`30.0`) is the integer it equals,
/// as JSON Schema counts it (docs/API.md, "Conventions").
fn without_nul<T: DeserializeOwned>(mut value: serde_json::Value) -> Result<T, ApiError> {
    if let Some(err) = crate::text::refusal(crate::text::nul_paths(&value)) {
        return Err(err);
    }
    // Every body is an object: serde would also fill a struct from an
    // array of its fields in order (`[null, null]`), which no client means.
    if !value.is_object() {
        return Err(ApiError::new(
            mezha_api_types::ErrorCode::InvalidBody,
            mezha_app::msg!("http.json_shape", reason = "the body must be a JSON object"),
        ));
    }
    whole_numbers_as_integers(&mut value);
    serde_json::from_value(value).map_err(|e| json_parse_error(&e))
}

/// Rewrites every finite number with no fractional part within the range of
/// `i64` (`30.0`, `-2e3`) as that integer, at any depth.
pub fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.is_finite()
                && f.fract() == 0.0
                && (i64::MIN as f64..=i64::MAX as f64).contains(&f)
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Converts `validator` errors into per-field issues with stable codes
/// ([`mezha_app::error::validator_issues`]).
pub fn issues(errors: &ValidationErrors) -> FieldIssues {
    mezha_app::error::validator_issues(errors)
}

/// Who is calling: the client IP and the `User-Agent`. The IP is the
/// peer's, unless the peer is a configured trusted proxy: then the
/// rightmost `X-Forwarded-For` entry that is not a trusted proxy (entries
/// further left are the client's own claims and can be forged).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo(pub mezha_app::ClientInfo);

impl std::ops::Deref for ClientInfo {
    type Target = mezha_app::ClientInfo;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// The client address behind `peer`, given the trusted proxies.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

impl FromRequest for ClientInfo {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<crate::state::AppState>>()
            .map(|s| s.http.trusted_proxies.clone())
            .unwrap_or_default();
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ip = req
            .peer_addr()
            .map(|addr| client_ip(addr.ip(), &forwarded, &trusted).to_string());
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(256).collect());
        std::future::ready(Ok(ClientInfo(mezha_app::ClientInfo { ip, user_agent })))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_numbers_are_integers_fractions_stay() {
        use super::whole_numbers_as_integers;
        let mut v =
            serde_json::json!({"a": 30.0, "b": [-2e3, 1.5, 7], "c": {"d": 1e300}, "e": "3.0"});
        whole_numbers_as_integers(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"a": 30, "b": [-2000, 1.5, 7], "c": {"d": 1e300}, "e": "3.0"})
        );
        assert!(v["a"].is_i64());
    }

    use super::client_ip;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_behind_trusted_proxies() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        // Not a trusted peer: its header is ignored.
        assert_eq!(
            client_ip(ip("198.51.100.1"), &["203.0.113.9"], &trusted),
            ip("198.51.100.1")
        );
        // Behind a trusted proxy: the rightmost untrusted hop.
        assert_eq!(
            client_ip(proxy, &["1.2.3.4, 203.0.113.9"], &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(proxy, &["203.0.113.9", "10.0.0.3"], &trusted),
            ip("203.0.113.9")
        );
        // Garbage or nothing: the proxy itself.
        assert_eq!(client_ip(proxy, &["not-an-ip"], &trusted), proxy);
        assert_eq!(client_ip(proxy, &[], &trusted), proxy);
    }
}
