//! Orders (docs/orders.md): orders with their history, attachments, responses and
//! offers; uploaded files; idempotency keys of creating requests.
//!
//! Search runs on `orders` with `status = 'executor_selection'`, newest
//! first (`published_at`, `id`) or most urgent first (`due_date`, `id`); the
//! indexes below serve both sorts, alone or with a region.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    OwnerId,
    Name,
    ContentType,
    Size,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    CustomerId,
    CustomerType,
    Status,
    SuspendedFrom,
    Title,
    Description,
    WorkTypes,
    CadastralNumbers,
    RegionCode,
    Address,
    AddressSearch,
    DeadlineDate,
    DeadlineDays,
    DueDate,
    Price,
    PrepaymentRequired,
    PrepaymentPercent,
    Registration,
    ExecutorId,
    ResponsesCount,
    Version,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum OrderHistory {
    Table,
    Id,
    OrderId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderAttachments {
    Table,
    OrderId,
    FileId,
    Position,
}

#[derive(DeriveIden)]
enum OrderResponses {
    Table,
    Id,
    OrderId,
    EngineerId,
    Price,
    DeadlineDays,
    Message,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderOffers {
    Table,
    Id,
    OrderId,
    EngineerId,
    Message,
    Status,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Scope,
    Key,
    RequestHash,
    Status,
    Response,
    CreatedAt,
}

fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(ColumnDef::new(Files::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Files::OwnerId).uuid().not_null())
                    .col(ColumnDef::new(Files::Name).string_len(255).not_null())
                    .col(
                        ColumnDef::new(Files::ContentType)
                            .string_len(127)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Files::Size).big_integer().not_null())
                    .col(ColumnDef::new(Files::Sha256).string_len(64).not_null())
                    .col(timestamp(Files::CreatedAt))
                    .foreign_key(
                        &mut fk(
                            "fk_files_owner",
                            (Files::Table, Files::OwnerId),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(ColumnDef::new(Orders::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Orders::Number)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Orders::CustomerId).uuid().not_null())
                    .col(
                        ColumnDef::new(Orders::CustomerType)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Orders::Status).string_len(32).not_null())
                    .col(ColumnDef::new(Orders::SuspendedFrom).string_len(32).null())
                    .col(ColumnDef::new(Orders::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Orders::Description).text().null())
                    .col(ColumnDef::new(Orders::WorkTypes).integer().not_null())
                    .col(ColumnDef::new(Orders::CadastralNumbers).text().not_null())
                    .col(ColumnDef::new(Orders::RegionCode).string_len(2).null())
                    .col(ColumnDef::new(Orders::Address).string_len(500).null())
                    .col(ColumnDef::new(Orders::AddressSearch).string_len(500).null())
                    .col(ColumnDef::new(Orders::DeadlineDate).date().null())
                    .col(ColumnDef::new(Orders::DeadlineDays).integer().null())
                    .col(ColumnDef::new(Orders::DueDate).date().null())
                    .col(ColumnDef::new(Orders::Price).big_integer().null())
                    .col(
                        ColumnDef::new(Orders::PrepaymentRequired)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Orders::PrepaymentPercent)
                            .small_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Orders::Registration)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Orders::ExecutorId).uuid().null())
                    .col(
                        ColumnDef::new(Orders::ResponsesCount)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Orders::Version)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(timestamp(Orders::CreatedAt))
                    .col(timestamp(Orders::UpdatedAt))
                    .col(
                        ColumnDef::new(Orders::PublishedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_orders_customer",
                        (Orders::Table, Orders::CustomerId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_orders_executor",
                        (Orders::Table, Orders::ExecutorId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_orders_region",
                        (Orders::Table, Orders::RegionCode),
                        (Regions::Table, Regions::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_orders_status_published",
                vec![Orders::Status, Orders::PublishedAt, Orders::Id],
            ),
            (
                "idx_orders_status_due",
                vec![Orders::Status, Orders::DueDate, Orders::Id],
            ),
            (
                "idx_orders_status_region_published",
                vec![
                    Orders::Status,
                    Orders::RegionCode,
                    Orders::PublishedAt,
                    Orders::Id,
                ],
            ),
            (
                "idx_orders_status_region_due",
                vec![
                    Orders::Status,
                    Orders::RegionCode,
                    Orders::DueDate,
                    Orders::Id,
                ],
            ),
            (
                "idx_orders_customer_updated",
                vec![Orders::CustomerId, Orders::UpdatedAt, Orders::Id],
            ),
            (
                "idx_orders_executor_updated",
                vec![Orders::ExecutorId, Orders::UpdatedAt, Orders::Id],
            ),
        ] {
            let mut index = Index::create().name(name).table(Orders::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(OrderHistory::Table)
                    .col(
                        ColumnDef::new(OrderHistory::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OrderHistory::OrderId).uuid().not_null())
                    .col(
                        ColumnDef::new(OrderHistory::Action)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderHistory::FromStatus)
                            .string_len(32)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(OrderHistory::ToStatus)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrderHistory::ActorId).uuid().null())
                    .col(ColumnDef::new(OrderHistory::Comment).text().null())
                    .col(timestamp(OrderHistory::CreatedAt))
                    .foreign_key(
                        &mut fk(
                            "fk_order_history_order",
                            (OrderHistory::Table, OrderHistory::OrderId),
                            (Orders::Table, Orders::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_history_order")
                    .table(OrderHistory::Table)
                    .col(OrderHistory::OrderId)
                    .col(OrderHistory::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderAttachments::Table)
                    .col(ColumnDef::new(OrderAttachments::OrderId).uuid().not_null())
                    .col(ColumnDef::new(OrderAttachments::FileId).uuid().not_null())
                    .col(
                        ColumnDef::new(OrderAttachments::Position)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(OrderAttachments::OrderId)
                            .col(OrderAttachments::FileId),
                    )
                    .foreign_key(
                        &mut fk(
                            "fk_order_attachments_order",
                            (OrderAttachments::Table, OrderAttachments::OrderId),
                            (Orders::Table, Orders::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .foreign_key(&mut fk(
                        "fk_order_attachments_file",
                        (OrderAttachments::Table, OrderAttachments::FileId),
                        (Files::Table, Files::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderResponses::Table)
                    .col(
                        ColumnDef::new(OrderResponses::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OrderResponses::OrderId).uuid().not_null())
                    .col(ColumnDef::new(OrderResponses::EngineerId).uuid().not_null())
                    .col(
                        ColumnDef::new(OrderResponses::Price)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrderResponses::DeadlineDays)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrderResponses::Message).text().not_null())
                    .col(
                        ColumnDef::new(OrderResponses::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(timestamp(OrderResponses::CreatedAt))
                    .col(timestamp(OrderResponses::UpdatedAt))
                    .foreign_key(
                        &mut fk(
                            "fk_order_responses_order",
                            (OrderResponses::Table, OrderResponses::OrderId),
                            (Orders::Table, Orders::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .foreign_key(&mut fk(
                        "fk_order_responses_engineer",
                        (OrderResponses::Table, OrderResponses::EngineerId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_responses_order")
                    .table(OrderResponses::Table)
                    .col(OrderResponses::OrderId)
                    .col(OrderResponses::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_responses_engineer")
                    .table(OrderResponses::Table)
                    .col(OrderResponses::EngineerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderOffers::Table)
                    .col(
                        ColumnDef::new(OrderOffers::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OrderOffers::OrderId).uuid().not_null())
                    .col(ColumnDef::new(OrderOffers::EngineerId).uuid().not_null())
                    .col(ColumnDef::new(OrderOffers::Message).text().null())
                    .col(
                        ColumnDef::new(OrderOffers::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(timestamp(OrderOffers::CreatedAt))
                    .col(
                        ColumnDef::new(OrderOffers::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        &mut fk(
                            "fk_order_offers_order",
                            (OrderOffers::Table, OrderOffers::OrderId),
                            (Orders::Table, Orders::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .foreign_key(&mut fk(
                        "fk_order_offers_engineer",
                        (OrderOffers::Table, OrderOffers::EngineerId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_offers_order")
                    .table(OrderOffers::Table)
                    .col(OrderOffers::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_offers_engineer")
                    .table(OrderOffers::Table)
                    .col(OrderOffers::EngineerId)
                    .to_owned(),
            )
            .await?;

        // One active response per engineer per order, one pending offer per
        // engineer per order: partial unique indexes (SQLite and PostgreSQL).
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_order_responses_active ON order_responses (order_id, engineer_id) WHERE status = 'active'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_order_offers_pending ON order_offers (order_id, engineer_id) WHERE status = 'pending'",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(ColumnDef::new(IdempotencyKeys::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Scope)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Key)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Status)
                            .small_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Response).text().null())
                    .col(timestamp(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::UserId)
                            .col(IdempotencyKeys::Scope)
                            .col(IdempotencyKeys::Key),
                    )
                    .foreign_key(
                        &mut fk(
                            "fk_idempotency_keys_user",
                            (IdempotencyKeys::Table, IdempotencyKeys::UserId),
                            (Users::Table, Users::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_created")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}
