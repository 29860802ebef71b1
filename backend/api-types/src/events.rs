//! Live events (`GET /events`, Server-Sent Events): the names of the
//! events and the ticket that authenticates a browser's `EventSource`.

use serde::{Deserialize, Serialize};

/// The SSE `event:` names. The `data:` of each is JSON:
/// `notification` — a [`crate::notifications::Notification`] (with an
/// `id:` to resume after); `counters` — the
/// [`crate::notifications::UnreadCounts`] now (no `id:`);
/// `chat_message` — a chat message (with an `id:`); `replaced` — the last
/// event of a stream ended because the user opened more streams than one
/// server keeps (its oldest goes): do not reconnect at once (`retry:` says
/// a minute), another window of the user has the live updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LiveEventKind {
    Notification,
    Counters,
    ChatMessage,
    Replaced,
}

impl LiveEventKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LiveEventKind::Notification => "notification",
            LiveEventKind::Counters => "counters",
            LiveEventKind::ChatMessage => "chat_message",
            LiveEventKind::Replaced => "replaced",
        }
    }
}

/// One event of the stream as a client reads it (the SSE fields of one
/// event, `text/event-stream`): the schema of each event, for the
/// document; the server writes the fields, not this JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEventFrame {
    /// The event's name.
    pub event: LiveEventKind,
    /// Its JSON (see [`LiveEventKind`]); for `replaced`, `{}`.
    pub data: String,
    /// The id to resume after (`notification`, `chat_message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Milliseconds to wait before reconnecting (`replaced`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<u64>,
}

/// `POST /events/ticket`: a one-use ticket for `GET /events?ticket=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "ticket": "kq3VnT0cQ9WcY4p2m8HrZbL1xA7sD5fG", "expires_in": 60
})))]
pub struct EventTicket {
    /// Opens one stream, once.
    pub ticket: String,
    /// Seconds it stays valid.
    pub expires_in: u64,
}
