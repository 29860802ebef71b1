//! The catalogue's part for the client base (docs/clients.md): the list and
//! its search, the client's form with the data checks' findings beside
//! their fields, passport recognition, requests of data by e-mail and the
//! request link's page.

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

use mezha_api_types::certificate_agents::ClaimStatus;
use mezha_api_types::clients::ClientRequestStatus;

/// The fields of a client in the form's order (the API's names).
pub const FIELDS: [&str; 13] = [
    "full_name",
    "birth_date",
    "birth_place",
    "passport_series",
    "passport_number",
    "passport_issued_on",
    "passport_issuer_code",
    "passport_issuer",
    "snils",
    "inn",
    "address",
    "phone",
    "email",
];

/// The data checks' codes (docs/clients.md, "Data checks").
pub const FINDINGS: [&str; 13] = [
    "birth_date_in_future",
    "snils_format",
    "snils_checksum",
    "inn_format",
    "inn_checksum",
    "inn_not_personal",
    "passport_series_format",
    "passport_number_format",
    "passport_issued_in_future",
    "passport_issued_before_birth",
    "passport_issued_before_14",
    "passport_expired",
    "issuer_code_format",
];

/// Strings of the client screens.
pub struct ClientStrings {
    // the list
    pub title: &'static str,
    pub org_link: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub search_submit: &'static str,
    pub empty: &'static str,
    pub nothing_found: &'static str,
    pub add: &'static str,
    pub load_more: &'static str,
    pub born: &'static str,
    pub findings_count: &'static str,
    pub back_to_list: &'static str,

    // the form
    pub new_title: &'static str,
    pub card_title: &'static str,
    pub person: &'static str,
    pub passport: &'static str,
    pub contacts: &'static str,
    /// Labels in the order of [`FIELDS`].
    pub field_names: [&'static str; 13],
    pub series_hint: &'static str,
    pub number_hint: &'static str,
    pub issuer_code_hint: &'static str,
    pub snils_hint: &'static str,
    pub inn_hint: &'static str,
    pub scans: &'static str,
    pub scans_hint: &'static str,
    pub saved_scans: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub findings_hint: &'static str,

    // recognition
    pub recognise_title: &'static str,
    pub recognise_hint: &'static str,
    /// The same on the request link's page.
    pub pub_recognise_hint: &'static str,
    pub recognise_file: &'static str,
    pub recognising: &'static str,
    pub proposal_title: &'static str,
    pub proposal_empty: &'static str,
    pub put_into_form: &'static str,
    pub put_done: &'static str,

    // requests by e-mail
    pub ask_title: &'static str,
    pub ask_hint: &'static str,
    pub ask_email: &'static str,
    pub ask_name: &'static str,
    pub ask_submit: &'static str,
    pub asked: &'static str,
    pub requests_title: &'static str,
    pub requests_empty: &'static str,
    pub sent_at: &'static str,
    pub valid_until: &'static str,
    pub submitted_at: &'static str,
    pub open_review: &'static str,
    pub open_client: &'static str,
    pub review_title: &'static str,
    pub accept: &'static str,
    pub not_submitted: &'static str,
    pub request_statuses: [&'static str; ClientRequestStatus::ALL.len()],

    // the link's page
    pub pub_title: &'static str,
    /// `{}`: the organisation asking.
    pub pub_asks: &'static str,
    pub pub_until: &'static str,
    pub pub_no_token: &'static str,
    pub pub_invalid_title: &'static str,
    pub pub_invalid_text: &'static str,
    pub pub_scans_hint: &'static str,
    pub pub_submit: &'static str,
    pub pub_done_title: &'static str,
    pub pub_done_text: &'static str,
    pub pub_done_findings: &'static str,
    pub uploading: &'static str,

    // certificate applications filed by the organisation's CA agent
    pub cert_title: &'static str,
    pub cert_hint: &'static str,
    pub cert_purpose: &'static str,
    pub cert_purpose_hint: &'static str,
    pub cert_file: &'static str,
    pub cert_filed: &'static str,
    /// Above the list of the card's fields a filing lacks.
    pub cert_missing: &'static str,
    pub cert_list_title: &'static str,
    /// Under an application the operator has not decided yet.
    pub cert_waiting: &'static str,
    pub cert_filed_at: &'static str,
    pub cert_decided_at: &'static str,
    pub cert_reject_reasons: &'static str,
    pub cert_resend: &'static str,
    pub cert_resent: &'static str,
    /// The claim's states in the order of `ClaimStatus::ALL`; `{}`: a
    /// date (the link's expiry, the claim's time).
    pub claim_states: [&'static str; ClaimStatus::ALL.len()],

    /// The findings' texts, in the order of [`FINDINGS`].
    pub finding_texts: [&'static str; 13],
}

impl ClientStrings {
    /// The label of a client field by its API name.
    pub fn field(&self, name: &str) -> Option<&'static str> {
        let i = FIELDS.iter().position(|f| *f == name)?;
        self.field_names.get(i).copied()
    }

    /// The text of a finding code, if the catalogue has it.
    pub fn finding(&self, code: &str) -> Option<&'static str> {
        let i = FINDINGS.iter().position(|f| *f == code)?;
        self.finding_texts.get(i).copied()
    }

    /// The claim's state in words, `{}` replaced by `date`.
    pub fn claim_state(&self, s: ClaimStatus, date: &str) -> String {
        ClaimStatus::ALL
            .iter()
            .position(|v| *v == s)
            .and_then(|i| self.claim_states.get(i))
            .map(|text| text.replace("{}", date))
            .unwrap_or_default()
    }

    pub fn request_status(&self, s: ClientRequestStatus) -> &'static str {
        ClientRequestStatus::ALL
            .iter()
            .position(|v| *v == s)
            .and_then(|i| self.request_statuses.get(i))
            .copied()
            .unwrap_or_default()
    }
}
