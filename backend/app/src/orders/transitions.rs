//! The order's status changes the customer makes (publish, cancel) and
//! its history.

use super::*;
use crate::paging;
use mezha_api_types::orders::HistoryList;
use mezha_api_types::page::PageQuery;
use mezha_store::paging::After;

/// Publishes a draft that has everything required.
pub async fn publish(state: &Core, auth: &Caller, id: Uuid) -> Result<Order, AppError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    let Effect::MoveTo(to) = permit_caller(state, auth, &order, OrderAction::Publish).await? else {
        return Err(AppError::internal(anyhow::anyhow!("publish does not move")));
    };
    let fields = checked_fields(state, &as_input(&order, Vec::new())).await?;
    fields::check_publishable(&fields).map_err(problems)?;
    let t = store::Transition::new(OrderAction::Publish, order.status, to, Some(auth.user_id));
    let order = store::transition(&state.db, id, t, state.clock.now())
        .await
        .map_err(|e| conflict(e, "orders.changed"))?;
    view(state, auth, order).await
}

/// Cancels an order before the contract is signed.
pub async fn cancel(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    comment: Option<String>,
) -> Result<Order, AppError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    permit_caller(state, auth, &order, OrderAction::Cancel).await?;
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    marketplace::cancel(
        &state.db,
        id,
        order.status,
        auth.user_id,
        comment,
        state.clock.now(),
    )
    .await
    .map_err(|e| conflict(e, "orders.changed"))?;
    let order = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    view(state, auth, order).await
}

/// A history entry as the API shows it.
pub(crate) fn history_entry(h: mezha_store::orders::HistoryRecord) -> HistoryEntry {
    HistoryEntry {
        id: h.id,
        action: h.action,
        from_status: h.from_status,
        to_status: h.to_status,
        actor_id: h.actor_id,
        comment: h.comment,
        created_at: h.created_at,
    }
}

/// A page of the order's history, oldest first; the cursor is the time
/// and id of the last entry of the page before.
pub async fn history(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    page: &PageQuery,
) -> Result<HistoryList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    load(state, auth, id).await?;
    let (rows, more) = store::history(&state.db, id, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |h| (h.created_at, h.id));
    let items = rows.into_iter().map(history_entry).collect();
    Ok(HistoryList { items, next_cursor })
}
