//! "My orders": the caller's orders in the acting role, with a status
//! filter and a text query (kept in the address: `/orders?status=…&q=…`,
//! so "back" from a card restores them) and "Load more".

use super::order_rows;
use crate::api::{ApiError, orders, query_string};
use crate::components::bind::{click, sig};
use crate::components::fields::{Choice, Input};
use crate::components::problem::{explain, no_issues};
use crate::components::status::{AuthGate, ErrorBox, signed_in};
use crate::session::{Auth, use_auth};
use crate::state::{t, tr, use_reference};
use futures_util::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::Role;
use mezha_api_types::orders::{MyOrdersQuery, OrderList, OrderStatus, OrderSummary};

/// Starts the request of one page: the query, with the cursor of the page.
pub type Fetch<Q> =
    fn(Auth, Q, Option<String>) -> LocalBoxFuture<'static, Result<OrderList, ApiError>>;

/// A list that pages with a cursor; shared with the order search.
#[derive(Clone, Copy)]
pub struct Paged {
    auth: Auth,
    pub items: RwSignal<Vec<OrderSummary>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Which request is the latest: older answers are dropped.
    generation: StoredValue<u32>,
}

impl Paged {
    pub fn new() -> Self {
        Paged {
            auth: use_auth(),
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loading: RwSignal::new(true),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Starts a request; `append` adds to the list instead of replacing it.
    fn begin(&self, append: bool) -> u32 {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.loading.set(true);
        self.error.set(None);
        if !append {
            self.items.set(Vec::new());
            self.next.set(None);
        }
        generation
    }

    /// Takes an answer of request `generation`.
    fn finish(&self, generation: u32, result: Result<OrderList, ApiError>) {
        // A newer request was made, or the page is gone (left while the
        // answer was on its way): nothing to show it in.
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        match result {
            Ok(page) => {
                self.items.update(|items| items.extend(page.items));
                self.next.set(page.next_cursor);
            }
            Err(e) => self.error.set(Some(e)),
        }
        self.loading.set(false);
    }

    /// Loads the first page (or the next one with `append`) of `query`
    /// with `fetch` (`orders::list` or `orders::search`).
    pub fn load<Q: Clone + Send + Sync + 'static>(
        self,
        query: StoredValue<Q>,
        append: bool,
        fetch: Fetch<Q>,
    ) {
        let cursor = if append {
            self.next.get_untracked()
        } else {
            None
        };
        let generation = self.begin(append);
        let future = fetch(self.auth, query.get_value(), cursor);
        spawn_local(async move {
            let result = future.await;
            self.finish(generation, result);
        });
    }

    /// The list, its empty/error/loading states and "Load more".
    pub fn view(
        self,
        empty: fn(bool) -> &'static str,
        filtered: Signal<bool>,
        retry: Callback<()>,
        more: Callback<()>,
    ) -> impl IntoView {
        let reference = use_reference();
        let idle = move || !self.loading.get() && self.error.with(Option::is_none);
        view! {
            <ul class="orders" data-testid="order-list" aria-busy=sig(move || self.loading.get().to_string())
                inner_html=sig(move || self.items.with(|items| order_rows(items, reference)))></ul>
            {move || self.error.get().map(|e| view! { <ErrorBox message=explain(&e) retry=retry/> })}
            <p class="status" role="status" hidden=sig(move || !self.loading.get())>{tr(|s| s.loading)}</p>
            <p class="empty" data-testid="order-list-empty" hidden=sig(move || !(idle() && self.items.with(Vec::is_empty)))>
                {sig(move || empty(filtered.get()))}
            </p>
            <p class="actions" hidden=sig(move || !(idle() && self.next.with(Option::is_some)))>
                <button type="button" id="load-more" data-testid="load-more" on:click=click(move |_| more.run(()))>
                    {tr(|s| s.orders.load_more)}
                </button>
            </p>
        }
    }
}

fn fetch_mine(
    auth: Auth,
    mut query: MyOrdersQuery,
    cursor: Option<String>,
) -> LocalBoxFuture<'static, Result<OrderList, ApiError>> {
    query.page.cursor = cursor;
    Box::pin(async move { orders::list(auth, &query).await })
}

fn status_options() -> Vec<(String, String)> {
    OrderStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), t().status(*s).to_owned()))
        .collect()
}

#[component]
pub fn MyOrders() -> impl IntoView {
    let auth = use_auth();
    let shown = signed_in();
    let query = use_query_map();
    let navigate = use_navigate();
    let status = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let list = Paged::new();
    let applied = StoredValue::new(MyOrdersQuery::default());
    let filtered = RwSignal::new(false);

    // The address holds the filters: fill the form from it and load (again
    // when the acting role changes).
    Effect::new(move |_| {
        let _role = auth.acting.get();
        if !shown.get() {
            return;
        }
        let (status_value, text_value) = query.with(|q| {
            (
                q.get("status").unwrap_or_default(),
                q.get("q").unwrap_or_default(),
            )
        });
        status.set(status_value.clone());
        text.set(text_value.clone());
        let q = MyOrdersQuery {
            status: status_value.parse().ok(),
            q: Some(text_value).filter(|s| !s.trim().is_empty()),
            ..Default::default()
        };
        filtered.set(q != MyOrdersQuery::default());
        applied.set_value(q);
        list.load(applied, false, fetch_mine);
    });
    let go = move |wanted: MyOrdersQuery| {
        if wanted == applied.get_value() {
            list.load(applied, false, fetch_mine);
        } else {
            navigate(
                &format!("/orders{}", query_string(&wanted)),
                Default::default(),
            );
        }
    };
    let go_reset = go.clone();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(MyOrdersQuery {
            status: status.get_untracked().parse().ok(),
            q: Some(text.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            ..Default::default()
        });
    };
    let reset = click(move |_| {
        status.set(String::new());
        text.set(String::new());
        go_reset(MyOrdersQuery::default());
    });

    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get())>
            <div class="page-head">
                <h1>{tr(|s| s.nav_orders)}</h1>
                <a href="/orders/new" class="button primary" id="new-order" data-testid="new-order"
                    hidden=sig(move || auth.acting.get() != Some(Role::Customer))>
                    {tr(|s| s.orders.new_order)}
                </a>
            </div>
            <form class="filters" on:submit=apply role="search" aria-label=tr(|s| s.orders.filters) data-testid="order-filters">
                <Choice id="filter-status" label=|s| s.orders.status value=status
                    options=Signal::derive(status_options) issues=no_issues() blank=|s| s.orders.any_status/>
                <Input id="filter-q" kind="search" label=|s| s.orders.query value=text issues=no_issues()
                    hint=|s| s.orders.query_hint/>
                <div class="filter-buttons">
                    <button type="submit" class="primary" id="filter-apply" data-testid="filter-apply">{tr(|s| s.orders.apply)}</button>
                    <button type="button" id="filter-reset" data-testid="filter-reset" on:click=reset>{tr(|s| s.orders.reset)}</button>
                </div>
            </form>
            {list.view(
                |filtered| if filtered { t().orders.empty_filtered } else { t().orders.empty },
                filtered.into(),
                Callback::new(move |_| list.load(applied, false, fetch_mine)),
                Callback::new(move |_| list.load(applied, true, fetch_mine)),
            )}
        </section>
    }
}
