//! The order card's part between customer and engineers. The customer
//! sees the responses (with "Select") and offers the order to an engineer;
//! an engineer responds, withdraws his response and answers an offer.
//! Buttons appear only for the actions the server allows.

use super::card::Card;
use crate::api::{ApiError, IdempotencyKey, orders};
use crate::components::bind::sig;
use crate::components::fields::{Area, Input};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked};
use crate::components::problem::{FormError, issues};
use crate::format;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use mezha_api_types::Role;
use mezha_api_types::orders::{
    DEADLINE_DAYS_MAX, NewResponse, Offer, OfferStatus, OrderAction, OrderResponse, OrderStatus,
    PRICE_MAX, ResponseStatus,
};
use uuid::Uuid;

#[component]
pub fn Parties(card: Card) -> impl IntoView {
    let role = move || card.auth.acting.get();
    let published = move || {
        card.order
            .with(|o| o.as_ref().is_some_and(|o| o.status != OrderStatus::Draft))
    };
    view! {
        <div hidden=sig(move || !(role() == Some(Role::Customer) && published()))><CustomerSide card=card/></div>
        <div hidden=sig(move || role() != Some(Role::Engineer))><EngineerSide card=card/></div>
    }
}

/// A button of a block, `primary` or plain.
fn button(h: &mut Html, act: &str, id: &str, testid: &str, primary: bool, busy: bool, label: &str) {
    let class = primary.then_some("primary");
    act_button(h, act, id, testid, class, busy, label);
}

/// Responses; `select` shows "Select" on active ones (customer), else
/// `withdraw` shows "Withdraw" on active ones (the engineer's own).
fn responses_html(items: &[OrderResponse], select: bool, withdraw: bool, busy: bool) -> String {
    let t = t();
    let o = &t.orders;
    let mut h = Html::new();
    if items.is_empty() {
        h.el("p", &[("class", Some("empty"))], o.responses_empty);
        return h.finish();
    }
    h.open(
        "ul",
        &[
            ("class", Some("parties")),
            ("data-testid", Some("responses")),
        ],
    );
    for r in items {
        let id = r.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("party")),
                ("data-testid", Some("response")),
                ("data-response-id", Some(&id)),
                ("data-status", Some(r.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        let who = r
            .engineer_name
            .clone()
            .unwrap_or_else(|| r.engineer_id.to_string());
        h.el("strong", &[], &who);
        h.span(
            &format!("tag-status response-{}", r.status.as_str()),
            t.response_status(r.status),
        );
        h.close("div");
        h.open("div", &[("class", Some("party-terms"))]);
        h.el(
            "span",
            &[("data-field", Some("price"))],
            &format::price(r.price),
        );
        h.text(" · ");
        h.el(
            "span",
            &[("data-field", Some("days"))],
            &(o.days)(r.deadline_days),
        );
        h.text(" · ");
        h.span("hint", &format::time(r.created_at));
        h.close("div");
        if !r.message.is_empty() {
            h.el("p", &[("class", Some("pre"))], &r.message);
        }
        if r.status == ResponseStatus::Active {
            if select {
                button(
                    &mut h,
                    "select",
                    &id,
                    "select-response",
                    true,
                    busy,
                    o.select_response,
                );
            } else if withdraw {
                button(
                    &mut h,
                    "withdraw",
                    &id,
                    "withdraw-response",
                    false,
                    busy,
                    o.withdraw,
                );
            }
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

/// Offers; for the engineer (`mine`) with "Accept"/"Decline" on pending
/// ones when allowed, for the customer with the engineer's id.
fn offers_html(items: &[Offer], mine: bool, accept: bool, decline: bool, busy: bool) -> String {
    let t = t();
    let o = &t.orders;
    let mut h = Html::new();
    h.open(
        "ul",
        &[
            ("class", Some("parties")),
            (
                "data-testid",
                Some(if mine { "my-offers" } else { "offers" }),
            ),
        ],
    );
    for x in items {
        let id = x.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("party")),
                ("data-testid", Some("offer")),
                ("data-offer-id", Some(&id)),
                ("data-status", Some(x.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        if !mine {
            h.el("code", &[], &x.engineer_id.to_string());
        }
        h.span(
            &format!("tag-status offer-{}", x.status.as_str()),
            t.offer_status(x.status),
        );
        h.span("hint", &format::time(x.created_at));
        h.close("div");
        if let Some(message) = &x.message {
            h.el("p", &[("class", Some("pre"))], message);
        }
        if mine && x.status == OfferStatus::Pending && (accept || decline) {
            h.open("div", &[("class", Some("actions"))]);
            if accept {
                button(
                    &mut h,
                    "accept",
                    &id,
                    "accept-offer",
                    true,
                    busy,
                    o.accept_offer,
                );
            }
            if decline {
                button(
                    &mut h,
                    "decline",
                    &id,
                    "decline-offer",
                    false,
                    busy,
                    o.decline_offer,
                );
            }
            h.close("div");
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

/// The buttons of the blocks: one handler for all.
fn on_action(card: Card, error: RwSignal<Option<ApiError>>) -> impl Fn(leptos::ev::MouseEvent) {
    move |ev| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else { return };
        let auth = card.auth;
        let action: futures_util::future::LocalBoxFuture<'static, Result<(), ApiError>> = match act
            .as_str()
        {
            "select" => Box::pin(async move { orders::select(auth, id).await.map(drop) }),
            "withdraw" => Box::pin(async move { orders::withdraw(auth, id).await.map(drop) }),
            "accept" => Box::pin(async move { orders::accept_offer(auth, id).await.map(drop) }),
            "decline" => Box::pin(async move { orders::decline_offer(auth, id).await.map(drop) }),
            _ => return,
        };
        card.act(error, action);
    }
}

#[component]
fn CustomerSide(card: Card) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let responses = sig(move || {
        let select = card.allows(OrderAction::SelectResponse);
        card.responses
            .with(|r| responses_html(r, select, false, card.busy.get()))
    });
    let offers = sig(move || {
        card.offers
            .with(|x| offers_html(x, false, false, false, false))
    });
    let no_offers = sig(move || card.offers.with(Vec::is_empty));
    view! {
        <section class="card" aria-labelledby="responses-title">
            <h2 id="responses-title">{tr(|s| s.orders.responses)}</h2>
            <div inner_html=responses on:click=on_action(card, error)></div>
            <FormError error=error/>
        </section>
        <section class="card" aria-labelledby="offers-title"
            hidden=sig(move || !card.allows(OrderAction::Offer) && no_offers.get())>
            <h2 id="offers-title">{tr(|s| s.orders.offers)}</h2>
            <div hidden=no_offers inner_html=offers></div>
            <div hidden=sig(move || !card.allows(OrderAction::Offer))><OfferLink card=card/></div>
        </section>
    }
}

/// "Offer to an engineer": the engineer is chosen in the engineer search,
/// opened for this order (`/engineers?offer_order=<id>`), where each card
/// has "Offer the order" and shows the refusal or success.
#[component]
fn OfferLink(card: Card) -> impl IntoView {
    let href = sig(move || format!("/engineers?offer_order={}", card.id()));
    view! {
        <p class="party-form" data-testid="offer-form">
            <a class="button primary" href=href data-testid="offer-find-engineer">{tr(|s| s.engineers.offer_find)}</a>
        </p>
    }
}

#[component]
fn EngineerSide(card: Card) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let offers = sig(move || {
        let (accept, decline) = (
            card.allows(OrderAction::AcceptOffer),
            card.allows(OrderAction::DeclineOffer),
        );
        card.offers
            .with(|x| offers_html(x, true, accept, decline, card.busy.get()))
    });
    let responses = sig(move || {
        card.responses
            .with(|r| responses_html(r, false, true, card.busy.get()))
    });
    view! {
        <section class="card" aria-labelledby="my-offers-title" hidden=sig(move || card.offers.with(Vec::is_empty))>
            <h2 id="my-offers-title">{tr(|s| s.orders.offers_to_me)}</h2>
            <div inner_html=offers on:click=on_action(card, error)></div>
        </section>
        <section class="card" aria-labelledby="my-responses-title" hidden=sig(move || card.responses.with(Vec::is_empty))>
            <h2 id="my-responses-title">{tr(|s| s.orders.my_responses)}</h2>
            <div inner_html=responses on:click=on_action(card, error)></div>
        </section>
        <FormError error=error/>
        <div hidden=sig(move || !card.allows(OrderAction::Respond))><RespondForm card=card/></div>
    }
}

/// A whole number typed with optional spaces: `Err(())` when it is not one.
fn whole(text: &str) -> Result<Option<i64>, ()> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Ok(None)
    } else {
        digits.parse().map(Some).map_err(|_| ())
    }
}

/// The engineer's response: price, deadline in days, a message.
#[component]
fn RespondForm(card: Card) -> impl IntoView {
    let price = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let tried = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |name| match name {
            "price" => Some("price"),
            "deadline_days" => Some("deadline_days"),
            "message" => Some("message"),
            _ => None,
        },
        move |found| {
            let t = t();
            let limits = [
                ("price", price, PRICE_MAX, t.errors.out_of_range),
                (
                    "deadline_days",
                    days,
                    i64::from(DEADLINE_DAYS_MAX),
                    t.orders.days_range,
                ),
            ];
            for (field, value, max, range) in limits {
                let problem = match whole(&value.get()) {
                    Err(()) => Some(t.orders.whole_number),
                    Ok(None) => tried.get().then_some(t.errors.required),
                    Ok(Some(n)) if n < 1 || n > max => Some(range),
                    Ok(Some(_)) => None,
                };
                if let Some(problem) = problem {
                    found.push((field, problem.to_owned()));
                }
            }
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let (Ok(Some(p)), Ok(Some(d))) =
            (whole(&price.get_untracked()), whole(&days.get_untracked()))
        else {
            return;
        };
        if !(1..=PRICE_MAX).contains(&p) || !(1..=i64::from(DEADLINE_DAYS_MAX)).contains(&d) {
            return;
        }
        let body = NewResponse {
            price: p,
            deadline_days: u32::try_from(d).unwrap_or(u32::MAX),
            message: message.get_untracked().trim().to_owned(),
        };
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move {
                orders::respond(auth, id, &body, key).await?;
                tried.set(false);
                price.set(String::new());
                days.set(String::new());
                message.set(String::new());
                Ok(())
            }),
        );
    };
    view! {
        <section class="card" aria-labelledby="respond-title">
            <h2 id="respond-title">{tr(|s| s.orders.respond_title)}</h2>
            <form class="party-form" on:submit=submit novalidate data-testid="respond-form">
                <div class="row">
                    <Input id="response-price" name="price" numeric=true required=true
                        label=|s| s.orders.response_price value=price issues=issues/>
                    <Input id="response-days" name="deadline_days" numeric=true required=true
                        label=|s| s.orders.response_days value=days issues=issues/>
                </div>
                <Area id="response-message" name="message" label=|s| s.orders.response_message value=message issues=issues/>
                <div data-testid="respond-error"><FormError error=error/></div>
                <Submit label=ts(|s| s.orders.respond_submit) busy=card.busy/>
            </form>
        </section>
    }
}
