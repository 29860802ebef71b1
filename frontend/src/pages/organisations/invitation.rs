//! The invitation link's page (`/invitation?token=…`, no account needed):
//! which organisation invites, and to which address; then the address's
//! account accepts signed in (or logs in and comes back here), or the
//! invitee creates the account here — full name, password, a phone
//! confirmed by an SMS code. Accepted, he waits for the admin to activate
//! him. A link that is unknown, used or expired says so.

use crate::api::{self, ApiError, Method, organisations};
use crate::components::bind::{click, sig};
use crate::components::fields::{Input, non_blank};
use crate::components::form::Submit;
use crate::components::html::{Html, detail};
use crate::components::problem::{FormError, explain, issues};
use crate::components::status::{Load, LoadStatus, Loading};
use crate::format;
use crate::pages::login::login_returning_to;
use crate::session::{self, use_auth};
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use mezha_api_types::me::Me;
use mezha_api_types::organisations::{AcceptInvitation, InvitationPreview};

/// Problems told in the server's words here: its sentences say what to do
/// with this link (log in first, another address was invited, …).
const SERVER_TEXT: &[&str] = &["email_taken", "forbidden", "conflict"];

/// This page's own address, to come back to after a login.
fn here(token: &str) -> String {
    format!("/invitation?token={}", api::encode(token))
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .filter(|t| !t.trim().is_empty());
    let preview = RwSignal::new(None::<InvitationPreview>);
    // Without a token there is nothing to load (the page says so).
    let state = RwSignal::new(if token.is_some() {
        Load::Loading
    } else {
        Load::Ready
    });
    let invalid = RwSignal::new(None::<ApiError>);
    let accepted = RwSignal::new(None::<bool>);
    let reload = Callback::new({
        let token = token.clone();
        move |_| {
            let Some(token) = token.clone() else {
                return;
            };
            state.set(Load::Loading);
            spawn_local(async move {
                match organisations::preview(token).await {
                    Ok(p) => {
                        preview.set(Some(p));
                        state.set(Load::Ready);
                    }
                    Err(e) if e.code() == Some("invalid_token") => {
                        invalid.set(Some(e));
                        state.set(Load::Ready);
                    }
                    Err(e) => state.set(Load::Failed(e)),
                }
            });
        }
    });
    reload.run(());
    let summary = sig(move || {
        preview.with(|p| {
            let Some(p) = p else {
                return String::new();
            };
            let t = t();
            let mut h = Html::new();
            h.open("p", &[("data-testid", Some("invitation-organisation"))]);
            h.el("strong", &[], &p.organisation)
                .text(&format!(" ({} {}) {}", t.inn, p.inn, t.orgs.inv_invites));
            h.close("p");
            h.open("dl", &[("class", Some("details"))]);
            detail(&mut h, "email", t.orgs.inv_for, &p.email);
            detail(
                &mut h,
                "expires_at",
                t.orgs.valid_until,
                &format::time(p.expires_at),
            );
            h.close("dl");
            h.finish()
        })
    });
    let token = StoredValue::new(token.unwrap_or_default());
    view! {
        <section class="card narrow" data-testid="invitation-page">
            <h1>{tr(|s| s.orgs.inv_title)}</h1>
            <p class="error" role="alert" data-testid="invitation-no-token" hidden=!token.with_value(String::is_empty)>
                {tr(|s| s.orgs.inv_no_token)}
            </p>
            <LoadStatus state=state retry=reload/>
            {move || invalid.get().map(|e| view! {
                <div class="error-box" role="alert" data-testid="invitation-invalid">
                    <h2>{tr(|s| s.orgs.inv_invalid_title)}</h2>
                    <p>{explain(&e)}</p>
                    <p>{tr(|s| s.orgs.inv_invalid_text)}</p>
                </div>
            })}
            <div inner_html=summary hidden=sig(move || accepted.with(Option::is_some))></div>
            {move || {
                let p = preview.get()?;
                let token = token.get_value();
                Some(match accepted.get() {
                    Some(signed_in) => view! { <Accepted signed_in=signed_in/> }.into_any(),
                    None if p.account_exists => view! {
                        <ExistingAccount token=token email=p.email accepted=accepted/>
                    }.into_any(),
                    None => view! { <NewAccount token=token accepted=accepted/> }.into_any(),
                })
            }}
        </section>
    }
}

/// After accepting: the admin activates him next.
#[component]
fn Accepted(signed_in: bool) -> impl IntoView {
    view! {
        <div data-testid="invitation-accepted">
            <h2>{tr(|s| s.orgs.inv_done_title)}</h2>
            <p class="success" role="status">{tr(|s| s.orgs.inv_done_text)}</p>
            {if signed_in {
                view! { <a href="/">{tr(|s| s.to_home)}</a> }.into_any()
            } else {
                view! { <a href="/login" data-testid="invitation-login">{tr(|s| s.orgs.inv_done_login)}</a> }.into_any()
            }}
        </div>
    }
}

/// The invited address has an account: accept signed in with it, or log
/// in (and come back here) first.
#[component]
fn ExistingAccount(
    token: String,
    email: String,
    accepted: RwSignal<Option<bool>>,
) -> impl IntoView {
    let auth = use_auth();
    let token = StoredValue::new(token);
    let email = StoredValue::new(email);
    move || {
        if !auth.ready.get() {
            view! { <Loading/> }.into_any()
        } else if auth.logged_in() {
            view! { <SignedInAccept token=token.get_value() email=email.get_value() accepted=accepted/> }
                .into_any()
        } else {
            let login = login_returning_to(&here(&token.get_value()));
            view! {
                <div class="notice" data-testid="invitation-log-in">
                    <p>{tr(|s| s.orgs.inv_has_account)}</p>
                    <a class="button primary" href=login>{tr(|s| s.orgs.inv_log_in)}</a>
                </div>
            }
            .into_any()
        }
    }
}

/// Signed in: "Accept" when the session's address is the invited one;
/// else log out and in with that one.
#[component]
fn SignedInAccept(token: String, email: String, accepted: RwSignal<Option<bool>>) -> impl IntoView {
    let auth = use_auth();
    let me = RwSignal::new(None::<Me>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match api::call::<(), Me>(auth, Method::Get, "/me", None, &[]).await {
            Ok(reply) => me.set(Some(reply.body)),
            Err(e) => error.set(Some(e)),
        }
    });
    let same = sig({
        let email = email.clone();
        move || me.with(|m| m.as_ref().map(|m| m.email.eq_ignore_ascii_case(&email)))
    });
    let token = StoredValue::new(token);
    let accept = click(move |_| {
        busy.set(true);
        error.set(None);
        let token = token.get_value();
        spawn_local(async move {
            match organisations::accept_signed_in(auth, token).await {
                Ok(_) => accepted.set(Some(true)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let switch = click(move |_| {
        let back = login_returning_to(&here(&token.get_value()));
        spawn_local(async move {
            let _ = api::call::<(), ()>(auth, Method::Post, "/auth/logout", None, &[]).await;
            session::logged_out(auth, &back);
        });
    });
    let other = sig(move || {
        me.with(|m| {
            m.as_ref()
                .map(|m| t().orgs.inv_other_account.replace("{}", &m.email))
                .unwrap_or_default()
        })
    });
    view! {
        <div data-testid="invitation-signed-in">
            <button type="button" class="primary" data-testid="invitation-accept"
                hidden=sig(move || same.get() != Some(true)) disabled=busy on:click=accept>
                {move || if busy.get() { t().loading } else { t().orgs.inv_accept }}
            </button>
            <div class="notice" data-testid="invitation-other-account" hidden=sig(move || same.get() != Some(false))>
                <p>{other}</p>
                <button type="button" on:click=switch>{tr(|s| s.orgs.inv_switch_account)}</button>
            </div>
            <FormError error=error server_text=SERVER_TEXT/>
        </div>
    }
}

/// The new account: full name, password, the phone with its SMS code.
#[component]
fn NewAccount(token: String, accepted: RwSignal<Option<bool>>) -> impl IntoView {
    let token = StoredValue::new(token);
    let full_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let issues = issues(
        error,
        |n| match n {
            "full_name" => Some("full_name"),
            "password" => Some("password"),
            "phone" => Some("phone"),
            "code" => Some("code"),
            _ => None,
        },
        |_| {},
    );
    let send_code = click(move |_| {
        let number = phone.get_untracked().trim().to_owned();
        sending.set(true);
        error.set(None);
        let token = token.get_value();
        spawn_local(async move {
            match organisations::phone_code(token, number).await {
                Ok(sent) => sent_to.set(Some(sent.phone)),
                Err(e) => error.set(Some(e)),
            }
            sending.set(false);
        });
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The number the code went to (as the server wrote it), else the
        // one typed.
        let number = sent_to
            .get_untracked()
            .or_else(|| non_blank(phone.get_untracked()));
        let body = AcceptInvitation {
            token: token.get_value(),
            full_name: non_blank(full_name.get_untracked()),
            password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
            phone: number,
            code: non_blank(code.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match organisations::accept_new(&body).await {
                Ok(_) => accepted.set(Some(false)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate data-testid="invitation-register" aria-labelledby="invitation-register-title">
            <h2 id="invitation-register-title">{tr(|s| s.orgs.inv_register_title)}</h2>
            <p class="hint">{tr(|s| s.orgs.inv_register_hint)}</p>
            <Input id="full_name" required=true label=|s| s.full_name value=full_name issues=issues/>
            <Input id="password" kind="password" required=true label=|s| s.password hint=|s| s.password_hint value=password issues=issues/>
            <Input id="phone" kind="tel" required=true label=|s| s.phone hint=|s| s.phone_hint value=phone issues=issues/>
            <button type="button" data-testid="invitation-send-code" disabled=sending on:click=send_code>
                {move || if sending.get() { t().loading } else { t().orgs.inv_send_code }}
            </button>
            <p role="status" data-testid="invitation-code-sent" hidden=sig(move || sent_to.with(Option::is_none))>
                {tr(|s| s.sms_sent_to)} " " <strong>{move || sent_to.get().unwrap_or_default()}</strong>
            </p>
            <Input id="code" numeric=true required=true label=|s| s.sms_code value=code issues=issues/>
            <FormError error=error server_text=SERVER_TEXT/>
            <Submit label=ts(|s| s.orgs.inv_accept) busy=busy/>
        </form>
    }
}
