//! Development helpers: the outbox of mails and SMS "sent" on the
//! embedded default (`MEZHA_DEV_OUTBOX=1`).

use crate::{AppResult, context::Core, paging};
use mezha_api_types::dev::{OutboxList, OutboxMessage};
use mezha_api_types::page::PageQuery;
use uuid::Uuid;

/// A page of the outbox, newest first: after the cursor (the id of the
/// last message), to `recipient` if given. The page size is 50 by default
/// and brought within 1–100 rather than refused: a developer's tool.
pub async fn outbox(
    app: &Core,
    page: &PageQuery<50>,
    recipient: Option<&str>,
) -> AppResult<OutboxList> {
    let limit = page.limit_clamped();
    let before: Option<Uuid> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) =
        mezha_store::outbox::list(&app.db, u64::from(limit), before, recipient).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| r.id);
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
