use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_reminders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub certificate_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub days_before: i32,
    pub sent_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
