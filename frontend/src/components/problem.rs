//! The server's problems (`application/problem+json`) in the interface: a
//! sentence for the banner of a page or form ([`explain`], [`FormError`]),
//! and the per-field messages of a 422 (`errors`) beside the controls that
//! show them ([`issues`] for the forms built from `fields`, [`field_error`]
//! for one `form::Field`). Every message goes through the catalogue, with
//! the server's own text when the catalogue has none for its code.

use crate::api::ApiError;
use crate::state::t;
use leptos::prelude::*;
use mezha_api_types::orders::OrderStatus;
use mezha_api_types::{ErrorCode, FieldIssue};

/// The problems of a form by control: `(control, message)`, the client's
/// own findings first, then the server's (`errors` of a 422), translated.
pub type Issues = Signal<Vec<(&'static str, String)>>;

/// No problems (for controls outside a checked form).
pub fn no_issues() -> Issues {
    Signal::derive(Vec::new)
}

/// A sentence for the user, in the current language. A refused transition
/// says the order's status now, when the problem gives it.
pub fn explain(error: &ApiError) -> String {
    let t = t();
    match error {
        ApiError::Network => t.network_error.to_owned(),
        ApiError::Problem(p) if p.code == ErrorCode::IllegalTransition => {
            match p.current_status.as_deref().map(str::parse::<OrderStatus>) {
                Some(Ok(now)) => t.orders.illegal_now.replace("{}", t.status(now)),
                _ => t.errors.illegal_transition.to_owned(),
            }
        }
        ApiError::Problem(p) => match t.error(p.code.as_str()) {
            Some(text) => text.to_owned(),
            None => p
                .detail
                .clone()
                .unwrap_or_else(|| t.unknown_error.to_owned()),
        },
    }
}

/// [`explain`], but for the codes in `server_text` the server's own
/// sentence (`detail`, in the page's language) when it gives one: where a
/// generic code (`conflict`, `forbidden`, …) has a more precise reason
/// than the catalogue's text for the code.
pub fn explain_with(error: &ApiError, server_text: &[&str]) -> String {
    match error {
        ApiError::Problem(p) if server_text.contains(&p.code.as_str()) => {
            p.detail.clone().unwrap_or_else(|| explain(error))
        }
        _ => explain(error),
    }
}

/// The message of one field issue: the catalogue's for its code, else the
/// server's.
pub fn issue_text(issue: &FieldIssue) -> String {
    t().error(&issue.code)
        .map(str::to_owned)
        .unwrap_or_else(|| issue.message.clone())
}

/// The message to show beside field `name` for this error, if any.
pub fn field_error(
    error: RwSignal<Option<ApiError>>,
    name: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            let issues = match e.as_ref()? {
                ApiError::Problem(p) => p.field(name),
                ApiError::Network => &[],
            };
            issues.first().map(issue_text)
        })
    })
}

/// The problems of a form by control: the client's own findings (`local`
/// adds them) first, then the server's per-field errors, each put on the
/// control `map` names for the server's field (`regions[2]` → `regions`),
/// or left out. One message a control.
pub fn issues(
    error: RwSignal<Option<ApiError>>,
    map: fn(&str) -> Option<&'static str>,
    local: impl Fn(&mut Vec<(&'static str, String)>) + Send + Sync + 'static,
) -> Issues {
    Signal::derive(move || {
        let mut found = Vec::new();
        local(&mut found);
        error.with(|e| {
            let Some(ApiError::Problem(p)) = e else {
                return;
            };
            for (name, list) in p.errors.iter().flatten() {
                let Some(control) = map(name) else { continue };
                if found.iter().any(|(f, _)| *f == control) {
                    continue;
                }
                if let Some(issue) = list.first() {
                    found.push((control, issue_text(issue)));
                }
            }
        });
        found
    })
}

/// The message of control `name` among `issues`, if any (reactive).
pub fn issue_of(issues: Issues, name: &'static str) -> Memo<Option<String>> {
    Memo::new(move |_| {
        issues.with(|all| {
            all.iter()
                .find(|(field, _)| *field == name)
                .map(|(_, text)| text.clone())
        })
    })
}

/// The banner of a form or page: the problem not tied to one field; for
/// the codes in `server_text` in the server's words ([`explain_with`]).
#[component]
pub fn FormError(
    error: RwSignal<Option<ApiError>>,
    #[prop(optional)] server_text: &'static [&'static str],
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! { <p class="error form-error" role="alert">{explain_with(&e, server_text)}</p> }
        })
    }
}
