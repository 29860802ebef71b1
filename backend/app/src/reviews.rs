//! Reviews (docs/results.md, "Rating"): the customer of a completed order
//! rates its engineer once, 1 to 5, with an optional text; the engineer's
//! public card shows the mean and the reviews.

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::orders::OrderAction;
use mezha_api_types::page::PageQuery;
use mezha_api_types::reviews::{NewReview, Review, ReviewList};
use mezha_domain::Role;
use mezha_store::StoreError;
use mezha_store::paging::After;
use mezha_store::reviews::{self as store, ReviewRecord};
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "reviews.not_found")
}

async fn views(state: &Core, items: Vec<ReviewRecord>) -> Result<Vec<Review>, AppError> {
    let customers = items.iter().map(|r| r.customer_id).collect();
    let mut names = mezha_store::users::names(&state.db, customers).await?;
    Ok(items
        .into_iter()
        .map(|r| Review {
            id: r.id,
            order_id: r.order_id,
            engineer_id: r.engineer_id,
            rating: r.rating,
            text: r.text,
            customer_name: names.get_mut(&r.customer_id).and_then(Option::take),
            created_at: r.created_at,
        })
        .collect())
}

/// `GET /reviews/{id}` (the answer to a retried review).
pub async fn get(state: &Core, id: Uuid) -> Result<Review, AppError> {
    let review = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    views(state, vec![review])
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// The customer rates the engineer of his completed order, once.
pub async fn create(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewReview,
) -> Result<Review, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Customer])?;
    crate::orders::permit_caller(state, auth, &order, OrderAction::Review).await?;
    let engineer_id = order
        .executor_id
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a completed order has no executor")))?;
    let review = ReviewRecord {
        id: Uuid::now_v7(),
        order_id,
        engineer_id,
        customer_id: auth.user_id,
        rating: input.rating,
        text: input
            .text
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
        created_at: chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6),
    };
    store::insert(&state.db, &review)
        .await
        .map_err(|e| match e {
            StoreError::VersionMismatch | StoreError::Duplicate(_) => {
                AppError::new(ErrorCode::Conflict, "reviews.already")
            }
            other => other.into(),
        })?;
    get(state, review.id).await
}

/// `GET /engineers/{id}/reviews`: a listed engineer's reviews, newest first.
pub async fn of_engineer(
    state: &Core,
    engineer_id: Uuid,
    page: &PageQuery,
) -> Result<ReviewList, AppError> {
    if !crate::engineers::is_listed(state, engineer_id).await? {
        return Err(AppError::new(ErrorCode::NotFound, "engineers.not_found"));
    }
    let limit = paging::limit(page)?;
    let before: Option<After> = paging::decode(page.cursor.as_deref())?;
    let (rows, more) = store::of_engineer(&state.db, engineer_id, limit, before).await?;
    let next_cursor = paging::next_cursor(more, &rows, |r| (r.created_at, r.id));
    Ok(ReviewList {
        items: views(state, rows).await?,
        next_cursor,
    })
}
