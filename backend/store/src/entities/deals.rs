use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub number: i64,
    pub title: String,
    pub status: String,
    pub suspended_from: Option<String>,
    pub responsible_id: Uuid,
    pub cadastral_number: Option<String>,
    pub address: Option<String>,
    pub object_type: Option<String>,
    pub area: Option<String>,
    pub documents_bytes: i64,
    pub copied_from: Option<Uuid>,
    pub registry_package_id: Option<String>,
    pub fee_uin: Option<String>,
    pub fee_amount_kopecks: Option<i64>,
    pub fee_paid_at: Option<DateTimeUtc>,
    pub fee_paid_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
