//! Order lists and the search of published orders.

use super::{ActionLink, CustomerType, OrderAction, OrderStatus, SearchSort, WorkType};
use crate::page::PageQuery;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// The day the results are due (docs/reminders.md).
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The results are still to be delivered and the due date has passed.
    #[serde(default)]
    pub overdue: bool,
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
    /// What the caller may do with it now, as on the order itself.
    #[serde(default)]
    pub allowed_actions: Vec<OrderAction>,
    /// The request behind each of `allowed_actions`.
    #[serde(default)]
    pub action_links: Vec<ActionLink>,
}

crate::page::page_schema! {
    /// A page of orders.
    OrderList = Page<OrderSummary> {
        items: "Orders of this page.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
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
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
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
    /// Customer types, comma-separated (`person,sole_proprietor,legal`);
    /// an order matches when its customer is any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_types: Option<String>,
    /// Work types, comma-separated; an order matches when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_types: Option<String>,
    /// `newest` (default) or `urgency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SearchSort>,
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}
