//! The caller's orders and the search of published ones: one page at a
//! time, after an opaque cursor.

use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mezha_api_types::limits::LIST_LIMIT_MAX;
use mezha_api_types::orders::{MyOrdersQuery, OrderList, OrderSearchQuery, SearchSort};
use mezha_store::orders::{Cursor, Scope, SearchFilter};

const DEFAULT_LIMIT: u32 = 20;

fn limit(value: Option<u32>) -> Result<u64, AppError> {
    match value.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=LIST_LIMIT_MAX => Ok(u64::from(n)),
        _ => Err(AppError::field(
            "limit",
            mezha_domain::FieldError::new("out_of_range", format!("from 1 to {LIST_LIMIT_MAX}")),
        )),
    }
}

fn bad_cursor() -> AppError {
    AppError::new(ErrorCode::BadRequest, "paging.bad_cursor")
}

/// Cursors are opaque to clients: `p|<micros>|<id>`, `d|<date>|<id>` or
/// `u|<micros>|<id>`, base64url-encoded.
fn encode_cursor(cursor: Cursor) -> String {
    let text = match cursor {
        Cursor::Published(at, id) => format!("p|{}|{id}", at.timestamp_micros()),
        Cursor::Due(date, id) => format!("d|{date}|{id}"),
        Cursor::Updated(at, id) => format!("u|{}|{id}", at.timestamp_micros()),
    };
    URL_SAFE_NO_PAD.encode(text)
}

fn decode_cursor(text: Option<&str>) -> Result<Option<Cursor>, AppError> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad_cursor())?;
    let text = String::from_utf8(bytes).map_err(|_| bad_cursor())?;
    let mut parts = text.splitn(3, '|');
    let (Some(kind), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad_cursor());
    };
    let id: Uuid = id.parse().map_err(|_| bad_cursor())?;
    let micros = || {
        key.parse::<i64>()
            .ok()
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .ok_or_else(bad_cursor)
    };
    Ok(Some(match kind {
        "p" => Cursor::Published(micros()?, id),
        "u" => Cursor::Updated(micros()?, id),
        "d" => Cursor::Due(key.parse::<NaiveDate>().map_err(|_| bad_cursor())?, id),
        _ => return Err(bad_cursor()),
    }))
}

/// The caller's orders in its acting role: a customer's own, an engineer's
/// assigned, responded and offered ones, an employer's engineers' ones,
/// every published one for moderators. Most recently changed first.
pub async fn list(state: &App, auth: &Caller, query: MyOrdersQuery) -> Result<OrderList, AppError> {
    auth.require(&[
        Role::Customer,
        Role::Engineer,
        Role::Employer,
        Role::Moderator,
    ])?;
    let limit = limit(query.limit)?;
    let cursor = decode_cursor(query.cursor.as_deref())?;
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
    let next_cursor = if more {
        rows.last()
            .map(|o| encode_cursor(Cursor::Updated(o.updated_at, o.id)))
    } else {
        None
    };
    Ok(OrderList {
        items: rows.into_iter().map(summary).collect(),
        next_cursor,
    })
}

/// Published orders (`executor_selection`) matching the filters, for
/// engineers (and moderators).
pub async fn search(
    state: &App,
    auth: &Caller,
    q: OrderSearchQuery,
) -> Result<OrderList, AppError> {
    auth.require(&[Role::Engineer, Role::Moderator])?;
    let limit = limit(q.limit)?;
    let by_urgency = q.sort == Some(SearchSort::Urgency);
    let cursor = decode_cursor(q.cursor.as_deref())?;
    match (cursor, by_urgency) {
        (None, _) | (Some(Cursor::Due(..)), true) | (Some(Cursor::Published(..)), false) => {}
        _ => return Err(bad_cursor()),
    }
    let mut customer_types: Vec<CustomerType> =
        parse_list("customer_types", q.customer_types.as_deref())?;
    if customer_types.contains(&CustomerType::Person) {
        customer_types.push(CustomerType::SoleProprietor);
    }
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
    let next_cursor = if more {
        rows.last().and_then(|o| {
            if by_urgency {
                o.due_date.map(|d| encode_cursor(Cursor::Due(d, o.id)))
            } else {
                o.published_at
                    .map(|p| encode_cursor(Cursor::Published(p, o.id)))
            }
        })
    } else {
        None
    };
    Ok(OrderList {
        items: rows.into_iter().map(summary).collect(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        let at = DateTime::<Utc>::from_timestamp_micros(1_790_000_000_123_456).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for cursor in [
            Cursor::Published(at, id),
            Cursor::Updated(at, id),
            Cursor::Due(date, id),
        ] {
            let text = encode_cursor(cursor);
            assert_eq!(decode_cursor(Some(&text)).unwrap(), Some(cursor));
        }
        assert_eq!(decode_cursor(None).unwrap(), None);
        for bad in [
            "%%%",
            "eA",
            &URL_SAFE_NO_PAD.encode("x|1|2"),
            &URL_SAFE_NO_PAD.encode("p|zz|0"),
        ] {
            assert!(decode_cursor(Some(bad)).is_err(), "{bad}");
        }
    }
}
