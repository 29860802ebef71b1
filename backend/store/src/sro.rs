//! The platform's copy of the SRO registry (`sro_registry`, keyed by the
//! 11 SNILS digits, with each member's disciplinary actions in
//! `sro_disciplinary_actions`), and looking accounts up by SNILS
//! (docs/sro-registry.md).

use crate::entities::{sro_disciplinary_actions as actions, sro_registry, users};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_domain::sro::{DisciplinaryAction, RegistryEntry, SroStatus, StoredEntry};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// SNILS looked up per query (bounded so the parameter list stays small).
const CHUNK: usize = 500;

fn status(text: &str) -> Result<SroStatus, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown SRO status {text:?}")))
}

fn stored(
    model: sro_registry::Model,
    disciplinary_actions: Vec<DisciplinaryAction>,
) -> Result<(String, StoredEntry), StoreError> {
    Ok((
        model.snils,
        StoredEntry {
            full_name: model.full_name,
            sro_name: model.sro_name,
            registry_number: model.registry_number,
            status: status(&model.status)?,
            status_date: model.status_date,
            disciplinary_actions,
        },
    ))
}

/// The disciplinary actions of these SNILS (at most [`CHUNK`]), keyed by
/// SNILS, each list in the registry's order.
async fn actions_of(
    db: &impl ConnectionTrait,
    snils: &[String],
) -> Result<HashMap<String, Vec<DisciplinaryAction>>, StoreError> {
    let mut out: HashMap<String, Vec<DisciplinaryAction>> = HashMap::new();
    for row in actions::Entity::find()
        .filter(actions::Column::Snils.is_in(snils.iter().cloned()))
        .order_by_asc(actions::Column::Snils)
        .order_by_asc(actions::Column::Position)
        .all(db)
        .await?
    {
        out.entry(row.snils).or_default().push(DisciplinaryAction {
            date: row.action_date,
            text: row.text,
        });
    }
    Ok(out)
}

/// The stored entries of these SNILS (11 digits each), keyed by SNILS.
pub async fn entries(
    db: &DatabaseConnection,
    snils: &[String],
) -> Result<HashMap<String, StoredEntry>, StoreError> {
    let mut out = HashMap::new();
    for chunk in snils.chunks(CHUNK) {
        let mut actions = actions_of(db, chunk).await?;
        for model in sro_registry::Entity::find()
            .filter(sro_registry::Column::Snils.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let list = actions.remove(&model.snils).unwrap_or_default();
            let (key, entry) = stored(model, list)?;
            out.insert(key, entry);
        }
    }
    Ok(out)
}

/// The stored entry of one SNILS, with its disciplinary actions.
pub async fn entry(
    db: &DatabaseConnection,
    snils: &str,
) -> Result<Option<StoredEntry>, StoreError> {
    let Some(model) = sro_registry::Entity::find_by_id(snils.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let list = actions_of(db, &[snils.to_owned()])
        .await?
        .remove(snils)
        .unwrap_or_default();
    Ok(Some(stored(model, list)?.1))
}

/// Writes new and changed entries (insert or replace by SNILS), in one
/// transaction. An entry that carries disciplinary actions replaces all
/// the stored actions of its SNILS; one that does not keeps them.
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
        let replaced: Vec<&RegistryEntry> = chunk
            .iter()
            .filter(|e| e.disciplinary_actions.is_some())
            .collect();
        if replaced.is_empty() {
            continue;
        }
        actions::Entity::delete_many()
            .filter(actions::Column::Snils.is_in(replaced.iter().map(|e| e.snils.digits())))
            .exec(&txn)
            .await?;
        let rows: Vec<actions::ActiveModel> = replaced
            .iter()
            .flat_map(|e| {
                let list = e.disciplinary_actions.as_deref().unwrap_or_default();
                list.iter()
                    .zip(0..)
                    .map(|(a, position)| actions::ActiveModel {
                        snils: Set(e.snils.digits().to_owned()),
                        position: Set(position),
                        action_date: Set(a.date),
                        text: Set(a.text.clone()),
                    })
            })
            .collect();
        // Bounded like the entries, so no statement's parameter list grows
        // past what SQLite and PostgreSQL take.
        for rows in rows.chunks(CHUNK) {
            actions::Entity::insert_many(rows.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
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
