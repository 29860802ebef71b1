//! The chat panel of the order card (docs/chat.md): the messages, oldest at
//! the top, a text box and a file with upload progress. Opening it marks
//! the chat read; new messages arrive from the live event stream
//! ([`Counts::chat_arrived`]).

use crate::api::{ApiError, chat};
use crate::components::bind::{click, sig};
use crate::components::html::{Html, clicked};
use crate::components::notifications::Counts;
use crate::components::problem::FormError;
use crate::components::upload::chosen_file;
use crate::format;
use crate::session::use_auth;
use crate::state::tr;
use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::chat::ChatMessage;
use mezha_api_types::orders::FileInfo;
use uuid::Uuid;

fn rows(items: &[ChatMessage], me: Option<Uuid>) -> String {
    let mut h = Html::new();
    for m in items.iter().rev() {
        let mine = Some(m.author_id) == me;
        let id = m.id.to_string();
        h.open(
            "li",
            &[
                ("class", Some(if mine { "message mine" } else { "message" })),
                ("data-testid", Some("chat-message")),
                ("data-id", Some(&id)),
            ],
        );
        let who = m.author_name.clone().unwrap_or_default();
        h.el(
            "small",
            &[("class", Some("hint"))],
            &format!("{who} · {}", format::time(m.created_at)),
        );
        if let Some(text) = &m.text {
            h.el("p", &[("class", Some("pre"))], text);
        }
        if let Some(file) = &m.file {
            let fid = file.id.to_string();
            h.el(
                "a",
                &[
                    ("href", Some(&format!("/api/v1/files/{fid}"))),
                    ("data-act", Some("file")),
                    ("data-id", Some(&fid)),
                ],
                &format!("{} ({})", file.name, format::size(file.size)),
            );
        }
        h.close("li");
    }
    h.finish()
}

/// The chat of one thread, from its own chunk (fetched when a thread is
/// first shown): [`ChatPanel`] through `later`.
#[lazy]
pub fn chat_panel(
    order: Uuid,
    engineer: Uuid,
    me: Signal<Option<Uuid>>,
    writer: Signal<bool>,
) -> AnyView {
    view! { <ChatPanel order engineer me writer/> }.into_any()
}

#[component]
pub fn ChatPanel(
    order: Uuid,
    /// The thread's engineer.
    engineer: Uuid,
    me: Signal<Option<Uuid>>,
    writer: Signal<bool>,
) -> impl IntoView {
    let auth = use_auth();
    let counts = expect_context::<Counts>();
    let items = RwSignal::new(Vec::<ChatMessage>::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(None::<u32>);
    let unavailable = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let load = move || {
        spawn_local(async move {
            match chat::page(auth, order, engineer, None).await {
                Ok(page) => items.set(page.items),
                // Not a reader of this chat: no panel.
                Err(e) if matches!(e.code(), Some("not_found" | "conflict")) => {
                    unavailable.set(true)
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Opening loads (and marks read); a live message of any chat reloads.
    Effect::new(move |_| {
        counts.chat_arrived.track();
        load();
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match chat::say(auth, order, engineer, body).await {
                Ok(m) => {
                    text.set(String::new());
                    items.update(|l| l.insert(0, m));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let attach = move |_| {
        let Some(file) = chosen_file(file_input) else {
            return;
        };
        busy.set(true);
        error.set(None);
        progress.set(Some(0));
        spawn_local(async move {
            let shown = move |percent| progress.set(Some(percent));
            match chat::send_file(auth, order, engineer, &file, shown).await {
                Ok(m) => items.update(|l| l.insert(0, m)),
                Err(e) => error.set(Some(e)),
            }
            if let Some(input) = file_input.try_get_untracked().flatten() {
                input.set_value("");
            }
            progress.set(None);
            busy.set(false);
        });
    };
    // File links need the session: download through the API client.
    let open_file = click(move |ev: leptos::ev::MouseEvent| {
        let Some((_, id)) = clicked(&ev) else { return };
        let Some(file) = items.with_untracked(|l| {
            l.iter()
                .filter_map(|m| m.file.clone())
                .find(|f: &FileInfo| f.id.to_string() == id)
        }) else {
            return;
        };
        ev.prevent_default();
        spawn_local(async move {
            if let Err(e) = crate::api::orders::download(auth, &file).await {
                error.set(Some(e));
            }
        });
    });
    view! {
        <section class="card chat" aria-labelledby="chat-title" data-testid="chat" hidden=unavailable>
            <h2 id="chat-title">{tr(|s| s.notif.chat_title)}</h2>
            <p class="empty" hidden=sig(move || !items.with(Vec::is_empty))>{tr(|s| s.notif.chat_empty)}</p>
            <ul class="messages" aria-live="polite" on:click=open_file
                inner_html=sig(move || items.with(|l| rows(l, me.get())))></ul>
            <form on:submit=send hidden=sig(move || !writer.get()) data-testid="chat-form">
                <label class="visually-hidden" for="chat-text">{tr(|s| s.notif.chat_message)}</label>
                <textarea id="chat-text" rows="2" bind:value=text placeholder=tr(|s| s.notif.chat_message)></textarea>
                <div class="actions">
                    <button type="submit" class="primary" disabled=busy data-testid="chat-send">{tr(|s| s.notif.chat_send)}</button>
                    <label class="button" for="chat-file">{tr(|s| s.notif.chat_attach)}</label>
                    <input type="file" id="chat-file" class="visually-hidden" node_ref=file_input on:change=attach/>
                    <progress max="100" hidden=sig(move || progress.get().is_none()) data-testid="chat-progress"
                        prop:value=move || progress.get().unwrap_or(0)>
                    </progress>
                </div>
            </form>
            <FormError error=error/>
        </section>
    }
}
