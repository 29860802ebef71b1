//! The client base of an organisation (docs/clients.md): persons with their
//! passport and contacts, checked on every save — each inconsistency is
//! reported beside its field without blocking the save — with scans, found
//! by name, SNILS or passport number.

use crate::orders::FileInfo;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate; // `#[validate(nested)]` calls `.validate()` on the field

/// Most scans of one client.
pub const SCANS_MAX: u64 = 20;

/// `POST /clients`: a new client; every field may be left out (and filled
/// later) but the full name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "full_name": "Петров Пётр Петрович", "birth_date": "1980-04-12", "birth_place": "г. Москва",
    "passport_series": "4506", "passport_number": "123456", "passport_issued_on": "2025-05-20",
    "passport_issuer_code": "770-001", "passport_issuer": "ГУ МВД России по г. Москве",
    "snils": "112-233-445 95", "inn": "500100732259", "address": "г. Москва, ул. Ленина, д. 1, кв. 2",
    "phone": "+79161234567", "email": "petrov@example.ru", "scan_ids": []
})))]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    /// The organisation whose base it joins; needed only when the caller
    /// works in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// Full name (ФИО).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 300)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub full_name: String,
    /// Date of birth.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Place of birth, as in the passport.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    #[serde(default)]
    pub birth_place: Option<String>,
    /// Passport series (4 digits; `45 06` is accepted).
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    #[serde(default)]
    pub passport_series: Option<String>,
    /// Passport number (6 digits).
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    #[serde(default)]
    pub passport_number: Option<String>,
    /// When the passport was issued.
    #[serde(default)]
    pub passport_issued_on: Option<NaiveDate>,
    /// Issuing office's code (`770-001`).
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    #[serde(default)]
    pub passport_issuer_code: Option<String>,
    /// Issuing office's name.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    #[serde(default)]
    pub passport_issuer: Option<String>,
    /// SNILS.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    #[serde(default)]
    pub snils: Option<String>,
    /// INN (a person's: 12 digits).
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    #[serde(default)]
    pub inn: Option<String>,
    /// Registration address.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    #[serde(default)]
    pub address: Option<String>,
    /// Phone.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail.
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    #[serde(default)]
    pub email: Option<String>,
    /// Scans (uploaded with `POST /files`: PDF, JPEG or PNG).
    #[cfg_attr(feature = "validate", validate(length(max = SCANS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    #[serde(default)]
    pub scan_ids: Vec<Uuid>,
}

/// `PATCH /clients/{id}`: a field left out is kept, `null` clears it, a
/// value replaces it; `scan_ids`, when given, replaces the scans.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"passport_number": "654321", "email": null})))]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    /// Full name (ФИО).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 300)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Date of birth.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub birth_date: Option<Option<NaiveDate>>,
    /// Place of birth, as in the passport.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub birth_place: Option<Option<String>>,
    /// Passport series (4 digits; `45 06` is accepted).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub passport_series: Option<Option<String>>,
    /// Passport number (6 digits).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub passport_number: Option<Option<String>>,
    /// When the passport was issued.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub passport_issued_on: Option<Option<NaiveDate>>,
    /// Issuing office's code (`770-001`).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 16)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub passport_issuer_code: Option<Option<String>>,
    /// Issuing office's name.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub passport_issuer: Option<Option<String>>,
    /// SNILS.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub snils: Option<Option<String>>,
    /// INN (a person's: 12 digits).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: Option<Option<String>>,
    /// Registration address.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub address: Option<Option<String>>,
    /// Phone.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: Option<Option<String>>,
    /// E-mail.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<Option<String>>,
    /// The scans, replacing the ones it had.
    #[cfg_attr(feature = "validate", validate(length(max = SCANS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_ids: Option<Vec<Uuid>>,
}

/// One inconsistency of a client's data, reported beside its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"field": "passport_issued_on", "code": "passport_expired", "message": "The passport had to be replaced at 20, by 2021-07-10."})))]
pub struct ClientFinding {
    /// The field, e.g. `passport_issued_on`.
    pub field: String,
    /// Stable code (docs/clients.md, "Data checks").
    pub code: String,
    /// Short English explanation.
    pub message: String,
}

/// A client with all his data (reading it is recorded in the
/// organisation's audit log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Client {
    /// Its id.
    pub id: Uuid,
    /// The organisation whose base it is in.
    pub organisation_id: Uuid,
    /// Full name (ФИО).
    pub full_name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Place of birth, as in the passport.
    pub birth_place: Option<String>,
    /// Passport series (4 digits; `45 06` is accepted).
    pub passport_series: Option<String>,
    /// Passport number (6 digits).
    pub passport_number: Option<String>,
    /// When the passport was issued.
    pub passport_issued_on: Option<NaiveDate>,
    /// Issuing office's code (`770-001`).
    pub passport_issuer_code: Option<String>,
    /// Issuing office's name.
    pub passport_issuer: Option<String>,
    /// SNILS.
    pub snils: Option<String>,
    /// INN (a person's: 12 digits).
    pub inn: Option<String>,
    /// Registration address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Scans.
    pub scans: Vec<FileInfo>,
    /// The data checks' findings as of today, in field order.
    pub findings: Vec<ClientFinding>,
    /// Who added him.
    pub created_by: Uuid,
    /// When he was added.
    pub created_at: DateTime<Utc>,
    /// When his data last changed.
    pub updated_at: DateTime<Utc>,
    /// The certificate applications the organisation's CA agents filed for
    /// him, newest first, with their status (docs/certificates.md, "Filed
    /// by an organisation's CA agent").
    pub certificate_applications: Vec<crate::certificate_agents::AgentApplication>,
    /// What the caller may do with the client now.
    pub allowed_actions: Vec<ClientAction>,
}

crate::wire_enum! {
    /// Something the caller may do with a client of the base.
    pub enum ClientAction {
        /// Change his data (`PATCH /clients/{id}`).
        Edit => "edit",
        /// File a certificate application for him as the organisation's CA
        /// agent (`ca_agent`; none of his is under way).
        FileCertificateApplication => "file_certificate_application",
    }
}

/// A client in a list: no passport data (reading that is recorded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientSummary {
    /// Its id.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// SNILS.
    pub snils: Option<String>,
    /// How many findings the data checks report today.
    pub findings: usize,
    /// When his data last changed.
    pub updated_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of clients.
    ClientList = Page<ClientSummary> {
        items: "Clients of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `GET /clients`: the organisation's clients, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ClientsQuery {
    /// Part of the name, or a SNILS, or a passport number (digits; the
    /// series may precede it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The organisation, needed only when the caller works in several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<Uuid>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: crate::page::PageQuery,
}

crate::wire_enum! {
    /// Where a request of data by e-mail stands (docs/clients.md, "Requests
    /// by e-mail").
    pub enum ClientRequestStatus {
        /// Mailed; the link works until it expires.
        Sent => "sent",
        /// The person filled in his data; the employee reviews it.
        Submitted => "submitted",
        /// Accepted into the base as a client.
        Accepted => "accepted",
        /// The link's time ran out before the person submitted.
        Expired => "expired",
    }
}

crate::wire_enum! {
    /// Something the caller may do with a request now.
    pub enum ClientRequestAction {
        /// Add the submitted data to the base as a client.
        Accept => "accept",
    }
}

/// `POST /client-requests`: mail a person a one-use link to fill in his
/// own data and scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "petrov@example.ru", "full_name": "Петров Пётр Петрович"})))]
#[serde(deny_unknown_fields)]
pub struct NewClientRequest {
    /// Where the link goes.
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// Whom it is for (pre-fills his form), if known.
    #[cfg_attr(feature = "validate", validate(length(max = 300)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    #[serde(default)]
    pub full_name: Option<String>,
    /// The organisation, needed only when the caller works in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
}

/// What the person submitted, as the employee reviews it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientSubmission {
    /// The data as he gave it (`organisation_id` unused).
    pub data: NewClient,
    /// His scans.
    pub scans: Vec<FileInfo>,
    /// The data checks' findings as of today.
    pub findings: Vec<ClientFinding>,
    /// When he submitted it.
    pub submitted_at: DateTime<Utc>,
}

/// A request of data by e-mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientRequest {
    /// Its id.
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// Where the link went.
    pub email: String,
    /// Whom it is for, if given.
    pub full_name: Option<String>,
    /// Where it stands.
    pub status: ClientRequestStatus,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
    /// When the person submitted his data.
    pub submitted_at: Option<DateTime<Utc>>,
    /// What was submitted: only in `GET /client-requests/{id}` (a read of
    /// personal data, written in the organisation's audit log), never in
    /// the list.
    pub submission: Option<ClientSubmission>,
    /// The client made of it (once accepted).
    pub client_id: Option<Uuid>,
    /// Who sent it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTime<Utc>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<ClientRequestAction>,
}

crate::page::page_schema! {
    /// A page of requests.
    ClientRequestList = Page<ClientRequest> {
        items: "Requests of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `POST /client-requests/preview`: what the link asks for (no account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientRequestPreview {
    /// The organisation asking (its short name).
    pub organisation: String,
    /// The name it has for the person, if any.
    pub full_name: Option<String>,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
}

/// `POST /client-requests/submit`: the person's own data, sent once with
/// the link's token. The scans are files uploaded with
/// `POST /client-requests/files` and the same token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitClientData {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 128)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    /// His data.
    #[cfg_attr(feature = "validate", validate(nested))]
    pub data: NewClient,
}

/// The answer of `POST /client-requests/submit`: what the checks found
/// (the organisation's employee reviews it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientDataSubmitted {
    /// The data checks' findings.
    pub findings: Vec<ClientFinding>,
}

/// `GET /client-requests`: the organisation's requests, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ClientRequestsQuery {
    /// The organisation, needed only when the caller works in several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<Uuid>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: crate::page::PageQuery,
}

/// `POST /clients/recognise`: read a passport's main page from a scan or
/// photo the caller uploaded (`POST /files`, JPEG or PNG).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecognisePassport {
    /// The uploaded image.
    pub file_id: Uuid,
    /// The organisation, needed only when the caller works in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
}

/// One field read from a passport, proposed for a person to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"field": "passport_issued_on", "value": "2016-03-22", "findings": []})))]
pub struct ProposedField {
    /// The client field it fills (`full_name`, `birth_date`, `birth_place`,
    /// `passport_series`, `passport_number`, `passport_issued_on`,
    /// `passport_issuer_code`, `passport_issuer`).
    pub field: String,
    /// The value read (dates as `YYYY-MM-DD`).
    pub value: String,
    /// What the data checks say of it.
    pub findings: Vec<ClientFinding>,
}

/// What OCR read from a passport's main page: nothing is saved; the fields
/// are proposed for a person to confirm (and correct) in the client's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassportProposal {
    /// The fields found, in the form's order; a field not found is absent.
    pub fields: Vec<ProposedField>,
    /// The text OCR read, for reference.
    pub text: String,
}

/// `POST /client-requests/recognise`: the person reads his passport photo
/// (uploaded through the link) into his form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecogniseThroughLink {
    /// The `token` of the link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 128)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    /// The image uploaded through the link.
    pub file_id: Uuid,
}
