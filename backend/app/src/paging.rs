//! Lists, one page at a time: the page size a request asks for and the
//! one cursor codec of every list.
//!
//! A cursor is opaque to clients: URL-safe base64 (no padding) of the JSON
//! of a list's own key — the sort key and id of the last row of the page,
//! whatever that list needs to start the next page after it. A cursor this
//! codec did not make, or one of another list, is the one `400` of
//! [`bad_cursor`].

use crate::AppError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mezha_api_types::ErrorCode;
use mezha_api_types::limits::LIST_LIMIT_MAX;
use mezha_api_types::page::PageQuery;
use mezha_domain::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The page size asked for: 1–100, the query's default when absent; `422`
/// on `limit` otherwise.
pub fn limit<const DEFAULT: u32>(page: &PageQuery<DEFAULT>) -> Result<u64, AppError> {
    page.limit().map(u64::from).ok_or_else(|| {
        AppError::field(
            "limit",
            FieldError::new("out_of_range", format!("from 1 to {LIST_LIMIT_MAX}")),
        )
    })
}

/// The cursor of the page after the one ending with `key`.
pub fn encode<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// The key in a cursor made by [`encode`]; `None` when there is no cursor
/// (absent or empty: the first page); [`bad_cursor`] when it is not one.
pub fn decode<K: DeserializeOwned>(cursor: Option<&str>) -> Result<Option<K>, AppError> {
    let Some(cursor) = cursor.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .map(Some)
        .ok_or_else(bad_cursor)
}

/// `400`: the cursor is not one this list gave out.
pub fn bad_cursor() -> AppError {
    AppError::new(ErrorCode::BadRequest, "paging.bad_cursor")
}

/// `next_cursor` of a page of `rows` (read with one row more than the
/// page size to learn whether `more` follow): the key of the last row, or
/// `None` on the last page.
pub fn next_cursor<R, K: Serialize>(
    more: bool,
    rows: &[R],
    key: impl Fn(&R) -> K,
) -> Option<String> {
    if more {
        rows.last().map(|row| encode(&key(row)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    #[test]
    fn cursors_round_trip_and_refuse_what_they_did_not_make() {
        let key = (
            DateTime::<Utc>::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            Uuid::now_v7(),
        );
        let cursor = encode(&key);
        assert!(!cursor.contains(['+', '/', '=']), "{cursor}");
        assert_eq!(decode(Some(&cursor)).unwrap(), Some(key));
        assert_eq!(decode::<Uuid>(None).unwrap(), None);
        assert_eq!(decode::<Uuid>(Some("")).unwrap(), None);
        for bad in ["%%%", "!!!", "zz", "x", &encode(&"not a uuid")] {
            let err = decode::<Uuid>(Some(bad)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::BadRequest, "{bad}");
        }
        // A cursor of another list's key is refused too.
        assert!(decode::<Uuid>(Some(&cursor)).is_err());
    }

    #[test]
    fn the_limit_is_1_to_100() {
        let page = |limit| PageQuery::<20> {
            limit,
            cursor: None,
        };
        assert_eq!(limit(&page(None)).unwrap(), 20);
        assert_eq!(limit(&PageQuery::<50>::default()).unwrap(), 50);
        assert_eq!(limit(&page(Some(100))).unwrap(), 100);
        for n in [0, 101] {
            let err = limit(&page(Some(n))).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ValidationFailed, "{n}");
        }
    }

    #[test]
    fn the_next_cursor_is_the_last_row_of_a_full_page() {
        assert_eq!(next_cursor(false, &[1, 2], |n| *n), None);
        assert_eq!(next_cursor(true, &[] as &[u8], |n| *n), None);
        let next = next_cursor(true, &[1, 2], |n| *n).unwrap();
        assert_eq!(decode::<i32>(Some(&next)).unwrap(), Some(2));
    }
}
