use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_signatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub deal_id: Uuid,
    pub document_id: Uuid,
    pub signer: String,
    pub participant_id: Option<Uuid>,
    pub signer_name: Option<String>,
    pub signature: Vec<u8>,
    pub sha256: String,
    pub report: String,
    pub power_of_attorney_id: Option<Uuid>,
    pub added_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
