//! An `Idempotency-Key` remembers the resource its request created, written
//! in the transaction that creates it (`resource_id`). A request that
//! crashed after its work committed but before its answer was stored is so
//! still known to have created that resource: a retry answers with it
//! instead of creating a second one; a key whose request never committed
//! and has been in progress longer than a request can take is taken over
//! (docs/API.md, "Idempotency").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    ResourceId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IdempotencyKeys::Table)
                    .add_column(ColumnDef::new(IdempotencyKeys::ResourceId).uuid().null())
                    .to_owned(),
            )
            .await
    }
}
