//! The documents step: the limits and the bytes used, the deal's PDF
//! documents (open, remove), and uploading one with its progress. A file
//! over a limit is refused here before it is sent; the server refuses
//! what is no PDF by its content.

use super::DealError;
use super::card::DealCard;
use crate::api::{ApiError, deals};
use crate::components::bind::{click, sig};
use crate::components::fields::{Input, non_blank};
use crate::components::html::{Html, act_button, clicked};
use crate::components::problem::no_issues;
use crate::components::upload::chosen_file;
use crate::format;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::deals::{
    DEAL_MAX_BYTES, DOCUMENT_MAX_BYTES, Deal, DealAction, DealDocumentKind,
};
use uuid::Uuid;

/// The documents of `kind`: title, file name and size, "Open" and, when
/// `removable`, "Remove".
pub fn documents_html(deal: &Deal, kind: DealDocumentKind, removable: bool, busy: bool) -> String {
    let d = t().deals;
    let mut h = Html::new();
    for doc in deal.documents.iter().filter(|x| x.kind == kind) {
        let id = doc.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("document")),
                ("data-document-id", Some(&id)),
                ("data-kind", Some(doc.kind.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el(
            "strong",
            &[("data-testid", Some("document-title"))],
            &doc.title,
        );
        h.span("file-size", &format::size(doc.file.size));
        h.close("div");
        h.el("p", &[("class", Some("party-terms"))], &doc.file.name);
        h.open("div", &[("class", Some("actions"))]);
        act_button(
            &mut h,
            "open",
            &id,
            "document-open",
            Some("link"),
            false,
            d.open,
        );
        if removable {
            act_button(
                &mut h,
                "remove",
                &id,
                "document-remove",
                Some("link"),
                busy,
                d.remove,
            );
        }
        h.close("div").close("li");
    }
    h.finish()
}

/// The clicks of a documents block: "Open" saves the PDF, "Remove"
/// removes the document.
pub fn document_clicks(
    card: DealCard,
    error: RwSignal<Option<ApiError>>,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    click(move |ev| {
        let Some((act, doc)) = clicked(&ev) else {
            return;
        };
        let Ok(doc) = doc.parse::<Uuid>() else {
            return;
        };
        let (auth, id) = (card.auth, card.id());
        match act.as_str() {
            "open" => {
                let name = card
                    .deal
                    .with_untracked(|d| {
                        d.as_ref()
                            .and_then(|d| d.documents.iter().find(|x| x.id == doc))
                            .map(|x| x.file.name.clone())
                    })
                    .unwrap_or_else(|| "document.pdf".to_owned());
                spawn_local(async move {
                    if let Err(e) = deals::download(auth, id, doc, &name).await {
                        let _ = error.try_set(Some(e));
                    }
                });
            }
            "remove" => card.act(
                error,
                Box::pin(async move { deals::remove_document(auth, id, doc).await }),
                || {},
            ),
            _ => {}
        }
    })
}

#[component]
pub fn DocumentsStep(card: DealCard) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let list = sig(move || {
        let removable = card.allows(DealAction::RemoveDocument);
        let busy = card.busy.get();
        card.deal.with(|d| {
            d.as_ref()
                .map(|d| documents_html(d, DealDocumentKind::Document, removable, busy))
                .unwrap_or_default()
        })
    });
    let used = sig(move || {
        card.deal
            .with(|d| d.as_ref().map(|d| d.documents_bytes).unwrap_or_default())
    });
    let usage = sig(move || {
        let d = t().deals;
        d.used
            .replacen("{}", &format::size(used.get()), 1)
            .replacen("{}", &format::size(DEAL_MAX_BYTES as i64), 1)
    });
    let limits = sig(move || {
        t().deals
            .limits
            .replacen("{}", &format::size(DOCUMENT_MAX_BYTES as i64), 1)
            .replacen("{}", &format::size(DEAL_MAX_BYTES as i64), 1)
    });
    let empty = sig(move || card.no_documents());
    view! {
        <section class="deal-step" data-testid="deal-documents">
            <h2>{tr(|s| s.deals.documents_title)}</h2>
            <p class="hint" data-testid="document-limits">{limits}</p>
            <p data-testid="documents-used">
                {usage} " "
                <progress max=DEAL_MAX_BYTES.to_string() value=sig(move || used.get().to_string())></progress>
            </p>
            <ul class="parties" data-testid="document-list" inner_html=list on:click=document_clicks(card, error)></ul>
            <p class="empty" hidden=sig(move || !empty.get())>{tr(|s| s.deals.documents_empty)}</p>
            <DealError error=error/>
            {move || card.allows(DealAction::UploadDocument).then(|| view! { <Upload card=card/> })}
        </section>
    }
}

/// Uploading a PDF with its title, with the progress.
#[component]
fn Upload(card: DealCard) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let file = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<ApiError>);
    let too_big = RwSignal::new(None::<&'static str>);
    let upload = click(move |_| {
        let Some(chosen) = chosen_file(file) else {
            too_big.set(Some(t().deals.choose_file));
            return;
        };
        let size = chosen.size() as i64;
        let used = card
            .deal
            .with_untracked(|d| d.as_ref().map(|d| d.documents_bytes).unwrap_or_default());
        if size > DOCUMENT_MAX_BYTES as i64 {
            too_big.set(Some(t().deals.over_document_limit));
            return;
        }
        if used + size > DEAL_MAX_BYTES as i64 {
            too_big.set(Some(t().deals.over_deal_limit));
            return;
        }
        too_big.set(None);
        progress.set(Some(0));
        let heading = non_blank(title.get_untracked()).unwrap_or_default();
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move {
                deals::upload(auth, id, &chosen, &heading, move |p| {
                    let _ = progress.try_set(Some(p));
                })
                .await
            }),
            move || {
                let _ = title.try_set(String::new());
                if let Some(Some(input)) = file.try_get_untracked() {
                    input.set_value("");
                }
            },
        );
    });
    // The bar goes when the answer is in.
    Effect::new(move |_| {
        if !card.busy.get() {
            progress.set(None);
        }
    });
    view! {
        <div class="subsection" data-testid="document-upload">
            <h2>{tr(|s| s.deals.upload_title)}</h2>
            <Input id="document-title" name="title" label=|s| s.deals.document_title
                hint=|s| s.deals.document_title_hint value=title issues=no_issues()/>
            <div class="field attachments">
                <label for="document-file">{tr(|s| s.deals.document_file)}</label>
                <input type="file" id="document-file" accept="application/pdf,.pdf" node_ref=file/>
            </div>
            <button type="button" class="primary" data-testid="document-upload-submit" disabled=card.busy on:click=upload>
                {tr(|s| s.deals.upload_submit)}
            </button>
            <p class="status" role="status" data-testid="upload-progress" hidden=sig(move || progress.with(Option::is_none))>
                {tr(|s| s.deals.uploading)} " "
                <progress max="100" value=sig(move || progress.get().unwrap_or(0).to_string())></progress>
                " " {sig(move || format!("{} %", progress.get().unwrap_or(0)))}
            </p>
            <p class="error" role="alert" data-testid="upload-refused" hidden=sig(move || too_big.with(Option::is_none))>
                {sig(move || too_big.get().unwrap_or_default())}
            </p>
            <DealError error=error/>
        </div>
    }
}
