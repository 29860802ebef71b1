//! Organisations (docs/organisations.md): the legal entity with its
//! requisites, confirmed by the head's signature of the platform offer (the
//! signature and its validation report are kept); its members with their
//! role, status and rights; the e-mailed invitations (only a SHA-256 of
//! each link's token is stored); and the audit log of every membership,
//! rights and settings change.
//!
//! Several unconfirmed registrations of one INN may exist (nobody can
//! squat a company's INN without its head's signature); a partial unique
//! index allows one confirmed organisation per INN. An account is a member
//! of an organisation at most once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    FullName,
    ShortName,
    Inn,
    Kpp,
    Ogrn,
    Address,
    HeadName,
    HeadPosition,
    HeadId,
    Status,
    ConfirmedAt,
    OfferEdition,
    OfferSha256,
    OfferSignature,
    OfferReport,
    AutoPayStateFee,
    NotifyEmployeesByEmail,
    NotifyEmployeesBySms,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgMembers {
    Table,
    OrganisationId,
    UserId,
    Role,
    Status,
    Rights,
    JoinedAt,
    ActivatedAt,
    DeactivatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgInvitations {
    Table,
    Id,
    OrganisationId,
    Email,
    TokenHash,
    ExpiresAt,
    AcceptedAt,
    AcceptedBy,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrgAudit {
    Table,
    Id,
    OrganisationId,
    Kind,
    ActorId,
    SubjectId,
    Details,
    At,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
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

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn at_or_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Organisations as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(ColumnDef::new(O::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(O::FullName).text().not_null())
                    .col(ColumnDef::new(O::ShortName).text().not_null())
                    .col(ColumnDef::new(O::Inn).string_len(10).not_null())
                    .col(ColumnDef::new(O::Kpp).string_len(9).not_null())
                    .col(ColumnDef::new(O::Ogrn).string_len(13).not_null())
                    .col(ColumnDef::new(O::Address).text().not_null())
                    .col(ColumnDef::new(O::HeadName).text().not_null())
                    .col(ColumnDef::new(O::HeadPosition).text().not_null())
                    .col(ColumnDef::new(O::HeadId).uuid().not_null())
                    .col(ColumnDef::new(O::Status).string_len(16).not_null())
                    .col(at_or_null(O::ConfirmedAt))
                    .col(ColumnDef::new(O::OfferEdition).string_len(32).null())
                    .col(ColumnDef::new(O::OfferSha256).string_len(64).null())
                    .col(ColumnDef::new(O::OfferSignature).blob().null())
                    .col(ColumnDef::new(O::OfferReport).text().null())
                    .col(ColumnDef::new(O::AutoPayStateFee).boolean().not_null())
                    .col(
                        ColumnDef::new(O::NotifyEmployeesByEmail)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(O::NotifyEmployeesBySms).boolean().not_null())
                    .col(at(O::CreatedAt))
                    .col(at(O::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_organisations_head",
                        (O::Table, O::HeadId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organisations_inn")
                    .table(O::Table)
                    .col(O::Inn)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_organisations_confirmed_inn ON organisations (inn) \
                 WHERE status = 'confirmed'",
            )
            .await?;

        use OrgMembers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(ColumnDef::new(M::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(M::UserId).uuid().not_null())
                    .col(ColumnDef::new(M::Role).string_len(16).not_null())
                    .col(ColumnDef::new(M::Status).string_len(16).not_null())
                    // The rights' wire names, comma-separated, in a stable order.
                    .col(ColumnDef::new(M::Rights).text().not_null())
                    .col(at(M::JoinedAt))
                    .col(at_or_null(M::ActivatedAt))
                    .col(at_or_null(M::DeactivatedAt))
                    .col(at(M::UpdatedAt))
                    .primary_key(Index::create().col(M::OrganisationId).col(M::UserId))
                    .foreign_key(&mut fk(
                        "fk_org_members_organisation",
                        (M::Table, M::OrganisationId),
                        (O::Table, O::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_org_members_user",
                        (M::Table, M::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_members_user")
                    .table(M::Table)
                    .col(M::UserId)
                    .to_owned(),
            )
            .await?;

        use OrgInvitations as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(ColumnDef::new(I::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(I::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(I::Email).string_len(254).not_null())
                    .col(
                        ColumnDef::new(I::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(at(I::ExpiresAt))
                    .col(at_or_null(I::AcceptedAt))
                    .col(ColumnDef::new(I::AcceptedBy).uuid().null())
                    .col(ColumnDef::new(I::CreatedBy).uuid().not_null())
                    .col(at(I::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_org_invitations_organisation",
                        (I::Table, I::OrganisationId),
                        (O::Table, O::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_invitations_organisation")
                    .table(I::Table)
                    .col(I::OrganisationId)
                    .col(I::Id)
                    .to_owned(),
            )
            .await?;

        use OrgAudit as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(A::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(A::ActorId).uuid().null())
                    .col(ColumnDef::new(A::SubjectId).uuid().null())
                    .col(ColumnDef::new(A::Details).text().not_null())
                    .col(at(A::At))
                    .foreign_key(&mut fk(
                        "fk_org_audit_organisation",
                        (A::Table, A::OrganisationId),
                        (O::Table, O::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_audit_organisation")
                    .table(A::Table)
                    .col(A::OrganisationId)
                    .col(A::Id)
                    .to_owned(),
            )
            .await
    }
}
