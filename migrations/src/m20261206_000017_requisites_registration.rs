//! Requisites carry the registration number and, for a company, the legal
//! address (docs/accounts.md, "Requisites"): `ogrn` is the OGRN of a legal
//! entity or the OGRNIP of a sole proprietor — the latter is what makes a
//! customer with a 12-digit INN a sole proprietor rather than a person.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requisites {
    Table,
    Ogrn,
    LegalAddress,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            ColumnDef::new(Requisites::Ogrn)
                .string_len(15)
                .null()
                .to_owned(),
            ColumnDef::new(Requisites::LegalAddress)
                .text()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Requisites::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
