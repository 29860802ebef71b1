//! What awaits the caller now (`GET /me/tasks`, docs/orders.md, "What
//! awaits me"): the caller's orders where it is his turn, each with what
//! he is to do.

use super::OrderSummary;
use crate::wire_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// What the caller is to do on an order.
    pub enum TaskKind {
        /// Choose the executor among the responses (customer).
        ChooseExecutor => "choose_executor",
        /// Accept or decline an offer (engineer).
        AnswerOffer => "answer_offer",
        /// Make the contract (executor).
        MakeContract => "make_contract",
        /// Sign the contract (the party whose turn it is).
        SignContract => "sign_contract",
        /// Send the invoice the status calls for (executor).
        SendInvoice => "send_invoice",
        /// Pay a sent invoice and attach the receipt (customer).
        PayInvoice => "pay_invoice",
        /// Confirm a paid invoice (executor).
        ConfirmPayment => "confirm_payment",
        /// Deliver the results (executor).
        DeliverResults => "deliver_results",
        /// Accept or reject the delivered results (customer).
        AcceptResults => "accept_results",
        /// Send the registration outcome (executor).
        SendRegistrationOutcome => "send_registration_outcome",
        /// Make the act of completed works (executor).
        MakeAct => "make_act",
        /// Sign the act of completed works (the party whose turn it is).
        SignAct => "sign_act",
        /// Rate the engineer (customer).
        Review => "review",
    }
}

/// One thing the caller is to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    /// The order (with `overdue`).
    pub order: OrderSummary,
    /// What to do.
    pub kind: TaskKind,
    /// Since when it waits (the order's last change).
    pub since: DateTime<Utc>,
}

/// `GET /me/tasks`: overdue orders first, then the longest waiting. Not
/// a page: a summary of the caller's 100 most recently changed orders,
/// computed whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskList {
    /// The tasks, overdue orders first, then oldest first.
    pub tasks: Vec<Task>,
}
