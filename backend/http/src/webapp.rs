//! Serving the single-page web app built into `frontend/dist`:
//! content-hashed files under `/assets/` (and in its hashed folders, such as
//! the app's `app-<hash>/` of the module and its chunks) with a year-long
//! immutable cache, other top-level files (favicon) with a short one, and
//! `index.html` — never cached — for every other GET outside `/api/`, so
//! client-side routes survive a reload. A client that accepts brotli gets
//! the `<file>.br` the build wrote beside a file (quality 11, made once at
//! build time); else one that accepts gzip gets compressible files gzipped
//! at the best level, compressed once and kept in memory (keyed by size and
//! modification time, so a rebuilt app is picked up); `index.html` is
//! compressed by [`crate::compress`] like API answers.

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

    /// A file of the app at `path` (relative, `/`-separated), or `None`:
    /// the build's brotli of it when the client accepts `br` and there is
    /// one, else gzipped when it accepts gzip and the type compresses. Only
    /// plain names are served — a top-level file, or one in `assets/` or a
    /// folder of it; no dot-files, nothing but letters, digits, `.`, `-`, `_`
    /// — so nothing outside the folder is reachable.
    pub async fn file(&self, path: &str, accepts: Accepts) -> Option<HttpResponse> {
        let segments: Vec<&str> = path.split('/').collect();
        let plain = |segment: &&str| {
            !segment.is_empty()
                && !segment.starts_with('.')
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        };
        let allowed = match segments.as_slice() {
            [_] => true,
            ["assets", rest @ ..] => (1..=2).contains(&rest.len()),
            _ => false,
        };
        if !allowed || !segments.iter().all(plain) {
            return None;
        }
        let name = segments.last().copied().unwrap_or_default();
        let path = segments.iter().fold(self.dir.clone(), |dir, s| dir.join(s));
        let kind = content_type(name);
        let cache = cache_control(segments[0] == "assets" && segments.len() > 1);
        let answer = |encoding: Option<&'static str>, body: Vec<u8>| {
            let mut answer = HttpResponse::Ok();
            answer
                .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(kind)))
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header(("x-content-type-options", "nosniff"));
            if let Some(encoding) = encoding {
                answer
                    .insert_header((header::CONTENT_ENCODING, encoding))
                    .insert_header((header::VARY, "accept-encoding"));
            }
            answer.body(body)
        };
        if compress::compressible(kind) {
            if accepts.br
                && tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file())
                && let Ok(brotli) = tokio::fs::read(brotli_of(&path)).await
            {
                return Some(answer(Some("br"), brotli));
            }
            if accepts.gzip
                && let Some(zipped) = self.gzipped(&path).await
            {
                return Some(answer(Some("gzip"), zipped.as_ref().clone()));
            }
        }
        let bytes = tokio::fs::read(&path).await.ok()?;
        Some(answer(None, bytes))
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

/// The content codings a request admits, of those the app's files come in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accepts {
    pub br: bool,
    pub gzip: bool,
}

impl Accepts {
    /// What the request's `Accept-Encoding` admits.
    pub fn of(headers: &actix_web::http::header::HeaderMap) -> Accepts {
        Accepts {
            br: compress::request_accepts(headers, "br"),
            gzip: compress::request_accepts(headers, "gzip"),
        }
    }
}

/// Where the build put the brotli of the file at `path`: `<path>.br`.
fn brotli_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".br");
    PathBuf::from(name)
}

fn cache_control(hashed: bool) -> &'static str {
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    }
}

/// The type of a pack of WebAssembly modules (the web app's lazily loaded
/// chunks, concatenated by scripts/web-pack.mjs; its loader knows where each
/// module starts). Compressible like the modules themselves.
pub const WASM_PACK: &str = "application/vnd.mezha.wasm-pack";

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        // The web app's lazily loaded modules, packed (scripts/web-pack.mjs).
        "wasmpack" => WASM_PACK,
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
