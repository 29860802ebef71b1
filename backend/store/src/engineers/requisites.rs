//! Bank details of accounts, and the ones an engineer's contracts use.

use super::{RequisitesData, RequisitesRecord};
use crate::entities::requisites;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

fn requisites_record(model: requisites::Model) -> RequisitesRecord {
    RequisitesRecord {
        user_id: model.user_id,
        data: RequisitesData {
            recipient: model.recipient,
            inn: model.inn,
            kpp: model.kpp,
            bank_name: model.bank_name,
            bik: model.bik,
            account: model.account,
            correspondent_account: model.correspondent_account,
            ogrn: model.ogrn,
            legal_address: model.legal_address,
        },
        version: model.version,
        updated_at: model.updated_at,
    }
}

/// The account's own requisites.
pub async fn requisites_of(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Option<RequisitesRecord>, StoreError> {
    Ok(requisites::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(requisites_record))
}

/// The requisites that go into an engineer's contracts: his employer's
/// when he has an active employment (with the employer's id), else his
/// own.
pub async fn effective_requisites(
    db: &DatabaseConnection,
    engineer_id: Uuid,
) -> Result<(Option<Uuid>, Option<RequisitesRecord>), StoreError> {
    match crate::employment::employer_of(db, engineer_id).await? {
        Some(employer) => Ok((Some(employer), requisites_of(db, employer).await?)),
        None => Ok((None, requisites_of(db, engineer_id).await?)),
    }
}

/// Saves the account's own requisites when their version is
/// `expected_version` (`0`: none saved; `None`: unconditionally).
pub async fn save_requisites(
    db: &DatabaseConnection,
    user_id: Uuid,
    expected_version: Option<i64>,
    data: RequisitesData,
    now: DateTime<Utc>,
) -> Result<RequisitesRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let current = requisites::Entity::find_by_id(user_id).one(&txn).await?;
    let current_version = current.as_ref().map_or(0, |m| m.version);
    if expected_version.is_some_and(|v| v != current_version) {
        return Err(StoreError::VersionMismatch);
    }
    let model = requisites::ActiveModel {
        user_id: Set(user_id),
        recipient: Set(data.recipient),
        inn: Set(data.inn),
        kpp: Set(data.kpp),
        bank_name: Set(data.bank_name),
        bik: Set(data.bik),
        account: Set(data.account),
        correspondent_account: Set(data.correspondent_account),
        ogrn: Set(data.ogrn),
        legal_address: Set(data.legal_address),
        version: Set(current_version + 1),
        updated_at: Set(now),
    };
    let saved = match current {
        None => model.insert(&txn).await?,
        Some(_) => {
            let result = requisites::Entity::update_many()
                .set(model)
                .filter(requisites::Column::UserId.eq(user_id))
                .filter(requisites::Column::Version.eq(current_version))
                .exec(&txn)
                .await?;
            if result.rows_affected == 0 {
                return Err(StoreError::VersionMismatch);
            }
            requisites::Entity::find_by_id(user_id)
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound)?
        }
    };
    txn.commit().await?;
    Ok(requisites_record(saved))
}
