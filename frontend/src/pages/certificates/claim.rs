//! The claim link's page (`/certificate-claim?token=…`, no account needed
//! to read it; docs/certificates.md, "Filed by an organisation's CA
//! agent"): which organisation filed a certificate application for whom;
//! then the person logs in or registers (and comes back here), takes the
//! application into his account, and goes on to its page, where he issues
//! the certificate with a key made in his browser. A link that is unknown,
//! used, replaced or expired says so.

use crate::api::{self, ApiError, Method, certificate_agents};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, detail};
use crate::components::problem::FormError;
use crate::components::status::{Load, LoadStatus, Loading};
use crate::format;
use crate::pages::login::login_returning_to;
use crate::session::{self, use_auth};
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::certificate_agents::ClaimPreview;
use mezha_api_types::me::Me;

/// Problems told in the server's words: why this account may not take it
/// (another person's SNILS, a staff role).
const SERVER_TEXT: &[&str] = &["forbidden", "conflict"];

/// This page's own address, to come back to after a login.
fn here(token: &str) -> String {
    format!("/certificate-claim?token={}", api::encode(token))
}

fn summary_html(p: &ClaimPreview) -> String {
    let c = t().certs;
    let mut h = Html::new();
    h.el(
        "p",
        &[("data-testid", Some("claim-organisation"))],
        &c.claim_filed_by.replace("{}", &p.organisation),
    );
    h.open("dl", &[("class", Some("details"))]);
    if let Some(name) = &p.full_name {
        detail(&mut h, "full_name", c.claim_for, name);
    }
    if let Some(email) = &p.email {
        detail(&mut h, "email", c.claim_mailed_to, email);
    }
    detail(
        &mut h,
        "expires_at",
        c.claim_until,
        &format::time(p.expires_at),
    );
    h.close("dl");
    h.el("p", &[("class", Some("hint"))], c.claim_how);
    h.finish()
}

#[component]
pub fn CertificateClaimPage() -> impl IntoView {
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .filter(|t| !t.trim().is_empty());
    let preview = RwSignal::new(None::<ClaimPreview>);
    let state = RwSignal::new(if token.is_some() {
        Load::Loading
    } else {
        Load::Ready
    });
    let invalid = RwSignal::new(None::<ApiError>);
    let reload = Callback::new({
        let token = token.clone();
        move |_| {
            let Some(token) = token.clone() else {
                return;
            };
            state.set(Load::Loading);
            spawn_local(async move {
                match certificate_agents::preview(token).await {
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
    let token = StoredValue::new(token.unwrap_or_default());
    view! {
        <section class="card narrow" data-testid="claim-page">
            <h1>{tr(|s| s.certs.claim_title)}</h1>
            <p class="error" role="alert" data-testid="claim-no-token" hidden=!token.with_value(String::is_empty)>
                {tr(|s| s.certs.claim_no_token)}
            </p>
            <LoadStatus state=state retry=reload/>
            <Invalid shown=sig(move || invalid.with(Option::is_some))/>
            <div hidden=sig(move || invalid.with(Option::is_some))>
                <div inner_html=sig(move || preview.with(|p| p.as_ref().map(summary_html).unwrap_or_default()))></div>
                {move || preview.with(Option::is_some).then(|| view! {
                    <Claim token=token.get_value() invalid=invalid/>
                })}
            </div>
        </section>
    }
}

/// The link does not work (expired, used, replaced): what to do now.
#[component]
fn Invalid(shown: Signal<bool>) -> impl IntoView {
    view! {
        <div class="error-box" role="alert" data-testid="claim-invalid" hidden=sig(move || !shown.get())>
            <h2>{tr(|s| s.certs.claim_invalid_title)}</h2>
            <p>{tr(|s| s.certs.claim_invalid_text)}</p>
            <a href="/certificates">{tr(|s| s.certs.claim_to_cabinet)}</a>
        </div>
    }
}

/// Signed in: take it; else log in or register and come back.
#[component]
fn Claim(token: String, invalid: RwSignal<Option<ApiError>>) -> impl IntoView {
    let auth = use_auth();
    let token = StoredValue::new(token);
    move || {
        if !auth.ready.get() {
            view! { <Loading/> }.into_any()
        } else if auth.logged_in() {
            view! { <SignedInClaim token=token.get_value() invalid=invalid/> }.into_any()
        } else {
            let back = here(&token.get_value());
            let login = login_returning_to(&back);
            let register = format!("/register?next={}", api::encode(&back));
            view! {
                <div class="notice" data-testid="claim-log-in">
                    <p>{tr(|s| s.certs.claim_need_account)}</p>
                    <p class="actions">
                        <a class="button primary" href=login data-testid="claim-login">{tr(|s| s.certs.claim_log_in)}</a>
                        " "
                        <a class="button" href=register data-testid="claim-register">{tr(|s| s.certs.claim_register)}</a>
                    </p>
                    <p class="hint">{tr(|s| s.certs.claim_after_register)}</p>
                </div>
            }
            .into_any()
        }
    }
}

/// "Take the application" with the session's account, or log in with
/// another one; taken, on to the application's page to issue it.
#[component]
fn SignedInClaim(token: String, invalid: RwSignal<Option<ApiError>>) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let me = RwSignal::new(None::<Me>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(reply) = api::call::<(), Me>(auth, Method::Get, "/me", None, &[]).await {
            let _ = me.try_set(Some(reply.body));
        }
    });
    let token = StoredValue::new(token);
    let accept = click({
        let navigate = navigate.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            error.set(None);
            let navigate = navigate.clone();
            spawn_local(async move {
                match certificate_agents::accept(auth, token.get_value()).await {
                    Ok(app) => {
                        let _ = done.try_set(true);
                        navigate(
                            &format!("/certificate-applications/{}", app.id),
                            Default::default(),
                        );
                    }
                    Err(e) if e.code() == Some("invalid_token") => {
                        let _ = invalid.try_set(Some(e));
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
                let _ = busy.try_set(false);
            });
        }
    });
    let switch = click(move |_| {
        let back = login_returning_to(&here(&token.get_value()));
        spawn_local(async move {
            let _ = api::call::<(), ()>(auth, Method::Post, "/auth/logout", None, &[]).await;
            session::logged_out(auth, &back);
        });
    });
    let who = sig(move || {
        me.with(|m| {
            m.as_ref()
                .map(|m| t().certs.claim_signed_in_as.replace("{}", &m.email))
                .unwrap_or_default()
        })
    });
    view! {
        <div data-testid="claim-signed-in">
            <p data-testid="claim-account" hidden=sig(move || me.with(Option::is_none))>{who}</p>
            <p class="actions">
                <button type="button" class="primary" data-testid="claim-accept" disabled=busy on:click=accept>
                    {move || if busy.get() { t().loading } else { t().certs.claim_accept }}
                </button>
                " "
                <button type="button" data-testid="claim-switch" on:click=switch>{tr(|s| s.certs.claim_switch)}</button>
            </p>
            <p class="success" role="status" hidden=sig(move || !done.get())>{tr(|s| s.certs.claim_done)}</p>
            <FormError error=error server_text=SERVER_TEXT/>
        </div>
    }
}
