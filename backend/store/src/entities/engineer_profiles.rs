use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engineer_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub website: Option<String>,
    pub residence: Option<String>,
    /// JSON `{"phone","email","other"}`; `NULL` when all are empty.
    #[sea_orm(column_type = "Text", nullable)]
    pub contacts: Option<String>,
    pub experience_years: Option<i32>,
    pub working_hours: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub education: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub about: Option<String>,
    pub accept_offers: bool,
    /// JSON `{"diplomas": [uuid], "work_examples": [uuid]}`.
    #[sea_orm(column_type = "Text", nullable)]
    pub documents: Option<String>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
