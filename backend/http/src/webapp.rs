//! Serving the single-page web app built into `frontend/dist`:
//! content-hashed files under `/assets/` with a year-long immutable cache,
//! other top-level files (favicon) with a short one, and `index.html`
//! — never cached — for every other GET outside `/api/`, so client-side
//! routes survive a reload. A client that accepts gzip gets compressible
//! files gzipped at the best level, compressed once and kept in memory
//! (keyed by size and modification time, so a rebuilt app is picked up);
//! `index.html` is compressed by [`crate::compress`] like API answers.

use crate::compress;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

/// A file's gzip, with what identified the file's version.
type Gzipped = (u64, Option<SystemTime>, Arc<Vec<u8>>);

/// The built app on disk.
#[derive(Debug, Clone)]
pub struct WebApp {
    dir: PathBuf,
    gzipped: Arc<Mutex<HashMap<PathBuf, Gzipped>>>,
}

impl WebApp {
    /// The app in `dir`; `None` when it has not been built (no `index.html`).
    pub fn load(dir: &Path) -> Option<WebApp> {
        dir.join("index.html").is_file().then(|| WebApp {
            dir: dir.to_path_buf(),
            gzipped: Arc::default(),
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

    /// A file of the app, or `None`; gzipped when `gzip` (the client accepts
    /// it) and the type compresses. Only plain file names are served: no
    /// separators, no dot-files, so nothing outside the folder is reachable.
    pub async fn file(&self, sub: &str, name: &str, gzip: bool) -> Option<HttpResponse> {
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
        let kind = content_type(name);
        if gzip
            && compress::compressible(kind)
            && let Some(zipped) = self.gzipped(&path).await
        {
            return Some(
                HttpResponse::Ok()
                    .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(kind)))
                    .insert_header((header::CONTENT_ENCODING, "gzip"))
                    .insert_header((header::VARY, "accept-encoding"))
                    .insert_header((header::CACHE_CONTROL, cache_control(sub)))
                    .insert_header(("x-content-type-options", "nosniff"))
                    .body(zipped.as_ref().clone()),
            );
        }
        let bytes = tokio::fs::read(&path).await.ok()?;
        Some(
            HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(kind)))
                .insert_header((header::CACHE_CONTROL, cache_control(sub)))
                .insert_header(("x-content-type-options", "nosniff"))
                .body(bytes),
        )
    }

    /// The gzip of the file at `path`, made once per version of the file.
    async fn gzipped(&self, path: &Path) -> Option<Arc<Vec<u8>>> {
        let meta = tokio::fs::metadata(path).await.ok()?;
        if !meta.is_file() {
            return None;
        }
        let version = (meta.len(), meta.modified().ok());
        {
            let kept = self.gzipped.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((len, modified, zipped)) = kept.get(path)
                && (*len, *modified) == version
            {
                return Some(Arc::clone(zipped));
            }
        }
        let bytes = tokio::fs::read(path).await.ok()?;
        let zipped = tokio::task::spawn_blocking(move || {
            compress::gzip(&bytes, flate2::Compression::best())
        })
        .await
        .ok()?
        .ok()?;
        let zipped = Arc::new(zipped);
        self.gzipped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                path.to_path_buf(),
                (version.0, version.1, Arc::clone(&zipped)),
            );
        Some(zipped)
    }
}

fn cache_control(sub: &str) -> &'static str {
    if sub == "assets" {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
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
