//! Moderation of accounts (`/users`): the list, block with a reason, unblock.

use super::{ApiError, Credentials, Method, NONE, call, query_string};
use mezha_api_types::users::{BlockUser, UserList, UserListQuery};
use serde::de::IgnoredAny;
use uuid::Uuid;

/// `GET /users` (moderators).
pub async fn list(auth: impl Credentials, query: &UserListQuery) -> Result<UserList, ApiError> {
    let path = format!("/users{}", query_string(query));
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /users/{id}/block` with the reason.
pub async fn block(
    auth: impl Credentials,
    id: Uuid,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let body = BlockUser { reason };
    call::<_, IgnoredAny>(
        auth,
        Method::Post,
        &format!("/users/{id}/block"),
        Some(&body),
        &[],
    )
    .await?;
    Ok(())
}

/// `POST /users/{id}/unblock`.
pub async fn unblock(auth: impl Credentials, id: Uuid) -> Result<(), ApiError> {
    call::<(), IgnoredAny>(
        auth,
        Method::Post,
        &format!("/users/{id}/unblock"),
        NONE,
        &[],
    )
    .await?;
    Ok(())
}
