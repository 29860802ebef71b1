//! SRO membership and the SRO registry import.

use super::{FEED_URL_MAX_CHARS, SroMemberStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

/// The engineer's SRO membership, from the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"sro_name": "СРО «Кадастр-Юг»", "registry_number": "77-001", "status": "active", "status_date": "2024-01-15"})))]
pub struct SroMembership {
    /// Name of the SRO.
    pub sro_name: String,
    /// Member's number in the SRO registry.
    pub registry_number: Option<String>,
    /// Membership status.
    pub status: SroMemberStatus,
    /// When the status took effect.
    pub status_date: Option<NaiveDate>,
}

/// `POST /sro-registry/import` with `Content-Type: application/json` and
/// this body: fetch the registry file from a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"url": "https://registry.example/sro/export.csv"})))]
#[serde(deny_unknown_fields)]
pub struct SroImportFromUrl {
    /// `http://` or `https://` address of a CSV or JSON registry file.
    #[validate(length(min = 1, max = FEED_URL_MAX_CHARS))]
    pub url: String,
}

/// What an SRO registry import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"entries": 3, "written": 1, "unchanged": 2, "became_active": 1, "became_inactive": 0, "roles_granted": 1, "roles_revoked": 0, "orders_suspended": 0, "orders_resumed": 0})))]
pub struct SroImportReport {
    /// Entries in the file.
    pub entries: u64,
    /// Entries new or changed, written to the registry.
    pub written: u64,
    /// Entries identical to the stored ones.
    pub unchanged: u64,
    /// SNILS that became active.
    pub became_active: u64,
    /// SNILS that lost active status.
    pub became_inactive: u64,
    /// Accounts that got the engineer role.
    pub roles_granted: u64,
    /// Accounts that lost the engineer role.
    pub roles_revoked: u64,
    /// Orders suspended because their engineer lost active status.
    pub orders_suspended: u64,
    /// Orders resumed because their engineer is active again.
    pub orders_resumed: u64,
}
