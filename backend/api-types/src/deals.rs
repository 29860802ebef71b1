//! Deals (docs/deals.md): an organisation's electronic registration of a
//! real-estate deal with the state registry — the object, the participants
//! from the client base, the documents and each participant's signatures
//! of them, the registration statements, the registry's answers and the
//! state fee.

use crate::orders::FileInfo;
use crate::signatures::ValidationReport;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate; // `#[validate(nested)]` calls `.validate()` on the field

/// Largest PDF document of a deal: 20 MiB (a larger upload is cut off).
pub const DOCUMENT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Largest total of a deal's documents and statements: 50 MiB.
pub const DEAL_MAX_BYTES: u64 = 50 * 1024 * 1024;
/// Most participants of one deal.
pub const PARTICIPANTS_MAX: usize = 50;
/// Most documents of one deal.
pub const DOCUMENTS_MAX: usize = 100;
/// Longest title of a deal or a document.
pub const DEAL_TITLE_MAX_CHARS: u64 = 300;

wire_enum! {
    /// Where a deal stands (docs/deals.md, "Statuses").
    pub enum DealStatus {
        /// Collecting data: object, participants, documents, signatures.
        Draft => "draft",
        /// The statements are formed; the deal is frozen while they are signed.
        Statements => "statements",
        /// Every statement is signed: it may be sent to the registry.
        Ready => "ready",
        /// Sent; the registry has not accepted it yet.
        Submitted => "submitted",
        /// Accepted by the registry: the state fee is due.
        FeePayment => "fee_payment",
        /// The fee is paid; the registry is registering.
        InRegistration => "in_registration",
        /// Registered (final).
        Registered => "registered",
        /// The registry suspended the registration; it may resume.
        Suspended => "suspended",
        /// The registry refused (final); a copy may start again.
        Refused => "refused",
    }
}

wire_enum! {
    /// Something that can happen to a deal. The employee's actions appear
    /// in `allowed_actions`; the platform's and the registry's (the last
    /// ones) only in the history.
    pub enum DealAction {
        /// The deal was created (history only).
        Create => "create",
        /// Change the title or the object.
        Edit => "edit",
        /// Add a participant from the client base (or the organisation itself).
        AddParticipant => "add_participant",
        /// Change or remove a participant.
        EditParticipant => "edit_participant",
        /// Upload a PDF document.
        UploadDocument => "upload_document",
        /// Remove a document (and its signatures).
        RemoveDocument => "remove_document",
        /// Add a participant's or the employee's signature of a document
        /// (in `draft`) or of a statement (in `statements`).
        Sign => "sign",
        /// Form the registration statements; the deal freezes.
        FormStatements => "form_statements",
        /// Send the signed package to the registry.
        Send => "send",
        /// Mark the state fee paid (when the organisation does not pay it
        /// automatically).
        PayFee => "pay_fee",
        /// Start a new draft from this deal's data.
        Copy => "copy",
        /// Delete the draft.
        Delete => "delete",
        /// Every statement got its signatures (platform).
        StatementsSigned => "statements_signed",
        /// The registry accepted the package (registry).
        RegistryAccepted => "registry_accepted",
        /// The state fee was paid automatically (platform).
        FeePaid => "fee_paid",
        /// The registry registered the rights (registry).
        RegistryRegistered => "registry_registered",
        /// The registry suspended the registration (registry).
        RegistrySuspended => "registry_suspended",
        /// The registry resumed the registration (registry).
        RegistryResumed => "registry_resumed",
        /// The registry refused (registry).
        RegistryRefused => "registry_refused",
    }
}

wire_enum! {
    /// A participant's part in the deal.
    pub enum ParticipantRole {
        /// Продавец.
        Seller => "seller",
        /// Покупатель.
        Buyer => "buyer",
        /// Даритель.
        Donor => "donor",
        /// Одаряемый.
        Donee => "donee",
        /// Залогодатель.
        Pledgor => "pledgor",
        /// Залогодержатель (a bank, usually the organisation itself).
        Pledgee => "pledgee",
        /// Представитель: signs for the participant he represents.
        Representative => "representative",
    }
}

wire_enum! {
    /// The kind of real-estate object.
    pub enum ObjectType {
        /// Земельный участок.
        LandPlot => "land_plot",
        /// Здание.
        Building => "building",
        /// Помещение (a flat, an office).
        Premises => "premises",
        /// Сооружение.
        Structure => "structure",
        /// Объект незавершённого строительства.
        Unfinished => "unfinished",
        /// Машино-место.
        ParkingSpace => "parking_space",
    }
}

wire_enum! {
    /// A document of a deal.
    pub enum DealDocumentKind {
        /// A document of the deal uploaded by the employee (the contract, …).
        Document => "document",
        /// A registration statement formed by Mezha.
        Statement => "statement",
    }
}

wire_enum! {
    /// Something still missing before the statements can be formed, or
    /// before a frozen deal is ready (docs/deals.md, "Checklist").
    pub enum ChecklistCode {
        /// The object's cadastral number, address, type or area is missing.
        ObjectIncomplete => "object_incomplete",
        /// No participant but representatives.
        NoParticipants => "no_participants",
        /// A representative names nobody he represents.
        RepresentsNobody => "represents_nobody",
        /// The shares of one role do not add up to a whole.
        SharesNotWhole => "shares_not_whole",
        /// No document is uploaded.
        NoDocuments => "no_documents",
        /// A signer's signature of a document or statement is missing.
        SignatureMissing => "signature_missing",
    }
}

wire_enum! {
    /// Where the registry says a deal's package is
    /// (docs/registry-gateway.md, "Statuses").
    pub enum RegistryStatus {
        /// Taken in, not checked yet.
        Received => "received",
        /// Checked and accepted; the state fee is awaited.
        Accepted => "accepted",
        /// The fee is paid; registering.
        InRegistration => "in_registration",
        /// Suspended, with a reason.
        Suspended => "suspended",
        /// Registered (final).
        Registered => "registered",
        /// Refused, with a reason (final).
        Refused => "refused",
    }
}

/// The state fee of a deal the registry accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealFee {
    /// The charge's UIN (20 or 25 digits) to pay by; `null` when the
    /// organisation pays automatically.
    pub uin: Option<String>,
    /// The amount in kopecks.
    pub amount_kopecks: i64,
    /// Paid automatically by the organisation's settings.
    pub automatic: bool,
    /// When it was paid (`null`: not yet).
    pub paid_at: Option<DateTime<Utc>>,
}

/// One status change the registry reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryEvent {
    /// The registry's sequence number within the package.
    pub seq: i64,
    /// The status entered.
    pub status: RegistryStatus,
    /// When, by the registry's clock.
    pub at: DateTime<Utc>,
    /// The registry's message (a reason), if any.
    pub message: Option<String>,
    /// When Mezha learned of it.
    pub received_at: DateTime<Utc>,
}

/// `GET /deals/{id}/registry-status`: the "status in the registry" tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealRegistryStatus {
    /// The registry's id of the package (`null` until it took the package).
    pub package_id: Option<String>,
    /// The newest status reported.
    pub status: Option<RegistryStatus>,
    /// Every status change reported, oldest first.
    pub events: Vec<RegistryEvent>,
    /// Why sending stopped, when Mezha gave up reaching the registry.
    pub error: Option<String>,
}

/// The real-estate object of a deal; every field may be filled later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "cadastral_number": "77:01:0004012:1234", "address": "г. Москва, ул. Тверская, д. 1, кв. 5",
    "object_type": "premises", "area": "54.3"
})))]
#[serde(deny_unknown_fields)]
pub struct DealObject {
    /// Cadastral number, `NN:NN:NNNNNNN:NNNN`.
    #[cfg_attr(feature = "validate", validate(length(max = 40)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    #[serde(default)]
    pub cadastral_number: Option<String>,
    /// Address.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    #[serde(default)]
    pub address: Option<String>,
    /// Kind of object.
    #[serde(default)]
    pub object_type: Option<ObjectType>,
    /// Area in square metres, a decimal with at most two digits after the
    /// point (`54.3`).
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    #[serde(default)]
    pub area: Option<String>,
}

/// `POST /deals`: a new draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "title": "Купля-продажа квартиры на Тверской",
    "object": {"cadastral_number": "77:01:0004012:1234", "object_type": "premises"}
})))]
#[serde(deny_unknown_fields)]
pub struct NewDeal {
    /// The organisation; needed only when the caller works in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// A title for the organisation's list.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = DEAL_TITLE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub title: String,
    /// The object, as far as known.
    #[cfg_attr(feature = "validate", validate(nested))]
    #[serde(default)]
    pub object: DealObject,
}

/// `PATCH /deals/{id}`: what is given replaces what was (`If-Match`
/// the deal's version).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"object": {"area": "54.3"}})))]
#[serde(deny_unknown_fields)]
pub struct DealPatch {
    /// A new title.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = DEAL_TITLE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    #[serde(default)]
    pub title: Option<String>,
    /// The object's fields to replace; a field left out is kept, `null`
    /// is not distinguished from left out (send `""` to clear a text).
    #[cfg_attr(feature = "validate", validate(nested))]
    #[serde(default)]
    pub object: Option<DealObject>,
}

/// `POST /deals/{id}/participants`: a person from the client base, or the
/// organisation itself (`client_id` left out), in a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "client_id": "0190a1c2-0000-7000-8000-000000000001", "role": "buyer", "share": "1/2"
})))]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    /// The client; absent: the organisation itself (a bank as pledgee, …),
    /// signed for by an employee with a power of attorney.
    #[serde(default)]
    pub client_id: Option<Uuid>,
    /// The part in the deal.
    pub role: ParticipantRole,
    /// The share of the right, `numerator/denominator` (`1/2`); absent: whole.
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    #[serde(default)]
    pub share: Option<String>,
    /// For a representative: the participant he signs for.
    #[serde(default)]
    pub represents: Option<Uuid>,
}

/// A participant of a deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealParticipant {
    /// Participant id (within the deal).
    pub id: Uuid,
    /// The client from the base; `null`: the organisation itself.
    pub client_id: Option<Uuid>,
    /// Name: the client's full name, or the organisation's.
    pub name: String,
    /// The part in the deal.
    pub role: ParticipantRole,
    /// The share, `1/2`; `null`: whole.
    pub share: Option<String>,
    /// The participant a representative signs for.
    pub represents: Option<Uuid>,
    /// Whether he signs himself (a represented participant's representative
    /// signs for him).
    pub signs: bool,
}

/// Who gave a signature of a deal's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealSignature {
    /// Signature id.
    pub id: Uuid,
    /// The participant it counts for; `null`: the employee filing the deal.
    pub participant_id: Option<Uuid>,
    /// The signer as his certificate names him.
    pub signer_name: Option<String>,
    /// SHA-256 of the signature (DER), hex.
    pub sha256: String,
    /// The account that uploaded it.
    pub added_by: Uuid,
    /// The power of attorney (МЧД) the employee signed under, for the
    /// organisation; `null` for a client's own signature or the head's.
    pub power_of_attorney_id: Option<Uuid>,
    /// When it was accepted.
    pub created_at: DateTime<Utc>,
    /// The validation report made when it was accepted (`TOTAL_PASSED`).
    pub report: ValidationReport,
}

/// A document or statement of a deal, with its signatures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealDocument {
    /// Document id.
    pub id: Uuid,
    /// Uploaded document or formed statement.
    pub kind: DealDocumentKind,
    /// Its title.
    pub title: String,
    /// The file: name, type, size, SHA-256 (what signatures bind to).
    pub file: FileInfo,
    /// Who must sign it: participant ids; `null` in the list stands for the
    /// employee filing the deal.
    pub signers: Vec<Option<Uuid>>,
    /// The signatures given.
    pub signatures: Vec<DealSignature>,
}

/// Something still missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// What is missing.
    pub code: ChecklistCode,
    /// The participant concerned (a missing signature, a representative).
    pub participant_id: Option<Uuid>,
    /// `true` when the missing signature is the employee's own.
    pub employee: bool,
    /// The document concerned (a missing signature).
    pub document_id: Option<Uuid>,
}

/// A deal as its organisation's members see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deal {
    /// Deal id.
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// Human number within the organisation, from 1.
    pub number: i64,
    /// Title.
    pub title: String,
    /// Where it stands.
    pub status: DealStatus,
    /// The status before a suspension.
    pub suspended_from: Option<DealStatus>,
    /// The employee responsible for it (who created it).
    pub responsible_id: Uuid,
    /// The responsible employee's name.
    pub responsible_name: String,
    /// The object.
    pub object: DealObject,
    /// Participants, in the order they were added.
    pub participants: Vec<DealParticipant>,
    /// Documents, then statements, in the order they were added.
    pub documents: Vec<DealDocument>,
    /// Bytes of documents and statements held, against [`DEAL_MAX_BYTES`].
    pub documents_bytes: i64,
    /// What is still missing (empty when nothing is).
    pub checklist: Vec<ChecklistItem>,
    /// The deal it was copied from.
    pub copied_from: Option<Uuid>,
    /// The registry's id of the package, once it took it.
    pub registry_package_id: Option<String>,
    /// The state fee, once the registry accepted the package.
    pub fee: Option<DealFee>,
    /// What the caller may do now.
    pub allowed_actions: Vec<DealAction>,
    /// Version; also the `ETag` for `If-Match`.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A deal in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealSummary {
    /// Deal id.
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// Human number within the organisation.
    pub number: i64,
    /// Title.
    pub title: String,
    /// Where it stands.
    pub status: DealStatus,
    /// The object's cadastral number, if known.
    pub cadastral_number: Option<String>,
    /// The responsible employee.
    pub responsible_id: Uuid,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /deals`: the deals the caller may see, newest first.
    DealList = Page<DealSummary> {
        items: "Deals of this page, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// `GET /deals` filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DealsQuery {
    /// The organisation; needed only when the caller works in several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<Uuid>,
    /// Only deals in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DealStatus>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: crate::page::PageQuery,
}

/// `POST /deals/{id}/documents/{document_id}/signatures`: a detached CMS
/// signature (RFC 5652) of the document's exact bytes, for one signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignDealDocument {
    /// The participant the signature is for; absent: the employee's own
    /// signature of a statement.
    #[serde(default)]
    pub participant_id: Option<Uuid>,
    /// The signature as PEM (`-----BEGIN CMS-----`/`PKCS7`) or base64 of its DER.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = crate::contracts::SIGNATURE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60000))]
    pub signature: String,
}

/// One entry of a deal's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealHistoryEntry {
    /// What happened.
    pub action: DealAction,
    /// Status before.
    pub from_status: Option<DealStatus>,
    /// Status after.
    pub to_status: DealStatus,
    /// Who did it; `null`: the platform or the registry.
    pub actor_id: Option<Uuid>,
    /// A message (the registry's, a reason).
    pub message: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /deals/{id}/history`: what happened to the deal, oldest first.
    DealHistory = Page<DealHistoryEntry> {
        items: "History entries, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
