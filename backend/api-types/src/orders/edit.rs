//! Creating and editing orders.

#[cfg(feature = "validate")]
use super::{
    ADDRESS_MAX_CHARS, ATTACHMENTS_MAX, CADASTRAL_NUMBERS_MAX, DESCRIPTION_MAX_CHARS,
    TITLE_MAX_CHARS,
};
use super::{Registration, WorkType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Fields of a new order (`POST /orders`), saved as a draft. Only the title
/// is required here; publishing requires the rest (work types, region,
/// address, deadline).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "title": "Межевание участка в Раменском",
    "work_types": ["land_plot_boundary_clarification"],
    "description": "Уточнение границ участка под ИЖС, 12 соток.",
    "cadastral_numbers": ["50:23:0040312:118"],
    "region_code": "50",
    "address": "Московская обл., г. Раменское, ул. Серова",
    "deadline_days": 30,
    "price": 25000,
    "prepayment_required": true,
    "prepayment_percent": 30,
    "registration": "gku",
    "attachment_ids": []
})))]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// Short title.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TITLE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    /// Kinds of works (any number of the ten).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 10)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub work_types: Vec<WorkType>,
    /// What the object is and what is needed.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = DESCRIPTION_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: Option<String>,
    /// Cadastral numbers, `NN:NN:NNNNNNN:NNNN`.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = CADASTRAL_NUMBERS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub cadastral_numbers: Vec<String>,
    /// Region code (two digits, see `GET /regions`).
    #[serde(default)]
    pub region_code: Option<String>,
    /// Address down to the street.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = ADDRESS_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub address: Option<String>,
    /// Deadline as a date (give this or `deadline_days`).
    #[serde(default)]
    pub deadline_date: Option<NaiveDate>,
    /// Deadline as days from the contract (give this or `deadline_date`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub deadline_days: Option<u32>,
    /// Price in roubles; absent when the customer waits for offers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub price: Option<i64>,
    /// Whether a prepayment is required.
    #[serde(default)]
    pub prepayment_required: bool,
    /// Prepayment percent (1–100) when required.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub prepayment_percent: Option<u8>,
    /// Registration done by the engineer.
    #[serde(default = "default_registration")]
    pub registration: Registration,
    /// Uploaded files (`POST /files`) to attach.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = ATTACHMENTS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub attachment_ids: Vec<Uuid>,
}

fn default_registration() -> Registration {
    Registration::None
}

/// `PATCH /orders/{id}`: absent fields stay, `null` clears an optional
/// field, a value sets it. Send `If-Match` with the order's `ETag`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"price": 30000, "deadline_date": null, "deadline_days": 45})))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrder {
    /// Short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TITLE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: Option<String>,
    /// Kinds of works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = 10)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub work_types: Option<Vec<WorkType>>,
    /// Object description.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = DESCRIPTION_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: Option<Option<String>>,
    /// Cadastral numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = CADASTRAL_NUMBERS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub cadastral_numbers: Option<Vec<String>>,
    /// Region code.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region_code: Option<Option<String>>,
    /// Address down to the street.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = ADDRESS_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub address: Option<Option<String>>,
    /// Deadline as a date.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub deadline_date: Option<Option<NaiveDate>>,
    /// Deadline as days.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 1, maximum = 3650))]
    pub deadline_days: Option<Option<u32>>,
    /// Price in roubles.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 1, maximum = 1_000_000_000))]
    pub price: Option<Option<i64>>,
    /// Whether a prepayment is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepayment_required: Option<bool>,
    /// Prepayment percent.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 100))]
    pub prepayment_percent: Option<Option<u8>>,
    /// Registration done by the engineer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// The complete new list of attached files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = ATTACHMENTS_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub attachment_ids: Option<Vec<Uuid>>,
}
