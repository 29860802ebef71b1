//! One cursor per user over everything his live-event stream carries
//! (notifications and chat messages): the newest id handed to him. Taken
//! under the lock of his `users` row, every new notification or chat
//! message he will see gets an id above it, so ids follow commit order per
//! user across both kinds and a stream resuming after one id
//! (`Last-Event-ID`) misses nothing committed later.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LiveEventCursors {
    Table,
    UserId,
    LastId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use LiveEventCursors as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::UserId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::LastId).uuid().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_live_event_cursors_user")
                            .from(C::Table, C::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
