//! Numbers people read (order № 1001, and later contract and deal numbers)
//! come from named counters: `sequences(name, last_value)`. Taking a number
//! increments the row in the transaction that uses it, so two concurrent
//! creations can never take the same one (the row lock orders them) and a
//! rolled-back creation gives its number back. It replaces `max(number)+1`,
//! which collided under concurrency (docs/orders.md, "Numbers").

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sequences {
    Table,
    Name,
    LastValue,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Number,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Sequences as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(
                        ColumnDef::new(S::Name)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(S::LastValue).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        // Order numbers go on from the highest one taken (1000: none yet).
        let highest = Query::select()
            .expr(Func::coalesce([
                Expr::col(Orders::Number).max(),
                Expr::val(1000_i64),
            ]))
            .from(Orders::Table)
            .to_owned();
        let insert = Query::insert()
            .into_table(S::Table)
            .columns([S::Name, S::LastValue])
            .select_from(
                Query::select()
                    .expr(Expr::val("order_number"))
                    .expr(SimpleExpr::SubQuery(
                        None,
                        Box::new(highest.into_sub_query_statement()),
                    ))
                    .to_owned(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        manager.exec_stmt(insert).await
    }
}
