//! The header's unread counters and the notifications panel (SPEC §8).
//!
//! [`Counts`] holds the two badges (system notifications and chat). They
//! are loaded when the session starts and refreshed every 15 seconds and
//! after the user reads something here.

use crate::api::notifications;
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked};
use crate::pages::orders::fmt_time;
use crate::state::{Auth, lang, tr, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::notifications::{Notification, ObjectKind};
use std::time::Duration;
use uuid::Uuid;

/// The unread counters of the header.
#[derive(Clone, Copy)]
pub struct Counts {
    pub system: RwSignal<u64>,
    pub chat: RwSignal<u64>,
}

impl Counts {
    /// Zero counters; [`Counts::watch`] keeps them current.
    pub fn new() -> Self {
        Counts {
            system: RwSignal::new(0),
            chat: RwSignal::new(0),
        }
    }

    /// Loads the counters from the API.
    pub fn refresh(self, auth: Auth) {
        if !auth.logged_in_untracked() {
            return;
        }
        spawn_local(async move {
            if let Ok(c) = notifications::unread_counts(auth).await {
                self.system.set(c.system);
                self.chat.set(c.chat_total);
            }
        });
    }

    /// Refreshes at every login and every 15 seconds while signed in.
    pub fn watch(self, auth: Auth) {
        Effect::new(move |_| {
            if auth.logged_in() {
                self.refresh(auth);
            } else {
                self.system.set(0);
                self.chat.set(0);
            }
        });
        let _ = set_interval_with_handle(move || self.refresh(auth), Duration::from_secs(15));
    }
}

/// Where a notification's object is shown.
fn object_href(n: &Notification, acting: Option<Role>) -> String {
    let id = n.object.id;
    match n.object.kind {
        ObjectKind::Order => format!("/orders/{id}"),
        ObjectKind::CertificateApplication => format!("/certificate-applications/{id}"),
        ObjectKind::Certificate => "/certificates".to_owned(),
        ObjectKind::Employment if acting == Some(Role::Employer) => "/employees".to_owned(),
        ObjectKind::Employment => "/engineer-profile".to_owned(),
        ObjectKind::Account => "/profile".to_owned(),
    }
}

fn rows(items: &[Notification], acting: Option<Role>) -> String {
    let mut h = Html::new();
    for n in items {
        let id = n.id.to_string();
        let class = if n.read_at.is_none() {
            "notification unread"
        } else {
            "notification"
        };
        h.open(
            "li",
            &[
                ("class", Some(class)),
                ("data-testid", Some("notification")),
                ("data-kind", Some(n.kind.as_str())),
                (
                    "data-read",
                    Some(if n.read_at.is_some() { "true" } else { "false" }),
                ),
            ],
        );
        h.el(
            "a",
            &[
                ("href", Some(&object_href(n, acting))),
                ("data-act", Some("open")),
                ("data-id", Some(&id)),
            ],
            &n.title,
        );
        h.el("p", &[("class", Some("hint"))], &n.body);
        h.el("small", &[("class", Some("hint"))], &fmt_time(n.created_at));
        h.close("li");
    }
    h.finish()
}

/// The panel under the bell: newest first, mark read, go to the object.
#[component]
pub fn NotificationPanel(open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let counts = expect_context::<Counts>();
    let items = RwSignal::new(Vec::<Notification>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let load = move |cursor: Option<String>| {
        let code = lang().code();
        spawn_local(async move {
            if let Ok(page) = notifications::list(auth, code, cursor.as_deref()).await {
                if cursor.is_some() {
                    items.update(|l| l.extend(page.items));
                } else {
                    items.set(page.items);
                }
                next.set(page.next_cursor);
                loaded.set(true);
            }
        });
    };
    Effect::new(move |_| {
        if open.get() {
            load(None);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((_, id)) = clicked(&ev) else { return };
        let Ok(id) = id.parse::<Uuid>() else { return };
        open.set(false);
        let code = lang().code();
        spawn_local(async move {
            if notifications::read(auth, id, code).await.is_ok() {
                counts.refresh(auth);
            }
        });
    };
    let read_all = click(move |_| {
        spawn_local(async move {
            if notifications::read_all(auth).await.is_ok() {
                counts.refresh(auth);
                load(None);
            }
        });
    });
    let more = click(move |_| load(next.get_untracked()));
    view! {
        <section class="notification-panel card" hidden=sig(move || !open.get()) data-testid="notification-panel"
            aria-label=tr(|s| s.notif.panel_title)>
            <div class="panel-head">
                <h2>{tr(|s| s.notif.panel_title)}</h2>
                <button type="button" class="link" on:click=read_all data-testid="read-all">{tr(|s| s.notif.read_all)}</button>
            </div>
            <p class="empty" hidden=sig(move || !(loaded.get() && items.with(Vec::is_empty)))>{tr(|s| s.notif.empty)}</p>
            <ul class="notifications" on:click=on_click
                inner_html=sig(move || items.with(|l| rows(l, auth.acting.get())))></ul>
            <button type="button" class="link" hidden=sig(move || next.with(Option::is_none)) on:click=more>{tr(|s| s.notif.more)}</button>
            <a href="/notification-settings" on:click=move |_| open.set(false)>{tr(|s| s.notif.settings_link)}</a>
        </section>
    }
}
