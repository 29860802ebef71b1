//! Results of an order's works (docs/results.md): how the executor
//! delivers them, and the customer's acceptance or rejection.

use crate::orders::FileInfo;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest note, link or reason.
pub const TEXT_MAX_CHARS: u64 = 2000;
/// Most files of one delivery.
pub const FILES_MAX: u64 = 20;

wire_enum! {
    /// How the results are delivered.
    pub enum ResultMethod {
        /// Handed over in person or by post (`note` says how and when).
        Physical => "physical",
        /// Uploaded files (`file_ids`), archives included.
        Files => "files",
        /// A link to a cloud storage (`link`).
        Link => "link",
        /// The UIN of an electronic storage (`uin`).
        StorageUin => "storage_uin",
    }
}

wire_enum! {
    /// What a delivery is.
    pub enum ResultStage {
        /// The results of the works (`POST /orders/{id}/results`).
        Results => "results",
        /// The outcome of the state registration the engineer made
        /// (`POST /orders/{id}/registration-outcome`).
        RegistrationOutcome => "registration_outcome",
    }
}

/// `POST /orders/{id}/results` and `POST /orders/{id}/registration-outcome`: one way of delivery and what it needs —
/// `note` for `physical`, `file_ids` for `files`, `link` for `link`, `uin`
/// for `storage_uin`; a note may go with any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"method": "link", "link": "https://disk.example.ru/d/межевой-план", "note": "Межевой план и схема"})))]
#[serde(deny_unknown_fields)]
pub struct NewResult {
    /// How.
    pub method: ResultMethod,
    /// A cloud-storage link.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub link: Option<String>,
    /// The UIN of an electronic storage.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 64)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub uin: Option<String>,
    /// Files uploaded with `POST /files`.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = FILES_MAX)))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub file_ids: Vec<Uuid>,
    /// What the customer should know.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub note: Option<String>,
}

/// A delivery of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderResult {
    /// Delivery id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The results, or the registration outcome.
    pub stage: ResultStage,
    /// How.
    pub method: ResultMethod,
    /// A cloud-storage link.
    pub link: Option<String>,
    /// The UIN of an electronic storage.
    pub uin: Option<String>,
    /// The files.
    pub files: Vec<FileInfo>,
    /// The executor's note.
    pub note: Option<String>,
    /// When delivered.
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /orders/{id}/results`: every delivery of the order's results, oldest first.
    ResultList = Page<OrderResult> {
        items: "Deliveries, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// `POST /orders/{id}/reject-results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectResults {
    /// What is wrong; the executor sees it and the order's history keeps it.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TEXT_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub reasons: String,
}
