//! Reminders of orders (docs/reminders.md): one row per reminder sent, so
//! that restarts and several replicas never send one twice. A reminder is
//! keyed by what it is about (`subject_id`: a contract or act version, an
//! invoice, the order), what it reminds of (`what`), whom, and its number
//! (`sequence`: the n-th reminder of the same step).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderReminders {
    Table,
    SubjectId,
    What,
    RecipientId,
    Sequence,
    OrderId,
    SentAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use OrderReminders as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::SubjectId).uuid().not_null())
                    .col(ColumnDef::new(R::What).string_len(32).not_null())
                    .col(ColumnDef::new(R::RecipientId).uuid().not_null())
                    .col(ColumnDef::new(R::Sequence).integer().not_null())
                    .col(ColumnDef::new(R::OrderId).uuid().not_null())
                    .col(
                        ColumnDef::new(R::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(R::SubjectId)
                            .col(R::What)
                            .col(R::RecipientId)
                            .col(R::Sequence),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_reminders_order")
                            .from(R::Table, R::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
