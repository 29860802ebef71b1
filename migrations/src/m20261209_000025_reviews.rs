//! Reviews of engineers (docs/results.md, "Rating"): the customer of a
//! completed order rates its engineer once, 1 to 5, with an optional text.
//! `orders.reviewed_at` marks the order reviewed, so that the order itself
//! says whether a review is still possible.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    OrderId,
    EngineerId,
    CustomerId,
    Rating,
    Text,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Reviews as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::OrderId).uuid().not_null().unique_key())
                    .col(ColumnDef::new(R::EngineerId).uuid().not_null())
                    .col(ColumnDef::new(R::CustomerId).uuid().not_null())
                    .col(ColumnDef::new(R::Rating).small_integer().not_null())
                    .col(ColumnDef::new(R::Text).text().null())
                    .col(
                        ColumnDef::new(R::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_order")
                            .from(R::Table, R::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_engineer")
                            .from(R::Table, R::EngineerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reviews_engineer")
                    .table(R::Table)
                    .col(R::EngineerId)
                    .col(R::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(
                        ColumnDef::new(Orders::ReviewedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }
}
