//! Moderation (`/moderation`, acting role moderator): the user list with
//! its search, blocking with a reason and unblocking, and the SRO registry
//! import from a feed address or an uploaded file, with its report.

use crate::api::{ApiError, engineers, users};
use crate::components::bind::{click, sig};
use crate::components::fields::{Choice, Input};
use crate::components::form::Submit;
use crate::components::html::{Html, act_button, clicked, detail};
use crate::components::problem::{FormError, issues, no_issues};
use crate::components::status::{AuthGate, signed_in};
use crate::components::upload::chosen_file;
use crate::format;
use crate::pages::engineers::details::ModeratorActions;
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::engineers::SroImportReport;
use mezha_api_types::page::PageQuery;
use mezha_api_types::users::{UserAction, UserListQuery, UserSummary};
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
        {move || (shown.get() && moderator.get()).then(|| view! { <Users/><SroImport/> })}
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

fn rows_html(items: &[UserSummary], busy: bool) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    for u in items {
        let id = u.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("user")),
                ("data-user-id", Some(&id)),
                ("data-email", Some(&u.email)),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el("strong", &[], u.full_name.as_deref().unwrap_or(&u.email));
        for role in &u.roles {
            h.el("span", &[("class", Some("tag"))], t.role(*role));
        }
        if u.blocked.is_some() {
            h.el(
                "span",
                &[
                    ("class", Some("tag-status blocked")),
                    ("data-testid", Some("user-blocked")),
                ],
                e.users_blocked_tag,
            );
        }
        h.close("div");
        let mut meta = vec![u.email.clone()];
        if !u.email_confirmed {
            meta.push(e.users_unconfirmed.to_owned());
        }
        if let Some(snils) = &u.snils {
            meta.push(format!("{} {snils}", t.snils));
        }
        if let Some(inn) = &u.inn {
            meta.push(format!("{} {inn}", t.inn));
        }
        if let Some(phone) = &u.phone {
            meta.push(phone.clone());
        }
        meta.push(format!(
            "{} {}",
            e.users_registered,
            format::day(u.created_at)
        ));
        h.el("p", &[("class", Some("party-terms"))], &meta.join(" · "));
        if let Some(b) = &u.blocked {
            let mut line = format!("{} {}", e.users_blocked_since, format::time(b.at));
            if let Some(by) = &b.by {
                line.push_str(&format!(" · {} {}", e.users_blocked_by, by.name));
            }
            if let Some(reason) = &b.reason {
                line.push_str(&format!(" · {}: {reason}", e.users_reason));
            }
            h.el(
                "p",
                &[
                    ("class", Some("notice")),
                    ("data-testid", Some("block-info")),
                ],
                &line,
            );
        }
        h.open("div", &[("class", Some("actions"))]);
        for action in &u.allowed_actions {
            let (label, class) = match action {
                UserAction::Block => (e.block, Some("danger-outline")),
                UserAction::Unblock => (e.unblock, Some("primary")),
            };
            let act = action.as_str();
            act_button(
                &mut h,
                act,
                &id,
                &format!("{act}-account"),
                class,
                busy,
                label,
            );
        }
        h.close("div").close("li");
    }
    h.finish()
}

/// The user list: search, filters, pages; block (with a reason) and
/// unblock as each account's `allowed_actions` say.
#[component]
fn Users() -> impl IntoView {
    let auth = use_auth();
    let text = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let blocked = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<UserSummary>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let blocking = RwSignal::new(None::<(Uuid, String)>);
    let reason = RwSignal::new(String::new());
    let load = move |more: bool| {
        let query = UserListQuery {
            q: Some(text.get_untracked().trim().to_owned()).filter(|q| !q.is_empty()),
            role: role.get_untracked().parse::<Role>().ok(),
            blocked: blocked.get_untracked().parse::<bool>().ok(),
            page: PageQuery {
                limit: None,
                cursor: if more { next.get_untracked() } else { None },
            },
        };
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            match users::list(auth, &query).await {
                Ok(list) => {
                    if more {
                        items.update(|i| i.extend(list.items));
                    } else {
                        items.set(list.items);
                    }
                    next.set(list.next_cursor);
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load(false);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load(false);
    };
    let on_click = click(move |ev| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse::<Uuid>() else { return };
        if act == "block" {
            let email = items.with_untracked(|i| {
                i.iter()
                    .find(|u| u.id == id)
                    .map(|u| u.email.clone())
                    .unwrap_or_default()
            });
            reason.set(String::new());
            blocking.set(Some((id, email)));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match users::unblock(auth, id).await {
                Ok(()) => load(false),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((id, _)) = blocking.get_untracked() else {
            return;
        };
        let why = Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match users::block(auth, id, why).await {
                Ok(()) => {
                    blocking.set(None);
                    load(false);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let roles = Signal::derive(move || {
        let t = t();
        Role::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), t.role(*r).to_owned()))
            .collect()
    });
    let states = Signal::derive(move || {
        let e = t().engineers;
        vec![
            ("true".to_owned(), e.users_only_blocked.to_owned()),
            ("false".to_owned(), e.users_not_blocked.to_owned()),
        ]
    });
    view! {
        <section class="card" aria-labelledby="users-title" data-testid="users">
            <h2 id="users-title">{tr(|s| s.engineers.users_title)}</h2>
            <form class="filters" on:submit=search novalidate data-testid="users-search">
                <Input id="users-q" kind="search" label=|s| s.engineers.users_search value=text issues=no_issues()/>
                <Choice id="users-role" label=|s| s.engineers.users_role value=role options=roles
                    issues=no_issues() blank=|s| s.engineers.users_any_role/>
                <Choice id="users-blocked" label=|s| s.engineers.users_blocked_filter value=blocked options=states
                    issues=no_issues() blank=|s| s.engineers.users_all/>
                <Submit label=ts(|s| s.engineers.users_find) busy=loading/>
            </form>
            <div data-testid="users-error"><FormError error=error/></div>
            <form class="party-form" on:submit=confirm novalidate data-testid="block-form"
                hidden=sig(move || blocking.with(Option::is_none))>
                <h3>{tr(|s| s.engineers.users_block_who)} " " <span data-testid="block-who">{move || blocking.get().map(|(_, email)| email).unwrap_or_default()}</span></h3>
                <Input id="block-reason" label=|s| s.engineers.block_reason value=reason issues=no_issues()/>
                <div class="actions">
                    <button type="submit" class="danger-fill" data-testid="confirm-block" disabled=busy>{tr(|s| s.engineers.block)}</button>
                    <button type="button" data-testid="cancel-block" on:click=click(move |_| blocking.set(None))>{tr(|s| s.engineers.users_cancel)}</button>
                </div>
            </form>
            <ul class="parties" data-testid="user-list" aria-busy=sig(move || loading.get().to_string()) on:click=on_click
                inner_html=sig(move || items.with(|i| rows_html(i, busy.get())))></ul>
            <p class="empty" data-testid="users-empty" hidden=sig(move || loading.get() || !items.with(Vec::is_empty))>{tr(|s| s.engineers.users_empty)}</p>
            <button type="button" data-testid="users-more" hidden=sig(move || next.with(Option::is_none))
                disabled=loading on:click=click(move |_| load(true))>{tr(|s| s.engineers.users_more)}</button>
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
