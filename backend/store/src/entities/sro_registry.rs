use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sro_registry")]
pub struct Model {
    /// 11 digits.
    #[sea_orm(primary_key, auto_increment = false)]
    pub snils: String,
    pub full_name: String,
    pub sro_name: String,
    pub registry_number: Option<String>,
    /// `active`, `suspended` or `excluded`.
    pub status: String,
    pub status_date: Option<Date>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
