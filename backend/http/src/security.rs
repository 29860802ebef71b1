//! The security headers of every answer (docs/API.md, "Security headers"):
//! no type sniffing, no framing, no referrer, and a Content-Security-Policy
//! fitted to what is answered: nothing at all may load from an API answer
//! (JSON, a download, anything not a page), the web app's pages load only
//! its own files (and run its WebAssembly), the docs page only Swagger UI's. HSTS is sent when the
//! public address is `https`. A header a handler set itself is kept.

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

/// Nothing may load or run from an API answer; it may not be framed.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The web app: its own scripts, styles and WebAssembly, the API on the
/// same origin (fetch and the live-event stream); images its own (photos
/// are served by the API, `GET /users/{id}/avatar`) and `data:`/`blob:`
/// (previews); frames only of `blob:` URLs it made itself (the PDF preview
/// of a contract or act, fetched with the session); none from elsewhere.
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
font-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// The docs page (Swagger UI, served from the binary): its own files; it
/// sets inline styles and uses `data:` images.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'none'; frame-ancestors 'none'";

/// The policy for an answer to `path` of type `content_type`: a page gets
/// the web app's or the docs' policy, anything else (JSON, a download, a
/// script) the API's, which forbids everything should it be opened.
pub fn csp_for(path: &str, content_type: &str) -> &'static str {
    let page = content_type.starts_with("text/html");
    let docs = path == "/api/docs" || path.starts_with("/api/docs/");
    match (page, docs) {
        (true, true) => DOCS_CSP,
        // An uploaded file is never a page of ours, whatever its type.
        (true, false) if !path.starts_with("/api/") => APP_CSP,
        _ => API_CSP,
    }
}

/// Adds the headers to every answer.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.path().to_owned();
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.public_url.starts_with("https://"));
    let mut res = next.call(req).await?;
    let content_type = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let csp = csp_for(&path, content_type);
    let headers = res.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        let name = HeaderName::from_static(name);
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set("content-security-policy", csp);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "no-referrer");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if https {
        set("strict-transport-security", "max-age=31536000");
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_answer_has_its_policy() {
        let html = "text/html; charset=utf-8";
        assert_eq!(csp_for("/api/v1/orders", "application/json"), API_CSP);
        assert_eq!(csp_for("/api/v1/files/1", "text/html"), API_CSP);
        assert_eq!(csp_for("/api/v1/files/1", "application/pdf"), API_CSP);
        assert_eq!(csp_for("/api/docs/", html), DOCS_CSP);
        assert_eq!(csp_for("/api/docs/swagger-ui.css", "text/css"), API_CSP);
        assert_eq!(csp_for("/orders/42", html), APP_CSP);
        assert_eq!(csp_for("/healthz", "application/json"), API_CSP);
        for csp in [API_CSP, APP_CSP, DOCS_CSP] {
            assert!(csp.contains("frame-ancestors 'none'"));
        }
    }
}
