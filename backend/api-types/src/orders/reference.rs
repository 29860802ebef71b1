//! Reference data: regions and work types.

use super::WorkType;
use serde::{Deserialize, Serialize};

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
    /// Where the engineer registers the works (configured).
    #[serde(default)]
    pub registry_cabinets: RegistryCabinets,
}

/// The external cabinets where an engineer files the state cadastral
/// registration (ГКУ) and the registration of rights (ГРП), as configured
/// (docs/results.md, "The registration outcome").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryCabinets {
    /// The cabinet for ГКУ.
    pub gku: String,
    /// The cabinet for ГРП.
    pub grp: String,
}
