//! The deal list (`/deals`, a member of a confirmed organisation with a
//! right on deals): the status filter, each deal's number, title, cadastral
//! number, status and dates linking to its card, "Load more"; "New deal"
//! (its title, then the card) for a member with `create_deals`.

use super::badge;
use crate::api::{ApiError, IdempotencyKey, deals};
use crate::components::bind::{click, sig};
use crate::components::fields::{Choice, Input, non_blank};
use crate::components::form::Submit;
use crate::components::html::Html;
use crate::components::problem::{FormError, issues, no_issues};
use crate::components::status::{AuthGate, Load, LoadStatus, signed_in};
use crate::format;
use crate::pages::organisations::{Managed, ManagedStatus};
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::deals::{DealList, DealStatus, DealSummary, DealsQuery, NewDeal};
use mezha_api_types::organisations::OrgRight;
use mezha_api_types::page::PageQuery;
use uuid::Uuid;

/// The rights that give a member something to do with deals.
const DEAL_RIGHTS: &[OrgRight] = &[
    OrgRight::CreateDeals,
    OrgRight::SendToRegistry,
    OrgRight::SeeAllDeals,
];

#[component]
pub fn DealsPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="deals-page">
            <h1>{tr(|s| s.deals.title)}</h1>
            {move || shown.get().then(|| view! { <Deals/> })}
        </section>
    }
}

#[component]
fn Deals() -> impl IntoView {
    let managed = Managed::with_rights(DEAL_RIGHTS);
    managed.load();
    let org = managed.working();
    let chosen = Memo::new(move |_| {
        org.with(|o| {
            o.as_ref()
                .map(|o| (o.id, o.my_rights.contains(&OrgRight::CreateDeals)))
        })
    });
    view! {
        <ManagedStatus managed=managed/>
        {move || chosen.get().map(|(id, may_create)| view! {
            {may_create.then(|| view! { <NewDealForm org=id/> })}
            <List org=id/>
        })}
    }
}

fn deals_html(items: &[DealSummary]) -> String {
    let d = t().deals;
    let mut h = Html::new();
    for x in items {
        let id = x.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("deal")),
                ("data-deal-id", Some(&id)),
                ("data-status", Some(x.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        h.span("order-number", &format!("№\u{a0}{}", x.number));
        h.el(
            "a",
            &[
                ("class", Some("order-title")),
                ("href", Some(&format!("/deals/{id}"))),
                ("data-testid", Some("deal-link")),
            ],
            &x.title,
        );
        badge(&mut h, x.status);
        h.close("div");
        h.open("div", &[("class", Some("order-meta"))]);
        let cadastral = x.cadastral_number.as_deref().unwrap_or(d.not_given);
        h.el(
            "span",
            &[("data-testid", Some("deal-cadastral"))],
            &format!("{}: {cadastral}", d.cadastral_number),
        );
        h.el(
            "span",
            &[],
            &format!("{} {}", d.created, format::day(x.created_at)),
        );
        h.el(
            "span",
            &[],
            &format!("{} {}", d.updated, format::time(x.updated_at)),
        );
        h.close("div").close("li");
    }
    h.finish()
}

/// The filter and the list of organisation `org`'s deals.
#[component]
fn List(org: Uuid) -> impl IntoView {
    let auth = use_auth();
    let status = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<DealSummary>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Load::Loading);
    let more_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // Which request is the latest: the answer of a filter left is dropped.
    let generation = StoredValue::new(0u32);
    let query = move |cursor: Option<String>| DealsQuery {
        organisation_id: Some(org),
        status: status.get_untracked().parse().ok(),
        page: PageQuery {
            limit: None,
            cursor,
        },
    };
    let take = move |n: u32, result: Result<DealList, ApiError>, append: bool| {
        if generation.try_get_value() != Some(n) {
            return;
        }
        match result {
            Ok(page) => {
                let _ = items.try_update(|all| {
                    if !append {
                        all.clear();
                    }
                    all.extend(page.items);
                });
                let _ = next.try_set(page.next_cursor);
                let _ = state.try_set(Load::Ready);
            }
            Err(e) if append => {
                let _ = more_error.try_set(Some(e));
            }
            Err(e) => {
                let _ = state.try_set(Load::Failed(e));
            }
        }
        let _ = busy.try_set(false);
    };
    let first = Callback::new(move |_| {
        let n = generation.get_value() + 1;
        generation.set_value(n);
        state.set(Load::Loading);
        items.set(Vec::new());
        next.set(None);
        let q = query(None);
        spawn_local(async move { take(n, deals::list(auth, &q).await, false) });
    });
    first.run(());
    let more = click(move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        let n = generation.get_value();
        busy.set(true);
        more_error.set(None);
        let q = query(Some(cursor));
        spawn_local(async move { take(n, deals::list(auth, &q).await, true) });
    });
    let options = Signal::derive(|| {
        DealStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), t().deals.status(*s).to_owned()))
            .collect::<Vec<_>>()
    });
    let empty_text = move || {
        if status.with(String::is_empty) {
            t().deals.empty
        } else {
            t().deals.nothing_found
        }
    };
    view! {
        <div class="filters" data-testid="deal-filter" on:change=move |_| first.run(())>
            <Choice id="deal-status" label=|s| s.deals.status_filter value=status options=options
                issues=no_issues() blank=|s| s.deals.all_statuses/>
        </div>
        <LoadStatus state=state retry=first/>
        <ul class="orders" data-testid="deal-list" inner_html=sig(move || items.with(|i| deals_html(i)))></ul>
        <p class="empty" data-testid="deals-empty" hidden=sig(move || !state.get().is_ready() || !items.with(Vec::is_empty))>
            {empty_text}
        </p>
        <FormError error=more_error/>
        <button type="button" data-testid="deals-more" hidden=sig(move || next.with(Option::is_none))
            disabled=busy on:click=more>
            {move || if busy.get() { t().loading } else { t().deals.load_more }}
        </button>
    }
}

/// "New deal": its title; the card opens for the rest.
#[component]
fn NewDealForm(org: Uuid) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let key = IdempotencyKey::new();
    // Pressed with an empty title: said beside the field, nothing sent.
    let tried = RwSignal::new(false);
    let issues = issues(
        error,
        |n| (n == "title").then_some("title"),
        move |found| {
            if tried.get() && title.with(|t| t.trim().is_empty()) {
                found.push(("title", t().errors.required.to_owned()));
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let Some(text) = non_blank(title.get_untracked()) else {
            return;
        };
        let body = NewDeal {
            organisation_id: Some(org),
            title: text,
            object: Default::default(),
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match deals::create(auth, &body, key).await {
                Ok(deal) => navigate(&format!("/deals/{}", deal.id), Default::default()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <form class="search" on:submit=submit novalidate data-testid="deal-new">
            <Input id="deal-new-title" name="title" required=true label=|s| s.deals.new_title
                hint=|s| s.deals.new_title_hint value=title issues=issues/>
            <Submit label=ts(|s| s.deals.create) busy=busy/>
        </form>
        <FormError error=error/>
    }
}
