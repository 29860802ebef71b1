//! The order chat (docs/chat.md): `GET/POST /orders/{id}/messages`,
//! `POST /orders/{id}/messages/read`.

use crate::orders::FileInfo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Longest text message, in characters.
pub const TEXT_MAX_CHARS: u64 = 4000;
/// Largest file sent in a chat, in bytes (500 MiB by default; configurable).
pub const FILE_MAX_BYTES: u64 = 500 * 1024 * 1024;

/// A chat message: a text, or a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// UUIDv7: messages sort by it; the `id:` of its live event.
    pub id: Uuid,
    pub order_id: Uuid,
    pub author_id: Uuid,
    /// The author's full name, when the account has one.
    pub author_name: Option<String>,
    /// The text (absent for a file).
    pub text: Option<String>,
    /// The file (download with `GET /files/{id}`).
    pub file: Option<FileInfo>,
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// A page of the chat, newest first.
    ChatPage = Page<ChatMessage> {
        next_cursor: "Pass as `cursor` for older messages; `null` on the last page.",
    }
}

/// `POST /orders/{id}/messages` with `application/json`: a text message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewChatMessage {
    /// 1 to 4000 characters (trimmed).
    #[validate(length(max = 16000))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16000))]
    pub text: String,
}
