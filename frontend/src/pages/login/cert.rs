//! The certificate login (docs/certificates.md, "In the web app"): choose
//! one of the certificates whose key this browser holds, and the app gets
//! a challenge (`POST /auth/cert/challenge`), signs its characters into a
//! detached CMS with that key — the same signature the signing page makes
//! (`crypto::sign_detached`) — and sends it to `POST /auth/cert/verify`,
//! which answers the tokens of any login (the refresh token as the
//! httpOnly cookie, through `session::login`).

use super::after_login;
use crate::api::{self, ApiError, LoginAnswer, Method};
use crate::components::bind::sig;
use crate::components::html::Html;
use crate::components::problem::explain;
use crate::crypto::{self, CertifiedKey, keystore::StoredKey};
use crate::format;
use crate::session::{self, Auth, use_auth};
use crate::state::{t, tr};
use chrono::{DateTime, Utc};
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::{CertChallenge, CertVerifyRequest, SecondFactorRequired};

/// Why a certificate login failed.
#[derive(Clone)]
enum Failure {
    /// The server refused, or could not be reached.
    Api(ApiError),
    /// The browser could not sign (WebCrypto, the certificate in the store).
    Crypto,
}

/// A certificate as the list shows it; `id` is the key's record (never
/// shown). Made outside the reactive context (no language yet): the list
/// writes the date.
#[derive(Clone)]
struct Choice {
    id: String,
    name: String,
    serial: String,
    until: Option<DateTime<Utc>>,
    expired: bool,
}

impl Choice {
    fn of(k: &CertifiedKey) -> Self {
        Choice {
            id: k.key.application_id.clone(),
            name: k.name.clone(),
            serial: k.serial.clone(),
            until: k.not_after,
            expired: k.expired(),
        }
    }
}

/// Gets a challenge, signs it with `key` and logs in. A challenge that
/// is refused as expired (it lives 5 minutes and is answered once) is
/// replaced by a new one once, without asking the user.
async fn log_in(auth: Auth, key: &StoredKey) -> Result<LoginAnswer, Failure> {
    let mut retried = false;
    loop {
        let challenge: CertChallenge = api::public(
            Method::Post,
            "/auth/cert/challenge",
            &serde_json::Map::new(),
        )
        .await
        .map_err(Failure::Api)?;
        // The characters of the nonce themselves, as the server checks them.
        let signature = crypto::sign_detached(key, challenge.nonce.as_bytes())
            .await
            .and_then(|cms| crypto::base64(&cms).map_err(|e| crypto::describe(&e)))
            .map_err(|why| {
                leptos::logging::error!("certificate login: {why}");
                Failure::Crypto
            })?;
        let body = CertVerifyRequest {
            nonce: challenge.nonce,
            signature,
        };
        match session::login_step(auth, "/auth/cert/verify", &body).await {
            Err(e) if !retried && e.code() == Some(ErrorCode::ChallengeExpired.as_str()) => {
                retried = true;
            }
            result => return result.map_err(Failure::Api),
        }
    }
}

/// The certificates as radio buttons (see `components::html` for why as
/// text): the holder's name, the serial and the validity; an expired one
/// cannot be chosen.
fn choices_html(list: &[Choice], chosen: Option<&str>) -> String {
    let c = t().certs;
    let mut h = Html::new();
    for choice in list {
        let input_id = format!("cert-{}", choice.serial);
        let checked = chosen == Some(choice.id.as_str());
        let class = if choice.expired {
            "cert-choice expired"
        } else {
            "cert-choice"
        };
        h.open(
            "label",
            &[
                ("class", Some(class)),
                ("for", Some(&input_id)),
                ("data-testid", Some("cert-choice")),
                ("data-serial", Some(&choice.serial)),
            ],
        );
        h.open(
            "input",
            &[
                ("type", Some("radio")),
                ("name", Some("cert-login-key")),
                ("id", Some(&input_id)),
                ("value", Some(&choice.id)),
                ("checked", checked.then_some("")),
                ("disabled", choice.expired.then_some("")),
            ],
        );
        let validity = if choice.expired {
            c.login_expired_on
        } else {
            c.login_valid_until
        };
        h.open("span", &[])
            .el("strong", &[], &choice.name)
            .el("small", &[], &format!("{} {}", c.serial, choice.serial))
            .el(
                "small",
                &[],
                &format!(
                    "{validity} {}",
                    choice.until.map(format::day).unwrap_or_default()
                ),
            )
            .close("span")
            .close("label");
    }
    h.finish()
}

/// The refusal as the user reads it: the catalogue's sentence for its
/// code and, when the signature was not accepted, the server's words on
/// why (revoked, expired, untrusted; in the interface's language).
fn failure_html(failure: &Failure) -> String {
    let (code, text, detail) = match failure {
        Failure::Crypto => ("crypto", t().certs.crypto_failed.to_owned(), None),
        Failure::Api(e) => {
            let detail = match e {
                ApiError::Problem(p) if p.code == ErrorCode::CertificateNotAccepted => {
                    p.detail.as_deref()
                }
                _ => None,
            };
            (e.code().unwrap_or("network"), explain(e), detail)
        }
    };
    let mut h = Html::new();
    h.open(
        "div",
        &[
            ("class", Some("error form-error")),
            ("data-testid", Some("cert-login-error")),
            ("data-code", Some(code)),
        ],
    );
    h.el("p", &[], &text);
    if let Some(detail) = detail {
        let said = format!("{} {detail}", t().certs.login_server_said);
        h.el("p", &[("class", Some("hint"))], &said);
    }
    h.close("div");
    h.finish()
}

/// The certificate tab; the browser's key store is read when it is first
/// `active`. `second` receives the second step when the account asks for
/// the SMS second factor.
/// The certificate tab from its own chunk (the key store and CMS code),
/// fetched when the tab is first opened: [`CertLogin`] through `later`.
#[lazy]
pub fn cert_login(active: Signal<bool>, second: RwSignal<Option<SecondFactorRequired>>) -> AnyView {
    view! { <CertLogin active second/> }.into_any()
}

#[component]
pub fn CertLogin(
    active: Signal<bool>,
    second: RwSignal<Option<SecondFactorRequired>>,
) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let keys = StoredValue::new_local(Vec::<StoredKey>::new());
    // None until the browser's key store has been read.
    let choices = RwSignal::new(None::<Vec<Choice>>);
    let chosen = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);

    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !active.get() {
            return started.unwrap_or(false);
        }
        spawn_local(async move {
            let found = crypto::certified_keys().await.unwrap_or_else(|e| {
                leptos::logging::error!("key store: {}", crypto::describe(&e));
                Vec::new()
            });
            let list: Vec<Choice> = found.iter().map(Choice::of).collect();
            // Chosen for the user when there is nothing to choose between.
            let mut usable = list.iter().filter(|c| !c.expired);
            if let (Some(only), None) = (usable.next(), usable.next()) {
                chosen.set(Some(only.id.clone()));
            }
            keys.set_value(found.into_iter().map(|k| k.key).collect());
            choices.set(Some(list));
        });
        true
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = chosen.get_untracked() else {
            return;
        };
        let Some(key) = keys.with_value(|all| all.iter().find(|k| k.application_id == id).cloned())
        else {
            return;
        };
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match log_in(auth, &key).await {
                Ok(LoginAnswer::Tokens(tokens)) => {
                    navigate(&after_login(&tokens), Default::default())
                }
                Ok(LoginAnswer::SecondFactor(required)) => second.set(Some(required)),
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };

    let count = move || choices.with(|c| c.as_ref().map(Vec::len));
    let all_expired = move || {
        choices.with(|c| {
            c.as_ref()
                .is_some_and(|l| !l.is_empty() && l.iter().all(|x| x.expired))
        })
    };
    view! {
        <div role="tabpanel" aria-labelledby="tab-certificate" data-testid="cert-login">
            <p class="status" hidden=sig(move || count().is_some())>{tr(|s| s.loading)}</p>
            <div class="notice" data-testid="no-certificate" hidden=sig(move || count() != Some(0))>
                <p><strong>{tr(|s| s.certs.login_none)}</strong></p>
                <p>{tr(|s| s.certs.login_none_hint)}</p>
            </div>
            <form on:submit=submit novalidate hidden=sig(move || count().unwrap_or(0) == 0)>
                <p class="hint">{tr(|s| s.certs.login_text)}</p>
                <fieldset class="field cert-choices" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    <legend>{tr(|s| s.certs.login_choose)}</legend>
                    // Not rewritten on a choice (that would take the focus
                    // off the radio button): the browser keeps the checked one.
                    <div inner_html=sig(move || choices.with(|l| {
                        let chosen = chosen.get_untracked();
                        choices_html(l.as_deref().unwrap_or_default(), chosen.as_deref())
                    }))></div>
                </fieldset>
                <p class="notice" hidden=sig(move || !all_expired())>{tr(|s| s.certs.login_all_expired)}</p>
                <div role="alert" inner_html=sig(move || failure.with(|f| f.as_ref().map(failure_html).unwrap_or_default()))></div>
                <button type="submit" class="primary" data-testid="cert-login-submit"
                    disabled=sig(move || busy.get() || chosen.with(Option::is_none))>
                    {sig(move || if busy.get() { t().certs.login_busy } else { t().certs.login_submit })}
                </button>
            </form>
        </div>
    }
}
