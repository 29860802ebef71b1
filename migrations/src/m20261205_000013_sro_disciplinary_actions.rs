//! `sro_disciplinary_actions`: the disciplinary actions the SRO registry
//! lists for a member (date and text), in the registry's order
//! (`position` from 0), keyed by the member's SNILS in `sro_registry`. An
//! import that carries a member's actions replaces all of them
//! (docs/sro-registry.md); deleting the registry entry deletes them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SroRegistry {
    Table,
    Snils,
}

#[derive(DeriveIden)]
enum SroDisciplinaryActions {
    Table,
    Snils,
    Position,
    ActionDate,
    Text,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SroDisciplinaryActions as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Snils).string_len(11).not_null())
                    .col(ColumnDef::new(A::Position).integer().not_null())
                    .col(ColumnDef::new(A::ActionDate).date().not_null())
                    .col(ColumnDef::new(A::Text).text().not_null())
                    .primary_key(Index::create().col(A::Snils).col(A::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sro_disciplinary_actions_snils")
                            .from(A::Table, A::Snils)
                            .to(SroRegistry::Table, SroRegistry::Snils)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
