//! What the router shows for a path without a route.

use crate::state::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// What the router shows for a path without a route.
#[component]
pub fn Fallback() -> impl IntoView {
    view! { <NotFound/> }
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
