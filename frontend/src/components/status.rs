//! Loading, error and empty states, where loading a page's data stands
//! ([`Load`], [`load`], [`LoadStatus`]), and the guard of pages that need a
//! session.

use crate::api::ApiError;
use crate::components::problem::explain;
use crate::session::use_auth;
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use std::future::Future;

/// Where loading a page's data stands.
#[derive(Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready,
    Failed(ApiError),
}

impl Load {
    /// Whether the data is there.
    pub fn is_ready(&self) -> bool {
        *self == Load::Ready
    }
}

/// Loads a page's data: `done` takes it and `state` becomes `Ready`, or
/// `state` says why it failed. (`state` is left as it is meanwhile: set
/// `Loading` first where a reload should say so.)
pub fn load<T: 'static>(
    state: RwSignal<Load>,
    fetch: impl Future<Output = Result<T, ApiError>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    spawn_local(async move {
        match fetch.await {
            Ok(data) => {
                done(data);
                state.set(Load::Ready);
            }
            Err(e) => state.set(Load::Failed(e)),
        }
    });
}

/// What stands in for a page's data until it is there: "Loading…" (none
/// when `quiet`), or the error with "Retry"; nothing once ready. `card`
/// puts it in a card of its own.
#[component]
pub fn LoadStatus(
    state: RwSignal<Load>,
    retry: Callback<()>,
    #[prop(optional)] quiet: bool,
    #[prop(optional)] card: bool,
) -> impl IntoView {
    move || {
        let shown = match state.get() {
            Load::Loading if quiet => return None,
            Load::Loading => view! { <Loading/> }.into_any(),
            Load::Failed(e) => view! { <ErrorBox message=explain(&e) retry=retry/> }.into_any(),
            Load::Ready => return None,
        };
        Some(if card {
            view! { <section class="card">{shown}</section> }.into_any()
        } else {
            shown
        })
    }
}

/// A polite loading indicator.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="status" role="status" aria-live="polite">{move || t().loading}</p> }
}

/// An error with an optional retry button.
#[component]
pub fn ErrorBox(
    #[prop(into)] message: Signal<String>,
    #[prop(optional)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <p>{move || message.get()}</p>
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>{move || t().retry}</button>
            })}
        </div>
    }
}

/// A message for an empty list.
#[component]
pub fn Empty(#[prop(into)] message: Signal<&'static str>) -> impl IntoView {
    view! { <p class="empty">{move || message.get()}</p> }
}

/// Shows `children` with a session; sends others to the login page. The
/// page is made anew when the session starts, ends or switches its role,
/// not when only its access token is renewed (other tabs share their
/// refreshes with this one, and a form must keep what was typed).
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let state = Memo::new(move |_| (auth.ready.get(), auth.logged_in(), auth.acting.get()));
    move || match state.get() {
        (false, _, _) => view! { <Loading/> }.into_any(),
        (true, true, _) => children().into_any(),
        (true, false, _) => view! { <Redirect path="/login"/> }.into_any(),
    }
}

/// The session guard of pages that render their content directly (see
/// [`signed_in`]): "Loading" while the session is unknown, the login page
/// without one. Unlike [`RequireAuth`] it does not wrap the page, whose
/// view would then be type-erased, with its building code compiled twice.
#[component]
pub fn AuthGate() -> impl IntoView {
    let auth = use_auth();
    move || {
        if !auth.ready.get() {
            Some(view! { <Loading/> }.into_any())
        } else if !auth.logged_in() {
            Some(view! { <Redirect path="/login"/> }.into_any())
        } else {
            None
        }
    }
}

/// Whether there is a session (known and present): pages beside an
/// [`AuthGate`] show their content and load their data only then. A memo:
/// a new access token (the silent refresh, a role switch) leaves it `true`
/// without telling anyone, so a page's content is not made anew — its
/// forms keep what was typed.
pub fn signed_in() -> Signal<bool> {
    let auth = use_auth();
    Memo::new(move |_| auth.ready.get() && auth.logged_in()).into()
}
