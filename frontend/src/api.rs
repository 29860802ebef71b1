//! The one client of the Mezha API, built on the shared `mezha-api-types`.
//! Authenticated calls carry the session's access token; on a 401 they ask
//! the session to renew it once and retry, and tell it when it is over.
//! The client knows the session only through [`Credentials`] (the session
//! module implements it): it never keeps or renews tokens itself.
//!
//! One file per resource under `api/`; [`files`] has the downloads and the
//! uploads with progress, [`me`] the caller's photo.

use futures_util::future::Future;
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::*;
use mezha_api_types::Problem;
use mezha_api_types::auth::TokenResponse;
use mezha_api_types::limits::LIST_LIMIT_MAX;
use mezha_api_types::page::{DEFAULT_LIMIT, Page, PageQuery};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

pub mod certificate_agents;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod contracts;
pub mod deals;
pub mod engineers;
pub mod files;
pub mod fulfilment;
pub mod me;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod powers_of_attorney;
pub mod users;

/// Where the API is, on the page's own origin.
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
}

/// What the client needs of the session: the access token to send, and
/// what to do on a 401. Implemented by `session::Auth`.
pub trait Credentials: Copy + 'static {
    /// The access token, if there is a session.
    fn access_token(&self) -> Option<String>;
    /// Gets a new access token after a 401; `false` when there is none.
    fn renew(&self) -> impl Future<Output = bool>;
    /// The session is over: a renewal failed, or the server refused the
    /// renewed token too.
    fn expired(&self);
}

/// A call with no body.
pub const NONE: Option<&()> = None;

/// The `If-Match` header for a version read before, if any.
pub fn if_match(etag: Option<String>) -> Vec<(&'static str, String)> {
    etag.map(|tag| ("if-match", tag)).into_iter().collect()
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

/// The interface's language, as the app keeps it in `<html lang>`: sent as
/// `Accept-Language`, so that a problem's `detail` (shown where the
/// catalogue has no text of its own) is in the language of the page, not
/// of the browser.
fn interface_language() -> Option<String> {
    web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("lang")
}

async fn send(
    method: Method,
    path: &str,
    payload: Payload<'_>,
    token: Option<&str>,
    headers: &[(&str, String)],
) -> Result<Response, ApiError> {
    let req = request(method, path, payload, token, headers)?;
    req.send().await.map_err(|_| ApiError::Network)
}

/// The request [`send`] sends.
fn request(
    method: Method,
    path: &str,
    payload: Payload<'_>,
    token: Option<&str>,
    headers: &[(&str, String)],
) -> Result<Request, ApiError> {
    let mut req = builder(method, path).header("accept", "application/json");
    if let Some(lang) = interface_language() {
        req = req.header("accept-language", &lang);
    }
    if let Some(token) = token {
        req = req.header("authorization", &format!("Bearer {token}"));
    }
    for (name, value) in headers {
        req = req.header(name, value);
    }
    match payload {
        Payload::Json(body) => req.json(body),
        Payload::Raw(body, content_type) => {
            req.header("content-type", content_type).body(body.clone())
        }
        Payload::Form(form) => req.body(form.clone()),
        Payload::Empty => req.build(),
    }
    .map_err(|_| ApiError::Network)
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
    Ok((answer(status, text)?, etag))
}

/// The body of an answer with this status: its text when successful
/// (`null` when empty), else the problem it reads as.
fn answer(status: u16, text: String) -> Result<String, ApiError> {
    if (200..300).contains(&status) {
        return Ok(if text.trim().is_empty() {
            "null".to_owned()
        } else {
            text
        });
    }
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
        Err(_) => Err(ApiError::Network),
    }
}

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

/// A file sent as is (`POST` with its media type) without a session, with
/// `headers` (a link's token).
pub async fn public_raw<T: DeserializeOwned>(
    path: &str,
    body: &JsValue,
    content_type: &str,
    headers: &[(&str, String)],
) -> Result<T, ApiError> {
    let resp = send(
        Method::Post,
        path,
        Payload::Raw(body, content_type),
        None,
        headers,
    )
    .await?;
    read(resp).await.map(|r| r.body)
}

/// An anonymous creating call (registration), once per submission: a
/// retry of the same body sends the same `Idempotency-Key`.
pub async fn public_once<B, T>(path: &str, body: &B, key: IdempotencyKey<B>) -> Result<T, ApiError>
where
    B: Serialize + PartialEq + Clone + Send + Sync + 'static,
    T: DeserializeOwned,
{
    let header = key.header(body);
    let resp = send(
        Method::Post,
        path,
        payload(to_value(body).as_ref()),
        None,
        &[header],
    )
    .await?;
    let reply = read(resp).await.map(|r| r.body);
    if reply.is_ok() {
        key.done();
    }
    reply
}

/// A login answered with tokens (the SMS code, the second factor): asks
/// for the refresh token as an httpOnly cookie (`X-Token-Transport: cookie`).
pub async fn tokens<B: Serialize>(path: &str, body: Option<&B>) -> Result<TokenResponse, ApiError> {
    let body = body.and_then(to_value);
    let resp = send(
        Method::Post,
        path,
        payload(body.as_ref()),
        None,
        &[("x-token-transport", "cookie".into())],
    )
    .await?;
    read(resp).await.map(|r| r.body)
}

/// `POST /auth/refresh`: the refresh cookie exchanged for new tokens and a
/// new cookie. Sent with `keepalive`, so that closing or reloading the page
/// does not cancel it: the server rotates the refresh token as soon as the
/// request arrives, and a cancelled request's answer — the `Set-Cookie`
/// with the new token — would never reach the browser's cookie jar, which
/// would keep the replaced token and lose the session in every tab
/// (docs/adr/0001-refresh-cookie.md, "Several tabs"). A kept-alive request
/// outlives the page, and the browser still stores its cookie.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    let req = request(
        Method::Post,
        "/auth/refresh",
        Payload::Empty,
        None,
        &[("x-token-transport", "cookie".into())],
    )?;
    let init = web_sys::RequestInit::new();
    // web-sys's `RequestInit` has no setter for `keepalive`.
    js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE)
        .map_err(|_| ApiError::Network)?;
    let req = web_sys::Request::new_with_request_and_init(&req.into(), &init)
        .map_err(|_| ApiError::Network)?;
    let resp = Request::from(req)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(resp).await.map(|r| r.body)
}

/// What a login's first step answers: the tokens, or — the account asks
/// for the SMS second factor — a ticket and a code on its way.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum LoginAnswer {
    /// Logged in.
    Tokens(TokenResponse),
    /// `202`: finish with the ticket and the SMS code.
    SecondFactor(mezha_api_types::auth::SecondFactorRequired),
}

/// A login's first step (password, certificate), with the refresh token
/// asked for as an httpOnly cookie.
pub async fn login_step<B: Serialize>(path: &str, body: &B) -> Result<LoginAnswer, ApiError> {
    let resp = send(
        Method::Post,
        path,
        payload(to_value(body).as_ref()),
        None,
        &[("x-token-transport", "cookie".into())],
    )
    .await?;
    read(resp).await.map(|r| r.body)
}

/// A call with the session; renews the token once on a 401.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    auth: impl Credentials,
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
    auth: impl Credentials,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
    headers: &[(&str, String)],
) -> Result<(String, Option<String>), ApiError> {
    let resp = authed(auth, method, path, payload(body.as_ref()), headers).await?;
    read_text(resp).await
}

/// Every item of a list (`path`, no query string), read a page of the
/// largest size at a time until the last: for the short lists a page shows
/// whole (an order's history, responses and offers; the sessions).
pub async fn all_pages<T: DeserializeOwned>(
    auth: impl Credentials,
    path: &str,
) -> Result<Page<T>, ApiError> {
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let query = PageQuery::<DEFAULT_LIMIT> {
            limit: Some(LIST_LIMIT_MAX),
            cursor,
        };
        let url = format!("{path}{}", query_string(&query));
        let page: Page<T> = call(auth, Method::Get, &url, NONE, &[]).await?.body;
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(Page::last(items)),
        }
    }
}

/// Uploads `body` as is (`POST` with its media type), with the session.
pub async fn call_raw<T: DeserializeOwned>(
    auth: impl Credentials,
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
    auth: impl Credentials,
    path: &str,
    form: &web_sys::FormData,
) -> Result<T, ApiError> {
    let body: &JsValue = form.as_ref();
    let resp = authed(auth, Method::Post, path, Payload::Form(body), &[]).await?;
    Ok(parse(read_text(resp).await?)?.body)
}

/// A `GET` with the session whose successful answer is not JSON (a file).
pub async fn fetch(auth: impl Credentials, path: &str) -> Result<web_sys::Response, ApiError> {
    let resp = authed(auth, Method::Get, path, Payload::Empty, &[]).await?;
    if (200..300).contains(&resp.status()) {
        Ok(resp.into())
    } else {
        Err(read_text(resp).await.err().unwrap_or(ApiError::Network))
    }
}

/// A `GET` with the session of a file's exact bytes (what a signature binds).
pub async fn fetch_bytes(auth: impl Credentials, path: &str) -> Result<Vec<u8>, ApiError> {
    let resp = fetch(auth, path).await?;
    let buffer = resp.array_buffer().map_err(|_| ApiError::Network)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|_| ApiError::Network)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Sends a request with the access token; on a 401 renews it once and
/// sends it again. The last answer is returned whatever its status.
async fn authed(
    auth: impl Credentials,
    method: Method,
    path: &str,
    payload: Payload<'_>,
    headers: &[(&str, String)],
) -> Result<Response, ApiError> {
    let token = auth.access_token();
    let resp = send(method, path, payload, token.as_deref(), headers).await?;
    if resp.status() != 401 {
        return Ok(resp);
    }
    // A 401 about an SMS code (a wrong phone or issue code) is the form's
    // error, not the session's: no renewal, no retry that would spend a
    // second attempt, no logout.
    let refused = match token {
        Some(_) => {
            let status = resp.status();
            let text = resp.text().await.map_err(|_| ApiError::Network)?;
            let problem = answer(status, text).err().unwrap_or(ApiError::Network);
            if matches!(
                problem.code(),
                Some("invalid_otp" | "otp_expired" | "otp_attempts_exceeded")
            ) {
                return Err(problem);
            }
            Err(problem)
        }
        None => Ok(resp),
    };
    if !auth.renew().await {
        auth.expired();
        return refused;
    }
    let token = auth.access_token();
    let resp = send(method, path, payload, token.as_deref(), headers).await?;
    if resp.status() == 401 {
        auth.expired();
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
