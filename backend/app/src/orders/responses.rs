//! Engineers' responses to published orders, and the customer's choice
//! of the executor among them.

use super::*;
use crate::paging;
use mezha_api_types::orders::ResponseList;
use mezha_api_types::page::PageQuery;
use mezha_store::paging::After;

fn response_view(r: ResponseRecord) -> OrderResponse {
    OrderResponse {
        id: r.id,
        order_id: r.order_id,
        engineer_id: r.engineer_id,
        engineer_name: r.engineer_name,
        price: r.price,
        deadline_days: r.deadline_days,
        message: r.message,
        status: r.status,
        created_at: r.created_at,
    }
}

/// An engineer responds.
pub async fn respond(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewResponse,
) -> Result<OrderResponse, AppError> {
    auth.require(&[Role::Engineer])?;
    let order = load(state, auth, order_id).await?;
    if order.customer_id == auth.user_id {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "orders.own_order_response",
        ));
    }
    permit_caller(state, auth, &order, OrderAction::Respond).await?;
    let mut errors = crate::error::body_issues(&input);
    if !(1..=PRICE_MAX).contains(&input.price) {
        push_issue(
            &mut errors,
            "price",
            mezha_domain::FieldError::new("out_of_range", format!("from 1 to {PRICE_MAX} roubles")),
        );
    }
    if !(1..=DEADLINE_DAYS_MAX).contains(&input.deadline_days) {
        push_issue(
            &mut errors,
            "deadline_days",
            mezha_domain::FieldError::new(
                "out_of_range",
                format!("from 1 to {DEADLINE_DAYS_MAX} days"),
            ),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let standing = mezha_store::engineers::standing(&state.db, auth.user_id).await?;
    eligibility::may_respond(&standing, order.region_code.as_deref()).map_err(refusal)?;
    let response = marketplace::respond(
        &state.db,
        order_id,
        auth.user_id,
        input.price,
        input.deadline_days,
        input.message.trim().to_owned(),
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => {
            AppError::new(ErrorCode::AlreadyResponded, "orders.already_responded")
        }
        other => conflict(other, "orders.closed_for_responses"),
    })?;
    Ok(response_view(response))
}

/// A page of the responses to an order, oldest first: all for its
/// customer, his own for an engineer. The cursor is the time and id of the
/// last response of the page before.
pub async fn responses(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<ResponseList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let order = load(state, auth, order_id).await?;
    let only = match auth.role {
        Role::Customer | Role::Moderator => None,
        Role::Employer => return Ok(ResponseList::last(Vec::new())),
        _ if order.customer_id == auth.user_id => None,
        _ => Some(auth.user_id),
    };
    let (rows, more) = marketplace::responses_page(&state.db, order_id, only, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    Ok(ResponseList {
        items: rows.into_iter().map(response_view).collect(),
        next_cursor,
    })
}

/// The caller's response `id` as its creation answered it: for an
/// `Idempotency-Key` retry whose first request created it but could not
/// answer.
pub async fn created_response(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<OrderResponse, AppError> {
    marketplace::find_response(&state.db, id)
        .await?
        .filter(|r| r.engineer_id == auth.user_id)
        .map(response_view)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "common.not_found"))
}

/// The engineer withdraws his active response.
pub async fn withdraw(state: &Core, auth: &Caller, id: Uuid) -> Result<OrderResponse, AppError> {
    auth.require(&[Role::Engineer])?;
    let response = marketplace::find_response(&state.db, id)
        .await?
        .filter(|r| r.engineer_id == auth.user_id)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "orders.response_not_found"))?;
    let updated = marketplace::withdraw(&state.db, response.id, state.clock.now())
        .await
        .map_err(|e| conflict(e, "orders.response_not_withdrawable"))?;
    Ok(response_view(updated))
}

/// The customer selects a response: its engineer becomes the executor.
pub async fn select(state: &Core, auth: &Caller, id: Uuid) -> Result<Order, AppError> {
    auth.require(&[Role::Customer])?;
    let not_found = || AppError::new(ErrorCode::NotFound, "orders.response_not_found");
    let response = marketplace::find_response(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let order = store::find(&state.db, response.order_id)
        .await?
        .filter(|o| o.customer_id == auth.user_id)
        .ok_or_else(not_found)?;
    permit(&order, OrderAction::SelectResponse, Actor::Customer)?;
    if response.status != mezha_api_types::orders::ResponseStatus::Active {
        return Err(AppError::new(
            ErrorCode::Conflict,
            crate::msg!("orders.response_not_selectable", status = response.status),
        ));
    }
    let standing = mezha_store::engineers::standing(&state.db, response.engineer_id).await?;
    eligibility::may_respond(&standing, order.region_code.as_deref()).map_err(refusal)?;
    marketplace::select(&state.db, id, auth.user_id, state.clock.now())
        .await
        .map_err(|e| conflict(e, "orders.response_changed"))?;
    let order = store::find(&state.db, order.id)
        .await?
        .ok_or_else(not_found)?;
    view(state, auth, order).await
}
