//! Login by password, by phone and SMS code (with the resend countdown), or
//! by a certificate whose key this browser holds ([`cert`]); with the SMS
//! second factor on, the password or the certificate is followed by the
//! code ([`second_factor_step`]).

mod cert;

use crate::api::{self, ApiError, LoginAnswer, Method};
use crate::components::form::{Field, Submit};
use crate::components::later::later;
use crate::components::problem::{FormError, field_error};
use crate::pages::second_factor::second_factor_step;
use crate::session::{self, use_auth};
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::auth::{
    LoginRequest, OtpRequest, OtpRequested, OtpVerifyRequest, SecondFactorRequired, TokenResponse,
};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Password,
    Sms,
    Certificate,
}

/// The page to return to after the login (`/login?next=/invitation?…`):
/// a path of this site only, never another origin.
pub(crate) fn next_path() -> Option<String> {
    let search = window().location().search().ok()?;
    let raw = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("next="))?;
    safe_path(String::from(js_sys::decode_uri_component(raw).ok()?))
}

/// `next` if it is a path of this site: `/…`, never `//host/…` or
/// `/\host` (which browsers read as another origin).
fn safe_path(next: String) -> Option<String> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

/// `/login?next=…` that comes back to `path` after the login.
pub(crate) fn login_returning_to(path: &str) -> String {
    format!("/login?next={}", api::encode(path))
}

/// Where to go after a login: the role choice when there is one to make
/// (it passes the page to return to on), else that page or home.
pub(crate) fn after_login(tokens: &TokenResponse) -> String {
    let next = next_path();
    if tokens.roles.len() > 1 {
        match next {
            Some(next) => format!("/choose-role?next={}", api::encode(&next)),
            None => "/choose-role".to_owned(),
        }
    } else {
        next.unwrap_or_else(|| "/".to_owned())
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let auth = use_auth();
    leave_if_logged_in();
    let tab = RwSignal::new(Tab::Password);
    // Loaded as session::LOGIN_AFTER_END: the session ended under the user.
    let ended_here =
        use_query_map().with_untracked(|q| q.get("session").as_deref() == Some("ended"));
    // The certificate tab's code is fetched when it is first opened, then kept.
    let cert_opened = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || tab.get() == Tab::Certificate
    });
    // The second step, when the account asks for the SMS second factor.
    let second = RwSignal::new(None::<SecondFactorRequired>);
    let tab_button = move |which: Tab, label: fn() -> &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-selected=move || (tab.get() == which).to_string()
                class:active=move || tab.get() == which
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="card narrow">
            <h1>{move || t().login_title}</h1>
            <Show when=move || auth.ended.get() || ended_here>
                <p class="notice" role="alert" data-testid="session-ended">{move || t().session_ended}</p>
            </Show>
            {move || second.get().map(|required| later(second_factor_step(required, second)))}
            <div hidden=move || second.with(Option::is_some)>
                <div role="tablist" class="tabs">
                    {tab_button(Tab::Password, || t().login_by_password, "tab-password")}
                    {tab_button(Tab::Sms, || t().login_by_sms, "tab-sms")}
                    {tab_button(Tab::Certificate, || t().login_by_certificate, "tab-certificate")}
                </div>
                // The panels stay mounted, so a sent code and its countdown survive a tab switch.
                <div hidden=move || tab.get() != Tab::Password><PasswordLogin second=second/></div>
                <div hidden=move || tab.get() != Tab::Sms><SmsLogin/></div>
                <div hidden=move || tab.get() != Tab::Certificate>
                    {move || cert_opened.get().then(|| {
                        later(cert::cert_login(Signal::derive(move || tab.get() == Tab::Certificate), second))
                    })}
                </div>
            </div>
            <p><A href="/reset-password">{move || t().forgot_password}</A></p>
            <p><A href="/register">{move || t().no_account}</A></p>
        </section>
    }
}

/// Leaves a guest-only page (login, sign-up) for `/` when the visitor
/// turns out to be logged in already — but not after a login made here,
/// which navigates by itself.
pub fn leave_if_logged_in() {
    let auth = use_auth();
    let navigate = use_navigate();
    let was_logged_in = auth.ready.get_untracked() && auth.logged_in_untracked();
    let home = next_path().unwrap_or_else(|| "/".to_owned());
    if was_logged_in {
        navigate(
            &home,
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
        return;
    }
    Effect::new(move |checked: Option<bool>| {
        let ready = auth.ready.get();
        if checked != Some(true) && ready && auth.logged_in_untracked() {
            navigate(
                &home,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
        ready
    });
}

/// `second` receives the second step when the account asks for it.
#[component]
fn PasswordLogin(second: RwSignal<Option<SecondFactorRequired>>) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session::login_step(auth, "/auth/login", &body).await {
                Ok(LoginAnswer::Tokens(tokens)) => {
                    navigate(&after_login(&tokens), Default::default())
                }
                Ok(LoginAnswer::SecondFactor(required)) => {
                    password.set(String::new());
                    second.set(Some(required));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        // The panel is a div: a form may not take the tabpanel role.
        <div role="tabpanel" aria-labelledby="tab-password">
            <form on:submit=submit novalidate>
                <FormError error=error/>
                <Field id="email" kind="email" autocomplete="username" label=Signal::derive(move || t().email) value=email required=true error=field_error(error, "email")/>
                <Field id="password" kind="password" autocomplete="current-password" label=Signal::derive(move || t().password) value=password required=true error=field_error(error, "password")/>
                <Submit label=Signal::derive(move || t().login_submit) busy=busy/>
            </form>
        </div>
    }
}

#[component]
fn SmsLogin() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);
    // "Change number" shows the phone form again but keeps the sent code usable.
    let editing = RwSignal::new(false);
    let remaining = RwSignal::new(0u64);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    if let Ok(handle) = set_interval_with_handle(
        move || remaining.update(|r| *r = r.saturating_sub(1)),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }

    let request = move || {
        busy.set(true);
        error.set(None);
        let body = OtpRequest {
            phone: phone.get_untracked(),
        };
        spawn_local(async move {
            match api::public::<_, OtpRequested>(Method::Post, "/auth/otp/request", &body).await {
                Ok(r) => {
                    sent_to.set(Some(r.phone));
                    editing.set(false);
                    remaining.set(r.resend_after);
                    code.set(String::new());
                }
                Err(e) => {
                    // Too early for a new code: the one already sent still works.
                    if e.code() == Some("otp_resend_too_early")
                        && sent_to.try_with(Option::is_some) == Some(true)
                    {
                        editing.set(false);
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let on_request = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        request();
    };
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = OtpVerifyRequest {
            phone: sent_to.get_untracked().unwrap_or_default(),
            code: code.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session::login(auth, "/auth/otp/verify", &body).await {
                Ok(tokens) => navigate(&after_login(&tokens), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <div role="tabpanel" aria-labelledby="tab-sms">
            <FormError error=error/>
            <Show
                when=move || sent_to.with(Option::is_some) && !editing.get()
                fallback=move || view! {
                    <form on:submit=on_request novalidate>
                        <Field id="phone" kind="tel" autocomplete="tel" inputmode="tel" label=Signal::derive(move || t().phone) value=phone required=true hint=Signal::derive(move || t().phone_hint) error=field_error(error, "phone")/>
                        <Submit label=Signal::derive(move || t().sms_request) busy=busy/>
                    </form>
                }
            >
                <p role="status">{move || t().sms_sent_to}" "<strong>{move || sent_to.get().unwrap_or_default()}</strong></p>
                <form on:submit=on_verify.clone() novalidate>
                    <Field id="code" autocomplete="one-time-code" inputmode="numeric" label=Signal::derive(move || t().sms_code) value=code required=true error=field_error(error, "code")/>
                    <Submit label=Signal::derive(move || t().sms_verify) busy=busy/>
                </form>
                <p class="countdown" aria-live="polite">
                    {move || if remaining.get() > 0 {
                        view! { <span data-testid="resend-countdown">{t().sms_resend_in}" "{format!("{}:{:02}", remaining.get() / 60, remaining.get() % 60)}</span> }.into_any()
                    } else {
                        view! { <button type="button" class="link" on:click=move |_| request()>{t().sms_resend}</button> }.into_any()
                    }}
                </p>
                <button type="button" class="link" on:click=move |_| { editing.set(true); error.set(None); }>{move || t().sms_change_phone}</button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_path;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        for ok in ["/", "/invitation?token=abc", "/orders/1"] {
            assert_eq!(safe_path(ok.to_owned()).as_deref(), Some(ok));
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "invitation",
            "",
        ] {
            assert_eq!(safe_path(bad.to_owned()), None, "{bad}");
        }
    }
}
