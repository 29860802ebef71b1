//! The public engineer list and an engineer's public profile.

use super::{Contacts, EmployerSummary, EngineerSort, SroMembership, WorkTypePrice};
use crate::orders::WorkType;
use crate::page::PageQuery;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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

crate::page::page_schema! {
    /// A page of engineers.
    EngineerList = Page<EngineerCard> {
        items: "Engineers of this page.",
        next_cursor: "Cursor of the next page; `null` on the last one.",
    }
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
    /// Only engineers rated at least this (0–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 5))]
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
    /// `limit` and `cursor` (listed in the route's `params`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub page: PageQuery,
}
