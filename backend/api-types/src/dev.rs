//! `/dev/*`: development helpers, mounted only with `MEZHA_DEV_OUTBOX=1`.

use crate::common::Channel;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An e-mail or SMS the platform sent while the development outbox is on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "channel": "sms", "recipient": "+79123456789", "subject": null, "body": "Межа: код для входа 123456.", "created_at": "2026-11-22T10:00:00Z"})))]
pub struct OutboxMessage {
    /// Message id.
    pub id: Uuid,
    /// `email` or `sms`.
    pub channel: Channel,
    /// E-mail address or E.164 phone number.
    pub recipient: String,
    /// Subject (e-mail only).
    pub subject: Option<String>,
    /// Plain-text body.
    pub body: String,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

crate::page::page_schema! {
    /// `GET /dev/outbox`: messages, newest first.
    OutboxList = Page<OutboxMessage> {
        items: "Messages, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
        example: {"items": [], "next_cursor": null},
    }
}
