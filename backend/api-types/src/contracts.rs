//! Contracts of an order (docs/contracts.md): versions made from the
//! template or uploaded as PDF/A, bound to the SHA-256 of their bytes, and
//! the detached signatures of both parties.

use crate::orders::FileInfo;
use crate::signatures::ValidationReport;
use crate::wire_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate; // `#[validate(nested)]` calls `.validate()` on the field

/// Longest free-text field of the contract terms.
pub const TERMS_TEXT_MAX_CHARS: u64 = 2000;
/// Longest name of the signatory.
pub const SIGNATORY_MAX_CHARS: u64 = 300;
/// Longest signature text (PEM or base64): below the 64 KiB limit of a
/// JSON body; a CMS signature with its certificate chain is a few KiB.
pub const SIGNATURE_MAX_CHARS: u64 = 60_000;
/// Longest reason to decline a contract.
pub const REASON_MAX_CHARS: u64 = 2000;

wire_enum! {
    /// Where a contract version stands (docs/contracts.md, "Versions").
    pub enum ContractStatus {
        /// Made; the engineer has not signed it yet.
        AwaitingEngineer => "awaiting_engineer",
        /// Signed by the engineer; the customer checks and signs.
        AwaitingCustomer => "awaiting_customer",
        /// Signed by both: the order moved on.
        Signed => "signed",
        /// The customer declined to sign it, with a reason.
        Declined => "declined",
        /// Replaced by a newer version, or the order was edited or cancelled
        /// before both signed.
        Voided => "voided",
    }
}

wire_enum! {
    /// Something a party may do with a contract version.
    pub enum ContractAction {
        /// Sign the exact bytes of this version (the party whose turn it is).
        Sign => "sign",
        /// Decline to sign, with a reason (the customer, after the engineer signed).
        Decline => "decline",
    }
}

wire_enum! {
    /// How the contract's document was made.
    pub enum ContractSource {
        /// Rendered by Mezha from the template and the terms.
        Template => "template",
        /// Uploaded by the engineer (PDF/A).
        Upload => "upload",
    }
}

wire_enum! {
    /// The format of `GET /contracts/{id}/document`.
    pub enum DocumentFormat {
        /// The document the signatures bind to.
        Pdf => "pdf",
        /// The same text as DOCX (template versions only).
        Docx => "docx",
    }
}

/// `GET /contracts/{id}/document?format=pdf|docx`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// `pdf` (default) or `docx`.
    #[serde(default)]
    pub format: Option<DocumentFormat>,
}

wire_enum! {
    /// A party to the contract.
    pub enum ContractParty {
        /// The executor (the engineer).
        Engineer => "engineer",
        /// The customer.
        Customer => "customer",
    }
}

wire_enum! {
    /// Who signs for the executor.
    pub enum Signatory {
        /// The engineer himself.
        Executor => "executor",
        /// The executor's representative (named in `signatory_name`).
        Representative => "representative",
    }
}

/// The terms of a contract made from the template. Amounts are integer
/// kopecks; `advance_kopecks + remainder_kopecks` must equal
/// `price_kopecks`, and the advance must be `advance_percent` of the price
/// (to the kopeck).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "signatory": "executor", "signatory_name": "Иванов Иван Иванович",
    "acting_on_basis": "квалификационного аттестата № 77-11-123",
    "object_characteristics": "Земельный участок 50:20:0010203:45, 1 200 кв. м",
    "email": "ivanov@example.ru", "phone": "+79001234567",
    "deadline": "2027-02-01", "price_kopecks": 2500000, "advance_percent": 30,
    "advance_kopecks": 750000, "remainder_kopecks": 1750000, "extra_file_id": null
})))]
#[serde(deny_unknown_fields)]
pub struct ContractTerms {
    /// Who signs for the executor.
    pub signatory: Signatory,
    /// Full name of the executor or of his representative.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = SIGNATORY_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub signatory_name: String,
    /// What the signatory acts on the basis of ("устава", "доверенности № …").
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TERMS_TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub acting_on_basis: String,
    /// Characteristics of the object of the works.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TERMS_TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub object_characteristics: String,
    /// The executor's e-mail; his profile's when not given.
    #[serde(default)]
    pub email: Option<String>,
    /// The executor's phone; his profile's when not given.
    #[serde(default)]
    pub phone: Option<String>,
    /// When the works are due.
    pub deadline: NaiveDate,
    /// Price of the works, in kopecks.
    pub price_kopecks: i64,
    /// Advance, in percent of the price (0 when none).
    #[cfg_attr(feature = "validate", validate(range(max = 100)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub advance_percent: u8,
    /// Advance, in kopecks.
    pub advance_kopecks: i64,
    /// Paid after the works, in kopecks.
    pub remainder_kopecks: i64,
    /// An extra file attached to the contract (uploaded with `POST /files`).
    #[serde(default)]
    pub extra_file_id: Option<Uuid>,
}

/// `POST /orders/{id}/contracts`: give `terms` to render the template, or
/// `file_id` of an uploaded PDF/A file (`POST /files`) — exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContract {
    /// The terms to render the template with.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(nested))]
    pub terms: Option<ContractTerms>,
    /// An uploaded PDF/A file to use as the contract as it is.
    #[serde(default)]
    pub file_id: Option<Uuid>,
}

/// One party's signature of a contract version, as validated when it was
/// given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractSignature {
    /// Signature id.
    pub id: Uuid,
    /// Whose signature.
    pub party: ContractParty,
    /// The account that gave it.
    pub signer_id: Uuid,
    /// The signer as his certificate names him.
    pub signer_name: Option<String>,
    /// SHA-256 of the signature file (DER), hex.
    pub sha256: String,
    /// When it was accepted.
    pub created_at: DateTime<Utc>,
    /// The validation report made when it was accepted (`TOTAL_PASSED`).
    pub report: ValidationReport,
}

/// A contract version as the order's parties see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    /// Contract version id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// Version number within the order, from 1.
    pub number: i32,
    /// Where it stands.
    pub status: ContractStatus,
    /// How its document was made.
    pub source: ContractSource,
    /// The terms (template versions only).
    pub terms: Option<ContractTerms>,
    /// The price in words, as the document writes it (template versions).
    pub price_in_words: Option<String>,
    /// The document: its name, type, size and SHA-256 (what a signature binds to).
    pub document: FileInfo,
    /// The extra file attached to the terms.
    pub extra_file: Option<FileInfo>,
    /// Why the customer declined it.
    pub declined_reason: Option<String>,
    /// The signatures given, engineer's first.
    pub signatures: Vec<ContractSignature>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<ContractAction>,
    /// Who made it.
    pub created_by: Uuid,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /orders/{id}/contracts`: the order's contract versions, newest first.
    ContractList = Page<Contract> {
        items: "Contract versions, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// `POST /contracts/{id}/signatures`: a detached CMS signature (RFC 5652)
/// of the version's exact bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignContract {
    /// The signature as PEM (`-----BEGIN CMS-----`/`PKCS7`) or base64 of its DER.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = SIGNATURE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60000))]
    pub signature: String,
}

/// `POST /contracts/{id}/decline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclineContract {
    /// Why the customer does not sign; shown to the engineer.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = REASON_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub reason: String,
}
