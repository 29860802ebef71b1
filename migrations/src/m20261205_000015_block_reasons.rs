//! The moderators' user list (docs/accounts.md, "Moderation"): a blocked
//! account keeps why and by whom it was blocked (`blocked_reason`,
//! `blocked_by`; unblocking clears both), and `name_search` holds the full
//! name lower-cased by the application (Unicode, so that Cyrillic names
//! are found in any case on SQLite as on PostgreSQL), backfilled here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, TryGetable};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    FullName,
    BlockedReason,
    BlockedBy,
    NameSearch,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            ColumnDef::new(Users::BlockedReason)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Users::BlockedBy).uuid().null().to_owned(),
            ColumnDef::new(Users::NameSearch).text().null().to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        let select = Query::select()
            .columns([Users::Id, Users::FullName])
            .from(Users::Table)
            .and_where(Expr::col(Users::FullName).is_not_null())
            .to_owned();
        for row in db.query_all(&select).await? {
            let id = <Uuid as TryGetable>::try_get(&row, "", "id")
                .map_err(|e| DbErr::Custom(format!("{e:?}")))?;
            let name = <String as TryGetable>::try_get(&row, "", "full_name")
                .map_err(|e| DbErr::Custom(format!("{e:?}")))?;
            let update = Query::update()
                .table(Users::Table)
                .value(Users::NameSearch, name.to_lowercase())
                .and_where(Expr::col(Users::Id).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        Ok(())
    }
}
