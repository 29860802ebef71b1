//! The home screen: for a guest what Mezha is; for a signed-in customer or
//! engineer what awaits him now (`GET /me/tasks`): his orders where it is
//! his turn, overdue ones first, each linking to its order; for the other
//! roles where their sections are.

use crate::api::{ApiError, orders};
use crate::components::bind::sig;
use crate::components::html::Html;
use crate::components::problem::FormError;
use crate::pages::orders::{badge, overdue_badge};
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use mezha_api_types::Role;
use mezha_api_types::orders::Task;

/// The tasks as a list: each the order's number, title and status, what
/// to do, and the overdue mark.
fn tasks_html(tasks: &[Task]) -> String {
    let t = t();
    let o = &t.orders;
    let mut h = Html::new();
    if tasks.is_empty() {
        h.el(
            "p",
            &[
                ("class", Some("empty")),
                ("data-testid", Some("tasks-empty")),
            ],
            o.tasks_empty,
        );
        return h.finish();
    }
    h.open(
        "ul",
        &[
            ("class", Some("order-list")),
            ("data-testid", Some("tasks")),
        ],
    );
    for task in tasks {
        let id = task.order.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some("order-row")),
                ("data-testid", Some("task")),
                ("data-task", Some(task.kind.as_str())),
                ("data-order-id", Some(&id)),
            ],
        );
        h.open("div", &[("class", Some("order-head"))]);
        h.span(
            "order-number",
            &format!("{} {}", o.number_prefix, task.order.number),
        );
        badge(&mut h, task.order.status);
        overdue_badge(&mut h, task.order.overdue);
        h.close("div");
        h.el(
            "a",
            &[
                ("class", Some("order-title")),
                ("href", Some(&format!("/orders/{id}"))),
            ],
            &format!("{} — {}", t.task(task.kind), task.order.title),
        );
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

#[component]
fn Tasks() -> impl IntoView {
    let auth = use_auth();
    let tasks = RwSignal::new(None::<Vec<Task>>);
    let error = RwSignal::new(None::<ApiError>);
    // Again when the acting role changes.
    Effect::new(move |_| {
        if auth.acting.get().is_none() {
            return;
        }
        spawn_local(async move {
            match orders::tasks(auth).await {
                Ok(list) => tasks.set(Some(list.tasks)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    view! {
        <section class="card" aria-labelledby="tasks-title" data-testid="home-tasks">
            <h2 id="tasks-title">{tr(|s| s.orders.tasks_title)}</h2>
            <div inner_html=sig(move || match tasks.get() {
                None => format!("<p class=\"status\">{}</p>", t().loading),
                Some(list) => tasks_html(&list),
            })></div>
            <FormError error=error/>
            <p><A href="/orders">{tr(|s| s.orders.tasks_all_orders)}</A></p>
        </section>
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let auth = use_auth();
    let has_turns = move || matches!(auth.acting.get(), Some(Role::Customer | Role::Engineer));
    view! {
        <Show
            when=move || auth.logged_in()
            fallback=move || view! {
                <section class="card hero">
                    <h1>{move || t().home_guest_title}</h1>
                    <p class="lead">{move || t().tagline}</p>
                    <p>{move || t().home_guest_text}</p>
                    <p class="actions">
                        <A href="/login" attr:class="button primary">{move || t().login_link}</A>
                        <A href="/register" attr:class="button">{move || t().register_link}</A>
                    </p>
                </section>
            }
        >
            <section class="card">
                <h1>{move || t().home_user_title}</h1>
                <p>
                    {move || t().acting_as}": "
                    <strong data-testid="acting-role">{move || auth.acting.get().map(|r| t().role(r)).unwrap_or_default()}</strong>
                </p>
                <p hidden=has_turns>{move || t().home_user_text}</p>
            </section>
            <Show when=has_turns>
                <Tasks/>
            </Show>
        </Show>
    }
}
