//! Certificate applications filed by an organisation's CA agent for a
//! client of its base (docs/certificates.md, "Filed by an organisation's CA
//! agent"): which organisation, client and agent filed it; the one-use link
//! that lets the client claim it once approved (only a SHA-256 of its token
//! is kept, with its expiry); and when it was claimed. Until then the
//! application's `owner_id` is the filing agent's account, which has no
//! owner's rights over it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CertificateApplications {
    Table,
    AgentOrganisationId,
    AgentClientId,
    FiledBy,
    ClaimTokenHash,
    ClaimExpiresAt,
    ClaimedAt,
    CreatedAt,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CertificateApplications as A;
        // One column a statement: SQLite adds one at a time.
        let columns = [
            ColumnDef::new(A::AgentOrganisationId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(A::AgentClientId).uuid().null().to_owned(),
            ColumnDef::new(A::FiledBy).uuid().null().to_owned(),
            ColumnDef::new(A::ClaimTokenHash)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(A::ClaimExpiresAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(A::ClaimedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(A::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_certificate_applications_agent_client")
                    .table(A::Table)
                    .col(A::AgentClientId)
                    .col(A::CreatedAt)
                    .col(A::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_certificate_applications_claim_token")
                    .table(A::Table)
                    .col(A::ClaimTokenHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
