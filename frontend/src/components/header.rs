//! The header: product name, the acting role's navigation, the chat and
//! notification badges, the role switch, the avatar (→ profile), language.

use crate::api::{self, Method};
use crate::components::notifications::{Counts, NotificationPanel};
use crate::components::problem::explain;
use crate::i18n::{Lang, Strings};
use crate::session::{self, Auth, use_auth};
use crate::state::{Ui, t};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use mezha_api_types::Role;
use mezha_api_types::me::{AccessTokenResponse, ActingRoleRequest};

/// Sections of the acting role (they open as the features land). Every
/// account may register an organisation, so its page is in every menu:
/// first for the organisation's own roles, last for the others.
fn sections(role: Role, t: &'static Strings) -> Vec<(&'static str, &'static str)> {
    let mut sections = role_sections(role, t);
    let organisation = ("/organisation", t.orgs.nav);
    if matches!(role, Role::OrgAdmin | Role::OrgEmployee) {
        sections.insert(0, organisation);
    } else {
        sections.push(organisation);
    }
    sections
}

fn role_sections(role: Role, t: &'static Strings) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Customer => vec![("/orders", t.nav_orders), ("/engineers", t.nav_engineers)],
        Role::Engineer => vec![
            ("/orders/search", t.nav_order_search),
            ("/orders", t.nav_orders),
            ("/engineer-profile", t.engineers.nav_profile),
        ],
        Role::Employer => vec![
            ("/employees", t.nav_employees),
            ("/orders", t.nav_orders),
            ("/engineers", t.nav_engineers),
        ],
        Role::OrgAdmin | Role::OrgEmployee => {
            vec![("/deals", t.nav_deals), ("/clients", t.nav_clients)]
        }
        Role::CaOperator => vec![
            ("/certificate-applications", t.nav_certificates),
            ("/signatures", t.certs.sign_link),
        ],
        Role::Moderator => vec![
            ("/moderation", t.engineers.nav_moderation),
            ("/engineers", t.nav_engineers),
        ],
    }
}

/// Switches the session's acting role; a failure is shown on the page and
/// the role switch falls back to the role the session still has.
pub fn switch_role(role: Role, then: impl FnOnce() + 'static) {
    switch_role_in(use_auth(), expect_context::<Ui>(), role, then);
}

/// [`switch_role`] with the session and interface taken beforehand: for
/// a switch made when an answer arrives, after the page that asked may be
/// gone (and its context with it).
pub fn switch_role_in(auth: Auth, ui: Ui, role: Role, then: impl FnOnce() + 'static) {
    spawn_local(async move {
        let body = ActingRoleRequest { role };
        match api::call::<_, AccessTokenResponse>(
            auth,
            Method::Post,
            "/me/acting-role",
            Some(&body),
            &[],
        )
        .await
        {
            Ok(reply) => {
                let r = reply.body;
                session::apply_access(auth, r.access_token, r.acting_role, r.expires_in);
                ui.flash.set(None);
                then();
            }
            Err(e) => {
                auth.acting.set(auth.acting.get_untracked());
                ui.flash.set(Some(explain(&e)));
            }
        }
    });
}

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let ui = expect_context::<Ui>();
    let counts = expect_context::<Counts>();
    let panel = RwSignal::new(false);
    let logout = move |_| {
        spawn_local(async move {
            let _ = api::call::<(), ()>(auth, Method::Post, "/auth/logout", None, &[]).await;
            session::logged_out(auth, "/login");
        });
    };
    let other_lang = move || {
        if ui.lang.get() == Lang::Ru {
            Lang::En
        } else {
            Lang::Ru
        }
    };

    view! {
        <header class="site-header">
            <a class="skip" href="#main">{move || t().skip_to_content}</a>
            <A href="/" attr:class="brand">{move || t().product}</A>
            <Show when=move || auth.logged_in()>
                <nav aria-label=move || t().nav_main class="sections">
                    {move || auth.acting.get().map(|role| sections(role, t()).into_iter().map(|(href, label)| view! {
                        <A href=href>{label}</A>
                    }).collect_view())}
                </nav>
            </Show>
            <div class="header-tools">
                <Show
                    when=move || auth.logged_in()
                    fallback=move || view! {
                        <A href="/login">{move || t().login_link}</A>
                        <A href="/register">{move || t().register_link}</A>
                    }
                >
                    <span class="badge" role="img" title=move || t().chat_badge aria-label=move || format!("{}: {}", t().chat_badge, counts.chat.get()) data-badge="chat">
                        <svg aria-hidden="true" class="icon" viewBox="0 0 24 24"><path d="M4 4h16v11H8l-4 4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg><span class="count">{move || counts.chat.get()}</span>
                    </span>
                    <button type="button" class="badge" title=move || t().notifications_badge
                        aria-label=move || format!("{}: {}", t().notifications_badge, counts.system.get())
                        aria-expanded=move || panel.get().to_string()
                        on:click=move |_| panel.update(|open| *open = !*open)
                        data-badge="notifications">
                        <svg aria-hidden="true" class="icon" viewBox="0 0 24 24"><path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20h4" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg><span class="count">{move || counts.system.get()}</span>
                    </button>
                    <Show when=move || { auth.roles.with(|r| r.len() > 1) }>
                        <label class="role-switch">
                            <span class="visually-hidden">{move || t().acting_as}</span>
                            <select
                                id="acting-role"
                                prop:value=move || auth.acting.get().map(|r| r.as_str()).unwrap_or_default()
                                on:change=move |ev| {
                                    if let Ok(role) = event_target_value(&ev).parse::<Role>() {
                                        switch_role(role, || ());
                                    }
                                }
                            >
                                {move || auth.roles.get().into_iter().map(|role| view! {
                                    <option value=role.as_str() selected=move || auth.acting.get() == Some(role)>
                                        {move || t().role(role)}
                                    </option>
                                }).collect_view()}
                            </select>
                        </label>
                    </Show>
                    <A href="/profile" attr:class="avatar" attr:aria-label=move || t().profile_link>
                        <svg aria-hidden="true" class="icon" viewBox="0 0 24 24"><circle cx="12" cy="8" r="4" fill="currentColor"/><path d="M4 21a8 8 0 0 1 16 0z" fill="currentColor"/></svg>
                    </A>
                    <A href="/certificates" attr:data-testid="certificates-link">{move || t().certs.nav_link}</A>
                    <A href="/sessions">{move || t().sessions_link}</A>
                    <button type="button" class="link" on:click=logout>{move || t().logout}</button>
                </Show>
                <button
                    type="button"
                    class="link lang"
                    title=move || t().language_name
                    lang=move || other_lang().code()
                    on:click=move |_| ui.set_lang(other_lang())
                >
                    {move || t().switch_language}
                </button>
            </div>
        </header>
        <Show when=move || auth.logged_in()>
            <NotificationPanel open=panel/>
        </Show>
        {move || ui.flash.get().map(|message| view! {
            <div class="flash" role="alert">
                <span>{message}</span>
                <button type="button" class="link" on:click=move |_| ui.flash.set(None)>"×"</button>
            </div>
        })}
    }
}
