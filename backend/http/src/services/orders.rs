//! Orders, search, responses and offers (SPEC §2): who may see and do what,
//! checked against the domain rules, then persisted.

use crate::auth::Auth;
use crate::error::{ApiError, FieldIssues, push_issue};
use crate::state::AppState;
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
use mezha_store::StoreError;
use mezha_store::marketplace::{self, OfferRecord, ResponseRecord};
use mezha_store::orders::{self as store, FileRecord, OrderRecord, OrderWrite};
use uuid::Uuid;

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No order has this id.")
}

fn problems(list: FieldProblems) -> ApiError {
    let mut errors = FieldIssues::new();
    for (field, error) in list {
        push_issue(&mut errors, field, error);
    }
    ApiError::validation(errors)
}

/// Maps a domain refusal to 403 with its code.
pub fn refusal(r: Refusal) -> ApiError {
    let code = match &r {
        Refusal::NotAnEngineer => ErrorCode::NotAnEngineer,
        Refusal::Blocked => ErrorCode::EngineerBlocked,
        Refusal::ProfileIncomplete(_) => ErrorCode::EngineerProfileIncomplete,
        Refusal::RegionNotCovered(_) => ErrorCode::RegionNotCovered,
        Refusal::SoleActiveEngineer => ErrorCode::SoleActiveEngineer,
        Refusal::OffersDisabled => ErrorCode::OffersDisabled,
    };
    let detail = r.to_string();
    let mut chars = detail.chars();
    let detail = match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => detail,
    };
    ApiError::new(code, detail)
}

fn facts(order: &OrderRecord) -> OrderFacts {
    OrderFacts {
        prepayment_required: order.prepayment_required,
        registration: order.registration,
        suspended_from: order.suspended_from,
    }
}

/// The caller's part in an order.
async fn actor(state: &AppState, auth: &Auth, order: &OrderRecord) -> Result<Actor, ApiError> {
    Ok(match auth.role {
        Role::Customer if order.customer_id == auth.user_id => Actor::Customer,
        Role::Engineer if order.executor_id == Some(auth.user_id) => Actor::Executor,
        Role::Engineer if order.customer_id != auth.user_id => Actor::Engineer {
            has_pending_offer: marketplace::has_pending_offer(&state.db, order.id, auth.user_id)
                .await?,
        },
        _ => Actor::Observer,
    })
}

/// 409 naming the status and what the caller may do now.
fn illegal(order: &OrderRecord, action: OrderAction, actor: Actor) -> ApiError {
    let allowed: Vec<String> = machine::allowed_actions(order.status, &facts(order), actor)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    let detail = format!(
        "`{action}` is not possible while the order is `{}`; allowed now: {}.",
        order.status,
        if allowed.is_empty() {
            "nothing".to_owned()
        } else {
            allowed.join(", ")
        }
    );
    ApiError::illegal_transition(detail, order.status.as_str(), allowed)
}

/// Checks that `actor` may take `action` now; returns its effect.
fn permit(order: &OrderRecord, action: OrderAction, actor: Actor) -> Result<Effect, ApiError> {
    if !machine::may_act(actor, action) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            format!("You may not `{action}` this order in your acting role."),
        ));
    }
    machine::apply(order.status, action, &facts(order)).map_err(|_| illegal(order, action, actor))
}

/// Whether the caller may see the order (404 otherwise, so ids cannot be
/// probed).
async fn visible(state: &AppState, auth: &Auth, order: &OrderRecord) -> Result<bool, ApiError> {
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
pub async fn load(state: &AppState, auth: &Auth, id: Uuid) -> Result<OrderRecord, ApiError> {
    let order = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    if visible(state, auth, &order).await? {
        Ok(order)
    } else {
        Err(not_found())
    }
}

fn file_info(f: FileRecord) -> FileInfo {
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
pub async fn view(state: &AppState, auth: &Auth, order: OrderRecord) -> Result<Order, ApiError> {
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
        price: order.price,
        prepayment_required: order.prepayment_required,
        prepayment_percent: order.prepayment_percent,
        registration: order.registration,
        attachments,
        executor_id: order.executor_id,
        executor_name,
        responses_count: order.responses_count,
        allowed_actions,
        version: order.version,
        created_at: order.created_at,
        updated_at: order.updated_at,
        published_at: order.published_at,
    })
}

/// A list row.
pub fn summary(order: impl Into<store::SummaryRecord>) -> OrderSummary {
    let order = order.into();
    OrderSummary {
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
fn today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(3)).date_naive()
}

async fn checked_fields(state: &AppState, input: &NewOrder) -> Result<OrderFields, ApiError> {
    let regions = store::region_codes(&state.db).await?;
    fields::check(
        input,
        &|code| regions.iter().any(|r| r == code),
        today(state.clock.now()),
    )
    .map_err(problems)
}

async fn checked_attachments(
    state: &AppState,
    owner: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, ApiError> {
    let mut unique: Vec<Uuid> = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    let owned = store::owned_files(&state.db, owner, &unique).await?;
    if owned.len() != unique.len() {
        let mut errors = FieldIssues::new();
        push_issue(
            &mut errors,
            "attachment_ids",
            mezha_domain::FieldError::new(
                "unknown_file",
                "attach only files you uploaded (POST /files)",
            ),
        );
        return Err(ApiError::validation(errors));
    }
    Ok(unique)
}

async fn customer_type(state: &AppState, user_id: Uuid) -> Result<CustomerType, ApiError> {
    let user = mezha_store::users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::SessionRevoked, "The account no longer exists."))?;
    Ok(fields::customer_type(user.inn.as_deref(), false))
}

/// Creates a draft (customers).
pub async fn create(state: &AppState, auth: &Auth, input: NewOrder) -> Result<Order, ApiError> {
    auth.require(&[Role::Customer])?;
    let fields = checked_fields(state, &input).await?;
    let attachment_ids = checked_attachments(state, auth.user_id, &input.attachment_ids).await?;
    let write = OrderWrite {
        fields,
        customer_type: customer_type(state, auth.user_id).await?,
        attachment_ids,
    };
    let order = store::create(&state.db, auth.user_id, write, state.clock.now()).await?;
    view(state, auth, order).await
}

/// The order's fields as a [`NewOrder`], to merge a patch into.
fn as_input(order: &OrderRecord, attachment_ids: Vec<Uuid>) -> NewOrder {
    NewOrder {
        title: order.title.clone(),
        work_types: order.work_types.clone(),
        description: order.description.clone(),
        cadastral_numbers: order.cadastral_numbers.clone(),
        region_code: order.region_code.clone(),
        address: order.address.clone(),
        deadline_date: order.deadline_date,
        deadline_days: order.deadline_days,
        price: order.price,
        prepayment_required: order.prepayment_required,
        prepayment_percent: order.prepayment_percent,
        registration: order.registration,
        attachment_ids,
    }
}

fn merge(mut input: NewOrder, patch: UpdateOrder) -> NewOrder {
    if let Some(v) = patch.title {
        input.title = v;
    }
    if let Some(v) = patch.work_types {
        input.work_types = v;
    }
    if let Some(v) = patch.description {
        input.description = v;
    }
    if let Some(v) = patch.cadastral_numbers {
        input.cadastral_numbers = v;
    }
    if let Some(v) = patch.region_code {
        input.region_code = v;
    }
    if let Some(v) = patch.address {
        input.address = v;
    }
    // A deadline given one way replaces the other.
    match (patch.deadline_date, patch.deadline_days) {
        (Some(date), None) => {
            input.deadline_date = date;
            if date.is_some() {
                input.deadline_days = None;
            }
        }
        (None, Some(days)) => {
            input.deadline_days = days;
            if days.is_some() {
                input.deadline_date = None;
            }
        }
        (Some(date), Some(days)) => {
            input.deadline_date = date;
            input.deadline_days = days;
        }
        (None, None) => {}
    }
    if let Some(v) = patch.price {
        input.price = v;
    }
    if let Some(v) = patch.prepayment_required {
        input.prepayment_required = v;
    }
    if let Some(v) = patch.prepayment_percent {
        input.prepayment_percent = v;
    }
    if let Some(v) = patch.registration {
        input.registration = v;
    }
    if let Some(v) = patch.attachment_ids {
        input.attachment_ids = v;
    }
    input
}

/// Edits an order (its customer, while the status allows it). A published
/// order must stay publishable.
pub async fn update(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    expected_version: Option<i64>,
    patch: UpdateOrder,
) -> Result<Order, ApiError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    let actor = actor(state, auth, &order).await?;
    permit(&order, OrderAction::Edit, actor)?;
    if let Some(expected) = expected_version
        && expected != order.version
    {
        return Err(StoreError::VersionMismatch.into());
    }
    let current_files = store::attachments(&state.db, id)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let input = merge(as_input(&order, current_files), patch);
    let fields = checked_fields(state, &input).await?;
    if order.status != OrderStatus::Draft {
        fields::check_publishable(&fields).map_err(problems)?;
    }
    let attachment_ids = checked_attachments(state, auth.user_id, &input.attachment_ids).await?;
    let write = OrderWrite {
        fields,
        customer_type: customer_type(state, auth.user_id).await?,
        attachment_ids,
    };
    let updated = store::update(
        &state.db,
        id,
        order.status,
        expected_version.or(Some(order.version)),
        write,
        auth.user_id,
        state.clock.now(),
    )
    .await?;
    view(state, auth, updated).await
}

/// Deletes a draft.
pub async fn delete(state: &AppState, auth: &Auth, id: Uuid) -> Result<(), ApiError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    permit(
        &order,
        OrderAction::Delete,
        actor(state, auth, &order).await?,
    )?;
    store::delete_draft(&state.db, id)
        .await
        .map_err(|e| conflict(e, "The order is no longer a draft."))
}

/// A lost race (the status changed meanwhile) becomes 409.
fn conflict(err: StoreError, detail: &str) -> ApiError {
    match err {
        StoreError::VersionMismatch => ApiError::new(ErrorCode::Conflict, detail),
        other => other.into(),
    }
}

/// Publishes a draft that has everything required.
pub async fn publish(state: &AppState, auth: &Auth, id: Uuid) -> Result<Order, ApiError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    let Effect::MoveTo(to) = permit(
        &order,
        OrderAction::Publish,
        actor(state, auth, &order).await?,
    )?
    else {
        return Err(ApiError::internal(anyhow::anyhow!("publish does not move")));
    };
    let fields = checked_fields(state, &as_input(&order, Vec::new())).await?;
    fields::check_publishable(&fields).map_err(problems)?;
    let t = store::Transition::new(OrderAction::Publish, order.status, to, Some(auth.user_id));
    let order = store::transition(&state.db, id, t, state.clock.now())
        .await
        .map_err(|e| conflict(e, "The order changed meanwhile; reload it."))?;
    view(state, auth, order).await
}

/// Cancels an order before the contract is signed.
pub async fn cancel(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    comment: Option<String>,
) -> Result<Order, ApiError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    permit(
        &order,
        OrderAction::Cancel,
        actor(state, auth, &order).await?,
    )?;
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
    .map_err(|e| conflict(e, "The order changed meanwhile; reload it."))?;
    let order = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    view(state, auth, order).await
}

/// The order's history.
pub async fn history(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
) -> Result<Vec<HistoryEntry>, ApiError> {
    load(state, auth, id).await?;
    Ok(store::history(&state.db, id)
        .await?
        .into_iter()
        .map(|h| HistoryEntry {
            id: h.id,
            action: h.action,
            from_status: h.from_status,
            to_status: h.to_status,
            actor_id: h.actor_id,
            comment: h.comment,
            created_at: h.created_at,
        })
        .collect())
}

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

/// An engineer responds.
pub async fn respond(
    state: &AppState,
    auth: &Auth,
    order_id: Uuid,
    input: NewResponse,
) -> Result<OrderResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let order = load(state, auth, order_id).await?;
    if order.customer_id == auth.user_id {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "You cannot respond to your own order.",
        ));
    }
    permit(
        &order,
        OrderAction::Respond,
        actor(state, auth, &order).await?,
    )?;
    let mut errors = FieldIssues::new();
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
        return Err(ApiError::validation(errors));
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
        StoreError::Duplicate(_) => ApiError::new(
            ErrorCode::AlreadyResponded,
            "You already have an active response to this order; withdraw it to send another.",
        ),
        other => conflict(other, "The order is no longer open for responses."),
    })?;
    Ok(response_view(response))
}

/// Responses to an order: all for its customer, his own for an engineer.
pub async fn responses(
    state: &AppState,
    auth: &Auth,
    order_id: Uuid,
) -> Result<Vec<OrderResponse>, ApiError> {
    let order = load(state, auth, order_id).await?;
    let only = match auth.role {
        Role::Customer | Role::Moderator => None,
        Role::Employer => return Ok(Vec::new()),
        _ if order.customer_id == auth.user_id => None,
        _ => Some(auth.user_id),
    };
    Ok(marketplace::responses(&state.db, order_id, only)
        .await?
        .into_iter()
        .map(response_view)
        .collect())
}

/// The engineer withdraws his active response.
pub async fn withdraw(state: &AppState, auth: &Auth, id: Uuid) -> Result<OrderResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let response = marketplace::find_response(&state.db, id)
        .await?
        .filter(|r| r.engineer_id == auth.user_id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No response has this id."))?;
    let updated = marketplace::withdraw(&state.db, response.id, state.clock.now())
        .await
        .map_err(|e| conflict(e, "Only an active response can be withdrawn."))?;
    Ok(response_view(updated))
}

/// The customer selects a response: its engineer becomes the executor.
pub async fn select(state: &AppState, auth: &Auth, id: Uuid) -> Result<Order, ApiError> {
    auth.require(&[Role::Customer])?;
    let not_found = || ApiError::new(ErrorCode::NotFound, "No response has this id.");
    let response = marketplace::find_response(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let order = store::find(&state.db, response.order_id)
        .await?
        .filter(|o| o.customer_id == auth.user_id)
        .ok_or_else(not_found)?;
    permit(&order, OrderAction::SelectResponse, Actor::Customer)?;
    if response.status != mezha_api_types::orders::ResponseStatus::Active {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "This response is `{}`; only an active one can be selected.",
                response.status
            ),
        ));
    }
    let standing = mezha_store::engineers::standing(&state.db, response.engineer_id).await?;
    eligibility::may_respond(&standing, order.region_code.as_deref()).map_err(refusal)?;
    marketplace::select(&state.db, id, auth.user_id, state.clock.now())
        .await
        .map_err(|e| conflict(e, "The order or the response changed meanwhile; reload it."))?;
    let order = store::find(&state.db, order.id)
        .await?
        .ok_or_else(not_found)?;
    view(state, auth, order).await
}

/// The customer offers the order to an engineer.
pub async fn offer(
    state: &AppState,
    auth: &Auth,
    order_id: Uuid,
    input: NewOffer,
) -> Result<Offer, ApiError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, order_id).await?;
    permit(
        &order,
        OrderAction::Offer,
        actor(state, auth, &order).await?,
    )?;
    if input.engineer_id == auth.user_id {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "You cannot offer your own order to yourself.",
        ));
    }
    if mezha_store::users::find_by_id(&state.db, input.engineer_id)
        .await?
        .is_none()
    {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "No engineer has this id.",
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
        StoreError::Duplicate(_) => ApiError::new(
            ErrorCode::Conflict,
            "This engineer already has a pending offer of this order.",
        ),
        other => other.into(),
    })?;
    Ok(offer_view(offer))
}

/// Offers of an order: all for its customer, his own for an engineer.
pub async fn offers(state: &AppState, auth: &Auth, order_id: Uuid) -> Result<Vec<Offer>, ApiError> {
    let order = load(state, auth, order_id).await?;
    let only = match auth.role {
        Role::Customer | Role::Moderator => None,
        Role::Employer => return Ok(Vec::new()),
        _ if order.customer_id == auth.user_id => None,
        _ => Some(auth.user_id),
    };
    Ok(marketplace::offers(&state.db, order_id, only)
        .await?
        .into_iter()
        .map(offer_view)
        .collect())
}

/// The engineer accepts (the order moves to contract signing) or declines
/// an offer made to him.
pub async fn answer_offer(
    state: &AppState,
    auth: &Auth,
    id: Uuid,
    accept: bool,
) -> Result<(Offer, Uuid), ApiError> {
    auth.require(&[Role::Engineer])?;
    let offer = marketplace::find_offer(&state.db, id)
        .await?
        .filter(|o| o.engineer_id == auth.user_id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No offer has this id."))?;
    let order = store::find(&state.db, offer.order_id)
        .await?
        .ok_or_else(not_found)?;
    let action = if accept {
        OrderAction::AcceptOffer
    } else {
        OrderAction::DeclineOffer
    };
    if offer.status != mezha_api_types::orders::OfferStatus::Pending {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "This offer is `{}`; only a pending one can be answered.",
                offer.status
            ),
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
        .map_err(|e| conflict(e, "The order or the offer changed meanwhile; reload it."))?;
    Ok((offer_view(offer), order.id))
}

/// Parses a comma-separated list of wire names.
pub fn parse_list<T: std::str::FromStr>(
    field: &'static str,
    text: Option<&str>,
) -> Result<Vec<T>, ApiError>
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
            ApiError::field(
                field,
                mezha_domain::FieldError::new("unknown_value", e.to_string()),
            )
        })?);
    }
    Ok(out)
}

/// The work types of a search filter.
pub fn work_types(text: Option<&str>) -> Result<Vec<WorkType>, ApiError> {
    parse_list("work_types", text)
}
