//! Acts of completed works (docs/acts.md). An act version is a two-party
//! signed document of its order like a contract version, so it lives in
//! the same table, told apart by `kind` (`contract` or `act`), numbered
//! per order and kind, with the amount and the completion day it states.
//! The order remembers the two closing facts that complete it together:
//! the act signed by both (`act_signed_at`) and the final payment
//! confirmed (`paid_at`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    OrderId,
    Kind,
    Number,
    AmountKopecks,
    CompletedOn,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    ActSignedAt,
    PaidAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            (
                Contracts::Table.into_iden(),
                ColumnDef::new(Contracts::Kind)
                    .string_len(16)
                    .not_null()
                    .default("contract")
                    .to_owned(),
            ),
            (
                Contracts::Table.into_iden(),
                ColumnDef::new(Contracts::AmountKopecks)
                    .big_integer()
                    .null()
                    .to_owned(),
            ),
            (
                Contracts::Table.into_iden(),
                ColumnDef::new(Contracts::CompletedOn)
                    .date()
                    .null()
                    .to_owned(),
            ),
            (
                Orders::Table.into_iden(),
                ColumnDef::new(Orders::ActSignedAt)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
            (
                Orders::Table.into_iden(),
                ColumnDef::new(Orders::PaidAt)
                    .timestamp_with_time_zone()
                    .null()
                    .to_owned(),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ux_contracts_order_number")
                    .table(Contracts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contracts_order_kind_number")
                    .table(Contracts::Table)
                    .col(Contracts::OrderId)
                    .col(Contracts::Kind)
                    .col(Contracts::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
