//! The order card after the contract (docs/payments.md, docs/results.md):
//! invoices with their receipts and the buttons of the turn (send, mark
//! paid, confirm), the deliveries of results and the registration outcome
//! (deliver in one of four ways), and the customer's acceptance or
//! rejection with reasons. Everything follows `allowed_actions`.

use super::card::Card;
use super::contracts::money;
use crate::api::{ApiError, IdempotencyKey, fulfilment, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Input};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked, detail, status_badge};
use crate::components::problem::{FormError, issues};
use crate::components::upload::{FilesField, Uploaded, chosen_file};
use crate::format;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::invoices::{
    Invoice, InvoiceAction, InvoiceKind, InvoiceStatus, MarkPaid, NewInvoice,
};
use mezha_api_types::orders::{FileInfo, OrderAction, OrderStatus, Registration};
use mezha_api_types::results::{NewResult, OrderResult, ResultMethod, ResultStage};
use uuid::Uuid;

fn link(h: &mut Html, field: &str, label: &str, href: &str) {
    h.open(
        "div",
        &[("class", Some("detail")), ("data-field", Some(field))],
    );
    h.el("dt", &[], label).open("dd", &[]);
    h.el(
        "a",
        &[
            ("href", Some(href)),
            ("target", Some("_blank")),
            ("rel", Some("noopener noreferrer")),
        ],
        href,
    );
    h.close("dd").close("div");
}

fn file_button(h: &mut Html, f: &FileInfo) {
    let id = f.id.to_string();
    act_button(
        h,
        "file",
        &id,
        "download-file",
        Some("link"),
        false,
        &f.name,
    );
    h.text(" ");
}

fn invoices_html(items: &[Invoice], busy: bool) -> String {
    let c = t().contracts;
    let mut h = Html::new();
    if items.is_empty() {
        h.el("p", &[("class", Some("empty"))], c.invoices_empty);
        return h.finish();
    }
    h.open(
        "ul",
        &[
            ("class", Some("parties")),
            ("data-testid", Some("invoices")),
        ],
    );
    for i in items {
        let id = i.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("party")),
                ("data-testid", Some("invoice")),
                ("data-status", Some(i.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        let kind = match i.kind {
            InvoiceKind::Prepayment => c.kind_prepayment,
            InvoiceKind::Final => c.kind_final,
        };
        h.el("strong", &[], kind);
        let status = match i.status {
            InvoiceStatus::Sent => c.invoice_sent,
            InvoiceStatus::Paid => c.invoice_paid,
            InvoiceStatus::Confirmed => c.invoice_confirmed,
        };
        status_badge(&mut h, i.status.as_str(), status);
        h.close("div");
        h.open("dl", &[("class", Some("details"))]);
        detail(&mut h, "amount", c.amount, &money(i.amount_kopecks));
        if let Some(href) = &i.link {
            link(&mut h, "link", c.pay_link, href);
        }
        if let Some(href) = &i.receipt_link {
            link(&mut h, "receipt", c.receipt, href);
        }
        h.close("dl");
        for f in i.file.iter().chain(i.receipt_file.iter()) {
            file_button(&mut h, f);
        }
        if i.allowed_actions.contains(&InvoiceAction::ConfirmPayment) {
            act_button(
                &mut h,
                "confirm",
                &id,
                "confirm-payment",
                Some("primary"),
                busy,
                c.confirm_payment,
            );
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

fn results_html(items: &[OrderResult]) -> String {
    let c = t().contracts;
    let mut h = Html::new();
    if items.is_empty() {
        h.el("p", &[("class", Some("empty"))], c.results_empty);
        return h.finish();
    }
    h.open(
        "ul",
        &[("class", Some("parties")), ("data-testid", Some("results"))],
    );
    for r in items {
        h.open(
            "li",
            &[
                ("class", Some("party")),
                ("data-testid", Some("result")),
                ("data-stage", Some(r.stage.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        let stage = match r.stage {
            ResultStage::Results => c.stage_results,
            ResultStage::RegistrationOutcome => c.stage_registration,
        };
        h.el("strong", &[], stage);
        h.el(
            "small",
            &[("class", Some("hint"))],
            &format::time(r.created_at),
        );
        h.close("div");
        h.open("dl", &[("class", Some("details"))]);
        detail(&mut h, "method", c.method, method_name(r.method));
        if let Some(href) = &r.link {
            link(&mut h, "link", c.result_link, href);
        }
        if let Some(uin) = &r.uin {
            detail(&mut h, "uin", c.result_uin, uin);
        }
        if let Some(note) = &r.note {
            detail(&mut h, "note", c.result_note, note);
        }
        h.close("dl");
        for f in &r.files {
            file_button(&mut h, f);
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

fn method_name(m: ResultMethod) -> &'static str {
    let c = t().contracts;
    match m {
        ResultMethod::Physical => c.method_physical,
        ResultMethod::Files => c.method_files,
        ResultMethod::Link => c.method_link,
        ResultMethod::StorageUin => c.method_storage_uin,
    }
}

#[component]
pub fn Fulfilment(card: Card) -> impl IntoView {
    let invoices = RwSignal::new(Vec::<Invoice>::new());
    let results = RwSignal::new(Vec::<OrderResult>::new());
    let error = RwSignal::new(None::<ApiError>);
    let after_contract = move || {
        card.order.with(|o| {
            o.as_ref().is_some_and(|o| {
                !matches!(
                    o.status,
                    OrderStatus::Draft
                        | OrderStatus::ExecutorSelection
                        | OrderStatus::ContractSigning
                        | OrderStatus::Cancelled
                )
            })
        })
    };
    Effect::new(move |_| {
        if !card.order.with(Option::is_some) || !after_contract() {
            return;
        }
        let (auth, id) = (card.auth, card.id());
        spawn_local(async move {
            match fulfilment::invoices(auth, id).await {
                Ok(page) => invoices.set(page.items),
                Err(e) => error.set(Some(e)),
            }
            match fulfilment::results(auth, id).await {
                Ok(page) => results.set(page.items),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let on_click = click(move |ev: leptos::ev::MouseEvent| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else { return };
        let auth = card.auth;
        match act.as_str() {
            "confirm" => card.act(
                error,
                Box::pin(async move { fulfilment::confirm_payment(auth, id).await.map(drop) }),
            ),
            "file" => {
                let file = invoices
                    .with_untracked(|l| {
                        l.iter()
                            .flat_map(|i| i.file.iter().chain(i.receipt_file.iter()))
                            .find(|f| f.id == id)
                            .cloned()
                    })
                    .or_else(|| {
                        results.with_untracked(|l| {
                            l.iter()
                                .flat_map(|r| r.files.iter())
                                .find(|f| f.id == id)
                                .cloned()
                        })
                    });
                if let Some(file) = file {
                    spawn_local(async move {
                        if let Err(e) = orders::download(auth, &file).await {
                            error.set(Some(e));
                        }
                    });
                }
            }
            _ => {}
        }
    });
    let to_pay = Memo::new(move |_| {
        invoices.with(|l| {
            l.iter()
                .find(|i| i.allowed_actions.contains(&InvoiceAction::MarkPaid))
                .map(|i| i.id)
        })
    });
    let outcome = move || card.allows(OrderAction::SendRegistrationOutcome);
    view! {
        <section class="card" aria-labelledby="invoices-title" data-testid="payments" hidden=sig(move || !after_contract())>
            <h2 id="invoices-title">{tr(|s| s.contracts.invoices_title)}</h2>
            <div on:click=on_click.clone() inner_html=sig(move || invoices.with(|l| invoices_html(l, card.busy.get())))></div>
            <div hidden=sig(move || !card.allows(OrderAction::SendInvoice))><SendInvoice card=card/></div>
            {move || to_pay.get().map(|id| view! { <PayInvoice card=card id=id/> })}
            <FormError error=error/>
        </section>
        <section class="card" aria-labelledby="results-title" data-testid="deliveries" hidden=sig(move || !after_contract())>
            <h2 id="results-title">{tr(|s| s.contracts.results_title)}</h2>
            <div on:click=on_click inner_html=sig(move || results.with(|l| results_html(l)))></div>
            <div hidden=sig(move || !(card.allows(OrderAction::DeliverResults) || outcome()))>
                <Deliver card=card outcome=Signal::derive(outcome)/>
            </div>
            <Decide card=card/>
        </section>
        <super::acts::Acts card=card/>
        <div hidden=sig(move || !card.allows(OrderAction::Review))><ReviewForm card=card/></div>
    }
}

/// A link, or the file chosen in `file` uploaded now.
async fn link_or_file(
    card: Card,
    link: String,
    file: Option<web_sys::File>,
) -> Result<(Option<String>, Option<Uuid>), ApiError> {
    let link = Some(link.trim().to_owned()).filter(|l| !l.is_empty());
    let file_id = match file {
        Some(file) if link.is_none() => Some(orders::upload(card.auth, &file).await?.id),
        _ => None,
    };
    Ok((link, file_id))
}

#[component]
fn SendInvoice(card: Card) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let file = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |n| matches!(n, "link" | "file_id").then_some("link"),
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (auth, id) = (card.auth, card.id());
        let (text, chosen) = (link.get_untracked(), chosen_file(file));
        card.act(
            error,
            Box::pin(async move {
                let (link, file_id) = link_or_file(card, text, chosen).await?;
                let body = NewInvoice { link, file_id };
                fulfilment::send_invoice(auth, id, &body, key)
                    .await
                    .map(drop)
            }),
        );
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="send-invoice">
            <h3>{tr(|s| s.contracts.send_invoice_title)}</h3>
            <p class="hint">{tr(|s| s.contracts.send_invoice_hint)} " " {tr(|s| s.contracts.link_or_file_hint)}</p>
            <Input id="invoice-link" name="link" kind="url" label=|s| s.contracts.pay_link value=link issues=issues/>
            <div class="field">
                <label for="invoice-file">{tr(|s| s.contracts.invoice_file)}</label>
                <input type="file" id="invoice-file" node_ref=file/>
            </div>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.send_invoice_submit) busy=card.busy/>
        </form>
    }
}

#[component]
fn PayInvoice(card: Card, id: Uuid) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let file = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<ApiError>);
    let issues = issues(
        error,
        |n| matches!(n, "receipt_link" | "receipt_file_id").then_some("receipt_link"),
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let auth = card.auth;
        let (text, chosen) = (link.get_untracked(), chosen_file(file));
        card.act(
            error,
            Box::pin(async move {
                let (receipt_link, receipt_file_id) = link_or_file(card, text, chosen).await?;
                let body = MarkPaid {
                    receipt_link,
                    receipt_file_id,
                };
                fulfilment::mark_paid(auth, id, &body).await.map(drop)
            }),
        );
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="mark-paid">
            <p class="hint">{tr(|s| s.contracts.link_or_file_hint)}</p>
            <Input id="receipt-link" name="receipt_link" kind="url" label=|s| s.contracts.receipt_link value=link issues=issues/>
            <div class="field">
                <label for="receipt-file">{tr(|s| s.contracts.receipt_file)}</label>
                <input type="file" id="receipt-file" node_ref=file/>
            </div>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.mark_paid_submit) busy=card.busy/>
        </form>
    }
}

#[component]
fn Deliver(card: Card, outcome: Signal<bool>) -> impl IntoView {
    let method = RwSignal::new(ResultMethod::Link);
    let link = RwSignal::new(String::new());
    let uin = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Uploaded>::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |n| match n {
            "link" => Some("link"),
            "uin" => Some("uin"),
            "note" => Some("note"),
            "file_ids" => Some("file_ids"),
            _ => None,
        },
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = method.get_untracked();
        let given = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        let body = NewResult {
            method: m,
            link: given(link).filter(|_| m == ResultMethod::Link),
            uin: given(uin).filter(|_| m == ResultMethod::StorageUin),
            file_ids: if m == ResultMethod::Files {
                files.get_untracked().into_iter().map(|f| f.id).collect()
            } else {
                Vec::new()
            },
            note: given(note),
        };
        let (auth, id, outcome) = (card.auth, card.id(), outcome.get_untracked());
        card.act(
            error,
            Box::pin(async move {
                fulfilment::deliver(auth, id, outcome, &body, key).await?;
                files.set(Vec::new());
                Ok(())
            }),
        );
    };
    let shown = move |m: ResultMethod| sig(move || method.get() != m);
    // Where the engineer files the registration this order includes.
    let reference = crate::state::use_reference();
    reference.ensure(card.auth);
    let cabinets = move || {
        let registration = card.order.with(|o| o.as_ref().map(|o| o.registration));
        reference.data.with(|d| {
            let Some(c) = d.as_ref().map(|d| &d.registry_cabinets) else {
                return Vec::new();
            };
            let s = t().contracts;
            match registration {
                Some(Registration::Gku) => vec![(s.cabinet_gku, c.gku.clone())],
                Some(Registration::Grp) => vec![(s.cabinet_grp, c.grp.clone())],
                Some(Registration::Both) if c.gku == c.grp => {
                    vec![(s.cabinet_both, c.gku.clone())]
                }
                Some(Registration::Both) => vec![
                    (s.cabinet_gku, c.gku.clone()),
                    (s.cabinet_grp, c.grp.clone()),
                ],
                _ => Vec::new(),
            }
        })
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="deliver-results">
            <h3>{move || if outcome.get() { t().contracts.outcome_title } else { t().contracts.deliver_title }}</h3>
            <p class="hint" data-testid="registry-cabinets" hidden=sig(move || !outcome.get())>
                {move || cabinets().into_iter().map(|(label, href)| view! {
                    <a href=href target="_blank" rel="noopener noreferrer">{label}</a>" "
                }).collect_view()}
            </p>
            <div class="field">
                <label for="result-method">{tr(|s| s.contracts.method)}</label>
                <select id="result-method" on:change=move |ev| {
                    if let Ok(m) = event_target_value(&ev).parse() { method.set(m) }
                }>
                    {ResultMethod::ALL.iter().map(|m| {
                        let selected = *m == ResultMethod::Link;
                        view! { <option value=m.as_str() selected=selected>{method_name(*m)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div hidden=shown(ResultMethod::Link)>
                <Input id="result-link" name="link" kind="url" label=|s| s.contracts.result_link value=link issues=issues/>
            </div>
            <div hidden=shown(ResultMethod::StorageUin)>
                <Input id="result-uin" name="uin" label=|s| s.contracts.result_uin value=uin issues=issues/>
            </div>
            <div hidden=shown(ResultMethod::Files)>
                <FilesField id="result-files" name="file_ids" label=|s| s.contracts.result_files files=files issues=issues sizes=true/>
            </div>
            <Area id="result-note" name="note" label=|s| s.contracts.result_note value=note issues=issues/>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.deliver_submit) busy=card.busy/>
        </form>
    }
}

/// The customer's rating of the engineer, once the order is completed.
#[component]
fn ReviewForm(card: Card) -> impl IntoView {
    let rating = RwSignal::new(5u8);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |n| matches!(n, "text" | "rating").then_some("review-text"),
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (auth, id) = (card.auth, card.id());
        let body = mezha_api_types::reviews::NewReview {
            rating: rating.get_untracked(),
            text: Some(text.get_untracked().trim().to_owned()).filter(|t| !t.is_empty()),
        };
        card.act(
            error,
            Box::pin(async move { fulfilment::review(auth, id, &body, key).await }),
        );
    };
    view! {
        <form class="card party-form" on:submit=submit novalidate data-testid="review-form">
            <h2>{tr(|s| s.contracts.review_title)}</h2>
            <div class="field">
                <label for="review-rating">{tr(|s| s.contracts.review_rating)}</label>
                <select id="review-rating" on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse() { rating.set(n) }
                }>
                    {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=n == 5>{"★".repeat(usize::from(n))}</option> }).collect_view()}
                </select>
            </div>
            <Area id="review-text" name="review-text" label=|s| s.contracts.review_text value=text issues=issues/>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.review_submit) busy=card.busy/>
        </form>
    }
}

/// The customer's acceptance, or rejection with reasons.
#[component]
fn Decide(card: Card) -> impl IntoView {
    let reasons = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let issues = issues(error, |n| (n == "reasons").then_some("reasons"), |_| {});
    let accept = click(move |_| {
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { fulfilment::accept(auth, id).await.map(drop) }),
        );
    });
    let reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (auth, id) = (card.auth, card.id());
        let text = reasons.get_untracked().trim().to_owned();
        card.act(
            error,
            Box::pin(async move { fulfilment::reject(auth, id, text).await.map(drop) }),
        );
    };
    view! {
        <div hidden=sig(move || !card.allows(OrderAction::AcceptResults))>
            <button type="button" class="primary" data-testid="accept-results" disabled=card.busy on:click=accept>
                {tr(|s| s.contracts.accept)}
            </button>
        </div>
        <form class="party-form" on:submit=reject novalidate data-testid="reject-results"
            hidden=sig(move || !card.allows(OrderAction::RejectResults))>
            <h3>{tr(|s| s.contracts.reject_title)}</h3>
            <Area id="reject-reasons" name="reasons" label=|s| s.contracts.reject_reasons value=reasons issues=issues/>
            <Submit label=ts(|s| s.contracts.reject_submit) busy=card.busy/>
        </form>
        <FormError error=error/>
    }
}
