//! Invoices of an order (docs/payments.md): the prepayment invoice while the
//! order awaits its prepayment, the final one once it awaits payment. The
//! amount is the signed contract's (its advance, or its remainder), never
//! typed.
//!
//! ```text
//! sent ─customer marks paid with a receipt─> paid ─engineer confirms─> confirmed
//! ```
//!
//! Confirming the prepayment invoice moves the order to `in_progress`
//! (`confirm_prepayment`); confirming the final one completes it
//! (`confirm_payment`).

use mezha_api_types::invoices::{InvoiceAction, InvoiceKind, InvoiceStatus};
use mezha_api_types::orders::{OrderAction, OrderStatus};

/// Something that happens to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The customer says he paid (with a receipt).
    MarkPaid,
    /// The engineer confirms he received the money.
    Confirm,
}

/// The step is not possible in the invoice's status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{step:?} is not possible while the invoice is `{status}`")]
pub struct IllegalStep {
    /// The invoice's status.
    pub status: InvoiceStatus,
    /// The step asked for.
    pub step: Step,
}

/// The status an invoice moves to on `step`.
pub fn apply(status: InvoiceStatus, step: Step) -> Result<InvoiceStatus, IllegalStep> {
    match (status, step) {
        (InvoiceStatus::Sent, Step::MarkPaid) => Ok(InvoiceStatus::Paid),
        (InvoiceStatus::Paid, Step::Confirm) => Ok(InvoiceStatus::Confirmed),
        _ => Err(IllegalStep { status, step }),
    }
}

/// The kind of invoice an order in `status` may get, if any: the
/// prepayment invoice in `prepayment`, the final one in `payment`.
pub fn kind_for(status: OrderStatus) -> Option<InvoiceKind> {
    match status {
        OrderStatus::Prepayment => Some(InvoiceKind::Prepayment),
        OrderStatus::Payment => Some(InvoiceKind::Final),
        _ => None,
    }
}

/// The order action a confirmed invoice of `kind` takes.
pub fn confirming_action(kind: InvoiceKind) -> OrderAction {
    match kind {
        InvoiceKind::Prepayment => OrderAction::ConfirmPrepayment,
        InvoiceKind::Final => OrderAction::ConfirmPayment,
    }
}

/// A party to the order, as far as invoices go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The customer pays.
    Customer,
    /// The executor sends and confirms.
    Executor,
}

/// What `party` may do with an invoice in `status` now.
pub fn allowed_actions(status: InvoiceStatus, party: Option<Party>) -> Vec<InvoiceAction> {
    match (party, status) {
        (Some(Party::Customer), InvoiceStatus::Sent) => vec![InvoiceAction::MarkPaid],
        (Some(Party::Executor), InvoiceStatus::Paid) => vec![InvoiceAction::ConfirmPayment],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvoiceStatus as S;

    #[test]
    fn the_machine_as_a_table() {
        let table = [
            (S::Sent, Step::MarkPaid, Some(S::Paid)),
            (S::Sent, Step::Confirm, None),
            (S::Paid, Step::MarkPaid, None),
            (S::Paid, Step::Confirm, Some(S::Confirmed)),
            (S::Confirmed, Step::MarkPaid, None),
            (S::Confirmed, Step::Confirm, None),
        ];
        assert_eq!(table.len(), S::ALL.len() * 2);
        for (status, step, want) in table {
            assert_eq!(apply(status, step).ok(), want, "{status} {step:?}");
        }
    }

    #[test]
    fn the_turn_decides_the_actions() {
        assert_eq!(
            allowed_actions(S::Sent, Some(Party::Customer)),
            [InvoiceAction::MarkPaid]
        );
        assert!(allowed_actions(S::Sent, Some(Party::Executor)).is_empty());
        assert_eq!(
            allowed_actions(S::Paid, Some(Party::Executor)),
            [InvoiceAction::ConfirmPayment]
        );
        assert!(allowed_actions(S::Paid, None).is_empty());
        assert!(allowed_actions(S::Confirmed, Some(Party::Customer)).is_empty());
    }

    #[test]
    fn the_order_status_decides_the_kind() {
        for status in OrderStatus::ALL {
            let want = match status {
                OrderStatus::Prepayment => Some(InvoiceKind::Prepayment),
                OrderStatus::Payment => Some(InvoiceKind::Final),
                _ => None,
            };
            assert_eq!(kind_for(*status), want, "{status}");
        }
        assert_eq!(
            confirming_action(InvoiceKind::Prepayment),
            OrderAction::ConfirmPrepayment
        );
        assert_eq!(
            confirming_action(InvoiceKind::Final),
            OrderAction::ConfirmPayment
        );
    }
}
