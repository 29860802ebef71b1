//! "Powers of attorney (МЧД)" on the organisation's page
//! (docs/power-of-attorney.md): the list — status, the organisation's
//! number, the representative, the validity, the powers in words — with
//! the XML and the head's signature to download; for the admin, the
//! upload of an XML file (a refusal named by its `poa_*` code), the head's
//! signature of its exact bytes — in this browser ([`SignDocument`]) or a
//! detached file — and the revocation with a reason. Buttons follow each
//! power of attorney's `allowed_actions`.

use crate::api::{ApiError, powers_of_attorney as poas};
use crate::components::bind::{click, sig};
use crate::components::fields::Area;
use crate::components::html::{Html, act_button, clicked, detail, status_badge};
use crate::components::problem::{FormError, explain_with, issues};
use crate::components::status::{Load, LoadStatus, load};
use crate::components::upload::chosen_file;
use crate::format;
use crate::pages::certificates::sign::{SignDocument, report_html};
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::ErrorCode;
use mezha_api_types::powers_of_attorney::{
    POA_XML_MAX_BYTES, PoaAction, PoaPerson, PowerOfAttorney,
};
use uuid::Uuid;

/// Problems told in the server's words: which signature, which number.
const SERVER_TEXT: &[&str] = &[
    "conflict",
    "not_found",
    "signature_refused",
    "signer_not_party",
];

/// What the list's title says of one: the organisation's own number, or
/// whom it empowers.
pub fn poa_title(p: &PowerOfAttorney) -> String {
    let s = t().poa;
    match &p.internal_number {
        Some(n) => s.numbered.replace("{}", n),
        None => format!(
            "{} {}",
            s.title_one,
            s.for_whom.replace("{}", &p.representative.full_name)
        ),
    }
}

/// `12345678964` → `123-456-789 64`, as a SNILS is written, kept on one
/// line (a no-break space); other values as they are.
fn snils_text(snils: &str) -> String {
    match snils.as_bytes() {
        [a @ .., b, c] if a.len() == 9 && snils.bytes().all(|d| d.is_ascii_digit()) => format!(
            "{}-{}-{}\u{a0}{}{}",
            &snils[0..3],
            &snils[3..6],
            &snils[6..9],
            char::from(*b),
            char::from(*c)
        ),
        _ => snils.to_owned(),
    }
}

/// A person: the name, SNILS and INN as the XML gives them.
fn person_text(p: &PoaPerson) -> String {
    let s = t().poa;
    let mut text = p.full_name.clone();
    if let Some(snils) = &p.snils {
        text.push_str(&format!(", {} {}", s.snils, snils_text(snils)));
    }
    if let Some(inn) = &p.inn {
        text.push_str(&format!(", {} {inn}", s.inn));
    }
    text
}

/// A refusal in words: a `poa_*` code of the XML by the catalogue, a file
/// over the limit, else as [`explain_with`] tells it.
fn refusal_text(error: &ApiError) -> String {
    let s = t().poa;
    if let ApiError::Problem(p) = error {
        if p.code == ErrorCode::PayloadTooLarge {
            return s.errors.too_large.to_owned();
        }
        for name in ["xml", "signature"] {
            if let Some(issue) = p.field(name).first() {
                return s
                    .refusal(&issue.code)
                    .or_else(|| t().error(&issue.code).map(str::to_owned))
                    .unwrap_or_else(|| issue.message.clone());
            }
        }
    }
    explain_with(error, SERVER_TEXT)
}

fn item_html(p: &PowerOfAttorney, busy: bool) -> String {
    let s = t().poa;
    let id = p.id.to_string();
    let mut h = Html::new();
    h.open(
        "li",
        &[
            ("data-testid", Some("poa")),
            ("data-status", Some(p.status.as_str())),
        ],
    );
    h.open("div", &[("class", Some("party-head"))]);
    h.el(
        "strong",
        &[("data-testid", Some("poa-title"))],
        &poa_title(p),
    );
    status_badge(&mut h, p.status.as_str(), s.status(p.status));
    h.close("div");
    h.open("dl", &[("class", Some("details"))]);
    detail(
        &mut h,
        "representative",
        s.representative,
        &person_text(&p.representative),
    );
    let range = s
        .valid_range
        .replace("{0}", &format::date(p.issued_on))
        .replace("{1}", &format::date(p.valid_until));
    detail(&mut h, "validity", s.validity, &range);
    detail(&mut h, "issued_by", s.issued_by, &p.head.full_name);
    detail(&mut h, "number", s.registry_number, &p.number.to_string());
    if let Some(at) = p.signed_at {
        let by = p.signed_by.as_deref().unwrap_or_default();
        detail(
            &mut h,
            "signed",
            s.signed,
            format!("{by} · {}", format::time(at)).trim_start_matches(" · "),
        );
    }
    if let Some(at) = p.revoked_at {
        let why = p.revoke_reason.as_deref().unwrap_or_default();
        detail(
            &mut h,
            "revoked",
            s.revoked,
            &format!("{} — {why}", format::time(at)),
        );
    }
    h.close("dl");
    h.el("h4", &[], s.powers);
    h.open(
        "ul",
        &[
            ("class", Some("poa-powers")),
            ("data-testid", Some("poa-powers")),
        ],
    );
    for power in &p.powers {
        let name = s.power_by_code(&power.code).unwrap_or(&power.name);
        let text = if power.restricted {
            format!("{name} ({})", s.restricted)
        } else {
            name.to_owned()
        };
        h.el("li", &[], &text);
    }
    h.close("ul");
    h.open("div", &[("class", Some("actions"))]);
    if p.allowed_actions.contains(&PoaAction::Sign) {
        act_button(
            &mut h,
            "sign",
            &id,
            "poa-sign",
            Some("primary"),
            busy,
            s.sign,
        );
    }
    act_button(&mut h, "xml", &id, "poa-xml", None, busy, s.download_xml);
    if p.signed_at.is_some() {
        act_button(
            &mut h,
            "signature",
            &id,
            "poa-signature",
            None,
            busy,
            s.download_signature,
        );
    }
    if p.allowed_actions.contains(&PoaAction::Revoke) {
        act_button(
            &mut h,
            "revoke",
            &id,
            "poa-revoke",
            Some("link"),
            busy,
            s.revoke,
        );
    }
    h.close("div").close("li");
    h.finish()
}

/// What is open below the list: the head's signature or the revocation
/// of one of them.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Sign(Uuid),
    Revoke(Uuid),
}

/// What was done last, said below the list (in the language of the
/// moment).
#[derive(Clone, Copy, PartialEq)]
enum Done {
    Uploaded,
    Signed,
    Revoked,
}

impl Done {
    fn text(self) -> &'static str {
        let s = t().poa;
        match self {
            Done::Uploaded => s.uploaded,
            Done::Signed => s.signed_now,
            Done::Revoked => s.revoked_now,
        }
    }
}

/// The section of organisation `org`; `admin` offers the upload.
#[component]
pub fn PowersOfAttorney(org: Uuid, admin: bool) -> impl IntoView {
    let auth = use_auth();
    let list = RwSignal::new(Vec::<PowerOfAttorney>::new());
    let state = RwSignal::new(Load::Loading);
    let reload = Callback::new(move |_| {
        state.set(Load::Loading);
        load(state, poas::list(auth, org), move |page| {
            list.set(page.items)
        });
    });
    reload.run(());
    let open = RwSignal::new(None::<Open>);
    let done = RwSignal::new(None::<Done>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // An answer about one of them: it takes its place (or comes first).
    let put = Callback::new(move |p: PowerOfAttorney| {
        list.update(|l| match l.iter_mut().find(|x| x.id == p.id) {
            Some(old) => *old = p,
            None => l.insert(0, p),
        });
    });
    let html = sig(move || {
        let busy = busy.get();
        list.with(|l| {
            let mut all = String::new();
            for p in l {
                all.push_str(&item_html(p, busy));
            }
            all
        })
    });
    let act = click(move |ev| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else {
            return;
        };
        done.set(None);
        error.set(None);
        match act.as_str() {
            "sign" => open.set(Some(Open::Sign(id))),
            "revoke" => open.set(Some(Open::Revoke(id))),
            "xml" | "signature" => {
                let base = list
                    .with_untracked(|l| l.iter().find(|p| p.id == id).map(download_name))
                    .unwrap_or_default();
                busy.set(true);
                spawn_local(async move {
                    let saved = if act == "xml" {
                        poas::save_xml(auth, org, id, &format!("{base}.xml")).await
                    } else {
                        poas::save_signature(auth, org, id, &format!("{base}.xml.p7s")).await
                    };
                    if let Err(e) = saved {
                        error.set(Some(e));
                    }
                    busy.set(false);
                });
            }
            _ => {}
        }
    });
    let uploaded = Callback::new(move |p: PowerOfAttorney| {
        let id = p.id;
        let may_sign = p.allowed_actions.contains(&PoaAction::Sign);
        put.run(p);
        done.set(Some(Done::Uploaded));
        // The head signs it next: the panel opens at once.
        if may_sign {
            open.set(Some(Open::Sign(id)));
        }
    });
    let finished = Callback::new(move |(p, message): (PowerOfAttorney, Done)| {
        put.run(p);
        open.set(None);
        done.set(Some(message));
    });
    let empty = sig(move || state.get().is_ready() && list.with(Vec::is_empty));
    view! {
        <section class="subsection" data-testid="org-poa" aria-labelledby="org-poa-title">
            <h2 id="org-poa-title">{tr(|s| s.poa.title)}</h2>
            <p class="hint">{tr(|s| s.poa.hint)}</p>
            {admin.then(|| view! { <Upload org=org uploaded=uploaded/> })}
            <LoadStatus state=state retry=reload quiet=true/>
            <p class="empty" data-testid="poa-empty" hidden=sig(move || !empty.get())>{tr(|s| s.poa.empty)}</p>
            <ul class="parties" data-testid="poa-list" on:click=act inner_html=html></ul>
            <p class="success" role="status" data-testid="poa-done" hidden=sig(move || done.with(Option::is_none))>
                {move || done.get().map(Done::text)}
            </p>
            <FormError error=error server_text=SERVER_TEXT/>
            {move || match open.get() {
                Some(Open::Sign(id)) => Some(view! { <SignPanel org=org id=id list=list open=open finished=finished/> }.into_any()),
                Some(Open::Revoke(id)) => Some(view! { <RevokePanel org=org id=id list=list open=open finished=finished/> }.into_any()),
                None => None,
            }}
        </section>
    }
}

/// The downloads' file name: the organisation's number, else the registry's.
fn download_name(p: &PowerOfAttorney) -> String {
    let base = p
        .internal_number
        .as_deref()
        .map(|n| n.replace(|c: char| !c.is_alphanumeric() && c != '-', "-"))
        .unwrap_or_else(|| p.number.to_string());
    format!("poa-{base}")
}

/// The admin's upload of an XML file, with the limit said.
#[component]
fn Upload(org: Uuid, uploaded: Callback<PowerOfAttorney>) -> impl IntoView {
    let auth = use_auth();
    let file = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(chosen) = chosen_file(file) else {
            missing.set(true);
            return;
        };
        missing.set(false);
        // Said before sending: the server would cut it off anyway (413).
        if chosen.size() > POA_XML_MAX_BYTES as f64 {
            error.set(Some(ApiError::Problem(Box::new(too_large()))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match poas::upload(auth, org, &chosen).await {
                Ok(p) => {
                    if let Some(input) = file.get_untracked() {
                        input.set_value("");
                    }
                    let _ = uploaded.try_run(p);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let message = sig(move || {
        if missing.get() {
            return Some(t().poa.no_file.to_owned());
        }
        error.with(|e| e.as_ref().map(refusal_text))
    });
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="poa-upload-form" aria-labelledby="poa-upload-title">
            <h3 id="poa-upload-title">{tr(|s| s.poa.upload_title)}</h3>
            <div class="field" class:invalid=sig(move || message.with(Option::is_some))>
                <label for="poa-file">{tr(|s| s.poa.upload_file)}</label>
                <input type="file" id="poa-file" accept=".xml,application/xml,text/xml" node_ref=file
                    aria-describedby="poa-file-hint poa-file-error"/>
                <small id="poa-file-hint" class="hint" data-testid="poa-limit">
                    {move || t().poa.upload_hint.replace("{}", &format::size(POA_XML_MAX_BYTES as i64))}
                </small>
                <small id="poa-file-error" class="error" role="alert" data-field-error="xml" data-testid="poa-upload-error"
                    hidden=sig(move || message.with(Option::is_none))>
                    {move || message.get()}
                </small>
            </div>
            <button type="submit" class="primary" data-testid="poa-upload" disabled=busy>
                {move || if busy.get() { t().loading } else { t().poa.upload_submit }}
            </button>
        </form>
    }
}

/// A 413 as the server would answer it.
fn too_large() -> mezha_api_types::Problem {
    mezha_api_types::Problem::new(ErrorCode::PayloadTooLarge, "")
}

/// The title of one in the list, for a panel's heading.
fn title_of(list: RwSignal<Vec<PowerOfAttorney>>, id: Uuid) -> String {
    list.with_untracked(|l| l.iter().find(|p| p.id == id).map(poa_title))
        .unwrap_or_default()
}

/// The head's signature of the XML's exact bytes: in this browser, or a
/// detached file made elsewhere; a refusal shows the validation report.
#[component]
fn SignPanel(
    org: Uuid,
    id: Uuid,
    list: RwSignal<Vec<PowerOfAttorney>>,
    open: RwSignal<Option<Open>>,
    finished: Callback<(PowerOfAttorney, Done)>,
) -> impl IntoView {
    let auth = use_auth();
    let bytes = RwSignal::new(None::<Vec<u8>>);
    let error = RwSignal::new(None::<ApiError>);
    let refused = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        match poas::xml_bytes(auth, org, id).await {
            Ok(b) => {
                let _ = bytes.try_set(Some(b));
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
            }
        }
    });
    let send = move |signature: Vec<u8>| {
        // (Also called once a file is read: the panel may be gone by then.)
        if busy.try_get_untracked() != Some(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        refused.set(None);
        spawn_local(async move {
            match poas::sign(auth, org, id, &signature).await {
                Ok(p) => {
                    let _ = finished.try_run((p, Done::Signed));
                }
                Err(e) => {
                    if let ApiError::Problem(p) = &e
                        && let Some(report) = &p.report
                    {
                        let _ = refused.try_set(Some(report_html(report)));
                    }
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let on_signed = Callback::new(send);
    let file = NodeRef::<leptos::html::Input>::new();
    let upload = click(move |_| {
        let Some(chosen) = chosen_file(file) else {
            return;
        };
        spawn_local(async move {
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(chosen.array_buffer()).await {
                send(js_sys::Uint8Array::new(&buffer).to_vec());
            }
        });
    });
    let message = sig(move || error.with(|e| e.as_ref().map(refusal_text)));
    view! {
        <section class="sign-panel subsection" data-testid="poa-sign-panel" aria-labelledby="poa-sign-title">
            <h3 id="poa-sign-title">{format!("{} — {}", t().poa.sign_title, title_of(list, id))}</h3>
            <p class="hint">{tr(|s| s.poa.sign_hint)}</p>
            <SignDocument document=bytes.into() on_signed=on_signed/>
            <div class="field">
                <label for="poa-signature-file">{tr(|s| s.poa.signature_file)}</label>
                <input type="file" id="poa-signature-file" accept=".p7s,.sig,.der,.pem" node_ref=file/>
            </div>
            <div class="actions">
                <button type="button" data-testid="poa-signature-upload" disabled=busy on:click=upload>
                    {tr(|s| s.poa.upload_signature)}
                </button>
                <button type="button" class="link" data-testid="poa-cancel" on:click=move |_| open.set(None)>
                    {tr(|s| s.poa.cancel)}
                </button>
            </div>
            <p class="error form-error" role="alert" data-testid="poa-sign-error" hidden=sig(move || message.with(Option::is_none))>
                {move || message.get()}
            </p>
            <div hidden=sig(move || refused.with(Option::is_none)) data-testid="poa-refusal-report">
                <h4>{tr(|s| s.poa.report)}</h4>
                <dl class="details" inner_html=sig(move || refused.get().unwrap_or_default())></dl>
            </div>
        </section>
    }
}

/// The revocation: the reason, then the button.
#[component]
fn RevokePanel(
    org: Uuid,
    id: Uuid,
    list: RwSignal<Vec<PowerOfAttorney>>,
    open: RwSignal<Option<Open>>,
    finished: Callback<(PowerOfAttorney, Done)>,
) -> impl IntoView {
    let auth = use_auth();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let missing = RwSignal::new(false);
    let issues = issues(
        error,
        |n| (n == "reason").then_some("poa-revoke-reason"),
        move |found| {
            if missing.get() {
                found.push(("poa-revoke-reason", t().errors.required.to_owned()));
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        missing.set(text.is_empty());
        if text.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match poas::revoke(auth, org, id, text).await {
                Ok(p) => {
                    let _ = finished.try_run((p, Done::Revoked));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <form class="subsection" on:submit=submit novalidate data-testid="poa-revoke-panel" aria-labelledby="poa-revoke-title">
            <h3 id="poa-revoke-title">{format!("{} — {}", t().poa.revoke, title_of(list, id))}</h3>
            <p class="hint">{tr(|s| s.poa.revoke_hint)}</p>
            <Area id="poa-revoke-reason" label=|s| s.poa.revoke_reason value=reason issues=issues/>
            <FormError error=error server_text=SERVER_TEXT/>
            <div class="actions">
                <button type="submit" class="danger" data-testid="poa-revoke-submit" disabled=busy>
                    {tr(|s| s.poa.revoke_submit)}
                </button>
                <button type="button" class="link" on:click=move |_| open.set(None)>{tr(|s| s.poa.cancel)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::snils_text;

    #[test]
    fn a_snils_is_written_in_its_groups() {
        assert_eq!(snils_text("12345678964"), "123-456-789\u{a0}64");
        assert_eq!(snils_text("123-456-789 64"), "123-456-789 64");
    }
}
