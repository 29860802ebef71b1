//! Invoices of an order and their payment (docs/payments.md): the
//! prepayment invoice and the final one, each a link or a file, the
//! customer's receipt, the engineer's confirmation.

use crate::orders::FileInfo;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest payment link or receipt link.
pub const LINK_MAX_CHARS: u64 = 2000;

wire_enum! {
    /// Which invoice.
    pub enum InvoiceKind {
        /// The advance of the contract, while the order awaits its prepayment.
        Prepayment => "prepayment",
        /// The remainder of the contract, once the order awaits payment.
        Final => "final",
    }
}

wire_enum! {
    /// Where an invoice stands.
    pub enum InvoiceStatus {
        /// Sent to the customer.
        Sent => "sent",
        /// The customer says he paid, with a receipt.
        Paid => "paid",
        /// The engineer confirmed he received the money.
        Confirmed => "confirmed",
    }
}

wire_enum! {
    /// Something a party may do with an invoice.
    pub enum InvoiceAction {
        /// Attach a receipt and mark the invoice paid (the customer).
        MarkPaid => "mark_paid",
        /// Confirm the money was received (the engineer).
        ConfirmPayment => "confirm_payment",
    }
}

/// `POST /orders/{id}/invoices`: a payment link, or a file uploaded with
/// `POST /files` — exactly one. The kind and the amount follow from the
/// order's status and its signed contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"link": "https://bank.example.ru/pay/7f3a", "file_id": null})))]
#[serde(deny_unknown_fields)]
pub struct NewInvoice {
    /// Where to pay (https).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = LINK_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub link: Option<String>,
    /// The invoice as a file.
    #[serde(default)]
    pub file_id: Option<Uuid>,
}

/// `POST /invoices/{id}/mark-paid`: the receipt, as a link or a file —
/// exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    /// A link to the receipt (https).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = LINK_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub receipt_link: Option<String>,
    /// The receipt as a file.
    #[serde(default)]
    pub receipt_file_id: Option<Uuid>,
}

/// An invoice as the order's parties see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    /// Invoice id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// Which invoice.
    pub kind: InvoiceKind,
    /// Where it stands.
    pub status: InvoiceStatus,
    /// The amount, in kopecks (the contract's advance or remainder).
    pub amount_kopecks: i64,
    /// Where to pay.
    pub link: Option<String>,
    /// The invoice as a file.
    pub file: Option<FileInfo>,
    /// The customer's receipt link.
    pub receipt_link: Option<String>,
    /// The customer's receipt file.
    pub receipt_file: Option<FileInfo>,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<InvoiceAction>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When the customer marked it paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// When the engineer confirmed the payment.
    pub confirmed_at: Option<DateTime<Utc>>,
}

crate::page::page_schema! {
    /// `GET /orders/{id}/invoices`: the order's invoices, oldest first.
    InvoiceList = Page<Invoice> {
        items: "Invoices, oldest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
    }
}
