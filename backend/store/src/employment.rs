//! Employers and the employment of engineers (docs/employers.md): the "I employ
//! cadastral engineers" switch, join requests, direct additions,
//! suspension and removal. An engineer has at most one *current*
//! employment (`requested`, `active` or `suspended`); the database enforces
//! it with a partial unique index.

use crate::entities::{employers, employments, users};
use crate::error::StoreError;
use crate::notifications;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_domain::notifications::Event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::collections::HashMap;
use uuid::Uuid;

pub use mezha_domain::employment::{Action, CURRENT, Status};

/// The column values of `statuses`.
fn names(statuses: &[Status]) -> impl Iterator<Item = &'static str> + '_ {
    statuses.iter().map(|s| s.as_str())
}

/// An employer's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRecord {
    pub user_id: Uuid,
    pub name: String,
    pub inn: String,
    pub enabled: bool,
    pub enabled_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An employment or join request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentRecord {
    pub id: Uuid,
    pub employer_id: Uuid,
    pub engineer_id: Uuid,
    pub status: Status,
    pub basis_date: Option<NaiveDate>,
    pub basis_name: Option<String>,
    pub basis_number: Option<String>,
    pub basis_file_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A new employment.
#[derive(Debug, Clone)]
pub struct NewEmployment {
    pub employer_id: Uuid,
    pub engineer_id: Uuid,
    /// `requested` (join request) or `active` (added by the employer).
    pub status: Status,
    pub basis_date: Option<NaiveDate>,
    pub basis_name: Option<String>,
    pub basis_number: Option<String>,
    pub basis_file_id: Option<Uuid>,
}

fn employer_record(m: employers::Model) -> EmployerRecord {
    EmployerRecord {
        user_id: m.user_id,
        name: m.name,
        inn: m.inn,
        enabled: m.enabled,
        enabled_at: m.enabled_at,
        updated_at: m.updated_at,
    }
}

fn record(m: employments::Model) -> EmploymentRecord {
    EmploymentRecord {
        id: m.id,
        employer_id: m.employer_id,
        engineer_id: m.engineer_id,
        // The schema admits only the five statuses; anything else would be
        // history, never a current employment.
        status: m.status.parse().unwrap_or(Status::Removed),
        basis_date: m.basis_date,
        basis_name: m.basis_name,
        basis_number: m.basis_number,
        basis_file_id: m.basis_file_id,
        created_at: m.created_at,
        decided_at: m.decided_at,
        updated_at: m.updated_at,
    }
}

/// The employer of an engineer: the other side of his active employment.
pub async fn employer_of(
    db: &DatabaseConnection,
    engineer_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    Ok(employments::Entity::find()
        .filter(employments::Column::EngineerId.eq(engineer_id))
        .filter(employments::Column::Status.eq(Status::Active.as_str()))
        .one(db)
        .await?
        .map(|e| e.employer_id))
}

/// The engineers actively employed by an employer, oldest employment first.
pub async fn employees_of(
    db: &DatabaseConnection,
    employer_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(employments::Entity::find()
        .filter(employments::Column::EmployerId.eq(employer_id))
        .filter(employments::Column::Status.eq(Status::Active.as_str()))
        .order_by_asc(employments::Column::CreatedAt)
        .order_by_asc(employments::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.engineer_id)
        .collect())
}

/// For each of `engineers` with an active employment: the employer's id,
/// name and INN.
pub async fn active_employers_of(
    db: &DatabaseConnection,
    engineers: &[Uuid],
) -> Result<HashMap<Uuid, (Uuid, String, String)>, StoreError> {
    if engineers.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = employments::Entity::find()
        .filter(employments::Column::EngineerId.is_in(engineers.iter().copied()))
        .filter(employments::Column::Status.eq(Status::Active.as_str()))
        .all(db)
        .await?;
    let employer_ids: Vec<Uuid> = rows.iter().map(|r| r.employer_id).collect();
    let names: HashMap<Uuid, employers::Model> = employers::Entity::find()
        .filter(employers::Column::UserId.is_in(employer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.user_id, e))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            names
                .get(&r.employer_id)
                .map(|e| (r.engineer_id, (e.user_id, e.name.clone(), e.inn.clone())))
        })
        .collect())
}

/// The engineer's current (requested, active or suspended) employment.
pub async fn current_of(
    db: &DatabaseConnection,
    engineer_id: Uuid,
) -> Result<Option<EmploymentRecord>, StoreError> {
    Ok(employments::Entity::find()
        .filter(employments::Column::EngineerId.eq(engineer_id))
        .filter(employments::Column::Status.is_in(names(&CURRENT)))
        .one(db)
        .await?
        .map(record))
}

/// An employment by id.
pub async fn get(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<EmploymentRecord>, StoreError> {
    Ok(employments::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record))
}

/// The current employment of `engineer_id` with `employer_id`.
pub async fn current_between(
    db: &DatabaseConnection,
    employer_id: Uuid,
    engineer_id: Uuid,
) -> Result<Option<EmploymentRecord>, StoreError> {
    Ok(current_of(db, engineer_id)
        .await?
        .filter(|e| e.employer_id == employer_id))
}

/// Records a new employment. [`StoreError::Duplicate`]`("employment")`
/// when the engineer already has a current one.
pub async fn create(
    db: &DatabaseConnection,
    new: NewEmployment,
    now: DateTime<Utc>,
) -> Result<EmploymentRecord, StoreError> {
    let decided = (new.status == Status::Active).then_some(now);
    let txn = crate::db::begin(db).await?;
    let model = employments::ActiveModel {
        id: Set(Uuid::now_v7()),
        employer_id: Set(new.employer_id),
        engineer_id: Set(new.engineer_id),
        status: Set(new.status.as_str().to_owned()),
        basis_date: Set(new.basis_date),
        basis_name: Set(new.basis_name),
        basis_number: Set(new.basis_number),
        basis_file_id: Set(new.basis_file_id),
        created_at: Set(now),
        decided_at: Set(decided),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(duplicate_employment)?;
    if new.status == Status::Requested {
        let event = Event::JoinRequestReceived {
            employment_id: model.id,
            engineer_name: notifications::user_name(&txn, model.engineer_id).await?,
        };
        notifications::emit(&txn, model.employer_id, &event, now).await?;
    }
    crate::idempotency::bind(&txn, model.id).await?;
    txn.commit().await?;
    Ok(record(model))
}

fn duplicate_employment(err: DbErr) -> StoreError {
    if let Some(SqlErr::UniqueConstraintViolation(_)) = err.sql_err() {
        return StoreError::Duplicate("employment");
    }
    StoreError::from(err)
}

/// Takes `action` on an employment: from one of its statuses to where it
/// leads (stamping `decided_at` on a decision). [`StoreError::VersionMismatch`]
/// when its status is not one the action starts from any more;
/// [`StoreError::NotFound`] when it does not exist.
pub async fn transition(
    db: &DatabaseConnection,
    id: Uuid,
    action: Action,
    now: DateTime<Utc>,
) -> Result<EmploymentRecord, StoreError> {
    let to = action.to();
    let mut update = employments::Entity::update_many()
        .col_expr(employments::Column::Status, Expr::value(to.as_str()))
        .col_expr(employments::Column::UpdatedAt, Expr::value(now))
        .filter(employments::Column::Id.eq(id))
        .filter(employments::Column::Status.is_in(names(action.from())));
    if action.decides() {
        update = update.col_expr(employments::Column::DecidedAt, Expr::value(now));
    }
    let txn = crate::db::begin(db).await?;
    let result = update.exec(&txn).await.map_err(duplicate_employment)?;
    let current = employments::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .map(record)
        .ok_or(StoreError::NotFound)?;
    if result.rows_affected == 0 {
        return Err(StoreError::VersionMismatch);
    }
    // A join request's outcome is announced to the engineer.
    if action.decides() {
        let employer_name = employers::Entity::find_by_id(current.employer_id)
            .one(&txn)
            .await?
            .map(|e| e.name);
        let event = Event::JoinRequestDecided {
            employment_id: current.id,
            employer_name,
            approved: to == Status::Active,
        };
        notifications::emit(&txn, current.engineer_id, &event, now).await?;
    }
    txn.commit().await?;
    Ok(current)
}

/// A page of an employer's employments, newest first; `statuses` empty
/// means every status. `after` is the last row of the previous page.
pub async fn list_for_employer(
    db: &DatabaseConnection,
    employer_id: Uuid,
    statuses: &[Status],
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<EmploymentRecord>, StoreError> {
    let mut query =
        employments::Entity::find().filter(employments::Column::EmployerId.eq(employer_id));
    if !statuses.is_empty() {
        query = query.filter(employments::Column::Status.is_in(names(statuses)));
    }
    if let Some((created_at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(employments::Column::CreatedAt.lt(created_at))
                .add(
                    Condition::all()
                        .add(employments::Column::CreatedAt.eq(created_at))
                        .add(employments::Column::Id.lt(id)),
                ),
        );
    }
    Ok(query
        .order_by_desc(employments::Column::CreatedAt)
        .order_by_desc(employments::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// Number of an employer's current employments (requested, active,
/// suspended).
pub async fn current_count(db: &DatabaseConnection, employer_id: Uuid) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(employments::Entity::find()
        .filter(employments::Column::EmployerId.eq(employer_id))
        .filter(employments::Column::Status.is_in(names(&CURRENT)))
        .count(db)
        .await?)
}

/// An account's employer settings, if it ever turned the switch on.
pub async fn employer(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Option<EmployerRecord>, StoreError> {
    Ok(employers::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(employer_record))
}

/// Saves an account's employer settings (`enabled_at` moves to `now` when
/// the switch turns on).
pub async fn save_employer(
    db: &DatabaseConnection,
    user_id: Uuid,
    name: String,
    inn: String,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<EmployerRecord, StoreError> {
    let current = employers::Entity::find_by_id(user_id).one(db).await?;
    let enabled_at = match &current {
        Some(c) if c.enabled || !enabled => c.enabled_at,
        _ => now,
    };
    let model = employers::ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        inn: Set(inn),
        enabled: Set(enabled),
        enabled_at: Set(enabled_at),
        updated_at: Set(now),
    };
    let saved = match current {
        None => model.insert(db).await?,
        Some(_) => model.update(db).await?,
    };
    Ok(employer_record(saved))
}

/// A page of enabled employers whose name contains `q` (case-insensitive,
/// Cyrillic included) or whose INN starts with it, by name then id.
/// `after` is the last row of the previous page.
///
/// The matching runs in Rust over the enabled employers (SQLite's `LOWER`
/// folds ASCII only); there are few employers compared with engineers.
pub async fn search_employers(
    db: &DatabaseConnection,
    q: Option<&str>,
    after: Option<(String, Uuid)>,
    limit: u64,
) -> Result<Vec<EmployerRecord>, StoreError> {
    let needle = q.map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let mut all: Vec<EmployerRecord> = employers::Entity::find()
        .filter(employers::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(employer_record)
        .filter(|e| {
            needle
                .as_deref()
                .is_none_or(|n| e.name.to_lowercase().contains(n) || e.inn.starts_with(n))
        })
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
    Ok(all
        .into_iter()
        .filter(|e| {
            after
                .as_ref()
                .is_none_or(|(name, id)| (&e.name, &e.user_id) > (name, id))
        })
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect())
}

/// Enabled employers by id.
pub async fn employers_by_id(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, EmployerRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(employers::Entity::find()
        .filter(employers::Column::UserId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.user_id, employer_record(e)))
        .collect())
}

/// When the account last logged in (`users.last_login_at`).
pub async fn last_login_at(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let value: Option<Option<DateTime<Utc>>> = users::Entity::find()
        .select_only()
        .column_as(
            Expr::col(sea_orm::sea_query::Alias::new("last_login_at")),
            "last_login_at",
        )
        .filter(users::Column::Id.eq(user_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(value.flatten())
}

/// Stamps `users.last_login_at`.
pub async fn record_login(
    db: &DatabaseConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    users::Entity::update_many()
        .col_expr(
            sea_orm::sea_query::Alias::new("last_login_at"),
            Expr::value(now),
        )
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
