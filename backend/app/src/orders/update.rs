//! Changing and deleting an order while its status allows it.

use super::*;

/// The order's fields as a [`NewOrder`], to merge a patch into.
pub(super) fn as_input(order: &OrderRecord, attachment_ids: Vec<Uuid>) -> NewOrder {
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
    state: &Core,
    auth: &Caller,
    id: Uuid,
    expected_version: Option<i64>,
    patch: UpdateOrder,
) -> Result<Order, AppError> {
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
    let body = crate::error::body_issues(&patch);
    let input = merge(as_input(&order, current_files), patch);
    let (fields, attachment_ids) = checked_order(state, auth.user_id, &input, body).await?;
    if order.status != OrderStatus::Draft {
        fields::check_publishable(&fields).map_err(problems)?;
    }
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
pub async fn delete(state: &Core, auth: &Caller, id: Uuid) -> Result<(), AppError> {
    auth.require(&[Role::Customer])?;
    let order = load(state, auth, id).await?;
    permit_caller(state, auth, &order, OrderAction::Delete).await?;
    store::delete_draft(&state.db, id)
        .await
        .map_err(|e| conflict(e, "orders.not_draft"))
}
