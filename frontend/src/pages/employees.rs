//! The employer's page (`/employees`): the "I employ cadastral engineers"
//! switch with the organisation's name and INN (`/me/employer`, acting
//! role customer or employer); with the employer role, the Employees tab
//! (join requests and employees by status; approve, reject, suspend,
//! resume, remove; add an engineer by e-mail or SNILS) and the employer's
//! requisites, which its engineers' contracts use. Refusals show inline.

use crate::api::{ApiError, engineers};
use crate::components::bind::{click, sig};
use crate::components::fields::{Check, Choice, Input, non_blank};
use crate::components::form::Submit;
use crate::components::header::switch_role;
use crate::components::html::{Html, act_button, clicked};
use crate::components::problem::{FormError, issues, no_issues};
use crate::components::status::{AuthGate, signed_in};
use crate::format;
use crate::pages::engineers::profile::Tabs;
use crate::pages::engineers::requisites::RequisitesTab;
use crate::session::use_auth;
use crate::state::{Pick, t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::engineers::{
    AddEmployee, Employment, EmploymentStatus, UpdateEmployerSettings,
};

const TABS: &[(&str, Pick)] = &[
    ("employees", |s| s.engineers.employees_title),
    ("requisites", |s| s.engineers.employer_requisites),
    ("settings", |s| s.engineers.employer_settings),
];

#[component]
pub fn EmployeesPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let role = move || auth.acting.get();
    let employer = sig(move || role() == Some(Role::Employer));
    let tab = RwSignal::new("employees");
    let changed = RwSignal::new(0u32);
    view! {
        <AuthGate/>
        <section class="card" hidden=sig(move || !shown.get()) data-testid="employees-page">
            <h1>{tr(|s| s.engineers.employees_title)}</h1>
            {move || (shown.get() && employer.get()).then(|| view! {
                <Tabs label=|s| s.engineers.employees_title tabs=TABS current=tab/>
                <div role="tabpanel" id="panel-employees" aria-labelledby="tab-employees" hidden=sig(move || tab.get() != "employees")>
                    <Employees/>
                </div>
                <div role="tabpanel" id="panel-requisites" aria-labelledby="tab-requisites" hidden=sig(move || tab.get() != "requisites")>
                    <RequisitesTab changed=changed/>
                </div>
                <div role="tabpanel" id="panel-settings" aria-labelledby="tab-settings" hidden=sig(move || tab.get() != "settings")>
                    <Settings/>
                </div>
            })}
            <div class="notice" data-testid="need-employer"
                hidden=sig(move || !(role() == Some(Role::Customer) && auth.roles.with(|r| r.contains(&Role::Employer))))>
                <p>{tr(|s| s.engineers.need_employer)}</p>
                <button type="button" on:click=click(move |_| switch_role(Role::Employer, || ()))>{tr(|s| s.engineers.enter_as_employer)}</button>
            </div>
            {move || (shown.get() && role() == Some(Role::Customer)).then(|| view! { <Settings/> })}
            <p class="notice" hidden=sig(move || !shown.get() || matches!(role(), Some(Role::Customer | Role::Employer)))>
                {tr(|s| s.engineers.customer_or_employer)}
            </p>
        </section>
    }
}

/// The switch, with the organisation's name and INN.
#[component]
fn Settings() -> impl IntoView {
    let auth = use_auth();
    let on = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let inn = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    // The role switch after saving needs the page's context.
    let owner = Owner::current();
    spawn_local(async move {
        match engineers::employer_settings(auth).await {
            Ok(s) => {
                on.set(s.employs_engineers);
                name.set(s.name.unwrap_or_default());
                inn.set(s.inn.unwrap_or_default());
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let issues = issues(
        error,
        |n| match n {
            "name" => Some("org_name"),
            "inn" => Some("org_inn"),
            _ => None,
        },
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        saved.set(false);
        let body = UpdateEmployerSettings {
            employs_engineers: on.get_untracked(),
            name: non_blank(name.get_untracked()),
            inn: non_blank(inn.get_untracked()),
        };
        let owner = owner.clone();
        spawn_local(async move {
            match engineers::save_employer_settings(auth, &body).await {
                Ok(s) => {
                    saved.set(true);
                    let acting = auth.acting.get_untracked();
                    if s.employs_engineers {
                        auth.roles.update(|r| {
                            if !r.contains(&Role::Employer) {
                                r.push(Role::Employer);
                            }
                        });
                        if acting != Some(Role::Employer)
                            && let Some(owner) = &owner
                        {
                            owner.with(|| switch_role(Role::Employer, || ()));
                        }
                    } else {
                        auth.roles.update(|r| r.retain(|x| *x != Role::Employer));
                        if acting == Some(Role::Employer)
                            && let Some(owner) = &owner
                        {
                            owner.with(|| switch_role(Role::Customer, || ()));
                        }
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit novalidate data-testid="employer-settings">
            <Check id="employs_engineers" label=|s| s.engineers.employer_switch checked=on switch=true/>
            <p class="hint">{tr(|s| s.engineers.switch_hint)}</p>
            <div class="row two">
                <Input id="org_name" name="org_name" label=|s| s.engineers.org_name value=name issues=issues/>
                <Input id="org_inn" name="org_inn" numeric=true label=|s| s.engineers.org_inn value=inn issues=issues hint=|s| s.inn_hint/>
            </div>
            <div data-testid="settings-error"><FormError error=error/></div>
            <Submit label=ts(|s| s.engineers.save) busy=busy/>
            <p class="success" role="status" data-testid="settings-saved" hidden=sig(move || !saved.get())>{tr(|s| s.engineers.saved)}</p>
        </form>
    }
}

/// A button of the list (`data-testid=<act>-employee`).
fn button(h: &mut Html, act: &str, id: &str, label: &str, class: Option<&str>, busy: bool) {
    act_button(h, act, id, &format!("{act}-employee"), class, busy, label);
}

fn rows_html(items: &[Employment], busy: bool) -> String {
    let t = t();
    let e = t.engineers;
    let mut h = Html::new();
    for x in items {
        let (employment, engineer) = (x.id.to_string(), x.engineer.id.to_string());
        h.open(
            "li",
            &[
                ("data-testid", Some("employee")),
                ("data-engineer-id", Some(&engineer)),
                ("data-status", Some(x.status.as_str())),
            ],
        );
        h.open("div", &[("class", Some("party-head"))]);
        h.el(
            "strong",
            &[],
            x.engineer.full_name.as_deref().unwrap_or(&x.engineer.email),
        );
        h.el(
            "span",
            &[
                (
                    "class",
                    Some(&format!("tag-status employment-{}", x.status.as_str())),
                ),
                ("data-testid", Some("employee-status")),
            ],
            t.employment_status(x.status),
        );
        h.close("div");
        let mut meta = vec![x.engineer.email.clone()];
        if let Some(snils) = &x.engineer.snils {
            meta.push(format!("{} {snils}", t.snils));
        }
        let mut basis = Vec::new();
        if let Some(n) = &x.basis_name {
            basis.push(n.clone());
        }
        if let Some(n) = &x.basis_number {
            basis.push(format!("№ {n}"));
        }
        if let Some(d) = x.basis_date {
            basis.push(format::date(d));
        }
        if !basis.is_empty() {
            meta.push(format!("{}: {}", e.basis, basis.join(", ")));
        }
        meta.push(format!("{} {}", e.requested_at, format::time(x.created_at)));
        h.el("p", &[("class", Some("party-terms"))], &meta.join(" · "));
        h.open("div", &[("class", Some("actions"))]);
        match x.status {
            EmploymentStatus::Requested => {
                button(
                    &mut h,
                    "approve",
                    &employment,
                    e.approve,
                    Some("primary"),
                    busy,
                );
                button(
                    &mut h,
                    "reject",
                    &employment,
                    e.reject,
                    Some("danger-outline"),
                    busy,
                );
            }
            EmploymentStatus::Active => {
                button(&mut h, "suspend", &engineer, e.suspend, None, busy);
                button(
                    &mut h,
                    "remove",
                    &engineer,
                    e.remove_employee,
                    Some("danger-outline"),
                    busy,
                );
            }
            EmploymentStatus::Suspended => {
                button(&mut h, "resume", &engineer, e.resume, Some("primary"), busy);
                button(
                    &mut h,
                    "remove",
                    &engineer,
                    e.remove_employee,
                    Some("danger-outline"),
                    busy,
                );
            }
            EmploymentStatus::Rejected | EmploymentStatus::Removed => {}
        }
        h.close("div").close("li");
    }
    h.finish()
}

#[component]
fn Employees() -> impl IntoView {
    let auth = use_auth();
    let status = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<Employment>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let load = move || {
        let filter = status.get_untracked().parse::<EmploymentStatus>().ok();
        loading.set(true);
        spawn_local(async move {
            match engineers::employees(auth, filter, None).await {
                Ok(list) => items.set(list.items),
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        status.track();
        load();
    });
    let on_click = click(move |ev| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        let Ok(id) = id.parse() else { return };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match engineers::employee_action(auth, &act, id).await {
                Ok(()) => load(),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let statuses = Signal::derive(move || {
        let t = t();
        [
            EmploymentStatus::Requested,
            EmploymentStatus::Active,
            EmploymentStatus::Suspended,
            EmploymentStatus::Rejected,
            EmploymentStatus::Removed,
        ]
        .iter()
        .map(|s| (s.as_str().to_owned(), t.employment_status(*s).to_owned()))
        .collect()
    });
    view! {
        <div class="filters">
            <Choice id="employee-status" label=|s| s.engineers.status_filter value=status options=statuses
                issues=no_issues() blank=|s| s.engineers.status_current/>
        </div>
        <div data-testid="employees-error"><FormError error=error/></div>
        <ul class="parties" data-testid="employee-list" aria-busy=sig(move || loading.get().to_string()) on:click=on_click
            inner_html=sig(move || items.with(|i| rows_html(i, busy.get())))></ul>
        <p class="empty" data-testid="employees-empty" hidden=sig(move || loading.get() || !items.with(Vec::is_empty))>{tr(|s| s.engineers.employees_empty)}</p>
        <AddEngineer added=Callback::new(move |_| load())/>
    }
}

/// "Add a cadastral engineer": by e-mail or SNILS, with an optional basis document.
#[component]
fn AddEngineer(added: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let key = RwSignal::new(String::new());
    let (date, name, number) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let issues = issues(
        error,
        |n| match n {
            "email" | "snils" => Some("add-engineer-key"),
            "basis_date" => Some("add-basis-date"),
            "basis_name" => Some("add-basis-name"),
            "basis_number" => Some("add-basis-number"),
            _ => None,
        },
        |_| {},
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(who) = non_blank(key.get_untracked()) else {
            return;
        };
        let by_email = who.contains('@');
        let body = AddEmployee {
            email: by_email.then(|| who.clone()),
            snils: (!by_email).then_some(who),
            basis_date: date.get_untracked().parse().ok(),
            basis_name: non_blank(name.get_untracked()),
            basis_number: non_blank(number.get_untracked()),
            basis_file_id: None,
        };
        busy.set(true);
        error.set(None);
        done.set(false);
        spawn_local(async move {
            match engineers::add_employee(auth, &body).await {
                Ok(()) => {
                    done.set(true);
                    key.set(String::new());
                    added.try_run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="party-form" on:submit=submit novalidate data-testid="add-engineer" aria-labelledby="add-engineer-title">
            <h2 id="add-engineer-title">{tr(|s| s.engineers.add_engineer)}</h2>
            <Input id="add-engineer-key" label=|s| s.engineers.engineer_key value=key issues=issues hint=|s| s.engineers.engineer_key_hint required=true/>
            <div class="row two">
                <Input id="add-basis-date" kind="date" label=|s| s.engineers.basis_date value=date issues=issues/>
                <Input id="add-basis-number" label=|s| s.engineers.basis_number value=number issues=issues/>
            </div>
            <Input id="add-basis-name" label=|s| s.engineers.basis_name value=name issues=issues/>
            <div data-testid="add-error"><FormError error=error/></div>
            <Submit label=ts(|s| s.engineers.add) busy=busy/>
            <p class="success" role="status" data-testid="engineer-added" hidden=sig(move || !done.get())>{tr(|s| s.engineers.added)}</p>
        </form>
    }
}
