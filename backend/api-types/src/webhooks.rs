//! Webhooks for integrators (docs/webhooks.md): registering a URL
//! for some notification kinds, the delivery log, and the body of each
//! request Mezha sends.

use crate::notifications::{NotificationKind, ObjectLink};
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

wire_enum! {
    /// Where a webhook delivery stands.
    pub enum DeliveryStatus {
        /// Waiting for its (next) attempt.
        Pending => "pending",
        /// The receiver answered 2xx.
        Sent => "sent",
        /// Given up after every attempt failed.
        Failed => "failed",
    }
}

/// `POST /webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "url": "https://crm.example.com/hooks/mezha",
    "kinds": ["response_received", "offer_accepted"]
})))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where to POST: `http` or `https`, a public address, at most 2000
    /// characters.
    pub url: String,
    /// The kinds to send (at least one, each once).
    pub kinds: Vec<NotificationKind>,
}

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    /// Webhook id (the `Mezha-Webhook-Id` header).
    pub id: Uuid,
    /// Where requests go.
    pub url: String,
    /// The kinds sent.
    pub kinds: Vec<NotificationKind>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

/// `POST /webhooks` → 201: the webhook and its signing secret, shown only
/// this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    /// Webhook id.
    pub id: Uuid,
    /// Where requests go.
    pub url: String,
    /// The kinds sent.
    pub kinds: Vec<NotificationKind>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// The HMAC-SHA256 key of `Mezha-Signature`; keep it, it is not shown
    /// again.
    pub secret: String,
}

crate::page::page_schema! {
    /// `GET /webhooks`: the caller's webhooks (at most 10), oldest first.
    WebhookList = Page<Webhook> {
        items: "Webhooks, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// One delivery of one event to one webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// Delivery id (the `Mezha-Delivery` header and the body's `id`).
    pub id: Uuid,
    /// The event kind.
    pub event: NotificationKind,
    /// `pending` (waiting for its next attempt), `sent` (answered 2xx) or
    /// `failed` (given up after every attempt failed).
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last answer, if one came.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the delivery was queued.
    pub created_at: DateTime<Utc>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the receiver accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

crate::page::page_schema! {
    /// `GET /webhooks/{id}/deliveries`: newest first.
    WebhookDeliveryList = Page<WebhookDelivery> {
        items: "Deliveries, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// What a webhook request carries about the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookData {
    /// The event kind.
    pub kind: NotificationKind,
    /// The object it concerns.
    pub object: ObjectLink,
    /// The object in the web app.
    pub link: String,
    /// One-line summary, in the account's language.
    pub title: String,
    /// Plain-text details, in the account's language.
    pub body: String,
    /// The event's own fields (`kind` and, per kind, the order, the
    /// response, the certificate, …), as the notification catalogue
    /// defines them.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

/// The JSON body of every webhook request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookPayload {
    /// Delivery id (the same on every retry of this delivery).
    pub id: Uuid,
    /// The event kind.
    pub event: NotificationKind,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// The event.
    pub data: WebhookData,
}
