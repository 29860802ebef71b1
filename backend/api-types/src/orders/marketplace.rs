//! Comments on actions, engineers' responses and customers' offers.

#[cfg(feature = "validate")]
use super::MESSAGE_MAX_CHARS;
use super::{OfferStatus, ResponseStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /orders/{id}/cancel` and other actions that take a comment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// Why.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = MESSAGE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: Option<String>,
}

/// `POST /orders/{id}/responses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"price": 23000, "deadline_days": 20, "message": "Выезд на участок в течение недели."})))]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    /// Proposed price in roubles.
    pub price: i64,
    /// Proposed deadline in days.
    pub deadline_days: u32,
    /// Message to the customer.
    #[cfg_attr(feature = "validate", validate(length(max = MESSAGE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
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

crate::page::page_schema! {
    /// `GET /orders/{id}/responses`: for the customer all, for an engineer his own; oldest first.
    ResponseList = Page<OrderResponse> {
        items: "Responses, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// `POST /orders/{id}/offers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// The engineer to offer the order to.
    pub engineer_id: Uuid,
    /// Message to the engineer.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = MESSAGE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
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

crate::page::page_schema! {
    /// `GET /orders/{id}/offers` (customer: all; engineer: his own), oldest first.
    OfferList = Page<Offer> {
        items: "Offers, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
