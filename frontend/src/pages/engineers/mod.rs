//! Engineers and employers (docs/API.md, docs/employers.md): the engineer profile with its tabs
//! (main, requisites, employer), the public engineer search and profile
//! with "Offer the order", and what they share: the cards' HTML, the
//! rating, the files of a profile, and mapping the server's field errors.

pub mod details;
pub mod employment;
pub mod profile;
pub mod requisites;
pub mod search;

use crate::api::{ApiError, orders};
use crate::components::bind::{click, sig};
use crate::components::fields::Issues;
use crate::components::html::{Html, clicked};
use crate::i18n::Lang;
use crate::pages::orders::fmt_price;
use crate::state::{Pick, Reference, lang, t, tr, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::engineers::EngineerCard;
use uuid::Uuid;

/// `4,8` / `4.75`: a rating with up to two decimals (integer arithmetic:
/// float formatting is large in the bundle).
pub fn fmt_rating(rating: f64) -> String {
    let hundredths = (rating * 100.0).round() as i64;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    let comma = if lang() == Lang::Ru { ',' } else { '.' };
    if frac % 10 == 0 {
        format!("{whole}{comma}{}", frac / 10)
    } else {
        format!("{whole}{comma}{frac:02}")
    }
}

/// The problems of a form by control: the client's findings, then the
/// server's per-field errors, each put on the control `map` names for the
/// server's field (`regions[2]` → `regions`), or left out.
pub fn server_issues(
    error: RwSignal<Option<ApiError>>,
    map: fn(&str) -> Option<&'static str>,
    local: impl Fn(&mut Vec<(&'static str, String)>) + Send + Sync + 'static,
) -> Issues {
    Signal::derive(move || {
        let mut found = Vec::new();
        local(&mut found);
        error.with(|e| {
            let Some(ApiError::Problem(p)) = e else {
                return;
            };
            for (name, list) in p.errors.iter().flatten() {
                let Some(field) = map(name) else { continue };
                if found.iter().any(|(f, _)| *f == field) {
                    continue;
                }
                if let Some(issue) = list.first() {
                    let text = t()
                        .error(&issue.code)
                        .map(str::to_owned)
                        .unwrap_or_else(|| issue.message.clone());
                    found.push((field, text));
                }
            }
        });
        found
    })
}

/// `Some(text)` unless blank.
pub fn opt(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Writes `label: value` as a `dt`/`dd` pair (`data-field=<field>`).
pub fn detail(h: &mut Html, field: &str, label: &str, value: &str) {
    h.open(
        "div",
        &[("class", Some("detail")), ("data-field", Some(field))],
    );
    h.el("dt", &[], label).el("dd", &[], value);
    h.close("div");
}

/// The figures of an engineer: rating and reviews, completed and
/// successful orders, experience, on-time share, regions, work types with
/// prices, employer, offers.
pub fn card_figures(h: &mut Html, c: &EngineerCard, reference: Reference) {
    let t = t();
    let e = t.engineers;
    let rating = match c.rating {
        Some(r) => format!("★ {} ({} {})", fmt_rating(r), c.reviews_count, e.reviews),
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
        .unwrap_or_else(|| e.no_active.to_owned());
    detail(h, "on_time", e.on_time, &on_time);
    let regions: Vec<String> = c.regions.iter().map(|r| reference.region_name(r)).collect();
    detail(h, "regions", e.regions, &regions.join(", "));
    let works: Vec<String> = c
        .work_types
        .iter()
        .map(|w| {
            let price = w
                .price
                .map(fmt_price)
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

/// The photo, or a placeholder with the initial.
pub fn photo(h: &mut Html, url: Option<&str>, name: &str) {
    match url {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            h.open(
                "img",
                &[
                    ("class", Some("engineer-photo")),
                    ("src", Some(url)),
                    ("alt", Some(name)),
                    ("loading", Some("lazy")),
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

/// Files of a profile (diplomas, work examples): upload on choosing, remove
/// from the list; those saved before show as "File N" (their names are
/// not in the profile).
#[component]
pub fn ProfileFiles(
    id: &'static str,
    label: Pick,
    files: RwSignal<Vec<(Uuid, String)>>,
    issues: Issues,
) -> impl IntoView {
    let auth = use_auth();
    let uploading = RwSignal::new(0u32);
    let upload_error = RwSignal::new(None::<ApiError>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        upload_error.set(None);
        for file in chosen {
            uploading.update(|n| *n += 1);
            spawn_local(async move {
                match orders::upload(auth, &file).await {
                    Ok(info) => files.update(|f| f.push((info.id, info.name))),
                    Err(e) => upload_error.set(Some(e)),
                }
                uploading.update(|n| *n = n.saturating_sub(1));
            });
        }
    };
    let list = sig(move || {
        let e = t().engineers;
        let mut h = Html::new();
        files.with(|files| {
            for (n, (file, name)) in files.iter().enumerate() {
                let fid = file.to_string();
                let name = if name.is_empty() {
                    format!("{} {}", e.file, n + 1)
                } else {
                    name.clone()
                };
                h.open("li", &[("data-file-id", Some(&fid))]);
                h.span("file-name", &name).text(" ");
                h.el(
                    "button",
                    &[
                        ("type", Some("button")),
                        ("class", Some("link")),
                        ("data-act", Some("remove")),
                        ("data-id", Some(&fid)),
                        ("aria-label", Some(&format!("{} {name}", e.remove))),
                    ],
                    e.remove,
                );
                h.close("li");
            }
        });
        h.finish()
    });
    let remove = click(move |ev| {
        if let Some((_, fid)) = clicked(&ev) {
            files.update(|f| f.retain(|(x, _)| x.to_string() != fid));
        }
    });
    let issue =
        sig(move || issues.with(|all| all.iter().find(|(f, _)| *f == id).map(|(_, m)| m.clone())));
    view! {
        <div class="field attachments" class:invalid=sig(move || issue.with(Option::is_some))>
            <label for=id>{tr(label)}</label>
            <ul class="files" data-testid=format!("{id}-list") inner_html=list on:click=remove></ul>
            <input type="file" id=id multiple on:change=on_change/>
            <small class="status" role="status" hidden=sig(move || uploading.get() == 0)>{tr(|s| s.orders.uploading)}</small>
            {move || upload_error.get().map(|e| view! { <small class="error" role="alert">{e.message()}</small> })}
            <small class="error" data-field-error=id hidden=sig(move || issue.with(Option::is_none))>{issue}</small>
        </div>
    }
}
