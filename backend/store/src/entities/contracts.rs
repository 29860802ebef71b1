use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub number: i32,
    pub status: String,
    pub source: String,
    pub terms: Option<String>,
    pub price_in_words: Option<String>,
    pub file_id: Uuid,
    pub extra_file_id: Option<Uuid>,
    pub declined_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub docx_file_id: Option<Uuid>,
    pub kind: String,
    pub amount_kopecks: Option<i64>,
    pub completed_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
