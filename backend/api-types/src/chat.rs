//! The order chat (docs/chat.md): `GET /orders/{id}/chats`,
//! `GET/POST /orders/{id}/messages`, `POST /orders/{id}/messages/read`.
//! An order's chat has a thread per engineer: the executor's, and before
//! him one with each engineer the order is offered to.

use crate::orders::FileInfo;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// The thread's engineer: the message is between him and the customer.
    pub engineer_id: Uuid,
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

wire_enum! {
    /// Where a thread of an order's chat is.
    pub enum ChatStage {
        /// With the order's executor.
        Executor => "executor",
        /// With an engineer the order is offered to, before he answers.
        Offered => "offered",
        /// His offer was declined or closed: read only.
        Closed => "closed",
    }
}

wire_enum! {
    /// What the caller may do in a thread now.
    pub enum ChatAction {
        /// Send a message (`POST /orders/{id}/messages?engineer_id=`).
        Send => "send",
        /// Mark it read (`POST /orders/{id}/messages/read?engineer_id=`).
        MarkRead => "mark_read",
    }
}

/// A thread of an order's chat: the customer and one engineer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatThread {
    pub order_id: Uuid,
    /// The thread's engineer (pass as `engineer_id` to its messages).
    pub engineer_id: Uuid,
    /// The engineer's full name, when the account has one.
    pub engineer_name: Option<String>,
    pub stage: ChatStage,
    /// Messages by others the caller has not read (`0` for readers who are
    /// not one of its two people).
    pub unread: u64,
    /// When its newest message was written (`null`: none yet).
    pub last_message_at: Option<DateTime<Utc>>,
    /// What the caller may do in it now.
    pub allowed_actions: Vec<ChatAction>,
}

crate::page::page_schema! {
    /// The threads of an order's chat the caller may read, executor's first.
    ChatThreadPage = Page<ChatThread> {
        next_cursor: "Pass as `cursor` for the next threads; `null` on the last page.",
    }
}

/// `POST /orders/{id}/messages` with `application/json`: a text message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewChatMessage {
    /// 1 to 4000 characters (trimmed).
    #[cfg_attr(feature = "validate", validate(length(max = 16000)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 16000))]
    pub text: String,
}
