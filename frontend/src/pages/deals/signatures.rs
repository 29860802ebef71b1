//! Signatures of a deal's documents, and later of its statements: a
//! matrix of each document against each of its signers (`signers`: the
//! participants, and — none — the filing employee). A cell is signed (✓,
//! who by his certificate, the power of attorney he signed under for the
//! organisation, when, with the validation report to unfold), or
//! offers "Sign in this browser" ([`SignDocument`]) and "Upload a
//! signature file"; a refused signature shows the server's report.

use super::card::DealCard;
use super::{DealError, signer_key, signer_label};
use crate::api::{ApiError, deals, powers_of_attorney};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, act_button, clicked};
use crate::components::upload::chosen_file;
use crate::format;
use crate::pages::certificates::sign::{SignDocument, report_html};
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::deals::{Deal, DealAction, DealDocumentKind, DealSignature};
use mezha_api_types::powers_of_attorney::PowerOfAttorney;
use uuid::Uuid;

/// What a cell's button asks for: the document, the signer, by a file.
type Chosen = (Uuid, Option<Uuid>, bool);

/// The signers of the documents of `kind`, in the order they first appear.
fn signers(deal: &Deal, kind: DealDocumentKind) -> Vec<Option<Uuid>> {
    let mut all = Vec::new();
    for doc in deal.documents.iter().filter(|d| d.kind == kind) {
        for s in &doc.signers {
            if !all.contains(s) {
                all.push(*s);
            }
        }
    }
    all
}

/// "Under power of attorney No. …" of a signature made under one: the
/// organisation's number, else the day it was issued (its registry number
/// is a UUID), or just the mark when the list of them is not at hand.
fn under_text(id: Uuid, powers: &[PowerOfAttorney]) -> String {
    let p = t().poa;
    match powers.iter().find(|x| x.id == id) {
        Some(PowerOfAttorney {
            internal_number: Some(n),
            ..
        }) => p.deal_under_numbered.replace("{}", n),
        Some(x) => p
            .deal_under_issued
            .replace("{}", &format::date(x.issued_on)),
        None => p.deal_under.to_owned(),
    }
}

/// A signed cell: ✓, the certificate's name, the power of attorney it was
/// made under, when; the report folded.
fn signed_cell(h: &mut Html, s: &DealSignature, powers: &[PowerOfAttorney]) {
    let d = t().deals;
    h.open(
        "div",
        &[("class", Some("signed")), ("data-testid", Some("signed"))],
    );
    let who = s
        .signer_name
        .clone()
        .or_else(|| s.report.signer.as_ref().and_then(|x| x.common_name.clone()))
        .unwrap_or_default();
    h.el("strong", &[], &format!("✓ {}", d.signed));
    h.el("span", &[("class", Some("signer"))], &who);
    if let Some(id) = s.power_of_attorney_id {
        h.el(
            "small",
            &[
                ("class", Some("poa")),
                ("data-testid", Some("signed-under-poa")),
            ],
            &under_text(id, powers),
        );
    }
    let when = s.report.signing_time.unwrap_or(s.created_at);
    h.el(
        "small",
        &[("class", Some("hint"))],
        &format!("{} · {}", d.signature_valid, format::time(when)),
    );
    h.open("details", &[("class", Some("signature"))]);
    h.el("summary", &[], d.report);
    h.open("dl", &[("class", Some("details"))]);
    h.raw(&report_html(&s.report));
    h.close("dl").close("details").close("div");
}

fn matrix_html(
    deal: &Deal,
    kind: DealDocumentKind,
    may_sign: bool,
    busy: bool,
    powers: &[PowerOfAttorney],
) -> String {
    let d = t().deals;
    let columns = signers(deal, kind);
    let mut h = Html::new();
    h.open("table", &[("class", Some("sign-matrix"))]);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", Some("col"))], d.document);
    for s in &columns {
        h.el(
            "th",
            &[
                ("scope", Some("col")),
                ("data-signer", Some(&signer_key(*s))),
            ],
            &signer_label(deal, *s),
        );
    }
    h.close("tr").close("thead").open("tbody", &[]);
    for doc in deal.documents.iter().filter(|x| x.kind == kind) {
        let doc_id = doc.id.to_string();
        h.open("tr", &[("data-document-id", Some(&doc_id))]);
        h.el("th", &[("scope", Some("row"))], &doc.title);
        for s in &columns {
            let key = signer_key(*s);
            h.open(
                "td",
                &[
                    ("data-testid", Some("sign-cell")),
                    ("data-signer", Some(&key)),
                ],
            );
            if !doc.signers.contains(s) {
                h.span("hint", "—");
            } else if let Some(sig) = doc.signatures.iter().find(|x| x.participant_id == *s) {
                signed_cell(&mut h, sig, powers);
            } else if may_sign {
                let id = format!("{doc_id}:{key}");
                h.open("div", &[("class", Some("sign-buttons"))]);
                act_button(&mut h, "sign", &id, "sign-here", None, busy, d.sign_here);
                act_button(
                    &mut h,
                    "file",
                    &id,
                    "sign-file",
                    Some("link"),
                    busy,
                    d.sign_file,
                );
                h.close("div");
            } else {
                h.span("hint", d.awaiting_signature);
            }
            h.close("td");
        }
        h.close("tr");
    }
    h.close("tbody").close("table");
    h.finish()
}

/// The organisation's powers of attorney, read once a signature made under
/// one it has not read shows (every active member may read them); left
/// empty when they cannot be read (the cells then carry the mark alone).
fn under_powers(card: DealCard) -> RwSignal<Vec<PowerOfAttorney>> {
    let powers = RwSignal::new(Vec::<PowerOfAttorney>::new());
    let asked = StoredValue::new(Vec::<Uuid>::new());
    Effect::new(move |_| {
        let (org, ids) = card.deal.with(|d| {
            let Some(d) = d else {
                return (Uuid::nil(), Vec::new());
            };
            let ids: Vec<Uuid> = d
                .documents
                .iter()
                .flat_map(|x| &x.signatures)
                .filter_map(|s| s.power_of_attorney_id)
                .collect();
            (d.organisation_id, ids)
        });
        let new = ids.iter().any(|id| asked.with_value(|a| !a.contains(id)));
        if !new {
            return;
        }
        asked.update_value(|a| a.extend(ids));
        spawn_local(async move {
            if let Ok(page) = powers_of_attorney::list(card.auth, org).await {
                let _ = powers.try_set(page.items);
            }
        });
    });
    powers
}

/// The matrix of the documents of `kind` and the signing panel of the
/// cell chosen.
#[component]
pub fn SignMatrix(card: DealCard, kind: DealDocumentKind) -> impl IntoView {
    let chosen = RwSignal::new(None::<Chosen>);
    let powers = under_powers(card);
    let html = sig(move || {
        let may_sign = card.allows(DealAction::Sign);
        let busy = card.busy.get();
        powers.with(|powers| {
            card.deal.with(|d| {
                d.as_ref()
                    .map(|d| matrix_html(d, kind, may_sign, busy, powers))
                    .unwrap_or_default()
            })
        })
    });
    let choose = click(move |ev| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Some((doc, signer)) = id.split_once(':') else {
            return;
        };
        let Ok(doc) = doc.parse::<Uuid>() else {
            return;
        };
        let signer = signer.parse::<Uuid>().ok();
        chosen.set(Some((doc, signer, act == "file")));
    });
    // A signature accepted, or the deal moved on: the panel closes.
    Effect::new(move |_| {
        let open = card.deal.with(|d| {
            d.as_ref().is_some_and(|d| {
                chosen.with_untracked(|c| {
                    c.is_some_and(|(doc, signer, _)| {
                        d.allowed_actions.contains(&DealAction::Sign)
                            && d.documents.iter().any(|x| {
                                x.id == doc
                                    && !x.signatures.iter().any(|s| s.participant_id == signer)
                            })
                    })
                })
            })
        });
        if !open && chosen.with_untracked(Option::is_some) {
            chosen.set(None);
        }
    });
    view! {
        <div class="table-scroll" data-testid=format!("sign-matrix-{}", kind.as_str()) on:click=choose inner_html=html></div>
        {move || chosen.get().map(|(doc, signer, by_file)| view! {
            <SignPanel card=card document=doc signer=signer by_file=by_file close=chosen/>
        })}
    }
}

/// Signing one cell: in the browser with a key kept here, or by uploading
/// a detached signature made elsewhere (DER or PEM).
#[component]
fn SignPanel(
    card: DealCard,
    document: Uuid,
    signer: Option<Uuid>,
    by_file: bool,
    close: RwSignal<Option<Chosen>>,
) -> impl IntoView {
    let auth = card.auth;
    let id = card.id();
    let bytes = RwSignal::new(None::<Vec<u8>>);
    let error = RwSignal::new(None::<ApiError>);
    let refused = RwSignal::new(None::<String>);
    if !by_file {
        spawn_local(async move {
            match deals::document_bytes(auth, id, document).await {
                Ok(b) => {
                    let _ = bytes.try_set(Some(b));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    }
    let send = move |der: Vec<u8>| {
        let _ = refused.try_set(None);
        let action = async move {
            let answer = deals::sign(auth, id, document, signer, &der).await;
            if let Err(ApiError::Problem(p)) = &answer
                && let Some(report) = &p.report
            {
                let _ = refused.try_set(Some(report_html(report)));
            }
            answer
        };
        card.act(error, Box::pin(action), || {});
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
    let title = card.deal.with_untracked(|d| {
        d.as_ref()
            .map(|d| {
                let doc = d
                    .documents
                    .iter()
                    .find(|x| x.id == document)
                    .map(|x| x.title.clone())
                    .unwrap_or_default();
                format!("{doc} — {}", signer_label(d, signer))
            })
            .unwrap_or_default()
    });
    view! {
        <section class="sign-panel subsection" data-testid="sign-panel">
            <h3>{title}</h3>
            {if by_file {
                view! {
                    <p class="hint">{tr(|s| s.deals.file_hint)}</p>
                    <div class="field">
                        <label for="deal-signature-file">{tr(|s| s.deals.signature_file)}</label>
                        <input type="file" id="deal-signature-file" accept=".p7s,.sig,.der,.pem" node_ref=file/>
                    </div>
                    <button type="button" class="primary" data-testid="signature-upload" disabled=card.busy on:click=upload>
                        {tr(|s| s.deals.send_signature)}
                    </button>
                }.into_any()
            } else {
                view! {
                    <p class="hint">{tr(|s| s.deals.browser_hint)}</p>
                    <SignDocument document=bytes.into() on_signed=on_signed/>
                }.into_any()
            }}
            <button type="button" class="link" data-testid="sign-cancel" on:click=move |_| close.set(None)>
                {tr(|s| s.deals.cancel)}
            </button>
            <DealError error=error/>
            <div hidden=sig(move || refused.with(Option::is_none)) data-testid="signature-refusal">
                <h3>{tr(|s| s.deals.report)}</h3>
                <dl class="details" inner_html=sig(move || refused.get().unwrap_or_default())></dl>
            </div>
        </section>
    }
}

#[component]
pub fn SignaturesStep(card: DealCard) -> impl IntoView {
    let none = sig(move || card.no_documents());
    view! {
        <section class="deal-step" data-testid="deal-signatures">
            <h2>{tr(|s| s.deals.signatures_title)}</h2>
            <p class="hint">{tr(|s| s.deals.signatures_hint)}</p>
            <p class="empty" hidden=sig(move || !none.get())>{tr(|s| s.deals.documents_empty)}</p>
            <SignMatrix card=card kind=DealDocumentKind::Document/>
        </section>
    }
}
