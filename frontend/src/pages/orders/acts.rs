//! The order card's act of completed works (docs/acts.md): its versions
//! with the amount, the completion day, the SHA-256 and the signatures;
//! for the executor the button that makes a version; for the party whose
//! turn it is, signing or (the customer) declining, as for the contract.
//! Buttons follow the server's `allowed_actions`.

use super::card::Card;
use super::contracts::{PdfPreview, Row, SignPanel, downloads, money, versions_html};
use crate::api::contracts::{self as api, Doc};
use crate::api::{ApiError, IdempotencyKey};
use crate::components::bind::{click, sig};
use crate::components::fields::Input;
use crate::components::form::Submit;
use crate::components::problem::{FormError, issues};
use crate::format;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::acts::{Act, NewAct};
use mezha_api_types::orders::{OrderAction, OrderStatus};

/// An act version as a row of the version list.
fn act_row(a: &Act) -> Row<'_> {
    let c = t().contracts;
    Row {
        id: a.id,
        number: format!("{} {}", c.version_prefix, a.number),
        status: a.status,
        hint: None,
        details: vec![
            ("price", c.price, money(a.amount_kopecks)),
            ("price-words", c.price_words, a.amount_in_words.clone()),
            (
                "completed-on",
                c.act_completed_on,
                format::date(a.completed_on),
            ),
        ],
        sha256: &a.document.sha256,
        declined_reason: a.declined_reason.as_deref(),
        signatures: &a.signatures,
        docx: true,
    }
}

#[component]
pub fn Acts(card: Card) -> impl IntoView {
    let versions = RwSignal::new(Vec::<Act>::new());
    let error = RwSignal::new(None::<ApiError>);
    // After the customer accepted the results.
    let closing = move || {
        card.order.with(|o| {
            o.as_ref().is_some_and(|o| {
                let status = match o.status {
                    OrderStatus::Suspended => o.suspended_from.unwrap_or(o.status),
                    s => s,
                };
                matches!(
                    status,
                    OrderStatus::Registration | OrderStatus::Payment | OrderStatus::Completed
                )
            })
        })
    };
    // Again whenever the order changes (a signature may complete it).
    Effect::new(move |_| {
        if !card.order.with(Option::is_some) || !closing() {
            return;
        }
        let (auth, id) = (card.auth, card.id());
        spawn_local(async move {
            match api::acts(auth, id).await {
                Ok(page) => versions.set(page.items),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let number_of =
        move |id| versions.with_untracked(|l| l.iter().find(|v| v.id == id).map(|v| v.number));
    let preview = RwSignal::new(None::<String>);
    let download = click(downloads(card, Doc::Act, number_of, error, preview));
    let current = Memo::new(move |_| {
        versions.with(|l| {
            l.iter()
                .rev()
                .find(|v| !v.allowed_actions.is_empty())
                .cloned()
        })
    });
    view! {
        <section class="card" aria-labelledby="acts-title" data-testid="acts" hidden=sig(move || !closing())>
            <h2 id="acts-title">{tr(|s| s.contracts.acts_title)}</h2>
            <p class="hint">{tr(|s| s.contracts.acts_hint)}</p>
            <div on:click=download inner_html=sig(move || versions.with(|l| {
                let rows: Vec<Row> = l.iter().map(act_row).collect();
                versions_html(Doc::Act, &rows, card.busy.get())
            }))></div>
            <PdfPreview doc=Doc::Act url=preview/>
            <div hidden=sig(move || !card.allows(OrderAction::CreateAct))><MakeAct card=card/></div>
            <FormError error=error/>
        </section>
        {move || current.get().map(|v| view! {
            <SignPanel card=card doc=Doc::Act id=v.id number=v.number allowed=v.allowed_actions/>
        })}
    }
}

/// The executor makes a new version of the act, with the completion day
/// (today when left empty).
#[component]
fn MakeAct(card: Card) -> impl IntoView {
    let completed_on = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |n| (n == "completed_on").then_some("completed_on"),
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (auth, id) = (card.auth, card.id());
        let day = completed_on.get_untracked();
        let body = NewAct {
            completed_on: chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok(),
        };
        card.act(
            error,
            Box::pin(async move { api::create_act(auth, id, &body, key).await.map(drop) }),
        );
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="act-new">
            <Input id="act-completed-on" name="completed_on" kind="date"
                label=|s| s.contracts.act_completed_on hint=|s| s.contracts.act_completed_on_hint
                value=completed_on issues=issues/>
            <FormError error=error/>
            <Submit label=ts(|s| s.contracts.act_make_submit) busy=card.busy/>
        </form>
    }
}
