//! Photos are uploaded, not typed (docs/accounts.md, "Photos"): an account
//! keeps the version of its current photo, `users.avatar_id` (the server's
//! re-encoded sizes are files named after it in the file store), and the
//! address a person used to type, `users.avatar_url`, goes. The typed
//! addresses are not carried over: they pointed anywhere on the web, and a
//! photo the server did not decode and re-encode itself is not shown; the
//! owners upload one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    AvatarId,
    AvatarUrl,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One change per statement: SQLite alters one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(ColumnDef::new(Users::AvatarId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::AvatarUrl)
                    .to_owned(),
            )
            .await
    }
}
