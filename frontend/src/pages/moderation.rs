//! Moderation (`/moderation`, acting role moderator): the SRO registry
//! import from a feed address or an uploaded file, with its report, and
//! blocking / unblocking an account by id.

use crate::api::{ApiError, engineers};
use crate::components::bind::sig;
use crate::components::fields::Input;
use crate::components::form::Submit;
use crate::components::html::{Html, detail};
use crate::components::problem::{FormError, issues, no_issues};
use crate::components::status::{AuthGate, signed_in};
use crate::components::upload::chosen_file;
use crate::pages::engineers::details::ModeratorActions;
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::engineers::SroImportReport;
use uuid::Uuid;

fn report_html(r: &SroImportReport) -> String {
    let labels = &t().engineers.report;
    let values = [
        ("entries", r.entries),
        ("written", r.written),
        ("unchanged", r.unchanged),
        ("became_active", r.became_active),
        ("became_inactive", r.became_inactive),
        ("roles_granted", r.roles_granted),
        ("roles_revoked", r.roles_revoked),
        ("orders_suspended", r.orders_suspended),
        ("orders_resumed", r.orders_resumed),
    ];
    let mut h = Html::new();
    for ((field, value), label) in values.iter().zip(labels) {
        detail(&mut h, field, label, &value.to_string());
    }
    h.finish()
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let moderator = sig(move || auth.acting.get() == Some(Role::Moderator));
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="moderation">
            <h1>{tr(|s| s.engineers.moderation_title)}</h1>
            <p class="notice" hidden=moderator>{tr(|s| s.engineers.need_moderator)}</p>
        </section>
        {move || (shown.get() && moderator.get()).then(|| view! { <SroImport/><BlockById/> })}
    }
}

#[component]
fn SroImport() -> impl IntoView {
    let auth = use_auth();
    let url = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let report = RwSignal::new(None::<SroImportReport>);
    let file = NodeRef::<leptos::html::Input>::new();
    let issues = issues(error, |n| (n == "url").then_some("sro-url"), |_| {});
    let finish = move |result: Result<SroImportReport, ApiError>| {
        match result {
            Ok(r) => report.set(Some(r)),
            Err(e) => error.set(Some(e)),
        }
        busy.set(false);
    };
    let start = move || {
        busy.set(true);
        error.set(None);
        report.set(None);
    };
    let from_url = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = url.get_untracked().trim().to_owned();
        if address.is_empty() {
            return;
        }
        start();
        spawn_local(async move { finish(engineers::sro_import_url(auth, address).await) });
    };
    let from_file = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = chosen_file(file) else {
            return;
        };
        start();
        spawn_local(async move { finish(engineers::sro_import_file(auth, &chosen).await) });
    };
    view! {
        <section class="card sro-import" aria-labelledby="sro-title" data-testid="sro-import">
            <h2 id="sro-title">{tr(|s| s.engineers.sro_title)}</h2>
            <form on:submit=from_url novalidate data-testid="sro-url-form">
                <Input id="sro-url" kind="url" label=|s| s.engineers.sro_url value=url issues=issues/>
                <Submit label=ts(|s| s.engineers.import_url) busy=busy/>
            </form>
            <form on:submit=from_file novalidate data-testid="sro-file-form">
                <div class="field">
                    <label for="sro-file">{tr(|s| s.engineers.sro_file)}</label>
                    <input type="file" id="sro-file" accept=".csv,.json,text/csv,application/json" node_ref=file/>
                </div>
                <Submit label=ts(|s| s.engineers.import_file) busy=busy/>
            </form>
            <div data-testid="sro-error"><FormError error=error/></div>
            <div hidden=sig(move || report.with(Option::is_none))>
                <h3>{tr(|s| s.engineers.report_title)}</h3>
                <dl class="details" data-testid="sro-report" inner_html=sig(move || report.with(|r| r.as_ref().map(report_html).unwrap_or_default()))></dl>
            </div>
        </section>
    }
}

#[component]
fn BlockById() -> impl IntoView {
    let id = RwSignal::new(String::new());
    let user = Memo::new(move |_| id.with(|s| s.trim().parse::<Uuid>().ok()));
    view! {
        <section class="card" aria-labelledby="block-title">
            <h2 id="block-title">{tr(|s| s.engineers.block_title)}</h2>
            <Input id="block-user-id" label=|s| s.engineers.user_id value=id issues=no_issues()/>
            <ModeratorActions user=user inline=true/>
        </section>
    }
}

/// A moderator's block / unblock of an order's customer and executor (the
/// order card).
#[component]
pub fn OrderModeration(
    customer: Memo<Option<Uuid>>,
    executor: Memo<Option<Uuid>>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="order-moderation-title" data-testid="order-moderation">
            <h2 id="order-moderation-title">{tr(|s| s.engineers.moderator_actions)}</h2>
            <div data-testid="moderate-customer">
                <h3>{tr(|s| s.engineers.customer)}</h3>
                <ModeratorActions user=customer inline=true/>
            </div>
            <div data-testid="moderate-executor" hidden=sig(move || executor.get().is_none())>
                <h3>{tr(|s| s.orders.executor)}</h3>
                <ModeratorActions user=executor inline=true/>
            </div>
        </section>
    }
}
