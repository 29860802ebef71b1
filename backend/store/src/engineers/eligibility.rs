//! An engineer's standing: the profile facts and what he may do.

use super::profiles::regions_of;
use super::roles::has_role;
use crate::entities::{
    engineer_profiles, engineer_regions, engineer_work_types, requisites, users,
};
use crate::error::StoreError;
use mezha_domain::Role;
use mezha_domain::orders::eligibility::{EngineerStanding, ProfileFacts, missing_profile_fields};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// The facts of the required-field check for one engineer, and the
/// employer whose requisites he uses (active employment).
pub async fn profile_facts(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<(ProfileFacts, Option<Uuid>), StoreError> {
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let profile = engineer_profiles::Entity::find_by_id(user_id)
        .one(db)
        .await?;
    let regions = engineer_regions::Entity::find()
        .filter(engineer_regions::Column::UserId.eq(user_id))
        .count(db)
        .await?;
    let priced = engineer_work_types::Entity::find()
        .filter(engineer_work_types::Column::UserId.eq(user_id))
        .filter(engineer_work_types::Column::Price.is_not_null())
        .count(db)
        .await?;
    let employer = crate::employment::employer_of(db, user_id).await?;
    let requisites_owner = employer.unwrap_or(user_id);
    let has_requisites = requisites::Entity::find_by_id(requisites_owner)
        .one(db)
        .await?
        .is_some();
    let facts = ProfileFacts {
        has_full_name: user.full_name.as_deref().is_some_and(|n| !n.is_empty()),
        regions: usize::try_from(regions).unwrap_or(usize::MAX),
        priced_work_types: usize::try_from(priced).unwrap_or(usize::MAX),
        has_contacts: profile.as_ref().is_some_and(|p| p.contacts.is_some()),
        has_requisites,
    };
    Ok((facts, employer))
}

/// An engineer's standing for responding and receiving offers
/// (docs/orders.md, "Who may respond or receive an offer"):
/// the engineer role (from the SRO registry), a moderator's block, the
/// required profile fields, activity regions, whether he is his employer's
/// only active engineer, and the "accept offers" switch.
/// [`StoreError::NotFound`] when the account does not exist.
pub async fn standing(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<EngineerStanding, StoreError> {
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let is_engineer = has_role(db, user_id, Role::Engineer).await?;
    let (facts, employer) = profile_facts(db, user_id).await?;
    let sole_active_engineer = match employer {
        Some(employer) => crate::employment::employees_of(db, employer).await?.len() == 1,
        None => false,
    };
    let accepts_offers = engineer_profiles::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_none_or(|p| p.accept_offers);
    Ok(EngineerStanding {
        is_engineer,
        blocked: user.blocked_at.is_some(),
        missing_fields: missing_profile_fields(&facts),
        regions: regions_of(db, user_id).await?,
        sole_active_engineer,
        accepts_offers,
    })
}
