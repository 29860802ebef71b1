//! Granting, revoking and checking account roles.

use crate::entities::user_roles;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_domain::Role;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Whether the account holds `role`.
pub async fn has_role<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    role: Role,
) -> Result<bool, StoreError> {
    Ok(
        user_roles::Entity::find_by_id((user_id, role.as_str().to_owned()))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Takes a role away; true when it was held.
pub async fn revoke_role<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    role: Role,
) -> Result<bool, StoreError> {
    let result = user_roles::Entity::delete_many()
        .filter(user_roles::Column::UserId.eq(user_id))
        .filter(user_roles::Column::Role.eq(role.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Grants a role; true when it was not held.
pub async fn grant_role<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = user_roles::Entity::insert(user_roles::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        granted_at: Set(now),
    })
    .on_conflict_do_nothing_on([user_roles::Column::UserId, user_roles::Column::Role])
    .exec_without_returning(db)
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}
