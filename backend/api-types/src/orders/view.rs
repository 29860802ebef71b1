//! An order as its parties see it, and its history.

use super::{ActionLink, CustomerType, OrderAction, OrderStatus, Registration, WorkType};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An uploaded file's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "name": "plan.pdf", "content_type": "application/pdf", "size": 183422, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "created_at": "2026-11-23T10:00:00Z"})))]
pub struct FileInfo {
    /// File id.
    pub id: Uuid,
    /// File name as uploaded.
    pub name: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

/// An order as its parties see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    /// Order id.
    pub id: Uuid,
    /// Human order number, unique, increasing.
    pub number: i64,
    /// Current status.
    pub status: OrderStatus,
    /// Status before the order was suspended.
    pub suspended_from: Option<OrderStatus>,
    /// Short title.
    pub title: String,
    /// Kinds of works.
    pub work_types: Vec<WorkType>,
    /// Object description.
    pub description: Option<String>,
    /// Cadastral numbers.
    pub cadastral_numbers: Vec<String>,
    /// Region code.
    pub region_code: Option<String>,
    /// Address down to the street.
    pub address: Option<String>,
    /// Customer's account id.
    pub customer_id: Uuid,
    /// Customer's type.
    pub customer_type: CustomerType,
    /// Deadline as a date.
    pub deadline_date: Option<NaiveDate>,
    /// Deadline as days from the contract.
    pub deadline_days: Option<u32>,
    /// The day the results are due: set on publication from the deadline,
    /// then the signed contract's deadline (docs/reminders.md).
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The results are still to be delivered and the due date has passed
    /// (Moscow time).
    #[serde(default)]
    pub overdue: bool,
    /// Price in roubles.
    pub price: Option<i64>,
    /// Whether a prepayment is required.
    pub prepayment_required: bool,
    /// Prepayment percent.
    pub prepayment_percent: Option<u8>,
    /// Registration done by the engineer.
    pub registration: Registration,
    /// Attached files.
    pub attachments: Vec<FileInfo>,
    /// The chosen engineer.
    pub executor_id: Option<Uuid>,
    /// The chosen engineer's full name.
    #[serde(default)]
    pub executor_name: Option<String>,
    /// Active responses.
    pub responses_count: i64,
    /// What the caller may do now, in its acting role.
    pub allowed_actions: Vec<OrderAction>,
    /// The request behind each of `allowed_actions` (those the platform
    /// applies itself have none).
    #[serde(default)]
    pub action_links: Vec<ActionLink>,
    /// Version; also the `ETag` for `If-Match`.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
}

/// One entry of an order's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// Entry id.
    pub id: Uuid,
    /// What happened.
    pub action: OrderAction,
    /// Status before (`null` at creation).
    pub from_status: Option<OrderStatus>,
    /// Status after.
    pub to_status: OrderStatus,
    /// Who did it (`null` for the system).
    pub actor_id: Option<Uuid>,
    /// Comment (reasons, a cancellation note).
    pub comment: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /orders/{id}/history`: oldest first.
    HistoryList = Page<HistoryEntry> {
        items: "Entries, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
