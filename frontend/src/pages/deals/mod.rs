//! Deals (docs/deals.md): the list with its status filter and "New deal"
//! ([`list`]), and a deal's card ([`card`]) — a wizard of steps: the object
//! ([`object`]), the participants from the client base ([`participants`]),
//! the documents ([`documents`]), the signatures of documents and then of
//! the statements ([`signatures`]), the statements and sending, the state
//! fee and the registry's answers, the history ([`registry`]).
//!
//! Every button follows the deal's `allowed_actions`; what only shows data
//! is HTML text (see `components::html`). A refused step (409) says where
//! the deal stands now and refreshes the card.

pub mod card;
pub mod documents;
pub mod list;
pub mod object;
pub mod participants;
pub mod registry;
pub mod signatures;

use crate::api::ApiError;
use crate::components::html::{Html, status_badge};
use crate::components::problem::{explain_with, issue_text};
use crate::state::t;
use leptos::prelude::*;
use mezha_api_types::ErrorCode;
use mezha_api_types::deals::{Deal, DealParticipant, DealStatus};
use uuid::Uuid;

/// Problems told in the server's words: its sentences say which
/// signature, which certificate, which limit.
const SERVER_TEXT: &[&str] = &[
    "conflict",
    "not_found",
    "signature_refused",
    "signer_not_party",
    "payload_too_large",
];

/// A sentence for a deal's problem: a refused step names the status the
/// deal is in now.
pub fn explain_deal(error: &ApiError) -> String {
    if let ApiError::Problem(p) = error
        && p.code == ErrorCode::IllegalTransition
        && let Some(Ok(now)) = p.current_status.as_deref().map(str::parse::<DealStatus>)
    {
        let d = t().deals;
        return d.illegal_now.replace("{}", d.status(now));
    }
    // A signature refused for what it is (a power of attorney (МЧД) that
    // does not let the employee sign for the organisation, …): the
    // field's own message, not "check the highlighted fields".
    if let ApiError::Problem(p) = error
        && let Some(issue) = p.field("signature").first()
    {
        return issue_text(issue);
    }
    // Only documents are uploaded to a deal: a file that is not a PDF.
    if let ApiError::Problem(p) = error
        && p.code == ErrorCode::UnsupportedMediaType
    {
        return t().deals.not_pdf.to_owned();
    }
    explain_with(error, SERVER_TEXT)
}

/// The banner of a step: the problem in [`explain_deal`]'s words.
#[component]
pub fn DealError(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! { <p class="error form-error" role="alert">{explain_deal(&e)}</p> }
        })
    }
}

/// Writes the deal's status label.
pub fn badge(h: &mut Html, status: DealStatus) {
    status_badge(h, status.as_str(), t().deals.status(status));
}

/// Whether the registry is working on the deal (its answers are awaited).
pub fn at_registry(status: DealStatus) -> bool {
    matches!(
        status,
        DealStatus::Submitted
            | DealStatus::FeePayment
            | DealStatus::InRegistration
            | DealStatus::Suspended
    )
}

/// A participant's name with his role: `Иванов И. И. (даритель)`.
pub fn participant_label(p: &DealParticipant) -> String {
    format!("{} ({})", p.name, t().deals.role(p.role))
}

/// Who signs, by the id in a document's `signers`: a participant's name
/// and role, or (none) the filing employee.
pub fn signer_label(deal: &Deal, signer: Option<Uuid>) -> String {
    match signer {
        None => t().deals.employee_signer.to_owned(),
        Some(id) => deal
            .participants
            .iter()
            .find(|p| p.id == id)
            .map(participant_label)
            .unwrap_or_else(|| t().deals.someone.to_owned()),
    }
}

/// The `data-id` of a signer in the blocks' buttons: the participant's id,
/// or `employee`.
pub fn signer_key(signer: Option<Uuid>) -> String {
    signer.map_or_else(|| "employee".to_owned(), |id| id.to_string())
}
