//! The client base (`/clients`, an employee with `manage_clients` or the
//! admin): the search by name, SNILS or passport number, the list a page at
//! a time ("Load more") with each client's number of findings, "Add a
//! client"; the request of data by e-mail and the requests with their
//! status.

use crate::api::{ApiError, IdempotencyKey, clients};
use crate::components::bind::{click, sig};
use crate::components::fields::{Input, non_blank};
use crate::components::form::Submit;
use crate::components::html::{Html, status_badge};
use crate::components::problem::{FormError, issues, no_issues};
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::format;
use crate::pages::organisations::{Managed, ManagedStatus, back_html};
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::clients::{
    ClientRequest, ClientRequestStatus, ClientSummary, ClientsQuery, NewClientRequest,
};
use mezha_api_types::organisations::OrganisationAction;
use mezha_api_types::page::PageQuery;
use uuid::Uuid;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="clients-page">
            <h1>{tr(|s| s.clients.title)}</h1>
            {move || shown.get().then(|| view! { <Base/> })}
        </section>
    }
}

/// The organisation whose base a page shows, once the session works in
/// it and it allows keeping the base.
pub fn base_org(managed: Managed) -> Memo<Option<Uuid>> {
    let org = managed.working();
    Memo::new(move |_| {
        org.with(|o| {
            o.as_ref()
                .filter(|o| {
                    o.allowed_actions
                        .contains(&OrganisationAction::ManageClients)
                })
                .map(|o| o.id)
        })
    })
}

#[component]
fn Base() -> impl IntoView {
    let managed = Managed::new(OrganisationAction::ManageClients);
    managed.load();
    let id = base_org(managed);
    view! {
        <p inner_html=sig(move || managed.org.with(|o| o.as_ref().map(back_html).unwrap_or_default()))></p>
        <ManagedStatus managed=managed/>
        {move || id.get().map(|id| view! {
            <List org=id/>
            <Requests org=id/>
        })}
    }
}

fn clients_html(org: Uuid, items: &[ClientSummary]) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for x in items {
        let id = x.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("client")),
                ("data-client-id", Some(&id)),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el(
            "a",
            &[
                ("href", Some(&format!("/clients/{id}?id={org}"))),
                ("data-testid", Some("client-link")),
            ],
            &x.full_name,
        );
        if x.findings > 0 {
            h.el(
                "span",
                &[
                    ("class", Some("status-badge status-findings")),
                    ("data-testid", Some("client-findings")),
                ],
                &format!("{}: {}", c.findings_count, x.findings),
            );
        }
        h.close("div");
        let mut meta = Vec::new();
        if let Some(d) = x.birth_date {
            meta.push(format!("{} {}", c.born, format::date(d)));
        }
        if let Some(snils) = &x.snils {
            meta.push(format!("{}: {snils}", c.field("snils").unwrap_or_default()));
        }
        if !meta.is_empty() {
            h.el("p", &[("class", Some("party-terms"))], &meta.join(" · "));
        }
        h.close("li");
    }
    h.finish()
}

/// The search and the list of organisation `org`'s clients.
#[component]
fn List(org: Uuid) -> impl IntoView {
    let auth = use_auth();
    let q = RwSignal::new(String::new());
    let searched = RwSignal::new(None::<String>);
    let items = RwSignal::new(Vec::<ClientSummary>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Load::Loading);
    let more_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let query = move |cursor: Option<String>| ClientsQuery {
        q: searched.get_untracked(),
        organisation_id: Some(org),
        page: PageQuery {
            limit: None,
            cursor,
        },
    };
    let first = Callback::new(move |_| {
        state.set(Load::Loading);
        let first = query(None);
        let fetch = async move { clients::list(auth, &first).await };
        load(state, fetch, move |page| {
            items.set(page.items);
            next.set(page.next_cursor);
        });
    });
    first.run(());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        searched.set(non_blank(q.get_untracked()));
        first.run(());
    };
    let more = click(move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        busy.set(true);
        more_error.set(None);
        let query = query(Some(cursor));
        spawn_local(async move {
            match clients::list(auth, &query).await {
                Ok(page) => {
                    let _ = items.try_update(|e| e.extend(page.items));
                    let _ = next.try_set(page.next_cursor);
                }
                Err(e) => {
                    let _ = more_error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    });
    let empty_text = move || {
        if searched.with(Option::is_some) {
            t().clients.nothing_found
        } else {
            t().clients.empty
        }
    };
    view! {
        <div class="actions">
            <a class="button primary" data-testid="client-add" href=format!("/clients/new?id={org}")>
                {tr(|s| s.clients.add)}
            </a>
        </div>
        <form class="search" role="search" on:submit=search novalidate data-testid="client-search">
            <Input id="client-q" name="q" kind="search" label=|s| s.clients.search hint=|s| s.clients.search_hint
                value=q issues=no_issues()/>
            <button type="submit">{tr(|s| s.clients.search_submit)}</button>
        </form>
        <LoadStatus state=state retry=first/>
        <ul class="parties" data-testid="client-list" inner_html=sig(move || items.with(|i| clients_html(org, i)))></ul>
        <p class="empty" data-testid="clients-empty" hidden=sig(move || !state.get().is_ready() || !items.with(Vec::is_empty))>
            {empty_text}
        </p>
        <FormError error=more_error/>
        <button type="button" data-testid="clients-more" hidden=sig(move || next.with(Option::is_none))
            disabled=busy on:click=more>
            {move || if busy.get() { t().loading } else { t().clients.load_more }}
        </button>
    }
}

fn requests_html(org: Uuid, items: &[ClientRequest]) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for x in items {
        let id = x.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("client-request")),
                ("data-request-id", Some(&id)),
                ("data-status", Some(x.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], x.full_name.as_deref().unwrap_or(&x.email));
        status_badge(&mut h, x.status.as_str(), c.request_status(x.status));
        h.close("div");
        let mut meta = vec![
            x.email.clone(),
            format!("{} {}", c.sent_at, format::time(x.created_at)),
        ];
        if x.status == ClientRequestStatus::Sent {
            meta.push(format!("{} {}", c.valid_until, format::time(x.expires_at)));
        }
        if let Some(at) = x.submitted_at {
            meta.push(format!("{} {}", c.submitted_at, format::time(at)));
        }
        h.el("p", &[("class", Some("party-terms"))], &meta.join(" · "));
        if let Some(client) = x.client_id {
            h.el(
                "a",
                &[
                    ("href", Some(&format!("/clients/{client}?id={org}"))),
                    ("data-testid", Some("request-client")),
                ],
                c.open_client,
            );
        } else if x.submitted_at.is_some() {
            h.el(
                "a",
                &[
                    ("href", Some(&format!("/clients/requests/{id}?id={org}"))),
                    ("data-testid", Some("request-review")),
                ],
                c.open_review,
            );
        }
        h.close("li");
    }
    h.finish()
}

/// "Ask the client to fill in his data" and the requests sent.
#[component]
fn Requests(org: Uuid) -> impl IntoView {
    let auth = use_auth();
    let items = RwSignal::new(Vec::<ClientRequest>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(Load::Loading);
    let reload = Callback::new(move |_| {
        load(state, clients::requests(auth, org, None), move |page| {
            items.set(page.items);
            next.set(page.next_cursor);
        });
    });
    reload.run(());
    let more_error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let more = click(move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match clients::requests(auth, org, Some(cursor)).await {
                Ok(page) => {
                    let _ = items.try_update(|e| e.extend(page.items));
                    let _ = next.try_set(page.next_cursor);
                }
                Err(e) => {
                    let _ = more_error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    });
    view! {
        <Ask org=org sent=reload/>
        <section class="subsection" data-testid="client-requests">
            <h2>{tr(|s| s.clients.requests_title)}</h2>
            <LoadStatus state=state retry=reload quiet=true/>
            <ul class="parties" data-testid="client-request-list"
                inner_html=sig(move || items.with(|i| requests_html(org, i)))></ul>
            <p class="empty" hidden=sig(move || !state.get().is_ready() || !items.with(Vec::is_empty))>
                {tr(|s| s.clients.requests_empty)}
            </p>
            <FormError error=more_error/>
            <button type="button" data-testid="requests-more" hidden=sig(move || next.with(Option::is_none))
                disabled=busy on:click=more>
                {move || if busy.get() { t().loading } else { t().clients.load_more }}
            </button>
        </section>
    }
}

/// The request by e-mail: the address and, if known, the name.
#[component]
fn Ask(org: Uuid, sent: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let key = IdempotencyKey::new();
    let issues = issues(
        error,
        |n| match n {
            "email" => Some("email"),
            "full_name" => Some("full_name"),
            _ => None,
        },
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewClientRequest {
            email: email.get_untracked().trim().to_owned(),
            full_name: non_blank(name.get_untracked()),
            organisation_id: Some(org),
        };
        busy.set(true);
        error.set(None);
        done.set(false);
        spawn_local(async move {
            match clients::request(auth, &body, key).await {
                Ok(_) => {
                    let _ = done.try_set(true);
                    let _ = email.try_set(String::new());
                    let _ = name.try_set(String::new());
                    let _ = sent.try_run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="client-ask" aria-labelledby="client-ask-title">
            <h2 id="client-ask-title">{tr(|s| s.clients.ask_title)}</h2>
            <p class="hint">{tr(|s| s.clients.ask_hint)}</p>
            <Input id="ask-email" name="email" kind="email" required=true label=|s| s.clients.ask_email
                value=email issues=issues/>
            <Input id="ask-name" name="full_name" label=|s| s.clients.ask_name value=name issues=issues/>
            <FormError error=error server_text=&["conflict", "not_found"]/>
            <Submit label=ts(|s| s.clients.ask_submit) busy=busy/>
            <p class="success" role="status" data-testid="client-asked" hidden=sig(move || !done.get())>{tr(|s| s.clients.asked)}</p>
        </form>
    }
}
