//! Notification settings (`/notification-settings`, docs/notifications.md, "Settings"): every event
//! kind × channel (in the app, e-mail, SMS) and the language of e-mails
//! and SMS; "Defaults" puts back what the platform suggests.

use crate::api::{ApiError, notifications};
use crate::components::bind::{click, sig};
use crate::components::form::Submit;
use crate::components::problem::FormError;
use crate::components::status::{AuthGate, signed_in};
use crate::session::use_auth;
use crate::state::{t, tr, ts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::notifications::{
    KindChannels, KindChannelsUpdate, Language, NotificationSettings, UpdateNotificationSettings,
};

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let shown = signed_in();
    let auth = use_auth();
    let rows = RwSignal::new(Vec::<KindChannels>::new());
    let defaults = RwSignal::new(Vec::<KindChannels>::new());
    let language = RwSignal::new(Language::Ru.as_str().to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let fill = move |s: NotificationSettings| {
        rows.set(s.kinds);
        defaults.set(s.defaults);
        language.set(s.language.as_str().to_owned());
    };
    Effect::new(move |_| {
        if !shown.get() {
            return;
        }
        spawn_local(async move {
            match notifications::settings(auth).await {
                Ok(s) => fill(s),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    // `channel`: 0 in-app, 1 e-mail, 2 SMS.
    let toggle = move |i: usize, channel: u8, on: bool| {
        rows.update(|list| {
            if let Some(row) = list.get_mut(i) {
                match channel {
                    0 => row.in_app = on,
                    1 => row.email = on,
                    _ => row.sms = on,
                }
            }
        });
        saved.set(false);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        saved.set(false);
        let body = UpdateNotificationSettings {
            language: language.get_untracked().parse().ok(),
            kinds: rows
                .get_untracked()
                .into_iter()
                .map(|r| KindChannelsUpdate {
                    kind: r.kind,
                    in_app: Some(r.in_app),
                    email: Some(r.email),
                    sms: Some(r.sms),
                })
                .collect(),
        };
        spawn_local(async move {
            match notifications::save_settings(auth, &body).await {
                Ok(s) => {
                    fill(s);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let reset = click(move |_| {
        rows.set(defaults.get_untracked());
        saved.set(false);
    });
    let checkbox = move |i: usize, channel: u8, kind: &'static str| {
        let checked = sig(move || {
            rows.with(|l| {
                l.get(i).is_some_and(|r| match channel {
                    0 => r.in_app,
                    1 => r.email,
                    _ => r.sms,
                })
            })
        });
        let name = ["in_app", "email", "sms"][channel as usize];
        view! {
            <td>
                <input type="checkbox" name=format!("{kind}.{name}") prop:checked=checked
                    aria-label=move || format!("{} — {}", t().notif.kind(rows.with(|l| l[i].kind)),
                        [t().notif.in_app, t().notif.email, t().notif.sms][channel as usize])
                    on:change=move |ev| toggle(i, channel, event_target_checked(&ev))/>
            </td>
        }
    };
    view! {
        <AuthGate/>
        <form class="card" hidden=sig(move || !shown.get()) on:submit=submit novalidate data-testid="notification-settings">
            <h1>{tr(|s| s.notif.settings_title)}</h1>
            <p class="hint">{tr(|s| s.notif.settings_text)}</p>
            <div class="field">
                <label for="notif-language">{tr(|s| s.notif.language)}</label>
                <select id="notif-language" prop:value=move || language.get() on:change=move |ev| language.set(event_target_value(&ev))>
                    <option value="ru">"Русский"</option>
                    <option value="en">"English"</option>
                </select>
            </div>
            <div class="table-scroll">
                <table class="settings-table">
                    <thead><tr>
                        <th scope="col">{tr(|s| s.notif.event)}</th>
                        <th scope="col">{tr(|s| s.notif.in_app)}</th>
                        <th scope="col">{tr(|s| s.notif.email)}</th>
                        <th scope="col">{tr(|s| s.notif.sms)}</th>
                    </tr></thead>
                    <tbody>
                        {move || (0..rows.with(Vec::len)).map(|i| {
                            let kind = rows.with_untracked(|l| l[i].kind);
                            view! {
                                <tr data-kind=kind.as_str()>
                                    <th scope="row">{move || t().notif.kind(kind)}</th>
                                    {checkbox(i, 0, kind.as_str())}
                                    {checkbox(i, 1, kind.as_str())}
                                    {checkbox(i, 2, kind.as_str())}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FormError error=error/>
            <div class="actions">
                <Submit label=ts(|s| s.notif.save) busy=busy/>
                <button type="button" on:click=reset>{tr(|s| s.notif.reset)}</button>
            </div>
            <p class="success" role="status" hidden=sig(move || !saved.get()) data-testid="settings-saved">{tr(|s| s.notif.saved)}</p>
        </form>
    }
}
