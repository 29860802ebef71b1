//! The client base of organisations (docs/clients.md): persons with their
//! passport and contacts as typed (a save is never blocked by the data
//! checks, which run on read), and their scans. `search_name` (the name in
//! lower case, folded in Rust so that Cyrillic folds on SQLite too),
//! `snils_digits` and `passport_digits` (series and number) serve the
//! search.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
    OrganisationId,
    FullName,
    SearchName,
    BirthDate,
    BirthPlace,
    PassportSeries,
    PassportNumber,
    PassportDigits,
    PassportIssuedOn,
    PassportIssuerCode,
    PassportIssuer,
    Snils,
    SnilsDigits,
    Inn,
    Address,
    Phone,
    Email,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClientScans {
    Table,
    ClientId,
    FileId,
    Position,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).text().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Clients as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(C::FullName).text().not_null())
                    .col(ColumnDef::new(C::SearchName).text().not_null())
                    .col(ColumnDef::new(C::BirthDate).date().null())
                    .col(text(C::BirthPlace))
                    .col(text(C::PassportSeries))
                    .col(text(C::PassportNumber))
                    .col(text(C::PassportDigits))
                    .col(ColumnDef::new(C::PassportIssuedOn).date().null())
                    .col(text(C::PassportIssuerCode))
                    .col(text(C::PassportIssuer))
                    .col(text(C::Snils))
                    .col(text(C::SnilsDigits))
                    .col(text(C::Inn))
                    .col(text(C::Address))
                    .col(text(C::Phone))
                    .col(text(C::Email))
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_clients_organisation")
                            .from(C::Table, C::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_clients_organisation_created")
                    .table(C::Table)
                    .col(C::OrganisationId)
                    .col(C::CreatedAt)
                    .col(C::Id)
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_clients_snils_digits", C::SnilsDigits),
            ("ix_clients_passport_digits", C::PassportDigits),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(C::Table)
                        .col(C::OrganisationId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        use ClientScans as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::ClientId).uuid().not_null())
                    .col(ColumnDef::new(S::FileId).uuid().not_null())
                    .col(ColumnDef::new(S::Position).integer().not_null())
                    .primary_key(Index::create().col(S::ClientId).col(S::FileId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_client_scans_client")
                            .from(S::Table, S::ClientId)
                            .to(C::Table, C::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_client_scans_file")
                            .from(S::Table, S::FileId)
                            .to(Files::Table, Files::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_client_scans_file")
                    .table(S::Table)
                    .col(S::FileId)
                    .to_owned(),
            )
            .await
    }
}
