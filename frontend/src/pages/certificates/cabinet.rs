//! The certificates cabinet (`/certificates`): the caller's certificates
//! (with whether this browser holds the key, downloads, revoke, renew), his
//! applications and a new application; and the operators' queue
//! (`/certificate-applications`).

use super::{application_rows, cert_status, reason_name};
use crate::api::{self, ApiError, certificates};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked, status_badge};
use crate::components::problem::FormError;
use crate::components::status::{AuthGate, signed_in};
use crate::crypto::keystore;
use crate::format;
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::Role;
use mezha_api_types::certificates::{
    ApplicationInput, ApplicationListQuery, ApplicationStatus, Certificate, CertificateApplication,
    CertificateStatus, RevocationReason, RevokeCertificate,
};
use mezha_api_types::page::PageQuery;
use uuid::Uuid;

const REASONS: [RevocationReason; 5] = [
    RevocationReason::Unspecified,
    RevocationReason::KeyCompromise,
    RevocationReason::AffiliationChanged,
    RevocationReason::Superseded,
    RevocationReason::CessationOfOperation,
];

fn certificate_rows(items: &[Certificate], here: &[String]) -> String {
    let c = t().certs;
    let mut h = Html::new();
    for cert in items {
        let id = cert.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("certificate-row")),
                ("data-certificate-id", Some(&id)),
                ("data-serial", Some(&cert.serial)),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        status_badge(&mut h, cert.status.as_str(), cert_status(cert.status));
        h.span("order-number", &format!("{} {}", c.serial, cert.serial));
        h.close("div");
        h.el("p", &[("class", Some("order-title"))], &cert.subject);
        h.open("div", &[("class", Some("order-meta"))]);
        let validity = format!(
            "{}: {} — {}",
            c.validity,
            format::day(cert.not_before),
            format::day(cert.not_after)
        );
        h.el("span", &[], &validity);
        let key = if here.contains(&id) {
            c.key_here
        } else {
            c.key_elsewhere
        };
        h.el("span", &[("data-field", Some("key"))], key);
        if let Some(reason) = cert.revocation_reason {
            h.el(
                "span",
                &[],
                &format!("{}: {}", c.revoked_for, reason_name(reason)),
            );
        }
        h.close("div");
        h.open("div", &[("class", Some("actions"))]);
        let button = |h: &mut Html, act: &str, label: &str| {
            h.el(
                "button",
                &[
                    ("type", Some("button")),
                    ("class", Some("link")),
                    ("data-act", Some(act)),
                    ("data-id", Some(&id)),
                ],
                label,
            );
        };
        button(&mut h, "pem", c.download_pem);
        button(&mut h, "der", c.download_der);
        if cert.status == CertificateStatus::Valid {
            button(&mut h, "renew", c.renew);
            button(&mut h, "revoke", c.revoke);
        }
        h.close("div").close("li");
    }
    h.finish()
}

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let navigate = use_navigate();
    let certs = RwSignal::new(Vec::<Certificate>::new());
    let apps = RwSignal::new(Vec::<CertificateApplication>::new());
    let here = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let revoking = RwSignal::new(None::<Uuid>);
    let reason = RwSignal::new(RevocationReason::Unspecified.as_str().to_owned());

    let load = move || {
        spawn_local(async move {
            match certificates::certificates(auth).await {
                Ok(list) => certs.set(list.items),
                Err(e) => error.set(Some(e)),
            }
            let query = ApplicationListQuery {
                page: PageQuery {
                    limit: Some(100),
                    cursor: None,
                },
                ..Default::default()
            };
            match certificates::applications(auth, &query).await {
                Ok(list) => apps.set(list.items),
                Err(e) => error.set(Some(e)),
            }
            if let Ok(keys) = keystore::all().await {
                here.set(keys.into_iter().filter_map(|k| k.certificate_id).collect());
            }
        });
    };
    Effect::new(move |_| {
        if shown.get() {
            load();
        }
    });
    let open = {
        let navigate = navigate.clone();
        move |id: Uuid| {
            navigate(
                &format!("/certificate-applications/{id}"),
                Default::default(),
            )
        }
    };
    let create = {
        let open = open.clone();
        move |_| {
            let open = open.clone();
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match certificates::create(auth, &ApplicationInput::default()).await {
                    Ok(reply) => open(reply.body.id),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let on_cert = move |ev: leptos::ev::MouseEvent| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else { return };
        let open = open.clone();
        let serial = certs.with_untracked(|l| {
            l.iter()
                .find(|c| c.id == id)
                .map(|c| c.serial.clone())
                .unwrap_or_default()
        });
        spawn_local(async move {
            let done = match act.as_str() {
                "pem" | "der" => {
                    let ext = if act == "pem" { "pem" } else { "cer" };
                    api::files::save_file(
                        auth,
                        &format!("/certificates/{id}?format={act}"),
                        &format!("certificate-{serial}.{ext}"),
                    )
                    .await
                }
                "renew" => certificates::renew(auth, id).await.map(|app| open(app.id)),
                "revoke" => {
                    revoking.set(Some(id));
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = done {
                error.set(Some(e));
            }
        });
    };
    let confirm_revoke = click(move |_| {
        let Some(id) = revoking.get_untracked() else {
            return;
        };
        let Ok(reason) = reason.get_untracked().parse::<RevocationReason>() else {
            return;
        };
        spawn_local(async move {
            let body = RevokeCertificate {
                reason,
                comment: None,
            };
            match certificates::revoke(auth, id, &body).await {
                Ok(_) => {
                    revoking.set(None);
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let c = || t().certs;
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="certificates-cabinet">
            <h1>{tr(|s| s.certs.cabinet_title)}</h1>
            <p class="hint">{tr(|s| s.certs.cabinet_text)}</p>
            <div class="actions">
                <button type="button" class="primary" data-testid="new-application" on:click=create disabled=busy>
                    {tr(|s| s.certs.new_application)}
                </button>
                <a href="/signatures" class="button">{tr(|s| s.certs.sign_link)}</a>
            </div>
            <FormError error=error/>
        </section>
        <section class="card" hidden=sig(move || !shown.get())>
            <h2>{tr(|s| s.certs.certificates_title)}</h2>
            <p class="empty" hidden=sig(move || !certs.with(Vec::is_empty))>{tr(|s| s.certs.certificates_empty)}</p>
            <ul class="orders" data-testid="certificates" on:click=on_cert
                inner_html=sig(move || here.with(|here| certs.with(|l| certificate_rows(l, here))))></ul>
            <div class="revoke" hidden=sig(move || revoking.get().is_none()) data-testid="revoke-form">
                <label for="revoke-reason">{tr(|s| s.certs.revoke_reason)}</label>
                <select id="revoke-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                    {REASONS.iter().map(|r| view! { <option value=r.as_str()>{move || reason_name(*r)}</option> }).collect_view()}
                </select>
                <button type="button" class="danger-fill" on:click=confirm_revoke>{tr(|s| s.certs.revoke_confirm)}</button>
                <button type="button" class="link" on:click=click(move |_| revoking.set(None))>{move || c().cancel}</button>
            </div>
        </section>
        <section class="card" hidden=sig(move || !shown.get())>
            <h2>{tr(|s| s.certs.applications_title)}</h2>
            <p class="empty" hidden=sig(move || !apps.with(Vec::is_empty))>{tr(|s| s.certs.applications_empty)}</p>
            <ul class="orders" data-testid="applications" inner_html=sig(move || apps.with(|l| application_rows(l)))></ul>
        </section>
    }
}

/// The operators' queue (`/certificate-applications`): applications by
/// status, submitted first. Others see their own applications.
#[component]
pub fn ApplicationQueue() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let status = RwSignal::new(ApplicationStatus::Submitted.as_str().to_owned());
    let apps = RwSignal::new(Vec::<CertificateApplication>::new());
    let error = RwSignal::new(None::<ApiError>);
    let operator = sig(move || auth.acting.get() == Some(Role::CaOperator));
    Effect::new(move |_| {
        if !shown.get() {
            return;
        }
        let query = ApplicationListQuery {
            status: status.get().parse().ok(),
            page: PageQuery {
                limit: Some(100),
                cursor: None,
            },
        };
        spawn_local(async move {
            match certificates::applications(auth, &query).await {
                Ok(list) => {
                    error.set(None);
                    apps.set(list.items);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    const SHOWN: [ApplicationStatus; 5] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Issued,
        ApplicationStatus::Revoked,
    ];
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="application-queue">
            <h1>{tr(|s| s.certs.queue_title)}</h1>
            <p class="notice" hidden=operator>{tr(|s| s.certs.need_operator)}</p>
            <div class="field">
                <label for="queue-status">{tr(|s| s.certs.filter_status)}</label>
                <select id="queue-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {SHOWN.iter().map(|s| view! { <option value=s.as_str()>{move || super::app_status(*s)}</option> }).collect_view()}
                    <option value="">{tr(|s| s.certs.all_statuses)}</option>
                </select>
            </div>
            <FormError error=error/>
            <p class="empty" hidden=sig(move || !apps.with(Vec::is_empty))>{tr(|s| s.certs.queue_empty)}</p>
            <ul class="orders" data-testid="applications" inner_html=sig(move || apps.with(|l| application_rows(l)))></ul>
        </section>
    }
}
