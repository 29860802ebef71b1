//! The registry side of deals (docs/deals.md, "Sending", "The state fee"):
//! the registry jobs mark their completion in `sent_at`, like the other
//! delivery queues, so that one queue definition serves them all; and the
//! counter of state-fee charges (`sequences.deal_fee_uin`), the serial
//! number of each fee's UIN.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DealRegistryJobs {
    Table,
    DoneAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Sequences {
    Table,
    Name,
    LastValue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DealRegistryJobs::Table)
                    .rename_column(DealRegistryJobs::DoneAt, DealRegistryJobs::SentAt)
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(Sequences::Table)
            .columns([Sequences::Name, Sequences::LastValue])
            .values([Expr::val("deal_fee_uin"), Expr::val(0_i64)])
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        manager.exec_stmt(insert).await
    }
}
