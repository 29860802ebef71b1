//! The profile's phone and second factor (docs/accounts.md, "Phone and the
//! second factor"): a new number is saved once confirmed by the SMS code
//! sent to it; the SMS second factor is switched with the password.

use crate::api::{self, ApiError, Method};
use crate::components::form::{Field, Submit};
use crate::components::problem::{FormError, field_error};
use crate::session::use_auth;
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::auth::{OtpRequest, OtpRequested, OtpVerifyRequest};
use mezha_api_types::me::{Me, SecondFactorSettings};

/// Below the profile form: `me` and `etag` are the profile's, updated
/// when the number or the second factor changes.
#[component]
pub fn PhoneSettings(me: RwSignal<Option<Me>>, etag: RwSignal<Option<String>>) -> impl IntoView {
    let auth = use_auth();
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let factor_error = RwSignal::new(None::<ApiError>);
    let factor_busy = RwSignal::new(false);
    let saved = move |reply: api::Reply<Me>| {
        me.set(Some(reply.body));
        etag.set(reply.etag);
    };

    let request = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = OtpRequest {
            phone: number.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, OtpRequested>(auth, Method::Post, "/me/phone", Some(&body), &[])
                .await
            {
                Ok(reply) => {
                    sent_to.set(Some(reply.body.phone));
                    code.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = OtpVerifyRequest {
            phone: sent_to.get_untracked().unwrap_or_default(),
            code: code.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, Me>(auth, Method::Post, "/me/phone/confirm", Some(&body), &[])
                .await
            {
                Ok(reply) => {
                    saved(reply);
                    sent_to.set(None);
                    number.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let switch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        factor_busy.set(true);
        factor_error.set(None);
        let body = SecondFactorSettings {
            enabled: !me.with_untracked(|m| m.as_ref().is_some_and(|m| m.second_factor)),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, Me>(auth, Method::Put, "/me/second-factor", Some(&body), &[]).await
            {
                Ok(reply) => {
                    saved(reply);
                    password.set(String::new());
                }
                Err(e) => factor_error.set(Some(e)),
            }
            factor_busy.set(false);
        });
    };
    let current = move || me.with(|m| m.as_ref().and_then(|m| m.phone.clone()));
    let confirmed = move || me.with(|m| m.as_ref().is_some_and(|m| m.phone_confirmed));
    let factor_on = move || me.with(|m| m.as_ref().is_some_and(|m| m.second_factor));

    view! {
        <section class="subsection" data-testid="phone-settings">
            <h2>{move || t().phone}</h2>
            <p data-testid="phone-current">
                {move || match current() {
                    Some(phone) => view! {
                        <strong>{phone}</strong>" "
                        <span class=move || if confirmed() { "badge ok" } else { "badge" }>
                            {move || if confirmed() { t().phone_confirmed } else { t().phone_unconfirmed }}
                        </span>
                    }.into_any(),
                    None => view! { <span class="empty">{t().phone_none}</span> }.into_any(),
                }}
            </p>
            <FormError error=error/>
            <Show
                when=move || sent_to.with(Option::is_some)
                fallback=move || view! {
                    <form on:submit=request novalidate data-testid="phone-form">
                        <Field id="new-phone" kind="tel" autocomplete="tel" inputmode="tel" label=Signal::derive(move || t().phone_new) value=number hint=Signal::derive(move || t().phone_hint) error=field_error(error, "phone")/>
                        <Submit label=Signal::derive(move || t().phone_send_code) busy=busy/>
                    </form>
                }
            >
                <p role="status">{move || t().sms_sent_to}" "<strong>{move || sent_to.get().unwrap_or_default()}</strong></p>
                <form on:submit=confirm novalidate data-testid="phone-confirm-form">
                    <Field id="phone-code" autocomplete="one-time-code" inputmode="numeric" label=Signal::derive(move || t().sms_code) value=code required=true error=field_error(error, "code")/>
                    <Submit label=Signal::derive(move || t().phone_confirm) busy=busy/>
                </form>
                <button type="button" class="link" on:click=move |_| { sent_to.set(None); error.set(None); }>{move || t().sms_change_phone}</button>
            </Show>

            <h2>{move || t().second_factor_title}</h2>
            <p class="hint">{move || t().second_factor_hint}</p>
            <p data-testid="second-factor-state">
                {move || if factor_on() { t().second_factor_on } else { t().second_factor_off }}
            </p>
            <form on:submit=switch novalidate data-testid="second-factor-form">
                <FormError error=factor_error/>
                <Field id="second-factor-password" kind="password" autocomplete="current-password" label=Signal::derive(move || t().password) value=password required=true error=field_error(factor_error, "password")/>
                <Submit label=Signal::derive(move || if factor_on() { t().second_factor_disable } else { t().second_factor_enable }) busy=factor_busy/>
            </form>
        </section>
    }
}
