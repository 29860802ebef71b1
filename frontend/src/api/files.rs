//! Files through the API: downloads saved with the session (a plain link
//! would not carry the access token), and uploads that report their
//! progress.

use super::{ApiError, BASE, Credentials, Reply, answer, fetch, parse};
use serde::de::DeserializeOwned;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// The media type to send a file with (`application/octet-stream` when the
/// browser does not know it).
pub fn media_type(file: &web_sys::File) -> String {
    let kind = file.type_();
    if kind.is_empty() {
        "application/octet-stream".to_owned()
    } else {
        kind
    }
}

/// `POST`s `file` as is to `path` ([`send_with_progress`]).
pub async fn upload_with_progress<T: DeserializeOwned>(
    auth: impl Credentials,
    path: &str,
    file: &web_sys::File,
    progress: impl Fn(u32) + 'static,
) -> Result<T, ApiError> {
    Ok(send_with_progress(auth, "POST", path, file, progress)
        .await?
        .body)
}

/// Sends `file` as is (its media type as `Content-Type`) with `method` to
/// `path` with XMLHttpRequest (fetch reports no upload progress);
/// `progress` gets 0–100 as it goes. Like the other calls, a 401 renews
/// the token once and sends the file again. The answer and its `ETag`, or
/// the problem.
pub async fn send_with_progress<T: DeserializeOwned>(
    auth: impl Credentials,
    method: &str,
    path: &str,
    file: &web_sys::File,
    progress: impl Fn(u32) + 'static,
) -> Result<Reply<T>, ApiError> {
    let progress: Rc<dyn Fn(u32)> = Rc::new(progress);
    let token = auth.access_token();
    let mut sent = xhr_send(method, path, token.as_deref(), file, Rc::clone(&progress)).await?;
    if sent.0 == 401 {
        if !auth.renew().await {
            auth.expired();
        } else {
            let token = auth.access_token();
            sent = xhr_send(method, path, token.as_deref(), file, progress).await?;
            if sent.0 == 401 {
                auth.expired();
            }
        }
    }
    let (status, text, etag) = sent;
    parse((answer(status, text)?, etag))
}

/// One XMLHttpRequest: the status, the body's text and the `ETag`.
async fn xhr_send(
    method: &str,
    path: &str,
    token: Option<&str>,
    file: &web_sys::File,
    progress: Rc<dyn Fn(u32)>,
) -> Result<(u16, String, Option<String>), ApiError> {
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open(method, &format!("{BASE}{path}"))
        .map_err(|_| ApiError::Network)?;
    if let Some(token) = token {
        let _ = xhr.set_request_header("authorization", &format!("Bearer {token}"));
    }
    let _ = xhr.set_request_header("content-type", &media_type(file));
    let _ = xhr.set_request_header("accept", "application/json");
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress((ev.loaded() / ev.total() * 100.0) as u32);
            }
        });
    if let Ok(up) = xhr.upload() {
        up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, _| {
        xhr.set_onloadend(Some(&resolve));
    });
    xhr.send_with_opt_blob(Some(file))
        .map_err(|_| ApiError::Network)?;
    let _ = JsFuture::from(done).await;
    drop(on_progress);
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    let etag = xhr.get_response_header("etag").ok().flatten();
    Ok((status, text, etag))
}

/// Downloads a file the API serves with the session (the application form,
/// a certificate) and saves it as `name`.
pub async fn save_file(auth: impl Credentials, path: &str, name: &str) -> Result<(), ApiError> {
    let resp = fetch(auth, path).await?;
    let blob = resp.blob().map_err(|_| ApiError::Network)?;
    let blob: web_sys::Blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::Network)?
        .unchecked_into();
    save_blob(&blob, name);
    Ok(())
}

/// A URL of the file the API serves at `path`, for showing it in the page
/// (revoke it with `web_sys::Url::revoke_object_url` when done).
pub async fn object_url(auth: impl Credentials, path: &str) -> Result<String, ApiError> {
    let resp = fetch(auth, path).await?;
    let blob = resp.blob().map_err(|_| ApiError::Network)?;
    let blob: web_sys::Blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::Network)?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::Network)
}

/// Offers `blob` as a download named `name`.
pub fn save_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Ok(link) = document.create_element("a") {
        let link: web_sys::HtmlAnchorElement = link.unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        if let Some(body) = document.body() {
            let _ = body.append_child(&link);
            link.click();
            link.remove();
        }
    }
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}
