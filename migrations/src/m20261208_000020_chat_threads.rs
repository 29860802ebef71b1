//! The order chat becomes threads (docs/chat.md, "Threads"): one per
//! engineer, between the customer and that engineer — the executor's, and
//! before him one with each engineer the order is offered to. A message
//! and a reader's mark name their thread's engineer (`engineer_id`).
//!
//! Until now a chat existed only with an executor, and an order's executor
//! never changes once chosen, so every message kept so far belongs to the
//! executor's thread, and so does every read mark. (`COALESCE` with the
//! author only guards the impossible case of a message on an order without
//! one: the copy never fails on it.)
//!
//! Both tables are rebuilt rather than altered: SQLite can neither make a
//! new column `NOT NULL` nor change a primary key. In one transaction on
//! both back-ends, as migration 000016 explains.

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
    EngineerId,
    AuthorId,
    Body,
    FileId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChatMessagesNext {
    Table,
}

#[derive(DeriveIden)]
enum ChatReads {
    Table,
    OrderId,
    EngineerId,
    UserId,
    LastReadId,
    ReadAt,
}

#[derive(DeriveIden)]
enum ChatReadsNext {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ChatMessages as M;
        manager
            .create_table(
                Table::create()
                    .table(ChatMessagesNext::Table)
                    .col(ColumnDef::new(M::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(M::OrderId).uuid().not_null())
                    .col(ColumnDef::new(M::EngineerId).uuid().not_null())
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
                            .from(ChatMessagesNext::Table, M::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_engineer")
                            .from(ChatMessagesNext::Table, M::EngineerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_author")
                            .from(ChatMessagesNext::Table, M::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_messages_file")
                            .from(ChatMessagesNext::Table, M::FileId)
                            .to(Files::Table, Files::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO chat_messages_next \
               (id, order_id, engineer_id, author_id, body, file_id, created_at) \
             SELECT m.id, m.order_id, COALESCE(o.executor_id, m.author_id), \
                    m.author_id, m.body, m.file_id, m.created_at \
             FROM chat_messages m JOIN orders o ON o.id = m.order_id",
        )
        .await?;
        manager
            .drop_table(Table::drop().table(M::Table).to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table(ChatMessagesNext::Table, M::Table)
                    .to_owned(),
            )
            .await?;
        // A thread's pages, newest first; and the chats a file was sent in.
        manager
            .create_index(
                Index::create()
                    .name("idx_chat_messages_thread")
                    .table(M::Table)
                    .col(M::OrderId)
                    .col(M::EngineerId)
                    .col(M::Id)
                    .to_owned(),
            )
            .await?;
        // An engineer's threads (his live stream, his counters).
        manager
            .create_index(
                Index::create()
                    .name("idx_chat_messages_engineer")
                    .table(M::Table)
                    .col(M::EngineerId)
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
                    .table(ChatReadsNext::Table)
                    .col(ColumnDef::new(R::OrderId).uuid().not_null())
                    .col(ColumnDef::new(R::EngineerId).uuid().not_null())
                    .col(ColumnDef::new(R::UserId).uuid().not_null())
                    .col(ColumnDef::new(R::LastReadId).uuid().not_null())
                    .col(
                        ColumnDef::new(R::ReadAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(R::OrderId)
                            .col(R::EngineerId)
                            .col(R::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_reads_order")
                            .from(ChatReadsNext::Table, R::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_chat_reads_user")
                            .from(ChatReadsNext::Table, R::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "INSERT INTO chat_reads_next \
               (order_id, engineer_id, user_id, last_read_id, read_at) \
             SELECT r.order_id, o.executor_id, r.user_id, r.last_read_id, r.read_at \
             FROM chat_reads r JOIN orders o ON o.id = r.order_id \
             WHERE o.executor_id IS NOT NULL",
        )
        .await?;
        manager
            .drop_table(Table::drop().table(R::Table).to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table(ChatReadsNext::Table, R::Table)
                    .to_owned(),
            )
            .await
    }
}
