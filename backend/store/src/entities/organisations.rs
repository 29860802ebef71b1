use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub address: String,
    pub head_name: String,
    pub head_position: String,
    pub head_id: Uuid,
    /// `unconfirmed` or `confirmed`.
    pub status: String,
    pub confirmed_at: Option<DateTimeUtc>,
    pub offer_edition: Option<String>,
    pub offer_sha256: Option<String>,
    pub offer_signature: Option<Vec<u8>>,
    /// The validation report of the offer signature (JSON).
    pub offer_report: Option<String>,
    pub auto_pay_state_fee: bool,
    pub notify_employees_by_email: bool,
    pub notify_employees_by_sms: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
