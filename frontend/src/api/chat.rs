//! The order chat (`/orders/{id}/messages`).

use super::{ApiError, Method, call, encode};
use crate::state::Auth;
use mezha_api_types::chat::{ChatMessage, ChatPage, NewChatMessage};
use uuid::Uuid;

const NONE: Option<&()> = None;

/// The newest messages (the first page marks the chat read).
pub async fn page(auth: Auth, order: Uuid, cursor: Option<&str>) -> Result<ChatPage, ApiError> {
    let mut path = format!("/orders/{order}/messages?limit=50");
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// A text message.
pub async fn say(auth: Auth, order: Uuid, text: String) -> Result<ChatMessage, ApiError> {
    let path = format!("/orders/{order}/messages");
    let body = NewChatMessage { text };
    Ok(call(auth, Method::Post, &path, Some(&body), &[])
        .await?
        .body)
}
