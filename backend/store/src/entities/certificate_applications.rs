use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub status: String,
    pub kind: String,
    pub full_name: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    pub passport_issued_by: Option<String>,
    pub passport_issued_on: Option<Date>,
    pub organisation_name: Option<String>,
    pub organisation_inn: Option<String>,
    pub position: Option<String>,
    pub purpose: Option<String>,
    pub passport_scan_id: Option<Uuid>,
    pub snils_scan_id: Option<Uuid>,
    pub form_scan_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reject_reasons: Option<String>,
    pub renewal_of: Option<Uuid>,
    pub certificate_id: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub agent_organisation_id: Option<Uuid>,
    pub agent_client_id: Option<Uuid>,
    pub filed_by: Option<Uuid>,
    pub claim_token_hash: Option<String>,
    pub claim_expires_at: Option<DateTimeUtc>,
    pub claimed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
