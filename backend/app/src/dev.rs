//! Development helpers: the outbox of mails and SMS "sent" on the
//! embedded default (`MEZHA_DEV_OUTBOX=1`).

use crate::{App, AppError, AppResult};
use mezha_api_types::ErrorCode;
use mezha_api_types::dev::{OutboxList, OutboxMessage};
use uuid::Uuid;

/// A page of the outbox, newest first: at most `limit` messages before
/// `cursor` (the `next_cursor` of the previous page), to `recipient` if given.
pub async fn outbox(
    app: &App,
    limit: u32,
    cursor: Option<&str>,
    recipient: Option<&str>,
) -> AppResult<OutboxList> {
    let before = match cursor {
        Some(cursor) => Some(cursor.parse::<Uuid>().map_err(|_| {
            AppError::new(
                ErrorCode::BadRequest,
                "The cursor is not one this endpoint returned.",
            )
        })?),
        None => None,
    };
    let (rows, more) =
        mezha_store::outbox::list(&app.db, u64::from(limit), before, recipient).await?;
    let next_cursor = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| OutboxMessage {
            id: r.id,
            channel: r.channel,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            created_at: r.created_at,
        })
        .collect();
    Ok(OutboxList { items, next_cursor })
}
