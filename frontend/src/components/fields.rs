//! Form controls of the order screens: labelled input, text area, select,
//! checkbox, group of checkboxes and radio segments.
//!
//! Unlike `form::Field`, whose label and error are signals made at every
//! use, these take the label as a catalogue pick and read the field's
//! message from one [`Issues`] signal per form. A use then costs a handful
//! of plain values, which keeps big forms inside the bundle budget. The
//! markup is the same (`.field`, `aria-invalid`, `aria-describedby`,
//! `data-field-error=<name>`), so tests and styles treat both alike.

use crate::components::problem::{Issues, issue_of};
use crate::state::{Pick, tr};
use leptos::prelude::*;

/// `Some(text)` trimmed, unless blank: an optional field's value.
pub fn non_blank(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The wrapper, label, hint and message around one control.
fn frame(
    id: &'static str,
    name: &'static str,
    label: Pick,
    hint: Option<Pick>,
    issue: Memo<Option<String>>,
    control: AnyView,
) -> AnyView {
    let invalid = move || issue.with(Option::is_some);
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id>{tr(label)}</label>
            {control}
            {hint.map(|hint| view! { <small id=format!("{id}-hint") class="hint">{tr(hint)}</small> })}
            <small id=format!("{id}-error") class="error" data-field-error=name hidden=move || !invalid()>
                {move || issue.get()}
            </small>
        </div>
    }
    .into_any()
}

fn described(id: &'static str, hint: bool, issue: Memo<Option<String>>) -> impl Fn() -> String {
    move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if issue.with(Option::is_some) {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }
}

/// A labelled one-line input bound to `value`. `name` is the field's key in
/// `issues` (the id when absent); `numeric` asks phones for the digit pad.
#[component]
pub fn Input(
    id: &'static str,
    label: Pick,
    value: RwSignal<String>,
    issues: Issues,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] hint: Option<Pick>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let name = name.unwrap_or(id);
    let issue = issue_of(issues, name);
    let control = view! {
        <input
            id=id
            name=name
            type=kind
            autocomplete="off"
            inputmode=numeric.then_some("numeric")
            required=required
            aria-invalid=move || issue.with(Option::is_some).to_string()
            aria-describedby=described(id, hint.is_some(), issue)
            bind:value=value
        />
    };
    frame(id, name, label, hint, issue, control.into_any())
}

/// A labelled multi-line text bound to `value`.
#[component]
pub fn Area(
    id: &'static str,
    label: Pick,
    value: RwSignal<String>,
    issues: Issues,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] hint: Option<Pick>,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let name = name.unwrap_or(id);
    let issue = issue_of(issues, name);
    let control = view! {
        <textarea
            id=id
            name=name
            rows=rows
            aria-invalid=move || issue.with(Option::is_some).to_string()
            aria-describedby=described(id, hint.is_some(), issue)
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        ></textarea>
    };
    frame(id, name, label, hint, issue, control.into_any())
}

/// A labelled select of `(value, text)` options bound to `value`; `blank`
/// is the text of an empty first option.
#[component]
pub fn Choice(
    id: &'static str,
    label: Pick,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
    issues: Issues,
    #[prop(optional)] blank: Option<Pick>,
) -> impl IntoView {
    let issue = issue_of(issues, id);
    let control = view! {
        <select
            id=id
            name=id
            aria-invalid=move || issue.with(Option::is_some).to_string()
            aria-describedby=described(id, false, issue)
            on:change=move |ev| value.set(event_target_value(&ev))
        >
            {move || blank.map(|b| view! { <option value="" selected=move || value.with(String::is_empty)>{tr(b)}</option> })}
            {move || options.get().into_iter().map(|(code, text)| {
                let selected = {
                    let code = code.clone();
                    move || value.with(|v| *v == code)
                };
                view! { <option value=code selected=selected>{text}</option> }
            }).collect_view()}
        </select>
    };
    frame(id, id, label, None, issue, control.into_any())
}

/// A group of checkboxes (a `fieldset`) choosing any of `options`; the
/// boxes get the ids `<id>-<value>`.
#[component]
pub fn CheckGroup(
    id: &'static str,
    legend: Pick,
    options: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Vec<String>>,
    issues: Issues,
) -> impl IntoView {
    let issue = issue_of(issues, id);
    let invalid = move || issue.with(Option::is_some);
    view! {
        <fieldset class="field checks" class:invalid=invalid id=id data-testid=id
            aria-describedby=move || if invalid() { format!("{id}-error") } else { String::new() }>
            <legend>{tr(legend)}</legend>
            {move || options.get().into_iter().map(|(code, text)| {
                let box_id = format!("{id}-{code}");
                let checked = {
                    let code = code.clone();
                    move || chosen.with(|c| c.contains(&code))
                };
                let toggle = {
                    let code = code.clone();
                    move |ev| {
                        let on = event_target_checked(&ev);
                        chosen.update(|c| {
                            c.retain(|x| *x != code);
                            if on {
                                c.push(code.clone());
                            }
                        });
                    }
                };
                view! {
                    <label class="check" for=box_id.clone()>
                        <input type="checkbox" id=box_id.clone() value=code prop:checked=checked on:change=toggle/>
                        <span>{text}</span>
                    </label>
                }
            }).collect_view()}
            <small id=format!("{id}-error") class="error" data-field-error=id hidden=move || !invalid()>
                {move || issue.get()}
            </small>
        </fieldset>
    }
}

/// One checkbox; `switch` shows it as an on/off switch.
#[component]
pub fn Check(
    id: &'static str,
    label: Pick,
    checked: RwSignal<bool>,
    #[prop(optional)] switch: bool,
) -> impl IntoView {
    view! {
        <label class="check" class:switch=switch for=id>
            <input
                type="checkbox"
                id=id
                name=id
                role=switch.then_some("switch")
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            <span>{tr(label)}</span>
        </label>
    }
}

/// Radio buttons shown as segments; `value` holds the chosen option's
/// value. The inputs get the ids `<name>-<value>`.
#[component]
pub fn Segments(
    name: &'static str,
    label: Pick,
    value: RwSignal<String>,
    options: &'static [(&'static str, Pick)],
) -> impl IntoView {
    view! {
        <div class="segments" role="radiogroup" aria-label=tr(label)>
            {options.iter().map(|(option, text)| {
                let id = format!("{name}-{option}");
                view! {
                    <label class="segment" for=id.clone()>
                        <input type="radio" name=name id=id.clone() value=*option
                            prop:checked=move || value.with(|v| v == option)
                            on:change=move |_| value.set((*option).to_owned())/>
                        <span>{tr(*text)}</span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}
