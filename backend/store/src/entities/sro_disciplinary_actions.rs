use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sro_disciplinary_actions")]
pub struct Model {
    /// 11 digits, the member in `sro_registry`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub snils: String,
    /// The action's place in the registry's list, from 0.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub action_date: Date,
    #[sea_orm(column_type = "Text")]
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
