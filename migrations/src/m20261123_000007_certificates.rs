//! The certification authority (docs/certificates.md): applications for certificates,
//! the certificates issued, the expiry reminders already sent, and the CRLs
//! the issuing CA published (the newest is served at `GET /pki/crl`; its
//! number only grows).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CertificateApplications {
    Table,
    Id,
    OwnerId,
    Status,
    Kind,
    FullName,
    Snils,
    Inn,
    Email,
    Phone,
    PassportSeries,
    PassportNumber,
    PassportIssuedBy,
    PassportIssuedOn,
    OrganisationName,
    OrganisationInn,
    Position,
    Purpose,
    PassportScanId,
    SnilsScanId,
    FormScanId,
    RejectReasons,
    RenewalOf,
    CertificateId,
    DecidedBy,
    Version,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    ApplicationId,
    OwnerId,
    Serial,
    Subject,
    Der,
    NotBefore,
    NotAfter,
    RevokedAt,
    RevocationReason,
    RevocationComment,
    RevokedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CertificateReminders {
    Table,
    CertificateId,
    DaysBefore,
    SentAt,
}

#[derive(DeriveIden)]
enum PkiCrls {
    Table,
    Number,
    Der,
    ThisUpdate,
    NextUpdate,
}

fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn nullable_timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn text<T: IntoIden>(name: T, len: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(len).null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CertificateApplications as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::OwnerId).uuid().not_null())
                    .col(ColumnDef::new(A::Status).string_len(16).not_null())
                    .col(ColumnDef::new(A::Kind).string_len(20).not_null())
                    .col(text(A::FullName, 200))
                    .col(text(A::Snils, 11))
                    .col(text(A::Inn, 12))
                    .col(text(A::Email, 254))
                    .col(text(A::Phone, 16))
                    .col(text(A::PassportSeries, 4))
                    .col(text(A::PassportNumber, 6))
                    .col(text(A::PassportIssuedBy, 500))
                    .col(ColumnDef::new(A::PassportIssuedOn).date().null())
                    .col(text(A::OrganisationName, 500))
                    .col(text(A::OrganisationInn, 12))
                    .col(text(A::Position, 200))
                    .col(text(A::Purpose, 500))
                    .col(ColumnDef::new(A::PassportScanId).uuid().null())
                    .col(ColumnDef::new(A::SnilsScanId).uuid().null())
                    .col(ColumnDef::new(A::FormScanId).uuid().null())
                    .col(ColumnDef::new(A::RejectReasons).text().null())
                    .col(ColumnDef::new(A::RenewalOf).uuid().null())
                    .col(ColumnDef::new(A::CertificateId).uuid().null())
                    .col(ColumnDef::new(A::DecidedBy).uuid().null())
                    .col(
                        ColumnDef::new(A::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(timestamp(A::CreatedAt))
                    .col(timestamp(A::UpdatedAt))
                    .col(nullable_timestamp(A::SubmittedAt))
                    .col(nullable_timestamp(A::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certificate_applications_owner")
                            .from(A::Table, A::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_certificate_applications_owner",
                vec![A::OwnerId, A::CreatedAt, A::Id],
            ),
            (
                "idx_certificate_applications_status",
                vec![A::Status, A::CreatedAt, A::Id],
            ),
        ] {
            let mut index = Index::create().name(name).table(A::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }

        use Certificates as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(C::ApplicationId).uuid().not_null())
                    .col(ColumnDef::new(C::OwnerId).uuid().not_null())
                    .col(
                        ColumnDef::new(C::Serial)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(C::Subject).text().not_null())
                    .col(ColumnDef::new(C::Der).binary().not_null())
                    .col(timestamp(C::NotBefore))
                    .col(timestamp(C::NotAfter))
                    .col(nullable_timestamp(C::RevokedAt))
                    .col(text(C::RevocationReason, 32))
                    .col(text(C::RevocationComment, 500))
                    .col(ColumnDef::new(C::RevokedBy).uuid().null())
                    .col(timestamp(C::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certificates_application")
                            .from(C::Table, C::ApplicationId)
                            .to(A::Table, A::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certificates_owner")
                            .from(C::Table, C::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_certificates_owner",
                vec![C::OwnerId, C::CreatedAt, C::Id],
            ),
            ("idx_certificates_created", vec![C::CreatedAt, C::Id]),
            ("idx_certificates_not_after", vec![C::NotAfter]),
        ] {
            let mut index = Index::create().name(name).table(C::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }

        use CertificateReminders as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::CertificateId).uuid().not_null())
                    .col(ColumnDef::new(R::DaysBefore).integer().not_null())
                    .col(timestamp(R::SentAt))
                    .primary_key(Index::create().col(R::CertificateId).col(R::DaysBefore))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certificate_reminders_certificate")
                            .from(R::Table, R::CertificateId)
                            .to(C::Table, C::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PkiCrls::Table)
                    .col(
                        ColumnDef::new(PkiCrls::Number)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PkiCrls::Der).binary().not_null())
                    .col(timestamp(PkiCrls::ThisUpdate))
                    .col(timestamp(PkiCrls::NextUpdate))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
