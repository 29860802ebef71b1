//! Notifications (docs/notifications.md).
//!
//! * `notification_events`: the outbox. A row is written in the same
//!   transaction as the state change it announces; the worker claims it
//!   (`claimed_until`, a lease), fans it out and stamps `processed_at`.
//! * `notifications`: the in-app list, one row per event (unique `event_id`).
//! * `notification_deliveries`: one row per event × external channel
//!   (e-mail, SMS) with its attempts, next attempt and last error.
//! * `notification_settings`: the user's overrides of the default channels.
//! * `notification_preferences`: the language of the user's e-mail and SMS.

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
    Kind,
    RecipientId,
    Payload,
    CreatedAt,
    ClaimedUntil,
    ClaimToken,
    ProcessedAt,
    Attempts,
    LastError,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    EventId,
    UserId,
    Kind,
    ObjectKind,
    ObjectId,
    Payload,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum NotificationDeliveries {
    Table,
    Id,
    EventId,
    UserId,
    Channel,
    Recipient,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    ClaimToken,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    UserId,
    Kind,
    Channel,
    Enabled,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Language,
    UpdatedAt,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

fn user_fk(table: impl IntoIden, col: impl IntoIden, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use NotificationEvents as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(ColumnDef::new(E::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(E::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(E::RecipientId).uuid().not_null())
                    .col(ColumnDef::new(E::Payload).text().not_null())
                    .col(ts(E::CreatedAt).not_null())
                    .col(ts(E::ClaimedUntil).null())
                    .col(ColumnDef::new(E::ClaimToken).uuid().null())
                    .col(ts(E::ProcessedAt).null())
                    .col(ColumnDef::new(E::Attempts).integer().not_null().default(0))
                    .col(ColumnDef::new(E::LastError).text().null())
                    .foreign_key(&mut user_fk(
                        E::Table,
                        E::RecipientId,
                        "fk_notification_events_recipient",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_events_pending")
                    .table(E::Table)
                    .col(E::ProcessedAt)
                    .col(E::Id)
                    .to_owned(),
            )
            .await?;

        use Notifications as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(N::EventId).uuid().not_null().unique_key())
                    .col(ColumnDef::new(N::UserId).uuid().not_null())
                    .col(ColumnDef::new(N::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(N::ObjectKind).string_len(32).not_null())
                    .col(ColumnDef::new(N::ObjectId).uuid().not_null())
                    .col(ColumnDef::new(N::Payload).text().not_null())
                    .col(ts(N::CreatedAt).not_null())
                    .col(ts(N::ReadAt).null())
                    .foreign_key(&mut user_fk(N::Table, N::UserId, "fk_notifications_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user")
                    .table(N::Table)
                    .col(N::UserId)
                    .col(N::Id)
                    .to_owned(),
            )
            .await?;

        use NotificationDeliveries as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::EventId).uuid().not_null())
                    .col(ColumnDef::new(D::UserId).uuid().not_null())
                    .col(ColumnDef::new(D::Channel).string_len(16).not_null())
                    .col(ColumnDef::new(D::Recipient).string_len(254).not_null())
                    .col(ColumnDef::new(D::Status).string_len(16).not_null())
                    .col(ColumnDef::new(D::Attempts).integer().not_null().default(0))
                    .col(ts(D::NextAttemptAt).not_null())
                    .col(ts(D::ClaimedUntil).null())
                    .col(ColumnDef::new(D::ClaimToken).uuid().null())
                    .col(ColumnDef::new(D::LastError).text().null())
                    .col(ts(D::CreatedAt).not_null())
                    .col(ts(D::SentAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_deliveries_event")
                            .from(D::Table, D::EventId)
                            .to(E::Table, E::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut user_fk(
                        D::Table,
                        D::UserId,
                        "fk_notification_deliveries_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_notification_deliveries_event_channel")
                    .table(D::Table)
                    .col(D::EventId)
                    .col(D::Channel)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_deliveries_due")
                    .table(D::Table)
                    .col(D::Status)
                    .col(D::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        use NotificationSettings as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::UserId).uuid().not_null())
                    .col(ColumnDef::new(S::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(S::Channel).string_len(16).not_null())
                    .col(ColumnDef::new(S::Enabled).boolean().not_null())
                    .col(ts(S::UpdatedAt).not_null())
                    .primary_key(Index::create().col(S::UserId).col(S::Kind).col(S::Channel))
                    .foreign_key(&mut user_fk(
                        S::Table,
                        S::UserId,
                        "fk_notification_settings_user",
                    ))
                    .to_owned(),
            )
            .await?;

        use NotificationPreferences as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::UserId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::Language).string_len(8).not_null())
                    .col(ts(P::UpdatedAt).not_null())
                    .foreign_key(&mut user_fk(
                        P::Table,
                        P::UserId,
                        "fk_notification_preferences_user",
                    ))
                    .to_owned(),
            )
            .await
    }
}
