//! Not found, and sections still under construction.

use crate::state::t;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Sections of the menu that are not built yet: they answer "under
/// construction" rather than "not found". (The fallback serves them: a
/// route of their own costs the bundle about half a kilobyte each.)
const COMING: &[&str] = &[
    "/engineers",
    "/responses",
    "/employees",
    "/certificate-applications",
    "/users",
];

/// What the router shows for a path without a route.
#[component]
pub fn Fallback() -> impl IntoView {
    let path = use_location().pathname;
    move || {
        if path.with(|p| COMING.contains(&p.trim_end_matches('/'))) {
            view! { <ComingSoon/> }.into_any()
        } else {
            view! { <NotFound/> }.into_any()
        }
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{move || t().not_found_title}</h1>
            <p>{move || t().not_found_text}</p>
            <A href="/">{move || t().to_home}</A>
        </section>
    }
}

#[component]
pub fn ComingSoon() -> impl IntoView {
    view! {
        <section class="card">
            <p>{move || t().coming_soon}</p>
            <A href="/">{move || t().to_home}</A>
        </section>
    }
}
