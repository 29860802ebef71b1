use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub email_confirmed_at: Option<DateTimeUtc>,
    pub password_hash: Option<String>,
    pub full_name: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    /// The current photo's version (`mezha_app::avatars`): its files are
    /// `files/avatars/<version>-<side>.jpg`.
    pub avatar_id: Option<Uuid>,
    pub blocked_at: Option<DateTimeUtc>,
    pub blocked_reason: Option<String>,
    pub blocked_by: Option<Uuid>,
    /// When `phone` was confirmed by an SMS code (null: never).
    pub phone_confirmed_at: Option<DateTimeUtc>,
    /// Logins ask for an SMS code after the password or certificate.
    pub second_factor_sms: bool,
    /// `full_name` lower-cased (Unicode) for the moderators' search.
    pub name_search: Option<String>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
