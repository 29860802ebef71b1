//! One certificate application (`/certificate-applications/:id`). The owner
//! fills it in (data, print form, scans, submit), then, once approved,
//! issues the certificate in this browser: a WebCrypto key pair (the private
//! key non-extractable, kept in IndexedDB), a certificate request built here
//! and the SMS code. An operator reviews it: approve, or reject with reasons.

use super::{app_status, kind_name};
use crate::api::{self, ApiError, certificates, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Check, Choice, Input, non_blank};
use crate::components::html::{Html, detail, status_badge};
use crate::components::problem::{FormError, issues};
use crate::components::route::route_id;
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::components::upload::chosen;
use crate::crypto::{self, keystore, pkcs};
use crate::format;
use crate::session::use_auth;
use crate::state::{t, tr};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::certificates::{
    ApplicantKind, ApplicationAction, ApplicationInput, CertificateApplication, IssueCertificate,
    RejectApplication,
};
use uuid::Uuid;

/// The owner's text fields, in the order of the form (id = API name).
const TEXT: [&str; 11] = [
    "full_name",
    "snils",
    "inn",
    "email",
    "phone",
    "passport_series",
    "passport_number",
    "passport_issued_by",
    "passport_issued_on",
    "position",
    "purpose",
];

fn field_of(name: &str) -> Option<&'static str> {
    TEXT.iter()
        .chain(
            [
                "kind",
                "passport_scan_id",
                "snils_scan_id",
                "form_scan_id",
                "code",
                "csr",
                "consent",
                "reasons",
            ]
            .iter(),
        )
        .find(|f| **f == name)
        .copied()
}

fn text_of(app: &CertificateApplication, field: &str) -> String {
    let v = match field {
        "full_name" => &app.full_name,
        "snils" => &app.snils,
        "inn" => &app.inn,
        "email" => &app.email,
        "phone" => &app.phone,
        "passport_series" => &app.passport_series,
        "passport_number" => &app.passport_number,
        "passport_issued_by" => &app.passport_issued_by,
        "position" => &app.position,
        "purpose" => &app.purpose,
        "passport_issued_on" => {
            return app
                .passport_issued_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
        }
        _ => return String::new(),
    };
    v.clone().unwrap_or_default()
}

fn summary(app: &CertificateApplication) -> String {
    let t = t();
    let c = t.certs;
    let mut h = Html::new();
    detail(&mut h, "kind", c.kind, kind_name(app.kind));
    let rows: [(&str, &str, Option<String>); 12] = [
        ("full_name", t.full_name, app.full_name.clone()),
        ("snils", t.snils, app.snils.clone()),
        ("inn", t.inn, app.inn.clone()),
        ("email", t.email, app.email.clone()),
        ("phone", t.phone, app.phone.clone()),
        ("passport", c.passport, {
            let series = app.passport_series.clone().unwrap_or_default();
            let number = app.passport_number.clone().unwrap_or_default();
            Some(format!("{series} {number}").trim().to_owned()).filter(|s| !s.is_empty())
        }),
        (
            "passport_issued_by",
            c.passport_issued_by,
            app.passport_issued_by.clone(),
        ),
        (
            "passport_issued_on",
            c.passport_issued_on,
            app.passport_issued_on.map(format::date),
        ),
        (
            "organisation",
            c.organisation,
            app.organisation_name.clone(),
        ),
        (
            "organisation_inn",
            c.organisation_inn,
            app.organisation_inn.clone(),
        ),
        ("position", c.position, app.position.clone()),
        ("purpose", c.purpose, app.purpose.clone()),
    ];
    for (field, label, value) in rows {
        if let Some(value) = value {
            detail(&mut h, field, label, &value);
        }
    }
    h.finish()
}

fn scans_html(app: &CertificateApplication) -> String {
    let c = t().certs;
    let mut h = Html::new();
    for (field, label, id) in [
        ("passport_scan_id", c.passport_scan, app.passport_scan_id),
        ("snils_scan_id", c.snils_scan, app.snils_scan_id),
        ("form_scan_id", c.form_scan, app.form_scan_id),
    ] {
        let value = if id.is_some() {
            c.uploaded
        } else {
            c.not_uploaded
        };
        detail(&mut h, field, label, value);
    }
    h.finish()
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let id = route_id();
    let state = RwSignal::new(Load::Loading);
    let app = RwSignal::new(None::<CertificateApplication>);
    let etag = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(id) = id.get_untracked() else { return };
        load(state, certificates::application(auth, id), move |reply| {
            etag.set(reply.etag);
            app.set(Some(reply.body));
        });
    };
    Effect::new(move |_| {
        id.track();
        if shown.get() {
            reload();
        }
    });
    let allowed = move |action: ApplicationAction| {
        app.with(|a| {
            a.as_ref()
                .is_some_and(|a| a.allowed_actions.contains(&action))
        })
    };
    let status = sig(move || {
        app.with(|a| {
            a.as_ref()
                .map(|a| {
                    let mut h = Html::new();
                    status_badge(&mut h, a.status.as_str(), app_status(a.status));
                    h.finish()
                })
                .unwrap_or_default()
        })
    });
    let reasons = sig(move || {
        app.with(|a| {
            a.as_ref()
                .map(|a| a.reject_reasons.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <AuthGate/>
        <LoadStatus state=state quiet=true retry=Callback::new(move |_| reload())/>
        <section class="card" hidden=sig(move || !state.with(Load::is_ready)) data-testid="application">
            <h1>{tr(|s| s.certs.application)}</h1>
            <p data-testid="application-status" inner_html=status></p>
            <div class="notice" hidden=sig(move || reasons.with(Vec::is_empty)) data-testid="reject-reasons">
                <p>{tr(|s| s.certs.rejected_because)}</p>
                <ul>{move || reasons.get().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </div>
            <dl class="details" hidden=sig(move || allowed(ApplicationAction::Edit))
                inner_html=sig(move || app.with(|a| a.as_ref().map(summary).unwrap_or_default()))></dl>
        </section>
        <div hidden=sig(move || !allowed(ApplicationAction::Edit))>
            <OwnerForm app=app etag=etag/>
        </div>
        <div hidden=sig(move || !(allowed(ApplicationAction::Approve) || allowed(ApplicationAction::Reject)))>
            <Review app=app etag=etag/>
        </div>
        <div hidden=sig(move || !allowed(ApplicationAction::Issue))>
            <IssueBlock app=app reload=Callback::new(move |_| reload())/>
        </div>
        <section class="card" hidden=sig(move || app.with(|a| a.as_ref().and_then(|a| a.certificate_id).is_none())) data-testid="issued">
            <p>{tr(|s| s.certs.issued_text)}</p>
            <div class="actions">
                <a href="/certificates" class="button">{tr(|s| s.certs.cabinet_title)}</a>
                <a href="/signatures" class="button primary">{tr(|s| s.certs.sign_link)}</a>
            </div>
        </section>
    }
}

/// The wizard: 1 data, 2 print form, 3 scans, 4 submit.
#[component]
fn OwnerForm(
    app: RwSignal<Option<CertificateApplication>>,
    etag: RwSignal<Option<String>>,
) -> impl IntoView {
    let auth = use_auth();
    let values: [RwSignal<String>; 11] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let kind = RwSignal::new(ApplicantKind::Individual.as_str().to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let filled = RwSignal::new(None::<Uuid>);
    // Fill the form when a (new) application arrives, not on every change.
    Effect::new(move |_| {
        app.with(|a| {
            let Some(a) = a else { return };
            if filled.get_untracked() == Some(a.id) {
                return;
            }
            filled.set(Some(a.id));
            for (i, field) in TEXT.iter().enumerate() {
                values[i].set(text_of(a, field));
            }
            kind.set(a.kind.as_str().to_owned());
        })
    });
    let issues = issues(error, field_of, |_| {});
    let input = move || {
        let v = |i: usize| Some(values[i].get_untracked().trim().to_owned());
        ApplicationInput {
            kind: kind.get_untracked().parse().ok(),
            full_name: v(0),
            snils: v(1),
            inn: v(2),
            email: v(3),
            phone: v(4),
            passport_series: v(5),
            passport_number: v(6),
            passport_issued_by: v(7),
            passport_issued_on: NaiveDate::parse_from_str(
                values[8].get_untracked().trim(),
                "%Y-%m-%d",
            )
            .ok(),
            position: v(9),
            purpose: v(10),
            ..Default::default()
        }
    };
    let id = move || app.with_untracked(|a| a.as_ref().map(|a| a.id));
    // Saves the form; then, with `submit`, sends the application for review.
    let save = move |submit: bool| {
        let Some(id) = id() else { return };
        saved.set(false);
        error.set(None);
        busy.set(true);
        let body = input();
        spawn_local(async move {
            let mut result =
                certificates::update(auth, id, &body, etag.try_get_untracked().flatten()).await;
            if submit && let Ok(reply) = &result {
                etag.set(reply.etag.clone());
                result = certificates::act(auth, id, "submit").await;
            }
            match result {
                Ok(reply) => {
                    etag.set(reply.etag);
                    app.set(Some(reply.body));
                    saved.set(!submit);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(false);
    };
    let print = click(move |_| {
        let Some(id) = id() else { return };
        spawn_local(async move {
            let path = format!("/certificate-applications/{id}/form.pdf");
            if let Err(e) = api::files::save_file(auth, &path, "application-form.pdf").await {
                error.set(Some(e));
            }
        });
    });
    // Uploads a scan and attaches it (`field`: passport / snils / form).
    let upload = move |field: &'static str, ev: leptos::ev::Event| {
        let Some(file) = chosen(&ev).into_iter().next() else {
            return;
        };
        let Some(id) = id() else { return };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = match orders::upload(auth, &file).await {
                Ok(info) => {
                    let mut body = ApplicationInput::default();
                    match field {
                        "passport" => body.passport_scan_id = Some(info.id),
                        "snils" => body.snils_scan_id = Some(info.id),
                        _ => body.form_scan_id = Some(info.id),
                    }
                    certificates::update(auth, id, &body, etag.try_get_untracked().flatten()).await
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(reply) => {
                    etag.set(reply.etag);
                    app.set(Some(reply.body));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let kinds = Signal::derive(|| {
        [
            ApplicantKind::Individual,
            ApplicantKind::SoleProprietor,
            ApplicantKind::LegalEntity,
        ]
        .iter()
        .map(|k| (k.as_str().to_owned(), kind_name(*k).to_owned()))
        .collect()
    });
    let scans = sig(move || app.with(|a| a.as_ref().map(scans_html).unwrap_or_default()));
    view! {
        <form class="card" on:submit=on_submit novalidate data-testid="application-form">
            <h2>{tr(|s| s.certs.step_data)}</h2>
            <Choice id="kind" label=|s| s.certs.kind value=kind options=kinds issues=issues/>
            <Input id="full_name" label=|s| s.full_name value=values[0] issues=issues/>
            <div class="row two">
                <Input id="snils" numeric=true label=|s| s.snils value=values[1] issues=issues hint=|s| s.snils_hint/>
                <Input id="inn" numeric=true label=|s| s.inn value=values[2] issues=issues hint=|s| s.certs.inn_hint/>
                <Input id="email" kind="email" label=|s| s.email value=values[3] issues=issues/>
                <Input id="phone" kind="tel" label=|s| s.phone value=values[4] issues=issues hint=|s| s.certs.phone_hint/>
                <Input id="passport_series" numeric=true label=|s| s.certs.passport_series value=values[5] issues=issues/>
                <Input id="passport_number" numeric=true label=|s| s.certs.passport_number value=values[6] issues=issues/>
            </div>
            <Input id="passport_issued_by" label=|s| s.certs.passport_issued_by value=values[7] issues=issues/>
            <div class="row two">
                <Input id="passport_issued_on" kind="date" label=|s| s.certs.passport_issued_on value=values[8] issues=issues/>
                <Input id="position" label=|s| s.certs.position value=values[9] issues=issues/>
            </div>
            <Area id="purpose" label=|s| s.certs.purpose value=values[10] issues=issues/>
            <button type="submit" disabled=busy data-testid="application-save">{tr(|s| s.certs.save)}</button>
            <p class="success" role="status" hidden=sig(move || !saved.get())>{tr(|s| s.certs.saved)}</p>

            <h2>{tr(|s| s.certs.step_form)}</h2>
            <p class="hint">{tr(|s| s.certs.print_text)}</p>
            <button type="button" on:click=print data-testid="print-form">{tr(|s| s.certs.print_form)}</button>

            <h2>{tr(|s| s.certs.step_scans)}</h2>
            <dl class="details" data-testid="scans" inner_html=scans></dl>
            <div class="row two">
                <div class="field">
                    <label for="passport-scan">{tr(|s| s.certs.passport_scan)}</label>
                    <input type="file" id="passport-scan" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/*" on:change=move |ev| upload("passport", ev)/>
                </div>
                <div class="field">
                    <label for="snils-scan">{tr(|s| s.certs.snils_scan)}</label>
                    <input type="file" id="snils-scan" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/*" on:change=move |ev| upload("snils", ev)/>
                </div>
                <div class="field">
                    <label for="form-scan">{tr(|s| s.certs.form_scan)}</label>
                    <input type="file" id="form-scan" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/*" on:change=move |ev| upload("form", ev)/>
                </div>
            </div>

            <h2>{tr(|s| s.certs.step_submit)}</h2>
            <p class="hint">{tr(|s| s.certs.submit_text)}</p>
            <div data-testid="application-error"><FormError error=error/></div>
            <button type="button" class="primary" disabled=busy on:click=click(move |_| save(true)) data-testid="application-submit">
                {move || if busy.get() { t().loading } else { t().certs.submit }}
            </button>
        </form>
    }
}

/// The operator's decision.
#[component]
fn Review(
    app: RwSignal<Option<CertificateApplication>>,
    etag: RwSignal<Option<String>>,
) -> impl IntoView {
    let auth = use_auth();
    let reasons = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let issues = issues(error, field_of, |_| {});
    let decide = move |approve: bool| {
        let Some(id) = app.with_untracked(|a| a.as_ref().map(|a| a.id)) else {
            return;
        };
        let list: Vec<String> = reasons
            .get_untracked()
            .lines()
            .filter_map(|l| non_blank(l.to_owned()))
            .collect();
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = if approve {
                certificates::act(auth, id, "approve").await
            } else {
                certificates::reject(auth, id, &RejectApplication { reasons: list }).await
            };
            match result {
                Ok(reply) => {
                    etag.set(reply.etag);
                    app.set(Some(reply.body));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let scans = move |which: &'static str| {
        click(move |_| {
            let Some(file) = app.with_untracked(|a| {
                a.as_ref().and_then(|a| match which {
                    "passport" => a.passport_scan_id,
                    "snils" => a.snils_scan_id,
                    _ => a.form_scan_id,
                })
            }) else {
                return;
            };
            spawn_local(async move {
                let path = format!("/files/{file}");
                if let Err(e) = api::files::save_file(auth, &path, &format!("{which}-scan")).await {
                    error.set(Some(e));
                }
            });
        })
    };
    view! {
        <section class="card" data-testid="review">
            <h2>{tr(|s| s.certs.review_title)}</h2>
            <div class="actions">
                <button type="button" class="link" on:click=scans("passport")>{tr(|s| s.certs.passport_scan)}</button>
                <button type="button" class="link" on:click=scans("snils")>{tr(|s| s.certs.snils_scan)}</button>
                <button type="button" class="link" on:click=scans("form")>{tr(|s| s.certs.form_scan)}</button>
            </div>
            <button type="button" class="primary" disabled=busy data-testid="approve" on:click=click(move |_| decide(true))>{tr(|s| s.certs.approve)}</button>
            <Area id="reasons" label=|s| s.certs.reject_reasons value=reasons issues=issues hint=|s| s.certs.reject_hint/>
            <button type="button" class="danger-fill" disabled=busy data-testid="reject" on:click=click(move |_| decide(false))>{tr(|s| s.certs.reject)}</button>
            <div data-testid="review-error"><FormError error=error/></div>
        </section>
    }
}

/// Issuing in the browser: SMS code, consent, key pair, request.
#[component]
fn IssueBlock(
    app: RwSignal<Option<CertificateApplication>>,
    reload: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let code = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let sent_to = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let failure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let issues = issues(error, field_of, |_| {});
    let request_code = click(move |_| {
        let Some(id) = app.with_untracked(|a| a.as_ref().map(|a| a.id)) else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match certificates::issue_code(auth, id).await {
                Ok(sent) => sent_to.set(Some(sent.phone)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(a) = app.get_untracked() else { return };
        error.set(None);
        failure.set(false);
        busy.set(true);
        let code = code.get_untracked().trim().to_owned();
        let consent = consent.get_untracked();
        spawn_local(async move {
            let app_id = a.id.to_string();
            let subject = pkcs::Subject {
                full_name: a.full_name.as_deref().unwrap_or_default(),
                snils: a.snils.as_deref().unwrap_or_default(),
                inn: a.inn.as_deref(),
            };
            match crypto::request_for(&app_id, &subject).await {
                Err(why) => {
                    leptos::logging::error!("certificate request: {why}");
                    failure.set(true);
                }
                Ok((mut key, csr)) => {
                    let body = IssueCertificate { consent, csr, code };
                    match certificates::issue(auth, a.id, &body).await {
                        Ok(cert) => {
                            key.certificate_id = Some(cert.id.to_string());
                            key.certificate = Some(cert.pem.clone());
                            key.subject = Some(cert.subject.clone());
                            key.not_after = Some(cert.not_after.format("%Y-%m-%d").to_string());
                            if let Err(e) = keystore::put(&key).await {
                                leptos::logging::error!(
                                    "keeping the certificate: {}",
                                    crypto::describe(&e)
                                );
                                failure.set(true);
                            }
                            reload.try_run(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" on:submit=issue novalidate data-testid="issue-form">
            <h2>{tr(|s| s.certs.issue_title)}</h2>
            <p class="hint">{tr(|s| s.certs.issue_text)}</p>
            <button type="button" on:click=request_code data-testid="request-code">{tr(|s| s.certs.request_code)}</button>
            <p role="status" hidden=sig(move || sent_to.get().is_none()) data-testid="code-sent">
                {move || sent_to.get().map(|p| t().certs.code_sent.replace("{}", &p))}
            </p>
            <Input id="code" numeric=true label=|s| s.sms_code value=code issues=issues/>
            <Check id="consent" label=|s| s.certs.consent checked=consent/>
            <div data-testid="issue-error">
                <FormError error=error/>
                <p class="error" role="alert" hidden=sig(move || !failure.get())>{tr(|s| s.certs.crypto_failed)}</p>
            </div>
            <button type="submit" class="primary" disabled=busy data-testid="issue">
                {move || if busy.get() { t().certs.issuing } else { t().certs.issue_button }}
            </button>
        </form>
    }
}
