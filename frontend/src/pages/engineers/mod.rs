//! Engineers and employers (docs/API.md, docs/employers.md): the engineer profile with its tabs
//! (main, requisites, employer), the public engineer search and profile
//! with "Offer the order", and what they share: the cards' HTML (figures
//! and photo).

pub mod details;
pub mod employment;
pub mod profile;
pub mod requisites;
pub mod search;

use crate::api::me::avatar_src;
use crate::components::html::{Html, detail};
use crate::format;
use crate::state::{Reference, t};
use chrono::Datelike;
use mezha_api_types::engineers::{EngineerCard, SroMembership};

/// The figures of an engineer: rating and reviews, completed and
/// successful orders, experience, on-time share, regions, work types with
/// prices, employer, offers.
pub fn card_figures(h: &mut Html, c: &EngineerCard, reference: Reference) {
    let t = t();
    let e = t.engineers;
    let rating = match c.rating {
        Some(r) => format!(
            "★ {} ({} {})",
            format::rating(r),
            c.reviews_count,
            e.reviews
        ),
        None => format!("★ — ({})", e.no_rating),
    };
    h.open("dl", &[("class", Some("details engineer-figures"))]);
    detail(h, "rating", e.rating, &rating);
    detail(
        h,
        "completed",
        e.completed,
        &format!(
            "{} ({} {})",
            c.completed_orders, e.successful, c.successful_orders
        ),
    );
    let experience = c
        .experience_years
        .map(e.years)
        .unwrap_or_else(|| "—".into());
    detail(h, "experience", e.experience_label, &experience);
    let on_time = c
        .on_time_percent
        .map(|p| format!("{p}\u{a0}%"))
        .unwrap_or_else(|| e.no_on_time.to_owned());
    detail(h, "on_time", e.on_time, &on_time);
    let regions: Vec<String> = c.regions.iter().map(|r| reference.region_name(r)).collect();
    detail(h, "regions", e.regions, &regions.join(", "));
    let works: Vec<String> = c
        .work_types
        .iter()
        .map(|w| {
            let price = w
                .price
                .map(format::price)
                .unwrap_or_else(|| e.price_on_request.to_owned());
            format!("{} — {price}", reference.work_type_name(w.work_type))
        })
        .collect();
    detail(h, "work_types", e.work_types_prices, &works.join("; "));
    let employer = c
        .employer
        .as_ref()
        .map(|x| x.name.clone())
        .unwrap_or_else(|| e.sole_proprietor.to_owned());
    detail(h, "employer", e.employer, &employer);
    let offers = if c.accept_offers {
        e.accepts
    } else {
        e.not_accepts
    };
    detail(h, "accept_offers", e.offers_label, offers);
    h.close("dl");
}

/// The SRO membership from the registry (docs/sro-registry.md), as `dl`
/// entries: the SRO and status (since when), the registry number, and the
/// disciplinary actions (date — text, in the registry's order).
pub fn sro_details(h: &mut Html, sro: Option<&SroMembership>) {
    let t = t();
    let e = t.engineers;
    let Some(s) = sro else {
        detail(h, "sro", e.sro, e.sro_none);
        return;
    };
    let mut status = format!("{} — {}", s.sro_name, t.sro_status(s.status));
    if let Some(date) = s.status_date {
        status.push_str(&format!(" {} {}", e.sro_since, format::date(date)));
    }
    detail(h, "sro", e.sro, &status);
    if let Some(number) = &s.registry_number {
        detail(h, "sro_registry_number", e.sro_number, number);
    }
    h.open(
        "div",
        &[
            ("class", Some("detail")),
            ("data-field", Some("disciplinary_actions")),
        ],
    );
    h.el("dt", &[], e.disciplinary_actions);
    h.open("dd", &[]);
    if s.disciplinary_actions.is_empty() {
        h.text(e.disciplinary_none);
    } else {
        h.open(
            "ul",
            &[
                ("class", Some("disciplinary-actions")),
                ("data-testid", Some("disciplinary-actions")),
            ],
        );
        for action in &s.disciplinary_actions {
            let d = action.date;
            let iso = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
            h.open("li", &[]);
            h.el("time", &[("datetime", Some(&iso))], &format::date(d));
            h.text(" — ").text(&action.text);
            h.close("li");
        }
        h.close("ul");
    }
    h.close("dd");
    h.close("div");
}

/// The photo (its address as the API gives it, `photo_url`: served by the
/// API itself), or a placeholder with the initial. Shown 3 rem wide: the
/// 64-pixel size, the 256 one on dense screens.
pub fn photo(h: &mut Html, url: Option<&str>, name: &str) {
    match url {
        Some(url) if url.starts_with("/api/") => {
            let small = avatar_src(url, 64);
            let srcset = format!("{small} 64w, {} 256w", avatar_src(url, 256));
            h.open(
                "img",
                &[
                    ("class", Some("engineer-photo")),
                    ("src", Some(&small)),
                    ("srcset", Some(&srcset)),
                    ("sizes", Some("3rem")),
                    ("alt", Some(name)),
                    ("loading", Some("lazy")),
                    ("data-testid", Some("engineer-photo")),
                ],
            );
        }
        _ => {
            let initial: String = name.chars().next().into_iter().collect();
            h.el(
                "span",
                &[
                    ("class", Some("engineer-photo placeholder")),
                    ("aria-hidden", Some("true")),
                ],
                &initial,
            );
        }
    }
}
