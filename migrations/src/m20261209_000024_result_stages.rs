//! A delivery of results belongs to a stage (docs/results.md): the results
//! themselves, or the registration outcome the engineer sends once he has
//! registered the works (ГКУ, ГРП). Every delivery kept so far is of the
//! results.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderResults {
    Table,
    Stage,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrderResults::Table)
                    .add_column(
                        ColumnDef::new(OrderResults::Stage)
                            .string_len(24)
                            .not_null()
                            .default("results"),
                    )
                    .to_owned(),
            )
            .await
    }
}
