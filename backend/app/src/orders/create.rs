//! Creating an order (a draft): its fields and attachments checked.

use super::*;

pub(super) async fn checked_fields(
    state: &Core,
    input: &NewOrder,
) -> Result<OrderFields, AppError> {
    let regions = store::region_codes(&state.db).await?;
    fields::check(
        input,
        &|code| regions.iter().any(|r| r == code),
        today(state.clock.now()),
    )
    .map_err(problems)
}

/// Drops repeated ids and notes an issue unless every file is one the
/// owner uploaded.
async fn attachments_checked(
    state: &Core,
    owner: Uuid,
    ids: &[Uuid],
    errors: &mut FieldIssues,
) -> Result<Vec<Uuid>, AppError> {
    let mut unique: Vec<Uuid> = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    let owned = store::owned_files(&state.db, owner, &unique).await?;
    if owned.len() != unique.len() {
        push_issue(
            errors,
            "attachment_ids",
            mezha_domain::FieldError::new(
                "unknown_file",
                "attach only files you uploaded (POST /files)",
            ),
        );
    }
    Ok(unique)
}

/// The order's fields and attachments checked together, starting from the
/// issues of the request body's own rules (`body`): one answer names every
/// bad field.
pub(super) async fn checked_order(
    state: &Core,
    owner: Uuid,
    input: &NewOrder,
    mut errors: FieldIssues,
) -> Result<(OrderFields, Vec<Uuid>), AppError> {
    let regions = store::region_codes(&state.db).await?;
    let fields = fields::check(
        input,
        &|code| regions.iter().any(|r| r == code),
        today(state.clock.now()),
    )
    .map_err(|list| {
        for (field, error) in list {
            push_issue(&mut errors, field, error);
        }
    })
    .ok();
    let attachment_ids =
        attachments_checked(state, owner, &input.attachment_ids, &mut errors).await?;
    match fields {
        Some(fields) if errors.is_empty() => Ok((fields, attachment_ids)),
        _ => Err(AppError::validation(errors)),
    }
}

/// Who the customer is (docs/orders.md, "Customer type"): his requisites
/// say, or without them his profile's INN.
pub(super) async fn customer_type(state: &Core, user_id: Uuid) -> Result<CustomerType, AppError> {
    if let Some(own) = mezha_store::engineers::requisites_of(&state.db, user_id).await? {
        return Ok(fields::customer_type(
            Some(&own.data.inn),
            own.data.ogrn.as_deref(),
        ));
    }
    let user = mezha_store::users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::SessionRevoked, "accounts.gone"))?;
    Ok(fields::customer_type(user.inn.as_deref(), None))
}

/// The order `id` as its creation answered it: for an `Idempotency-Key`
/// retry whose first request created it but could not answer.
pub async fn created(state: &Core, auth: &Caller, id: Uuid) -> Result<Order, AppError> {
    let order = load(state, auth, id).await?;
    view(state, auth, order).await
}

/// Creates a draft (customers).
pub async fn create(state: &Core, auth: &Caller, input: NewOrder) -> Result<Order, AppError> {
    auth.require(&[Role::Customer])?;
    let body = crate::error::body_issues(&input);
    let (fields, attachment_ids) = checked_order(state, auth.user_id, &input, body).await?;
    let write = OrderWrite {
        fields,
        customer_type: customer_type(state, auth.user_id).await?,
        attachment_ids,
    };
    let order = store::create(&state.db, auth.user_id, write, state.clock.now()).await?;
    view(state, auth, order).await
}
