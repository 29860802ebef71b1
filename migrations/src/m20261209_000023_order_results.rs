//! Deliveries of an order's results (docs/results.md): the way (physical,
//! files, link, storage UIN), its piece, the executor's note and the files
//! (ids, JSON). A rejected delivery stays; the next one is another row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrderResults {
    Table,
    Id,
    OrderId,
    Method,
    Link,
    Uin,
    FileIds,
    Note,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use OrderResults as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::OrderId).uuid().not_null())
                    .col(ColumnDef::new(R::Method).string_len(16).not_null())
                    .col(ColumnDef::new(R::Link).text().null())
                    .col(ColumnDef::new(R::Uin).string_len(64).null())
                    .col(ColumnDef::new(R::FileIds).text().not_null())
                    .col(ColumnDef::new(R::Note).text().null())
                    .col(
                        ColumnDef::new(R::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_results_order")
                            .from(R::Table, R::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_order_results_order")
                    .table(R::Table)
                    .col(R::OrderId)
                    .col(R::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}
