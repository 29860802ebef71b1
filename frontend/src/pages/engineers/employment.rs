//! The engineer's "Employer" tab: the current employment or join request
//! (`GET /me/employment`) with "Remove the employer" / "Withdraw"; without
//! one, the employer search (`GET /employers?q=`) and the join request with
//! its basis document (date, name, number, a file uploaded with
//! `POST /files`).

use crate::api::{ApiError, engineers};
use crate::components::bind::{click, sig};
use crate::components::fields::Input;
use crate::components::form::Submit;
use crate::components::html::{Html, clicked, detail};
use crate::components::problem::{FormError, explain, issues, no_issues};
use crate::components::status::{Load, LoadStatus, load};
use crate::components::upload::{FilesField, Uploaded};
use crate::format;
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::engineers::{EmployerSummary, Employment, EmploymentStatus, NewJoinRequest};

fn field_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "basis_date" => "basis_date",
        "basis_name" => "basis_name",
        "basis_number" => "basis_number",
        "basis_file_id" => "basis-file",
        _ => return None,
    })
}

fn employment_html(x: &Employment) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    let employer = format!("{} ({} {})", x.employer.name, t.inn, x.employer.inn);
    detail(&mut h, "employer", e.current_employer, &employer);
    h.open(
        "div",
        &[("class", Some("detail")), ("data-field", Some("status"))],
    );
    h.el("dt", &[], e.status).open("dd", &[]);
    h.el(
        "span",
        &[
            (
                "class",
                Some(&format!("tag-status employment-{}", x.status.as_str())),
            ),
            ("data-testid", Some("employment-status")),
            ("data-status", Some(x.status.as_str())),
        ],
        t.employment_status(x.status),
    );
    h.close("dd").close("div");
    let mut basis = Vec::new();
    if let Some(name) = &x.basis_name {
        basis.push(name.clone());
    }
    if let Some(number) = &x.basis_number {
        basis.push(format!("№ {number}"));
    }
    if let Some(date) = x.basis_date {
        basis.push(format::date(date));
    }
    if !basis.is_empty() {
        detail(&mut h, "basis", e.basis, &basis.join(", "));
    }
    h.finish()
}

fn employers_html(items: &[EmployerSummary]) -> String {
    let t = t();
    let mut h = Html::new();
    for x in items {
        let id = x.id.to_string();
        h.open(
            "li",
            &[
                ("data-testid", Some("employer-option")),
                ("data-employer-id", Some(&id)),
            ],
        );
        h.span("party-head", &format!("{} · {} {}", x.name, t.inn, x.inn))
            .text(" ");
        h.el(
            "button",
            &[
                ("type", Some("button")),
                ("data-act", Some("choose")),
                ("data-id", Some(&id)),
                ("data-testid", Some("choose-employer")),
            ],
            t.engineers.choose,
        );
        h.close("li");
    }
    h.finish()
}

#[component]
pub fn EmployerTab(changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let state = RwSignal::new(Load::Loading);
    let current = RwSignal::new(None::<Employment>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    // search
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<EmployerSummary>>);
    let search_error = RwSignal::new(None::<ApiError>);
    let chosen = RwSignal::new(None::<EmployerSummary>);
    // basis document
    let (date, name, number) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let file = RwSignal::new(Vec::<Uploaded>::new());
    let tried = RwSignal::new(false);

    let reload = move || {
        load(state, engineers::my_employment(auth), move |mine| {
            current.set(mine.current);
        });
    };
    reload();

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search_error.set(None);
        let q = query.get_untracked();
        spawn_local(async move {
            match engineers::employers(auth, &q).await {
                Ok(list) => found.set(Some(list.items)),
                Err(e) => search_error.set(Some(e)),
            }
        });
    };
    let choose = click(move |ev| {
        if let Some((_, id)) = clicked(&ev) {
            let pick = found.with(|f| f.iter().flatten().find(|x| x.id.to_string() == id).cloned());
            chosen.set(pick);
        }
    });
    let issues = issues(error, field_of, move |found| {
        if !tried.get() {
            return;
        }
        let required = t().errors.required;
        if date.with(String::is_empty) {
            found.push(("basis_date", required.to_owned()));
        }
        if name.with(|n| n.trim().is_empty()) {
            found.push(("basis_name", required.to_owned()));
        }
        if number.with(|n| n.trim().is_empty()) {
            found.push(("basis_number", required.to_owned()));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        error.set(None);
        let Some(employer) = chosen.get_untracked() else {
            return;
        };
        let Ok(basis_date) = date.get_untracked().parse() else {
            return;
        };
        let (basis_name, basis_number) = (
            name.get_untracked().trim().to_owned(),
            number.get_untracked().trim().to_owned(),
        );
        if basis_name.is_empty() || basis_number.is_empty() {
            return;
        }
        let body = NewJoinRequest {
            basis_date,
            basis_name,
            basis_number,
            basis_file_id: file.get_untracked().first().map(|f| f.id),
        };
        busy.set(true);
        spawn_local(async move {
            match engineers::join(auth, employer.id, &body).await {
                Ok(()) => {
                    sent.set(true);
                    tried.set(false);
                    chosen.set(None);
                    found.set(None);
                    reload();
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let leave = click(move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match engineers::leave(auth).await {
                Ok(()) => {
                    sent.set(false);
                    reload();
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let requested = sig(move || {
        current.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.status == EmploymentStatus::Requested)
        })
    });
    let none = sig(move || current.with(Option::is_none));

    view! {
        <LoadStatus state=state retry=Callback::new(move |_| reload())/>
        <div data-testid="employment" hidden=sig(move || !state.with(Load::is_ready))>
            <p class="success" role="status" data-testid="request-sent" hidden=sig(move || !sent.get())>{tr(|s| s.engineers.request_sent)}</p>
            <div hidden=none data-testid="current-employment">
                <dl class="details" inner_html=sig(move || current.with(|c| c.as_ref().map(employment_html).unwrap_or_default()))></dl>
                <button type="button" class="danger-outline" data-testid="leave-employer" disabled=busy on:click=leave>
                    {sig(move || if requested.get() { t().engineers.withdraw } else { t().engineers.leave })}
                </button>
            </div>
            <div hidden=sig(move || !none.get())>
                <p>{tr(|s| s.engineers.no_employer_yet)}</p>
                <h2>{tr(|s| s.engineers.add_employer)}</h2>
                <p class="hint">{tr(|s| s.engineers.one_employer)}</p>
                <form class="inline-search" role="search" on:submit=search data-testid="employer-search">
                    <Input id="employer-query" label=|s| s.engineers.employer_query value=query issues=no_issues() hint=|s| s.engineers.employer_query_hint/>
                    <button type="submit" id="employer-find">{tr(|s| s.engineers.find)}</button>
                </form>
                {move || search_error.get().map(|e| view! { <p class="error" role="alert">{explain(&e)}</p> })}
                <ul class="parties" data-testid="employer-results" on:click=choose
                    inner_html=sig(move || found.with(|f| f.as_deref().map(employers_html).unwrap_or_default()))></ul>
                <p class="empty" hidden=sig(move || !found.with(|f| f.as_ref().is_some_and(Vec::is_empty)))>{tr(|s| s.engineers.no_employers)}</p>
                <form hidden=sig(move || chosen.with(Option::is_none)) on:submit=submit novalidate data-testid="join-form" aria-labelledby="join-title">
                    <h3 id="join-title">{tr(|s| s.engineers.chosen)}": "
                        <span data-testid="chosen-employer">{sig(move || chosen.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default()))}</span>
                    </h3>
                    <div class="row two">
                        <Input id="basis_date" kind="date" label=|s| s.engineers.basis_date value=date issues=issues required=true/>
                        <Input id="basis_number" label=|s| s.engineers.basis_number value=number issues=issues required=true/>
                    </div>
                    <Input id="basis_name" label=|s| s.engineers.basis_name value=name issues=issues required=true/>
                    <FilesField id="basis-file" label=|s| s.engineers.basis_file files=file issues=issues/>
                    <div data-testid="join-error"><FormError error=error/></div>
                    <Submit label=ts(|s| s.engineers.send_request) busy=busy/>
                </form>
            </div>
            <div hidden=sig(move || none.get()) data-testid="leave-error"><FormError error=error/></div>
        </div>
    }
}
