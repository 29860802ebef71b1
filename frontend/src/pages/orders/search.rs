//! The engineers' order search (`/orders/search`): the full filter panel,
//! the sort switch, results and "Load more". The filters live in the
//! address, so a search can be bookmarked and "back" restores it.

use super::list::Paged;
use crate::api::{ApiError, orders, query_string};
use crate::components::bind::{click, sig};
use crate::components::fields::{Check, CheckGroup, Choice, Input, Segments};
use crate::components::problem::no_issues;
use crate::components::status::{AuthGate, ErrorBox, signed_in};
use crate::session::Auth;
use crate::state::{Pick, t, tr, use_reference};
use futures_util::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use mezha_api_types::orders::{OrderList, OrderSearchQuery, SearchSort};

/// The filter panel's inputs.
#[derive(Clone, Copy)]
struct Filters {
    region: RwSignal<String>,
    address: RwSignal<String>,
    number: RwSignal<String>,
    deadline_until: RwSignal<String>,
    deadline_days_max: RwSignal<String>,
    without_responses: RwSignal<bool>,
    with_prepayment: RwSignal<bool>,
    with_price: RwSignal<bool>,
    customer_types: RwSignal<Vec<String>>,
    work_types: RwSignal<Vec<String>>,
    /// `newest` or `urgency`.
    sort: RwSignal<String>,
}

fn text(value: String) -> Option<String> {
    let value = value.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

fn list(values: Vec<String>) -> Option<String> {
    (!values.is_empty()).then(|| values.join(","))
}

fn split(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `newest` is the default and stays out of the address.
fn sort_of(value: &str) -> Option<SearchSort> {
    value.parse().ok().filter(|s| *s != SearchSort::Newest)
}

impl Filters {
    fn new() -> Self {
        Filters {
            region: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
            deadline_until: RwSignal::new(String::new()),
            deadline_days_max: RwSignal::new(String::new()),
            without_responses: RwSignal::new(false),
            with_prepayment: RwSignal::new(false),
            with_price: RwSignal::new(false),
            customer_types: RwSignal::new(Vec::new()),
            work_types: RwSignal::new(Vec::new()),
            sort: RwSignal::new(String::new()),
        }
    }

    /// The query of the current inputs (what does not parse is left out).
    fn query(&self) -> OrderSearchQuery {
        OrderSearchQuery {
            region_code: text(self.region.get_untracked()),
            address: text(self.address.get_untracked()),
            number: self.number.get_untracked().trim().parse().ok(),
            deadline_until: self.deadline_until.get_untracked().parse().ok(),
            deadline_days_max: self.deadline_days_max.get_untracked().trim().parse().ok(),
            without_responses: self.without_responses.get_untracked().then_some(true),
            with_prepayment: self.with_prepayment.get_untracked().then_some(true),
            with_price: self.with_price.get_untracked().then_some(true),
            customer_types: list(self.customer_types.get_untracked()),
            work_types: list(self.work_types.get_untracked()),
            sort: sort_of(&self.sort.get_untracked()),
            page: Default::default(),
        }
    }

    /// Fills the inputs from the address and returns its query.
    fn fill_from(&self, q: &ParamsMap) -> OrderSearchQuery {
        let value = |name: &str| q.get(name).unwrap_or_default();
        let flag = |name: &str| value(name) == "true";
        self.region.set(value("region_code"));
        self.address.set(value("address"));
        self.number.set(value("number"));
        self.deadline_until.set(value("deadline_until"));
        self.deadline_days_max.set(value("deadline_days_max"));
        self.without_responses.set(flag("without_responses"));
        self.with_prepayment.set(flag("with_prepayment"));
        self.with_price.set(flag("with_price"));
        self.customer_types.set(split(q.get("customer_types")));
        self.work_types.set(split(q.get("work_types")));
        let sort = sort_of(&value("sort")).unwrap_or(SearchSort::Newest);
        self.sort.set(sort.as_str().to_owned());
        self.query()
    }
}

fn fetch_search(
    auth: Auth,
    mut query: OrderSearchQuery,
    cursor: Option<String>,
) -> LocalBoxFuture<'static, Result<OrderList, ApiError>> {
    query.page.cursor = cursor;
    Box::pin(async move { orders::search(auth, &query).await })
}

const SORTS: &[(&str, Pick)] = &[
    ("newest", |s| s.orders.sort_newest),
    ("urgency", |s| s.orders.sort_urgency),
];

#[component]
pub fn OrderSearch() -> impl IntoView {
    let shown = signed_in();
    let reference = use_reference();
    let address = use_query_map();
    let navigate = use_navigate();
    let f = Filters::new();
    let results = Paged::new();
    let applied = StoredValue::new(OrderSearchQuery::default());

    Effect::new(move |_| {
        if !shown.get() {
            return;
        }
        let q = address.with(|a| f.fill_from(a));
        applied.set_value(q);
        results.load(applied, false, fetch_search);
    });
    // Goes to the address of `q` (which loads it), or reloads when unchanged.
    let go = move |q: OrderSearchQuery| {
        if q == applied.get_value() {
            results.load(applied, false, fetch_search);
        } else {
            navigate(
                &format!("/orders/search{}", query_string(&q)),
                Default::default(),
            );
        }
    };
    let (go_reset, go_sort) = (go.clone(), go.clone());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(f.query());
    };
    let reset = click(move |_| {
        go_reset(OrderSearchQuery {
            sort: sort_of(&f.sort.get_untracked()),
            ..Default::default()
        });
    });
    // The sort applies at once, to the filters last applied.
    Effect::new(move |_| {
        let sort = sort_of(&f.sort.get());
        let mut q = applied.get_value();
        if q.sort != sort {
            q.sort = sort;
            go_sort(q);
        }
    });

    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get())>
            <h1>{tr(|s| s.orders.search_title)}</h1>
            {move || reference.error.get().map(|_| view! { <ErrorBox message=Signal::derive(move || t().orders.reference_failed.to_owned())/> })}
            <div class="search-layout">
                <form class="filters search-filters" on:submit=apply role="search" aria-label=tr(|s| s.orders.filters) data-testid="search-filters">
                    <Choice id="search-region" label=|s| s.orders.region value=f.region
                        options=Signal::derive(move || reference.region_options())
                        issues=no_issues() blank=|s| s.orders.any_region/>
                    <Input id="search-address" label=|s| s.orders.address_contains value=f.address issues=no_issues()/>
                    <Input id="search-number" numeric=true label=|s| s.orders.number value=f.number issues=no_issues()/>
                    <Input id="search-deadline-until" kind="date" label=|s| s.orders.deadline_until value=f.deadline_until issues=no_issues()/>
                    <Input id="search-deadline-days" numeric=true label=|s| s.orders.deadline_days_max value=f.deadline_days_max issues=no_issues()/>
                    <div class="field checks">
                        <Check id="search-without-responses" label=|s| s.orders.without_responses checked=f.without_responses/>
                        <Check id="search-with-prepayment" label=|s| s.orders.with_prepayment checked=f.with_prepayment/>
                        <Check id="search-with-price" label=|s| s.orders.with_price checked=f.with_price/>
                    </div>
                    <CheckGroup id="search-customer" legend=|s| s.orders.customer_types
                        options=Signal::derive(move || vec![
                            ("person".to_owned(), t().orders.customers_person.to_owned()),
                            ("sole_proprietor".to_owned(), t().orders.customers_sole_proprietor.to_owned()),
                            ("legal".to_owned(), t().orders.customers_legal.to_owned()),
                        ])
                        chosen=f.customer_types issues=no_issues()/>
                    <CheckGroup id="search-work" legend=|s| s.orders.work_types
                        options=Signal::derive(move || reference.work_type_options())
                        chosen=f.work_types issues=no_issues()/>
                    <div class="filter-buttons">
                        <button type="submit" class="primary" id="search-apply" data-testid="search-apply">{tr(|s| s.orders.apply)}</button>
                        <button type="button" id="search-reset" data-testid="search-reset" on:click=reset>{tr(|s| s.orders.reset)}</button>
                    </div>
                </form>
                <div class="search-results">
                    <div class="sort" data-testid="search-sort">
                        <span class="sort-label">{tr(|s| s.orders.sort)}": "</span>
                        <Segments name="sort" label=|s| s.orders.sort value=f.sort options=SORTS/>
                    </div>
                    {results.view(
                        |_| t().orders.search_empty,
                        Signal::derive(|| false),
                        Callback::new(move |_| results.load(applied, false, fetch_search)),
                        Callback::new(move |_| results.load(applied, true, fetch_search)),
                    )}
                </div>
            </div>
        </section>
    }
}
