//! Signing in the browser and checking signatures (`/signatures`).
//!
//! [`SignDocument`] is the reusable part: given a document's bytes it makes
//! a detached CMS signature with a key kept in this browser and hands it to
//! the caller (contracts, acts and deals upload it where they need). The
//! page signs a chosen file and shows the server's validation report, and
//! checks any document against any signature.

use crate::api::{self, ApiError, certificates};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, detail, status_badge};
use crate::components::later::later;
use crate::components::problem::FormError;
use crate::components::status::{AuthGate, signed_in};
use crate::components::upload::chosen_file;
use crate::crypto::{self, keystore, keystore::StoredKey};
use crate::format;
use crate::session::use_auth;
use crate::state::{t, tr};
use js_sys::Uint8Array;
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::signatures::{CheckResult, ValidationReport};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The bytes of the file chosen in `input`, if any.
async fn chosen_bytes(input: NodeRef<leptos::html::Input>) -> Option<Vec<u8>> {
    let file = chosen_file(input)?;
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

fn js_bytes(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// The validation report as a definition list.
pub fn report_html(r: &ValidationReport) -> String {
    let c = t().certs;
    let mut h = Html::new();
    h.open(
        "div",
        &[
            ("class", Some("detail")),
            ("data-testid", Some("report-indication")),
            ("data-indication", Some(r.indication.as_str())),
        ],
    );
    h.el("dt", &[], c.indication).open("dd", &[]);
    status_badge(&mut h, r.indication.as_str(), r.indication.as_str());
    h.close("dd").close("div");
    if let Some(sub) = r.sub_indication {
        h.open(
            "div",
            &[
                ("class", Some("detail")),
                ("data-testid", Some("report-sub-indication")),
                ("data-sub-indication", Some(sub.as_str())),
            ],
        );
        h.el("dt", &[], c.sub_indication)
            .el("dd", &[], sub.as_str());
        h.close("div");
    }
    if let Some(signer) = &r.signer {
        detail(&mut h, "signer", c.signer, &signer.subject);
        detail(&mut h, "serial", c.serial, &signer.serial_number);
        detail(&mut h, "issuer", c.issuer, &signer.issuer);
    }
    if let Some(time) = r.signing_time {
        detail(&mut h, "signing_time", c.signing_time, &format::time(time));
    }
    if !r.chain.is_empty() {
        let chain: Vec<&str> = r.chain.iter().map(|c| c.subject.as_str()).collect();
        detail(&mut h, "chain", c.chain, &chain.join(" → "));
    }
    h.open(
        "div",
        &[("class", Some("detail")), ("data-field", Some("checks"))],
    );
    h.el("dt", &[], c.checks)
        .open("dd", &[])
        .open("ul", &[("class", Some("checks"))]);
    for check in &r.checks {
        let mark = match check.result {
            CheckResult::Passed => "✓",
            CheckResult::Failed => "✗",
            _ => "–",
        };
        h.el(
            "li",
            &[
                ("data-check", Some(check.name.as_str())),
                ("data-result", Some(check.result.as_str())),
            ],
            &format!("{mark} {}: {}", check.name.as_str(), check.detail),
        );
    }
    h.close("ul").close("dd").close("div");
    h.finish()
}

/// The keys of this browser that have a certificate.
fn usable(keys: Vec<StoredKey>) -> Vec<StoredKey> {
    keys.into_iter()
        .filter(|k| k.certificate.is_some())
        .collect()
}

/// "Sign this document": choose one of this browser's keys, sign `document`
/// (its bytes), get the detached CMS (DER) in `on_signed`. The signing code
/// (the key store, CMS and X.509) is its own chunk, fetched the first time a
/// signing panel opens.
#[component]
pub fn SignDocument(
    /// The bytes to sign; the button waits for them.
    document: Signal<Option<Vec<u8>>>,
    on_signed: Callback<Vec<u8>>,
) -> impl IntoView {
    later(signing_panel(document, on_signed))
}

/// The split point of the signing code.
#[lazy]
fn signing_panel(document: Signal<Option<Vec<u8>>>, on_signed: Callback<Vec<u8>>) -> AnyView {
    view! { <SigningPanel document on_signed/> }.into_any()
}

#[component]
fn SigningPanel(document: Signal<Option<Vec<u8>>>, on_signed: Callback<Vec<u8>>) -> impl IntoView {
    let keys = StoredValue::new_local(Vec::<StoredKey>::new());
    let names = RwSignal::new(Vec::<(String, String, String)>::new());
    let chosen = RwSignal::new(String::new());
    let failure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match keystore::all().await {
            Ok(all) => {
                let all = usable(all);
                names.set(
                    all.iter()
                        .map(|k| {
                            let subject = k.subject.clone().unwrap_or_default();
                            let until = k.not_after.clone().unwrap_or_default();
                            (k.application_id.clone(), subject, until)
                        })
                        .collect(),
                );
                if let Some(first) = all.first() {
                    chosen.set(first.application_id.clone());
                }
                keys.set_value(all);
            }
            Err(e) => leptos::logging::error!("key store: {}", crypto::describe(&e)),
        }
    });
    let sign = click(move |_| {
        let Some(bytes) = document.get_untracked() else {
            return;
        };
        let id = chosen.get_untracked();
        let Some(key) = keys.with_value(|all| all.iter().find(|k| k.application_id == id).cloned())
        else {
            return;
        };
        failure.set(false);
        busy.set(true);
        spawn_local(async move {
            match crypto::sign_detached(&key, &bytes).await {
                Ok(cms) => {
                    let _ = on_signed.try_run(cms);
                }
                Err(why) => {
                    leptos::logging::error!("signing: {why}");
                    failure.set(true);
                }
            }
            busy.set(false);
        });
    });
    view! {
        <div class="sign-document" data-testid="sign-document">
            <p class="notice" hidden=sig(move || !names.with(Vec::is_empty))>
                {tr(|s| s.certs.no_keys)} " " <a href="/certificates">{tr(|s| s.certs.cabinet_title)}</a>
            </p>
            <div class="field" hidden=sig(move || names.with(Vec::is_empty))>
                <label for="sign-key">{tr(|s| s.certs.choose_key)}</label>
                <select id="sign-key" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || names.get().into_iter().map(|(id, subject, until)| {
                        let label = format!("{subject} ({} {until})", t().certs.valid_until);
                        view! { <option value=id>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="button" class="primary" data-testid="sign"
                disabled=sig(move || busy.get() || names.with(Vec::is_empty) || document.with(Option::is_none))
                on:click=sign>
                {move || if busy.get() { t().loading } else { t().certs.sign_button }}
            </button>
            <p class="error" role="alert" hidden=sig(move || !failure.get())>{tr(|s| s.certs.crypto_failed)}</p>
        </div>
    }
}

#[component]
pub fn SignaturesPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let to_sign = NodeRef::<leptos::html::Input>::new();
    let document = RwSignal::new(None::<Vec<u8>>);
    let signature = RwSignal::new(None::<Vec<u8>>);
    let report = RwSignal::new(None::<ValidationReport>);
    let error = RwSignal::new(None::<ApiError>);
    let check_doc = NodeRef::<leptos::html::Input>::new();
    let check_sig = NodeRef::<leptos::html::Input>::new();
    let checked = RwSignal::new(None::<ValidationReport>);
    let check_error = RwSignal::new(None::<ApiError>);

    let pick = move |_| {
        signature.set(None);
        report.set(None);
        spawn_local(async move { document.set(chosen_bytes(to_sign).await) });
    };
    let on_signed = Callback::new(move |cms: Vec<u8>| {
        signature.set(Some(cms.clone()));
        let Some(doc) = document.get_untracked() else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match certificates::validate(auth, &js_bytes(&doc), &js_bytes(&cms)).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let download = click(move |_| {
        let Some(cms) = signature.get_untracked() else {
            return;
        };
        let parts = js_sys::Array::of1(&js_bytes(&cms));
        if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) {
            api::files::save_blob(&blob, "signature.p7s");
        }
    });
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        checked.set(None);
        check_error.set(None);
        spawn_local(async move {
            let Some(doc) = chosen_bytes(check_doc).await else {
                return;
            };
            // The signature file, or the one just made here.
            let Some(sig) = chosen_bytes(check_sig)
                .await
                .or_else(|| signature.try_get_untracked().flatten())
            else {
                return;
            };
            match certificates::validate(auth, &js_bytes(&doc), &js_bytes(&sig)).await {
                Ok(r) => checked.set(Some(r)),
                Err(e) => check_error.set(Some(e)),
            }
        });
    };
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="sign-page">
            <h1>{tr(|s| s.certs.sign_title)}</h1>
            <p class="hint">{tr(|s| s.certs.sign_text)}</p>
            <div class="field">
                <label for="sign-file">{tr(|s| s.certs.document_file)}</label>
                <input type="file" id="sign-file" node_ref=to_sign on:change=pick/>
            </div>
            <SignDocument document=document.into() on_signed=on_signed/>
            <FormError error=error/>
            <div hidden=sig(move || report.with(Option::is_none)) data-testid="sign-result">
                <h2>{tr(|s| s.certs.report_title)}</h2>
                <dl class="details" data-testid="signature-report"
                    inner_html=sig(move || report.with(|r| r.as_ref().map(report_html).unwrap_or_default()))></dl>
                <button type="button" on:click=download data-testid="download-signature">{tr(|s| s.certs.download_signature)}</button>
            </div>
        </section>
        <form class="card" hidden=sig(move || !shown.get()) on:submit=check novalidate data-testid="check-form">
            <h2>{tr(|s| s.certs.verify_title)}</h2>
            <p class="hint">{tr(|s| s.certs.verify_text)}</p>
            <div class="field">
                <label for="check-document">{tr(|s| s.certs.document_file)}</label>
                <input type="file" id="check-document" node_ref=check_doc/>
            </div>
            <div class="field">
                <label for="check-signature">{tr(|s| s.certs.signature_file)}</label>
                <input type="file" id="check-signature" accept=".p7s,.sig,.der,.pem" node_ref=check_sig/>
                <small class="hint" hidden=sig(move || signature.with(Option::is_none))>{tr(|s| s.certs.last_signature_hint)}</small>
            </div>
            <button type="submit" class="primary" data-testid="check">{tr(|s| s.certs.check_button)}</button>
            <FormError error=check_error/>
            <dl class="details" data-testid="check-report" hidden=sig(move || checked.with(Option::is_none))
                inner_html=sig(move || checked.with(|r| r.as_ref().map(report_html).unwrap_or_default()))></dl>
        </form>
    }
}
