//! The platform's copy of the SRO registry (`sro_registry`, keyed by the
//! 11 SNILS digits), and looking accounts up by SNILS.

use crate::entities::{sro_registry, users};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_domain::sro::{RegistryEntry, SroStatus, StoredEntry};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// SNILS looked up per query (bounded so the parameter list stays small).
const CHUNK: usize = 500;

fn status(text: &str) -> Result<SroStatus, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown SRO status {text:?}")))
}

fn stored(model: sro_registry::Model) -> Result<(String, StoredEntry), StoreError> {
    Ok((
        model.snils,
        StoredEntry {
            full_name: model.full_name,
            sro_name: model.sro_name,
            registry_number: model.registry_number,
            status: status(&model.status)?,
            status_date: model.status_date,
        },
    ))
}

/// The stored entries of these SNILS (11 digits each), keyed by SNILS.
pub async fn entries(
    db: &DatabaseConnection,
    snils: &[String],
) -> Result<HashMap<String, StoredEntry>, StoreError> {
    let mut out = HashMap::new();
    for chunk in snils.chunks(CHUNK) {
        for model in sro_registry::Entity::find()
            .filter(sro_registry::Column::Snils.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let (key, entry) = stored(model)?;
            out.insert(key, entry);
        }
    }
    Ok(out)
}

/// The stored entry of one SNILS.
pub async fn entry(
    db: &DatabaseConnection,
    snils: &str,
) -> Result<Option<StoredEntry>, StoreError> {
    match sro_registry::Entity::find_by_id(snils.to_owned())
        .one(db)
        .await?
    {
        Some(model) => Ok(Some(stored(model)?.1)),
        None => Ok(None),
    }
}

/// Writes new and changed entries (insert or replace by SNILS), in one
/// transaction.
pub async fn upsert(
    db: &DatabaseConnection,
    entries: &[RegistryEntry],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let txn = crate::db::begin(db).await?;
    for chunk in entries.chunks(CHUNK) {
        sro_registry::Entity::insert_many(chunk.iter().map(|e| sro_registry::ActiveModel {
            snils: Set(e.snils.digits().to_owned()),
            full_name: Set(e.full_name.clone()),
            sro_name: Set(e.sro_name.clone()),
            registry_number: Set(e.registry_number.clone()),
            status: Set(e.status.as_str().to_owned()),
            status_date: Set(e.status_date),
            updated_at: Set(now),
        }))
        .on_conflict(
            OnConflict::column(sro_registry::Column::Snils)
                .update_columns([
                    sro_registry::Column::FullName,
                    sro_registry::Column::SroName,
                    sro_registry::Column::RegistryNumber,
                    sro_registry::Column::Status,
                    sro_registry::Column::StatusDate,
                    sro_registry::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Accounts whose SNILS is one of these (11 digits each), with their SNILS.
pub async fn users_by_snils(
    db: &DatabaseConnection,
    snils: &[String],
) -> Result<Vec<(Uuid, String)>, StoreError> {
    let mut out = Vec::new();
    for chunk in snils.chunks(CHUNK) {
        let rows: Vec<(Uuid, Option<String>)> = users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .column(users::Column::Snils)
            .filter(users::Column::Snils.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().filter_map(|(id, s)| s.map(|s| (id, s))));
    }
    Ok(out)
}
