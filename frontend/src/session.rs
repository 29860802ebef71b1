//! The session in the page: who is logged in ([`Auth`], provided as
//! context) and its lifecycle — logging in, the silent refresh through the
//! httpOnly cookie (one at a time; a minute before the access token
//! expires, and once on a 401), switching the acting role, ending it.
//!
//! The access token lives only here, in memory; the refresh token is an
//! httpOnly cookie the page cannot read (docs/adr/0001-refresh-cookie.md).
//! The API client knows the session only through [`Credentials`].

use crate::api::{self, ApiError, Credentials};
use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use mezha_api_types::Role;
use mezha_api_types::auth::TokenResponse;
use serde::Serialize;
use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

/// The session as the page knows it.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The access token (memory only).
    pub access: RwSignal<Option<String>>,
    /// Roles of the account.
    pub roles: RwSignal<Vec<Role>>,
    /// Acting role of the session.
    pub acting: RwSignal<Option<Role>>,
    /// The first silent refresh has finished (we know whether we are logged in).
    pub ready: RwSignal<bool>,
    /// The session ended under us (revoked, expired): the login page says so.
    pub ended: RwSignal<bool>,
}

impl Auth {
    /// Logged out, not yet checked.
    pub fn new() -> Self {
        Auth {
            access: RwSignal::new(None),
            roles: RwSignal::new(Vec::new()),
            acting: RwSignal::new(None),
            ready: RwSignal::new(false),
            ended: RwSignal::new(false),
        }
    }

    /// Whether there is a session, without subscribing.
    pub fn logged_in_untracked(&self) -> bool {
        self.access.with_untracked(Option::is_some)
    }

    /// Whether there is a session (reactive).
    pub fn logged_in(&self) -> bool {
        self.access.with(Option::is_some)
    }
}

/// The session context.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

impl Credentials for Auth {
    fn access_token(&self) -> Option<String> {
        self.access.get_untracked()
    }

    fn renew(&self) -> impl Future<Output = bool> {
        refresh(*self)
    }

    fn expired(&self) {
        end(*self, true);
    }
}

/// A login's first step (`path`: the password or the certificate login):
/// the session starts, or the second factor is asked for.
pub async fn login_step<B: Serialize>(
    auth: Auth,
    path: &str,
    body: &B,
) -> Result<api::LoginAnswer, ApiError> {
    let answer = api::login_step(path, body).await?;
    if let api::LoginAnswer::Tokens(tokens) = &answer {
        apply(auth, tokens);
    }
    Ok(answer)
}

/// Logs in (`path` is the SMS-code login or the second factor) and starts
/// the session.
pub async fn login<B: Serialize>(
    auth: Auth,
    path: &str,
    body: &B,
) -> Result<TokenResponse, ApiError> {
    let tokens = api::tokens(path, Some(body)).await?;
    apply(auth, &tokens);
    Ok(tokens)
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
    api::tokens::<()>("/auth/refresh", None).await
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
pub fn apply_access(auth: Auth, access_token: String, acting: Role, expires_in: u64) {
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

/// Leaves for the login page by loading it afresh — after a logout, or when
/// the session ended under the user (`ended`: the page then says why). A
/// full load rather than a client-side navigation: it drops every bit of the
/// session's state at once, and no page of a lazily loaded chunk is torn
/// down while its requests are still answering (Leptos 0.8 could then read a
/// disposed signal and stop the whole app; docs/ARCHITECTURE.md, "Code
/// splitting").
pub fn leave_for_login(ended: bool) {
    let target = if ended { LOGIN_AFTER_END } else { "/login" };
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(target);
    }
}

/// The login page's address when a session ended under the user.
pub const LOGIN_AFTER_END: &str = "/login?session=ended";

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
