//! The header's unread counters and the notifications panel (docs/notifications.md, "In the web app").
//!
//! [`Counts`] holds the two badges (system notifications and chat). They
//! are loaded when the session starts, then kept live by the server's
//! event stream (`GET /events`, Server-Sent Events, opened with a one-use
//! ticket): every `counters` event sets them, every `notification` event
//! bumps [`Counts::arrived`] (an open panel reloads). When the stream
//! breaks it is reopened with a new ticket after the last event id, so
//! nothing is missed; a slow poll (every minute) stays as a safety net.

use crate::api::{encode, notifications};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked};
use crate::format;
use crate::session::{Auth, use_auth};
use crate::state::{lang, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::notifications::{Notification, ObjectKind, ObjectLink, UnreadCounts};
use std::cell::RefCell;
use std::time::Duration;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The unread counters of the header.
#[derive(Clone, Copy)]
pub struct Counts {
    pub system: RwSignal<u64>,
    pub chat: RwSignal<u64>,
    /// Bumped by every live notification.
    pub arrived: RwSignal<u64>,
    /// Bumped by every live chat message (an open chat reloads).
    pub chat_arrived: RwSignal<u64>,
    /// The object of the last live notification: an open card of it
    /// reloads (a deal the registry moved, say).
    pub changed: RwSignal<Option<ObjectLink>>,
}

/// The open event stream and its listeners (dropped together).
struct Live {
    source: web_sys::EventSource,
    _listeners: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

thread_local! {
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
    static LAST_ID: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn close_live() {
    LIVE.with(|l| {
        if let Some(live) = l.borrow_mut().take() {
            live.source.close();
        }
    });
}

impl Counts {
    /// Zero counters; [`Counts::watch`] keeps them current.
    pub fn new() -> Self {
        Counts {
            system: RwSignal::new(0),
            chat: RwSignal::new(0),
            arrived: RwSignal::new(0),
            chat_arrived: RwSignal::new(0),
            changed: RwSignal::new(None),
        }
    }

    fn set(self, c: &UnreadCounts) {
        self.system.set(c.system);
        self.chat.set(c.chat_total);
    }

    /// Opens the event stream (a new ticket; after the last id seen).
    fn connect(self, auth: Auth) {
        close_live();
        spawn_local(async move {
            let Ok(ticket) = notifications::event_ticket(auth).await else {
                return; // no stream: the poll keeps the badges
            };
            if !auth.logged_in_untracked() {
                return;
            }
            let mut url = format!("/api/v1/events?ticket={}", encode(&ticket));
            if let Some(last) = LAST_ID.with(|l| l.borrow().clone()) {
                url.push_str(&format!("&last_event_id={}", encode(&last)));
            }
            let Ok(source) = web_sys::EventSource::new(&url) else {
                return;
            };
            let on_counters = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    if let Some(text) = ev.data().as_string()
                        && let Ok(c) = serde_json::from_str::<UnreadCounts>(&text)
                    {
                        self.set(&c);
                    }
                },
            );
            let on_notification = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    let id = ev.last_event_id();
                    if !id.is_empty() {
                        LAST_ID.with(|l| *l.borrow_mut() = Some(id));
                    }
                    if let Some(text) = ev.data().as_string()
                        && let Ok(n) = serde_json::from_str::<Notification>(&text)
                    {
                        self.changed.set(Some(n.object));
                    }
                    self.arrived.update(|n| *n += 1);
                },
            );
            let on_chat = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    let id = ev.last_event_id();
                    if !id.is_empty() {
                        LAST_ID.with(|l| *l.borrow_mut() = Some(id));
                    }
                    self.chat_arrived.update(|n| *n += 1);
                },
            );
            // The user opened more streams than the server keeps (other
            // tabs): this one was ended for the newest. It stays closed (the
            // poll keeps the badges), or the tabs would end each other's
            // streams in a loop. (Closed here, dropped later: a listener
            // must not drop itself.)
            let on_replaced = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
                LIVE.with(|l| {
                    if let Some(live) = l.borrow().as_ref() {
                        live.source.close();
                    }
                });
            });
            // A broken stream (server restart, expired ticket on the
            // browser's own retry) is reopened by us with a fresh ticket.
            let on_error = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
                let replaced = LIVE.with(|l| {
                    l.borrow().as_ref().is_some_and(|live| {
                        live.source.ready_state() == web_sys::EventSource::CLOSED
                    })
                });
                if replaced {
                    return;
                }
                LIVE.with(|l| {
                    if let Some(live) = l.borrow().as_ref() {
                        live.source.close();
                    }
                });
                set_timeout(
                    move || {
                        close_live();
                        if auth.logged_in_untracked() {
                            self.connect(auth);
                        }
                    },
                    Duration::from_secs(3),
                );
            });
            let _ = source
                .add_event_listener_with_callback("counters", on_counters.as_ref().unchecked_ref());
            let _ = source.add_event_listener_with_callback(
                "notification",
                on_notification.as_ref().unchecked_ref(),
            );
            let _ = source
                .add_event_listener_with_callback("chat_message", on_chat.as_ref().unchecked_ref());
            let _ = source
                .add_event_listener_with_callback("replaced", on_replaced.as_ref().unchecked_ref());
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            LIVE.with(|l| {
                *l.borrow_mut() = Some(Live {
                    source,
                    _listeners: vec![on_counters, on_notification, on_chat, on_replaced, on_error],
                })
            });
        });
    }

    /// Loads the counters from the API.
    pub fn refresh(self, auth: Auth) {
        if !auth.logged_in_untracked() {
            return;
        }
        spawn_local(async move {
            if let Ok(c) = notifications::unread_counts(auth).await {
                self.set(&c);
            }
        });
    }

    /// Loads the counters at every login and opens the live stream;
    /// closes it at logout. Polls every minute as a safety net.
    pub fn watch(self, auth: Auth) {
        Effect::new(move |_| {
            if auth.logged_in() {
                self.refresh(auth);
                if LIVE.with(|l| l.borrow().is_none()) {
                    self.connect(auth);
                }
            } else {
                close_live();
                LAST_ID.with(|l| *l.borrow_mut() = None);
                self.system.set(0);
                self.chat.set(0);
            }
        });
        let _ = set_interval_with_handle(move || self.refresh(auth), Duration::from_secs(60));
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
        ObjectKind::Deal => format!("/deals/{id}"),
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
        h.el(
            "small",
            &[("class", Some("hint"))],
            &format::time(n.created_at),
        );
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
        counts.arrived.track();
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
