//! Reviews of engineers by the customers of completed orders (docs/results.md,
//! "Rating").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest review text.
pub const REVIEW_MAX_CHARS: u64 = 2000;

/// `POST /orders/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"rating": 5, "text": "Всё сделано в срок, документы в порядке."})))]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    /// 1 (worst) to 5 (best).
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = 5)))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: u8,
    /// What the customer says.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = REVIEW_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub text: Option<String>,
}

/// A review as everyone sees it on the engineer's public card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// Review id.
    pub id: Uuid,
    /// The order reviewed.
    pub order_id: Uuid,
    /// The engineer reviewed.
    pub engineer_id: Uuid,
    /// 1 to 5.
    pub rating: u8,
    /// What the customer said.
    pub text: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /engineers/{id}/reviews`: the engineer's reviews, newest first.
    ReviewList = Page<Review> {
        items: "Reviews, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
