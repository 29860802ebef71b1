//! How the app writes numbers, money, dates, moments and sizes, in the
//! current language. Every page formats through here.
//!
//! By hand where it matters for the bundle: chrono's `format` would bring
//! its whole formatting engine into the wasm, and float formatting is
//! large, so decimals are written with integer arithmetic.

use crate::i18n::Lang;
use crate::state::{lang, t};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use wasm_bindgen::JsValue;

/// `25 000 ₽`.
pub fn price(price: i64) -> String {
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

/// `25 000,50 ₽`: kopecks as roubles and kopecks.
pub fn money(kopecks: i64) -> String {
    let roubles = price(kopecks / 100);
    let (number, sign) = roubles.rsplit_once('\u{a0}').unwrap_or((&roubles, "₽"));
    format!("{number},{:02}\u{a0}{sign}", (kopecks % 100).abs())
}

/// `23.11.2026` (Russian) or `23 Nov 2026`.
pub fn date(date: NaiveDate) -> String {
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

/// The day of a moment, as [`date`] writes it (validity periods).
pub fn day(time: DateTime<Utc>) -> String {
    date(time.date_naive())
}

/// A moment in the browser's time zone, short date and time.
pub fn time(time: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(time.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"short".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let locale = if lang() == Lang::En { "en-GB" } else { "ru-RU" };
    date.to_locale_string(locale, &options).into()
}

/// An order's deadline: a date, a number of days, or "no deadline".
pub fn deadline(date: Option<NaiveDate>, days: Option<u32>) -> String {
    match (date, days) {
        (Some(on), _) => self::date(on),
        (None, Some(days)) => (t().orders.days)(days),
        (None, None) => t().orders.no_deadline.to_owned(),
    }
}

/// `183 КБ`, `1,2 МБ`.
pub fn size(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    let o = &t().orders;
    let bytes = bytes.max(0);
    if bytes < MB {
        format!("{} {}", (bytes + 1023) / 1024, o.kb)
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{}{}{} {}", tenths / 10, comma(), tenths % 10, o.mb)
    }
}

/// `4,8` / `4.75`: a rating with up to two decimals.
pub fn rating(rating: f64) -> String {
    let hundredths = (rating * 100.0).round() as i64;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    if frac % 10 == 0 {
        format!("{whole}{}{}", comma(), frac / 10)
    } else {
        format!("{whole}{}{frac:02}", comma())
    }
}

/// The decimal separator of the current language.
fn comma() -> char {
    if lang() == Lang::Ru { ',' } else { '.' }
}
