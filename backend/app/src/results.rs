//! Results (docs/results.md): the executor delivers them in one of four
//! ways (the order moves to `acceptance`); the customer accepts them (on to
//! `registration` or `payment`) or rejects them with reasons (back to
//! `in_progress`, the reasons in the history and told to the executor).

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::orders::{FileInfo, Order, OrderAction};
use mezha_api_types::page::PageQuery;
use mezha_api_types::results::{NewResult, OrderResult, RejectResults, ResultList, ResultStage};
use mezha_domain::Role;
use mezha_domain::orders::machine::Effect;
use mezha_domain::orders::results::{Delivery, check};
use mezha_store::StoreError;
use mezha_store::orders::Transition;
use mezha_store::paging::After;
use mezha_store::results::{self as store, ResultRecord};
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "results.not_found")
}

fn changed(err: StoreError) -> AppError {
    match err {
        StoreError::VersionMismatch => AppError::new(ErrorCode::Conflict, "orders.changed"),
        other => other.into(),
    }
}

async fn views(state: &Core, items: Vec<ResultRecord>) -> Result<Vec<OrderResult>, AppError> {
    let ids = items.iter().flat_map(|r| r.file_ids.clone()).collect();
    let files = mezha_store::files::find_many(&state.db, ids).await?;
    Ok(items
        .into_iter()
        .map(|r| OrderResult {
            id: r.id,
            order_id: r.order_id,
            stage: r.stage,
            method: r.method,
            link: r.link,
            uin: r.uin,
            files: r
                .file_ids
                .iter()
                .filter_map(|id| files.get(id))
                .map(|f| FileInfo {
                    id: f.id,
                    name: f.name.clone(),
                    content_type: f.content_type.clone(),
                    size: f.size,
                    sha256: f.sha256.clone(),
                    created_at: f.created_at,
                })
                .collect(),
            note: r.note,
            created_at: r.created_at,
        })
        .collect())
}

/// `GET /results/{id}` (the answer to a retried delivery).
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<OrderResult, AppError> {
    let delivery = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    crate::orders::load(state, auth, delivery.order_id)
        .await
        .map_err(|_| not_found())?;
    views(state, vec![delivery])
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// `GET /orders/{id}/results`, oldest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<ResultList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    crate::orders::load(state, auth, order_id).await?;
    let (rows, more) = store::list(&state.db, order_id, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    Ok(ResultList {
        items: views(state, rows).await?,
        next_cursor,
    })
}

/// The executor delivers the results (`Results`: the order awaits
/// acceptance) or the registration outcome (`RegistrationOutcome`: the
/// order awaits payment).
pub async fn deliver(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewResult,
    stage: ResultStage,
) -> Result<OrderResult, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Engineer])?;
    let action = match stage {
        ResultStage::Results => OrderAction::DeliverResults,
        ResultStage::RegistrationOutcome => OrderAction::SendRegistrationOutcome,
    };
    let Effect::MoveTo(to) = crate::orders::permit_caller(state, auth, &order, action).await?
    else {
        return Err(AppError::internal(anyhow::anyhow!(
            "delivery does not move"
        )));
    };
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let (link, uin, note) = (
        trimmed(&input.link),
        trimmed(&input.uin),
        trimmed(&input.note),
    );
    check(&Delivery {
        method: input.method,
        link: link.as_deref(),
        uin: uin.as_deref(),
        files: input.file_ids.len(),
        note: note.as_deref(),
    })
    .map_err(crate::error::field_problems)?;
    for file in &input.file_ids {
        crate::files::uploaded(state, auth, *file)
            .await
            .map_err(|_| {
                AppError::field(
                    "file_ids",
                    mezha_domain::FieldError::new("unknown_file", "upload the file first"),
                )
            })?;
    }
    let delivery = ResultRecord {
        id: Uuid::now_v7(),
        order_id,
        stage,
        method: input.method,
        link,
        uin,
        file_ids: input.file_ids,
        note,
        created_at: chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6),
    };
    let t = Transition::new(action, order.status, to, Some(auth.user_id));
    store::deliver(&state.db, &delivery, &t)
        .await
        .map_err(changed)?;
    get(state, auth, delivery.id).await
}

/// The customer accepts the results, or rejects them with `reasons`.
async fn decide(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    action: OrderAction,
    reasons: Option<String>,
) -> Result<Order, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Customer])?;
    let Effect::MoveTo(to) = crate::orders::permit_caller(state, auth, &order, action).await?
    else {
        return Err(AppError::internal(anyhow::anyhow!(
            "{action} does not move"
        )));
    };
    let mut t = Transition::new(action, order.status, to, Some(auth.user_id));
    t.comment = reasons;
    let order = mezha_store::orders::transition(&state.db, order_id, t, state.clock.now())
        .await
        .map_err(changed)?;
    crate::orders::view(state, auth, order).await
}

/// `POST /orders/{id}/accept`.
pub async fn accept(state: &Core, auth: &Caller, order_id: Uuid) -> Result<Order, AppError> {
    decide(state, auth, order_id, OrderAction::AcceptResults, None).await
}

/// `POST /orders/{id}/reject-results`.
pub async fn reject(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: RejectResults,
) -> Result<Order, AppError> {
    let reasons = input.reasons.trim().to_owned();
    if reasons.is_empty() {
        return Err(AppError::field(
            "reasons",
            mezha_domain::FieldError::new("required", "say what is wrong"),
        ));
    }
    decide(
        state,
        auth,
        order_id,
        OrderAction::RejectResults,
        Some(reasons),
    )
    .await
}
