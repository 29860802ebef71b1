//! The public engineer search (`/engineers`): filters (region, work type,
//! rating ≥, experience ≥, accepts offers) and sorts (rating, completed
//! orders, experience), kept in the address; cards with the computed
//! figures. Opened from an order card as `/engineers?offer_order=<id>`,
//! every card gets "Offer the order", whose refusal or success shows on
//! that card.

use super::{card_figures, photo};
use crate::api::{ApiError, engineers, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Check, Choice, Input, Segments, non_blank};
use crate::components::html::{Html, clicked};
use crate::components::problem::{explain, no_issues};
use crate::components::status::ErrorBox;
use crate::session::{Auth, use_auth};
use crate::state::{Pick, Reference, t, tr, use_reference};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::engineers::{EngineerCard, EngineerSearchQuery, EngineerSort};
use mezha_api_types::orders::{NewOffer, Order};
use uuid::Uuid;

const SORTS: &[(&str, Pick)] = &[
    ("rating", |s| s.engineers.sort_rating),
    ("completed_orders", |s| s.engineers.sort_completed),
    ("experience", |s| s.engineers.sort_experience),
];

/// What an offer from a card came to: `Ok` or the refusal (translated
/// when shown: the language may change).
pub type Offered = Vec<(Uuid, Result<(), ApiError>)>;

/// The outcome of the last offer to `engineer`, if any.
pub fn outcome(offered: &Offered, engineer: Uuid) -> Option<&Result<(), ApiError>> {
    offered.iter().find(|(e, _)| *e == engineer).map(|(_, r)| r)
}

/// The cards; with `offer` (an order being offered) each has "Offer the
/// order" and the outcome of the last offer to him.
fn cards_html(
    items: &[EngineerCard],
    reference: Reference,
    offer: Option<Uuid>,
    offered: &Offered,
    busy: bool,
) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    for c in items {
        let id = c.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("engineer-card")),
                ("data-testid", Some("engineer-card")),
                ("data-engineer-id", Some(&id)),
            ],
        );
        h.open("div", &[("class", Some("engineer-head"))]);
        photo(&mut h, c.photo_url.as_deref(), &c.full_name);
        let href = match offer {
            Some(order) => format!("/engineers/{id}?offer_order={order}"),
            None => format!("/engineers/{id}"),
        };
        h.el(
            "a",
            &[
                ("class", Some("order-title")),
                ("href", Some(&href)),
                ("data-testid", Some("engineer-link")),
            ],
            &c.full_name,
        );
        h.close("div");
        card_figures(&mut h, c, reference);
        if offer.is_some() {
            h.el(
                "button",
                &[
                    ("type", Some("button")),
                    ("class", Some("primary")),
                    ("data-act", Some("offer")),
                    ("data-id", Some(&id)),
                    ("data-testid", Some("offer-engineer")),
                    ("disabled", busy.then_some("")),
                ],
                e.offer_this,
            );
            match outcome(offered, c.id) {
                Some(Ok(())) => {
                    h.el(
                        "p",
                        &[
                            ("class", Some("success")),
                            ("role", Some("status")),
                            ("data-testid", Some("offer-result")),
                        ],
                        t.orders.offer_sent,
                    );
                }
                Some(Err(error)) => {
                    let message = explain(error);
                    h.el(
                        "p",
                        &[
                            ("class", Some("error form-error")),
                            ("role", Some("alert")),
                            ("data-testid", Some("offer-result")),
                        ],
                        &message,
                    );
                }
                None => {}
            }
        }
        h.close("li");
    }
    h.finish()
}

/// Offers `order` to `engineer`; the outcome goes into `offered`.
pub fn offer_to(
    auth: Auth,
    order: Uuid,
    engineer: Uuid,
    message: Option<String>,
    offered: RwSignal<Offered>,
    busy: RwSignal<bool>,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    spawn_local(async move {
        let body = NewOffer {
            engineer_id: engineer,
            message,
        };
        let outcome = orders::offer(auth, order, &body).await.map(drop);
        offered.update(|o| {
            o.retain(|(e, _)| *e != engineer);
            o.push((engineer, outcome));
        });
        busy.set(false);
    });
}

/// The banner of an order being offered: its number and title, and a link back.
#[component]
pub fn OfferBanner(order: Memo<Option<Uuid>>) -> impl IntoView {
    let auth = use_auth();
    let loaded = RwSignal::new(None::<Order>);
    Effect::new(move |_| {
        let Some(id) = order.get() else { return };
        if !auth.ready.get() || !auth.logged_in() {
            return;
        }
        spawn_local(async move {
            if let Ok(reply) = orders::get(auth, id).await {
                loaded.set(Some(reply.body));
            }
        });
    });
    view! {
        <p class="notice" data-testid="offer-banner" hidden=sig(move || order.get().is_none())>
            {tr(|s| s.engineers.offer_banner)}" "
            <strong>{sig(move || loaded.with(|o| o.as_ref().map(|o| format!("{} {} «{}»", t().orders.number_prefix, o.number, o.title)).unwrap_or_default()))}</strong>
            " · "
            <a href=sig(move || order.get().map(|id| format!("/orders/{id}")).unwrap_or_default())>{tr(|s| s.engineers.back_to_order)}</a>
        </p>
    }
}

#[component]
pub fn EngineerSearch() -> impl IntoView {
    let auth = use_auth();
    let reference = use_reference();
    let address = use_query_map();
    let navigate = use_navigate();
    let (region, work, rating, experience) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let accepts = RwSignal::new(false);
    let sort = RwSignal::new("rating".to_owned());
    let items = RwSignal::new(Vec::<EngineerCard>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let applied = StoredValue::new(EngineerSearchQuery::default());
    let generation = StoredValue::new(0u32);
    let offer = Memo::new(move |_| {
        address.with(|a| a.get("offer_order").and_then(|s| s.parse::<Uuid>().ok()))
    });
    let offered = RwSignal::new(Offered::new());
    let busy = RwSignal::new(false);

    let query = move || EngineerSearchQuery {
        region_code: non_blank(region.get_untracked()),
        work_type: work.get_untracked().parse().ok(),
        rating_min: rating.get_untracked().parse::<u32>().ok().map(f64::from),
        experience_min: experience.get_untracked().trim().parse().ok(),
        accepts_offers: accepts.get_untracked().then_some(true),
        sort: sort
            .get_untracked()
            .parse()
            .ok()
            .filter(|s| *s != EngineerSort::Rating),
        page: Default::default(),
    };
    let fetch = move |append: bool| {
        let mut q = applied.get_value();
        if append {
            q.page.cursor = next.get_untracked();
        } else {
            items.set(Vec::new());
            next.set(None);
        }
        let g = generation.get_value() + 1;
        generation.set_value(g);
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let result = engineers::search(auth, &q).await;
            // A newer search was made, or the page is gone.
            if generation.try_get_value() != Some(g) {
                return;
            }
            match result {
                Ok(page) => {
                    items.update(|i| i.extend(page.items));
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        if !auth.ready.get() {
            return;
        }
        address.with(|a| {
            let v = |n: &str| a.get(n).unwrap_or_default();
            region.set(v("region_code"));
            work.set(v("work_type"));
            rating.set(v("rating_min"));
            experience.set(v("experience_min"));
            accepts.set(v("accepts_offers") == "true");
            let s = v("sort");
            sort.set(if s.is_empty() { "rating".to_owned() } else { s });
        });
        applied.set_value(query());
        fetch(false);
    });
    let go = move |q: EngineerSearchQuery| {
        let mut path = format!("/engineers{}", engineers::search_query(&q));
        if let Some(order) = offer.get_untracked() {
            path.push(if path.contains('?') { '&' } else { '?' });
            path.push_str(&format!("offer_order={order}"));
        }
        if q == applied.get_value() {
            fetch(false);
        } else {
            navigate(&path, Default::default());
        }
    };
    let (go_reset, go_sort) = (go.clone(), go.clone());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go(query());
    };
    let reset = click(move |_| {
        go_reset(EngineerSearchQuery {
            sort: applied.get_value().sort,
            ..Default::default()
        });
    });
    Effect::new(move |_| {
        let s = sort
            .get()
            .parse()
            .ok()
            .filter(|s| *s != EngineerSort::Rating);
        let mut q = applied.get_value();
        if q.sort != s {
            q.sort = s;
            go_sort(q);
        }
    });
    let on_card = click(move |ev| {
        let (Some((_, id)), Some(order)) = (clicked(&ev), offer.get_untracked()) else {
            return;
        };
        if let Ok(engineer) = id.parse() {
            offer_to(auth, order, engineer, None, offered, busy);
        }
    });
    let ratings = Signal::derive(|| {
        (1..=5)
            .map(|n| (n.to_string(), format!("≥ {n} ★")))
            .collect()
    });
    let idle = move || !loading.get() && error.with(Option::is_none);

    view! {
        <section class="card" data-testid="engineer-search">
            <h1>{tr(|s| s.engineers.search_title)}</h1>
            <OfferBanner order=offer/>
            <div class="search-layout">
                <form class="filters search-filters" on:submit=apply role="search" aria-label=tr(|s| s.orders.filters) data-testid="engineer-filters">
                    <Choice id="eng-region" label=|s| s.orders.region value=region
                        options=Signal::derive(move || reference.region_options())
                        issues=no_issues() blank=|s| s.engineers.any_region/>
                    <Choice id="eng-work" label=|s| s.engineers.work_type value=work
                        options=Signal::derive(move || reference.work_type_options())
                        issues=no_issues() blank=|s| s.engineers.any_work/>
                    <Choice id="eng-rating" label=|s| s.engineers.rating_min value=rating
                        options=ratings issues=no_issues() blank=|s| s.engineers.any_rating/>
                    <Input id="eng-experience" numeric=true label=|s| s.engineers.experience_min value=experience issues=no_issues()/>
                    <Check id="eng-accepts" label=|s| s.engineers.accepts_only checked=accepts/>
                    <div class="filter-buttons">
                        <button type="submit" class="primary" id="eng-apply" data-testid="eng-apply">{tr(|s| s.orders.apply)}</button>
                        <button type="button" id="eng-reset" on:click=reset>{tr(|s| s.orders.reset)}</button>
                    </div>
                </form>
                <div class="search-results">
                    <div class="sort" data-testid="eng-sort">
                        <span class="sort-label">{tr(|s| s.orders.sort)}": "</span>
                        <Segments name="eng-sort" label=|s| s.orders.sort value=sort options=SORTS/>
                    </div>
                    <ul class="engineers" data-testid="engineer-list" aria-busy=sig(move || loading.get().to_string()) on:click=on_card
                        inner_html=sig(move || offered.with(|o| items.with(|i| cards_html(i, reference, offer.get(), o, busy.get()))))></ul>
                    {move || error.get().map(|e| view! { <ErrorBox message=explain(&e) retry=Callback::new(move |_| fetch(false))/> })}
                    <p class="status" role="status" hidden=sig(move || !loading.get())>{tr(|s| s.loading)}</p>
                    <p class="empty" data-testid="engineer-list-empty" hidden=sig(move || !(idle() && items.with(Vec::is_empty)))>{tr(|s| s.engineers.search_empty)}</p>
                    <p class="actions" hidden=sig(move || !(idle() && next.with(Option::is_some)))>
                        <button type="button" data-testid="eng-load-more" on:click=click(move |_| fetch(true))>{tr(|s| s.orders.load_more)}</button>
                    </p>
                </div>
            </div>
        </section>
    }
}
