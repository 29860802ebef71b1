//! Password reset: ask for a link (`/reset-password`), or set the new
//! password from the link (`/reset-password?token=…`).

use crate::api::{self, ApiError, Method};
use crate::components::form::{Field, Submit};
use crate::components::problem::{FormError, field_error};
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use mezha_api_types::auth::{Accepted, PasswordResetConfirm, PasswordResetRequest};

#[component]
pub fn ResetPassword() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).filter(|t| !t.is_empty());
    view! {
        <section class="card narrow">
            <h1>{move || t().reset_title}</h1>
            {move || match token() {
                Some(token) => view! { <SetPassword token=token/> }.into_any(),
                None => view! { <RequestLink/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RequestLink() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = PasswordResetRequest {
            email: email.get_untracked(),
        };
        spawn_local(async move {
            match api::public::<_, Accepted>(Method::Post, "/auth/password-reset/request", &body)
                .await
            {
                Ok(_) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || !sent.get() fallback=move || view! { <p role="status" class="success">{move || t().reset_request_done}</p> }>
            <p>{move || t().reset_request_text}</p>
            <form on:submit=submit novalidate>
                <FormError error=error/>
                <Field id="email" kind="email" autocomplete="email" label=Signal::derive(move || t().email) value=email required=true error=field_error(error, "email")/>
                <Submit label=Signal::derive(move || t().reset_request_submit) busy=busy/>
            </form>
        </Show>
    }
}

#[component]
fn SetPassword(token: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let token = StoredValue::new(token);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = PasswordResetConfirm {
            token: token.get_value(),
            new_password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::public::<_, ()>(Method::Post, "/auth/password-reset/confirm", &body).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show
            when=move || !done.get()
            fallback=move || view! {
                <p role="status" class="success">{move || t().reset_set_done}</p>
                <A href="/login" attr:class="button primary">{move || t().login_link}</A>
            }
        >
            <form on:submit=submit novalidate>
                <FormError error=error/>
                <Field id="new_password" kind="password" autocomplete="new-password" label=Signal::derive(move || t().new_password) value=password required=true hint=Signal::derive(move || t().password_hint) error=field_error(error, "new_password")/>
                <Submit label=Signal::derive(move || t().reset_set_submit) busy=busy/>
            </form>
        </Show>
    }
}
