//! Notifications (`/notifications`, `/me/notification-settings`).

use super::{ApiError, Credentials, Method, NONE, call, encode};
use mezha_api_types::notifications::{
    Notification, NotificationList, NotificationSettings, ReadAll, UnreadCounts,
    UpdateNotificationSettings,
};
use uuid::Uuid;

/// `GET /notifications/unread-counts`: the header badges.
pub async fn unread_counts(auth: impl Credentials) -> Result<UnreadCounts, ApiError> {
    let path = "/notifications/unread-counts";
    Ok(call(auth, Method::Get, path, NONE, &[]).await?.body)
}

/// `GET /notifications`: newest first, in the interface language.
pub async fn list(
    auth: impl Credentials,
    lang: &str,
    cursor: Option<&str>,
) -> Result<NotificationList, ApiError> {
    let mut path = format!("/notifications?limit=20&lang={lang}");
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// `POST /notifications/{id}/read`.
pub async fn read(auth: impl Credentials, id: Uuid, lang: &str) -> Result<Notification, ApiError> {
    let path = format!("/notifications/{id}/read?lang={lang}");
    Ok(call(auth, Method::Post, &path, NONE, &[]).await?.body)
}

/// `POST /notifications/read-all`.
pub async fn read_all(auth: impl Credentials) -> Result<ReadAll, ApiError> {
    Ok(
        call(auth, Method::Post, "/notifications/read-all", NONE, &[])
            .await?
            .body,
    )
}

/// `GET /me/notification-settings`.
pub async fn settings(auth: impl Credentials) -> Result<NotificationSettings, ApiError> {
    let path = "/me/notification-settings";
    Ok(call(auth, Method::Get, path, NONE, &[]).await?.body)
}

/// `PUT /me/notification-settings`.
pub async fn save_settings(
    auth: impl Credentials,
    body: &UpdateNotificationSettings,
) -> Result<NotificationSettings, ApiError> {
    let path = "/me/notification-settings";
    Ok(call(auth, Method::Put, path, Some(body), &[]).await?.body)
}

/// `POST /events/ticket`: a one-use ticket that opens `GET /events`
/// (an `EventSource` cannot send the access token).
pub async fn event_ticket(auth: impl Credentials) -> Result<String, ApiError> {
    let reply: serde_json::Value = call(auth, Method::Post, "/events/ticket", NONE, &[])
        .await?
        .body;
    reply["ticket"]
        .as_str()
        .map(str::to_owned)
        .ok_or(ApiError::Network)
}
