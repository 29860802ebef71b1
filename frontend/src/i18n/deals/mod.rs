//! The catalogue's part for deals (docs/deals.md): the list, the card's
//! steps (object, participants, documents, signatures, statements, the
//! registry and the fee, the history), the checklist's sentences, and the
//! names of the API's statuses, actions, roles and kinds of objects.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use mezha_api_types::deals::{DealAction, DealStatus, ObjectType, ParticipantRole, RegistryStatus};

/// Strings of the deal screens.
pub struct DealStrings {
    // the list
    pub title: &'static str,
    pub status_filter: &'static str,
    pub all_statuses: &'static str,
    pub empty: &'static str,
    pub nothing_found: &'static str,
    pub load_more: &'static str,
    pub new_title: &'static str,
    pub new_title_hint: &'static str,
    pub create: &'static str,
    pub created: &'static str,
    pub updated: &'static str,
    pub not_given: &'static str,

    // the card
    pub back: &'static str,
    pub deal: &'static str,
    pub responsible: &'static str,
    pub copied_from: &'static str,
    pub copy: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    pub cancel: &'static str,
    /// `{}`: the status now.
    pub illegal_now: &'static str,
    pub checklist_title: &'static str,
    pub check_object: &'static str,
    pub check_participants: &'static str,
    /// `{}`: the representative.
    pub check_represents: &'static str,
    pub check_shares: &'static str,
    pub check_documents: &'static str,
    /// `{}` the signer, then `{}` the document.
    pub check_signature: &'static str,
    pub tab_object: &'static str,
    pub tab_participants: &'static str,
    pub tab_documents: &'static str,
    pub tab_signatures: &'static str,
    pub tab_statements: &'static str,
    pub tab_registry: &'static str,
    pub tab_history: &'static str,

    // object
    pub object_title: &'static str,
    pub object_hint: &'static str,
    pub frozen_hint: &'static str,
    pub deal_title: &'static str,
    pub cadastral_number: &'static str,
    pub cadastral_hint: &'static str,
    pub object_type_label: &'static str,
    pub not_chosen: &'static str,
    pub address: &'static str,
    pub area: &'static str,
    pub area_hint: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,

    // participants
    pub participants_title: &'static str,
    pub participants_empty: &'static str,
    pub the_organisation: &'static str,
    pub share: &'static str,
    pub share_hint: &'static str,
    pub whole: &'static str,
    pub represents: &'static str,
    pub signed_for: &'static str,
    pub remove: &'static str,
    pub add_title: &'static str,
    pub who: &'static str,
    pub who_client: &'static str,
    pub who_organisation: &'static str,
    pub client_search: &'static str,
    pub pick: &'static str,
    pub chosen_client: &'static str,
    pub pick_client_first: &'static str,
    pub role_label: &'static str,
    pub add_submit: &'static str,
    pub added: &'static str,

    // documents
    pub documents_title: &'static str,
    /// `{}` the largest document, then `{}` the deal's total.
    pub limits: &'static str,
    /// `{}` used, then `{}` the limit.
    pub used: &'static str,
    pub documents_empty: &'static str,
    pub open: &'static str,
    pub upload_title: &'static str,
    pub document_title: &'static str,
    pub document_title_hint: &'static str,
    pub document_file: &'static str,
    pub upload_submit: &'static str,
    pub uploading: &'static str,
    pub choose_file: &'static str,
    /// A document the server found not to be a PDF (415).
    pub not_pdf: &'static str,
    /// Before the registry's reason of a refusal.
    pub refusal_reason: &'static str,
    pub over_document_limit: &'static str,
    pub over_deal_limit: &'static str,

    // signatures
    pub signatures_title: &'static str,
    pub signatures_hint: &'static str,
    pub document: &'static str,
    pub employee_signer: &'static str,
    pub someone: &'static str,
    pub signed: &'static str,
    pub signature_valid: &'static str,
    pub report: &'static str,
    pub sign_here: &'static str,
    pub sign_file: &'static str,
    pub awaiting_signature: &'static str,
    pub browser_hint: &'static str,
    pub file_hint: &'static str,
    pub signature_file: &'static str,
    pub send_signature: &'static str,

    // statements and sending
    pub statements_title: &'static str,
    pub freeze_title: &'static str,
    pub freeze_text: &'static str,
    pub form_blocked: &'static str,
    pub form_statements: &'static str,
    pub form_confirm: &'static str,
    pub form_yes: &'static str,
    pub statements_frozen: &'static str,
    pub ready_hint: &'static str,
    pub sent_hint: &'static str,
    pub statement_signatures: &'static str,
    pub send: &'static str,

    // the registry and the fee
    pub registry_title: &'static str,
    pub not_sent: &'static str,
    pub deal_status: &'static str,
    pub live_hint: &'static str,
    pub refused_hint: &'static str,
    pub fee_title: &'static str,
    pub fee_amount: &'static str,
    pub fee_uin: &'static str,
    pub fee_state: &'static str,
    pub fee_automatic: &'static str,
    pub fee_paid: &'static str,
    pub fee_unpaid: &'static str,
    pub fee_hint: &'static str,
    pub fee_mark_paid: &'static str,
    pub events_title: &'static str,
    pub no_events: &'static str,
    pub gave_up: &'static str,
    pub learned_at: &'static str,

    // history
    pub history_title: &'static str,
    pub by_platform: &'static str,
    pub by_registry: &'static str,

    /// In the order of [`DealStatus::ALL`].
    pub statuses: [&'static str; DealStatus::ALL.len()],
    /// In the order of [`DealAction::ALL`].
    pub actions: [&'static str; DealAction::ALL.len()],
    /// In the order of [`ParticipantRole::ALL`].
    pub roles: [&'static str; ParticipantRole::ALL.len()],
    /// In the order of [`ObjectType::ALL`].
    pub object_types: [&'static str; ObjectType::ALL.len()],
    /// In the order of [`RegistryStatus::ALL`].
    pub registry_statuses: [&'static str; RegistryStatus::ALL.len()],
    /// Field problems of the deal screens, by code.
    pub errors: DealErrors,
}

/// Field problem codes of the deal endpoints.
pub struct DealErrors {
    pub area_format: &'static str,
    pub share_format: &'static str,
    pub duplicate: &'static str,
    pub immutable: &'static str,
    pub not_a_representative: &'static str,
    pub not_a_signer: &'static str,
    pub too_many: &'static str,
    pub unknown: &'static str,
}

/// The name at `value`'s place in `all`.
fn named<T: PartialEq>(all: &[T], names: &[&'static str], value: T) -> &'static str {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}

impl DealStrings {
    pub fn status(&self, s: DealStatus) -> &'static str {
        named(DealStatus::ALL, &self.statuses, s)
    }

    pub fn action(&self, a: DealAction) -> &'static str {
        named(DealAction::ALL, &self.actions, a)
    }

    pub fn role(&self, r: ParticipantRole) -> &'static str {
        named(ParticipantRole::ALL, &self.roles, r)
    }

    pub fn object_type(&self, k: ObjectType) -> &'static str {
        named(ObjectType::ALL, &self.object_types, k)
    }

    pub fn registry_status(&self, s: RegistryStatus) -> &'static str {
        named(RegistryStatus::ALL, &self.registry_statuses, s)
    }

    /// The message for a field problem code of the deal endpoints.
    pub fn error(&self, code: &str) -> Option<&'static str> {
        let e = &self.errors;
        Some(match code {
            "area_format" => e.area_format,
            "share_format" => e.share_format,
            "duplicate" => e.duplicate,
            "immutable" => e.immutable,
            "not_a_representative" => e.not_a_representative,
            "not_a_signer" => e.not_a_signer,
            "too_many" => e.too_many,
            "unknown" => e.unknown,
            _ => return None,
        })
    }
}
