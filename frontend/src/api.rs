//! The one client of the Mezha API, built on the shared `mezha-api-types`.
//! Authenticated calls carry the in-memory access token; on a 401 they
//! refresh once through the httpOnly cookie (one refresh at a time) and
//! retry; when that fails the session is over and the page goes to login.

use crate::state::Auth;
use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::*;
use mezha_api_types::auth::TokenResponse;
use mezha_api_types::orders::OrderStatus;
use mezha_api_types::{ErrorCode, FieldIssue, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub mod certificates;
pub mod chat;
pub mod engineers;
pub mod notifications;
pub mod orders;

const BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The API answered with a problem.
    Problem(Box<Problem>),
    /// No answer (network down, server gone) or an unreadable one.
    Network,
}

impl ApiError {
    /// The stable code, if the API gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem(p) => Some(p.code.as_str()),
            ApiError::Network => None,
        }
    }

    /// Issues reported for one field.
    pub fn field(&self, name: &str) -> Vec<FieldIssue> {
        match self {
            ApiError::Problem(p) => p.field(name).to_vec(),
            ApiError::Network => Vec::new(),
        }
    }

    /// A sentence for the user, in the current language.
    pub fn message(&self) -> String {
        let t = crate::state::t();
        match self {
            ApiError::Network => t.network_error.to_owned(),
            ApiError::Problem(p) if p.code == ErrorCode::IllegalTransition => {
                match p.current_status.as_deref().map(str::parse::<OrderStatus>) {
                    Some(Ok(now)) => t.orders.illegal_now.replace("{}", t.status(now)),
                    _ => t.errors.illegal_transition.to_owned(),
                }
            }
            ApiError::Problem(p) => match t.error(p.code.as_str()) {
                Some(text) => text.to_owned(),
                None => p
                    .detail
                    .clone()
                    .unwrap_or_else(|| t.unknown_error.to_owned()),
            },
        }
    }
}

/// A successful answer and its `ETag`.
pub struct Reply<T> {
    pub body: T,
    pub etag: Option<String>,
}

/// HTTP methods used by the app.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

fn builder(method: Method, path: &str) -> RequestBuilder {
    let url = format!("{BASE}{path}");
    match method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Patch => Request::patch(&url),
        Method::Put => Request::put(&url),
        Method::Delete => Request::delete(&url),
    }
}

/// What a request carries.
#[derive(Clone, Copy)]
enum Payload<'a> {
    Empty,
    Json(&'a serde_json::Value),
    /// A file or blob sent as is, with its media type.
    Raw(&'a JsValue, &'a str),
    /// A `FormData` (`multipart/form-data`; the browser writes the boundary).
    Form(&'a JsValue),
}

async fn send(
    method: Method,
    path: &str,
    payload: Payload<'_>,
    token: Option<&str>,
    headers: &[(&str, String)],
) -> Result<Response, ApiError> {
    let mut req = builder(method, path).header("accept", "application/json");
    if let Some(token) = token {
        req = req.header("authorization", &format!("Bearer {token}"));
    }
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let req = match payload {
        Payload::Json(body) => req.json(body),
        Payload::Raw(body, content_type) => {
            req.header("content-type", content_type).body(body.clone())
        }
        Payload::Form(form) => req.body(form.clone()),
        Payload::Empty => req.build(),
    }
    .map_err(|_| ApiError::Network)?;
    req.send().await.map_err(|_| ApiError::Network)
}

fn payload(body: Option<&serde_json::Value>) -> Payload<'_> {
    body.map_or(Payload::Empty, Payload::Json)
}

/// The body of a successful answer (`null` when empty) and its `ETag`, or
/// the problem. Not generic, so that every call shares this code.
async fn read_text(resp: Response) -> Result<(String, Option<String>), ApiError> {
    let etag = resp.headers().get("etag");
    let status = resp.status();
    let text = resp.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() {
            "null".to_owned()
        } else {
            text
        };
        return Ok((text, etag));
    }
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
        Err(_) => Err(ApiError::Network),
    }
}

// `ApiError` is as large here as in every other `Result` of this module
// (the async ones are not linted); boxing it would change every caller.
#[allow(clippy::result_large_err)]
fn parse<T: DeserializeOwned>(
    (text, etag): (String, Option<String>),
) -> Result<Reply<T>, ApiError> {
    let body = serde_json::from_str(&text).map_err(|_| ApiError::Network)?;
    Ok(Reply { body, etag })
}

async fn read<T: DeserializeOwned>(resp: Response) -> Result<Reply<T>, ApiError> {
    parse(read_text(resp).await?)
}

fn to_value<B: Serialize>(body: &B) -> Option<serde_json::Value> {
    serde_json::to_value(body).ok()
}

/// A call that needs no session.
pub async fn public<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let resp = send(method, path, payload(to_value(body).as_ref()), None, &[]).await?;
    read(resp).await.map(|r| r.body)
}

/// A login call: asks for the cookie transport and starts the session.
pub async fn login<B: Serialize>(
    auth: Auth,
    path: &str,
    body: &B,
) -> Result<TokenResponse, ApiError> {
    let resp = send(
        Method::Post,
        path,
        payload(to_value(body).as_ref()),
        None,
        &[("x-token-transport", "cookie".into())],
    )
    .await?;
    let tokens: TokenResponse = read(resp).await?.body;
    apply(auth, &tokens);
    Ok(tokens)
}

/// A call with the session; refreshes once on 401.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    auth: Auth,
    method: Method,
    path: &str,
    body: Option<&B>,
    headers: &[(&str, String)],
) -> Result<Reply<T>, ApiError> {
    let body = body.and_then(to_value);
    parse(call_text(auth, method, path, body, headers).await?)
}

/// [`call`] up to the answer's text: the part every call shares.
async fn call_text(
    auth: Auth,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
    headers: &[(&str, String)],
) -> Result<(String, Option<String>), ApiError> {
    let resp = authed(auth, method, path, payload(body.as_ref()), headers).await?;
    read_text(resp).await
}

/// Uploads `body` as is (`POST` with its media type), with the session.
pub async fn call_raw<T: DeserializeOwned>(
    auth: Auth,
    path: &str,
    body: &JsValue,
    content_type: &str,
) -> Result<Reply<T>, ApiError> {
    let resp = authed(
        auth,
        Method::Post,
        path,
        Payload::Raw(body, content_type),
        &[],
    )
    .await?;
    parse(read_text(resp).await?)
}

/// Posts a `FormData` (multipart) with the session.
pub async fn call_form<T: DeserializeOwned>(
    auth: Auth,
    path: &str,
    form: &web_sys::FormData,
) -> Result<T, ApiError> {
    let body: &JsValue = form.as_ref();
    let resp = authed(auth, Method::Post, path, Payload::Form(body), &[]).await?;
    Ok(parse(read_text(resp).await?)?.body)
}

/// A `GET` with the session whose successful answer is not JSON (a file).
pub async fn fetch(auth: Auth, path: &str) -> Result<web_sys::Response, ApiError> {
    let resp = authed(auth, Method::Get, path, Payload::Empty, &[]).await?;
    if (200..300).contains(&resp.status()) {
        Ok(resp.into())
    } else {
        Err(read_text(resp).await.err().unwrap_or(ApiError::Network))
    }
}

/// Sends a request with the access token; on a 401 refreshes once and
/// sends it again. The last answer is returned whatever its status.
async fn authed(
    auth: Auth,
    method: Method,
    path: &str,
    payload: Payload<'_>,
    headers: &[(&str, String)],
) -> Result<Response, ApiError> {
    let token = auth.access.get_untracked();
    let resp = send(method, path, payload, token.as_deref(), headers).await?;
    if resp.status() != 401 {
        return Ok(resp);
    }
    if !refresh(auth).await {
        end(auth, true);
        return Ok(resp);
    }
    let token = auth.access.get_untracked();
    let resp = send(method, path, payload, token.as_deref(), headers).await?;
    if resp.status() == 401 {
        end(auth, true);
    }
    Ok(resp)
}

/// The query string (`?a=1&b=x`) of a serialisable struct of scalars;
/// absent (`None`) members are left out. Empty when nothing is set.
pub fn query_string<Q: Serialize>(query: &Q) -> String {
    let Ok(serde_json::Value::Object(members)) = serde_json::to_value(query) else {
        return String::new();
    };
    let pairs: Vec<String> = members
        .into_iter()
        .filter_map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(s) => s,
                // Integers only: formatting a float would bring float
                // formatting into the bundle, and no query has one.
                serde_json::Value::Number(n) => n.as_i64()?.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(format!("{name}={}", encode(&text)))
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// Percent-encodes one query-string value or path segment.
pub fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// A fresh random (version 4) UUID, for `Idempotency-Key`.
pub fn new_uuid() -> uuid::Uuid {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// One `Idempotency-Key` per submission: a retry of the same request
/// (an equal body) reuses the key, so the server does not create twice; a
/// changed body gets a new key.
pub struct IdempotencyKey<B: Send + Sync + 'static>(StoredValue<Option<(B, String)>>);

impl<B: Send + Sync + 'static> Clone for IdempotencyKey<B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: Send + Sync + 'static> Copy for IdempotencyKey<B> {}

impl<B: PartialEq + Clone + Send + Sync + 'static> IdempotencyKey<B> {
    pub fn new() -> Self {
        IdempotencyKey(StoredValue::new(None))
    }

    /// The header for sending `body`.
    pub fn header(&self, body: &B) -> (&'static str, String) {
        let key = self
            .0
            .with_value(|last| {
                last.as_ref()
                    .filter(|(b, _)| b == body)
                    .map(|(_, k)| k.clone())
            })
            .unwrap_or_else(|| {
                let key = new_uuid().to_string();
                self.0.set_value(Some((body.clone(), key.clone())));
                key
            });
        ("idempotency-key", key)
    }

    /// Forgets the key after a success: the next submission is a new one.
    pub fn done(&self) {
        self.0.set_value(None);
    }
}

thread_local! {
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> = const { RefCell::new(None) };
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

/// Exchanges the refresh cookie for a new access token. Concurrent callers
/// share one request: refreshing twice with the same cookie would look like
/// token theft and end the session.
pub async fn refresh(auth: Auth) -> bool {
    let pending = REFRESHING.with(|r| r.borrow().clone());
    let future = match pending {
        Some(future) => future,
        None => {
            let future = async move {
                let mut result = refresh_once().await;
                // Another tab refreshed with the same cookie a moment ago and
                // won; the cookie jar now holds a newer token: try again after
                // a short, jittered pause (several tabs may be racing).
                for attempt in 1..=4u64 {
                    if result.as_ref().err().and_then(ApiError::code)
                        != Some("refresh_token_superseded")
                    {
                        break;
                    }
                    let jitter = (js_sys::Math::random() * 150.0) as u64;
                    sleep(Duration::from_millis(attempt * 100 + jitter)).await;
                    result = refresh_once().await;
                }
                REFRESHING.with(|r| r.borrow_mut().take());
                match result {
                    Ok(tokens) => {
                        apply(auth, &tokens);
                        true
                    }
                    Err(_) => false,
                }
            }
            .boxed_local()
            .shared();
            REFRESHING.with(|r| *r.borrow_mut() = Some(future.clone()));
            future
        }
    };
    future.await
}

/// Resolves after `delay`, on the page's timer.
async fn sleep(delay: Duration) {
    let millis = i32::try_from(delay.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

async fn refresh_once() -> Result<TokenResponse, ApiError> {
    let resp = send(
        Method::Post,
        "/auth/refresh",
        Payload::Empty,
        None,
        &[("x-token-transport", "cookie".into())],
    )
    .await?;
    read::<TokenResponse>(resp).await.map(|r| r.body)
}

/// Takes the tokens of a login or refresh and schedules the next refresh a
/// minute before the access token expires.
pub fn apply(auth: Auth, tokens: &TokenResponse) {
    auth.access.set(Some(tokens.access_token.clone()));
    auth.roles.set(tokens.roles.clone());
    auth.acting.set(Some(tokens.acting_role));
    auth.ended.set(false);
    schedule(auth, tokens.expires_in);
}

/// Sets a new access token (after a role switch) and reschedules.
pub fn apply_access(
    auth: Auth,
    access_token: String,
    acting: mezha_api_types::Role,
    expires_in: u64,
) {
    auth.access.set(Some(access_token));
    auth.acting.set(Some(acting));
    schedule(auth, expires_in);
}

fn schedule(auth: Auth, expires_in: u64) {
    let delay = Duration::from_secs(expires_in.saturating_sub(60).max(10));
    let handle = set_timeout_with_handle(
        move || {
            leptos::task::spawn_local(async move {
                if !refresh(auth).await {
                    end(auth, true);
                }
            })
        },
        delay,
    )
    .ok();
    TIMER.with(|t| {
        if let Some(old) = t.borrow_mut().take() {
            old.clear();
        }
        *t.borrow_mut() = handle;
    });
}

/// Forgets the session; `ended` tells the login page to explain why.
pub fn end(auth: Auth, ended: bool) {
    TIMER.with(|t| {
        if let Some(old) = t.borrow_mut().take() {
            old.clear();
        }
    });
    auth.access.set(None);
    auth.roles.set(Vec::new());
    auth.acting.set(None);
    if ended {
        auth.ended.set(true);
    }
}

/// Downloads a file the API serves with the session (the application form,
/// a certificate) and saves it as `name`.
pub async fn save_file(auth: Auth, path: &str, name: &str) -> Result<(), ApiError> {
    let resp = fetch(auth, path).await?;
    let blob = resp.blob().map_err(|_| ApiError::Network)?;
    let blob: web_sys::Blob = JsFuture::from(blob)
        .await
        .map_err(|_| ApiError::Network)?
        .unchecked_into();
    save_blob(&blob, name);
    Ok(())
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
