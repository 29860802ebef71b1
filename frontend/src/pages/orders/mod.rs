//! The order screens: my orders, the order form, the order card and the
//! engineers' order search, with what they share (formatting, the status
//! badge, a row of a list).

pub mod card;
pub mod form;
pub mod list;
mod parties;
pub mod search;

use crate::api::ApiError;
use crate::components::html::Html;
use crate::i18n::Lang;
use crate::state::{Reference, lang, t};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use mezha_api_types::orders::{OrderStatus, OrderSummary};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// Where loading a page's data stands.
#[derive(Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready,
    Failed(ApiError),
}

/// `25 000 ₽`.
pub fn fmt_price(price: i64) -> String {
    let digits = price.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    let sign = if price < 0 { "−" } else { "" };
    format!("{sign}{out}\u{a0}₽")
}

/// `23.11.2026` (Russian) or `23 Nov 2026`. (By hand: chrono's `format`
/// would bring its whole formatting engine into the bundle.)
pub fn fmt_date(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (day, month, year) = (date.day(), date.month0(), date.year());
    if lang() == Lang::En {
        format!("{day} {} {year}", MONTHS[month as usize % 12])
    } else {
        format!("{day:02}.{:02}.{year}", month + 1)
    }
}

/// A moment in the browser's time zone, short date and time.
pub fn fmt_time(time: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(time.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"short".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let locale = if lang() == Lang::En { "en-GB" } else { "ru-RU" };
    date.to_locale_string(locale, &options).into()
}

/// The deadline as a date or as days.
pub fn fmt_deadline(date: Option<NaiveDate>, days: Option<u32>) -> String {
    match (date, days) {
        (Some(date), _) => fmt_date(date),
        (None, Some(days)) => (t().orders.days)(days),
        (None, None) => t().orders.no_deadline.to_owned(),
    }
}

/// `183 КБ`, `1,2 МБ` (integer arithmetic: float formatting is large).
pub fn fmt_size(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    let o = &t().orders;
    let bytes = bytes.max(0);
    if bytes < MB {
        format!("{} {}", (bytes + 1023) / 1024, o.kb)
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        let comma = if lang() == Lang::Ru { ',' } else { '.' };
        format!("{}{comma}{} {}", tenths / 10, tenths % 10, o.mb)
    }
}

/// The id in the route (`/orders/:id…`), if it is one.
pub fn route_id() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse().ok()))
}

/// Writes the status label (`data-status=<code>`).
pub fn badge(h: &mut Html, status: OrderStatus) {
    let class = format!("status-badge status-{}", status.as_str());
    h.el(
        "span",
        &[
            ("class", Some(&class)),
            ("data-status", Some(status.as_str())),
        ],
        t().status(status),
    );
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
        meta(
            &mut h,
            "deadline",
            &fmt_deadline(order.deadline_date, order.deadline_days),
        );
        let price = order.price.map(fmt_price);
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
