//! The development outbox: every e-mail and SMS the development providers
//! "send" is kept here and served at `GET /api/v1/dev/outbox`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    Channel,
    Recipient,
    Subject,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(
                        ColumnDef::new(OutboxMessages::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OutboxMessages::Channel)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxMessages::Recipient)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OutboxMessages::Subject)
                            .string_len(255)
                            .null(),
                    )
                    .col(ColumnDef::new(OutboxMessages::Body).text().not_null())
                    .col(
                        ColumnDef::new(OutboxMessages::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_messages_created")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::CreatedAt)
                    .col(OutboxMessages::Id)
                    .to_owned(),
            )
            .await
    }
}
