//! The participants step: who takes part, in which role and share, whom a
//! representative signs for, "Remove"; and adding one — a client found in
//! the organisation's base by name, SNILS or passport, or the organisation
//! itself — with the server's refusals beside the fields.

use super::card::DealCard;
use super::{DealError, participant_label};
use crate::api::{ApiError, IdempotencyKey, clients, deals};
use crate::components::bind::{click, sig};
use crate::components::fields::{Choice, Input, Segments, non_blank};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked};
use crate::components::problem::{FormError, issues, no_issues};
use crate::format;
use crate::state::{Pick, t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::clients::{ClientSummary, ClientsQuery};
use mezha_api_types::deals::{Deal, DealAction, NewParticipant, ParticipantRole};
use uuid::Uuid;

/// Whom a participant is: a client of the base, or the organisation.
const WHO: &[(&str, Pick)] = &[
    ("client", |s| s.deals.who_client),
    ("organisation", |s| s.deals.who_organisation),
];

fn participants_html(deal: &Deal, removable: bool, busy: bool) -> String {
    let d = t().deals;
    let mut h = Html::new();
    for p in &deal.participants {
        let id = p.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("participant")),
                ("data-participant-id", Some(&id)),
                ("data-role", Some(p.role.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], &p.name);
        h.span("tag-status", d.role(p.role));
        if p.client_id.is_none() {
            h.span("tag-status", d.the_organisation);
        }
        h.close("div");
        let mut terms = vec![format!(
            "{}: {}",
            d.share,
            p.share.as_deref().unwrap_or(d.whole)
        )];
        if let Some(whom) = p.represents {
            let name = deal
                .participants
                .iter()
                .find(|x| x.id == whom)
                .map(participant_label)
                .unwrap_or_default();
            terms.push(format!("{}: {name}", d.represents));
        }
        if !p.signs {
            terms.push(d.signed_for.to_owned());
        }
        h.el("p", &[("class", Some("party-terms"))], &terms.join(" · "));
        if removable {
            act_button(
                &mut h,
                "remove",
                &id,
                "participant-remove",
                Some("link"),
                busy,
                d.remove,
            );
        }
        h.close("li");
    }
    h.finish()
}

#[component]
pub fn ParticipantsStep(card: DealCard) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let list = sig(move || {
        let removable = card.allows(DealAction::EditParticipant);
        let busy = card.busy.get();
        card.deal.with(|d| {
            d.as_ref()
                .map(|d| participants_html(d, removable, busy))
                .unwrap_or_default()
        })
    });
    let remove = click(move |ev| {
        if let Some((act, pid)) = clicked(&ev)
            && act == "remove"
            && let Ok(pid) = pid.parse::<Uuid>()
        {
            let (auth, id) = (card.auth, card.id());
            card.act(
                error,
                Box::pin(async move { deals::remove_participant(auth, id, pid).await }),
                || {},
            );
        }
    });
    let empty = sig(move || {
        card.deal
            .with(|d| d.as_ref().is_some_and(|d| d.participants.is_empty()))
    });
    view! {
        <section class="deal-step" data-testid="deal-participants">
            <h2>{tr(|s| s.deals.participants_title)}</h2>
            <ul class="parties" data-testid="participant-list" inner_html=list on:click=remove></ul>
            <p class="empty" hidden=sig(move || !empty.get())>{tr(|s| s.deals.participants_empty)}</p>
            <DealError error=error/>
            {move || card.allows(DealAction::AddParticipant).then(|| view! { <AddParticipant card=card/> })}
        </section>
    }
}

fn found_html(items: &[ClientSummary]) -> String {
    let d = t().deals;
    let mut h = Html::new();
    for c in items {
        let id = c.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("found-client")),
                ("data-client-id", Some(&id)),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], &c.full_name);
        act_button(&mut h, "pick", &id, "pick-client", None, false, d.pick);
        h.close("div");
        let mut meta = Vec::new();
        if let Some(born) = c.birth_date {
            meta.push(format!("{} {}", t().clients.born, format::date(born)));
        }
        if let Some(snils) = &c.snils {
            meta.push(format!("{}: {snils}", t().snils));
        }
        if !meta.is_empty() {
            h.el("p", &[("class", Some("party-terms"))], &meta.join(" · "));
        }
        h.close("li");
    }
    h.finish()
}

/// Adding a participant: whom (a client of the base, or the organisation
/// itself), the role, the share, and for a representative whom he signs for.
#[component]
fn AddParticipant(card: DealCard) -> impl IntoView {
    let auth = card.auth;
    let org = card
        .deal
        .with_untracked(|d| d.as_ref().map(|d| d.organisation_id));
    let who = RwSignal::new("client".to_owned());
    let q = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<ClientSummary>>);
    let search_error = RwSignal::new(None::<ApiError>);
    let searching = RwSignal::new(false);
    let client = RwSignal::new(None::<(Uuid, String)>);
    let role = RwSignal::new(String::new());
    let share = RwSignal::new(String::new());
    let represents = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let tried = RwSignal::new(false);
    let done = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let is_client = sig(move || who.with(|w| w == "client"));
    let is_representative =
        sig(move || role.with(|r| r == ParticipantRole::Representative.as_str()));
    let issues = issues(
        error,
        |n| match n {
            "client_id" => Some("client_id"),
            "role" => Some("role"),
            "share" => Some("share"),
            "represents" => Some("represents"),
            _ => None,
        },
        move |found| {
            if !tried.get() {
                return;
            }
            let required = t().errors.required.to_owned();
            if who.with(|w| w == "client") && client.with(Option::is_none) {
                found.push(("client_id", t().deals.pick_client_first.to_owned()));
            }
            if role.with(String::is_empty) {
                found.push(("role", required.clone()));
            }
            if role.with(|r| r == ParticipantRole::Representative.as_str())
                && represents.with(String::is_empty)
            {
                found.push(("represents", required));
            }
        },
    );
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = ClientsQuery {
            q: non_blank(q.get_untracked()),
            organisation_id: org,
            page: Default::default(),
        };
        searching.set(true);
        search_error.set(None);
        spawn_local(async move {
            match clients::list(auth, &query).await {
                Ok(page) => {
                    let _ = found.try_set(Some(page.items));
                }
                Err(e) => {
                    let _ = search_error.try_set(Some(e));
                }
            }
            let _ = searching.try_set(false);
        });
    };
    let pick = click(move |ev| {
        if let Some((act, cid)) = clicked(&ev)
            && act == "pick"
            && let Ok(cid) = cid.parse::<Uuid>()
        {
            let name = found.with_untracked(|f| {
                f.iter()
                    .flatten()
                    .find(|c| c.id == cid)
                    .map(|c| c.full_name.clone())
                    .unwrap_or_default()
            });
            client.set(Some((cid, name)));
            found.set(None);
        }
    });
    let roles = Signal::derive(|| {
        ParticipantRole::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), t().deals.role(*r).to_owned()))
            .collect::<Vec<_>>()
    });
    let principals = Signal::derive(move || {
        card.deal.with(|d| {
            d.iter()
                .flat_map(|d| d.participants.iter())
                .filter(|p| p.role != ParticipantRole::Representative)
                .map(|p| (p.id.to_string(), participant_label(p)))
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        done.set(false);
        let client_id = if is_client.get_untracked() {
            match client.get_untracked() {
                Some((id, _)) => Some(id),
                None => return,
            }
        } else {
            None
        };
        let Ok(role_now) = role.get_untracked().parse::<ParticipantRole>() else {
            return;
        };
        let whom = if role_now == ParticipantRole::Representative {
            match represents.get_untracked().parse::<Uuid>() {
                Ok(id) => Some(id),
                Err(_) => return,
            }
        } else {
            None
        };
        let body = NewParticipant {
            client_id,
            role: role_now,
            share: non_blank(share.get_untracked()),
            represents: whom,
        };
        let (auth, id) = (card.auth, card.id());
        card.act(
            error,
            Box::pin(async move { deals::add_participant(auth, id, &body, key).await }),
            move || {
                let _ = tried.try_set(false);
                let _ = done.try_set(true);
                let _ = client.try_set(None);
                let _ = share.try_set(String::new());
                let _ = represents.try_set(String::new());
                let _ = q.try_set(String::new());
            },
        );
    };
    let client_issue = sig(move || {
        issues.with(|all| {
            all.iter()
                .find(|(c, _)| *c == "client_id")
                .map(|(_, m)| m.clone())
        })
    });
    view! {
        <div class="subsection" data-testid="participant-add">
            <h2>{tr(|s| s.deals.add_title)}</h2>
            <Segments name="participant-who" label=|s| s.deals.who value=who
                options=WHO/>
            <div hidden=sig(move || !is_client.get())>
                <form class="search" role="search" on:submit=search novalidate data-testid="participant-search">
                    <Input id="participant-q" name="q" kind="search" label=|s| s.deals.client_search
                        hint=|s| s.clients.search_hint value=q issues=no_issues()/>
                    <button type="submit" disabled=searching>{tr(|s| s.clients.search_submit)}</button>
                </form>
                <FormError error=search_error/>
                <ul class="parties" data-testid="found-clients" on:click=pick
                    inner_html=sig(move || found.with(|f| f.as_deref().map(found_html).unwrap_or_default()))></ul>
                <p class="empty" hidden=sig(move || !found.with(|f| f.as_ref().is_some_and(Vec::is_empty)))>
                    {tr(|s| s.clients.nothing_found)}
                </p>
                <p class="chosen" data-testid="chosen-client" hidden=sig(move || client.with(Option::is_none))>
                    {tr(|s| s.deals.chosen_client)} ": "
                    <strong>{move || client.get().map(|(_, name)| name)}</strong>
                </p>
                <p class="error" data-field-error="client_id" hidden=sig(move || client_issue.with(Option::is_none))>
                    {client_issue}
                </p>
            </div>
            <form class="party-form" on:submit=submit novalidate data-testid="participant-form">
                <div class="row">
                    <Choice id="role" label=|s| s.deals.role_label value=role options=roles issues=issues
                        blank=|s| s.deals.not_chosen/>
                    <Input id="share" name="share" label=|s| s.deals.share hint=|s| s.deals.share_hint
                        value=share issues=issues/>
                </div>
                <div hidden=sig(move || !is_representative.get())>
                    <Choice id="represents" label=|s| s.deals.represents value=represents options=principals
                        issues=issues blank=|s| s.deals.not_chosen/>
                </div>
                <DealError error=error/>
                <Submit label=ts(|s| s.deals.add_submit) busy=card.busy/>
                <p class="success" role="status" data-testid="participant-added" hidden=sig(move || !done.get())>
                    {tr(|s| s.deals.added)}
                </p>
            </form>
        </div>
    }
}
