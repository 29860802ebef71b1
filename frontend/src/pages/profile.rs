//! The profile: view and edit, with the server's per-field errors beside
//! the fields and `If-Match` against concurrent edits; the photo is
//! uploaded on its own ([`AvatarPicker`]).

use crate::api::{self, ApiError, Method};
use crate::components::avatar::AvatarPicker;
use crate::components::fields::non_blank;
use crate::components::form::{Field, Submit};
use crate::components::problem::{FormError, field_error};
use crate::components::status::{Load, LoadStatus, RequireAuth, load};
use crate::pages::engineers::requisites::RequisitesTab;
use crate::pages::phone::PhoneSettings;
use crate::session::use_auth;
use crate::state::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::Role;
use mezha_api_types::me::{Me, UpdateMe};

/// `Some(None)` clears a field, `Some(Some(v))` sets it.
fn patch_value(text: String) -> Option<Option<String>> {
    Some(non_blank(text))
}

#[component]
pub fn Profile() -> impl IntoView {
    view! { <RequireAuth><ProfileForm/></RequireAuth> }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let auth = use_auth();
    let state = RwSignal::new(Load::Loading);
    let me = RwSignal::new(None::<Me>);
    let etag = RwSignal::new(None::<String>);
    let (full_name, snils, inn, email) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let stale = RwSignal::new(false);

    let fill = move |m: &Me| {
        full_name.set(m.full_name.clone().unwrap_or_default());
        snils.set(m.snils.clone().unwrap_or_default());
        inn.set(m.inn.clone().unwrap_or_default());
        email.set(m.email.clone());
    };
    let reload = move || {
        state.set(Load::Loading);
        let fetch = api::call::<(), Me>(auth, Method::Get, "/me", None, &[]);
        load(state, fetch, move |reply| {
            fill(&reply.body);
            me.set(Some(reply.body));
            etag.set(reply.etag);
        });
    };
    reload();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        saved.set(false);
        stale.set(false);
        let current = me.get_untracked();
        let changed = |now: String, before: Option<String>| {
            (now.trim() != before.unwrap_or_default().trim())
                .then(|| patch_value(now))
                .flatten()
        };
        let body = UpdateMe {
            full_name: changed(
                full_name.get_untracked(),
                current.as_ref().and_then(|m| m.full_name.clone()),
            ),
            snils: changed(
                snils.get_untracked(),
                current.as_ref().and_then(|m| m.snils.clone()),
            ),
            inn: changed(
                inn.get_untracked(),
                current.as_ref().and_then(|m| m.inn.clone()),
            ),
            // The phone is saved by its SMS confirmation (PhoneSettings).
            phone: None,
            email: Some(email.get_untracked().trim().to_owned())
                .filter(|e| Some(e) != current.as_ref().map(|m| &m.email)),
        };
        let headers = api::if_match(etag.get_untracked());
        spawn_local(async move {
            match api::call::<_, Me>(auth, Method::Patch, "/me", Some(&body), &headers).await {
                Ok(reply) => {
                    fill(&reply.body);
                    me.set(Some(reply.body));
                    etag.set(reply.etag);
                    saved.set(true);
                }
                Err(e) if e.code() == Some("precondition_failed") => {
                    stale.set(true);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card">
            <h1>{move || t().profile_title}</h1>
            <LoadStatus state=state retry=Callback::new(move |_| reload())/>
            {move || state.with(Load::is_ready).then(|| view! {
                    <p>
                        {move || t().profile_roles}": "
                        {move || me.get().map(|m| m.roles.iter().map(|r| t().role(*r)).collect::<Vec<_>>().join(", ")).unwrap_or_default()}
                    </p>
                    <nav class="profile-links" aria-label=move || t().engineers.account_links>
                        <Show when=move || auth.roles.with(|r| r.contains(&Role::Engineer))>
                            <a href="/engineer-profile" data-testid="engineer-profile-link">{move || t().engineers.nav_profile}</a>
                        </Show>
                        <a href="/employees" data-testid="employer-link">{move || t().engineers.employer_link}</a>
                    </nav>
                    <Show when=move || me.with(|m| m.as_ref().is_some_and(|m| !m.email_confirmed))>
                        <p class="notice">{move || t().email_unconfirmed}</p>
                    </Show>
                    <Show when=move || stale.get()>
                        <p class="notice" role="alert">{move || t().profile_stale}</p>
                    </Show>
                    <AvatarPicker me=me etag=etag/>
                    <form on:submit=submit novalidate data-testid="profile-form">
                        <FormError error=error/>
                        <Field id="full_name" autocomplete="name" label=Signal::derive(move || t().full_name) value=full_name error=field_error(error, "full_name")/>
                        <Field id="snils" inputmode="numeric" label=Signal::derive(move || t().snils) value=snils hint=Signal::derive(move || t().snils_hint) error=field_error(error, "snils")/>
                        <Field id="inn" inputmode="numeric" label=Signal::derive(move || t().inn) value=inn hint=Signal::derive(move || t().inn_hint) error=field_error(error, "inn")/>
                        <Field id="email" kind="email" autocomplete="email" label=Signal::derive(move || t().email) value=email required=true error=field_error(error, "email")/>
                        <Submit label=Signal::derive(move || t().profile_save) busy=busy/>
                        <Show when=move || saved.get()>
                            <p class="success" role="status">{move || t().profile_saved}</p>
                        </Show>
                    </form>
                    <PhoneSettings me=me etag=etag/>
                })}
        </section>
        // A customer's requisites go into his contracts and tell whether he
        // is a person, a sole proprietor or a company (engineers keep theirs
        // in the engineer profile, employers on the Employees page).
        <Show when=move || auth.acting.get() == Some(Role::Customer)>
            <section class="card" data-testid="customer-requisites">
                <h2>{move || t().engineers.tab_requisites}</h2>
                <RequisitesTab changed=RwSignal::new(0)/>
            </section>
        </Show>
    }
}
