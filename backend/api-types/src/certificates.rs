//! The certification authority (docs/certificates.md): applications for signature
//! certificates, their review, issuing from a PKCS#10 request, the
//! certificates themselves, revocation and renewal.

use crate::page::PageQuery;
use crate::wire_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest free-text field of an application (issued-by, organisation, purpose).
pub const TEXT_MAX_CHARS: u64 = 500;
/// Longest position title.
pub const POSITION_MAX_CHARS: u64 = 200;
/// Most rejection reasons.
pub const REASONS_MAX: u64 = 10;
/// Largest CSR accepted, in characters of PEM or base64.
pub const CSR_MAX_CHARS: u64 = 16 * 1024;

wire_enum! {
    /// Where an application is (docs/certificates.md, "Statuses").
    pub enum ApplicationStatus {
        /// Being filled in by its owner.
        Draft => "draft",
        /// Sent for review by a certification-centre operator.
        Submitted => "submitted",
        /// Approved; the owner may now request the certificate.
        Approved => "approved",
        /// Returned with reasons; the owner edits and submits again.
        Rejected => "rejected",
        /// The CA is signing the certificate.
        Issuing => "issuing",
        /// The certificate is issued and valid.
        Issued => "issued",
        /// The certificate was revoked.
        Revoked => "revoked",
        /// The certificate's validity period is over (computed).
        Expired => "expired",
    }
}

wire_enum! {
    /// Something that can happen to an application; `allowed_actions`
    /// lists those the caller may take now.
    pub enum ApplicationAction {
        /// Change the owner's data or scans (owner; draft or rejected).
        Edit => "edit",
        /// Send for review (owner; draft or rejected, everything filled in).
        Submit => "submit",
        /// Approve (operator; submitted).
        Approve => "approve",
        /// Return with reasons (operator; submitted).
        Reject => "reject",
        /// Ask for the SMS code that confirms issuing (owner; approved).
        RequestCode => "request_code",
        /// Consent, send the CSR and the SMS code (owner; approved).
        Issue => "issue",
        /// The CA signed the certificate (the platform; issuing).
        Sign => "sign",
        /// Revoke the issued certificate (owner or operator; issued).
        Revoke => "revoke",
    }
}

wire_enum! {
    /// For whom the certificate is.
    pub enum ApplicantKind {
        /// A private person.
        Individual => "individual",
        /// A sole proprietor (ИП).
        SoleProprietor => "sole_proprietor",
        /// An employee of a legal entity; the organisation comes from the
        /// applicant's employer record and cannot be edited by him.
        LegalEntity => "legal_entity",
    }
}

wire_enum! {
    /// A certificate's state now.
    pub enum CertificateStatus {
        /// Within its validity period and not revoked.
        Valid => "valid",
        /// Revoked (listed on the CRL from `revoked_at`).
        Revoked => "revoked",
        /// Past `not_after`.
        Expired => "expired",
    }
}

wire_enum! {
    /// Why a certificate is revoked (RFC 5280 reason codes).
    pub enum RevocationReason {
        /// No reason given.
        Unspecified => "unspecified",
        /// The private key is (or may be) known to someone else.
        KeyCompromise => "key_compromise",
        /// The owner's data (name, organisation) changed.
        AffiliationChanged => "affiliation_changed",
        /// Replaced by a new certificate.
        Superseded => "superseded",
        /// No longer needed.
        CessationOfOperation => "cessation_of_operation",
    }
}

/// The owner's data, scans and intended use: the body of `POST` and
/// `PATCH /certificate-applications`. In a PATCH an absent field is kept,
/// a value replaces it and an empty string clears a text field (a scan and
/// the passport date are replaced, never cleared). Drafts may be
/// incomplete; `submit` needs every required field (`required` errors).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    /// For whom the certificate is (default `individual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ApplicantKind>,
    /// Full name (ФИО); becomes the certificate's CN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub full_name: Option<String>,
    /// SNILS (11 digits, separators allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub snils: Option<String>,
    /// Personal INN (12 digits); required for sole proprietors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: Option<String>,
    /// E-mail written into the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    /// Mobile phone; the SMS code that confirms issuing goes there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: Option<String>,
    /// Passport series (4 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub passport_series: Option<String>,
    /// Passport number (6 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub passport_number: Option<String>,
    /// Who issued the passport.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub passport_issued_by: Option<String>,
    /// When the passport was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport_issued_on: Option<NaiveDate>,
    /// Position in the organisation (legal entities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = POSITION_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub position: Option<String>,
    /// What the signature will be used for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub purpose: Option<String>,
    /// Scan of the passport (a file id from `POST /files`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport_scan_id: Option<Uuid>,
    /// Scan of the SNILS card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils_scan_id: Option<Uuid>,
    /// Scan of the printed and signed application form (`form.pdf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_scan_id: Option<Uuid>,
}

/// An application for a certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateApplication {
    pub id: Uuid,
    /// The applicant (the certificate's owner).
    pub owner_id: Uuid,
    pub status: ApplicationStatus,
    pub kind: ApplicantKind,
    pub full_name: Option<String>,
    /// SNILS as 11 digits.
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    pub passport_issued_by: Option<String>,
    pub passport_issued_on: Option<NaiveDate>,
    /// Organisation name (legal entities; from the employer record).
    pub organisation_name: Option<String>,
    /// Organisation INN (10 digits).
    pub organisation_inn: Option<String>,
    pub position: Option<String>,
    pub purpose: Option<String>,
    pub passport_scan_id: Option<Uuid>,
    pub snils_scan_id: Option<Uuid>,
    pub form_scan_id: Option<Uuid>,
    /// Why the operator rejected it (last rejection).
    pub reject_reasons: Vec<String>,
    /// The certificate this application renews.
    pub renewal_of: Option<Uuid>,
    /// The certificate issued from it.
    pub certificate_id: Option<Uuid>,
    /// What the caller may do now.
    pub allowed_actions: Vec<ApplicationAction>,
    /// Version for `If-Match`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
}

crate::page::page_schema! {
    /// A page of applications.
    ApplicationList = Page<CertificateApplication> {
        next_cursor: "Pass as `cursor` for the next page; `null` on the last.",
    }
}

/// `GET /certificate-applications` and `GET /certificates` filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ApplicationListQuery {
    /// Only applications in this status (operators: `submitted` is the queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ApplicationStatus>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}

/// `POST /certificate-applications/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectApplication {
    /// What the owner must fix, one item per problem.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = REASONS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub reasons: Vec<String>,
}

/// `POST /certificate-applications/{id}/issue-code`: where the code went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueCodeSent {
    /// The application's phone, partly hidden (`+7******4567`).
    pub phone: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds before another code may be requested.
    pub resend_after: u64,
}

/// `POST /certificate-applications/{id}/issue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueCertificate {
    /// The owner agrees to the issuing of a certificate with the
    /// application's data; must be `true`.
    pub consent: bool,
    /// PKCS#10 request: PEM (`-----BEGIN CERTIFICATE REQUEST-----`) or
    /// base64 of the DER. Its key is certified; its subject must match the
    /// application (CN, SNILS, INN).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = CSR_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 16384))]
    pub csr: String,
    /// The 6-digit SMS code from `issue-code`.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 16)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 16))]
    pub code: String,
}

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub id: Uuid,
    pub application_id: Uuid,
    pub owner_id: Uuid,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// Subject, RFC 4514-like.
    pub subject: String,
    /// Issuer (the platform's issuing CA).
    pub issuer: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub status: CertificateStatus,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revocation_reason: Option<RevocationReason>,
    /// The certificate, PEM.
    pub pem: String,
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of certificates.
    CertificateList = Page<Certificate> {
        next_cursor: "Pass as `cursor` for the next page; `null` on the last.",
    }
}

/// `GET /certificates` query: only the page.
pub type CertificateListQuery = PageQuery;

/// `GET /certificates/{id}?format=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CertificateFormatQuery {
    /// `pem` or `der`: the certificate as a file download instead of JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// `POST /certificates/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeCertificate {
    pub reason: RevocationReason,
    /// Free-text note kept with the revocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub comment: Option<String>,
}
