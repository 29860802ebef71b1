use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "powers_of_attorney")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub number: Uuid,
    pub internal_number: Option<String>,
    pub issued_on: Date,
    pub valid_until: Date,
    pub head_name: String,
    pub head_snils: Option<String>,
    pub head_inn: Option<String>,
    pub representative_name: String,
    pub representative_snils: Option<String>,
    pub representative_inn: Option<String>,
    pub powers: String,
    pub xml_file_id: Uuid,
    pub status: String,
    pub signature: Option<Vec<u8>>,
    pub signature_report: Option<String>,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoke_reason: Option<String>,
    pub revoked_by: Option<Uuid>,
    pub uploaded_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
