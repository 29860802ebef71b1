//! A client's form (`/clients/new`, `/clients/:id`): every field of his
//! data in groups; each save (`POST`, then `PATCH` of what changed) shows
//! the data checks' findings beside their fields without blocking it; the
//! scans, uploaded and downloaded with the session; and "Read from a
//! passport photo", which proposes fields to put into the form — nothing
//! is saved until the user saves.

use super::certificates::{ClientCertificates, filing_issues};
use super::list::base_org;
use super::{ClientDataFields, ClientFields, as_new, field_control, values};
use crate::api::{self, ApiError, IdempotencyKey, clients};
use crate::components::bind::{click, sig};
use crate::components::form::Submit;
use crate::components::html::{Html, clicked};
use crate::components::problem::{FormError, explain, issues};
use crate::components::route::route_id;
use crate::components::status::{AuthGate, Load, LoadStatus, load, signed_in};
use crate::components::upload::{FilesField, Uploaded, chosen};
use crate::format;
use crate::pages::organisations::{Managed, ManagedStatus};
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use mezha_api_types::clients::{Client, ClientFinding, ClientPatch, NewClient, PassportProposal};
use mezha_api_types::organisations::OrganisationAction;
use uuid::Uuid;

#[component]
pub fn ClientFormPage() -> impl IntoView {
    let shown = signed_in();
    let route = route_id();
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="client-page">
            <h1>{move || if route.with(Option::is_some) { t().clients.card_title } else { t().clients.new_title }}</h1>
            {move || shown.get().then(|| view! { <Editor/> })}
        </section>
    }
}

#[component]
fn Editor() -> impl IntoView {
    let managed = Managed::new(OrganisationAction::ManageClients);
    managed.load();
    let org = base_org(managed);
    let route = route_id();
    view! {
        <ManagedStatus managed=managed/>
        {move || org.get().map(|org| view! {
            <p><a href=format!("/clients?id={org}") data-testid="to-clients">{tr(|s| s.clients.back_to_list)}</a></p>
            <ClientForm org=org id=route.get_untracked()/>
        })}
    }
}

/// What changed from `was` to `now`, as a `PATCH`.
fn patch(now: &NewClient, was: &NewClient) -> ClientPatch {
    fn diff<T: PartialEq + Clone>(now: &Option<T>, was: &Option<T>) -> Option<Option<T>> {
        (now != was).then(|| now.clone())
    }
    ClientPatch {
        full_name: (now.full_name != was.full_name).then(|| now.full_name.clone()),
        birth_date: diff(&now.birth_date, &was.birth_date),
        birth_place: diff(&now.birth_place, &was.birth_place),
        passport_series: diff(&now.passport_series, &was.passport_series),
        passport_number: diff(&now.passport_number, &was.passport_number),
        passport_issued_on: diff(&now.passport_issued_on, &was.passport_issued_on),
        passport_issuer_code: diff(&now.passport_issuer_code, &was.passport_issuer_code),
        passport_issuer: diff(&now.passport_issuer, &was.passport_issuer),
        snils: diff(&now.snils, &was.snils),
        inn: diff(&now.inn, &was.inn),
        address: diff(&now.address, &was.address),
        phone: diff(&now.phone, &was.phone),
        email: diff(&now.email, &was.email),
        scan_ids: (now.scan_ids != was.scan_ids).then(|| now.scan_ids.clone()),
    }
}

fn scans_html(client: &Client) -> String {
    let mut h = Html::new();
    for f in &client.scans {
        let id = f.id.to_string();
        h.open("li", &[("data-testid", Some("client-scan"))]);
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

/// The form of organisation `org`'s client `id` (a new one without).
#[component]
fn ClientForm(org: Uuid, id: Option<Uuid>) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let fields = ClientFields::new();
    let findings = RwSignal::new(Vec::<ClientFinding>::new());
    let scans = RwSignal::new(Vec::<Uploaded>::new());
    let client = RwSignal::new(None::<Client>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let just_saved = use_query_map().read_untracked().get("saved").is_some();
    let saved = RwSignal::new(just_saved);
    let key = IdempotencyKey::<NewClient>::new();
    // A refused certificate filing names the card's fields it lacks.
    let file_error = RwSignal::new(None::<ApiError>);
    let issues = issues(error, field_control, move |found| {
        found.extend(file_error.with(filing_issues));
    });
    let apply = move |c: Client| {
        fields.fill(values(&as_new(&c)));
        findings.set(c.findings.clone());
        scans.set(c.scans.iter().cloned().map(Uploaded::from).collect());
        client.set(Some(c));
    };
    let state = RwSignal::new(if id.is_some() {
        Load::Loading
    } else {
        Load::Ready
    });
    let reload = Callback::new(move |_| {
        if let Some(id) = id {
            state.set(Load::Loading);
            load(state, clients::get(auth, id), apply);
        }
    });
    reload.run(());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let data = fields.data(scans.with_untracked(|s| s.iter().map(|f| f.id).collect()));
        let was = client.with_untracked(|c| c.as_ref().map(|c| (c.id, as_new(c))));
        busy.set(true);
        error.set(None);
        saved.set(false);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match &was {
                Some((id, was)) => clients::update(auth, *id, &patch(&data, was)).await,
                None => {
                    let body = NewClient {
                        organisation_id: Some(org),
                        ..data
                    };
                    clients::create(auth, &body, key).await
                }
            };
            match result {
                Ok(c) => {
                    let new_id = c.id;
                    if client.try_get_untracked().is_none() {
                        return;
                    }
                    apply(c);
                    file_error.set(None);
                    saved.set(true);
                    if was.is_none() {
                        navigate(
                            &format!("/clients/{new_id}?id={org}&saved=1"),
                            NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let download_error = RwSignal::new(None::<ApiError>);
    let download = click(move |ev| {
        let Some((_, fid)) = clicked(&ev) else {
            return;
        };
        let file = client.with_untracked(|c| {
            c.as_ref()
                .and_then(|c| c.scans.iter().find(|f| f.id.to_string() == fid).cloned())
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
    let has_scans = sig(move || client.with(|c| c.as_ref().is_some_and(|c| !c.scans.is_empty())));
    view! {
        <LoadStatus state=state retry=reload/>
        <div hidden=sig(move || !state.get().is_ready())>
            <Recognise org=org fields=fields findings=findings/>
            <form class="client-form" on:submit=submit novalidate data-testid="client-form">
                <p class="hint" hidden=sig(move || findings.with(Vec::is_empty))>{tr(|s| s.clients.findings_hint)}</p>
                <ClientDataFields fields=fields issues=issues findings=findings/>
                <div hidden=sig(move || !has_scans.get())>
                    <h3>{tr(|s| s.clients.saved_scans)}</h3>
                    <ul class="files" data-testid="client-saved-scans" on:click=download
                        inner_html=sig(move || client.with(|c| c.as_ref().map(scans_html).unwrap_or_default()))></ul>
                    {move || download_error.get().map(|e| view! { <p class="error" role="alert">{explain(&e)}</p> })}
                </div>
                <FilesField id="client-scans" name="scan_ids" label=|s| s.clients.scans hint=|s| s.clients.scans_hint
                    files=scans issues=issues sizes=true test_ids=true/>
                <FormError error=error/>
                <Submit label=ts(|s| s.clients.save) busy=busy/>
                <p class="success" role="status" data-testid="client-saved" hidden=sig(move || !saved.get())>
                    {tr(|s| s.clients.saved)}
                </p>
            </form>
            {id.is_some().then(|| view! { <ClientCertificates client=client file_error=file_error/> })}
        </div>
    }
}

fn proposal_html(p: &PassportProposal) -> String {
    let c = t().clients;
    let mut h = Html::new();
    for f in &p.fields {
        let mut value = f.value.clone();
        if (f.field == "birth_date" || f.field == "passport_issued_on")
            && let Ok(d) = value.parse()
        {
            value = format::date(d);
        }
        h.open(
            "div",
            &[("class", Some("detail")), ("data-field", Some(&f.field))],
        );
        h.el("dt", &[], c.field(&f.field).unwrap_or_default());
        h.open("dd", &[]).text(&value);
        let list = super::findings_html(&f.findings, &f.field);
        if !list.is_empty() {
            h.open("ul", &[("class", Some("findings"))])
                .raw(&list)
                .close("ul");
        }
        h.close("dd").close("div");
    }
    h.finish()
}

/// "Read from a passport photo": an image uploaded and read (by the
/// employee, or by the person through his link); the fields found are shown
/// with their findings and put into the form on demand.
#[component]
pub(super) fn Recognise(
    fields: ClientFields,
    findings: RwSignal<Vec<ClientFinding>>,
    /// The employee's organisation (uploaded and read with the session).
    #[prop(optional)]
    org: Option<Uuid>,
    /// The request link's token (uploaded and read through the link).
    #[prop(optional)]
    token: Option<String>,
) -> impl IntoView {
    let auth = use_auth();
    let public = token.is_some();
    let token = StoredValue::new(token);
    let proposal = RwSignal::new(None::<PassportProposal>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let put = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(file) = chosen(&ev).into_iter().next() else {
            return;
        };
        event_target::<web_sys::HtmlInputElement>(&ev).set_value("");
        busy.set(true);
        error.set(None);
        proposal.set(None);
        put.set(false);
        spawn_local(async move {
            let read = async {
                match (token.get_value(), org) {
                    (Some(token), _) => {
                        let info = clients::upload_scan(&token, &file).await?;
                        clients::recognise_through_link(token, info.id).await
                    }
                    (None, Some(org)) => {
                        let info = clients::upload(auth, &file).await?;
                        clients::recognise(auth, org, info.id).await
                    }
                    (None, None) => Err(ApiError::Network),
                }
            };
            match read.await {
                Ok(p) => {
                    let _ = proposal.try_set(Some(p));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let fill = click(move |_| {
        let Some(p) = proposal.get_untracked() else {
            return;
        };
        for f in &p.fields {
            fields.set(&f.field, f.value.clone());
        }
        // The findings of the fields put in are the proposal's now.
        findings.update(|all| {
            all.retain(|x| !p.fields.iter().any(|f| f.field == x.field));
            all.extend(p.fields.iter().flat_map(|f| f.findings.iter().cloned()));
        });
        put.set(true);
    });
    let empty = sig(move || proposal.with(|p| p.as_ref().is_some_and(|p| p.fields.is_empty())));
    let has_fields =
        sig(move || proposal.with(|p| p.as_ref().is_some_and(|p| !p.fields.is_empty())));
    view! {
        <details class="subsection" data-testid="client-recognise">
            <summary>{tr(|s| s.clients.recognise_title)}</summary>
            <p class="hint">{move || if public { t().clients.pub_recognise_hint } else { t().clients.recognise_hint }}</p>
            <div class="field">
                <label for="passport-photo">{tr(|s| s.clients.recognise_file)}</label>
                <input type="file" id="passport-photo" accept="image/jpeg,image/png" disabled=busy on:change=on_change/>
                <small class="status" role="status" hidden=sig(move || !busy.get())>{tr(|s| s.clients.recognising)}</small>
            </div>
            <FormError error=error/>
            <p class="notice" data-testid="proposal-empty" hidden=sig(move || !empty.get())>{tr(|s| s.clients.proposal_empty)}</p>
            <div data-testid="passport-proposal" hidden=sig(move || !has_fields.get())>
                <h3>{tr(|s| s.clients.proposal_title)}</h3>
                <dl class="details" inner_html=sig(move || proposal.with(|p| p.as_ref().map(proposal_html).unwrap_or_default()))></dl>
                <button type="button" class="primary" data-testid="put-into-form" on:click=fill>{tr(|s| s.clients.put_into_form)}</button>
                <p class="success" role="status" data-testid="proposal-put" hidden=sig(move || !put.get())>{tr(|s| s.clients.put_done)}</p>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_sends_only_what_changed_and_clears_what_was_emptied() {
        let was = NewClient {
            full_name: "Петров Пётр".into(),
            snils: Some("112-233-445 94".into()),
            email: Some("p@example.ru".into()),
            ..Default::default()
        };
        let now = NewClient {
            full_name: "Петров Пётр".into(),
            snils: Some("112-233-445 95".into()),
            ..Default::default()
        };
        let p = patch(&now, &was);
        assert_eq!(p.full_name, None);
        assert_eq!(p.snils, Some(Some("112-233-445 95".into())));
        assert_eq!(p.email, Some(None));
        assert_eq!(p.inn, None);
        assert_eq!(p.scan_ids, None);
    }
}
