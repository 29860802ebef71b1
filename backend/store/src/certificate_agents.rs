//! Certificate applications an organisation's CA agent files for a client
//! of its base (docs/certificates.md, "Filed by an organisation's CA
//! agent"): created already submitted, listed per client, and claimed by
//! the client through a one-use mailed link (only its SHA-256 is kept),
//! which makes his account the owner.

use crate::certificates::{ApplicationRecord, application, find, set_fields};
use crate::entities::certificate_applications as apps;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_api_types::certificates::ApplicationStatus;
use mezha_domain::certificates::owner::OwnerFields;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// Who files an application, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub organisation_id: Uuid,
    pub client_id: Uuid,
    /// The agent; the application's account until the client claims it.
    pub agent_id: Uuid,
}

/// Stores an application with the client's data, submitted for review.
pub async fn file(
    db: &DatabaseConnection,
    filing: Filing,
    fields: &OwnerFields,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let id = Uuid::now_v7();
    let mut model = apps::ActiveModel {
        id: Set(id),
        owner_id: Set(filing.agent_id),
        status: Set(ApplicationStatus::Submitted.as_str().to_owned()),
        reject_reasons: Set(None),
        renewal_of: Set(None),
        certificate_id: Set(None),
        decided_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(Some(now)),
        decided_at: Set(None),
        agent_organisation_id: Set(Some(filing.organisation_id)),
        agent_client_id: Set(Some(filing.client_id)),
        filed_by: Set(Some(filing.agent_id)),
        claim_token_hash: Set(None),
        claim_expires_at: Set(None),
        claimed_at: Set(None),
        ..Default::default()
    };
    set_fields(
        &mut model,
        fields,
        None,
        crate::certificates::Scans::default(),
    );
    let txn = crate::db::begin(db).await?;
    model.insert(&txn).await?;
    crate::idempotency::bind(&txn, id).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// The applications filed for `client_id`, newest first.
pub async fn of_client(
    db: &DatabaseConnection,
    client_id: Uuid,
) -> Result<Vec<ApplicationRecord>, StoreError> {
    apps::Entity::find()
        .filter(apps::Column::AgentClientId.eq(client_id))
        .order_by_desc(apps::Column::CreatedAt)
        .order_by_desc(apps::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// A page of the applications filed for `client_id`, newest first, after
/// `after` (the creation time and id of the previous page's last); the
/// rows and whether more follow.
pub async fn page_of_client(
    db: &DatabaseConnection,
    client_id: Uuid,
    limit: u64,
    after: Option<crate::paging::After>,
) -> Result<(Vec<ApplicationRecord>, bool), StoreError> {
    let (rows, more) = crate::paging::newest_first::<apps::Entity, _>(
        db,
        Condition::all().add(apps::Column::AgentClientId.eq(client_id)),
        (apps::Column::CreatedAt, apps::Column::Id),
        limit,
        after,
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(application)
        .collect::<Result<_, _>>()?;
    Ok((rows, more))
}

/// Sets a new claim link (replacing any earlier one) on an approved,
/// unclaimed application; `VersionMismatch` when it no longer is.
pub async fn set_claim_link(
    db: &DatabaseConnection,
    id: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let done = apps::Entity::update_many()
        .col_expr(apps::Column::ClaimTokenHash, Expr::value(token_hash))
        .col_expr(apps::Column::ClaimExpiresAt, Expr::value(expires_at))
        .filter(apps::Column::Id.eq(id))
        .filter(apps::Column::Status.eq(ApplicationStatus::Approved.as_str()))
        .filter(apps::Column::AgentClientId.is_not_null())
        .filter(apps::Column::ClaimedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    find(db, id).await?.ok_or(StoreError::NotFound)
}

/// The unclaimed application whose claim link has this token hash.
pub async fn by_claim_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<ApplicationRecord>, StoreError> {
    apps::Entity::find()
        .filter(apps::Column::ClaimTokenHash.eq(token_hash))
        .filter(apps::Column::ClaimedAt.is_null())
        .one(db)
        .await?
        .map(application)
        .transpose()
}

/// The client claims the application: `owner_id` becomes his account, the
/// link is spent. Only once, and only with the link's current token
/// (`VersionMismatch` otherwise).
pub async fn claim(
    db: &DatabaseConnection,
    id: Uuid,
    token_hash: &str,
    owner_id: Uuid,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, StoreError> {
    let done = apps::Entity::update_many()
        .col_expr(apps::Column::OwnerId, Expr::value(owner_id))
        .col_expr(apps::Column::ClaimedAt, Expr::value(now))
        .col_expr(
            apps::Column::ClaimTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(apps::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            apps::Column::Version,
            Expr::col(apps::Column::Version).add(1),
        )
        .filter(apps::Column::Id.eq(id))
        .filter(
            Condition::all()
                .add(apps::Column::ClaimTokenHash.eq(token_hash))
                .add(apps::Column::ClaimedAt.is_null()),
        )
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    find(db, id).await?.ok_or(StoreError::NotFound)
}
