//! SRO membership and the SRO registry import.

#[cfg(feature = "validate")]
use super::FEED_URL_MAX_CHARS;
use super::SroMemberStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The engineer's SRO membership, from the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"sro_name": "СРО «Кадастр-Юг»", "registry_number": "77-001", "status": "active", "status_date": "2024-01-15", "disciplinary_actions": [{"date": "2023-05-12", "text": "Предупреждение"}]})))]
pub struct SroMembership {
    /// Name of the SRO.
    pub sro_name: String,
    /// Member's number in the SRO registry.
    pub registry_number: Option<String>,
    /// Membership status.
    pub status: SroMemberStatus,
    /// When the status took effect.
    pub status_date: Option<NaiveDate>,
    /// Disciplinary actions the SRO took, as the registry lists them.
    pub disciplinary_actions: Vec<SroDisciplinaryAction>,
}

/// A disciplinary action of an SRO against its member, from the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"date": "2023-05-12", "text": "Предупреждение: нарушение срока подготовки межевого плана"})))]
pub struct SroDisciplinaryAction {
    /// When the action was taken (`YYYY-MM-DD`; an import also reads
    /// `DD.MM.YYYY`).
    pub date: NaiveDate,
    /// What was decided, at most 2000 characters.
    pub text: String,
}

/// One member in an SRO registry file (docs/sro-registry.md). Unknown
/// keys are ignored. Also read: `sro_name` for `sro` (the earlier
/// format), Russian statuses (`действует`, `приостановлен`, `исключен`),
/// dates as `DD.MM.YYYY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SroRegistryEngineer {
    /// SNILS, 11 digits, separators allowed (`112-233-445 95`).
    pub snils: String,
    /// Full name (ФИО), at most 200 characters.
    pub full_name: String,
    /// Name of the SRO, at most 500 characters.
    pub sro: String,
    /// The member's number in the SRO registry, at most 100 characters.
    #[serde(default)]
    pub registry_number: Option<String>,
    /// Membership status.
    pub status: SroMemberStatus,
    /// When the status took effect (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<NaiveDate>,
    /// The member's disciplinary actions, at most 100; they replace the
    /// stored ones. `[]` or `null`: none. Leaving the key out keeps the
    /// stored ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disciplinary_actions: Option<Vec<SroDisciplinaryAction>>,
}

/// An SRO registry file in JSON (docs/sro-registry.md): the registry's
/// members. Other top-level keys (a generation time, …) are ignored. Also
/// read: the list under `entries` (the earlier format) or a bare array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"engineers": [{
    "snils": "112-233-445 95",
    "full_name": "Иванов Иван Иванович",
    "sro": "СРО «Кадастр-Юг»",
    "registry_number": "77-001",
    "status": "active",
    "disciplinary_actions": [{"date": "2023-05-12", "text": "Предупреждение"}]
}]})))]
pub struct SroRegistryFile {
    /// The members, at most 1,000,000; each SNILS once.
    pub engineers: Vec<SroRegistryEngineer>,
}

/// The JSON body of `POST /sro-registry/import`: a registry file, or a
/// feed to fetch it from (an object with `url` and no `engineers` or
/// `entries`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum SroImportJson {
    /// The registry file itself.
    File(SroRegistryFile),
    /// Fetch the registry file from a feed.
    Feed(SroImportFromUrl),
}

/// `POST /sro-registry/import` with `Content-Type: application/json` and
/// this body: fetch the registry file from a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"url": "https://registry.example/sro/export.csv"})))]
#[serde(deny_unknown_fields)]
pub struct SroImportFromUrl {
    /// `http://` or `https://` address of a CSV or JSON registry file.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = FEED_URL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2048))]
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
