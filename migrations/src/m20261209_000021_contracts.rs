//! Contract versions of an order and their signatures (docs/contracts.md).
//!
//! A version's document is a stored file (`file_id`); its SHA-256 is the
//! file's, and a signature binds to it. A version is numbered within its
//! order from 1 (`number`, unique per order). Each party signs a version at
//! most once (`contract_signatures` unique on version and party); the
//! signature's DER and its validation report (JSON) are kept as given.

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
enum Contracts {
    Table,
    Id,
    OrderId,
    Number,
    Status,
    Source,
    Terms,
    PriceInWords,
    FileId,
    ExtraFileId,
    DeclinedReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContractSignatures {
    Table,
    Id,
    ContractId,
    Party,
    SignerId,
    SignerName,
    Signature,
    Sha256,
    Report,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ContractSignatures as S;
        use Contracts as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::OrderId).uuid().not_null())
                    .col(ColumnDef::new(C::Number).integer().not_null())
                    .col(ColumnDef::new(C::Status).string_len(32).not_null())
                    .col(ColumnDef::new(C::Source).string_len(16).not_null())
                    .col(ColumnDef::new(C::Terms).text().null())
                    .col(ColumnDef::new(C::PriceInWords).text().null())
                    .col(ColumnDef::new(C::FileId).uuid().not_null())
                    .col(ColumnDef::new(C::ExtraFileId).uuid().null())
                    .col(ColumnDef::new(C::DeclinedReason).text().null())
                    .col(ColumnDef::new(C::CreatedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(C::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(C::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_contracts_order",
                        (C::Table, C::OrderId),
                        (Orders::Table, Orders::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_contracts_file",
                        (C::Table, C::FileId),
                        (Files::Table, Files::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_contracts_extra_file",
                        (C::Table, C::ExtraFileId),
                        (Files::Table, Files::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_contracts_created_by",
                        (C::Table, C::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contracts_order_number")
                    .table(C::Table)
                    .col(C::OrderId)
                    .col(C::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(S::ContractId).uuid().not_null())
                    .col(ColumnDef::new(S::Party).string_len(16).not_null())
                    .col(ColumnDef::new(S::SignerId).uuid().not_null())
                    .col(ColumnDef::new(S::SignerName).text().null())
                    .col(ColumnDef::new(S::Signature).blob().not_null())
                    .col(ColumnDef::new(S::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(S::Report).text().not_null())
                    .col(
                        ColumnDef::new(S::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_contract_signatures_contract",
                        (S::Table, S::ContractId),
                        (C::Table, C::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_contract_signatures_signer",
                        (S::Table, S::SignerId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_contract_signatures_party")
                    .table(S::Table)
                    .col(S::ContractId)
                    .col(S::Party)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
