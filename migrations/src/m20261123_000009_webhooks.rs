//! Webhooks for integrators (docs/webhooks.md).
//!
//! * `webhooks`: a user's target URL, the kinds it receives (a JSON array
//!   of wire names) and its signing secret.
//! * `webhook_deliveries`: one row per event × webhook, written by the
//!   notification fan-out in the same transaction as the in-app
//!   notification, then claimed with a lease (`claimed_until`,
//!   `claim_token`) and sent, with its attempts, next attempt, last HTTP
//!   status and last error (the delivery log).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NotificationEvents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    UserId,
    Url,
    Kinds,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventId,
    Kind,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    ClaimToken,
    LastStatus,
    LastError,
    CreatedAt,
    LastAttemptAt,
    SentAt,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Webhooks as W;
        manager
            .create_table(
                Table::create()
                    .table(W::Table)
                    .col(ColumnDef::new(W::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(W::UserId).uuid().not_null())
                    .col(ColumnDef::new(W::Url).text().not_null())
                    .col(ColumnDef::new(W::Kinds).text().not_null())
                    .col(ColumnDef::new(W::Secret).string_len(128).not_null())
                    .col(ts(W::CreatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhooks_user")
                            .from(W::Table, W::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhooks_user")
                    .table(W::Table)
                    .col(W::UserId)
                    .to_owned(),
            )
            .await?;

        use WebhookDeliveries as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::WebhookId).uuid().not_null())
                    .col(ColumnDef::new(D::EventId).uuid().not_null())
                    .col(ColumnDef::new(D::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(D::Status).string_len(16).not_null())
                    .col(ColumnDef::new(D::Attempts).integer().not_null().default(0))
                    .col(ts(D::NextAttemptAt).not_null())
                    .col(ts(D::ClaimedUntil).null())
                    .col(ColumnDef::new(D::ClaimToken).uuid().null())
                    .col(ColumnDef::new(D::LastStatus).integer().null())
                    .col(ColumnDef::new(D::LastError).text().null())
                    .col(ts(D::CreatedAt).not_null())
                    .col(ts(D::LastAttemptAt).null())
                    .col(ts(D::SentAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_webhook")
                            .from(D::Table, D::WebhookId)
                            .to(W::Table, W::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_event")
                            .from(D::Table, D::EventId)
                            .to(NotificationEvents::Table, NotificationEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_webhook_deliveries_webhook_event")
                    .table(D::Table)
                    .col(D::WebhookId)
                    .col(D::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_due")
                    .table(D::Table)
                    .col(D::Status)
                    .col(D::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }
}
