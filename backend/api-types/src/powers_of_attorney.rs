//! Machine-readable powers of attorney (МЧД) kept in an organisation's
//! settings (docs/power-of-attorney.md): the XML the head issued to an
//! employee, his detached signature of it, and what Mezha read from it.
//! An employee who is not the head signs a deal for the organisation only
//! under an active one that names him and grants the action's power.

use crate::wire_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest МЧД XML accepted (1 MiB), enforced while the upload streams.
pub const POA_XML_MAX_BYTES: u64 = 1024 * 1024;
/// Longest reason of a revocation.
pub const POA_REVOKE_REASON_MAX_CHARS: u64 = 500;

wire_enum! {
    /// Where a stored power of attorney stands.
    pub enum PoaStatus {
        /// The XML is read and kept; the head's signature of it is awaited.
        /// It authorises nothing yet.
        AwaitingSignature => "awaiting_signature",
        /// Signed by the head: the employee it names may act under it
        /// within its dates and powers.
        Active => "active",
        /// Signed, but its last valid day (`valid_until`, a Moscow date)
        /// has passed.
        Expired => "expired",
        /// Withdrawn by the organisation's admin: it authorises nothing
        /// from then on.
        Revoked => "revoked",
    }
}

wire_enum! {
    /// Something the caller may do with a stored power of attorney now.
    pub enum PoaAction {
        /// Add the head's detached signature of the XML.
        Sign => "sign",
        /// Withdraw it.
        Revoke => "revoke",
    }
}

wire_enum! {
    /// A power of a deal Mezha checks by its code (docs/power-of-attorney.md,
    /// "Power codes").
    pub enum DealPowerKind {
        /// Sign the deal's documents for the organisation
        /// (`MEZHA.DEAL.SIGN_DOCUMENTS`).
        SignDocuments => "sign_documents",
        /// Sign the registration statements (`MEZHA.DEAL.SIGN_STATEMENTS`).
        SignStatements => "sign_statements",
        /// Send the package to the registry (`MEZHA.DEAL.SUBMIT_TO_REGISTRY`).
        SubmitToRegistry => "submit_to_registry",
    }
}

/// A person the power of attorney names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoaPerson {
    /// Full name as written in the XML.
    pub full_name: String,
    /// SNILS, 11 digits.
    pub snils: Option<String>,
    /// A person's INN, 12 digits.
    pub inn: Option<String>,
}

/// A power as the XML grants it (`МашПолн`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoaPower {
    /// `КодПолн`.
    pub code: String,
    /// `НаимПолн`.
    pub name: String,
    /// Granted only with restrictions (`ОгрСвПолн`), which Mezha does not
    /// weigh: such a power authorises nothing here.
    pub restricted: bool,
}

/// A power of attorney kept in an organisation's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PowerOfAttorney {
    /// Id in Mezha.
    pub id: Uuid,
    /// The organisation that issued it.
    pub organisation_id: Uuid,
    /// Its registry number (`НомДовер`).
    pub number: Uuid,
    /// The organisation's own number (`ВнНомДовер`).
    pub internal_number: Option<String>,
    /// The first valid day (a Moscow date).
    pub issued_on: NaiveDate,
    /// The last valid day (a Moscow date).
    pub valid_until: NaiveDate,
    /// The head who issued it, as the XML names him.
    pub head: PoaPerson,
    /// The employee it empowers.
    pub representative: PoaPerson,
    /// Every power the XML grants.
    pub powers: Vec<PoaPower>,
    /// The deal powers among them that authorise (unrestricted, by code).
    pub deal_powers: Vec<DealPowerKind>,
    /// Where it stands.
    pub status: PoaStatus,
    /// SHA-256 of the XML's exact bytes, hex: what the head's signature
    /// binds to.
    pub xml_sha256: String,
    /// Size of the XML in bytes.
    pub xml_size: i64,
    /// The signer of the head's signature as his certificate names him.
    pub signed_by: Option<String>,
    /// When the head's signature was accepted.
    pub signed_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was revoked.
    pub revoke_reason: Option<String>,
    /// The account that uploaded it.
    pub uploaded_by: Uuid,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// What the caller may do now.
    pub allowed_actions: Vec<PoaAction>,
}

crate::page::page_schema! {
    /// A page of the organisation's powers of attorney.
    PowerOfAttorneyList = Page<PowerOfAttorney> {
        items: "Powers of attorney of this page, the latest uploaded first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `POST /organisations/{id}/powers-of-attorney/{poa_id}/signature`: the
/// head's detached CMS signature of the XML's exact bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignPowerOfAttorney {
    /// The signature (base64 of DER, or PEM).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = crate::contracts::SIGNATURE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60000))]
    pub signature: String,
}

/// `POST /organisations/{id}/powers-of-attorney/{poa_id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokePowerOfAttorney {
    /// Why (shown to the employee).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = POA_REVOKE_REASON_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}
