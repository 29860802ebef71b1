//! An engineer's public profile (`/engineers/:id`): the card's figures,
//! contacts, about, SRO membership with the disciplinary actions. A
//! customer offers him one of his orders in executor selection
//! (preselected from `?offer_order=`); a moderator blocks or unblocks him.

use super::search::{OfferBanner, Offered, offer_to, outcome};
use super::{card_figures, photo, sro_details};
use crate::api::{ApiError, engineers, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::{Area, Choice, non_blank};
use crate::components::html::{Html, detail};
use crate::components::problem::{explain, no_issues};
use crate::components::route::route_id;
use crate::components::status::{Load, LoadStatus, load};
use crate::session::use_auth;
use crate::state::{Reference, t, tr, use_reference};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use mezha_api_types::Role;
use mezha_api_types::engineers::EngineerDetails;
use mezha_api_types::orders::{MyOrdersQuery, OrderStatus, OrderSummary};
use mezha_api_types::page::PageQuery;
use uuid::Uuid;

fn details_html(d: &EngineerDetails, reference: Reference) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    h.open("div", &[("class", Some("engineer-head"))]);
    photo(&mut h, d.card.photo_url.as_deref(), &d.card.full_name);
    h.el(
        "h1",
        &[("data-testid", Some("engineer-name"))],
        &d.card.full_name,
    );
    h.close("div");
    card_figures(&mut h, &d.card, reference);
    h.open("dl", &[("class", Some("details"))]);
    let c = &d.contacts;
    let contacts: Vec<&str> = [&c.phone, &c.email, &c.other]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !contacts.is_empty() {
        detail(&mut h, "contacts", e.contacts, &contacts.join(" · "));
    }
    let mut more = |field: &str, label: &str, value: &Option<String>| {
        if let Some(v) = value {
            detail(&mut h, field, label, v);
        }
    };
    more("website", e.website, &d.website);
    more("residence", e.residence, &d.residence);
    more("working_hours", e.working_hours, &d.working_hours);
    more("education", e.education, &d.education);
    more("about", e.about, &d.about);
    sro_details(&mut h, d.sro.as_ref());
    h.close("dl");
    h.finish()
}

/// The reviews: stars, text, the customer and the day.
fn reviews_html(items: &[mezha_api_types::reviews::Review]) -> String {
    let mut h = Html::new();
    h.open("ul", &[("class", Some("parties"))]);
    for r in items {
        h.open(
            "li",
            &[("class", Some("party")), ("data-testid", Some("review"))],
        );
        h.open("div", &[("class", Some("party-head"))]);
        let stars: String =
            "★".repeat(usize::from(r.rating)) + &"☆".repeat(5 - usize::from(r.rating.min(5)));
        h.el(
            "strong",
            &[("aria-label", Some(&format!("{} / 5", r.rating)))],
            &stars,
        );
        h.el(
            "small",
            &[("class", Some("hint"))],
            &format!(
                "{} · {}",
                r.customer_name.as_deref().unwrap_or_default(),
                crate::format::day(r.created_at)
            ),
        );
        h.close("div");
        if let Some(text) = &r.text {
            h.el("p", &[], text);
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

#[component]
pub fn EngineerDetailsPage() -> impl IntoView {
    let auth = use_auth();
    let reference = use_reference();
    let id = route_id();
    let address = use_query_map();
    let offer = Memo::new(move |_| {
        address.with(|a| a.get("offer_order").and_then(|s| s.parse::<Uuid>().ok()))
    });
    let state = RwSignal::new(Load::Loading);
    let details = RwSignal::new(None::<EngineerDetails>);
    let reviews = RwSignal::new(Vec::<mezha_api_types::reviews::Review>::new());
    let reload = move || {
        let Some(engineer) = id.get_untracked() else {
            state.set(Load::Failed(ApiError::Network));
            return;
        };
        load(state, engineers::details(auth, engineer), move |d| {
            details.set(Some(d));
        });
        spawn_local(async move {
            if let Ok(page) = engineers::reviews(auth, engineer).await {
                reviews.set(page.items);
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        if auth.ready.get() {
            reload();
        }
    });
    let role = move || auth.acting.get();
    let back = sig(move || match offer.get() {
        Some(order) => format!("/engineers?offer_order={order}"),
        None => "/engineers".to_owned(),
    });
    view! {
        <p class="back"><a href=back>{tr(|s| s.engineers.back_to_search)}</a></p>
        <section class="card" data-testid="engineer-details">
            <OfferBanner order=offer/>
            <LoadStatus state=state retry=Callback::new(move |_| reload())/>
            <div inner_html=sig(move || details.with(|d| d.as_ref().map(|d| details_html(d, reference)).unwrap_or_default()))></div>
        </section>
        <section class="card" aria-labelledby="reviews-title" data-testid="engineer-reviews" hidden=sig(move || reviews.with(Vec::is_empty))>
            <h2 id="reviews-title">{tr(|s| s.contracts.reviews_title)}</h2>
            <div inner_html=sig(move || reviews.with(|l| reviews_html(l)))></div>
        </section>
        {move || (role() == Some(Role::Customer) && id.get().is_some()).then(|| view! { <OfferFromProfile engineer=id offer=offer/> })}
        {move || (role() == Some(Role::Moderator)).then(|| view! { <ModeratorActions user=id/> })}
    }
}

/// "Offer an order": the customer's orders in executor selection.
#[component]
fn OfferFromProfile(engineer: Memo<Option<Uuid>>, offer: Memo<Option<Uuid>>) -> impl IntoView {
    let auth = use_auth();
    let mine = RwSignal::new(Vec::<OrderSummary>::new());
    let loaded = RwSignal::new(false);
    let chosen = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let offered = RwSignal::new(Offered::new());
    let busy = RwSignal::new(false);
    spawn_local(async move {
        let q = MyOrdersQuery {
            status: Some(OrderStatus::ExecutorSelection),
            q: None,
            page: PageQuery {
                limit: Some(100),
                cursor: None,
            },
        };
        if let Ok(list) = orders::list(auth, &q).await {
            mine.set(list.items);
        }
        loaded.set(true);
    });
    Effect::new(move |_| {
        if let Some(order) = offer.get() {
            chosen.set(order.to_string());
        } else if let Some(first) = mine.with(|m| m.first().map(|o| o.id.to_string()))
            && chosen.with_untracked(String::is_empty)
        {
            chosen.set(first);
        }
    });
    let options = Signal::derive(move || {
        let prefix = t().orders.number_prefix;
        mine.with(|m| {
            m.iter()
                .map(|o| {
                    (
                        o.id.to_string(),
                        format!("{prefix} {} — {}", o.number, o.title),
                    )
                })
                .collect()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(order), Some(engineer)) =
            (chosen.get_untracked().parse(), engineer.get_untracked())
        else {
            return;
        };
        offer_to(
            auth,
            order,
            engineer,
            non_blank(message.get_untracked()),
            offered,
            busy,
        );
    };
    let outcome = sig(move || {
        let engineer = engineer.get()?;
        offered.with(|o| outcome(o, engineer).cloned())
    });
    view! {
        <section class="card" aria-labelledby="offer-title" data-testid="offer-section">
            <h2 id="offer-title">{tr(|s| s.engineers.offer_section)}</h2>
            <p class="empty" hidden=sig(move || !(loaded.get() && mine.with(Vec::is_empty)))>{tr(|s| s.engineers.offer_no_orders)}</p>
            <form on:submit=submit novalidate data-testid="offer-form" hidden=sig(move || mine.with(Vec::is_empty))>
                <Choice id="offer-order" label=|s| s.engineers.offer_order value=chosen options=options issues=no_issues()/>
                <Area id="offer-message" label=|s| s.orders.offer_message value=message issues=no_issues()/>
                {move || match outcome.get() {
                    Some(Ok(())) => Some(view! { <p class="success" role="status" data-testid="offer-sent">{tr(|s| s.orders.offer_sent)}</p> }.into_any()),
                    Some(Err(e)) => Some(view! { <p class="error form-error" role="alert" data-testid="offer-error">{explain(&e)}</p> }.into_any()),
                    None => None,
                }}
                <button type="submit" class="primary" data-testid="offer-submit" disabled=busy>{tr(|s| s.engineers.offer_this)}</button>
            </form>
        </section>
    }
}

/// Block / unblock the account (moderators).
#[component]
pub fn ModeratorActions(
    user: Memo<Option<Uuid>>,
    /// Inside another card (the moderation page): no frame, no heading.
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let auth = use_auth();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<bool>);
    let reason = RwSignal::new(String::new());
    let act = move |block: bool| {
        let Some(id) = user.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        done.set(None);
        let why = Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty());
        spawn_local(async move {
            let result = if block {
                crate::api::users::block(auth, id, why).await
            } else {
                crate::api::users::unblock(auth, id).await
            };
            match result {
                Ok(()) => done.set(Some(block)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class:card=!inline aria-label=tr(|s| s.engineers.moderator_actions) data-testid="moderator-actions">
            <h2 hidden=inline>{tr(|s| s.engineers.moderator_actions)}</h2>
            <div class="field">
                <label for=move || format!("block-reason-{}", user.get().map(|u| u.to_string()).unwrap_or_default())>{tr(|s| s.engineers.block_reason)}</label>
                <input type="text" maxlength="500" data-testid="block-reason"
                    id=move || format!("block-reason-{}", user.get().map(|u| u.to_string()).unwrap_or_default())
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            </div>
            <div class="actions">
                <button type="button" class="danger-fill" data-testid="block-user" disabled=busy on:click=click(move |_| act(true))>{tr(|s| s.engineers.block)}</button>
                <button type="button" data-testid="unblock-user" disabled=busy on:click=click(move |_| act(false))>{tr(|s| s.engineers.unblock)}</button>
            </div>
            <p class="success" role="status" data-testid="moderation-result" hidden=sig(move || done.get().is_none())>
                {sig(move || match done.get() { Some(true) => t().engineers.blocked, Some(false) => t().engineers.unblocked, None => "" })}
            </p>
            {move || error.get().map(|e| view! { <p class="error form-error" role="alert" data-testid="moderation-error">{explain(&e)}</p> })}
        </section>
    }
}
