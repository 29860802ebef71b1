use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requisites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub recipient: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub bank_name: String,
    pub bik: String,
    pub account: String,
    pub correspondent_account: String,
    pub ogrn: Option<String>,
    pub legal_address: Option<String>,
    pub version: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
