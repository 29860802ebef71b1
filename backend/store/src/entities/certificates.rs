use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub application_id: Uuid,
    pub owner_id: Uuid,
    #[sea_orm(unique)]
    pub serial: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    pub der: Vec<u8>,
    pub not_before: DateTimeUtc,
    pub not_after: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revocation_reason: Option<String>,
    pub revocation_comment: Option<String>,
    pub revoked_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
