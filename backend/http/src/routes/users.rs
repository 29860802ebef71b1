//! Moderation of accounts: the user list, blocking and unblocking
//! (docs/accounts.md, "Moderation").

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::OptionalJson;
use crate::openapi::problems::Unauthorized;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::page::PageQuery;
use mezha_api_types::users::{BlockUser, UserList, UserListQuery};
use mezha_app::moderation;
use uuid::Uuid;

/// Accounts (moderators).
///
/// Newest first. `q` finds text in the e-mail address or the full name (any
/// case), or the digits of a SNILS, an INN or a phone number; `role` and
/// `blocked` filter. Each account says whether it is blocked, since when, why
/// and by whom, and what the caller may do with it (`allowed_actions`).
#[utoipa::path(
    operation_id = "list_users",
    tag = "moderation",
    security(("bearer" = [])),
    params(UserListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of accounts", body = UserList),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Acting role is not moderator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = moderation::list(&state.core(), &auth, &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Block an account (moderators).
///
/// The account's sessions end at once and it cannot log in until unblocked.
/// The reason (and who blocked it) is shown in the user list.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    request_body(content = Option<BlockUser>, description = "Why (may be left out)"),
    responses(
        (status = 204, description = "Blocked"),
        Unauthorized,
        (status = 403, description = "Acting role is not moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: already blocked, or the caller's own account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the reason is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/block")]
pub async fn block(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: OptionalJson<BlockUser>,
) -> Result<HttpResponse, ApiError> {
    moderation::block(&state.accounts(), &auth, id.into_inner(), body.0).await?;
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
        (status = 409, description = "`conflict`: the account is not blocked", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/unblock")]
pub async fn unblock(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    moderation::unblock(&state.accounts(), &auth, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
