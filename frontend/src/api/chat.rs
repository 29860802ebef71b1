//! The order chat (`/orders/{id}/messages`).

use super::files::upload_with_progress;
use super::{ApiError, Credentials, Method, NONE, call, encode};
use mezha_api_types::chat::{ChatMessage, ChatPage, NewChatMessage};
use uuid::Uuid;

/// The newest messages (the first page marks the chat read).
pub async fn page(
    auth: impl Credentials,
    order: Uuid,
    cursor: Option<&str>,
) -> Result<ChatPage, ApiError> {
    let mut path = format!("/orders/{order}/messages?limit=50");
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// A text message.
pub async fn say(
    auth: impl Credentials,
    order: Uuid,
    text: String,
) -> Result<ChatMessage, ApiError> {
    let path = format!("/orders/{order}/messages");
    let body = NewChatMessage { text };
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}

/// A file as a message (`?name=` its name), its upload's progress (0–100)
/// going to `progress`.
pub async fn send_file(
    auth: impl Credentials,
    order: Uuid,
    file: &web_sys::File,
    progress: impl Fn(u32) + 'static,
) -> Result<ChatMessage, ApiError> {
    let path = format!("/orders/{order}/messages?name={}", encode(&file.name()));
    upload_with_progress(auth, &path, file, progress).await
}
