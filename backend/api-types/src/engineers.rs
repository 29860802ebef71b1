//! Engineers, employers and the SRO registry (SPEC §1, §3): the engineer
//! profile, requisites, the public engineer list, employers and their
//! employees (join requests, direct additions), and the registry import.

use crate::orders::{PRICE_MAX, WorkType};
use crate::wire_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Longest website address.
pub const WEBSITE_MAX_CHARS: u64 = 2048;
/// Longest place of residence.
pub const RESIDENCE_MAX_CHARS: u64 = 200;
/// Longest working-hours text.
pub const WORKING_HOURS_MAX_CHARS: u64 = 200;
/// Longest education text.
pub const EDUCATION_MAX_CHARS: u64 = 2000;
/// Longest "about" text.
pub const ABOUT_MAX_CHARS: u64 = 5000;
/// Longest free-form contact line (messenger, office hours, …).
pub const CONTACT_OTHER_MAX_CHARS: u64 = 500;
/// Most years of experience accepted.
pub const EXPERIENCE_MAX_YEARS: u32 = 80;
/// Most files in one list of the profile (diplomas, work examples).
pub const PROFILE_FILES_MAX: u64 = 20;
/// Longest organisation name, recipient or bank name.
pub const ORGANISATION_NAME_MAX_CHARS: u64 = 300;
/// Longest basis document name.
pub const BASIS_NAME_MAX_CHARS: u64 = 300;
/// Longest basis document number.
pub const BASIS_NUMBER_MAX_CHARS: u64 = 100;
/// Longest URL of an SRO registry feed.
pub const FEED_URL_MAX_CHARS: u64 = 2048;

wire_enum! {
    /// How an engineer works: on his own as a sole proprietor (ИП), or as
    /// the employee of a legal entity. Derived: an engineer with an active
    /// employment is an employee.
    pub enum BusinessForm {
        /// Sole proprietor: his own requisites go into contracts.
        SoleProprietor => "sole_proprietor",
        /// Employee: the employer's requisites go into contracts.
        Employee => "employee",
    }
}

wire_enum! {
    /// Where an engineer's employment (or join request) stands.
    pub enum EmploymentStatus {
        /// Join request filed by the engineer; the employer decides.
        Requested => "requested",
        /// Employed.
        Active => "active",
        /// The employer rejected the join request.
        Rejected => "rejected",
        /// Employed, but suspended by the employer: the engineer works on
        /// his own requisites until resumed.
        Suspended => "suspended",
        /// Ended: removed by the employer, left, or a request withdrawn.
        Removed => "removed",
    }
}

wire_enum! {
    /// Sort order of the engineer list (best first; ties by id).
    pub enum EngineerSort {
        /// Highest rating first; engineers without a rating last.
        Rating => "rating",
        /// Most orders completed on the platform first.
        CompletedOrders => "completed_orders",
        /// Longest experience first; unknown experience last.
        Experience => "experience",
    }
}

wire_enum! {
    /// A member's status in the SRO registry.
    pub enum SroMemberStatus {
        /// Membership in force.
        Active => "active",
        /// Membership suspended.
        Suspended => "suspended",
        /// Excluded from the SRO.
        Excluded => "excluded",
    }
}

wire_enum! {
    /// Whose requisites `GET /me/requisites` shows.
    pub enum RequisitesSource {
        /// The caller's own (editable).
        Own => "own",
        /// The employer's, for an employed engineer (read-only).
        Employer => "employer",
    }
}

/// How to reach an engineer. At least a phone or an e-mail makes the
/// contacts "filled" for the required-field check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"phone": "+79123456789", "email": "ivanov@kadastr.example", "other": "Telegram @ivanov_kadastr, 9:00–18:00"})))]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// Work phone, any common notation; stored in E.164.
    #[serde(default)]
    #[validate(length(max = crate::limits::PHONE_MAX_CHARS))]
    pub phone: Option<String>,
    /// Work e-mail address.
    #[serde(default)]
    #[validate(length(max = crate::limits::EMAIL_MAX_CHARS))]
    pub email: Option<String>,
    /// Anything else: messenger, office address, when to call.
    #[serde(default)]
    #[validate(length(max = CONTACT_OTHER_MAX_CHARS))]
    pub other: Option<String>,
}

/// A work type the engineer does, with his price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"work_type": "land_plot_boundary_clarification", "price": 15000})))]
#[serde(deny_unknown_fields)]
pub struct WorkTypePrice {
    /// The kind of works.
    pub work_type: WorkType,
    /// Price in roubles (1 … 1 000 000 000); `null` means "on request". Only
    /// priced work types count for the required-field check.
    #[serde(default)]
    #[validate(range(min = 1, max = PRICE_MAX))]
    pub price: Option<i64>,
}

/// Bank details for contracts. Checked on save: INN check digits, BIK
/// (9 digits, `04…`), the settlement and correspondent accounts' control
/// keys against the BIK, KPP format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "recipient": "ИП Иванов Иван Иванович",
    "inn": "500100732259",
    "kpp": null,
    "bank_name": "ПАО Сбербанк",
    "bik": "044525225",
    "account": "40802810100000000001",
    "correspondent_account": "30101810400000000225"
})))]
#[serde(deny_unknown_fields)]
pub struct Requisites {
    /// Payee as written in payment orders (organisation or ИП name).
    #[validate(length(min = 1, max = ORGANISATION_NAME_MAX_CHARS))]
    pub recipient: String,
    /// Payee's INN: 10 digits (legal entity) or 12 (person, ИП).
    #[validate(length(max = 32))]
    pub inn: String,
    /// Payee's KPP (legal entities), 9 characters.
    #[serde(default)]
    #[validate(length(max = 32))]
    pub kpp: Option<String>,
    /// Bank name.
    #[validate(length(min = 1, max = ORGANISATION_NAME_MAX_CHARS))]
    pub bank_name: String,
    /// Bank identification code, 9 digits.
    #[validate(length(max = 32))]
    pub bik: String,
    /// Settlement account, 20 digits.
    #[validate(length(max = 40))]
    pub account: String,
    /// Bank's correspondent account, 20 digits starting with 30101.
    #[validate(length(max = 40))]
    pub correspondent_account: String,
}

/// `GET /me/requisites`: the requisites that go into the caller's
/// contracts. For an employed engineer these are the employer's and
/// cannot be changed here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "source": "own",
    "editable": true,
    "employer_id": null,
    "requisites": {
        "recipient": "ИП Иванов Иван Иванович", "inn": "500100732259", "kpp": null,
        "bank_name": "ПАО Сбербанк", "bik": "044525225",
        "account": "40802810100000000001", "correspondent_account": "30101810400000000225"
    },
    "version": 2,
    "updated_at": "2026-11-23T10:00:00Z"
})))]
pub struct RequisitesView {
    /// Whose requisites these are.
    pub source: RequisitesSource,
    /// Whether `PUT /me/requisites` may change them (`false` for an
    /// employed engineer).
    pub editable: bool,
    /// The employer, when `source` is `employer`.
    pub employer_id: Option<Uuid>,
    /// The requisites; `null` when none are saved yet.
    pub requisites: Option<Requisites>,
    /// Version of the caller's own requisites (`0`: none saved); also the
    /// `ETag` for `If-Match`.
    pub version: i64,
    /// When they last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

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

/// `GET /me/engineer-profile`: the caller's engineer profile, with what is
/// filled automatically and what is still missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "user_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "full_name": "Иванов Иван Иванович",
    "photo_url": null,
    "website": "https://kadastr.example",
    "residence": "г. Раменское",
    "contacts": {"phone": "+79123456789", "email": null, "other": null},
    "experience_years": 12,
    "working_hours": "пн–пт 9:00–18:00",
    "education": "МИИГАиК, 2008",
    "about": "Межевание, технические планы.",
    "accept_offers": true,
    "regions": ["50", "77"],
    "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 15000}],
    "diploma_file_ids": [],
    "work_example_file_ids": [],
    "business_form": "sole_proprietor",
    "employer": null,
    "sro": {"sro_name": "СРО «Кадастр-Юг»", "registry_number": "77-001", "status": "active", "status_date": "2024-01-15"},
    "missing_fields": ["requisites"],
    "complete": false,
    "version": 3,
    "updated_at": "2026-11-23T10:00:00Z"
})))]
pub struct EngineerProfile {
    /// The engineer's account id.
    pub user_id: Uuid,
    /// Full name (from the account, `PATCH /me`).
    pub full_name: Option<String>,
    /// Photo (the account's avatar, `PATCH /me`).
    pub photo_url: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Place of residence.
    pub residence: Option<String>,
    /// Contacts.
    pub contacts: Contacts,
    /// Years of experience.
    pub experience_years: Option<u32>,
    /// Working hours, free text.
    pub working_hours: Option<String>,
    /// Education, free text.
    pub education: Option<String>,
    /// About the engineer, free text.
    pub about: Option<String>,
    /// The "accept offers" switch: customers may offer orders to him.
    pub accept_offers: bool,
    /// Activity region codes (see `GET /reference`), sorted.
    pub regions: Vec<String>,
    /// Work types with prices, in the usual work-type order.
    pub work_types: Vec<WorkTypePrice>,
    /// Diplomas and certificates (uploaded files, `POST /files`).
    pub diploma_file_ids: Vec<Uuid>,
    /// Work examples and licences (uploaded files).
    pub work_example_file_ids: Vec<Uuid>,
    /// Sole proprietor or employee (derived from the employment).
    pub business_form: BusinessForm,
    /// The employer, when employed (active employment).
    pub employer: Option<EmployerSummary>,
    /// SRO membership from the registry, when listed.
    pub sro: Option<SroMembership>,
    /// Required fields still empty: any of `full_name`, `regions`,
    /// `work_types`, `contacts`, `requisites`. Until it is empty the
    /// engineer is not listed and cannot respond or receive offers.
    pub missing_fields: Vec<String>,
    /// `missing_fields` is empty.
    pub complete: bool,
    /// Version of the profile (`0`: never saved); also the `ETag`.
    pub version: i64,
    /// When the profile was last saved.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /me/engineer-profile`: the editable fields, all replaced. Absent
/// optional fields are cleared; lists default to empty, `accept_offers`
/// to `true`. Send `If-Match` with the profile's `ETag`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "website": "https://kadastr.example",
    "residence": "г. Раменское",
    "contacts": {"phone": "+7 912 345-67-89"},
    "experience_years": 12,
    "working_hours": "пн–пт 9:00–18:00",
    "education": "МИИГАиК, 2008",
    "about": "Межевание, технические планы.",
    "accept_offers": true,
    "regions": ["50", "77"],
    "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 15000}]
})))]
#[serde(deny_unknown_fields)]
pub struct UpdateEngineerProfile {
    /// Website, `https://…` or `http://…`.
    #[serde(default)]
    #[validate(length(max = WEBSITE_MAX_CHARS))]
    pub website: Option<String>,
    /// Place of residence.
    #[serde(default)]
    #[validate(length(max = RESIDENCE_MAX_CHARS))]
    pub residence: Option<String>,
    /// Contacts.
    #[serde(default)]
    #[validate(nested)]
    pub contacts: Contacts,
    /// Years of experience (0–80).
    #[serde(default)]
    #[validate(range(max = EXPERIENCE_MAX_YEARS))]
    pub experience_years: Option<u32>,
    /// Working hours.
    #[serde(default)]
    #[validate(length(max = WORKING_HOURS_MAX_CHARS))]
    pub working_hours: Option<String>,
    /// Education.
    #[serde(default)]
    #[validate(length(max = EDUCATION_MAX_CHARS))]
    pub education: Option<String>,
    /// About.
    #[serde(default)]
    #[validate(length(max = ABOUT_MAX_CHARS))]
    pub about: Option<String>,
    /// Accept offers of orders from customers.
    #[serde(default = "yes")]
    pub accept_offers: bool,
    /// Activity region codes, each once.
    #[serde(default)]
    #[validate(length(max = 89))]
    pub regions: Vec<String>,
    /// Work types with prices, each work type once.
    #[serde(default)]
    #[validate(length(max = 10), nested)]
    pub work_types: Vec<WorkTypePrice>,
    /// Diplomas and certificates (file ids).
    #[serde(default)]
    #[validate(length(max = PROFILE_FILES_MAX))]
    pub diploma_file_ids: Vec<Uuid>,
    /// Work examples and licences (file ids).
    #[serde(default)]
    #[validate(length(max = PROFILE_FILES_MAX))]
    pub work_example_file_ids: Vec<Uuid>,
}

fn yes() -> bool {
    true
}

/// An engineer in the public list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "full_name": "Иванов Иван Иванович",
    "photo_url": null,
    "rating": 4.8,
    "reviews_count": 12,
    "regions": ["50", "77"],
    "work_types": [{"work_type": "land_plot_boundary_clarification", "price": 15000}],
    "completed_orders": 14,
    "successful_orders": 14,
    "experience_years": 12,
    "on_time_percent": 100,
    "employer": null,
    "accept_offers": true
})))]
pub struct EngineerCard {
    /// The engineer's account id.
    pub id: Uuid,
    /// Full name.
    pub full_name: String,
    /// Photo URL.
    pub photo_url: Option<String>,
    /// Mean of the customers' ratings (1–5), two decimals; `null` before the
    /// first review.
    pub rating: Option<f64>,
    /// Number of reviews.
    pub reviews_count: i64,
    /// Activity region codes.
    pub regions: Vec<String>,
    /// Work types with prices.
    pub work_types: Vec<WorkTypePrice>,
    /// Orders completed on the platform.
    pub completed_orders: i64,
    /// Completed orders that ended well (so far: every completed order).
    pub successful_orders: i64,
    /// Years of experience.
    pub experience_years: Option<u32>,
    /// Of the orders he is working on now, the percent whose deadline date
    /// has not passed; `null` when he has none.
    pub on_time_percent: Option<u8>,
    /// The employer, when employed.
    pub employer: Option<EmployerSummary>,
    /// Whether he accepts offers.
    pub accept_offers: bool,
}

/// `GET /engineers/{id}`: the public profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EngineerDetails {
    /// The list entry.
    #[serde(flatten)]
    pub card: EngineerCard,
    /// Website.
    pub website: Option<String>,
    /// Place of residence.
    pub residence: Option<String>,
    /// Contacts.
    pub contacts: Contacts,
    /// Working hours.
    pub working_hours: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// About.
    pub about: Option<String>,
    /// Diplomas and certificates (file ids).
    pub diploma_file_ids: Vec<Uuid>,
    /// Work examples and licences (file ids).
    pub work_example_file_ids: Vec<Uuid>,
    /// SRO membership.
    pub sro: Option<SroMembership>,
}

/// A page of engineers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EngineerList {
    /// Engineers of this page.
    pub items: Vec<EngineerCard>,
    /// Cursor of the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// `GET /engineers`: engineers with a complete profile, not blocked and
/// listed active in the SRO registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EngineerSearchQuery {
    /// Only engineers working in this region (code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Only engineers doing this work type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<WorkType>,
    /// Only engineers rated at least this (1–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_min: Option<f64>,
    /// Only engineers with at least this many years of experience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_min: Option<u32>,
    /// Only engineers who accept (`true`) or do not accept (`false`) offers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepts_offers: Option<bool>,
    /// `rating` (default), `completed_orders` or `experience`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<EngineerSort>,
    /// Page size (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page (same filters and sort).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"employs_engineers": true, "name": "ООО «Кадастр-Юг»", "inn": "7707083893"})))]
#[serde(deny_unknown_fields)]
pub struct UpdateEmployerSettings {
    /// The switch.
    pub employs_engineers: bool,
    /// Organisation name; keeps the stored one when absent.
    #[serde(default)]
    #[validate(length(max = ORGANISATION_NAME_MAX_CHARS))]
    pub name: Option<String>,
    /// Organisation INN (10 or 12 digits); keeps the stored one when absent.
    #[serde(default)]
    #[validate(length(max = 32))]
    pub inn: Option<String>,
}

/// A page of employers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployerList {
    /// Employers of this page, by name.
    pub items: Vec<EmployerSummary>,
    /// Cursor of the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// `GET /employers`: employers that employ engineers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EmployerSearchQuery {
    /// Text in the name (case-insensitive) or the start of the INN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Page size (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
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

/// A page of employments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmploymentList {
    /// Employments of this page, newest first.
    pub items: Vec<Employment>,
    /// Cursor of the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// `GET /me/employees`: the employer's engineers and join requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EmployeesQuery {
    /// Only this status (default: requested, active and suspended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EmploymentStatus>,
    /// Page size (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "17/2026", "basis_file_id": null})))]
#[serde(deny_unknown_fields)]
pub struct NewJoinRequest {
    /// Date of the document.
    pub basis_date: NaiveDate,
    /// Name of the document (employment contract, order of appointment).
    #[validate(length(min = 1, max = BASIS_NAME_MAX_CHARS))]
    pub basis_name: String,
    /// Number of the document.
    #[validate(length(min = 1, max = BASIS_NUMBER_MAX_CHARS))]
    pub basis_number: String,
    /// Scan of the document (`POST /files`).
    #[serde(default)]
    pub basis_file_id: Option<Uuid>,
}

/// `POST /me/employees`: add an engineer directly, by e-mail or SNILS
/// (exactly one). He must hold the engineer role and have logged in at
/// least once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "ivanov@example.ru", "basis_date": "2026-11-01", "basis_name": "Трудовой договор", "basis_number": "17/2026"})))]
#[serde(deny_unknown_fields)]
pub struct AddEmployee {
    /// The engineer's e-mail address.
    #[serde(default)]
    #[validate(length(max = crate::limits::EMAIL_MAX_CHARS))]
    pub email: Option<String>,
    /// The engineer's SNILS.
    #[serde(default)]
    #[validate(length(max = 32))]
    pub snils: Option<String>,
    /// Date of the basis document.
    #[serde(default)]
    pub basis_date: Option<NaiveDate>,
    /// Name of the basis document.
    #[serde(default)]
    #[validate(length(max = BASIS_NAME_MAX_CHARS))]
    pub basis_name: Option<String>,
    /// Number of the basis document.
    #[serde(default)]
    #[validate(length(max = BASIS_NUMBER_MAX_CHARS))]
    pub basis_number: Option<String>,
    /// Scan of the basis document.
    #[serde(default)]
    pub basis_file_id: Option<Uuid>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_update_defaults() {
        let p: UpdateEngineerProfile = serde_json::from_str("{}").unwrap();
        assert!(p.accept_offers);
        assert!(p.regions.is_empty() && p.work_types.is_empty());
        assert!(serde_json::from_str::<UpdateEngineerProfile>(r#"{"colour":1}"#).is_err());
    }

    #[test]
    fn negative_price_fails_validation() {
        let p: UpdateEngineerProfile =
            serde_json::from_str(r#"{"work_types":[{"work_type":"map_plan","price":-5}]}"#)
                .unwrap();
        assert!(p.validate().is_err());
    }

    #[test]
    fn details_flatten_the_card() {
        let card = EngineerCard {
            id: Uuid::nil(),
            full_name: "Иванов Иван".into(),
            photo_url: None,
            rating: None,
            reviews_count: 0,
            regions: vec!["50".into()],
            work_types: vec![],
            completed_orders: 0,
            successful_orders: 0,
            experience_years: None,
            on_time_percent: None,
            employer: None,
            accept_offers: true,
        };
        let details = EngineerDetails {
            card,
            website: None,
            residence: None,
            contacts: Contacts::default(),
            working_hours: None,
            education: None,
            about: None,
            diploma_file_ids: vec![],
            work_example_file_ids: vec![],
            sro: None,
        };
        let v = serde_json::to_value(&details).unwrap();
        assert_eq!(v["full_name"], "Иванов Иван");
        assert_eq!(v["regions"][0], "50");
        let back: EngineerDetails = serde_json::from_value(v).unwrap();
        assert_eq!(back, details);
    }
}
