//! Reference data: the regions and the kinds of cadastral work, for forms
//! and filters.

use crate::{AppResult, context::Core};
use mezha_api_types::orders::{ReferenceData, Region, WorkTypeInfo};

/// Every region and work type, with their Russian and English names.
pub async fn load(app: &Core) -> AppResult<ReferenceData> {
    let (regions, work_types) = mezha_store::orders::reference(&app.db).await?;
    let work_types = work_types
        .into_iter()
        .filter_map(|(code, name_ru, name_en)| {
            code.parse().ok().map(|code| WorkTypeInfo {
                code,
                name_ru,
                name_en,
            })
        })
        .collect();
    Ok(ReferenceData {
        regions: regions
            .into_iter()
            .map(|(code, name_ru, name_en)| Region {
                code,
                name_ru,
                name_en,
            })
            .collect(),
        work_types,
        registry_cabinets: app.settings.registry_cabinets.clone(),
    })
}
