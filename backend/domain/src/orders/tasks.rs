//! What awaits a party of an order now (docs/orders.md, "What awaits
//! me"): from the order's status and facts and the state of its documents,
//! the steps that are this party's turn. Pure; the home screen lists them.

use super::machine::{Actor, OrderFacts};
use mezha_api_types::contracts::ContractParty;
use mezha_api_types::invoices::InvoiceStatus;
use mezha_api_types::orders::{OrderStatus, TaskKind};

/// The documents of an order that decide whose turn it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Docs {
    /// The party an open contract version awaits, if one is open.
    pub contract_awaits: Option<ContractParty>,
    /// The party an open act version awaits, if one is open.
    pub act_awaits: Option<ContractParty>,
    /// The invoice the status calls for (prepayment, final), if sent.
    pub invoice: Option<InvoiceStatus>,
    /// Whether the order has active responses.
    pub has_responses: bool,
}

/// What `actor` is to do on an order now, most pressing first.
pub fn awaiting(
    actor: Actor,
    status: OrderStatus,
    facts: &OrderFacts,
    docs: &Docs,
) -> Vec<TaskKind> {
    use OrderStatus as S;
    use TaskKind as T;
    let mut out = Vec::new();
    let mut add = |when: bool, task: TaskKind| {
        if when {
            out.push(task);
        }
    };
    match actor {
        Actor::Customer => {
            let me = Some(ContractParty::Customer);
            add(
                status == S::ExecutorSelection && docs.has_responses,
                T::ChooseExecutor,
            );
            add(
                status == S::ContractSigning && docs.contract_awaits == me,
                T::SignContract,
            );
            add(
                matches!(status, S::Prepayment | S::Payment)
                    && docs.invoice == Some(InvoiceStatus::Sent),
                T::PayInvoice,
            );
            add(status == S::Acceptance, T::AcceptResults);
            add(
                matches!(status, S::Registration | S::Payment) && docs.act_awaits == me,
                T::SignAct,
            );
            add(status == S::Completed && !facts.reviewed, T::Review);
        }
        Actor::Executor => {
            let me = Some(ContractParty::Engineer);
            add(
                status == S::ContractSigning && docs.contract_awaits == me,
                T::SignContract,
            );
            add(
                status == S::ContractSigning && docs.contract_awaits.is_none(),
                T::MakeContract,
            );
            let closing = matches!(status, S::Registration | S::Payment) && !facts.act_signed;
            add(closing && docs.act_awaits == me, T::SignAct);
            let billing = status == S::Prepayment || (status == S::Payment && !facts.paid);
            add(
                billing && docs.invoice == Some(InvoiceStatus::Paid),
                T::ConfirmPayment,
            );
            add(status == S::InProgress, T::DeliverResults);
            add(status == S::Registration, T::SendRegistrationOutcome);
            add(billing && docs.invoice.is_none(), T::SendInvoice);
            add(closing && docs.act_awaits.is_none(), T::MakeAct);
        }
        Actor::Engineer { has_pending_offer } => {
            add(
                status == S::ExecutorSelection && has_pending_offer,
                T::AnswerOffer,
            );
        }
        Actor::System | Actor::Observer => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContractParty as P;
    use OrderStatus as S;
    use TaskKind as T;
    use mezha_api_types::orders::Registration;

    fn facts() -> OrderFacts {
        OrderFacts {
            prepayment_required: true,
            registration: Registration::Gku,
            suspended_from: None,
            reviewed: false,
            act_signed: false,
            paid: false,
        }
    }

    fn docs() -> Docs {
        Docs::default()
    }

    #[test]
    fn each_turn_is_one_party_s() {
        let f = facts();
        let with = |d: Docs| d;
        // (status, docs, the customer's tasks, the executor's tasks)
        let table: Vec<(S, Docs, Vec<T>, Vec<T>)> = vec![
            (S::Draft, docs(), vec![], vec![]),
            (S::ExecutorSelection, docs(), vec![], vec![]),
            (
                S::ExecutorSelection,
                with(Docs {
                    has_responses: true,
                    ..docs()
                }),
                vec![T::ChooseExecutor],
                vec![],
            ),
            (S::ContractSigning, docs(), vec![], vec![T::MakeContract]),
            (
                S::ContractSigning,
                with(Docs {
                    contract_awaits: Some(P::Engineer),
                    ..docs()
                }),
                vec![],
                vec![T::SignContract],
            ),
            (
                S::ContractSigning,
                with(Docs {
                    contract_awaits: Some(P::Customer),
                    ..docs()
                }),
                vec![T::SignContract],
                vec![],
            ),
            (S::Prepayment, docs(), vec![], vec![T::SendInvoice]),
            (
                S::Prepayment,
                with(Docs {
                    invoice: Some(InvoiceStatus::Sent),
                    ..docs()
                }),
                vec![T::PayInvoice],
                vec![],
            ),
            (
                S::Prepayment,
                with(Docs {
                    invoice: Some(InvoiceStatus::Paid),
                    ..docs()
                }),
                vec![],
                vec![T::ConfirmPayment],
            ),
            (S::InProgress, docs(), vec![], vec![T::DeliverResults]),
            (S::Acceptance, docs(), vec![T::AcceptResults], vec![]),
            (
                S::Registration,
                docs(),
                vec![],
                vec![T::SendRegistrationOutcome, T::MakeAct],
            ),
            (
                S::Registration,
                with(Docs {
                    act_awaits: Some(P::Customer),
                    ..docs()
                }),
                vec![T::SignAct],
                vec![T::SendRegistrationOutcome],
            ),
            (S::Payment, docs(), vec![], vec![T::SendInvoice, T::MakeAct]),
            (
                S::Payment,
                with(Docs {
                    invoice: Some(InvoiceStatus::Paid),
                    act_awaits: Some(P::Engineer),
                    ..docs()
                }),
                vec![],
                vec![T::SignAct, T::ConfirmPayment],
            ),
            (S::Completed, docs(), vec![T::Review], vec![]),
            (S::Cancelled, docs(), vec![], vec![]),
            (S::Suspended, docs(), vec![], vec![]),
        ];
        for (status, d, customer, executor) in table {
            assert_eq!(
                awaiting(Actor::Customer, status, &f, &d),
                customer,
                "{status} {d:?}"
            );
            assert_eq!(
                awaiting(Actor::Executor, status, &f, &d),
                executor,
                "{status} {d:?}"
            );
            assert!(awaiting(Actor::Observer, status, &f, &d).is_empty());
        }
    }

    #[test]
    fn closing_facts_end_their_tasks() {
        let d = docs();
        let done = OrderFacts {
            paid: true,
            act_signed: true,
            reviewed: true,
            ..facts()
        };
        assert!(awaiting(Actor::Executor, S::Payment, &done, &d).is_empty());
        assert!(awaiting(Actor::Customer, S::Completed, &done, &d).is_empty());
        let offered = Actor::Engineer {
            has_pending_offer: true,
        };
        assert_eq!(
            awaiting(offered, S::ExecutorSelection, &facts(), &d),
            [T::AnswerOffer]
        );
    }
}
