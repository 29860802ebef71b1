//! A request of data by e-mail (`/clients/requests/:id`): what the person
//! submitted, with the data checks' findings beside the fields and his
//! scans, and "Accept into the base" when the server allows it, which
//! opens the new client.

use super::data_html;
use super::list::base_org;
use crate::api::{self, ApiError, clients};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked, status_badge};
use crate::components::problem::{FormError, explain};
use crate::components::route::route_id;
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::format;
use crate::pages::organisations::{Managed, ManagedStatus};
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use mezha_api_types::clients::{ClientRequest, ClientRequestAction};
use mezha_api_types::organisations::OrganisationAction;
use uuid::Uuid;

#[component]
pub fn ClientRequestPage() -> impl IntoView {
    let shown = signed_in();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="client-request-page">
            <h1>{tr(|s| s.clients.review_title)}</h1>
            {move || shown.get().then(|| view! { <Review/> })}
        </section>
    }
}

#[component]
fn Review() -> impl IntoView {
    let managed = Managed::new(OrganisationAction::ManageClients);
    managed.load();
    let org = base_org(managed);
    let route = route_id();
    view! {
        <ManagedStatus managed=managed/>
        {move || org.get().zip(route.get()).map(|(org, id)| view! {
            <p><a href=format!("/clients?id={org}") data-testid="to-clients">{tr(|s| s.clients.back_to_list)}</a></p>
            <Submission org=org id=id/>
        })}
    }
}

fn head_html(r: &ClientRequest) -> String {
    let c = t().clients;
    let mut h = Html::new();
    h.open("div", &[("class", Some("party-head"))]);
    h.el("strong", &[], &r.email);
    status_badge(&mut h, r.status.as_str(), c.request_status(r.status));
    h.close("div");
    if let Some(s) = &r.submission {
        h.el(
            "p",
            &[("class", Some("party-terms"))],
            &format!("{} {}", c.submitted_at, format::time(s.submitted_at)),
        );
    }
    h.finish()
}

fn scans_html(r: &ClientRequest) -> String {
    let mut h = Html::new();
    for f in r.submission.iter().flat_map(|s| s.scans.iter()) {
        let id = f.id.to_string();
        h.open("li", &[("data-testid", Some("request-scan"))]);
        h.el(
            "button",
            &[
                ("type", Some("button")),
                ("class", Some("link")),
                ("data-act", Some("download")),
                ("data-id", Some(&id)),
            ],
            &f.name,
        )
        .text(" ");
        h.span("file-size", &format::size(f.size));
        h.close("li");
    }
    h.finish()
}

/// Request `id` of organisation `org`.
#[component]
fn Submission(org: Uuid, id: Uuid) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let request = RwSignal::new(None::<ClientRequest>);
    let state = RwSignal::new(Load::Loading);
    let reload = Callback::new(move |_| {
        state.set(Load::Loading);
        load(state, clients::get_request(auth, id), move |r| {
            request.set(Some(r))
        });
    });
    reload.run(());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let may_accept = sig(move || {
        request.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.allowed_actions.contains(&ClientRequestAction::Accept))
        })
    });
    let accept = click(move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match clients::accept(auth, id).await {
                Ok(client) => {
                    if busy.try_set(false).is_none() {
                        navigate(
                            &format!("/clients/{}?id={org}", client.id),
                            Default::default(),
                        );
                    }
                }
                Err(e) => {
                    // Accepted meanwhile (or changed): show it as it is now.
                    if matches!(e.code(), Some("illegal_transition" | "conflict")) {
                        let _ = reload.try_run(());
                    }
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    });
    let download_error = RwSignal::new(None::<ApiError>);
    let download = click(move |ev| {
        let Some((_, fid)) = clicked(&ev) else {
            return;
        };
        let file = request.with_untracked(|r| {
            r.as_ref()
                .and_then(|r| r.submission.as_ref())
                .and_then(|s| s.scans.iter().find(|f| f.id.to_string() == fid).cloned())
        });
        if let Some(file) = file {
            spawn_local(async move {
                let path = format!("/files/{}", file.id);
                if let Err(e) = api::files::save_file(auth, &path, &file.name).await {
                    let _ = download_error.try_set(Some(e));
                }
            });
        }
    });
    let data = sig(move || {
        request.with(|r| {
            r.as_ref()
                .and_then(|r| r.submission.as_ref())
                .map(|s| data_html(&s.data, &s.findings))
                .unwrap_or_default()
        })
    });
    let submitted =
        sig(move || request.with(|r| r.as_ref().is_some_and(|r| r.submission.is_some())));
    let client = sig(move || request.with(|r| r.as_ref().and_then(|r| r.client_id)));
    let has_scans = sig(move || {
        request.with(|r| {
            r.as_ref()
                .and_then(|r| r.submission.as_ref())
                .is_some_and(|s| !s.scans.is_empty())
        })
    });
    view! {
        <LoadStatus state=state retry=reload/>
        <div inner_html=sig(move || request.with(|r| r.as_ref().map(head_html).unwrap_or_default()))></div>
        <p class="notice" hidden=sig(move || !state.get().is_ready() || submitted.get())>{tr(|s| s.clients.not_submitted)}</p>
        <dl class="details" data-testid="request-data" inner_html=data></dl>
        <h3 hidden=sig(move || !has_scans.get())>{tr(|s| s.clients.scans)}</h3>
        <ul class="files" data-testid="request-scans" on:click=download
            inner_html=sig(move || request.with(|r| r.as_ref().map(scans_html).unwrap_or_default()))></ul>
        {move || download_error.get().map(|e| view! { <p class="error" role="alert">{explain(&e)}</p> })}
        <FormError error=error/>
        <div class="actions">
            <button type="button" class="primary" data-testid="request-accept" hidden=sig(move || !may_accept.get())
                disabled=busy on:click=accept>
                {move || if busy.get() { t().loading } else { t().clients.accept }}
            </button>
            {move || client.get().map(|c| view! {
                <a class="button" href=format!("/clients/{c}?id={org}") data-testid="request-client">{tr(|s| s.clients.open_client)}</a>
            })}
        </div>
    }
}
