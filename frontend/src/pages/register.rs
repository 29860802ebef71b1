use crate::api::{self, ApiError};
use crate::components::form::{Field, Submit};
use crate::components::problem::{FormError, field_error};
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use mezha_api_types::auth::{RegisterRequest, RegisterResponse};

#[component]
pub fn Register() -> impl IntoView {
    crate::pages::login::leave_if_logged_in();
    // A page that sent the visitor here (`?next=`, a claim link) is where
    // the login after the sign-up returns to.
    let login = crate::pages::login::next_path()
        .map(|next| crate::pages::login::login_returning_to(&next))
        .unwrap_or_else(|| "/login".to_owned());
    let login_after = login.clone();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let key = api::IdempotencyKey::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let name = full_name.get_untracked();
        let body = RegisterRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            full_name: (!name.trim().is_empty()).then_some(name),
        };
        spawn_local(async move {
            match api::public_once::<_, RegisterResponse>("/auth/register", &body, key).await {
                Ok(r) => done.set(Some(r.email)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <Show
                when=move || done.with(Option::is_none)
                fallback=move || view! {
                    <h1>{move || t().register_done_title}</h1>
                    <p role="status">{move || t().register_done_text}</p>
                    <p><strong>{move || done.get().unwrap_or_default()}</strong></p>
                    <A href=login_after.clone()>{move || t().login_link}</A>
                }
            >
                <h1>{move || t().register_title}</h1>
                <form on:submit=submit novalidate>
                    <FormError error=error/>
                    <Field id="email" kind="email" autocomplete="email" label=Signal::derive(move || t().email) value=email required=true error=field_error(error, "email")/>
                    <Field id="password" kind="password" autocomplete="new-password" label=Signal::derive(move || t().password) value=password required=true hint=Signal::derive(move || t().password_hint) error=field_error(error, "password")/>
                    <Field id="full_name" autocomplete="name" label=Signal::derive(move || t().full_name) value=full_name error=field_error(error, "full_name")/>
                    <Submit label=Signal::derive(move || t().register_submit) busy=busy/>
                </form>
                <p><A href=login.clone()>{move || t().have_account}</A></p>
            </Show>
        </section>
    }
}
