//! Deals of organisations (docs/deals.md): the deal with its object and
//! status, numbered within its organisation; its participants (a client of
//! the base, or the organisation itself: `client_id` NULL), whose person
//! data is read from the base while the deal is a draft and frozen into
//! `snapshot` when the statements are formed; its documents and statements
//! (stored files; `documents_bytes` on the deal is their running total,
//! bounded by a conditional update); each signer's signature of a document
//! at most once (`signer`: a participant id or `employee`); the history;
//! the registry jobs (a leased queue: the submission and the fee notice,
//! each with its idempotency key, queued in the transaction that changes
//! the status) and the registry's status events (the "status in the
//! registry" tab, unique per package and sequence number).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    OrganisationId,
    Number,
    Title,
    Status,
    SuspendedFrom,
    ResponsibleId,
    CadastralNumber,
    Address,
    ObjectType,
    Area,
    DocumentsBytes,
    CopiedFrom,
    RegistryPackageId,
    FeeUin,
    FeeAmountKopecks,
    FeePaidAt,
    FeePaidBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DealParticipants {
    Table,
    Id,
    DealId,
    Position,
    ClientId,
    Role,
    Share,
    Represents,
    Snapshot,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DealDocuments {
    Table,
    Id,
    DealId,
    Position,
    Kind,
    Title,
    FileId,
    ApplicantId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DealSignatures {
    Table,
    Id,
    DealId,
    DocumentId,
    Signer,
    ParticipantId,
    SignerName,
    Signature,
    Sha256,
    Report,
    PowerOfAttorneyId,
    AddedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DealHistory {
    Table,
    Id,
    DealId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    Message,
    At,
}

#[derive(DeriveIden)]
enum DealRegistryJobs {
    Table,
    Id,
    DealId,
    Kind,
    IdempotencyKey,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    ClaimToken,
    LastError,
    CreatedAt,
    DoneAt,
}

#[derive(DeriveIden)]
enum DealRegistryEvents {
    Table,
    Id,
    DealId,
    PackageId,
    Seq,
    Status,
    Message,
    At,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Organisations {
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
enum Clients {
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

fn index(
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Deals as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(D::Number).big_integer().not_null())
                    .col(ColumnDef::new(D::Title).text().not_null())
                    .col(ColumnDef::new(D::Status).string_len(32).not_null())
                    .col(ColumnDef::new(D::SuspendedFrom).string_len(32).null())
                    .col(ColumnDef::new(D::ResponsibleId).uuid().not_null())
                    .col(ColumnDef::new(D::CadastralNumber).string_len(40).null())
                    .col(ColumnDef::new(D::Address).text().null())
                    .col(ColumnDef::new(D::ObjectType).string_len(32).null())
                    .col(ColumnDef::new(D::Area).string_len(20).null())
                    .col(
                        ColumnDef::new(D::DocumentsBytes)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(D::CopiedFrom).uuid().null())
                    .col(ColumnDef::new(D::RegistryPackageId).string_len(200).null())
                    .col(ColumnDef::new(D::FeeUin).string_len(25).null())
                    .col(ColumnDef::new(D::FeeAmountKopecks).big_integer().null())
                    .col(at(D::FeePaidAt, true))
                    .col(ColumnDef::new(D::FeePaidBy).uuid().null())
                    .col(
                        ColumnDef::new(D::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(at(D::CreatedAt, false))
                    .col(at(D::UpdatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_deals_organisation",
                        (D::Table, D::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_deals_responsible",
                        (D::Table, D::ResponsibleId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_deals_organisation_number",
                D::Table,
                vec![D::OrganisationId.into_iden(), D::Number.into_iden()],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_deals_organisation_created",
                D::Table,
                vec![
                    D::OrganisationId.into_iden(),
                    D::CreatedAt.into_iden(),
                    D::Id.into_iden(),
                ],
                false,
            ))
            .await?;

        use DealParticipants as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::DealId).uuid().not_null())
                    .col(ColumnDef::new(P::Position).integer().not_null())
                    .col(ColumnDef::new(P::ClientId).uuid().null())
                    .col(ColumnDef::new(P::Role).string_len(32).not_null())
                    .col(ColumnDef::new(P::Share).string_len(20).null())
                    .col(ColumnDef::new(P::Represents).uuid().null())
                    .col(ColumnDef::new(P::Snapshot).text().null())
                    .col(at(P::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_deal_participants_deal",
                        (P::Table, P::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_deal_participants_client",
                        (P::Table, P::ClientId),
                        (Clients::Table, Clients::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deal_participants_deal",
                P::Table,
                vec![P::DealId.into_iden(), P::Position.into_iden()],
                false,
            ))
            .await?;

        use DealDocuments as F;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(ColumnDef::new(F::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(F::DealId).uuid().not_null())
                    .col(ColumnDef::new(F::Position).integer().not_null())
                    .col(ColumnDef::new(F::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(F::Title).text().not_null())
                    .col(ColumnDef::new(F::FileId).uuid().not_null())
                    .col(ColumnDef::new(F::ApplicantId).uuid().null())
                    .col(ColumnDef::new(F::CreatedBy).uuid().not_null())
                    .col(at(F::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_deal_documents_deal",
                        (F::Table, F::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_deal_documents_file",
                        (F::Table, F::FileId),
                        (Files::Table, Files::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deal_documents_deal",
                F::Table,
                vec![F::DealId.into_iden(), F::Position.into_iden()],
                false,
            ))
            .await?;

        use DealSignatures as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(S::DealId).uuid().not_null())
                    .col(ColumnDef::new(S::DocumentId).uuid().not_null())
                    .col(ColumnDef::new(S::Signer).string_len(40).not_null())
                    .col(ColumnDef::new(S::ParticipantId).uuid().null())
                    .col(ColumnDef::new(S::SignerName).text().null())
                    .col(ColumnDef::new(S::Signature).blob().not_null())
                    .col(ColumnDef::new(S::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(S::Report).text().not_null())
                    .col(ColumnDef::new(S::PowerOfAttorneyId).uuid().null())
                    .col(ColumnDef::new(S::AddedBy).uuid().not_null())
                    .col(at(S::CreatedAt, false))
                    .foreign_key(&mut fk(
                        "fk_deal_signatures_deal",
                        (S::Table, S::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_deal_signatures_document",
                        (S::Table, S::DocumentId),
                        (F::Table, F::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_deal_signatures_signer",
                S::Table,
                vec![S::DocumentId.into_iden(), S::Signer.into_iden()],
                true,
            ))
            .await?;

        use DealHistory as H;
        manager
            .create_table(
                Table::create()
                    .table(H::Table)
                    .col(ColumnDef::new(H::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(H::DealId).uuid().not_null())
                    .col(ColumnDef::new(H::Action).string_len(32).not_null())
                    .col(ColumnDef::new(H::FromStatus).string_len(32).null())
                    .col(ColumnDef::new(H::ToStatus).string_len(32).not_null())
                    .col(ColumnDef::new(H::ActorId).uuid().null())
                    .col(ColumnDef::new(H::Message).text().null())
                    .col(at(H::At, false))
                    .foreign_key(&mut fk(
                        "fk_deal_history_deal",
                        (H::Table, H::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deal_history_deal",
                H::Table,
                vec![H::DealId.into_iden(), H::Id.into_iden()],
                false,
            ))
            .await?;

        use DealRegistryJobs as J;
        manager
            .create_table(
                Table::create()
                    .table(J::Table)
                    .col(ColumnDef::new(J::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(J::DealId).uuid().not_null())
                    .col(ColumnDef::new(J::Kind).string_len(16).not_null())
                    .col(
                        ColumnDef::new(J::IdempotencyKey)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(J::Status).string_len(16).not_null())
                    .col(ColumnDef::new(J::Attempts).integer().not_null().default(0))
                    .col(at(J::NextAttemptAt, false))
                    .col(at(J::ClaimedUntil, true))
                    .col(ColumnDef::new(J::ClaimToken).uuid().null())
                    .col(ColumnDef::new(J::LastError).text().null())
                    .col(at(J::CreatedAt, false))
                    .col(at(J::DoneAt, true))
                    .foreign_key(&mut fk(
                        "fk_deal_registry_jobs_deal",
                        (J::Table, J::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_deal_registry_jobs_due",
                J::Table,
                vec![J::Status.into_iden(), J::NextAttemptAt.into_iden()],
                false,
            ))
            .await?;

        use DealRegistryEvents as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(ColumnDef::new(E::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(E::DealId).uuid().not_null())
                    .col(ColumnDef::new(E::PackageId).string_len(200).not_null())
                    .col(ColumnDef::new(E::Seq).big_integer().not_null())
                    .col(ColumnDef::new(E::Status).string_len(32).not_null())
                    .col(ColumnDef::new(E::Message).text().null())
                    .col(at(E::At, false))
                    .col(at(E::ReceivedAt, false))
                    .foreign_key(&mut fk(
                        "fk_deal_registry_events_deal",
                        (E::Table, E::DealId),
                        (D::Table, D::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_deal_registry_events_seq",
                E::Table,
                vec![E::PackageId.into_iden(), E::Seq.into_iden()],
                true,
            ))
            .await
    }
}
