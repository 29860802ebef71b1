//! Moderation of accounts.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::openapi::problems::Unauthorized;
use crate::state::AppState;
use actix_web::{HttpResponse, post, web};
use mezha_api_types::{Problem, Role};
use mezha_app::accounts;
use uuid::Uuid;

/// Block an account (moderators).
///
/// The account's sessions end at once and it cannot log in until unblocked.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 204, description = "Blocked"),
        Unauthorized,
        (status = 403, description = "Acting role is not moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/block")]
pub async fn block(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Moderator])?;
    accounts::set_blocked(&state.accounts(), id.into_inner(), true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unblock an account (moderators).
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 204, description = "Unblocked"),
        Unauthorized,
        (status = 403, description = "Acting role is not moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/unblock")]
pub async fn unblock(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Moderator])?;
    accounts::set_blocked(&state.accounts(), id.into_inner(), false).await?;
    Ok(HttpResponse::NoContent().finish())
}
