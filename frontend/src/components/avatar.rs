//! The profile's photo: the current one (or the initial), "Upload a photo"
//! — an image file sent as is to `PUT /me/avatar`, with its progress —
//! and "Remove", with the server's refusals beside them. The server crops,
//! resizes and strips the photo; the page only shows what it answers.

use crate::api::me::{avatar_src, remove_avatar, upload_avatar};
use crate::api::{ApiError, Reply};
use crate::components::bind::{click, sig};
use crate::components::problem::explain;
use crate::components::upload::chosen;
use crate::session::use_auth;
use crate::state::{t, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mezha_api_types::limits::AVATAR_MAX_BYTES;
use mezha_api_types::me::Me;

/// Why the photo did not change.
#[derive(Debug, Clone)]
enum Trouble {
    /// Larger than the server takes: not sent.
    TooLarge,
    /// The server's refusal.
    Refused(ApiError),
}

/// What went wrong, in words (in a view: the words follow the language):
/// the refusal of the image itself (`errors` on `body`: not an image, too
/// many pixels, empty) when the server names one, else the problem's.
fn explain_trouble(trouble: &Trouble) -> String {
    let error = match trouble {
        Trouble::TooLarge => return t().errors.payload_too_large.to_owned(),
        Trouble::Refused(error) => error,
    };
    if let ApiError::Problem(p) = error
        && let Some(issue) = p.field("body").first()
    {
        return t()
            .error(&issue.code)
            .map_or_else(|| issue.message.clone(), str::to_owned);
    }
    explain(error)
}

/// The photo of the profile `me` (kept with its `etag`: a new photo is a
/// new version of the profile, and the form's next save sends it).
#[component]
pub fn AvatarPicker(me: RwSignal<Option<Me>>, etag: RwSignal<Option<String>>) -> impl IntoView {
    let auth = use_auth();
    // The share of the upload sent, and what is under way.
    let percent = RwSignal::new(0u32);
    let uploading = RwSignal::new(false);
    let removing = RwSignal::new(false);
    let error = RwSignal::new(None::<Trouble>);
    let url = move || me.with(|m| m.as_ref().and_then(|m| m.avatar_url.clone()));
    let busy = move || uploading.get() || removing.get();

    let finish = move |result: Result<Reply<Me>, ApiError>| {
        match result {
            Ok(reply) => {
                etag.set(reply.etag);
                me.set(Some(reply.body));
            }
            Err(e) => error.set(Some(Trouble::Refused(e))),
        }
        uploading.set(false);
        removing.set(false);
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(file) = chosen(&ev).into_iter().next() else {
            return;
        };
        event_target::<web_sys::HtmlInputElement>(&ev).set_value("");
        error.set(None);
        // Refused here rather than after sending 10 MiB for nothing.
        if file.size() > AVATAR_MAX_BYTES as f64 {
            error.set(Some(Trouble::TooLarge));
            return;
        }
        percent.set(0);
        uploading.set(true);
        spawn_local(async move {
            let reply = upload_avatar(auth, &file, move |p| percent.set(p)).await;
            finish(reply);
        });
    };
    let remove = click(move |_| {
        error.set(None);
        removing.set(true);
        spawn_local(async move { finish(remove_avatar(auth).await) });
    });
    let initial = move || {
        me.with(|m| {
            m.as_ref()
                .and_then(|m| m.full_name.as_deref().or(Some(m.email.as_str())))
                .and_then(|n| n.chars().next())
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default()
        })
    };
    let status = sig(move || {
        if uploading.get() {
            t().avatar_uploading
                .replace("{}", &percent.get().to_string())
        } else {
            t().avatar_removing.to_owned()
        }
    });
    view! {
        <section class="avatar-field" aria-labelledby="avatar-title" data-testid="avatar-field">
            <h2 id="avatar-title">{tr(|s| s.avatar_title)}</h2>
            {move || match url() {
                Some(url) => view! {
                    <img
                        class="avatar-photo"
                        src=avatar_src(&url, 256)
                        srcset=format!("{} 256w, {} 512w", avatar_src(&url, 256), avatar_src(&url, 512))
                        sizes="6rem"
                        alt=tr(|s| s.avatar_alt)
                        data-testid="avatar-photo"
                    />
                }.into_any(),
                None => view! {
                    <span class="avatar-photo placeholder" aria-hidden="true" data-testid="avatar-placeholder">{initial}</span>
                }.into_any(),
            }}
            <div class="avatar-actions">
                <input
                    type="file"
                    id="avatar-file"
                    class="visually-hidden"
                    accept="image/jpeg,image/png,image/webp"
                    aria-describedby="avatar-hint"
                    disabled=sig(busy)
                    on:change=on_change
                    data-testid="avatar-input"
                />
                <label for="avatar-file" class="button" aria-disabled=sig(move || busy().to_string())>{tr(|s| s.avatar_upload)}</label>
                <button
                    type="button"
                    class="link"
                    hidden=sig(move || url().is_none())
                    disabled=sig(busy)
                    on:click=remove
                    data-testid="avatar-remove"
                >{tr(|s| s.avatar_remove)}</button>
                <small id="avatar-hint" class="hint">{tr(|s| s.avatar_hint)}</small>
                <small class="status" role="status" hidden=sig(move || !busy()) data-testid="avatar-busy">{status}</small>
                {move || error.get().map(|trouble| view! {
                    <small class="error" role="alert" data-testid="avatar-error">{explain_trouble(&trouble)}</small>
                })}
            </div>
        </section>
    }
}
