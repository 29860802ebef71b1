//! Reference data: regions and work types.

use crate::error::StoreError;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

/// Every region code.
pub async fn region_codes(db: &DatabaseConnection) -> Result<Vec<String>, StoreError> {
    use crate::entities::regions;
    Ok(regions::Entity::find()
        .order_by_asc(regions::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect())
}

/// Regions and work types: `(code, name_ru, name_en)`.
pub async fn reference(
    db: &DatabaseConnection,
) -> Result<(Vec<(String, String, String)>, Vec<(String, String, String)>), StoreError> {
    use crate::entities::{regions, work_types};
    let regions = regions::Entity::find()
        .order_by_asc(regions::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name_ru, r.name_en))
        .collect();
    let work_types = work_types::Entity::find()
        .order_by_asc(work_types::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.code, w.name_ru, w.name_en))
        .collect();
    Ok((regions, work_types))
}
