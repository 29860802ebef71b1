//! Machine-readable powers of attorney (docs/power-of-attorney.md): each
//! organisation keeps the МЧД its head issued to employees — the XML as a
//! stored file (its exact bytes, which the head's signature binds to), the
//! head's detached CMS signature, and what was read from the XML: its
//! registry number (unique in the organisation), dates, the representative's
//! SNILS and INN (how a signer is matched to it) and powers. A deal
//! signature made under one names it (`deal_signatures.power_of_attorney_id`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PowersOfAttorney {
    Table,
    Id,
    OrganisationId,
    Number,
    InternalNumber,
    IssuedOn,
    ValidUntil,
    HeadName,
    HeadSnils,
    HeadInn,
    RepresentativeName,
    RepresentativeSnils,
    RepresentativeInn,
    Powers,
    XmlFileId,
    Status,
    Signature,
    SignatureReport,
    SignedBy,
    SignedAt,
    RevokedAt,
    RevokeReason,
    RevokedBy,
    UploadedBy,
    CreatedAt,
    Version,
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
        use PowersOfAttorney as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(P::Number).uuid().not_null())
                    .col(ColumnDef::new(P::InternalNumber).text().null())
                    .col(ColumnDef::new(P::IssuedOn).date().not_null())
                    .col(ColumnDef::new(P::ValidUntil).date().not_null())
                    .col(ColumnDef::new(P::HeadName).text().not_null())
                    .col(ColumnDef::new(P::HeadSnils).string_len(11).null())
                    .col(ColumnDef::new(P::HeadInn).string_len(12).null())
                    .col(ColumnDef::new(P::RepresentativeName).text().not_null())
                    .col(ColumnDef::new(P::RepresentativeSnils).string_len(11).null())
                    .col(ColumnDef::new(P::RepresentativeInn).string_len(12).null())
                    .col(ColumnDef::new(P::Powers).text().not_null())
                    .col(ColumnDef::new(P::XmlFileId).uuid().not_null())
                    .col(ColumnDef::new(P::Status).string_len(40).not_null())
                    .col(ColumnDef::new(P::Signature).blob().null())
                    .col(ColumnDef::new(P::SignatureReport).text().null())
                    .col(ColumnDef::new(P::SignedBy).text().null())
                    .col(at(P::SignedAt, true))
                    .col(at(P::RevokedAt, true))
                    .col(ColumnDef::new(P::RevokeReason).text().null())
                    .col(ColumnDef::new(P::RevokedBy).uuid().null())
                    .col(ColumnDef::new(P::UploadedBy).uuid().not_null())
                    .col(at(P::CreatedAt, false))
                    .col(ColumnDef::new(P::Version).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_powers_of_attorney_organisation")
                            .from(P::Table, P::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_powers_of_attorney_xml")
                            .from(P::Table, P::XmlFileId)
                            .to(Files::Table, Files::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_powers_of_attorney_number")
                    .table(P::Table)
                    .col(P::OrganisationId)
                    .col(P::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
