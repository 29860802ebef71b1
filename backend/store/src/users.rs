//! Accounts and their roles.

use crate::entities::{user_roles, users};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use mezha_domain::Role;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

/// An account as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: Uuid,
    pub email: String,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub password_hash: Option<String>,
    pub full_name: Option<String>,
    /// SNILS as 11 digits.
    pub snils: Option<String>,
    pub inn: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    /// The current photo's version, if any (`mezha_app::avatars`).
    pub avatar_id: Option<Uuid>,
    pub blocked_at: Option<DateTime<Utc>>,
    /// The moderator's reason, while blocked.
    pub blocked_reason: Option<String>,
    /// The moderator who blocked the account, while blocked.
    pub blocked_by: Option<Uuid>,
    /// When `phone` was confirmed by an SMS code (`None`: never).
    pub phone_confirmed_at: Option<DateTime<Utc>>,
    /// Logins ask for an SMS code after the password or certificate.
    pub second_factor_sms: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Held roles in [`Role::ALL`] order.
    pub roles: Vec<Role>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: Option<String>,
    pub full_name: Option<String>,
    pub email_confirmed: bool,
    pub roles: Vec<Role>,
}

/// Profile fields to change: `None` keeps, `Some(None)` clears, `Some(Some(v))` sets.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub full_name: Option<Option<String>>,
    pub snils: Option<Option<String>>,
    pub inn: Option<Option<String>>,
    /// A number confirmed now by an SMS code, or none: without a number
    /// there is no second factor either.
    pub phone: Option<Option<String>>,
    /// A new photo version, or `Some(None)` to remove the photo.
    pub avatar_id: Option<Option<Uuid>>,
    /// The SMS second factor on or off.
    pub second_factor_sms: Option<bool>,
    /// A new e-mail address; it becomes unconfirmed.
    pub email: Option<String>,
}

impl ProfileChanges {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.full_name.is_none()
            && self.snils.is_none()
            && self.inn.is_none()
            && self.phone.is_none()
            && self.avatar_id.is_none()
            && self.second_factor_sms.is_none()
            && self.email.is_none()
    }
}

fn record(model: users::Model, roles: Vec<Role>) -> UserRecord {
    UserRecord {
        id: model.id,
        email: model.email,
        email_confirmed_at: model.email_confirmed_at,
        password_hash: model.password_hash,
        full_name: model.full_name,
        snils: model.snils,
        inn: model.inn,
        phone: model.phone,
        avatar_id: model.avatar_id,
        blocked_at: model.blocked_at,
        blocked_reason: model.blocked_reason,
        blocked_by: model.blocked_by,
        phone_confirmed_at: model.phone_confirmed_at,
        second_factor_sms: model.second_factor_sms,
        version: model.version,
        created_at: model.created_at,
        updated_at: model.updated_at,
        roles,
    }
}

async fn roles_of<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<Vec<Role>, StoreError> {
    let rows = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut roles = rows
        .into_iter()
        .map(|row| {
            row.role
                .parse::<Role>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    Ok(roles)
}

async fn load<C: ConnectionTrait>(
    db: &C,
    model: Option<users::Model>,
) -> Result<Option<UserRecord>, StoreError> {
    match model {
        Some(model) => {
            let roles = roles_of(db, model.id).await?;
            Ok(Some(record(model, roles)))
        }
        None => Ok(None),
    }
}

/// Creates an account with its roles, in one transaction.
pub async fn create(
    db: &DatabaseConnection,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<UserRecord, StoreError> {
    let txn = crate::db::begin(db).await?;
    let id = Uuid::now_v7();
    let model = users::ActiveModel {
        id: Set(id),
        email: Set(new.email),
        email_confirmed_at: Set(new.email_confirmed.then_some(now)),
        password_hash: Set(new.password_hash),
        name_search: Set(new.full_name.as_deref().map(str::to_lowercase)),
        full_name: Set(new.full_name),
        snils: Set(None),
        inn: Set(None),
        phone: Set(None),
        avatar_id: Set(None),
        blocked_at: Set(None),
        blocked_reason: Set(None),
        blocked_by: Set(None),
        phone_confirmed_at: Set(None),
        second_factor_sms: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    for role in &new.roles {
        insert_role(&txn, id, *role, now).await?;
    }
    crate::idempotency::bind(&txn, id).await?;
    txn.commit().await?;
    let mut roles = new.roles;
    roles.sort();
    roles.dedup();
    Ok(record(model, roles))
}

async fn insert_role<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    user_roles::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        granted_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Grants a role; granting a held role changes nothing.
pub async fn grant_role(
    db: &DatabaseConnection,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if roles_of(db, user_id).await?.contains(&role) {
        return Ok(());
    }
    insert_role(db, user_id, role, now).await
}

/// The account with this id.
pub async fn find_by_id(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<UserRecord>, StoreError> {
    let model = users::Entity::find_by_id(id).one(db).await?;
    load(db, model).await
}

/// The full names (when given) of these accounts, by id; unknown ids are
/// left out. One query.
pub async fn names<C: sea_orm::ConnectionTrait>(
    db: &C,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, Option<String>>, StoreError> {
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect())
}

/// The account with this (normalised) e-mail address.
pub async fn find_by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<UserRecord>, StoreError> {
    let model = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    load(db, model).await
}

/// The accounts (at most `limit`) with this SNILS (11 digits).
pub async fn find_by_snils(
    db: &DatabaseConnection,
    snils: &str,
    limit: u64,
) -> Result<Vec<UserRecord>, StoreError> {
    let models = users::Entity::find()
        .filter(users::Column::Snils.eq(snils))
        .order_by_asc(users::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut found = Vec::with_capacity(models.len());
    for model in models {
        if let Some(user) = load(db, Some(model)).await? {
            found.push(user);
        }
    }
    Ok(found)
}

/// The account with this E.164 phone number.
pub async fn find_by_phone(
    db: &DatabaseConnection,
    phone: &str,
) -> Result<Option<UserRecord>, StoreError> {
    let model = users::Entity::find()
        .filter(users::Column::Phone.eq(phone))
        .order_by_asc(users::Column::CreatedAt)
        .one(db)
        .await?;
    load(db, model).await
}

/// Marks the e-mail address confirmed.
pub async fn confirm_email(
    db: &DatabaseConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<UserRecord, StoreError> {
    users::Entity::update_many()
        .col_expr(users::Column::EmailConfirmedAt, Expr::value(now))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            users::Column::Version,
            Expr::col(users::Column::Version).add(1),
        )
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    find_by_id(db, id).await?.ok_or(StoreError::NotFound)
}

/// Replaces the password hash.
pub async fn set_password(
    db: &DatabaseConnection,
    id: Uuid,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let result = users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Applies profile changes when the stored version equals `expected_version`
/// (or unconditionally when it is `None`), bumping the version.
pub async fn update_profile(
    db: &DatabaseConnection,
    id: Uuid,
    expected_version: Option<i64>,
    changes: ProfileChanges,
    now: DateTime<Utc>,
) -> Result<UserRecord, StoreError> {
    let mut update = users::Entity::update_many()
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            users::Column::Version,
            Expr::col(users::Column::Version).add(1),
        )
        .filter(users::Column::Id.eq(id));
    if let Some(version) = expected_version {
        update = update.filter(users::Column::Version.eq(version));
    }
    if let Some(v) = changes.full_name {
        let search = v.as_deref().map(str::to_lowercase);
        update = update
            .col_expr(users::Column::FullName, Expr::value(v))
            .col_expr(users::Column::NameSearch, Expr::value(search));
    }
    if let Some(v) = changes.snils {
        update = update.col_expr(users::Column::Snils, Expr::value(v));
    }
    if let Some(v) = changes.inn {
        update = update.col_expr(users::Column::Inn, Expr::value(v));
    }
    // Without a number there is no second factor (each column is set once:
    // PostgreSQL refuses a column assigned twice).
    let mut second_factor = changes.second_factor_sms;
    if let Some(v) = changes.phone {
        let confirmed = v.is_some().then_some(now);
        if v.is_none() {
            second_factor = Some(false);
        }
        update = update
            .col_expr(users::Column::Phone, Expr::value(v))
            .col_expr(users::Column::PhoneConfirmedAt, Expr::value(confirmed));
    }
    if let Some(v) = second_factor {
        update = update.col_expr(users::Column::SecondFactorSms, Expr::value(v));
    }
    if let Some(v) = changes.avatar_id {
        update = update.col_expr(users::Column::AvatarId, Expr::value(v));
    }
    if let Some(v) = changes.email {
        update = update
            .col_expr(users::Column::Email, Expr::value(v))
            .col_expr(
                users::Column::EmailConfirmedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    let result = update.exec(db).await?;
    if result.rows_affected == 0 {
        return match find_by_id(db, id).await? {
            Some(_) => Err(StoreError::VersionMismatch),
            None => Err(StoreError::NotFound),
        };
    }
    find_by_id(db, id).await?.ok_or(StoreError::NotFound)
}

/// A block: when, why and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    pub by: Uuid,
}

/// Blocks (`Some(block)`) or unblocks (`None`) an account.
pub async fn set_blocked(
    db: &DatabaseConnection,
    id: Uuid,
    block: Option<Block>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = crate::db::begin(db).await?;
    let blocked = block.is_some();
    let (at, reason, by) = match block {
        Some(b) => (Some(b.at), b.reason, Some(b.by)),
        None => (None, None, None),
    };
    let result = users::Entity::update_many()
        .col_expr(users::Column::BlockedAt, Expr::value(at))
        .col_expr(users::Column::BlockedReason, Expr::value(reason))
        .col_expr(users::Column::BlockedBy, Expr::value(by))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            users::Column::Version,
            Expr::col(users::Column::Version).add(1),
        )
        .filter(users::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    if blocked {
        let event = mezha_domain::notifications::Event::EngineerBlocked { user_id: id };
        crate::notifications::emit(&txn, id, &event, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What the moderators' list is filtered by.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Text in the e-mail address or the full name (any case), or digits of
    /// a SNILS, an INN or a phone number.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub blocked: Option<bool>,
}

/// Accounts, newest first, a page after `after` (`created_at`, id).
pub async fn list(
    db: &DatabaseConnection,
    filter: &UserFilter,
    limit: u64,
    after: Option<(DateTime<Utc>, Uuid)>,
) -> Result<(Vec<UserRecord>, bool), StoreError> {
    use crate::orders::like_pattern;
    use sea_orm::Condition;
    let mut query = users::Entity::find();
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let only_digits = !digits.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
        let lower = text.to_lowercase();
        let mut cond = Condition::any()
            .add(users::Column::Email.like(like_pattern(&lower)))
            .add(users::Column::NameSearch.like(like_pattern(&lower)));
        if only_digits {
            cond = cond
                .add(users::Column::Snils.eq(digits.as_str()))
                .add(users::Column::Inn.eq(digits.as_str()))
                .add(users::Column::Phone.like(like_pattern(&digits)));
        }
        query = query.filter(cond);
    }
    if let Some(role) = filter.role {
        let holders = user_roles::Entity::find()
            .select_only()
            .column(user_roles::Column::UserId)
            .filter(user_roles::Column::Role.eq(role.as_str()))
            .into_query();
        query = query.filter(users::Column::Id.in_subquery(holders));
    }
    match filter.blocked {
        Some(true) => query = query.filter(users::Column::BlockedAt.is_not_null()),
        Some(false) => query = query.filter(users::Column::BlockedAt.is_null()),
        None => {}
    }
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any().add(users::Column::CreatedAt.lt(at)).add(
                Condition::all()
                    .add(users::Column::CreatedAt.eq(at))
                    .add(users::Column::Id.lt(id)),
            ),
        );
    }
    let mut rows = query
        .order_by_desc(users::Column::CreatedAt)
        .order_by_desc(users::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    // The page's roles in one query.
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut roles: std::collections::HashMap<Uuid, Vec<Role>> = std::collections::HashMap::new();
    for row in user_roles::Entity::find()
        .filter(user_roles::Column::UserId.is_in(ids))
        .all(db)
        .await?
    {
        let role = row
            .role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        roles.entry(row.user_id).or_default().push(role);
    }
    let out = rows
        .into_iter()
        .map(|model| {
            let mut held = roles.remove(&model.id).unwrap_or_default();
            held.sort();
            record(model, held)
        })
        .collect();
    Ok((out, more))
}
