//! The request link's page (`/client-request?token=…`, no account needed):
//! who asks, the person's data form and his scans uploaded through the
//! link, "Send my data" once; afterwards the data checks' findings with a
//! thank-you. A link that is unknown, used or expired says so.

use super::form::Recognise;
use super::{ClientDataFields, ClientFields, all_findings_html, field_control, values};
use crate::api::{ApiError, clients};
use crate::components::bind::{click, sig};
use crate::components::form::Submit;
use crate::components::html::{Html, clicked};
use crate::components::problem::{FormError, explain, issues};
use crate::components::status::{Load, LoadStatus};
use crate::components::upload::chosen;
use crate::format;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use mezha_api_types::clients::{ClientFinding, ClientRequestPreview, NewClient, SubmitClientData};
use mezha_api_types::orders::FileInfo;

#[component]
pub fn ClientLinkPage() -> impl IntoView {
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .filter(|t| !t.trim().is_empty());
    let preview = RwSignal::new(None::<ClientRequestPreview>);
    let state = RwSignal::new(if token.is_some() {
        Load::Loading
    } else {
        Load::Ready
    });
    let invalid = RwSignal::new(None::<ApiError>);
    let reload = Callback::new({
        let token = token.clone();
        move |_| {
            let Some(token) = token.clone() else {
                return;
            };
            state.set(Load::Loading);
            spawn_local(async move {
                let result = clients::preview(token).await;
                let _ = match result {
                    Ok(p) => {
                        let _ = preview.try_set(Some(p));
                        state.try_set(Load::Ready)
                    }
                    Err(e) if e.code() == Some("invalid_token") => {
                        let _ = invalid.try_set(Some(e));
                        state.try_set(Load::Ready)
                    }
                    Err(e) => state.try_set(Load::Failed(e)),
                };
            });
        }
    });
    reload.run(());
    let token = StoredValue::new(token.unwrap_or_default());
    let done = RwSignal::new(None::<Vec<ClientFinding>>);
    let summary = sig(move || {
        preview.with(|p| {
            let Some(p) = p else {
                return String::new();
            };
            let c = t().clients;
            let mut h = Html::new();
            h.el(
                "p",
                &[("data-testid", Some("request-organisation"))],
                &c.pub_asks.replace("{}", &p.organisation),
            );
            h.el(
                "p",
                &[("class", Some("hint"))],
                &format!("{} {}", c.pub_until, format::time(p.expires_at)),
            );
            h.finish()
        })
    });
    view! {
        <section class="card narrow" data-testid="client-link-page">
            <h1>{tr(|s| s.clients.pub_title)}</h1>
            <p class="error" role="alert" data-testid="client-link-no-token" hidden=!token.with_value(String::is_empty)>
                {tr(|s| s.clients.pub_no_token)}
            </p>
            <LoadStatus state=state retry=reload/>
            {move || invalid.get().map(|e| view! {
                <div class="error-box" role="alert" data-testid="client-link-invalid">
                    <h2>{tr(|s| s.clients.pub_invalid_title)}</h2>
                    <p>{explain(&e)}</p>
                    <p>{tr(|s| s.clients.pub_invalid_text)}</p>
                </div>
            })}
            <div inner_html=summary hidden=sig(move || done.with(Option::is_some))></div>
            {move || match done.get() {
                Some(findings) => Some(view! { <Done findings=findings/> }.into_any()),
                None => preview.get().map(|p| view! {
                    <LinkForm token=token.get_value() name=p.full_name.unwrap_or_default() done=done invalid=invalid/>
                }.into_any()),
            }}
        </section>
    }
}

/// After the submission: the thanks and what the checks found.
#[component]
fn Done(findings: Vec<ClientFinding>) -> impl IntoView {
    let flagged = !findings.is_empty();
    let list = all_findings_html(&findings);
    view! {
        <div class="success-box" role="status" data-testid="client-link-done">
            <h2>{tr(|s| s.clients.pub_done_title)}</h2>
            <p>{tr(|s| s.clients.pub_done_text)}</p>
        </div>
        <div hidden=!flagged data-testid="client-link-findings">
            <p>{tr(|s| s.clients.pub_done_findings)}</p>
            <ul class="findings" inner_html=list></ul>
        </div>
    }
}

fn uploaded_html(files: &[FileInfo]) -> String {
    let remove = t().orders.remove;
    let mut h = Html::new();
    for f in files {
        let id = f.id.to_string();
        h.open("li", &[("data-file-id", Some(&id))]);
        h.span("file-name", &f.name).text(" ");
        h.span("file-size", &format::size(f.size)).text(" ");
        h.el(
            "button",
            &[
                ("type", Some("button")),
                ("class", Some("link")),
                ("data-act", Some("remove")),
                ("data-id", Some(&id)),
            ],
            remove,
        );
        h.close("li");
    }
    h.finish()
}

/// The person's form: his data and his scans through the link.
#[component]
fn LinkForm(
    token: String,
    name: String,
    done: RwSignal<Option<Vec<ClientFinding>>>,
    invalid: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let fields = ClientFields::new();
    fields.fill(values(&NewClient {
        full_name: name,
        ..Default::default()
    }));
    let findings = RwSignal::new(Vec::<ClientFinding>::new());
    let scans = RwSignal::new(Vec::<FileInfo>::new());
    let uploading = RwSignal::new(0u32);
    let upload_error = RwSignal::new(None::<ApiError>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let issues = issues(error, field_control, |_| {});
    let on_change = move |ev: leptos::ev::Event| {
        let picked = chosen(&ev);
        event_target::<web_sys::HtmlInputElement>(&ev).set_value("");
        upload_error.set(None);
        for file in picked {
            uploading.update(|n| *n += 1);
            let token = token.get_value();
            spawn_local(async move {
                match clients::upload_scan(&token, &file).await {
                    Ok(info) => {
                        let _ = scans.try_update(|s| s.push(info));
                    }
                    Err(e) => {
                        let _ = upload_error.try_set(Some(e));
                    }
                }
                let _ = uploading.try_update(|n| *n = n.saturating_sub(1));
            });
        }
    };
    let remove = click(move |ev| {
        if let Some((_, fid)) = clicked(&ev) {
            scans.update(|s| s.retain(|f| f.id.to_string() != fid));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = SubmitClientData {
            token: token.get_value(),
            data: fields.data(scans.with_untracked(|s| s.iter().map(|f| f.id).collect())),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match clients::submit(&body).await {
                Ok(answer) => {
                    let _ = done.try_set(Some(answer.findings));
                }
                Err(e) if e.code() == Some("invalid_token") => {
                    let _ = invalid.try_set(Some(e));
                    let _ = done.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div hidden=sig(move || invalid.with(Option::is_some))>
            <Recognise fields=fields findings=findings token=token.get_value()/>
        </div>
        <form class="client-form" on:submit=submit novalidate data-testid="client-link-form"
            hidden=sig(move || invalid.with(Option::is_some))>
            <ClientDataFields fields=fields issues=issues findings=findings/>
            <div class="field attachments">
                <label for="link-scans">{tr(|s| s.clients.scans)}</label>
                <ul class="files" data-testid="link-scans-list" on:click=remove
                    inner_html=sig(move || scans.with(|s| uploaded_html(s)))></ul>
                <input type="file" id="link-scans" multiple accept="application/pdf,image/jpeg,image/png"
                    aria-describedby="link-scans-hint" on:change=on_change/>
                <small id="link-scans-hint" class="hint">{tr(|s| s.clients.pub_scans_hint)}</small>
                <small class="status" role="status" hidden=sig(move || uploading.get() == 0)>{tr(|s| s.clients.uploading)}</small>
                {move || upload_error.get().map(|e| view! { <small class="error" role="alert">{explain(&e)}</small> })}
            </div>
            <FormError error=error/>
            <Submit label=ts(|s| s.clients.pub_submit) busy=busy/>
        </form>
    }
}
