//! The order state machine (docs/orders.md, "Statuses").
//!
//! ```text
//! draft ─publish─> executor_selection ─select response / offer accepted─> contract_signing
//! contract_signing ─both signed─> prepayment (if prepayment) | in_progress
//! prepayment ─engineer confirms prepayment received─> in_progress
//! in_progress ─engineer delivers results─> acceptance
//! acceptance ─customer accepts─> registration (if included) | payment
//! acceptance ─customer rejects with reasons─> in_progress
//! registration ─engineer sends registration outcome─> payment
//! payment ─final payment confirmed and the act signed by both─> completed
//! executor_selection | contract_signing ─customer cancels─> cancelled
//! any assigned status ─engineer loses SRO status─> suspended ─restored─> previous status
//! ```
//!
//! The act of completed works (docs/acts.md) is made and signed in
//! `registration` or `payment`; the order completes on whichever of the
//! two closing facts comes last: the final payment confirmed
//! (`confirm_payment`) or the act signed by both (`act_signed`).
//!
//! [`apply`] says what an action does in a status; [`Actor`] and
//! [`allowed_actions`] say who may take it. Both are pure.

use mezha_api_types::orders::{OrderAction, OrderStatus, Registration};

/// Facts about the order that decide where some transitions lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    /// Whether a prepayment is required.
    pub prepayment_required: bool,
    /// Registration the engineer does.
    pub registration: Registration,
    /// The status before suspension (for `resume`).
    pub suspended_from: Option<OrderStatus>,
    /// Whether the customer has reviewed the engineer (completed orders).
    pub reviewed: bool,
    /// Whether an act of completed works is signed by both parties.
    pub act_signed: bool,
    /// Whether the final invoice's payment is confirmed.
    pub paid: bool,
}

/// What an allowed action does to the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The status stays (an edit, a response, an offer, …).
    Stay,
    /// The order moves to this status.
    MoveTo(OrderStatus),
    /// The order is deleted (drafts only).
    Delete,
}

/// The action is not possible in the order's status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{action}` is not possible while the order is `{status}`")]
pub struct IllegalTransition {
    /// The order's status.
    pub status: OrderStatus,
    /// The action asked for.
    pub action: OrderAction,
}

/// Statuses in which an executor is assigned and the work can be suspended.
pub const ASSIGNED: [OrderStatus; 6] = [
    OrderStatus::ContractSigning,
    OrderStatus::Prepayment,
    OrderStatus::InProgress,
    OrderStatus::Acceptance,
    OrderStatus::Registration,
    OrderStatus::Payment,
];

/// What `action` does to an order in `status`.
pub fn apply(
    status: OrderStatus,
    action: OrderAction,
    facts: &OrderFacts,
) -> Result<Effect, IllegalTransition> {
    use OrderAction as A;
    use OrderStatus as S;
    let effect = match (status, action) {
        (S::Draft, A::Edit) => Some(Effect::Stay),
        (S::Draft, A::Delete) => Some(Effect::Delete),
        (S::Draft, A::Publish) => Some(Effect::MoveTo(S::ExecutorSelection)),

        (S::ExecutorSelection, A::Edit | A::Respond | A::Offer | A::DeclineOffer) => {
            Some(Effect::Stay)
        }
        (S::ExecutorSelection, A::SelectResponse | A::AcceptOffer) => {
            Some(Effect::MoveTo(S::ContractSigning))
        }
        (S::ExecutorSelection | S::ContractSigning, A::Cancel) => {
            Some(Effect::MoveTo(S::Cancelled))
        }

        (S::ContractSigning, A::Edit | A::CreateContract) => Some(Effect::Stay),
        (S::ContractSigning, A::ContractSigned) => {
            Some(Effect::MoveTo(if facts.prepayment_required {
                S::Prepayment
            } else {
                S::InProgress
            }))
        }
        (S::Prepayment, A::SendInvoice) => Some(Effect::Stay),
        (S::Payment, A::SendInvoice) if !facts.paid => Some(Effect::Stay),
        (S::Prepayment, A::ConfirmPrepayment) => Some(Effect::MoveTo(S::InProgress)),
        (S::InProgress, A::DeliverResults) => Some(Effect::MoveTo(S::Acceptance)),
        (S::Acceptance, A::AcceptResults) => Some(Effect::MoveTo(
            if facts.registration == Registration::None {
                S::Payment
            } else {
                S::Registration
            },
        )),
        (S::Acceptance, A::RejectResults) => Some(Effect::MoveTo(S::InProgress)),
        (S::Registration, A::SendRegistrationOutcome) => Some(Effect::MoveTo(S::Payment)),
        (S::Registration | S::Payment, A::CreateAct) if !facts.act_signed => Some(Effect::Stay),
        (S::Registration, A::ActSigned) if !facts.act_signed => Some(Effect::Stay),
        (S::Payment, A::ActSigned) if !facts.act_signed => Some(closing(facts.paid)),
        (S::Payment, A::ConfirmPayment) if !facts.paid => Some(closing(facts.act_signed)),
        (S::Completed, A::Review) if !facts.reviewed => Some(Effect::Stay),

        (s, A::Suspend) if ASSIGNED.contains(&s) => Some(Effect::MoveTo(S::Suspended)),
        (S::Suspended, A::Resume) => facts
            .suspended_from
            .filter(|from| ASSIGNED.contains(from))
            .map(Effect::MoveTo),
        _ => None,
    };
    effect.ok_or(IllegalTransition { status, action })
}

/// The second closing fact completes the order; the first leaves it in
/// `payment`.
fn closing(other_fact_holds: bool) -> Effect {
    if other_fact_holds {
        Effect::MoveTo(OrderStatus::Completed)
    } else {
        Effect::Stay
    }
}

/// Who is acting on the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The order's customer (acting as customer).
    Customer,
    /// The order's executor (acting as engineer).
    Executor,
    /// Another engineer (acting as engineer), who may respond or answer an
    /// offer made to him.
    Engineer {
        /// Whether he has a pending offer on this order.
        has_pending_offer: bool,
    },
    /// The platform itself (contract signatures, the SRO registry).
    System,
    /// Anyone else who can see the order (employer, moderator): reads only.
    Observer,
}

/// Whether `actor` may take `action` at all (in any status).
pub fn may_act(actor: Actor, action: OrderAction) -> bool {
    use OrderAction as A;
    match actor {
        Actor::Customer => matches!(
            action,
            A::Edit
                | A::Delete
                | A::Publish
                | A::Cancel
                | A::SelectResponse
                | A::Offer
                | A::AcceptResults
                | A::RejectResults
                | A::Review
        ),
        Actor::Executor => matches!(
            action,
            A::CreateContract
                | A::SendInvoice
                | A::DeliverResults
                | A::SendRegistrationOutcome
                | A::CreateAct
        ),
        Actor::Engineer { has_pending_offer } => {
            action == A::Respond
                || (has_pending_offer && matches!(action, A::AcceptOffer | A::DeclineOffer))
        }
        // The platform applies these when a document decides them: both
        // signatures of a contract or an act, a confirmed invoice, the SRO
        // registry.
        Actor::System => matches!(
            action,
            A::ContractSigned
                | A::ConfirmPrepayment
                | A::ConfirmPayment
                | A::ActSigned
                | A::Suspend
                | A::Resume
        ),
        Actor::Observer => false,
    }
}

/// The actions `actor` may take now, in [`OrderAction::ALL`] order.
pub fn allowed_actions(status: OrderStatus, facts: &OrderFacts, actor: Actor) -> Vec<OrderAction> {
    OrderAction::ALL
        .iter()
        .copied()
        .filter(|action| may_act(actor, *action) && apply(status, *action, facts).is_ok())
        .collect()
}

/// Whether the customer may change the order's fields (draft, executor
/// selection, contract signing).
pub fn editable(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Draft | OrderStatus::ExecutorSelection | OrderStatus::ContractSigning
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderAction as A;
    use OrderStatus as S;

    fn facts() -> OrderFacts {
        OrderFacts {
            prepayment_required: false,
            registration: Registration::None,
            suspended_from: None,
            reviewed: false,
            act_signed: false,
            paid: false,
        }
    }

    /// The whole machine as a table: for each status, every action that is
    /// possible and its effect. Everything absent must be refused.
    fn table(f: &OrderFacts) -> Vec<(S, A, Effect)> {
        let after_signing = if f.prepayment_required {
            S::Prepayment
        } else {
            S::InProgress
        };
        let after_acceptance = if f.registration == Registration::None {
            S::Payment
        } else {
            S::Registration
        };
        let mut rows = vec![
            (S::Draft, A::Edit, Effect::Stay),
            (S::Draft, A::Delete, Effect::Delete),
            (S::Draft, A::Publish, Effect::MoveTo(S::ExecutorSelection)),
            (S::ExecutorSelection, A::Edit, Effect::Stay),
            (
                S::ExecutorSelection,
                A::Cancel,
                Effect::MoveTo(S::Cancelled),
            ),
            (S::ExecutorSelection, A::Respond, Effect::Stay),
            (
                S::ExecutorSelection,
                A::SelectResponse,
                Effect::MoveTo(S::ContractSigning),
            ),
            (S::ExecutorSelection, A::Offer, Effect::Stay),
            (
                S::ExecutorSelection,
                A::AcceptOffer,
                Effect::MoveTo(S::ContractSigning),
            ),
            (S::ExecutorSelection, A::DeclineOffer, Effect::Stay),
            (S::ContractSigning, A::Edit, Effect::Stay),
            (S::ContractSigning, A::CreateContract, Effect::Stay),
            (S::Prepayment, A::SendInvoice, Effect::Stay),
            (S::ContractSigning, A::Cancel, Effect::MoveTo(S::Cancelled)),
            (
                S::ContractSigning,
                A::ContractSigned,
                Effect::MoveTo(after_signing),
            ),
            (
                S::Prepayment,
                A::ConfirmPrepayment,
                Effect::MoveTo(S::InProgress),
            ),
            (
                S::InProgress,
                A::DeliverResults,
                Effect::MoveTo(S::Acceptance),
            ),
            (
                S::Acceptance,
                A::AcceptResults,
                Effect::MoveTo(after_acceptance),
            ),
            (
                S::Acceptance,
                A::RejectResults,
                Effect::MoveTo(S::InProgress),
            ),
            (
                S::Registration,
                A::SendRegistrationOutcome,
                Effect::MoveTo(S::Payment),
            ),
        ];
        let completes_if = |holds: bool| {
            if holds {
                Effect::MoveTo(S::Completed)
            } else {
                Effect::Stay
            }
        };
        if !f.act_signed {
            rows.push((S::Registration, A::CreateAct, Effect::Stay));
            rows.push((S::Payment, A::CreateAct, Effect::Stay));
            rows.push((S::Registration, A::ActSigned, Effect::Stay));
            rows.push((S::Payment, A::ActSigned, completes_if(f.paid)));
        }
        if !f.paid {
            rows.push((S::Payment, A::SendInvoice, Effect::Stay));
            rows.push((S::Payment, A::ConfirmPayment, completes_if(f.act_signed)));
        }
        if !f.reviewed {
            rows.push((S::Completed, A::Review, Effect::Stay));
        }
        for s in ASSIGNED {
            rows.push((s, A::Suspend, Effect::MoveTo(S::Suspended)));
        }
        if let Some(from) = f.suspended_from.filter(|s| ASSIGNED.contains(s)) {
            rows.push((S::Suspended, A::Resume, Effect::MoveTo(from)));
        }
        rows
    }

    /// Every combination of three booleans.
    fn bool_triples() -> impl Iterator<Item = (bool, bool, bool)> {
        (0..8u8).map(|i| (i & 1 != 0, i & 2 != 0, i & 4 != 0))
    }

    fn all_facts() -> Vec<OrderFacts> {
        let mut out = Vec::new();
        for prepayment_required in [false, true] {
            for registration in Registration::ALL {
                for suspended_from in std::iter::once(None).chain(S::ALL.iter().copied().map(Some))
                {
                    for (reviewed, act_signed, paid) in bool_triples() {
                        out.push(OrderFacts {
                            prepayment_required,
                            registration: *registration,
                            suspended_from,
                            reviewed,
                            act_signed,
                            paid,
                        });
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_status_and_action_matches_the_table() {
        for f in all_facts() {
            let table = table(&f);
            for status in S::ALL {
                for action in A::ALL {
                    let expected = table
                        .iter()
                        .find(|(s, a, _)| s == status && a == action)
                        .map(|(_, _, e)| *e);
                    let got = apply(*status, *action, &f);
                    match expected {
                        Some(effect) => assert_eq!(got, Ok(effect), "{status} {action} {f:?}"),
                        None => assert_eq!(
                            got,
                            Err(IllegalTransition {
                                status: *status,
                                action: *action
                            }),
                            "{status} {action} {f:?}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn terminal_statuses_allow_nothing_but_one_review() {
        for f in all_facts() {
            for status in [S::Completed, S::Cancelled] {
                for action in A::ALL {
                    let review = status == S::Completed && *action == A::Review && !f.reviewed;
                    assert_eq!(
                        apply(status, *action, &f).is_ok(),
                        review,
                        "{status} {action} {f:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn prepayment_and_registration_choose_the_path() {
        let mut f = facts();
        assert_eq!(
            apply(S::ContractSigning, A::ContractSigned, &f),
            Ok(Effect::MoveTo(S::InProgress))
        );
        f.prepayment_required = true;
        assert_eq!(
            apply(S::ContractSigning, A::ContractSigned, &f),
            Ok(Effect::MoveTo(S::Prepayment))
        );
        assert_eq!(
            apply(S::Acceptance, A::AcceptResults, &f),
            Ok(Effect::MoveTo(S::Payment))
        );
        f.registration = Registration::Both;
        assert_eq!(
            apply(S::Acceptance, A::AcceptResults, &f),
            Ok(Effect::MoveTo(S::Registration))
        );
    }

    #[test]
    fn the_later_of_payment_and_act_completes_the_order() {
        let mut f = facts();
        assert_eq!(
            apply(S::Payment, A::ConfirmPayment, &f),
            Ok(Effect::Stay),
            "paid, the act still unsigned"
        );
        f.paid = true;
        assert_eq!(
            apply(S::Payment, A::ActSigned, &f),
            Ok(Effect::MoveTo(S::Completed))
        );
        assert!(apply(S::Payment, A::ConfirmPayment, &f).is_err());
        let f = OrderFacts {
            act_signed: true,
            ..facts()
        };
        assert_eq!(
            apply(S::Payment, A::ConfirmPayment, &f),
            Ok(Effect::MoveTo(S::Completed))
        );
        assert!(apply(S::Payment, A::CreateAct, &f).is_err());
        assert_eq!(
            allowed_actions(S::Registration, &facts(), Actor::Executor),
            vec![A::SendRegistrationOutcome, A::CreateAct]
        );
    }

    #[test]
    fn resume_returns_to_the_status_before_suspension() {
        let mut f = facts();
        assert!(apply(S::Suspended, A::Resume, &f).is_err());
        f.suspended_from = Some(S::Acceptance);
        assert_eq!(
            apply(S::Suspended, A::Resume, &f),
            Ok(Effect::MoveTo(S::Acceptance))
        );
        f.suspended_from = Some(S::Draft);
        assert!(apply(S::Suspended, A::Resume, &f).is_err());
    }

    #[test]
    fn allowed_actions_depend_on_the_actor() {
        let f = facts();
        assert_eq!(
            allowed_actions(S::Draft, &f, Actor::Customer),
            vec![A::Edit, A::Delete, A::Publish]
        );
        assert_eq!(
            allowed_actions(S::ExecutorSelection, &f, Actor::Customer),
            vec![A::Edit, A::Cancel, A::SelectResponse, A::Offer]
        );
        assert_eq!(
            allowed_actions(
                S::ExecutorSelection,
                &f,
                Actor::Engineer {
                    has_pending_offer: false
                }
            ),
            vec![A::Respond]
        );
        assert_eq!(
            allowed_actions(
                S::ExecutorSelection,
                &f,
                Actor::Engineer {
                    has_pending_offer: true
                }
            ),
            vec![A::Respond, A::AcceptOffer, A::DeclineOffer]
        );
        assert_eq!(
            allowed_actions(S::InProgress, &f, Actor::Executor),
            vec![A::DeliverResults]
        );
        assert_eq!(
            allowed_actions(S::InProgress, &f, Actor::System),
            vec![A::Suspend]
        );
        for status in S::ALL {
            assert!(allowed_actions(*status, &f, Actor::Observer).is_empty());
        }
        assert_eq!(
            allowed_actions(S::Completed, &f, Actor::Customer),
            vec![A::Review]
        );
        let reviewed = OrderFacts {
            reviewed: true,
            ..f
        };
        assert!(allowed_actions(S::Completed, &reviewed, Actor::Customer).is_empty());
    }

    #[test]
    fn only_early_statuses_are_editable() {
        let editable_now: Vec<S> = S::ALL.iter().copied().filter(|s| editable(*s)).collect();
        assert_eq!(
            editable_now,
            vec![S::Draft, S::ExecutorSelection, S::ContractSigning]
        );
        for s in S::ALL {
            assert_eq!(editable(*s), apply(*s, A::Edit, &facts()).is_ok());
        }
    }

    #[test]
    fn refusal_names_status_and_action() {
        let err = apply(S::Completed, A::Cancel, &facts()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`cancel` is not possible while the order is `completed`"
        );
    }
}
