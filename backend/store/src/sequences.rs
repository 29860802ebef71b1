//! Named counters for the numbers people read (order № 1001…): a row of
//! `sequences` incremented in the transaction that uses the number, so two
//! concurrent creations never take the same one and a rolled-back one gives
//! its number back (docs/orders.md, "Numbers").

use crate::StoreError;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

/// The counter of order numbers.
pub const ORDER_NUMBER: &str = "order_number";

/// The next value of the counter `name`, taken inside `conn`'s transaction
/// (the row stays locked until it ends).
pub async fn next<C: ConnectionTrait>(conn: &C, name: &str) -> Result<i64, StoreError> {
    let table = Alias::new("sequences");
    let value = Alias::new("last_value");
    let stmt = Query::update()
        .table(table)
        .value(value.clone(), Expr::col(value.clone()).add(1))
        .and_where(Expr::col(Alias::new("name")).eq(name))
        .returning(Query::returning().column(value))
        .to_owned();
    let row = conn
        .query_one(&stmt)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("no sequence named {name}")))?;
    Ok(row.try_get("", "last_value")?)
}
