//! Orders, search, responses and offers (docs/orders.md): who may see and do what,
//! checked against the domain rules ([`mezha_domain::orders`]), then
//! persisted. One file per verb: [`create`], [`list`] (the caller's orders
//! and the search), [`update`] (and delete), [`transitions`], [`responses`]
//! (and the choice of the executor), [`offers`]; what they share (loading,
//! visibility, the acting party, the views) is here.

mod create;
mod export;
mod list;
mod offers;
pub mod reminders;
mod responses;
mod tasks;
mod transitions;
mod update;

pub use create::*;
pub use export::export;
pub use list::*;
pub use offers::*;
pub use responses::*;
pub use tasks::tasks;
pub use transitions::*;
pub use update::*;

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::{AppError, FieldIssues, push_issue};
use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::ErrorCode;
use mezha_api_types::orders::{
    CustomerType, DEADLINE_DAYS_MAX, FileInfo, HistoryEntry, NewOffer, NewOrder, NewResponse,
    Offer, Order, OrderAction, OrderResponse, OrderStatus, OrderSummary, PRICE_MAX, UpdateOrder,
    WorkType,
};
use mezha_domain::Role;
use mezha_domain::orders::eligibility::{self, Refusal};
use mezha_domain::orders::fields::{self, FieldProblems, OrderFields};
use mezha_domain::orders::machine::{self, Actor, Effect, OrderFacts};
use mezha_domain::orders::reminders as reminders_rules;
use mezha_store::StoreError;
use mezha_store::marketplace::{self, OfferRecord, ResponseRecord};
use mezha_store::orders::{self as store, FileRecord, OrderRecord, OrderWrite};
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "orders.not_found")
}

fn problems(list: FieldProblems) -> AppError {
    crate::error::field_problems(list)
}

pub fn refusal(r: Refusal) -> AppError {
    let code = match &r {
        Refusal::NotAnEngineer => ErrorCode::NotAnEngineer,
        Refusal::Blocked => ErrorCode::EngineerBlocked,
        Refusal::ProfileIncomplete(_) => ErrorCode::EngineerProfileIncomplete,
        Refusal::RegionNotCovered(_) => ErrorCode::RegionNotCovered,
        Refusal::SoleActiveEngineer => ErrorCode::SoleActiveEngineer,
        Refusal::OffersDisabled => ErrorCode::OffersDisabled,
    };
    let message = match r {
        Refusal::NotAnEngineer => crate::msg!("orders.not_an_engineer"),
        Refusal::Blocked => crate::msg!("orders.engineer_blocked"),
        Refusal::ProfileIncomplete(fields) => {
            crate::msg!("orders.profile_incomplete", fields = fields.join(", "))
        }
        Refusal::RegionNotCovered(region) => {
            crate::msg!("orders.region_not_covered", region = region)
        }
        Refusal::SoleActiveEngineer => crate::msg!("orders.sole_active_engineer"),
        Refusal::OffersDisabled => crate::msg!("orders.offers_disabled"),
    };
    AppError::new(code, message)
}

pub(crate) fn facts(order: &OrderRecord) -> OrderFacts {
    OrderFacts {
        prepayment_required: order.prepayment_required,
        registration: order.registration,
        suspended_from: order.suspended_from,
        reviewed: order.reviewed_at.is_some(),
        act_signed: order.act_signed_at.is_some(),
        paid: order.paid_at.is_some(),
    }
}

/// The transition the platform's `action` (a document deciding it: both
/// signatures, a confirmed invoice) makes on `order`, taken by `by`: to
/// the status the machine says, or staying where it is when the action is
/// only recorded (a first closing fact, docs/acts.md). `None` when the
/// action is not possible now.
pub(crate) fn system_transition(
    order: &OrderRecord,
    action: OrderAction,
    by: Uuid,
) -> Option<store::Transition> {
    if !machine::may_act(Actor::System, action) {
        return None;
    }
    let to = match machine::apply(order.status, action, &facts(order)).ok()? {
        machine::Effect::MoveTo(to) => to,
        machine::Effect::Stay => order.status,
        machine::Effect::Delete => return None,
    };
    Some(store::Transition::new(action, order.status, to, Some(by)))
}

/// The caller's part in an order.
async fn actor(state: &Core, auth: &Caller, order: &OrderRecord) -> Result<Actor, AppError> {
    let outsider = order.customer_id != auth.user_id && order.executor_id != Some(auth.user_id);
    let pending = auth.role == Role::Engineer
        && outsider
        && marketplace::has_pending_offer(&state.db, order.id, auth.user_id).await?;
    Ok(actor_of(
        auth,
        order.customer_id,
        order.executor_id,
        pending,
    ))
}

/// Who the caller is to an order of `customer` executed by `executor`;
/// `pending_offer`: whether an engineer not chosen has an offer of it
/// awaiting his answer.
pub(crate) fn actor_of(
    auth: &Caller,
    customer: Uuid,
    executor: Option<Uuid>,
    pending_offer: bool,
) -> Actor {
    match auth.role {
        Role::Customer if customer == auth.user_id => Actor::Customer,
        Role::Engineer if executor == Some(auth.user_id) => Actor::Executor,
        Role::Engineer if customer != auth.user_id => Actor::Engineer {
            has_pending_offer: pending_offer,
        },
        _ => Actor::Observer,
    }
}

/// 409 naming the status and what the caller may do now.
fn illegal(order: &OrderRecord, action: OrderAction, actor: Actor) -> AppError {
    let allowed: Vec<String> = machine::allowed_actions(order.status, &facts(order), actor)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    let message = if allowed.is_empty() {
        crate::msg!("orders.illegal_transition_none")
    } else {
        crate::msg!("orders.illegal_transition", allowed = allowed.join(", "))
    }
    .arg("action", action)
    .arg("status", order.status);
    AppError::illegal_transition(message, order.status.as_str(), allowed)
}

/// Checks that `actor` may take `action` now; returns its effect.
fn permit(order: &OrderRecord, action: OrderAction, actor: Actor) -> Result<Effect, AppError> {
    if !machine::may_act(actor, action) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            crate::msg!("orders.forbidden_action", action = action),
        ));
    }
    machine::apply(order.status, action, &facts(order)).map_err(|_| illegal(order, action, actor))
}

/// What `action` does when the caller takes it, acting on the order as
/// [`actor`] says; refused as [`permit`] refuses.
pub(crate) async fn permit_caller(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    action: OrderAction,
) -> Result<Effect, AppError> {
    permit(order, action, actor(state, auth, order).await?)
}

/// Whether the caller may see the order (404 otherwise, so ids cannot be
/// probed).
async fn visible(state: &Core, auth: &Caller, order: &OrderRecord) -> Result<bool, AppError> {
    if order.customer_id == auth.user_id && auth.role == Role::Customer {
        return Ok(true);
    }
    if order.status == OrderStatus::Draft {
        return Ok(false);
    }
    Ok(match auth.role {
        Role::Moderator => true,
        Role::Engineer => {
            order.status == OrderStatus::ExecutorSelection
                || order.executor_id == Some(auth.user_id)
                || !marketplace::responses(&state.db, order.id, Some(auth.user_id))
                    .await?
                    .is_empty()
                || !marketplace::offers(&state.db, order.id, Some(auth.user_id))
                    .await?
                    .is_empty()
        }
        Role::Employer => {
            // The orders its engineers execute, responded to or were offered.
            let staff = mezha_store::employment::employees_of(&state.db, auth.user_id).await?;
            let involved = |id: Uuid| staff.contains(&id);
            order.executor_id.is_some_and(involved)
                || marketplace::responses(&state.db, order.id, None)
                    .await?
                    .iter()
                    .any(|r| involved(r.engineer_id))
                || marketplace::offers(&state.db, order.id, None)
                    .await?
                    .iter()
                    .any(|o| involved(o.engineer_id))
        }
        _ => false,
    })
}

/// Loads an order the caller may see.
pub async fn load(state: &Core, auth: &Caller, id: Uuid) -> Result<OrderRecord, AppError> {
    let order = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    if visible(state, auth, &order).await? {
        Ok(order)
    } else {
        Err(not_found())
    }
}

pub(crate) fn file_info(f: FileRecord) -> FileInfo {
    FileInfo {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
        created_at: f.created_at,
    }
}

/// The order as the caller sees it, with what it may do now.
pub async fn view(state: &Core, auth: &Caller, order: OrderRecord) -> Result<Order, AppError> {
    let actor = actor(state, auth, &order).await?;
    let allowed_actions = machine::allowed_actions(order.status, &facts(&order), actor);
    let attachments = store::attachments(&state.db, order.id)
        .await?
        .into_iter()
        .map(file_info)
        .collect();
    let executor_name = match order.executor_id {
        Some(executor) => mezha_store::users::names(&state.db, vec![executor])
            .await?
            .remove(&executor)
            .flatten(),
        None => None,
    };
    Ok(Order {
        id: order.id,
        number: order.number,
        status: order.status,
        suspended_from: order.suspended_from,
        title: order.title,
        work_types: order.work_types,
        description: order.description,
        cadastral_numbers: order.cadastral_numbers,
        region_code: order.region_code,
        address: order.address,
        customer_id: order.customer_id,
        customer_type: order.customer_type,
        deadline_date: order.deadline_date,
        deadline_days: order.deadline_days,
        due_date: order.due_date,
        overdue: reminders_rules::overdue(order.status, order.due_date, today(state.clock.now())),
        price: order.price,
        prepayment_required: order.prepayment_required,
        prepayment_percent: order.prepayment_percent,
        registration: order.registration,
        attachments,
        executor_id: order.executor_id,
        executor_name,
        responses_count: order.responses_count,
        action_links: mezha_api_types::orders::action_links(order.id, &allowed_actions),
        allowed_actions,
        version: order.version,
        created_at: order.created_at,
        updated_at: order.updated_at,
        published_at: order.published_at,
    })
}

/// A list row, as of `today` (Moscow time), with what `actor` may do.
pub fn summary(
    order: impl Into<store::SummaryRecord>,
    today: NaiveDate,
    actor: Actor,
) -> OrderSummary {
    let order = order.into();
    let facts = OrderFacts {
        prepayment_required: order.prepayment_required,
        registration: order.registration,
        suspended_from: order.suspended_from,
        reviewed: order.reviewed_at.is_some(),
        act_signed: order.act_signed_at.is_some(),
        paid: order.paid_at.is_some(),
    };
    let allowed_actions = machine::allowed_actions(order.status, &facts, actor);
    OrderSummary {
        action_links: mezha_api_types::orders::action_links(order.id, &allowed_actions),
        allowed_actions,
        id: order.id,
        number: order.number,
        status: order.status,
        title: order.title,
        work_types: order.work_types,
        region_code: order.region_code,
        address: order.address,
        customer_type: order.customer_type,
        deadline_date: order.deadline_date,
        deadline_days: order.deadline_days,
        due_date: order.due_date,
        overdue: reminders_rules::overdue(order.status, order.due_date, today),
        price: order.price,
        prepayment_required: order.prepayment_required,
        responses_count: order.responses_count,
        executor_id: order.executor_id,
        published_at: order.published_at,
        updated_at: order.updated_at,
    }
}

/// The customer's date (Moscow time; most of the customers are within a
/// few hours of it, and a date deadline is a calendar date).
pub(crate) fn today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(3)).date_naive()
}

/// A lost race (the status changed meanwhile) becomes 409.
pub(crate) fn conflict(err: StoreError, message: &'static str) -> AppError {
    match err {
        StoreError::VersionMismatch => AppError::new(ErrorCode::Conflict, message),
        other => other.into(),
    }
}
