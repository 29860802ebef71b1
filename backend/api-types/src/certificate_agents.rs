//! Certificate applications an organisation's CA agent files for a client
//! of its base (docs/certificates.md, "Filed by an organisation's CA
//! agent"): the agent's view of them, and the client's claim through the
//! mailed one-use link.

use crate::certificates::ApplicationStatus;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest purpose of an application filed for a client (as long as an
/// application's own texts, `certificates::TEXT_MAX_CHARS`).
pub const PURPOSE_MAX_CHARS: u64 = 500;

wire_enum! {
    /// Where the client's claim of an application filed for him stands.
    pub enum ClaimStatus {
        /// Not approved yet: no link has been mailed.
        NotSent => "not_sent",
        /// The link is mailed and works until `claim_expires_at`.
        Sent => "sent",
        /// The link ran out unused; the agent may mail a new one.
        Expired => "expired",
        /// The client claimed it with his account; it is his now.
        Claimed => "claimed",
    }
}

wire_enum! {
    /// Something the agent may do with an application he filed.
    pub enum AgentApplicationAction {
        /// Mail the client a new claim link (approved, not claimed yet).
        ResendLink => "resend_link",
    }
}

/// `POST /clients/{id}/certificate-applications`: file an application for
/// the client from his data in the base.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"purpose": "Подписание документов сделки с недвижимостью"})))]
#[serde(deny_unknown_fields)]
pub struct FileApplication {
    /// What the certificate is for; the signing of real-estate deal
    /// documents when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = PURPOSE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub purpose: Option<String>,
}

/// An application filed for a client, as his organisation sees it: its
/// status and the claim's, no personal data beyond the client's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentApplication {
    /// The certificate application's id.
    pub id: Uuid,
    /// The client it was filed for.
    pub client_id: Uuid,
    /// The organisation whose agent filed it.
    pub organisation_id: Uuid,
    /// The agent who filed it.
    pub filed_by: Uuid,
    /// Its status (`submitted` → `approved` | `rejected` → … `issued`).
    pub status: ApplicationStatus,
    /// Where the client's claim stands.
    pub claim: ClaimStatus,
    /// Until when the mailed claim link works (once mailed).
    pub claim_expires_at: Option<DateTime<Utc>>,
    /// Why the operator rejected it.
    pub reject_reasons: Vec<String>,
    /// The certificate issued from it (once issued).
    pub certificate_id: Option<Uuid>,
    /// When it was filed (and submitted).
    pub created_at: DateTime<Utc>,
    /// When the operator decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// When the client claimed it.
    pub claimed_at: Option<DateTime<Utc>>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<AgentApplicationAction>,
}

crate::page::page_schema! {
    /// A page of the applications filed for a client.
    AgentApplicationList = Page<AgentApplication> {
        items: "Applications, newest first.",
        next_cursor: "Pass as `cursor` for the next page; `null` on the last.",
    }
}

/// `POST /certificate-claims/preview` and `/accept`: the mailed link's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimToken {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 128)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
}

/// What a claim link offers (no account needed to read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimPreview {
    /// The certificate application.
    pub application_id: Uuid,
    /// The organisation whose agent filed it (its short name).
    pub organisation: String,
    /// The person the certificate is for.
    pub full_name: Option<String>,
    /// Where the link was mailed.
    pub email: Option<String>,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
}
