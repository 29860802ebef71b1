//! The caller's orders and the search of published ones: one page at a
//! time, after an opaque cursor.
//!
//! A cursor ([`crate::paging`]) carries the store's [`Cursor`]: the sort key
//! and id of the last order of the page; one of another sort is refused.

use super::*;
use crate::paging::{self, bad_cursor};
use mezha_api_types::orders::{MyOrdersQuery, OrderList, OrderSearchQuery, SearchSort};
use mezha_store::orders::{Cursor, Scope, SearchFilter};

/// The caller's orders in its acting role: a customer's own, an engineer's
/// assigned, responded and offered ones, an employer's engineers' ones,
/// every published one for moderators. Most recently changed first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    query: MyOrdersQuery,
) -> Result<OrderList, AppError> {
    auth.require(&[
        Role::Customer,
        Role::Engineer,
        Role::Employer,
        Role::Moderator,
    ])?;
    let limit = paging::limit(&query.page)?;
    let cursor = paging::decode(query.page.cursor.as_deref())?;
    if cursor.is_some() && !matches!(cursor, Some(Cursor::Updated(..))) {
        return Err(bad_cursor());
    }
    let scope = match auth.role {
        Role::Customer => Scope::Customer(auth.user_id),
        Role::Engineer => Scope::Engineers(vec![auth.user_id]),
        Role::Employer => {
            Scope::Engineers(mezha_store::employment::employees_of(&state.db, auth.user_id).await?)
        }
        _ => Scope::All,
    };
    let (rows, more) = store::list(
        &state.db,
        &scope,
        query.status,
        query.q.as_deref(),
        limit,
        cursor,
    )
    .await?;
    let next_cursor = paging::next_cursor(more, &rows, |o| Cursor::Updated(o.updated_at, o.id));
    Ok(OrderList {
        items: rows_with_actions(state, auth, rows).await?,
        next_cursor,
    })
}

/// Published orders (`executor_selection`) matching the filters, for
/// engineers (and moderators).
pub async fn search(
    state: &Core,
    auth: &Caller,
    q: OrderSearchQuery,
) -> Result<OrderList, AppError> {
    auth.require(&[Role::Engineer, Role::Moderator])?;
    let limit = paging::limit(&q.page)?;
    let by_urgency = q.sort == Some(SearchSort::Urgency);
    let cursor = paging::decode(q.page.cursor.as_deref())?;
    match (cursor, by_urgency) {
        (None, _) | (Some(Cursor::Due(..)), true) | (Some(Cursor::Published(..)), false) => {}
        _ => return Err(bad_cursor()),
    }
    let customer_types: Vec<CustomerType> =
        parse_list("customer_types", q.customer_types.as_deref())?;
    let filter = SearchFilter {
        region_code: q
            .region_code
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
        address: q
            .address
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty()),
        number: q.number,
        due_until: q.deadline_until,
        deadline_days_max: q.deadline_days_max,
        without_responses: q.without_responses.unwrap_or(false),
        with_prepayment: q.with_prepayment.unwrap_or(false),
        with_price: q.with_price.unwrap_or(false),
        customer_types,
        work_types: work_types(q.work_types.as_deref())?,
        by_urgency,
    };
    let (rows, more) = store::search(&state.db, &filter, limit, cursor).await?;
    let next_cursor = rows.last().filter(|_| more).and_then(|o| {
        let key = if by_urgency {
            Cursor::Due(o.due_date?, o.id)
        } else {
            Cursor::Published(o.published_at?, o.id)
        };
        Some(paging::encode(&key))
    });
    Ok(OrderList {
        items: rows_with_actions(state, auth, rows).await?,
        next_cursor,
    })
}

/// Parses a comma-separated list of wire names.
pub fn parse_list<T: std::str::FromStr>(
    field: &'static str,
    text: Option<&str>,
) -> Result<Vec<T>, AppError>
where
    T::Err: std::fmt::Display,
{
    let mut out = Vec::new();
    for part in text
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        out.push(part.parse::<T>().map_err(|e| {
            AppError::field(
                field,
                mezha_domain::FieldError::new("unknown_value", e.to_string()),
            )
        })?);
    }
    Ok(out)
}

/// The work types of a search filter.
pub fn work_types(text: Option<&str>) -> Result<Vec<WorkType>, AppError> {
    parse_list("work_types", text)
}

/// The rows as summaries, each with what the caller may do with it (an
/// engineer's pending offers read for the whole page at once).
async fn rows_with_actions(
    state: &Core,
    auth: &Caller,
    rows: Vec<impl Into<store::SummaryRecord>>,
) -> Result<Vec<OrderSummary>, AppError> {
    let rows: Vec<store::SummaryRecord> = rows.into_iter().map(Into::into).collect();
    let pending = if auth.role == Role::Engineer {
        let ids = rows.iter().map(|r| r.id).collect();
        mezha_store::marketplace::pending_offers_among(&state.db, auth.user_id, ids).await?
    } else {
        Default::default()
    };
    let today = super::today(state.clock.now());
    Ok(rows
        .into_iter()
        .map(|r| {
            let actor =
                super::actor_of(auth, r.customer_id, r.executor_id, pending.contains(&r.id));
            summary(r, today, actor)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_cursors_round_trip() {
        let id = Uuid::now_v7();
        let at = DateTime::<Utc>::from_timestamp_micros(1_790_000_000_123_456).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for cursor in [
            Cursor::Published(at, id),
            Cursor::Updated(at, id),
            Cursor::Due(date, id),
        ] {
            let text = paging::encode(&cursor);
            assert_eq!(paging::decode(Some(&text)).unwrap(), Some(cursor));
        }
        for bad in [
            "%%%",
            "eA",
            &paging::encode(&"x|1|2"),
            &paging::encode(&(at, id)),
        ] {
            assert!(paging::decode::<Cursor>(Some(bad)).is_err(), "{bad}");
        }
    }
}
