//! Request ids and the outermost middleware: every request gets an id
//! (the client's `X-Request-Id` when it is sane, else a new UUIDv7), a
//! tracing span carrying it, the id echoed in the response header, a log
//! line with status and latency, a 500 problem instead of a dropped
//! connection if a handler panics, and the language of the problems'
//! texts (`Accept-Language`, [`crate::messages`]).

use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tracing::Instrument;

/// Header carrying the request id both ways.
pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

fn sane(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The middleware; register it outermost with `middleware::from_fn`.
pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    // The language of the problems' texts (crate::messages).
    let language = crate::messages::negotiate(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let handled = async move {
        let outcome = AssertUnwindSafe(next.call(req)).catch_unwind().await;
        // The request cannot be cloned before routing, so failures that
        // escape the handlers are answered with a prepared response.
        let failure = |err: ApiError| {
            let mut response = err.error_response();
            stamp(response.headers_mut());
            log(response.status().as_u16(), started);
            Err(InternalError::from_response(err.to_string(), response).into())
        };
        match outcome {
            Ok(Ok(response)) => {
                let mut response = response.map_into_boxed_body();
                stamp(response.headers_mut());
                log(response.status().as_u16(), started);
                Ok(response)
            }
            Ok(Err(err)) => {
                let response = err.error_response();
                let is_problem = response
                    .headers()
                    .get(actix_web::http::header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes() == crate::error::PROBLEM_JSON.as_bytes());
                if is_problem {
                    let mut response = response;
                    stamp(response.headers_mut());
                    log(response.status().as_u16(), started);
                    return Err(InternalError::from_response(err.to_string(), response).into());
                }
                failure(crate::error::from_status(response.status(), &err))
            }
            Err(_) => failure(ApiError::internal(anyhow::anyhow!("handler panicked"))),
        }
    };
    REQUEST_ID
        .scope(
            id,
            crate::messages::scope(language, handled.instrument(span)),
        )
        .await
}

fn stamp(headers: &mut actix_web::http::header::HeaderMap) {
    if let Ok(value) = HeaderValue::from_str(&current().unwrap_or_default()) {
        headers.insert(HeaderName::from_static(HEADER), value);
    }
}

fn log(status: u16, started: Instant) {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(status, elapsed_ms, "request failed");
    } else {
        tracing::info!(status, elapsed_ms, "request");
    }
}
