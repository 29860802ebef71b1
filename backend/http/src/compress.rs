//! Response compression, cheap enough for the API's hot paths.
//!
//! actix's own `Compress` middleware prefers brotli and compresses every
//! body over 1 KB on the blocking thread pool — a thread hand-off per
//! answer that was the largest single server cost of the order search under
//! load (docs/benchmarks.md). Here a complete body of a compressible type
//! is gzipped on the worker itself at the fastest level (an order-search
//! page of ~11 KB: ~40 µs, to ~3 KB); streamed bodies (file downloads,
//! the Server-Sent Events of `GET /events`) and small ones pass untouched,
//! a stream chunk by chunk as it is produced. The web app's immutable assets are
//! compressed once at the best level and kept ([`crate::webapp`]).

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write as _;

/// Bodies smaller than this are sent as they are: below one TCP segment
/// compression saves no round trip.
pub const MIN_SIZE: usize = 1024;

/// Whether `accept_encoding` (an `Accept-Encoding` header value) admits
/// gzip: listed, or covered by `*`, with a non-zero quality.
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    let mut star = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            return quality > 0.0;
        }
        if coding == "*" {
            star = Some(quality > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// Whether the request's headers admit a gzipped answer.
pub fn request_accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_gzip)
}

/// Whether a body of this `Content-Type` shrinks when compressed.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/javascript"
                | "application/wasm"
                | "application/xml"
                | "image/svg+xml"
        )
}

/// `bytes` gzipped at `level`.
pub fn gzip(bytes: &[u8], level: Compression) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), level);
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The middleware (`middleware::from_fn`): gzips complete, compressible
/// bodies of at least [`MIN_SIZE`] bytes when the client accepts gzip, and
/// says `Vary: Accept-Encoding` on every answer it could have compressed.
pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let accepts = request_accepts_gzip(req.headers());
    let head_request = req.method() == actix_web::http::Method::HEAD;
    let response = next.call(req).await?.map_into_boxed_body();
    let eligible = !head_request
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(compressible)
        && !matches!(response.status().as_u16(), 101 | 204 | 206 | 304);
    if !eligible {
        return Ok(response);
    }
    let (request, mut response) = response.into_parts();
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !accepts {
        return Ok(ServiceResponse::new(request, response));
    }
    let (response, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        // A stream: sent as it comes.
        Err(body) => return Ok(ServiceResponse::new(request, response.set_body(body))),
    };
    if bytes.len() < MIN_SIZE {
        return Ok(ServiceResponse::new(
            request,
            response.set_body(BoxBody::new(bytes)),
        ));
    }
    let mut response = match gzip(&bytes, Compression::fast()) {
        Ok(zipped) if zipped.len() < bytes.len() => {
            let mut response = response.set_body(BoxBody::new(zipped));
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response
        }
        _ => response.set_body(BoxBody::new(bytes)),
    };
    response.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(request, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts_gzip("*"));
        assert!(accepts_gzip("x-gzip"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("br"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("gzip;q=0, *"));
        assert!(!accepts_gzip("*;q=0"));
        assert!(!accepts_gzip(""));
    }

    #[test]
    fn only_text_like_types_are_compressed() {
        assert!(compressible("application/json"));
        assert!(compressible("application/problem+json"));
        assert!(compressible("text/html; charset=utf-8"));
        assert!(compressible("application/wasm"));
        assert!(compressible("image/svg+xml"));
        assert!(!compressible("image/png"));
        assert!(!compressible("application/pdf"));
        assert!(!compressible("application/octet-stream"));
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read as _;
        let text = "order ".repeat(500);
        let zipped = gzip(text.as_bytes(), Compression::fast()).unwrap();
        assert!(zipped.len() < text.len() / 10);
        let mut back = String::new();
        flate2::read::GzDecoder::new(zipped.as_slice())
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }
}
