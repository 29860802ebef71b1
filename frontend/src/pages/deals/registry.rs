//! The last steps of a deal: the statements (forming them, after a clear
//! warning that the deal then freezes; their signatures; sending), the
//! registry (the state fee by its UIN and "Mark paid", or paid
//! automatically; the registry's answers with their times and messages,
//! asked again every few seconds while it works; copying a refused deal),
//! and the history.

use super::card::{DealCard, Tab};
use super::documents::{document_clicks, documents_html};
use super::signatures::SignMatrix;
use super::{DealError, badge};
use crate::api::{ApiError, deals};
use crate::components::bind::{click, sig};
use crate::components::html::Html;
use crate::components::problem::explain;
use crate::components::status::ErrorBox;
use crate::format;
use crate::state::{t, tr};
use leptos::prelude::*;
use mezha_api_types::deals::{
    Deal, DealAction, DealDocumentKind, DealHistoryEntry, DealRegistryStatus, DealStatus,
    RegistryStatus,
};

#[component]
pub fn StatementsStep(card: DealCard) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let confirming = RwSignal::new(false);
    let status = sig(move || card.status());
    let draft = sig(move || status.get() == Some(DealStatus::Draft));
    let formed = sig(move || {
        card.deal.with(|d| {
            d.as_ref().is_some_and(|d| {
                d.documents
                    .iter()
                    .any(|x| x.kind == DealDocumentKind::Statement)
            })
        })
    });
    let form = click(move |_| {
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { deals::form_statements(auth, id).await }),
            move || {
                let _ = confirming.try_set(false);
            },
        );
    });
    let send = click(move |_| {
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { deals::send(auth, id).await }),
            move || {
                let _ = card.tab.try_set(Tab::Registry);
                card.reload();
            },
        );
    });
    let statements = sig(move || {
        card.deal.with(|d| {
            d.as_ref()
                .map(|d| documents_html(d, DealDocumentKind::Statement, false, false))
                .unwrap_or_default()
        })
    });
    let where_now = sig(move || match status.get() {
        Some(DealStatus::Draft) => None,
        Some(DealStatus::Statements) => Some(t().deals.statements_frozen),
        Some(DealStatus::Ready) => Some(t().deals.ready_hint),
        Some(_) => Some(t().deals.sent_hint),
        None => None,
    });
    view! {
        <section class="deal-step" data-testid="deal-statements">
            <h2>{tr(|s| s.deals.statements_title)}</h2>
            <div hidden=sig(move || !draft.get())>
                <div class="notice" data-testid="freeze-warning">
                    <p><strong>{tr(|s| s.deals.freeze_title)}</strong></p>
                    <p>{tr(|s| s.deals.freeze_text)}</p>
                </div>
                <p class="hint" hidden=sig(move || card.allows(DealAction::FormStatements))>
                    {tr(|s| s.deals.form_blocked)}
                </p>
                <div class="actions order-actions"
                    hidden=sig(move || !card.allows(DealAction::FormStatements) || confirming.get())>
                    <button type="button" class="primary" data-testid="form-statements" on:click=move |_| confirming.set(true)>
                        {tr(|s| s.deals.form_statements)}
                    </button>
                </div>
                <div class="confirm" data-testid="form-confirm" hidden=sig(move || !confirming.get())>
                    <p>{tr(|s| s.deals.form_confirm)}</p>
                    <div class="actions">
                        <button type="button" class="primary" data-testid="form-statements-yes" disabled=card.busy on:click=form>
                            {tr(|s| s.deals.form_yes)}
                        </button>
                        <button type="button" on:click=move |_| confirming.set(false)>{tr(|s| s.deals.cancel)}</button>
                    </div>
                </div>
            </div>
            <p class="notice" data-testid="statements-state" hidden=sig(move || where_now.with(Option::is_none))>
                {sig(move || where_now.get().unwrap_or_default())}
            </p>
            <div hidden=sig(move || !formed.get())>
                <ul class="parties" data-testid="statement-list" inner_html=statements on:click=document_clicks(card, error)></ul>
                <h3>{tr(|s| s.deals.statement_signatures)}</h3>
                <SignMatrix card=card kind=DealDocumentKind::Statement/>
            </div>
            <div class="actions order-actions" hidden=sig(move || !card.allows(DealAction::Send))>
                <button type="button" class="primary" data-testid="deal-send" disabled=card.busy on:click=send>
                    {tr(|s| s.deals.send)}
                </button>
            </div>
            <DealError error=error/>
        </section>
    }
}

fn fee_html(deal: &Deal) -> String {
    let d = t().deals;
    let mut h = Html::new();
    let Some(fee) = &deal.fee else {
        return h.finish();
    };
    h.open("dl", &[("class", Some("details"))]);
    let detail = |h: &mut Html, field: &str, label: &str, value: &str| {
        h.open(
            "div",
            &[
                ("class", Some("detail")),
                ("data-field", Some(field)),
                ("data-testid", Some(field)),
            ],
        );
        h.el("dt", &[], label).el("dd", &[], value);
        h.close("div");
    };
    detail(
        &mut h,
        "fee-amount",
        d.fee_amount,
        &format::money(fee.amount_kopecks),
    );
    if let Some(uin) = &fee.uin {
        detail(&mut h, "fee-uin", d.fee_uin, uin);
    }
    let state = match (fee.automatic, fee.paid_at) {
        (true, _) => d.fee_automatic.to_owned(),
        (false, Some(at)) => format!("{} {}", d.fee_paid, format::time(at)),
        (false, None) => d.fee_unpaid.to_owned(),
    };
    detail(&mut h, "fee-state", d.fee_state, &state);
    h.close("dl");
    h.finish()
}

fn events_html(status: &DealRegistryStatus) -> String {
    let d = t().deals;
    let mut h = Html::new();
    h.open(
        "ol",
        &[
            ("class", Some("timeline")),
            ("data-testid", Some("registry-events")),
        ],
    );
    for e in &status.events {
        h.open(
            "li",
            &[
                ("data-testid", Some("registry-event")),
                ("data-status", Some(e.status.as_str())),
            ],
        );
        h.el("time", &[], &format::time(e.at));
        h.open("div", &[("class", Some("what"))]);
        let code = e.status.as_str();
        crate::components::html::status_badge(&mut h, code, d.registry_status(e.status));
        h.close("div");
        if let Some(message) = &e.message {
            h.el("p", &[("class", Some("comment"))], message);
        }
        h.el(
            "small",
            &[("class", Some("hint"))],
            &format!("{} {}", d.learned_at, format::time(e.received_at)),
        );
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

#[component]
pub fn RegistryStep(card: DealCard) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let pay = click(move |_| {
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { deals::pay_fee(auth, id).await }),
            move || card.reload(),
        );
    });
    let fee = sig(move || {
        card.deal
            .with(|d| d.as_ref().map(fee_html).unwrap_or_default())
    });
    let has_fee = sig(move || {
        card.deal
            .with(|d| d.as_ref().is_some_and(|d| d.fee.is_some()))
    });
    let unpaid = sig(move || {
        card.deal.with(|d| {
            d.as_ref()
                .and_then(|d| d.fee.as_ref())
                .is_some_and(|f| !f.automatic && f.paid_at.is_none())
        })
    });
    let events = sig(move || {
        card.registry.with(|r| match r {
            Some(Ok(status)) => events_html(status),
            _ => String::new(),
        })
    });
    let failed = sig(move || {
        card.registry.with(|r| match r {
            Some(Err(e)) => Some(explain(e)),
            _ => None,
        })
    });
    let gave_up = sig(move || {
        card.registry
            .with(|r| r.as_ref().and_then(|r| r.as_ref().ok()?.error.clone()))
    });
    let no_events = sig(move || {
        card.registry
            .with(|r| matches!(r, Some(Ok(s)) if s.events.is_empty()))
    });
    let sent = sig(move || {
        card.deal.with(|d| {
            d.as_ref().is_some_and(|d| {
                !matches!(
                    d.status,
                    DealStatus::Draft | DealStatus::Statements | DealStatus::Ready
                )
            })
        })
    });
    let live = sig(move || card.status().is_some_and(super::at_registry));
    let refused = sig(move || card.status() == Some(DealStatus::Refused));
    // The registry's own words for its refusal, from its last answer.
    let refusal = sig(move || {
        card.registry.with(|r| {
            let events = &r.as_ref()?.as_ref().ok()?.events;
            events
                .iter()
                .rev()
                .find(|e| e.status == RegistryStatus::Refused)
                .and_then(|e| e.message.clone())
        })
    });
    let status_html = sig(move || {
        card.status()
            .map(|s| {
                let mut h = Html::new();
                badge(&mut h, s);
                h.finish()
            })
            .unwrap_or_default()
    });
    view! {
        <section class="deal-step" data-testid="deal-registry">
            <h2>{tr(|s| s.deals.registry_title)}</h2>
            <p class="hint" hidden=sig(move || sent.get())>{tr(|s| s.deals.not_sent)}</p>
            <div hidden=sig(move || !sent.get())>
                <p>{tr(|s| s.deals.deal_status)} ": " <span data-testid="deal-status" inner_html=status_html></span></p>
                <p class="hint" data-testid="registry-live" hidden=sig(move || !live.get())>{tr(|s| s.deals.live_hint)}</p>
                <div class="notice" data-testid="deal-refused" hidden=sig(move || !refused.get())>
                    <p hidden=sig(move || refusal.with(Option::is_none))>
                        <strong>{tr(|s| s.deals.refusal_reason)} ": "</strong>
                        <span data-testid="refusal-reason">{sig(move || refusal.get().unwrap_or_default())}</span>
                    </p>
                    <p>{tr(|s| s.deals.refused_hint)}</p>
                </div>
                <div class="subsection" data-testid="deal-fee" hidden=sig(move || !has_fee.get())>
                    <h3>{tr(|s| s.deals.fee_title)}</h3>
                    <div inner_html=fee></div>
                    <p class="hint" hidden=sig(move || !unpaid.get())>{tr(|s| s.deals.fee_hint)}</p>
                    <button type="button" class="primary" data-testid="fee-pay"
                        hidden=sig(move || !card.allows(DealAction::PayFee)) disabled=card.busy on:click=pay>
                        {tr(|s| s.deals.fee_mark_paid)}
                    </button>
                </div>
                <div class="subsection">
                    <h3>{tr(|s| s.deals.events_title)}</h3>
                    {move || failed.get().map(|m| view! { <ErrorBox message=m/> })}
                    <p class="error" data-testid="registry-error" hidden=sig(move || gave_up.with(Option::is_none))>
                        {tr(|s| s.deals.gave_up)} " " {sig(move || gave_up.get().unwrap_or_default())}
                    </p>
                    <p class="empty" hidden=sig(move || !no_events.get())>{tr(|s| s.deals.no_events)}</p>
                    <div inner_html=events></div>
                </div>
            </div>
            <DealError error=error/>
        </section>
    }
}

fn history_html(items: &[DealHistoryEntry]) -> String {
    let d = t().deals;
    let mut h = Html::new();
    h.open(
        "ol",
        &[
            ("class", Some("timeline")),
            ("data-testid", Some("deal-history")),
        ],
    );
    for e in items {
        h.open(
            "li",
            &[
                ("data-testid", Some("history-entry")),
                ("data-action", Some(e.action.as_str())),
            ],
        );
        h.el("time", &[], &format::time(e.at));
        h.open("div", &[("class", Some("what"))]);
        h.el("strong", &[], d.action(e.action));
        if e.from_status != Some(e.to_status) {
            if let Some(from) = e.from_status {
                badge(&mut h, from);
                h.text("→");
            }
            badge(&mut h, e.to_status);
        }
        h.close("div");
        if let Some(message) = &e.message {
            h.el("p", &[("class", Some("comment"))], message);
        }
        if e.actor_id.is_none() {
            let by = if e.action.as_str().starts_with("registry_") {
                d.by_registry
            } else {
                d.by_platform
            };
            h.el("small", &[("class", Some("hint"))], by);
        }
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

#[component]
pub fn HistoryStep(card: DealCard) -> impl IntoView {
    let html = sig(move || {
        card.history.with(|h| match h {
            Some(Ok(items)) => history_html(items),
            _ => String::new(),
        })
    });
    let failed = sig(move || {
        card.history.with(|h| match h {
            Some(Err(e)) => Some(explain(e)),
            _ => None,
        })
    });
    view! {
        <section class="deal-step" data-testid="deal-history-step">
            <h2>{tr(|s| s.deals.history_title)}</h2>
            <p class="status" hidden=sig(move || card.history.with(Option::is_some))>{tr(|s| s.loading)}</p>
            {move || failed.get().map(|m| view! { <ErrorBox message=m/> })}
            <div inner_html=html></div>
        </section>
    }
}
