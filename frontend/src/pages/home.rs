use crate::session::use_auth;
use crate::state::t;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show
            when=move || auth.logged_in()
            fallback=move || view! {
                <section class="card hero">
                    <h1>{move || t().home_guest_title}</h1>
                    <p class="lead">{move || t().tagline}</p>
                    <p>{move || t().home_guest_text}</p>
                    <p class="actions">
                        <A href="/login" attr:class="button primary">{move || t().login_link}</A>
                        <A href="/register" attr:class="button">{move || t().register_link}</A>
                    </p>
                </section>
            }
        >
            <section class="card">
                <h1>{move || t().home_user_title}</h1>
                <p>
                    {move || t().acting_as}": "
                    <strong data-testid="acting-role">{move || auth.acting.get().map(|r| t().role(r)).unwrap_or_default()}</strong>
                </p>
                <p>{move || t().home_user_text}</p>
            </section>
        </Show>
    }
}
