//! The landing page of the confirmation link: `/confirm-email?token=…`.

use crate::api::{self, ApiError, Method};
use crate::components::form::{Field, Submit};
use crate::components::problem::explain;
use crate::components::status::ErrorBox;
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use mezha_api_types::auth::{
    Accepted, ConfirmEmailRequest, ConfirmEmailResponse, PasswordResetRequest,
};

#[derive(Clone, PartialEq)]
enum State {
    Working,
    Done(String),
    Failed(ApiError),
    NoToken,
}

#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let query = use_query_map();
    let state = RwSignal::new(State::Working);
    let token = query.get_untracked().get("token").unwrap_or_default();
    if token.is_empty() {
        state.set(State::NoToken);
    } else {
        spawn_local(async move {
            let body = ConfirmEmailRequest { token };
            match api::public::<_, ConfirmEmailResponse>(Method::Post, "/auth/confirm-email", &body)
                .await
            {
                Ok(r) => state.set(State::Done(r.email)),
                Err(e) => state.set(State::Failed(e)),
            }
        });
    }
    view! {
        <section class="card narrow">
            <h1>{move || t().confirm_title}</h1>
            {move || match state.get() {
                State::Working => view! { <p class="status" role="status" aria-live="polite">{move || t().confirm_progress}</p> }.into_any(),
                State::Done(email) => view! {
                    <p role="status" class="success">{move || t().confirm_done}</p>
                    <p><strong>{email}</strong></p>
                    <A href="/login" attr:class="button primary">{move || t().login_link}</A>
                }.into_any(),
                State::Failed(e) => view! {
                    <ErrorBox message=explain(&e)/>
                    <Resend/>
                }.into_any(),
                State::NoToken => view! {
                    <ErrorBox message=t().confirm_missing_token.to_owned()/>
                    <Resend/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Resend() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = PasswordResetRequest {
            email: email.get_untracked(),
        };
        spawn_local(async move {
            let _ =
                api::public::<_, Accepted>(Method::Post, "/auth/confirm-email/resend", &body).await;
            sent.set(true);
            busy.set(false);
        });
    };
    view! {
        <Show when=move || !sent.get() fallback=move || view! { <p role="status">{move || t().resend_done}</p> }>
            <form on:submit=submit>
                <Field id="resend-email" kind="email" autocomplete="email" label=Signal::derive(move || t().email) value=email required=true/>
                <Submit label=Signal::derive(move || t().resend_link) busy=busy/>
            </form>
        </Show>
    }
}
