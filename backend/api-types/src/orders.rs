//! Orders for cadastral works (SPEC §2): the order itself, its history,
//! search, responses and offers.

use crate::wire_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Longest order title.
pub const TITLE_MAX_CHARS: u64 = 200;
/// Longest object description.
pub const DESCRIPTION_MAX_CHARS: u64 = 5000;
/// Longest address.
pub const ADDRESS_MAX_CHARS: u64 = 500;
/// Most cadastral numbers on one order.
pub const CADASTRAL_NUMBERS_MAX: u64 = 50;
/// Most attachments on one order.
pub const ATTACHMENTS_MAX: u64 = 20;
/// Longest response message or comment.
pub const MESSAGE_MAX_CHARS: u64 = 2000;
/// Largest price, in roubles.
pub const PRICE_MAX: i64 = 1_000_000_000;
/// Longest deadline in days.
pub const DEADLINE_DAYS_MAX: u32 = 3650;

wire_enum! {
    /// The ten kinds of cadastral works (SPEC §2).
    pub enum WorkType {
        /// Land plot formation by redistribution.
        LandPlotRedistribution => "land_plot_redistribution",
        /// Land plot formation.
        LandPlotFormation => "land_plot_formation",
        /// Clarification of land plot boundaries and area.
        LandPlotBoundaryClarification => "land_plot_boundary_clarification",
        /// Formation of a part of a real-estate object.
        ObjectPartFormation => "object_part_formation",
        /// Liquidation of a real-estate object.
        ObjectLiquidation => "object_liquidation",
        /// Clarification of real-estate object data.
        ObjectDataClarification => "object_data_clarification",
        /// Real-estate object formation.
        ObjectFormation => "object_formation",
        /// Map-plan preparation.
        MapPlan => "map_plan",
        /// Layout scheme preparation.
        LayoutScheme => "layout_scheme",
        /// Formation of a part of a land plot.
        LandPlotPartFormation => "land_plot_part_formation",
    }
}

wire_enum! {
    /// Where an order is in its life (SPEC §2, Statuses).
    pub enum OrderStatus {
        /// Being prepared by the customer; visible to him only.
        Draft => "draft",
        /// Published; engineers respond, the customer chooses.
        ExecutorSelection => "executor_selection",
        /// Executor chosen; the contract is being signed.
        ContractSigning => "contract_signing",
        /// Waiting for the prepayment.
        Prepayment => "prepayment",
        /// The engineer is doing the work.
        InProgress => "in_progress",
        /// Results delivered; the customer checks them.
        Acceptance => "acceptance",
        /// The engineer registers the results with the state.
        Registration => "registration",
        /// The customer pays; the engineer confirms.
        Payment => "payment",
        /// Done.
        Completed => "completed",
        /// Cancelled by the customer.
        Cancelled => "cancelled",
        /// The executor lost active SRO status; resumes when restored.
        Suspended => "suspended",
    }
}

wire_enum! {
    /// Something that can happen to an order. Each changes its status or
    /// is allowed only in some statuses; `allowed_actions` of an order lists
    /// those the caller may take now.
    pub enum OrderAction {
        /// The order was created (history only).
        Create => "create",
        /// Change the order's fields (customer).
        Edit => "edit",
        /// Delete a draft (customer).
        Delete => "delete",
        /// Publish a draft (customer).
        Publish => "publish",
        /// Cancel before the contract is signed (customer).
        Cancel => "cancel",
        /// Respond to the order (engineer).
        Respond => "respond",
        /// Choose a response's engineer as executor (customer).
        SelectResponse => "select_response",
        /// Offer the order to an engineer (customer).
        Offer => "offer",
        /// Accept an offer (engineer).
        AcceptOffer => "accept_offer",
        /// Decline an offer (engineer).
        DeclineOffer => "decline_offer",
        /// Both parties signed the contract.
        ContractSigned => "contract_signed",
        /// The engineer received the prepayment.
        ConfirmPrepayment => "confirm_prepayment",
        /// The engineer delivers the results.
        DeliverResults => "deliver_results",
        /// The customer accepts the results.
        AcceptResults => "accept_results",
        /// The customer rejects the results with reasons.
        RejectResults => "reject_results",
        /// The engineer sends the registration outcome, act and final invoice.
        SendRegistrationOutcome => "send_registration_outcome",
        /// The customer paid and the engineer confirmed receipt.
        ConfirmPayment => "confirm_payment",
        /// The executor lost active SRO status (system).
        Suspend => "suspend",
        /// The executor's SRO status is active again (system).
        Resume => "resume",
    }
}

wire_enum! {
    /// Who the customer is, derived from his profile: a 10-digit INN is a
    /// legal entity; otherwise a person.
    pub enum CustomerType {
        /// A private person.
        Person => "person",
        /// A legal entity.
        Legal => "legal",
        /// A sole proprietor (ИП).
        SoleProprietor => "sole_proprietor",
    }
}

wire_enum! {
    /// State registration done by the engineer as part of the order.
    pub enum Registration {
        /// None; the customer registers himself.
        None => "none",
        /// State cadastral registration (ГКУ).
        Gku => "gku",
        /// State registration of rights (ГРП).
        Grp => "grp",
        /// Both.
        Both => "both",
    }
}

wire_enum! {
    /// Sort order of the order search.
    pub enum SearchSort {
        /// Newest publication first.
        Newest => "newest",
        /// Nearest deadline first.
        Urgency => "urgency",
    }
}

wire_enum! {
    /// Where a response stands.
    pub enum ResponseStatus {
        /// Waiting for the customer's choice.
        Active => "active",
        /// Withdrawn by the engineer.
        Withdrawn => "withdrawn",
        /// Chosen: its engineer is the executor.
        Selected => "selected",
        /// Another executor was chosen, or the order was cancelled.
        Closed => "closed",
    }
}

wire_enum! {
    /// Where an offer stands.
    pub enum OfferStatus {
        /// Waiting for the engineer's answer.
        Pending => "pending",
        /// Accepted: the engineer is the executor.
        Accepted => "accepted",
        /// Declined by the engineer.
        Declined => "declined",
        /// Another executor was chosen, or the order was cancelled.
        Closed => "closed",
    }
}

/// Fields of a new order (`POST /orders`), saved as a draft. Only the title
/// is required here; publishing requires the rest (work types, region,
/// address, deadline).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
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
    #[validate(length(min = 1, max = TITLE_MAX_CHARS))]
    pub title: String,
    /// Kinds of works (any number of the ten).
    #[serde(default)]
    #[validate(length(max = 10))]
    pub work_types: Vec<WorkType>,
    /// What the object is and what is needed.
    #[serde(default)]
    #[validate(length(max = DESCRIPTION_MAX_CHARS))]
    pub description: Option<String>,
    /// Cadastral numbers, `NN:NN:NNNNNNN:NNNN`.
    #[serde(default)]
    #[validate(length(max = CADASTRAL_NUMBERS_MAX))]
    pub cadastral_numbers: Vec<String>,
    /// Region code (two digits, see `GET /regions`).
    #[serde(default)]
    pub region_code: Option<String>,
    /// Address down to the street.
    #[serde(default)]
    #[validate(length(max = ADDRESS_MAX_CHARS))]
    pub address: Option<String>,
    /// Deadline as a date (give this or `deadline_days`).
    #[serde(default)]
    pub deadline_date: Option<NaiveDate>,
    /// Deadline as days from the contract (give this or `deadline_date`).
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Price in roubles; absent when the customer waits for offers.
    #[serde(default)]
    pub price: Option<i64>,
    /// Whether a prepayment is required.
    #[serde(default)]
    pub prepayment_required: bool,
    /// Prepayment percent (1–100) when required.
    #[serde(default)]
    pub prepayment_percent: Option<u8>,
    /// Registration done by the engineer.
    #[serde(default = "default_registration")]
    pub registration: Registration,
    /// Uploaded files (`POST /files`) to attach.
    #[serde(default)]
    #[validate(length(max = ATTACHMENTS_MAX))]
    pub attachment_ids: Vec<Uuid>,
}

fn default_registration() -> Registration {
    Registration::None
}

// `wire_enum!` owns the derive list, so the default is written out.
#[allow(clippy::derivable_impls)]
impl Default for Registration {
    fn default() -> Self {
        Registration::None
    }
}

/// `PATCH /orders/{id}`: absent fields stay, `null` clears an optional
/// field, a value sets it. Send `If-Match` with the order's `ETag`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"price": 30000, "deadline_date": null, "deadline_days": 45})))]
#[serde(deny_unknown_fields)]
pub struct UpdateOrder {
    /// Short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = TITLE_MAX_CHARS))]
    pub title: Option<String>,
    /// Kinds of works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 10))]
    pub work_types: Option<Vec<WorkType>>,
    /// Object description.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[validate(length(max = DESCRIPTION_MAX_CHARS))]
    pub description: Option<Option<String>>,
    /// Cadastral numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = CADASTRAL_NUMBERS_MAX))]
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
    #[validate(length(max = ADDRESS_MAX_CHARS))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>))]
    pub deadline_days: Option<Option<u32>>,
    /// Price in roubles.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>))]
    pub prepayment_percent: Option<Option<u8>>,
    /// Registration done by the engineer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// The complete new list of attached files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = ATTACHMENTS_MAX))]
    pub attachment_ids: Option<Vec<Uuid>>,
}

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
    /// Version; also the `ETag` for `If-Match`.
    pub version: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
}

/// An order in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    /// Order id.
    pub id: Uuid,
    /// Human order number.
    pub number: i64,
    /// Current status.
    pub status: OrderStatus,
    /// Short title.
    pub title: String,
    /// Kinds of works.
    pub work_types: Vec<WorkType>,
    /// Region code.
    pub region_code: Option<String>,
    /// Address down to the street.
    pub address: Option<String>,
    /// Customer's type.
    pub customer_type: CustomerType,
    /// Deadline as a date.
    pub deadline_date: Option<NaiveDate>,
    /// Deadline as days.
    pub deadline_days: Option<u32>,
    /// Price in roubles.
    pub price: Option<i64>,
    /// Whether a prepayment is required.
    pub prepayment_required: bool,
    /// Active responses.
    pub responses_count: i64,
    /// The chosen engineer.
    pub executor_id: Option<Uuid>,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A page of orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderList {
    /// Orders of this page.
    pub items: Vec<OrderSummary>,
    /// Cursor of the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// `GET /orders`: the caller's orders in its acting role (a customer's
/// own; an engineer's assigned, responded or offered; an employer's
/// engineers'; all for moderators), most recently changed first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MyOrdersQuery {
    /// Only orders in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    /// Text in the title or address, or the order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Page size (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `GET /orders/search`: published orders (`executor_selection`) for
/// engineers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrderSearchQuery {
    /// Region code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Text the address contains (case-insensitive), e.g. a street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    /// Deadline (as a date) on or before this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_until: Option<NaiveDate>,
    /// Deadline in days at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days_max: Option<u32>,
    /// Only orders nobody has responded to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without_responses: Option<bool>,
    /// Only orders with a prepayment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_prepayment: Option<bool>,
    /// Only orders with a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_price: Option<bool>,
    /// Customer types, comma-separated (`person,legal`); `person` includes
    /// sole proprietors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_types: Option<String>,
    /// Work types, comma-separated; an order matches when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_types: Option<String>,
    /// `newest` (default) or `urgency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SearchSort>,
    /// Page size (1–100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
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

/// `GET /orders/{id}/history`, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryList {
    /// Entries, oldest first.
    pub items: Vec<HistoryEntry>,
}

/// `POST /orders/{id}/cancel` and other actions that take a comment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// Why.
    #[serde(default)]
    #[validate(length(max = MESSAGE_MAX_CHARS))]
    pub comment: Option<String>,
}

/// `POST /orders/{id}/responses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"price": 23000, "deadline_days": 20, "message": "Выезд на участок в течение недели."})))]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    /// Proposed price in roubles.
    pub price: i64,
    /// Proposed deadline in days.
    pub deadline_days: u32,
    /// Message to the customer.
    #[validate(length(max = MESSAGE_MAX_CHARS))]
    #[serde(default)]
    pub message: String,
}

/// An engineer's response to an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderResponse {
    /// Response id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The engineer.
    pub engineer_id: Uuid,
    /// The engineer's full name.
    pub engineer_name: Option<String>,
    /// Proposed price in roubles.
    pub price: i64,
    /// Proposed deadline in days.
    pub deadline_days: u32,
    /// Message to the customer.
    pub message: String,
    /// Where it stands.
    pub status: ResponseStatus,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

/// `GET /orders/{id}/responses`: for the customer all, for an engineer
/// his own; oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseList {
    /// Responses, oldest first.
    pub items: Vec<OrderResponse>,
}

/// `POST /orders/{id}/offers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// The engineer to offer the order to.
    pub engineer_id: Uuid,
    /// Message to the engineer.
    #[serde(default)]
    #[validate(length(max = MESSAGE_MAX_CHARS))]
    pub message: Option<String>,
}

/// An offer of an order to an engineer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    /// Offer id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The engineer.
    pub engineer_id: Uuid,
    /// Message to the engineer.
    pub message: Option<String>,
    /// Where it stands.
    pub status: OfferStatus,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When the engineer answered.
    pub decided_at: Option<DateTime<Utc>>,
}

/// `GET /orders/{id}/offers` (customer: all; engineer: his own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferList {
    /// Offers, oldest first.
    pub items: Vec<Offer>,
}

/// A subject of the Russian Federation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"code": "50", "name_ru": "Московская область", "name_en": "Moscow Oblast"})))]
pub struct Region {
    /// Two-digit code.
    pub code: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
}

/// A kind of cadastral works with its names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkTypeInfo {
    /// Code.
    pub code: WorkType,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
}

/// `GET /reference`: regions and work types, for forms and filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferenceData {
    /// Every region, by code.
    pub regions: Vec<Region>,
    /// The ten work types, in their usual order.
    pub work_types: Vec<WorkTypeInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_their_wire_names() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(*s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.as_str().into())
            );
        }
        assert_eq!(WorkType::ALL.len(), 10);
        for w in WorkType::ALL {
            assert_eq!(w.as_str().parse::<WorkType>(), Ok(*w));
        }
        let err = "paid".parse::<OrderStatus>().unwrap_err();
        assert_eq!(err.to_string(), "`paid` is not a valid OrderStatus");
    }

    #[test]
    fn new_order_defaults_and_rejects_unknown_fields() {
        let order: NewOrder = serde_json::from_str(r#"{"title":"t"}"#).unwrap();
        assert_eq!(order.registration, Registration::None);
        assert!(order.work_types.is_empty());
        assert!(serde_json::from_str::<NewOrder>(r#"{"title":"t","colour":1}"#).is_err());
    }

    #[test]
    fn update_order_tells_null_from_absent() {
        let patch: UpdateOrder = serde_json::from_str(r#"{"price":null}"#).unwrap();
        assert_eq!(patch.price, Some(None));
        assert_eq!(patch.deadline_days, None);
    }
}
