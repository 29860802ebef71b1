//! "Enter as customer / as executor / …" after a login with several roles.

use crate::components::header::switch_role;
use crate::components::status::RequireAuth;
use crate::pages::login::next_path;
use crate::session::use_auth;
use crate::state::t;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ChooseRole() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if auth.ready.get() && auth.roles.with(|r| r.len() == 1) {
                navigate(
                    &next_path().unwrap_or_else(|| "/".to_owned()),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }
    view! {
        <RequireAuth>
            <section class="card narrow">
                <h1>{move || t().choose_role_title}</h1>
                <p>{move || t().choose_role_text}</p>
                <ul class="role-list">
                    {
                        let navigate = navigate.clone();
                        move || auth.roles.get().into_iter().map(|role| {
                            let navigate = navigate.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="primary"
                                        data-role=role.as_str()
                                        on:click=move |_| {
                                            let navigate = navigate.clone();
                                            let next = next_path().unwrap_or_else(|| "/".to_owned());
                                            switch_role(role, move || navigate(&next, Default::default()));
                                        }
                                    >
                                        {move || format!("{} {}", t().enter_as, t().role(role))}
                                    </button>
                                </li>
                            }
                        }).collect_view()
                    }
                </ul>
            </section>
        </RequireAuth>
    }
}
