//! A contract version made from the template keeps its DOCX beside the PDF
//! (docs/contracts.md): rendered from the same text at the same moment, so
//! that both say the same; the signatures bind to the PDF.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    DocxFileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .add_column(ColumnDef::new(Contracts::DocxFileId).uuid().null())
                    .to_owned(),
            )
            .await
    }
}
