//! Engineer profiles, requisites, the public engineer list and an
//! engineer's standing (SPEC §3).
//!
//! Requisites belong to any account (`requisites`, one row per account);
//! an engineer with an active employment uses his employer's. Whether a
//! profile is complete is computed on read, in Rust for one engineer
//! ([`standing`], [`profile_facts`]) and in SQL for the list ([`search`]),
//! from the same facts: full name, a region, a priced work type, contacts,
//! requisites.

use crate::entities::{
    employments, engineer_profiles, engineer_regions, engineer_work_types, orders, regions,
    requisites, user_roles, users,
};
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use mezha_domain::Role;
use mezha_domain::orders::eligibility::{EngineerStanding, ProfileFacts, missing_profile_fields};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Contacts as stored (JSON in `engineer_profiles.contacts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

impl ContactsRecord {
    /// Nothing is filled.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none() && self.other.is_none()
    }
}

/// Profile files as stored (JSON in `engineer_profiles.documents`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsRecord {
    #[serde(default)]
    pub diplomas: Vec<Uuid>,
    #[serde(default)]
    pub work_examples: Vec<Uuid>,
}

/// The editable part of an engineer's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileData {
    pub website: Option<String>,
    pub residence: Option<String>,
    pub contacts: ContactsRecord,
    pub experience_years: Option<i32>,
    pub working_hours: Option<String>,
    pub education: Option<String>,
    pub about: Option<String>,
    pub accept_offers: bool,
    pub documents: DocumentsRecord,
    /// Region codes, sorted, each once.
    pub regions: Vec<String>,
    /// `(work type code, price)`, each work type once.
    pub work_types: Vec<(String, Option<i64>)>,
}

/// A saved profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRecord {
    pub user_id: Uuid,
    pub data: ProfileData,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Bank details of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitesData {
    pub recipient: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub bank_name: String,
    pub bik: String,
    pub account: String,
    pub correspondent_account: String,
}

/// Saved bank details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitesRecord {
    pub user_id: Uuid,
    pub data: RequisitesData,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

fn decode<T: for<'de> Deserialize<'de> + Default>(text: Option<&str>) -> Result<T, StoreError> {
    match text {
        Some(text) => Ok(serde_json::from_str(text)?),
        None => Ok(T::default()),
    }
}

async fn regions_of<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<Vec<String>, StoreError> {
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

/// An engineer's standing for responding and receiving offers (SPEC §2):
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

// ---------------------------------------------------------------------------
// The public list.

/// Sort order of [`search`]; every sort is descending on an integer key,
/// then ascending on the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Rating × 100, engineers without a rating (key −1) last.
    Rating,
    /// Completed orders.
    CompletedOrders,
    /// Years of experience, unknown (key −1) last.
    Experience,
}

/// Filters, sort and page of [`search`].
#[derive(Debug, Clone)]
pub struct SearchFilter {
    /// Only this engineer (for a single card).
    pub id: Option<Uuid>,
    pub region_code: Option<String>,
    pub work_type: Option<String>,
    /// Rating × 100 at least this.
    pub rating_min_x100: Option<i64>,
    pub experience_min: Option<i64>,
    pub accepts_offers: Option<bool>,
    pub sort: Sort,
    /// Keyset: the last row of the previous page (sort key, id).
    pub after: Option<(i64, Uuid)>,
    pub limit: u64,
    /// Today, for the on-time figure.
    pub today: NaiveDate,
}

/// An engineer in the list, with the computed figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecord {
    pub id: Uuid,
    pub full_name: String,
    pub avatar_url: Option<String>,
    pub experience_years: Option<i32>,
    pub accept_offers: bool,
    /// Mean rating × 100, when rated.
    pub rating_x100: Option<i64>,
    pub reviews_count: i64,
    pub completed_orders: i64,
    pub successful_orders: i64,
    pub on_time_percent: Option<u8>,
    pub regions: Vec<String>,
    pub work_types: Vec<(String, Option<i64>)>,
    /// The employer (active employment): id, name, INN.
    pub employer: Option<(Uuid, String, String)>,
    /// The sort key of this row, for the next page's cursor.
    pub sort_key: i64,
}

fn p(col: impl sea_orm::sea_query::IntoIden) -> Expr {
    Expr::col((Alias::new("p"), col))
}

fn sub(sel: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(sel.into()))
}

/// `EXISTS (SELECT 1 FROM table WHERE table.user_col = p.user_id AND …)`.
fn exists_for_engineer(table: impl sea_orm::sea_query::IntoTableRef, cond: Expr) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(table)
            .and_where(cond)
            .to_owned(),
    )
}

/// Completed orders of the engineer `p.user_id`.
fn completed_orders_expr() -> Expr {
    sub(Query::select()
        .expr(Expr::col((orders::Entity, orders::Column::Id)).count())
        .from(orders::Entity)
        .and_where(
            Expr::col((orders::Entity, orders::Column::ExecutorId))
                .equals((Alias::new("p"), engineer_profiles::Column::UserId)),
        )
        .and_where(Expr::col((orders::Entity, orders::Column::Status)).eq("completed"))
        .to_owned())
}

/// Mean rating × 100 of the engineer `p.user_id`; −1 when unrated. The
/// platform stores no reviews yet (SPEC §2, rating on payment), so every
/// engineer is unrated for now.
fn rating_x100_expr() -> Expr {
    Expr::val(-1i64).cast_as("BIGINT")
}

/// Engineers listed publicly: engineer role, not blocked, profile
/// complete; then the filters.
fn listed_engineers(filter: &SearchFilter) -> SelectStatement {
    let user_id = || (Alias::new("p"), engineer_profiles::Column::UserId);
    let completed = completed_orders_expr();
    let sort_key = match filter.sort {
        Sort::Rating => rating_x100_expr(),
        Sort::CompletedOrders => completed.clone(),
        Sort::Experience => Expr::expr(Func::coalesce([
            p(engineer_profiles::Column::ExperienceYears),
            Expr::val(-1i64),
        ]))
        .cast_as("BIGINT"),
    };
    let active_employment = |extra: Option<Expr>| {
        let mut q = Query::select()
            .expr(Expr::val(1))
            .from(employments::Entity)
            .and_where(
                Expr::col((employments::Entity, employments::Column::EngineerId)).equals(user_id()),
            )
            .and_where(Expr::col((employments::Entity, employments::Column::Status)).eq("active"))
            .to_owned();
        if let Some(extra) = extra {
            q.and_where(extra);
        }
        q
    };
    let employer_has_requisites = Expr::exists(active_employment(Some(Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(requisites::Entity)
            .and_where(
                Expr::col((requisites::Entity, requisites::Column::UserId))
                    .equals((employments::Entity, employments::Column::EmployerId)),
            )
            .to_owned(),
    ))));
    let own_requisites = Expr::not_exists(active_employment(None)).and(exists_for_engineer(
        requisites::Entity,
        Expr::col((requisites::Entity, requisites::Column::UserId)).equals(user_id()),
    ));

    let mut q = Query::select();
    q.expr_as(p(engineer_profiles::Column::UserId), Alias::new("id"))
        .expr_as(
            Expr::col((users::Entity, users::Column::FullName)),
            Alias::new("full_name"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::AvatarUrl)),
            Alias::new("avatar_url"),
        )
        .expr_as(
            p(engineer_profiles::Column::ExperienceYears),
            Alias::new("experience_years"),
        )
        .expr_as(
            p(engineer_profiles::Column::AcceptOffers),
            Alias::new("accept_offers"),
        )
        .expr_as(completed, Alias::new("completed_orders"))
        .expr_as(rating_x100_expr(), Alias::new("rating_x100"))
        .expr_as(sort_key, Alias::new("sort_key"))
        .from_as(engineer_profiles::Entity, Alias::new("p"))
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id)).equals(user_id()),
        )
        .and_where(Expr::col((users::Entity, users::Column::BlockedAt)).is_null())
        .and_where(Expr::col((users::Entity, users::Column::FullName)).is_not_null())
        .and_where(exists_for_engineer(
            user_roles::Entity,
            Expr::col((user_roles::Entity, user_roles::Column::UserId))
                .equals(user_id())
                .and(
                    Expr::col((user_roles::Entity, user_roles::Column::Role))
                        .eq(Role::Engineer.as_str()),
                ),
        ))
        .and_where(exists_for_engineer(
            engineer_regions::Entity,
            Expr::col((engineer_regions::Entity, engineer_regions::Column::UserId))
                .equals(user_id()),
        ))
        .and_where(exists_for_engineer(
            engineer_work_types::Entity,
            Expr::col((
                engineer_work_types::Entity,
                engineer_work_types::Column::UserId,
            ))
            .equals(user_id())
            .and(
                Expr::col((
                    engineer_work_types::Entity,
                    engineer_work_types::Column::Price,
                ))
                .is_not_null(),
            ),
        ))
        .and_where(p(engineer_profiles::Column::Contacts).is_not_null())
        .and_where(employer_has_requisites.or(own_requisites));
    if let Some(id) = filter.id {
        q.and_where(p(engineer_profiles::Column::UserId).eq(id));
    }
    if let Some(region) = &filter.region_code {
        q.and_where(exists_for_engineer(
            engineer_regions::Entity,
            Expr::col((engineer_regions::Entity, engineer_regions::Column::UserId))
                .equals(user_id())
                .and(
                    Expr::col((
                        engineer_regions::Entity,
                        engineer_regions::Column::RegionCode,
                    ))
                    .eq(region.as_str()),
                ),
        ));
    }
    if let Some(work_type) = &filter.work_type {
        q.and_where(exists_for_engineer(
            engineer_work_types::Entity,
            Expr::col((
                engineer_work_types::Entity,
                engineer_work_types::Column::UserId,
            ))
            .equals(user_id())
            .and(
                Expr::col((
                    engineer_work_types::Entity,
                    engineer_work_types::Column::WorkType,
                ))
                .eq(work_type.as_str()),
            ),
        ));
    }
    if let Some(min) = filter.experience_min {
        q.and_where(p(engineer_profiles::Column::ExperienceYears).gte(min));
    }
    if let Some(accepts) = filter.accepts_offers {
        q.and_where(p(engineer_profiles::Column::AcceptOffers).eq(accepts));
    }
    if let Some(min) = filter.rating_min_x100 {
        q.and_where(rating_x100_expr().gte(min));
    }
    q
}

/// One page of publicly listed engineers, best first by `filter.sort`.
/// Returns up to `filter.limit` rows.
pub async fn search(
    db: &DatabaseConnection,
    filter: &SearchFilter,
) -> Result<Vec<CardRecord>, StoreError> {
    let t = || Alias::new("t");
    let mut q = Query::select();
    q.column(sea_orm::sea_query::Asterisk)
        .from_subquery(listed_engineers(filter), t());
    if let Some((key, id)) = filter.after {
        q.and_where(
            Expr::col((t(), Alias::new("sort_key")))
                .lt(key)
                .or(Expr::col((t(), Alias::new("sort_key")))
                    .eq(key)
                    .and(Expr::col((t(), Alias::new("id"))).gt(id))),
        );
    }
    q.order_by_expr(Expr::col((t(), Alias::new("sort_key"))), Order::Desc)
        .order_by_expr(Expr::col((t(), Alias::new("id"))), Order::Asc)
        .limit(filter.limit);
    let rows = db.query_all(&q).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for row in rows {
        let rating_x100: i64 = row.try_get("", "rating_x100")?;
        let completed: i64 = row.try_get("", "completed_orders")?;
        cards.push(CardRecord {
            id: row.try_get("", "id")?,
            full_name: row.try_get("", "full_name")?,
            avatar_url: row.try_get("", "avatar_url")?,
            experience_years: row.try_get("", "experience_years")?,
            accept_offers: row.try_get("", "accept_offers")?,
            rating_x100: (rating_x100 >= 0).then_some(rating_x100),
            reviews_count: 0,
            completed_orders: completed,
            successful_orders: completed,
            on_time_percent: None,
            regions: Vec::new(),
            work_types: Vec::new(),
            employer: None,
            sort_key: row.try_get("", "sort_key")?,
        });
    }
    fill_cards(db, &mut cards, filter.today).await?;
    Ok(cards)
}

/// Regions, work types, employer and the on-time figure of each card.
async fn fill_cards(
    db: &DatabaseConnection,
    cards: &mut [CardRecord],
    today: NaiveDate,
) -> Result<(), StoreError> {
    if cards.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = cards.iter().map(|c| c.id).collect();
    let mut regions: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in engineer_regions::Entity::find()
        .filter(engineer_regions::Column::UserId.is_in(ids.clone()))
        .order_by_asc(engineer_regions::Column::RegionCode)
        .all(db)
        .await?
    {
        regions.entry(r.user_id).or_default().push(r.region_code);
    }
    let mut work_types: HashMap<Uuid, Vec<(String, Option<i64>)>> = HashMap::new();
    for w in engineer_work_types::Entity::find()
        .filter(engineer_work_types::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        work_types
            .entry(w.user_id)
            .or_default()
            .push((w.work_type, w.price));
    }
    let employers = crate::employment::active_employers_of(db, &ids).await?;
    let mut working: HashMap<Uuid, (u64, u64)> = HashMap::new();
    let assigned: Vec<(Option<Uuid>, Option<NaiveDate>)> = orders::Entity::find()
        .select_only()
        .column(orders::Column::ExecutorId)
        .column(orders::Column::DueDate)
        .filter(orders::Column::ExecutorId.is_in(ids.clone()))
        .filter(
            orders::Column::Status.is_in(
                mezha_domain::orders::machine::ASSIGNED
                    .iter()
                    .map(|s| s.as_str()),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    for (executor, due) in assigned {
        let Some(executor) = executor else { continue };
        let entry = working.entry(executor).or_default();
        entry.0 += 1;
        if due.is_none_or(|d| d >= today) {
            entry.1 += 1;
        }
    }
    for card in cards.iter_mut() {
        card.regions = regions.remove(&card.id).unwrap_or_default();
        card.work_types = work_types.remove(&card.id).unwrap_or_default();
        card.employer = employers.get(&card.id).cloned();
        card.on_time_percent = working.get(&card.id).and_then(|(total, on_time)| {
            (*total > 0).then(|| u8::try_from(on_time * 100 / total).unwrap_or(100))
        });
    }
    Ok(())
}
