use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub full_name: String,
    /// The name in lower case, for the search.
    pub search_name: String,
    pub birth_date: Option<Date>,
    pub birth_place: Option<String>,
    pub passport_series: Option<String>,
    pub passport_number: Option<String>,
    /// The digits of series and number, for the search.
    pub passport_digits: Option<String>,
    pub passport_issued_on: Option<Date>,
    pub passport_issuer_code: Option<String>,
    pub passport_issuer: Option<String>,
    pub snils: Option<String>,
    /// The SNILS's digits, for the search.
    pub snils_digits: Option<String>,
    pub inn: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
