//! Requests of a client's data by e-mail (docs/clients.md, "Requests by
//! e-mail"): the one-use link (only a SHA-256 of its token is stored), what
//! the person submitted (JSON) and when, the client it became; and the
//! files the person uploaded through the link, so that a submission can
//! name only those.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClientRequests {
    Table,
    Id,
    OrganisationId,
    Email,
    FullName,
    TokenHash,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
    SubmittedAt,
    Submission,
    AcceptedAt,
    AcceptedBy,
    ClientId,
}

#[derive(DeriveIden)]
enum ClientRequestFiles {
    Table,
    RequestId,
    FileId,
    UploadedAt,
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

fn at(column: impl IntoIden, null: bool) -> ColumnDef {
    let mut c = ColumnDef::new(column);
    c.timestamp_with_time_zone();
    if null {
        c.null();
    } else {
        c.not_null();
    }
    c.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ClientRequests as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(R::Email).string_len(254).not_null())
                    .col(ColumnDef::new(R::FullName).text().null())
                    .col(
                        ColumnDef::new(R::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(at(R::ExpiresAt, false))
                    .col(ColumnDef::new(R::CreatedBy).uuid().not_null())
                    .col(at(R::CreatedAt, false))
                    .col(at(R::SubmittedAt, true))
                    .col(ColumnDef::new(R::Submission).text().null())
                    .col(at(R::AcceptedAt, true))
                    .col(ColumnDef::new(R::AcceptedBy).uuid().null())
                    .col(ColumnDef::new(R::ClientId).uuid().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_client_requests_organisation")
                            .from(R::Table, R::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_client_requests_organisation")
                    .table(R::Table)
                    .col(R::OrganisationId)
                    .col(R::CreatedAt)
                    .col(R::Id)
                    .to_owned(),
            )
            .await?;
        use ClientRequestFiles as F;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(ColumnDef::new(F::RequestId).uuid().not_null())
                    .col(ColumnDef::new(F::FileId).uuid().not_null())
                    .col(at(F::UploadedAt, false))
                    .primary_key(Index::create().col(F::RequestId).col(F::FileId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_client_request_files_request")
                            .from(F::Table, F::RequestId)
                            .to(R::Table, R::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_client_request_files_file")
                            .from(F::Table, F::FileId)
                            .to(Files::Table, Files::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
