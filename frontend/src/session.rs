//! The session in the page: who is logged in ([`Auth`], provided as
//! context) and its lifecycle — logging in, the silent refresh through the
//! httpOnly cookie (a minute before the access token expires, and once on a
//! 401), switching the acting role, ending it.
//!
//! The access token lives only here, in memory; the refresh token is an
//! httpOnly cookie the page cannot read (docs/adr/0001-refresh-cookie.md).
//! The API client knows the session only through [`Credentials`].
//!
//! Every tab of the app shares that one cookie, and every refresh replaces
//! it. So the tabs refresh one at a time, holding the browser-wide Web Lock
//! [`REFRESH_LOCK`], and tell each other on the BroadcastChannel
//! [`CHANNEL`] what became of the session (new tokens, a role switch, a
//! logout): a tab that waited for the lock while another refreshed takes the
//! other's tokens instead of replacing the cookie once more. The refresh
//! request itself outlives its page (`keepalive`, [`api::refresh`]), so a
//! reload in the middle of it cannot lose the new cookie. Where the browser
//! has neither, each tab refreshes on its own and retries when another won
//! (ADR 0001, "Several tabs").

use crate::api::{self, ApiError, Credentials};
use futures_util::FutureExt;
use futures_util::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use mezha_api_types::Role;
use mezha_api_types::auth::TokenResponse;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

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
    /// Whether there is an access token: changes when a session starts or
    /// ends, not when its token is renewed — which happens whenever any tab
    /// refreshes, since the tabs share their refreshes.
    signed_in: Memo<bool>,
}

impl Auth {
    /// Logged out, not yet checked.
    pub fn new() -> Self {
        let access = RwSignal::new(None::<String>);
        Auth {
            access,
            roles: RwSignal::new(Vec::new()),
            acting: RwSignal::new(None),
            ready: RwSignal::new(false),
            ended: RwSignal::new(false),
            signed_in: Memo::new(move |_| access.with(Option::is_some)),
        }
    }

    /// Whether there is a session, without subscribing.
    pub fn logged_in_untracked(&self) -> bool {
        self.access.with_untracked(Option::is_some)
    }

    /// Whether there is a session (reactive: subscribes to its start and
    /// end, not to every new access token).
    pub fn logged_in(&self) -> bool {
        self.signed_in.get()
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

/// The Web Lock a tab holds while it refreshes: one tab of the browser at a
/// time presents the refresh cookie.
const REFRESH_LOCK: &str = "mezha-session-refresh";

/// The BroadcastChannel on which the tabs tell each other what became of
/// the session they share.
const CHANNEL: &str = "mezha-session";

/// What a tab tells the others (JSON on [`CHANNEL`]).
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum News {
    /// New tokens, from a refresh or a login in that tab: the cookie now
    /// holds their session's newest refresh token.
    Tokens { tokens: TokenResponse },
    /// The acting role was switched there (it is the session's, so every
    /// tab follows).
    Role {
        access_token: String,
        acting_role: Role,
        expires_in: u64,
    },
    /// Logged out there: the cookie is gone.
    LoggedOut,
}

thread_local! {
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> = const { RefCell::new(None) };
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    /// This tab's end of [`CHANNEL`], once open.
    static CHANNEL_END: RefCell<Option<BroadcastChannel>> = const { RefCell::new(None) };
    /// How much news from other tabs this tab has taken.
    static NEWS_TAKEN: Cell<u64> = const { Cell::new(0) };
}

/// Exchanges the refresh cookie for a new access token, or takes the one
/// another tab got meanwhile. Concurrent callers in the tab share one
/// attempt, and the tabs take turns (the lock [`REFRESH_LOCK`]): each
/// refresh replaces the cookie, and presenting a replaced one later than 10
/// seconds after counts as token theft and ends the session.
pub async fn refresh(auth: Auth) -> bool {
    listen(auth);
    let pending = REFRESHING.with(|r| r.borrow().clone());
    let future = match pending {
        Some(future) => future,
        None => {
            let future = async move {
                let taken = news_taken();
                let refreshed = one_tab_at_a_time(async move {
                    // Another tab refreshed (or logged out) while this one
                    // waited for the lock: its news is the answer, and
                    // refreshing again would only replace the cookie again.
                    if news_taken() != taken {
                        return auth.logged_in_untracked();
                    }
                    match refresh_with_retries().await {
                        Ok(tokens) => {
                            apply(auth, &tokens);
                            true
                        }
                        Err(error) => {
                            if matches!(
                                error.code(),
                                Some("invalid_refresh_token" | "refresh_token_reused")
                            ) {
                                forget_hint();
                            }
                            false
                        }
                    }
                })
                .await;
                REFRESHING.with(|r| r.borrow_mut().take());
                refreshed
            }
            .boxed_local()
            .shared();
            REFRESHING.with(|r| *r.borrow_mut() = Some(future.clone()));
            future
        }
    };
    future.await
}

/// The cookie the server sets beside the refresh cookie, readable here.
const HINT: &str = mezha_api_types::auth::SESSION_HINT_COOKIE;

fn document_cookie() -> Option<String> {
    let document = web_sys::window()?.document()?;
    js_sys::Reflect::get(&document, &"cookie".into())
        .ok()?
        .as_string()
}

/// Whether a refresh cookie may be there: the hint is. A visitor who never
/// logged in (or logged out) has none, and the app does not ask for a
/// refresh that can only answer 401.
pub fn may_have_session() -> bool {
    document_cookie().is_some_and(|cookies| {
        cookies.split(';').any(|c| {
            c.trim()
                .strip_prefix(HINT)
                .is_some_and(|v| v.starts_with('=') && v.len() > 1)
        })
    })
}

/// Drops the hint after the server refused the refresh cookie: the session
/// is over, and the next page load need not ask again.
fn forget_hint() {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let expired = format!("{HINT}=; Max-Age=0; Path=/; SameSite=Strict");
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &expired.into());
    }
}

/// One refresh request, retried while the server says that another request
/// with the same cookie won a moment ago (`refresh_token_superseded`). With
/// the lock that happens only when the tab that held it went away in the
/// middle of its refresh (its kept-alive request is still on its way, and
/// its answer will put the new token in the cookie jar), or in a browser
/// without Web Locks, where several tabs may be racing: try again after a
/// short, jittered pause, with whatever the cookie jar holds by then.
async fn refresh_with_retries() -> Result<TokenResponse, ApiError> {
    let mut result = api::refresh().await;
    for attempt in 1..=4u64 {
        if result.as_ref().err().and_then(ApiError::code) != Some("refresh_token_superseded") {
            break;
        }
        let jitter = (js_sys::Math::random() * 150.0) as u64;
        sleep(Duration::from_millis(attempt * 100 + jitter)).await;
        result = api::refresh().await;
    }
    result
}

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`, the Web Locks API (web-sys has it only among its
    /// unstable APIs).
    type LockManager;

    /// Calls `callback` once this tab holds the lock `name`, and holds it
    /// until the promise `callback` returns settles (or the page goes
    /// away); resolves to what that promise resolved to.
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// The browser's Web Locks, where it has them (not outside a secure
/// context, nor in old browsers).
fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Runs `task` holding [`REFRESH_LOCK`]; without Web Locks (or when the
/// browser refuses the lock), runs it at once.
async fn one_tab_at_a_time(task: impl Future<Output = bool> + 'static) -> bool {
    let Some(locks) = lock_manager() else {
        return task.await;
    };
    // The task runs in the lock's callback, or here if there is no lock.
    let slot = Rc::new(RefCell::new(Some(task.boxed_local())));
    let in_lock = Rc::clone(&slot);
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        let task = in_lock.borrow_mut().take();
        wasm_bindgen_futures::future_to_promise(async move {
            let done = match task {
                Some(task) => task.await,
                None => false,
            };
            Ok(JsValue::from_bool(done))
        })
    });
    let held = match locks.request(REFRESH_LOCK, callback.unchecked_ref()) {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if let Some(done) = held {
        return done.as_bool().unwrap_or(false);
    }
    let task = slot.borrow_mut().take();
    match task {
        Some(task) => task.await,
        None => false,
    }
}

/// Opens this tab's end of [`CHANNEL`] (once) and takes the other tabs'
/// news from then on. Without BroadcastChannel the tab keeps to itself.
fn listen(auth: Auth) {
    if CHANNEL_END.with(|c| c.borrow().is_some()) {
        return;
    }
    let Ok(channel) = BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if let Some(text) = ev.data().as_string()
            && let Ok(news) = serde_json::from_str::<News>(&text)
        {
            take_news(auth, news);
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Listens as long as the page lives.
    on_message.forget();
    CHANNEL_END.with(|c| *c.borrow_mut() = Some(channel));
}

/// Tells the other tabs (a tab does not hear its own news).
fn tell(auth: Auth, news: &News) {
    listen(auth);
    let Ok(text) = serde_json::to_string(news) else {
        return;
    };
    CHANNEL_END.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            let _ = channel.post_message(&JsValue::from_str(&text));
        }
    });
}

fn news_taken() -> u64 {
    NEWS_TAKEN.with(Cell::get)
}

/// What another tab told: this tab's session becomes the same.
fn take_news(auth: Auth, news: News) {
    NEWS_TAKEN.with(|n| n.set(n.get() + 1));
    match news {
        News::Tokens { tokens } => set_tokens(auth, &tokens),
        News::Role {
            access_token,
            acting_role,
            expires_in,
        } => {
            if auth.logged_in_untracked() {
                set_access(auth, access_token, acting_role, expires_in);
            }
        }
        // The login page loaded afresh, as after a logout here.
        News::LoggedOut => {
            end(auth, false);
            leave_for_login(false);
        }
    }
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

/// Takes the tokens of a login or refresh in this tab, tells the other tabs
/// (whose cookie it replaced too), and schedules the next refresh a minute
/// before the access token expires.
pub fn apply(auth: Auth, tokens: &TokenResponse) {
    set_tokens(auth, tokens);
    tell(
        auth,
        &News::Tokens {
            tokens: tokens.clone(),
        },
    );
}

fn set_tokens(auth: Auth, tokens: &TokenResponse) {
    auth.access.set(Some(tokens.access_token.clone()));
    auth.roles.set(tokens.roles.clone());
    auth.acting.set(Some(tokens.acting_role));
    auth.ended.set(false);
    schedule(auth, tokens.expires_in);
}

/// Sets a new access token (after a role switch in this tab), tells the
/// other tabs and reschedules.
pub fn apply_access(auth: Auth, access_token: String, acting: Role, expires_in: u64) {
    set_access(auth, access_token.clone(), acting, expires_in);
    tell(
        auth,
        &News::Role {
            access_token,
            acting_role: acting,
            expires_in,
        },
    );
}

fn set_access(auth: Auth, access_token: String, acting: Role, expires_in: u64) {
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

/// Leaves for the login page — when the session ended under the user
/// (`ended`: the page then says why), or another tab logged out.
pub fn leave_for_login(ended: bool) {
    load_afresh(if ended { LOGIN_AFTER_END } else { "/login" });
}

/// Loads `target` as a new page. After a session ends, never a client-side
/// navigation: a full load drops every bit of the session's state at once,
/// and no page of a lazily loaded chunk is torn down while its requests are
/// still answering (Leptos 0.8 could then read a disposed signal and stop the
/// whole app; docs/adr/0001-refresh-cookie.md).
fn load_afresh(target: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(target);
    }
}

/// The login page's address when a session ended under the user.
pub const LOGIN_AFTER_END: &str = "/login?session=ended";

/// Forgets the session after a logout in this tab, tells the other tabs (the
/// logout cleared the cookie they share, so they are logged out too), and
/// loads `then` afresh.
pub fn logged_out(auth: Auth, then: &str) {
    end(auth, false);
    tell(auth, &News::LoggedOut);
    load_afresh(then);
}

/// Forgets the session; `ended` tells the login page to explain why.
fn end(auth: Auth, ended: bool) {
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
