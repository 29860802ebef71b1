//! Notifications (docs/notifications.md): the event kinds, the channels, the caller's
//! settings (kind × channel), in-app notifications and unread counters.

use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

wire_enum! {
    /// What happened. Each kind has its default channels; the user may
    /// override them in `PUT /me/notification-settings`.
    pub enum NotificationKind {
        /// An engineer responded to the customer's order.
        ResponseReceived => "response_received",
        /// A customer offered an order to the engineer.
        OfferReceived => "offer_received",
        /// The customer selected the engineer's response: he is the executor.
        ExecutorSelected => "executor_selected",
        /// The engineer accepted the customer's offer.
        OfferAccepted => "offer_accepted",
        /// The engineer declined the customer's offer.
        OfferDeclined => "offer_declined",
        /// The order moved to another status (cancelled, suspended, resumed, …).
        OrderStatusChanged => "order_status_changed",
        /// A contract awaits the recipient's signature.
        ContractSentForSignature => "contract_sent_for_signature",
        /// Both parties signed the contract.
        ContractSigned => "contract_signed",
        /// The customer declined to sign the contract, with a reason.
        ContractDeclined => "contract_declined",
        /// An act of completed works awaits the recipient's signature.
        ActSentForSignature => "act_sent_for_signature",
        /// Both parties signed the act of completed works.
        ActSigned => "act_signed",
        /// The customer declined to sign the act, with a reason.
        ActDeclined => "act_declined",
        /// The engineer sent an invoice.
        InvoiceSent => "invoice_sent",
        /// The customer marked an invoice paid.
        PaymentMarked => "payment_marked",
        /// The engineer confirmed the payment.
        PaymentConfirmed => "payment_confirmed",
        /// The engineer delivered the results.
        ResultsDelivered => "results_delivered",
        /// The customer accepted the results.
        ResultsAccepted => "results_accepted",
        /// The customer rejected the results with reasons.
        ResultsRejected => "results_rejected",
        /// A step of an order has waited for the recipient for days.
        Reminder => "reminder",
        /// The order's deadline is near and the results are not delivered.
        DeadlineApproaching => "deadline_approaching",
        /// The order's deadline passed before the results were delivered.
        OrderOverdue => "order_overdue",
        /// An engineer asks to join the employer.
        JoinRequestReceived => "join_request_received",
        /// The employer approved or rejected the engineer's join request.
        JoinRequestDecided => "join_request_decided",
        /// The CA operator approved the certificate application.
        CertificateApplicationApproved => "certificate_application_approved",
        /// The CA operator rejected the certificate application.
        CertificateApplicationRejected => "certificate_application_rejected",
        /// The certificate was issued.
        CertificateIssued => "certificate_issued",
        /// The certificate expires soon (30 and 7 days ahead).
        CertificateExpiring => "certificate_expiring",
        /// A moderator blocked the account.
        EngineerBlocked => "engineer_blocked",
        /// A deal the recipient is responsible for moved on (the registry's
        /// answers, the fee; docs/deals.md).
        DealStatusChanged => "deal_status_changed",
    }
}

wire_enum! {
    /// Where a notification is delivered.
    pub enum NotificationChannel {
        /// The in-app list (`GET /notifications`).
        InApp => "in_app",
        /// E-mail to the account's address.
        Email => "email",
        /// SMS to the account's phone.
        Sms => "sms",
    }
}

wire_enum! {
    /// Language of e-mail and SMS texts.
    pub enum Language {
        /// Russian (the default).
        Ru => "ru",
        /// English.
        En => "en",
    }
}

wire_enum! {
    /// The kind of object a notification concerns.
    pub enum ObjectKind {
        /// An order (`/orders/{id}`).
        Order => "order",
        /// An employment or join request (`/me/employees`, `/me/employment`).
        Employment => "employment",
        /// A certificate application (`/certificate-applications/{id}`).
        CertificateApplication => "certificate_application",
        /// A certificate (`/certificates/{id}`).
        Certificate => "certificate",
        /// The recipient's account (`/me`).
        Account => "account",
        /// A deal (`/deals/{id}`).
        Deal => "deal",
    }
}

/// The object a notification links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObjectLink {
    /// What the object is.
    pub kind: ObjectKind,
    /// Its id.
    pub id: Uuid,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "kind": "response_received",
    "title": "Новый отклик на заказ № 12",
    "body": "Иван Петров откликнулся на заказ «Межевание участка»: 15000 ₽, 20 дн.",
    "object": {"kind": "order", "id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f51"},
    "created_at": "2026-11-23T10:00:00Z",
    "read_at": null
})))]
pub struct Notification {
    /// Notification id.
    pub id: Uuid,
    /// What happened.
    pub kind: NotificationKind,
    /// One-line summary in the requested language.
    pub title: String,
    /// Plain-text details in the requested language.
    pub body: String,
    /// The object it concerns.
    pub object: ObjectLink,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// When the recipient read it; `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
}

crate::page::page_schema! {
    /// `GET /notifications`: newest first.
    NotificationList = Page<Notification> {
        items: "Notifications, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}

/// The channels of one event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindChannels {
    /// The event kind.
    pub kind: NotificationKind,
    /// Shown in the in-app list.
    pub in_app: bool,
    /// Sent by e-mail.
    pub email: bool,
    /// Sent by SMS (needs a phone in the profile).
    pub sms: bool,
}

/// `GET /me/notification-settings`: every kind with its effective channels
/// (the user's choice where he made one, else the default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    /// Language of e-mail and SMS.
    pub language: Language,
    /// One entry per kind, in catalogue order.
    pub kinds: Vec<KindChannels>,
    /// The defaults, same shape, for a "reset" button.
    pub defaults: Vec<KindChannels>,
}

/// One kind's changes in `PUT /me/notification-settings`; absent channels stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KindChannelsUpdate {
    /// The event kind.
    pub kind: NotificationKind,
    /// In-app on/off.
    #[serde(default)]
    pub in_app: Option<bool>,
    /// E-mail on/off.
    #[serde(default)]
    pub email: Option<bool>,
    /// SMS on/off.
    #[serde(default)]
    pub sms: Option<bool>,
}

/// `PUT /me/notification-settings`: the kinds listed change, the rest stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "language": "en",
    "kinds": [{"kind": "order_status_changed", "email": true}, {"kind": "response_received", "sms": true}]
})))]
#[serde(deny_unknown_fields)]
pub struct UpdateNotificationSettings {
    /// Language of e-mail and SMS; absent: unchanged.
    #[serde(default)]
    pub language: Option<Language>,
    /// Changes per kind (each kind at most once).
    #[serde(default)]
    pub kinds: Vec<KindChannelsUpdate>,
}

/// Unread chat messages of one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderUnread {
    /// The order.
    pub order_id: Uuid,
    /// Unread messages in its chat.
    pub unread: u64,
}

/// `GET /notifications/unread-counts`: the header badges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "system": 3, "chat_total": 2,
    "chat_by_order": [{"order_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f51", "unread": 2}]
})))]
pub struct UnreadCounts {
    /// Unread in-app notifications.
    pub system: u64,
    /// Unread chat messages over every order.
    pub chat_total: u64,
    /// Orders with unread chat messages.
    pub chat_by_order: Vec<OrderUnread>,
}

/// `POST /notifications/read-all`: how many were marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadAll {
    /// Notifications that were unread and are read now.
    pub marked: u64,
}
