//! `Idempotency-Key` on anonymous requests (registration): a key's owner is
//! the caller's account, or for a request without one an owner id derived
//! from what the request is about, which names no account
//! (docs/API.md, "Idempotency"). The key table so loses its foreign key to
//! `users`: it is rebuilt without it, rows kept. A key lives a day
//! (`purge`), so nothing is left behind by an account that goes.
//!
//! Rebuilt rather than altered: SQLite cannot drop a constraint. In one
//! transaction on both back-ends: all or nothing, and on one connection
//! (SQLite parses `RENAME` against its connection's view of the schema,
//! which a `DROP` on another pooled connection leaves stale).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Scope,
    Key,
    RequestHash,
    Status,
    Response,
    CreatedAt,
    ResourceId,
}

#[derive(DeriveIden)]
enum IdempotencyKeysNext {
    Table,
}

const COLUMNS: [IdempotencyKeys; 8] = [
    IdempotencyKeys::UserId,
    IdempotencyKeys::Scope,
    IdempotencyKeys::Key,
    IdempotencyKeys::RequestHash,
    IdempotencyKeys::Status,
    IdempotencyKeys::Response,
    IdempotencyKeys::CreatedAt,
    IdempotencyKeys::ResourceId,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeysNext::Table)
                    .col(ColumnDef::new(IdempotencyKeys::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Scope)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Key)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Status)
                            .small_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Response).text().null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::ResourceId).uuid().null())
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::UserId)
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        let copy = Query::insert()
            .into_table(IdempotencyKeysNext::Table)
            .columns(COLUMNS)
            .select_from(
                Query::select()
                    .columns(COLUMNS)
                    .from(IdempotencyKeys::Table)
                    .to_owned(),
            )
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(copy).await?;
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table(IdempotencyKeysNext::Table, IdempotencyKeys::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_created")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}
