//! Serving the single-page web app built into `frontend/dist`:
//! content-hashed files under `/assets/` with a year-long immutable cache,
//! other top-level files (favicon) with a short one, and `index.html`
//! — never cached — for every other GET outside `/api/`, so client-side
//! routes survive a reload. Compression comes from the app's middleware.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use std::path::{Path, PathBuf};

/// The built app on disk.
#[derive(Debug, Clone)]
pub struct WebApp {
    dir: PathBuf,
}

impl WebApp {
    /// The app in `dir`; `None` when it has not been built (no `index.html`).
    pub fn load(dir: &Path) -> Option<WebApp> {
        dir.join("index.html").is_file().then(|| WebApp {
            dir: dir.to_path_buf(),
        })
    }

    /// `index.html`, revalidated on every load. Read on each request (the OS
    /// caches it), so a rebuilt app is served without a restart.
    pub async fn index(&self) -> Option<HttpResponse> {
        let index = tokio::fs::read(self.dir.join("index.html")).await.ok()?;
        Some(
            HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .insert_header(("x-content-type-options", "nosniff"))
                .body(index),
        )
    }

    /// A file of the app, or `None`. Only plain file names are served: no
    /// separators, no dot-files, so nothing outside the folder is reachable.
    pub async fn file(&self, sub: &str, name: &str) -> Option<HttpResponse> {
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !plain {
            return None;
        }
        let path = if sub.is_empty() {
            self.dir.join(name)
        } else {
            self.dir.join(sub).join(name)
        };
        let bytes = tokio::fs::read(&path).await.ok()?;
        let cache = if sub == "assets" {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        Some(
            HttpResponse::Ok()
                .insert_header((
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(name)),
                ))
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header(("x-content-type-options", "nosniff"))
                .body(bytes),
        )
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "webmanifest" => "application/json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a request no API route took should get the app: a GET or HEAD
/// outside `/api/` and the service endpoints.
pub fn is_app_request(req: &HttpRequest) -> bool {
    let path = req.path();
    (req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD)
        && !path.starts_with("/api/")
        && path != "/api"
        && path != "/healthz"
        && path != "/readyz"
}
