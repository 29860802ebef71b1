use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: i64,
    pub customer_id: Uuid,
    pub customer_type: String,
    pub status: String,
    pub suspended_from: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub work_types: i32,
    pub cadastral_numbers: String,
    pub region_code: Option<String>,
    pub address: Option<String>,
    pub address_search: Option<String>,
    pub deadline_date: Option<Date>,
    pub deadline_days: Option<i32>,
    pub due_date: Option<Date>,
    pub price: Option<i64>,
    pub prepayment_required: bool,
    pub prepayment_percent: Option<i16>,
    pub registration: String,
    pub executor_id: Option<Uuid>,
    pub responses_count: i32,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub act_signed_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
