//! Invoices of an order (docs/payments.md): the prepayment and the final
//! invoice, each a link or a stored file, the customer's receipt (a link or
//! a file) and the engineer's confirmation. One invoice of each kind per
//! order (`ux_invoices_order_kind`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    OrderId,
    Kind,
    Status,
    AmountKopecks,
    Link,
    FileId,
    ReceiptLink,
    ReceiptFileId,
    CreatedAt,
    PaidAt,
    ConfirmedAt,
}

fn fk(
    name: &str,
    column: Invoices,
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(Invoices::Table, column)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Invoices as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(ColumnDef::new(I::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(I::OrderId).uuid().not_null())
                    .col(ColumnDef::new(I::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(I::Status).string_len(16).not_null())
                    .col(ColumnDef::new(I::AmountKopecks).big_integer().not_null())
                    .col(ColumnDef::new(I::Link).text().null())
                    .col(ColumnDef::new(I::FileId).uuid().null())
                    .col(ColumnDef::new(I::ReceiptLink).text().null())
                    .col(ColumnDef::new(I::ReceiptFileId).uuid().null())
                    .col(
                        ColumnDef::new(I::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(I::PaidAt).timestamp_with_time_zone().null())
                    .col(
                        ColumnDef::new(I::ConfirmedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_invoices_order",
                        I::OrderId,
                        (Orders::Table, Orders::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_file",
                        I::FileId,
                        (Files::Table, Files::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_receipt_file",
                        I::ReceiptFileId,
                        (Files::Table, Files::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invoices_order_kind")
                    .table(I::Table)
                    .col(I::OrderId)
                    .col(I::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
