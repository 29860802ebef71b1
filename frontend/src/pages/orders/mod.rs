//! The order screens: my orders, the order form, the order card and the
//! engineers' order search, with what they share (the status badge, a row
//! of a list).

mod acts;
pub mod card;
mod contracts;
pub mod form;
mod fulfilment;
pub mod list;
mod parties;
pub mod search;

use crate::components::html::{Html, status_badge};
use crate::format;
use crate::state::{Reference, t};
use mezha_api_types::orders::{OrderStatus, OrderSummary};

/// Writes the order status label (`data-status=<code>`).
pub fn badge(h: &mut Html, status: OrderStatus) {
    status_badge(h, status.as_str(), t().status(status));
}

/// Writes the "overdue" mark of an order past its due date without
/// results (`data-status=overdue`), nothing otherwise.
pub fn overdue_badge(h: &mut Html, overdue: bool) {
    if overdue {
        status_badge(h, "overdue", t().orders.overdue);
    }
}

/// The orders of a list: each a link to its card with number, title,
/// status, region, address, deadline, price and responses.
pub fn order_rows(orders: &[OrderSummary], reference: Reference) -> String {
    let t = t();
    let o = &t.orders;
    let mut h = Html::new();
    for order in orders {
        let id = order.id.to_string();
        let number = order.number.to_string();
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("order-row")),
                ("data-order-id", Some(&id)),
                ("data-number", Some(&number)),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        h.span("order-number", &format!("{} {number}", o.number_prefix));
        badge(&mut h, order.status);
        overdue_badge(&mut h, order.overdue);
        h.close("div");
        h.el(
            "a",
            &[
                ("class", Some("order-title")),
                ("href", Some(&format!("/orders/{id}"))),
            ],
            &order.title,
        );
        h.open("div", &[("class", Some("order-meta"))]);
        let region = match &order.region_code {
            Some(code) => reference.region_name(code),
            None => o.no_region.to_owned(),
        };
        let meta = |h: &mut Html, field: &str, text: &str| {
            h.el("span", &[("data-field", Some(field))], text);
        };
        meta(&mut h, "region", &region);
        if let Some(address) = &order.address {
            meta(&mut h, "address", address);
        }
        let deadline = match order.due_date {
            Some(due) if order.status != OrderStatus::ExecutorSelection => {
                format!("{} {}", o.due_by, format::date(due))
            }
            _ => format::deadline(order.deadline_date, order.deadline_days),
        };
        meta(&mut h, "deadline", &deadline);
        let price = order.price.map(format::price);
        meta(&mut h, "price", price.as_deref().unwrap_or(o.no_price));
        meta(
            &mut h,
            "responses",
            &format!("{}: {}", o.responses_count, order.responses_count),
        );
        h.close("div").close("li");
    }
    h.finish()
}
