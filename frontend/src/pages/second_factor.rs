//! The SMS second factor in the browser (docs/accounts.md, "Phone and the
//! second factor"): the code step after the password, with the resend
//! countdown and "the phone is lost" (a link by e-mail); and the landing
//! page of that link, `/second-factor-recovery?token=…`.

use crate::api::{self, ApiError, Method};
use crate::components::form::{Field, Submit};
use crate::components::problem::{FormError, explain, field_error};
use crate::components::status::ErrorBox;
use crate::pages::login::after_login;
use crate::session::{self, use_auth};
use crate::state::t;
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::auth::{
    Accepted, ConfirmEmailRequest, SecondFactorRequired, SecondFactorTicket,
    SecondFactorVerifyRequest,
};
use std::time::Duration;

/// The code step: `required` is the login's `202`; `back` is cleared to
/// return to the login form.
/// The second step from its own chunk (fetched when an account that has the
/// SMS second factor enters its password): [`SecondFactorStep`] through
/// `later`.
#[lazy]
pub fn second_factor_step(
    required: SecondFactorRequired,
    back: RwSignal<Option<SecondFactorRequired>>,
) -> AnyView {
    view! { <SecondFactorStep required back/> }.into_any()
}

#[component]
pub fn SecondFactorStep(
    required: SecondFactorRequired,
    back: RwSignal<Option<SecondFactorRequired>>,
) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let ticket = StoredValue::new(required.ticket.clone());
    let phone = RwSignal::new(required.phone.clone());
    let code = RwSignal::new(String::new());
    let remaining = RwSignal::new(required.resend_after);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let mailed = RwSignal::new(false);
    if let Ok(handle) = set_interval_with_handle(
        move || remaining.update(|r| *r = r.saturating_sub(1)),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let body = move || SecondFactorTicket {
        ticket: ticket.get_value(),
    };
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = SecondFactorVerifyRequest {
            ticket: ticket.get_value(),
            code: code.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session::login(auth, "/auth/second-factor", &body).await {
                Ok(tokens) => navigate(&after_login(&tokens), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let resend = move |_| {
        error.set(None);
        let body = body();
        spawn_local(async move {
            match api::public::<_, SecondFactorRequired>(
                Method::Post,
                "/auth/second-factor/resend",
                &body,
            )
            .await
            {
                Ok(r) => {
                    phone.set(r.phone);
                    remaining.set(r.resend_after);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let lost = move |_| {
        error.set(None);
        let body = body();
        spawn_local(async move {
            match api::public::<_, Accepted>(Method::Post, "/auth/second-factor/recover", &body)
                .await
            {
                Ok(_) => mailed.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div data-testid="second-factor">
            <h2>{move || t().second_factor_title}</h2>
            <FormError error=error/>
            <Show
                when=move || !mailed.get()
                fallback=move || view! {
                    <p role="status" class="success" data-testid="recovery-mailed">{move || t().second_factor_mailed}</p>
                    <button type="button" class="link" on:click=move |_| back.set(None)>{move || t().second_factor_back}</button>
                }
            >
                <p role="status">{move || t().second_factor_sent_to}" "<strong>{move || phone.get()}</strong></p>
                <form on:submit=on_verify.clone() novalidate>
                    <Field id="second-factor-code" autocomplete="one-time-code" inputmode="numeric" label=Signal::derive(move || t().sms_code) value=code required=true error=field_error(error, "code")/>
                    <Submit label=Signal::derive(move || t().sms_verify) busy=busy/>
                </form>
                <p class="countdown" aria-live="polite">
                    {move || if remaining.get() > 0 {
                        view! { <span data-testid="second-factor-countdown">{t().sms_resend_in}" "{format!("{}:{:02}", remaining.get() / 60, remaining.get() % 60)}</span> }.into_any()
                    } else {
                        view! { <button type="button" class="link" on:click=resend>{t().sms_resend}</button> }.into_any()
                    }}
                </p>
                <p>
                    <button type="button" class="link" data-testid="phone-lost" on:click=lost>{move || t().second_factor_lost}</button>
                    " · "
                    <button type="button" class="link" on:click=move |_| back.set(None)>{move || t().second_factor_back}</button>
                </p>
            </Show>
        </div>
    }
}

#[derive(Clone, PartialEq)]
enum State {
    Working,
    Done,
    Failed(ApiError),
    NoToken,
}

/// The landing page of the recovery link: the second factor is switched
/// off and the lost number removed; log in with the password.
#[component]
pub fn SecondFactorRecovery() -> impl IntoView {
    let query = use_query_map();
    let state = RwSignal::new(State::Working);
    let token = query.get_untracked().get("token").unwrap_or_default();
    if token.is_empty() {
        state.set(State::NoToken);
    } else {
        spawn_local(async move {
            let body = ConfirmEmailRequest { token };
            match api::public::<_, ()>(Method::Post, "/auth/second-factor/recover/confirm", &body)
                .await
            {
                Ok(()) => state.set(State::Done),
                Err(e) => state.set(State::Failed(e)),
            }
        });
    }
    view! {
        <section class="card narrow">
            <h1>{move || t().second_factor_recovery_title}</h1>
            {move || match state.get() {
                State::Working => view! { <p class="status" role="status" aria-live="polite">{move || t().confirm_progress}</p> }.into_any(),
                State::Done => view! {
                    <p role="status" class="success" data-testid="second-factor-off">{move || t().second_factor_recovered}</p>
                    <A href="/login" attr:class="button primary">{move || t().login_link}</A>
                }.into_any(),
                State::Failed(e) => view! { <ErrorBox message=explain(&e)/> }.into_any(),
                State::NoToken => view! { <ErrorBox message=t().confirm_missing_token.to_owned()/> }.into_any(),
            }}
        </section>
    }
}
