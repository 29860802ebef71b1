//! Not found, and sections still under construction.

use crate::state::t;
use leptos::prelude::*;
use leptos_router::components::A;

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
