//! Loading, error and empty states, and the guard of pages that need a session.

use crate::state::{t, use_auth};
use leptos::prelude::*;
use leptos_router::components::Redirect;

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

/// Shows `children` with a session; sends others to the login page.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    move || {
        if !auth.ready.get() {
            view! { <Loading/> }.into_any()
        } else if auth.logged_in() {
            children().into_any()
        } else {
            view! { <Redirect path="/login"/> }.into_any()
        }
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
/// [`AuthGate`] show their content and load their data only then.
pub fn signed_in() -> Signal<bool> {
    let auth = use_auth();
    Signal::derive(move || auth.ready.get() && auth.logged_in())
}
