//! The order chat (docs/chat.md): messages (text, or a file) between the
//! customer and the executor, and how far each participant has read — the
//! truth the unread chat counters are rebuilt from.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChatMessages {
    Table,
    Id,
    OrderId,
    AuthorId,
    Body,
    FileId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChatReads {
    Table,
    OrderId,
    UserId,
    LastReadId,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ChatMessages as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    // UUIDv7: the order of the chat and the cursor of its pages.
                    .col(ColumnDef::new(M::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(M::OrderId).uuid().not_null())
                    .col(ColumnDef::new(M::AuthorId).uuid().not_null())
                    .col(ColumnDef::new(M::Body).text().null())
                    .col(ColumnDef::new(M::FileId).uuid().null())
                    .col(
                        ColumnDef::new(M::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_order")
                            .from(M::Table, M::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_author")
                            .from(M::Table, M::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_file")
                            .from(M::Table, M::FileId)
                            .to(Files::Table, Files::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_chat_messages_order")
                    .table(M::Table)
                    .col(M::OrderId)
                    .col(M::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_chat_messages_file")
                    .table(M::Table)
                    .col(M::FileId)
                    .to_owned(),
            )
            .await?;
        use ChatReads as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::OrderId).uuid().not_null())
                    .col(ColumnDef::new(R::UserId).uuid().not_null())
                    .col(ColumnDef::new(R::LastReadId).uuid().not_null())
                    .col(
                        ColumnDef::new(R::ReadAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(R::OrderId).col(R::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_reads_order")
                            .from(R::Table, R::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_reads_user")
                            .from(R::Table, R::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
