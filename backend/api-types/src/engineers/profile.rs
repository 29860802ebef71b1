//! The engineer's own profile and requisites.

#[cfg(feature = "validate")]
use super::{
    ABOUT_MAX_CHARS, CONTACT_OTHER_MAX_CHARS, EDUCATION_MAX_CHARS, EXPERIENCE_MAX_YEARS,
    ORGANISATION_NAME_MAX_CHARS, PROFILE_FILES_MAX, RESIDENCE_MAX_CHARS, WEBSITE_MAX_CHARS,
    WORKING_HOURS_MAX_CHARS,
};
use super::{BusinessForm, EmployerSummary, RequisitesSource, SroMembership};
#[cfg(feature = "validate")]
use crate::orders::PRICE_MAX;
use crate::orders::WorkType;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate; // `#[validate(nested)]` calls `.validate()` on the field

/// How to reach an engineer. At least a phone or an e-mail makes the
/// contacts "filled" for the required-field check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"phone": "+79123456789", "email": "ivanov@kadastr.example", "other": "Telegram @ivanov_kadastr, 9:00–18:00"})))]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// Work phone, any common notation; stored in E.164.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = crate::limits::PHONE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: Option<String>,
    /// Work e-mail address.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = crate::limits::EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    /// Anything else: messenger, office address, when to call.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = CONTACT_OTHER_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub other: Option<String>,
}

/// A work type the engineer does, with his price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"work_type": "land_plot_boundary_clarification", "price": 15000})))]
#[serde(deny_unknown_fields)]
pub struct WorkTypePrice {
    /// The kind of works.
    pub work_type: WorkType,
    /// Price in roubles (1 … 1 000 000 000); `null` means "on request". Only
    /// priced work types count for the required-field check.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = PRICE_MAX)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000000000))]
    pub price: Option<i64>,
}

/// Requisites for contracts: the payee's registration and bank details.
/// Checked on save: INN check digits, OGRN/OGRNIP check digit and kind
/// against the INN, BIK (9 digits, `04…`), the settlement and
/// correspondent accounts' control keys against the BIK, KPP format. A
/// 12-digit INN with an OGRNIP is a sole proprietor's (a customer with
/// them is `sole_proprietor`); with none, a person's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "recipient": "ИП Иванов Иван Иванович",
    "inn": "500100732259",
    "kpp": null,
    "bank_name": "ПАО Сбербанк",
    "bik": "044525225",
    "account": "40802810100000000001",
    "correspondent_account": "30101810400000000225",
    "ogrn": "304500116000157",
    "legal_address": null
})))]
#[serde(deny_unknown_fields)]
pub struct Requisites {
    /// Payee as written in payment orders (organisation or ИП name).
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORGANISATION_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub recipient: String,
    /// Payee's INN: 10 digits (legal entity) or 12 (person, ИП).
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: String,
    /// Payee's KPP (legal entities), 9 characters.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub kpp: Option<String>,
    /// Bank name.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = ORGANISATION_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub bank_name: String,
    /// Bank identification code, 9 digits.
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub bik: String,
    /// Settlement account, 20 digits.
    #[cfg_attr(feature = "validate", validate(length(max = 40)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub account: String,
    /// Bank's correspondent account, 20 digits starting with 30101.
    #[cfg_attr(feature = "validate", validate(length(max = 40)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub correspondent_account: String,
    /// OGRN of a legal entity (13 digits, with a 10-digit INN) or OGRNIP
    /// of a sole proprietor (15 digits, with a 12-digit INN).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub ogrn: Option<String>,
    /// A company's legal address (юридический адрес).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = LEGAL_ADDRESS_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub legal_address: Option<String>,
}

/// Longest legal address in requisites.
pub const LEGAL_ADDRESS_MAX_CHARS: u64 = 500;

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
    "sro": {"sro_name": "СРО «Кадастр-Юг»", "registry_number": "77-001", "status": "active", "status_date": "2024-01-15", "disciplinary_actions": []},
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
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
    #[cfg_attr(feature = "validate", validate(length(max = WEBSITE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub website: Option<String>,
    /// Place of residence.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = RESIDENCE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub residence: Option<String>,
    /// Contacts.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(nested))]
    pub contacts: Contacts,
    /// Years of experience (0–80).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(range(max = EXPERIENCE_MAX_YEARS)))]
    #[cfg_attr(feature = "openapi", schema(maximum = 80))]
    pub experience_years: Option<u32>,
    /// Working hours.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = WORKING_HOURS_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub working_hours: Option<String>,
    /// Education.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = EDUCATION_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub education: Option<String>,
    /// About.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = ABOUT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub about: Option<String>,
    /// Accept offers of orders from customers.
    #[serde(default = "yes")]
    pub accept_offers: bool,
    /// Activity region codes, each once.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 89)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 89))]
    pub regions: Vec<String>,
    /// Work types with prices, each work type once.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 10), nested))]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub work_types: Vec<WorkTypePrice>,
    /// Diplomas and certificates (file ids).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = PROFILE_FILES_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub diploma_file_ids: Vec<Uuid>,
    /// Work examples and licences (file ids).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = PROFILE_FILES_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub work_example_file_ids: Vec<Uuid>,
}

fn yes() -> bool {
    true
}
