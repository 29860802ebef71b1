//! The object step: the deal's title and its object (cadastral number,
//! address, kind, area), each saved as soon as it changes (`change` fires
//! when a field is left or a choice made), with the server's refusal of a
//! value beside its field. A frozen deal shows them read-only.

use super::DealError;
use super::card::DealCard;
use crate::api::{ApiError, deals};
use crate::components::bind::sig;
use crate::components::fields::{Area, Choice, Input};
use crate::components::problem::issue_text;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::ErrorCode;
use mezha_api_types::deals::{Deal, DealAction, DealObject, DealPatch, ObjectType};

/// The control showing the server's field `name` (`object.area` → `area`).
fn control(name: &str) -> Option<&'static str> {
    Some(match name.trim_start_matches("object.") {
        "title" => "title",
        "cadastral_number" => "cadastral_number",
        "address" => "address",
        "object_type" => "object_type",
        "area" => "area",
        _ => return None,
    })
}

/// The value the deal holds for control `name`, as the form writes it.
fn held(deal: &Deal, name: &str) -> String {
    let o = &deal.object;
    match name {
        "title" => deal.title.clone(),
        "cadastral_number" => o.cadastral_number.clone().unwrap_or_default(),
        "address" => o.address.clone().unwrap_or_default(),
        "object_type" => o
            .object_type
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        _ => o.area.clone().unwrap_or_default(),
    }
}

#[component]
pub fn ObjectStep(card: DealCard) -> impl IntoView {
    let start = card.deal.get_untracked();
    let value =
        |name: &str| RwSignal::new(start.as_ref().map(|d| held(d, name)).unwrap_or_default());
    let title = value("title");
    let cadastral = value("cadastral_number");
    let address = value("address");
    let kind = value("object_type");
    let area = value("area");
    let signal_of = move |name: &str| match name {
        "title" => title,
        "cadastral_number" => cadastral,
        "address" => address,
        "object_type" => kind,
        _ => area,
    };
    // The server's refusals by control; each save replaces its own.
    let refusals = RwSignal::new(Vec::<(&'static str, String)>::new());
    let issues = Signal::derive(move || refusals.get());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let saving = RwSignal::new(0u32);
    let editable = sig(move || card.allows(DealAction::Edit));
    let save = move |ev: leptos::ev::Event| {
        let Some(name) = event_target::<web_sys::Element>(&ev)
            .get_attribute("name")
            .and_then(|n| control(&n))
        else {
            return;
        };
        let sent = signal_of(name).get_untracked().trim().to_owned();
        let mut object = DealObject::default();
        let mut patch = DealPatch::default();
        match name {
            "title" => patch.title = Some(sent.clone()),
            "cadastral_number" => object.cadastral_number = Some(sent.clone()),
            "address" => object.address = Some(sent.clone()),
            "object_type" => match sent.parse::<ObjectType>() {
                Ok(k) => object.object_type = Some(k),
                Err(_) => return,
            },
            _ => object.area = Some(sent.clone()),
        }
        if name != "title" {
            patch.object = Some(object);
        }
        let (auth, id) = (card.auth, card.id());
        saving.update(|n| *n += 1);
        saved.set(false);
        error.set(None);
        spawn_local(async move {
            // Fields left one after another save at once: a save that met
            // another one's change (409 `conflict`, the deal moved under it)
            // is sent again, since it sets one field and keeps the rest.
            let mut answer = deals::update(auth, id, &patch).await;
            for _ in 0..3 {
                match &answer {
                    Err(ApiError::Problem(p)) if p.code == ErrorCode::Conflict => {
                        answer = deals::update(auth, id, &patch).await;
                    }
                    _ => break,
                }
            }
            let _ = refusals.try_update(|all| all.retain(|(c, _)| *c != name));
            match answer {
                Ok(deal) => {
                    // The value as stored (`54,30` → `54.3`), unless typed over.
                    let stored = held(&deal, name);
                    let field = signal_of(name);
                    if field.try_with_untracked(|v| v.trim() == sent) == Some(true) {
                        let _ = field.try_set(stored);
                    }
                    card.show(deal);
                    let _ = saved.try_set(true);
                }
                Err(ApiError::Problem(p)) if p.errors.is_some() => {
                    let found: Vec<(&'static str, String)> = p
                        .errors
                        .iter()
                        .flatten()
                        .filter_map(|(field, list)| {
                            Some((control(field)?, issue_text(list.first()?)))
                        })
                        .collect();
                    let _ = refusals.try_update(|all| all.extend(found));
                }
                Err(e) => card.refused(e, error),
            }
            let _ = saving.try_update(|n| *n = n.saturating_sub(1));
        });
    };
    let kinds = Signal::derive(|| {
        ObjectType::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), t().deals.object_type(*k).to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <form class="deal-step" data-testid="deal-object" on:change=save on:submit=|ev| ev.prevent_default() novalidate>
            <h2>{tr(|s| s.deals.object_title)}</h2>
            <p class="hint">{move || if editable.get() { t().deals.object_hint } else { t().deals.frozen_hint }}</p>
            <fieldset class="plain-fieldset" disabled=sig(move || !editable.get())>
                <Input id="deal-title" name="title" label=|s| s.deals.deal_title value=title issues=issues/>
                <div class="row">
                    <Input id="cadastral_number" name="cadastral_number" label=|s| s.deals.cadastral_number
                        hint=|s| s.deals.cadastral_hint value=cadastral issues=issues/>
                    <Choice id="object_type" label=|s| s.deals.object_type_label value=kind options=kinds
                        issues=issues blank=|s| s.deals.not_chosen/>
                </div>
                <Area id="address" name="address" label=|s| s.deals.address value=address issues=issues rows=2/>
                <Input id="area" name="area" label=|s| s.deals.area hint=|s| s.deals.area_hint value=area issues=issues/>
            </fieldset>
            <p class="status" role="status" data-testid="object-saving" hidden=sig(move || saving.get() == 0)>{tr(|s| s.deals.saving)}</p>
            <p class="success" role="status" data-testid="object-saved" hidden=sig(move || !saved.get() || saving.get() > 0)>{tr(|s| s.deals.saved)}</p>
            <DealError error=error/>
        </form>
    }
}
