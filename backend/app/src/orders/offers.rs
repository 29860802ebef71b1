//! Offers: a customer offers his order to an engineer, who accepts or
//! declines.

use super::*;
use crate::paging;
use mezha_api_types::orders::OfferList;
use mezha_api_types::page::PageQuery;
use mezha_store::paging::After;

fn offer_view(o: OfferRecord) -> Offer {
    Offer {
        id: o.id,
        order_id: o.order_id,
        engineer_id: o.engineer_id,
        message: o.message,
        status: o.status,
        created_at: o.created_at,
        decided_at: o.decided_at,
    }
}

/// The customer offers the order to an engineer.
pub async fn offer(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewOffer,
) -> Result<Offer, AppError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, order_id).await?;
    permit_caller(state, auth, &order, OrderAction::Offer).await?;
    if input.engineer_id == auth.user_id {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "orders.own_order_offer",
        ));
    }
    if mezha_store::users::find_by_id(&state.db, input.engineer_id)
        .await?
        .is_none()
    {
        return Err(AppError::new(
            ErrorCode::NotFound,
            "orders.engineer_not_found",
        ));
    }
    let standing = mezha_store::engineers::standing(&state.db, input.engineer_id).await?;
    eligibility::may_receive_offer(&standing, order.region_code.as_deref()).map_err(refusal)?;
    let message = input
        .message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    let offer = marketplace::offer_to(
        &state.db,
        order_id,
        input.engineer_id,
        message,
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::new(ErrorCode::Conflict, "orders.offer_pending"),
        other => other.into(),
    })?;
    Ok(offer_view(offer))
}

/// The offer `id` as its creation answered it: for an `Idempotency-Key`
/// retry whose first request created it but could not answer.
pub async fn created_offer(state: &Core, auth: &Caller, id: Uuid) -> Result<Offer, AppError> {
    let offer = marketplace::find_offer(&state.db, id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))?;
    let order = load(state, auth, offer.order_id).await?;
    if order.customer_id != auth.user_id {
        return Err(AppError::new(ErrorCode::NotFound, "common.not_found"));
    }
    Ok(offer_view(offer))
}

/// A page of the offers of an order, oldest first: all for its customer,
/// his own for an engineer. The cursor is the time and id of the last
/// offer of the page before.
pub async fn offers(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<OfferList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let order = load(state, auth, order_id).await?;
    let only = match auth.role {
        Role::Customer | Role::Moderator => None,
        Role::Employer => return Ok(OfferList::last(Vec::new())),
        _ if order.customer_id == auth.user_id => None,
        _ => Some(auth.user_id),
    };
    let (rows, more) = marketplace::offers_page(&state.db, order_id, only, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |o| (o.created_at, o.id));
    Ok(OfferList {
        items: rows.into_iter().map(offer_view).collect(),
        next_cursor,
    })
}

/// The engineer accepts (the order moves to contract signing) or declines
/// an offer made to him.
pub async fn answer_offer(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    accept: bool,
) -> Result<(Offer, Uuid), AppError> {
    auth.require(&[Role::Engineer])?;
    let offer = marketplace::find_offer(&state.db, id)
        .await?
        .filter(|o| o.engineer_id == auth.user_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "orders.offer_not_found"))?;
    let order = store::find(&state.db, offer.order_id)
        .await?
        .ok_or_else(not_found)?;
    let action = if accept {
        OrderAction::AcceptOffer
    } else {
        OrderAction::DeclineOffer
    };
    if offer.status != mezha_api_types::orders::OfferStatus::Pending {
        return Err(AppError::new(
            ErrorCode::Conflict,
            crate::msg!("orders.offer_not_pending", status = offer.status),
        ));
    }
    permit(
        &order,
        action,
        Actor::Engineer {
            has_pending_offer: true,
        },
    )?;
    if accept {
        let standing = mezha_store::engineers::standing(&state.db, auth.user_id).await?;
        eligibility::may_respond(&standing, order.region_code.as_deref()).map_err(refusal)?;
    }
    let offer = marketplace::answer_offer(&state.db, id, accept, state.clock.now())
        .await
        .map_err(|e| conflict(e, "orders.offer_changed"))?;
    Ok((offer_view(offer), order.id))
}
