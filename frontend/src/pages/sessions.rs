//! The account's sessions, with "log out" per session and everywhere.

use crate::api::{self, Method};
use crate::components::status::{Empty, Load, LoadStatus, RequireAuth, load};
use crate::format;
use crate::session::{self, use_auth};
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::auth::{LogoutRequest, SessionInfo};

#[component]
pub fn Sessions() -> impl IntoView {
    view! { <RequireAuth><SessionsList/></RequireAuth> }
}

/// "Chrome 156 · Linux" from a User-Agent; the raw string stays in the tooltip.
fn device(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else {
        return "—".into();
    };
    let version = |name: &str| {
        ua.split(name).nth(1).map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser/", "Yandex"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .into_iter()
    .find_map(|(token, name)| {
        version(token)
            .filter(|v| !v.is_empty())
            .map(|v| format!("{name} {v}"))
    });
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find_map(|(token, name)| ua.contains(token).then_some(name));
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} · {o}"),
        (Some(b), None) => b,
        (None, Some(o)) => o.to_owned(),
        (None, None) => ua.chars().take(60).collect(),
    }
}

#[component]
fn SessionsList() -> impl IntoView {
    let auth = use_auth();
    let state = RwSignal::new(Load::Loading);
    let items = RwSignal::new(Vec::<SessionInfo>::new());
    let reload = move || {
        let fetch = api::all_pages::<SessionInfo>(auth, "/auth/sessions");
        load(state, fetch, move |list| items.set(list.items));
    };
    reload();
    let end_one = move |id: uuid::Uuid| {
        spawn_local(async move {
            let body = LogoutRequest {
                session_id: Some(id),
            };
            let _ = api::call::<_, ()>(auth, Method::Post, "/auth/logout", Some(&body), &[]).await;
            reload();
        });
    };
    let everywhere = move |_| {
        spawn_local(async move {
            let _ = api::call::<(), ()>(auth, Method::Post, "/auth/logout-all", None, &[]).await;
            session::logged_out(auth, "/login");
        });
    };
    view! {
        <section class="card">
            <h1>{move || t().sessions_title}</h1>
            <LoadStatus state=state retry=Callback::new(move |_| reload())/>
            {move || match (state.get(), items.get()) {
                (Load::Ready, items) if items.is_empty() => Some(view! { <Empty message=Signal::derive(move || t().sessions_empty)/> }.into_any()),
                (Load::Ready, items) => Some(view! {
                    <ul class="sessions">
                        {items.into_iter().map(|s| {
                            let id = s.id;
                            let method = match s.method.as_str() {
                                "sms" => t().session_method_sms,
                                "certificate" => t().session_method_certificate,
                                _ => t().session_method_password,
                            };
                            view! {
                                <li class:current=s.current data-session=id.to_string()>
                                    <div>
                                        <strong title=s.user_agent.clone().unwrap_or_default()>{device(s.user_agent.as_deref())}</strong>
                                        {s.current.then(|| view! { " " <span class="tag">{t().session_current}</span> })}
                                    </div>
                                    <div class="meta">
                                        {format!("{} {} · {} {} · {} · {}", t().session_started, format::time(s.created_at), t().session_seen, format::time(s.last_seen_at), method, s.ip.clone().unwrap_or_default())}
                                    </div>
                                    {(!s.current).then(|| view! {
                                        <button type="button" class="link" on:click=move |_| end_one(id)>{t().session_logout}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()),
                _ => None,
            }}
            <button type="button" class="danger" on:click=everywhere>{move || t().logout_everywhere}</button>
        </section>
    }
}
