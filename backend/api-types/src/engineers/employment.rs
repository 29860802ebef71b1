//! Employers, their settings and employees, join requests.

use super::EmploymentStatus;
#[cfg(feature = "validate")]
use super::{BASIS_NAME_MAX_CHARS, BASIS_NUMBER_MAX_CHARS, ORGANISATION_NAME_MAX_CHARS};
use crate::page::PageQuery;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An employer as engineers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f51", "name": "ООО «Кадастр-Юг»", "inn": "7707083893"})))]
pub struct EmployerSummary {
    /// The employer's account id (use it in `POST /employers/{id}/join-requests`).
    pub id: Uuid,
    /// Organisation name.
    pub name: String,
    /// Organisation INN.
    pub inn: String,
}

/// `GET /me/employer`, and the answer of `PUT /me/employer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"employs_engineers": true, "name": "ООО «Кадастр-Юг»", "inn": "7707083893", "enabled_at": "2026-11-23T10:00:00Z"})))]
pub struct EmployerSettings {
    /// The "I employ cadastral engineers" switch.
    pub employs_engineers: bool,
    /// Organisation name shown to engineers.
    pub name: Option<String>,
    /// Organisation INN.
    pub inn: Option<String>,
    /// When the switch was last turned on.
    pub enabled_at: Option<DateTime<Utc>>,
}

/// `PUT /me/employer`: turn "I employ cadastral engineers" on (grants the
/// `employer` role; `name` and `inn` are required the first time) or off
/// (revokes it; refused while engineers are employed or requests pending).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"employs_engineers": true, "name": "ООО «Кадастр-Юг»", "inn": "7707083893"})))]
#[serde(deny_unknown_fields)]
pub struct UpdateEmployerSettings {
    /// The switch.
    pub employs_engineers: bool,
    /// Organisation name; keeps the stored one when absent.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = ORGANISATION_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub name: Option<String>,
    /// Organisation INN: 10 digits, an employer being a legal entity
    /// (`inn_not_legal_entity` for a person's 12); keeps the stored one when
    /// absent.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: Option<String>,
}

crate::page::page_schema! {
    /// A page of employers.
    EmployerList = Page<EmployerSummary> {
        items: "Employers of this page, by name.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `GET /employers`: employers that employ engineers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EmployerSearchQuery {
    /// Text in the name (case-insensitive) or the start of the INN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}

/// An engineer as his employer sees him.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "full_name": "Иванов Иван Иванович", "email": "ivanov@example.ru", "snils": "112-233-445 95"})))]
pub struct EmployeeSummary {
    /// The engineer's account id (use it in `/me/employees/{id}`).
    pub id: Uuid,
    /// Full name.
    pub full_name: Option<String>,
    /// E-mail address.
    pub email: String,
    /// SNILS, formatted.
    pub snils: Option<String>,
}

/// An employment, or a join request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f52",
    "employer": {"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f51", "name": "ООО «Кадастр-Юг»", "inn": "7707083893"},
    "engineer": {"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "full_name": "Иванов Иван Иванович", "email": "ivanov@example.ru", "snils": "112-233-445 95"},
    "status": "requested",
    "basis_date": "2026-11-01",
    "basis_name": "Трудовой договор",
    "basis_number": "17/2026",
    "basis_file_id": null,
    "created_at": "2026-11-23T10:00:00Z",
    "decided_at": null,
    "updated_at": "2026-11-23T10:00:00Z"
})))]
pub struct Employment {
    /// Employment (join request) id; use it in `/join-requests/{id}/…`.
    pub id: Uuid,
    /// The employer.
    pub employer: EmployerSummary,
    /// The engineer.
    pub engineer: EmployeeSummary,
    /// Where it stands.
    pub status: EmploymentStatus,
    /// Date of the basis document (employment contract, order).
    pub basis_date: Option<NaiveDate>,
    /// Name of the basis document.
    pub basis_name: Option<String>,
    /// Number of the basis document.
    pub basis_number: Option<String>,
    /// Scan of the basis document (an uploaded file).
    pub basis_file_id: Option<Uuid>,
    /// When it was requested (or the engineer added).
    pub created_at: DateTime<Utc>,
    /// When the employer approved or rejected the request.
    pub decided_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of employments.
    EmploymentList = Page<Employment> {
        items: "Employments of this page, newest first.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
}

/// `GET /me/employees`: the employer's engineers and join requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EmployeesQuery {
    /// Only this status (default: requested, active and suspended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EmploymentStatus>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}

/// `GET /me/employment`: the engineer's current employment or pending
/// join request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEmployment {
    /// The requested, active or suspended employment; `null` when none.
    pub current: Option<Employment>,
}

/// `POST /employers/{id}/join-requests`: the basis document of the
/// employment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "17/2026", "basis_file_id": null})))]
#[serde(deny_unknown_fields)]
pub struct NewJoinRequest {
    /// Date of the document.
    pub basis_date: NaiveDate,
    /// Name of the document (employment contract, order of appointment).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = BASIS_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub basis_name: String,
    /// Number of the document.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = BASIS_NUMBER_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub basis_number: String,
    /// Scan of the document (`POST /files`).
    #[serde(default)]
    pub basis_file_id: Option<Uuid>,
}

/// `POST /me/employees`: add an engineer directly, by e-mail or SNILS
/// (exactly one). He must hold the engineer role and have logged in at
/// least once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "ivanov@example.ru", "basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "17/2026"})))]
#[serde(deny_unknown_fields)]
pub struct AddEmployee {
    /// The engineer's e-mail address.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = crate::limits::EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    /// The engineer's SNILS.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub snils: Option<String>,
    /// Date of the basis document.
    #[serde(default)]
    pub basis_date: Option<NaiveDate>,
    /// Name of the basis document.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = BASIS_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub basis_name: Option<String>,
    /// Number of the basis document.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = BASIS_NUMBER_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub basis_number: Option<String>,
    /// Scan of the basis document.
    #[serde(default)]
    pub basis_file_id: Option<Uuid>,
}
