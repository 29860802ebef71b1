//! The order chat (`/orders/{id}/chats`, `/orders/{id}/messages`): a
//! thread per engineer, named by `engineer_id`.

use super::files::upload_with_progress;
use super::{ApiError, Credentials, Method, NONE, all_pages, call, encode};
use mezha_api_types::chat::{ChatMessage, ChatPage, ChatThreadPage, NewChatMessage};
use uuid::Uuid;

/// The messages path of a thread, with `?` started.
fn messages(order: Uuid, engineer: Uuid) -> String {
    format!("/orders/{order}/messages?engineer_id={engineer}")
}

/// The threads of the order the caller may read: every page.
pub async fn threads(auth: impl Credentials, order: Uuid) -> Result<ChatThreadPage, ApiError> {
    all_pages(auth, &format!("/orders/{order}/chats")).await
}

/// The newest messages of a thread (the first page marks it read).
pub async fn page(
    auth: impl Credentials,
    order: Uuid,
    engineer: Uuid,
    cursor: Option<&str>,
) -> Result<ChatPage, ApiError> {
    let mut path = format!("{}&limit=50", messages(order, engineer));
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", encode(cursor)));
    }
    Ok(call(auth, Method::Get, &path, NONE, &[]).await?.body)
}

/// A text message.
pub async fn say(
    auth: impl Credentials,
    order: Uuid,
    engineer: Uuid,
    text: String,
) -> Result<ChatMessage, ApiError> {
    let path = messages(order, engineer);
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
    engineer: Uuid,
    file: &web_sys::File,
    progress: impl Fn(u32) + 'static,
) -> Result<ChatMessage, ApiError> {
    let path = format!(
        "{}&name={}",
        messages(order, engineer),
        encode(&file.name())
    );
    upload_with_progress(auth, &path, file, progress).await
}
