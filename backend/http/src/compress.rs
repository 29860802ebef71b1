//! Response compression, cheap enough for the API's hot paths.
//!
//! actix's own `Compress` middleware prefers brotli and compresses every
//! body over 1 KB on the blocking thread pool — a thread hand-off per
//! answer that was the largest single server cost of the order search under
//! load (docs/benchmarks.md). Here a complete body of a compressible type
//! is gzipped on the worker itself by the thread's libdeflate compressor at
//! level 1 (an order-search page of ~11 KB to ~2.4 KB); streamed bodies (file downloads,
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
    accepts(accept_encoding, "gzip")
}

/// Whether `accept_encoding` admits the content coding `coding` (`gzip`,
/// which `x-gzip` also names, or `br`): listed, or covered by `*`, with a
/// non-zero quality.
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    let mut star = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let listed = parts.next().unwrap_or_default().trim();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        let named = listed.eq_ignore_ascii_case(coding)
            || (coding == "gzip" && listed.eq_ignore_ascii_case("x-gzip"));
        if named {
            return quality > 0.0;
        }
        if listed == "*" {
            star = Some(quality > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// Whether the request's headers admit a gzipped answer.
pub fn request_accepts_gzip(headers: &HeaderMap) -> bool {
    request_accepts(headers, "gzip")
}

/// Whether the request's headers admit an answer in `coding`.
pub fn request_accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|value| accepts(value, coding))
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
        || essence == crate::webapp::WASM_PACK
}

/// `bytes` gzipped at `level`.
pub fn gzip(bytes: &[u8], level: Compression) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), level);
    encoder.write_all(bytes)?;
    encoder.finish()
}

thread_local! {
    /// This worker thread's libdeflate compressor at level 1. It
    /// compresses a whole buffer at a time, which is what the middleware
    /// has, at about three times the speed of a streaming deflate; made
    /// once per thread.
    static GZIP: std::cell::RefCell<libdeflater::Compressor> = std::cell::RefCell::new(
        // Level 1 (`fastest()` is 0: stored, not compressed).
        libdeflater::Compressor::new(
            libdeflater::CompressionLvl::new(1).unwrap_or_default(),
        ),
    );
}

/// `bytes` gzipped at level 1 by this thread's compressor (the
/// answers of the middleware).
pub fn gzip_fast(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    GZIP.with(|cell| {
        let mut compressor = cell.borrow_mut();
        let mut out = vec![0; compressor.gzip_compress_bound(bytes.len())];
        let n = compressor
            .gzip_compress(bytes, &mut out)
            .map_err(|e| std::io::Error::other(format!("gzip: {e:?}")))?;
        out.truncate(n);
        Ok(out)
    })
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
    let mut response = match gzip_fast(&bytes) {
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
    fn brotli_is_accepted_only_when_listed_or_starred() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("x-br", "br"));
        assert!(!accepts("", "br"));
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

    fn gunzip(zipped: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(zipped)
            .read_to_end(&mut back)
            .unwrap();
        back
    }

    #[test]
    fn the_thread_compressor_gzips_every_answer_afresh() {
        let page = "{\"id\":\"0193\",\"title\":\"Межевание\"},".repeat(300);
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for body in [page.as_bytes(), b"", b"x", &noise, page.as_bytes()] {
            let zipped = gzip_fast(body).unwrap();
            assert_eq!(gunzip(&zipped), body);
            // Nothing of the previous answer leaks into the next.
            assert_eq!(zipped, gzip_fast(body).unwrap());
        }
        assert!(gzip_fast(page.as_bytes()).unwrap().len() < page.len() / 10);
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
