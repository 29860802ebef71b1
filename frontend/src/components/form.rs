//! A labelled form field with the server's per-field error beside it
//! (see `problem::field_error`), and a submit button that shows progress.

use crate::state::t;
use leptos::prelude::*;

/// A labelled input bound to `value`.
#[component]
pub fn Field(
    /// Element id (also the field's name).
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.map(|e| e.get().is_some()).unwrap_or(false);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if has_error() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=has_error>
            <label for=id>{move || label.get()}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described
                bind:value=value
            />
            {hint.map(|hint| view! { <small id=hint_id.clone() class="hint">{move || hint.get()}</small> })}
            {move || error.and_then(|e| e.get()).map(|message| view! {
                <small id=error_id.clone() class="error" data-field-error=id>{message}</small>
            })}
        </div>
    }
}

/// A submit button that shows progress.
#[component]
pub fn Submit(#[prop(into)] label: Signal<&'static str>, busy: RwSignal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="primary" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
            {move || if busy.get() { t().loading } else { label.get() }}
        </button>
    }
}
