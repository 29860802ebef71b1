//! Reading and saving engineer profiles, with their regions and work types.

use super::{DocumentsRecord, ProfileData, ProfileRecord};
use crate::entities::{engineer_profiles, engineer_regions, engineer_work_types, regions};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use uuid::Uuid;

fn decode<T: for<'de> Deserialize<'de> + Default>(text: Option<&str>) -> Result<T, StoreError> {
    match text {
        Some(text) => Ok(serde_json::from_str(text)?),
        None => Ok(T::default()),
    }
}

pub(super) async fn regions_of<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<Vec<String>, StoreError> {
    Ok(engineer_regions::Entity::find()
        .filter(engineer_regions::Column::UserId.eq(user_id))
        .order_by_asc(engineer_regions::Column::RegionCode)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.region_code)
        .collect())
}

async fn work_types_of<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<Vec<(String, Option<i64>)>, StoreError> {
    Ok(engineer_work_types::Entity::find()
        .filter(engineer_work_types::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.work_type, w.price))
        .collect())
}

fn profile_record(
    model: engineer_profiles::Model,
    regions: Vec<String>,
    work_types: Vec<(String, Option<i64>)>,
) -> Result<ProfileRecord, StoreError> {
    Ok(ProfileRecord {
        user_id: model.user_id,
        data: ProfileData {
            website: model.website,
            residence: model.residence,
            contacts: decode(model.contacts.as_deref())?,
            experience_years: model.experience_years,
            working_hours: model.working_hours,
            education: model.education,
            about: model.about,
            accept_offers: model.accept_offers,
            documents: decode(model.documents.as_deref())?,
            regions,
            work_types,
        },
        version: model.version,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

/// The engineer's saved profile, if he has saved one.
pub async fn profile(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Option<ProfileRecord>, StoreError> {
    let Some(model) = engineer_profiles::Entity::find_by_id(user_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let regions = regions_of(db, user_id).await?;
    let work_types = work_types_of(db, user_id).await?;
    profile_record(model, regions, work_types).map(Some)
}

/// The region codes among `codes` that exist.
pub async fn known_regions(
    db: &DatabaseConnection,
    codes: &[String],
) -> Result<Vec<String>, StoreError> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(regions::Entity::find()
        .filter(regions::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect())
}

/// Saves the profile when its version is `expected_version` (`0`: not
/// saved yet; `None`: unconditionally), replacing regions and work types,
/// and bumps the version. [`StoreError::VersionMismatch`] when stale.
pub async fn save_profile(
    db: &DatabaseConnection,
    user_id: Uuid,
    expected_version: Option<i64>,
    data: ProfileData,
    now: DateTime<Utc>,
) -> Result<ProfileRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let current = engineer_profiles::Entity::find_by_id(user_id)
        .one(&txn)
        .await?;
    let current_version = current.as_ref().map_or(0, |m| m.version);
    if expected_version.is_some_and(|v| v != current_version) {
        return Err(StoreError::VersionMismatch);
    }
    let contacts = if data.contacts.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&data.contacts)?)
    };
    let documents = if data.documents == DocumentsRecord::default() {
        None
    } else {
        Some(serde_json::to_string(&data.documents)?)
    };
    match current {
        None => {
            engineer_profiles::ActiveModel {
                user_id: Set(user_id),
                website: Set(data.website.clone()),
                residence: Set(data.residence.clone()),
                contacts: Set(contacts),
                experience_years: Set(data.experience_years),
                working_hours: Set(data.working_hours.clone()),
                education: Set(data.education.clone()),
                about: Set(data.about.clone()),
                accept_offers: Set(data.accept_offers),
                documents: Set(documents),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        Some(_) => {
            let result = engineer_profiles::Entity::update_many()
                .col_expr(
                    engineer_profiles::Column::Website,
                    Expr::value(data.website.clone()),
                )
                .col_expr(
                    engineer_profiles::Column::Residence,
                    Expr::value(data.residence.clone()),
                )
                .col_expr(engineer_profiles::Column::Contacts, Expr::value(contacts))
                .col_expr(
                    engineer_profiles::Column::ExperienceYears,
                    Expr::value(data.experience_years),
                )
                .col_expr(
                    engineer_profiles::Column::WorkingHours,
                    Expr::value(data.working_hours.clone()),
                )
                .col_expr(
                    engineer_profiles::Column::Education,
                    Expr::value(data.education.clone()),
                )
                .col_expr(
                    engineer_profiles::Column::About,
                    Expr::value(data.about.clone()),
                )
                .col_expr(
                    engineer_profiles::Column::AcceptOffers,
                    Expr::value(data.accept_offers),
                )
                .col_expr(engineer_profiles::Column::Documents, Expr::value(documents))
                .col_expr(engineer_profiles::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    engineer_profiles::Column::Version,
                    Expr::col(engineer_profiles::Column::Version).add(1),
                )
                .filter(engineer_profiles::Column::UserId.eq(user_id))
                .filter(engineer_profiles::Column::Version.eq(current_version))
                .exec(&txn)
                .await?;
            if result.rows_affected == 0 {
                return Err(StoreError::VersionMismatch);
            }
        }
    }
    engineer_regions::Entity::delete_many()
        .filter(engineer_regions::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    engineer_regions::Entity::insert_many(data.regions.iter().map(|code| {
        engineer_regions::ActiveModel {
            user_id: Set(user_id),
            region_code: Set(code.clone()),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    engineer_work_types::Entity::delete_many()
        .filter(engineer_work_types::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    engineer_work_types::Entity::insert_many(data.work_types.iter().map(|(work_type, price)| {
        engineer_work_types::ActiveModel {
            user_id: Set(user_id),
            work_type: Set(work_type.clone()),
            price: Set(*price),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    let model = engineer_profiles::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let regions = regions_of(&txn, user_id).await?;
    let work_types = work_types_of(&txn, user_id).await?;
    txn.commit().await?;
    profile_record(model, regions, work_types)
}
