//! Request ids and the outermost middleware: every request gets an id
//! (the client's `X-Request-Id` when it is sane, else a new UUIDv7), a
//! tracing span carrying it, the id echoed in the response header, a log
//! line with status and latency, and a 500 problem instead of a dropped
//! connection if a handler panics.

use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
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
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
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
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let http_req = req.request().clone();
    let started = Instant::now();
    let handled = async move {
        let outcome = AssertUnwindSafe(next.call(req)).catch_unwind().await;
        let mut response = match outcome {
            Ok(Ok(response)) => response.map_into_boxed_body(),
            Ok(Err(err)) => ServiceResponse::new(http_req, err.error_response()),
            Err(_) => {
                let err = ApiError::internal(anyhow::anyhow!("handler panicked"));
                ServiceResponse::new(http_req, err.error_response())
            }
        };
        if let Ok(value) = HeaderValue::from_str(&current().unwrap_or_default()) {
            response.headers_mut().insert(HeaderName::from_static(HEADER), value);
        }
        let status = response.status().as_u16();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "request failed");
        } else {
            tracing::info!(status, elapsed_ms, "request");
        }
        response
    };
    Ok(REQUEST_ID.scope(id, handled.instrument(span)).await)
}
