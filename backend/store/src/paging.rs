//! Keyset pages of the lists kept in time order: the condition that starts
//! a page after the last row of the one before, and the split of the rows
//! read (one more than the page size) into the page and whether more
//! follow. The cursor that carries the key is `mezha_app::paging`'s.

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// Where a page of a list ordered by a time and the id starts: the time
/// and id of the last row of the page before.
pub type After = (DateTime<Utc>, Uuid);

/// Rows after `(at, id)` in ascending `(at_column, id_column)` order: a
/// later time, or the same time and a greater id.
pub(crate) fn later<C: ColumnTrait>(at_column: C, id_column: C, (at, id): After) -> SimpleExpr {
    Expr::tuple([Expr::col(at_column), Expr::col(id_column)])
        .gt(Expr::tuple([Expr::value(at), Expr::value(id)]))
}

/// Rows read with one more than `limit` (`.limit(limit + 1)`): the page
/// (the first `limit`) and whether more follow.
pub(crate) fn split<T>(mut rows: Vec<T>, limit: u64) -> (Vec<T>, bool) {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    (rows, more)
}

/// A page of the rows of `E` that belong to a parent (`parent`: the
/// condition that picks them), oldest first by `(at, id)`: `limit` rows
/// after `after` and whether more follow. The lists of an order's contract
/// and act versions, invoices and deliveries.
pub(crate) async fn oldest_first<E, C>(
    db: &C,
    parent: sea_orm::Condition,
    (at, id): (E::Column, E::Column),
    limit: u64,
    after: Option<After>,
) -> Result<(Vec<E::Model>, bool), StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut query = E::find().filter(parent);
    if let Some(after) = after {
        query = query.filter(later(at, id, after));
    }
    let rows = query
        .order_by_asc(at)
        .order_by_asc(id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(split(rows, limit))
}

/// A page of the rows of `E` that `parent` picks, newest first by `(at,
/// id)`: `limit` rows before `before` and whether more follow. The
/// organisations' invitations, audit logs, clients and data requests.
pub(crate) async fn newest_first<E, C>(
    db: &C,
    parent: sea_orm::Condition,
    (at, id): (E::Column, E::Column),
    limit: u64,
    before: Option<After>,
) -> Result<(Vec<E::Model>, bool), StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut query = E::find().filter(parent);
    if let Some((t, i)) = before {
        query = query.filter(
            Expr::tuple([Expr::col(at), Expr::col(id)])
                .lt(Expr::tuple([Expr::value(t), Expr::value(i)])),
        );
    }
    let rows = query
        .order_by_desc(at)
        .order_by_desc(id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(split(rows, limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_the_first_rows_and_whether_more_follow() {
        assert_eq!(split(vec![1, 2, 3], 2), (vec![1, 2], true));
        assert_eq!(split(vec![1, 2], 2), (vec![1, 2], false));
        assert_eq!(split(Vec::<u8>::new(), 2), (vec![], false));
    }
}
