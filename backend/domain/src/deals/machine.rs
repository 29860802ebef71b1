//! The deal state machine (docs/deals.md, "Statuses").
//!
//! ```text
//! draft ─form statements (checklist complete)─> statements ─all signed─> ready
//! ready ─send─> submitted ─registry accepts─> fee_payment ─fee paid─> in_registration
//! in_registration ─registry─> registered | suspended | refused
//! suspended ─registry resumes─> in_registration
//! submitted | fee_payment | suspended ─registry refuses─> refused
//! any status ─copy─> (a new draft; this deal stays)
//! ```
//!
//! Only a draft changes: its object, participants, documents and their
//! signatures. From `statements` on the deal's data is frozen; only the
//! statements' signatures are added until every one is there.
//!
//! [`apply`] says what an action does in a status; [`may_act`] and
//! [`allowed_actions`] say who may take it. Both are pure.

use crate::organisations::Membership;
use mezha_api_types::deals::{DealAction, DealStatus};
use mezha_api_types::organisations::OrgRight;

/// Facts about the deal that decide some transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DealFacts {
    /// Whether the checklist is empty (nothing missing before the
    /// statements may be formed).
    pub complete: bool,
    /// The status before a suspension.
    pub suspended_from: Option<DealStatus>,
}

/// What an allowed action does to the deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The status stays.
    Stay,
    /// The deal moves to this status.
    MoveTo(DealStatus),
    /// The draft is deleted.
    Delete,
}

/// The action is not possible in the deal's status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{action}` is not possible while the deal is `{status}`")]
pub struct IllegalTransition {
    /// The deal's status.
    pub status: DealStatus,
    /// The action asked for.
    pub action: DealAction,
}

/// Actions that change a draft's data; refused once the deal is frozen.
pub const DRAFT_CHANGES: [DealAction; 6] = [
    DealAction::Edit,
    DealAction::AddParticipant,
    DealAction::EditParticipant,
    DealAction::UploadDocument,
    DealAction::RemoveDocument,
    DealAction::Delete,
];

/// What `action` does to a deal in `status`.
pub fn apply(
    status: DealStatus,
    action: DealAction,
    facts: &DealFacts,
) -> Result<Effect, IllegalTransition> {
    use DealAction as A;
    use DealStatus as S;
    let effect = match (status, action) {
        (_, A::Copy) => Some(Effect::Stay),
        (S::Draft, A::Delete) => Some(Effect::Delete),
        (S::Draft, a) if DRAFT_CHANGES.contains(&a) => Some(Effect::Stay),
        (S::Draft | S::Statements, A::Sign) => Some(Effect::Stay),
        (S::Draft, A::FormStatements) if facts.complete => Some(Effect::MoveTo(S::Statements)),
        (S::Statements, A::StatementsSigned) => Some(Effect::MoveTo(S::Ready)),
        (S::Ready, A::Send) => Some(Effect::MoveTo(S::Submitted)),
        (S::Submitted, A::RegistryAccepted) => Some(Effect::MoveTo(S::FeePayment)),
        (S::FeePayment, A::PayFee | A::FeePaid) => Some(Effect::MoveTo(S::InRegistration)),
        (S::InRegistration, A::RegistryRegistered) => Some(Effect::MoveTo(S::Registered)),
        (S::InRegistration, A::RegistrySuspended) => Some(Effect::MoveTo(S::Suspended)),
        (S::Suspended, A::RegistryResumed) => Some(Effect::MoveTo(
            facts
                .suspended_from
                .filter(|s| *s == S::InRegistration)
                .unwrap_or(S::InRegistration),
        )),
        (S::Submitted | S::FeePayment | S::InRegistration | S::Suspended, A::RegistryRefused) => {
            Some(Effect::MoveTo(S::Refused))
        }
        _ => None,
    };
    effect.ok_or(IllegalTransition { status, action })
}

/// Who acts on a deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor<'a> {
    /// A member of the deal's organisation who can see the deal (its
    /// responsible employee, or one who sees all deals).
    Member(&'a Membership),
    /// The platform or the registry.
    System,
}

/// The actions of the platform and the registry.
pub const SYSTEM_ACTIONS: [DealAction; 7] = [
    DealAction::StatementsSigned,
    DealAction::RegistryAccepted,
    DealAction::FeePaid,
    DealAction::RegistryRegistered,
    DealAction::RegistrySuspended,
    DealAction::RegistryResumed,
    DealAction::RegistryRefused,
];

/// The right a member needs for `action`; `None` for the platform's and
/// the registry's actions, which no member takes.
pub fn right_for(action: DealAction) -> Option<OrgRight> {
    use DealAction as A;
    match action {
        A::Create
        | A::Edit
        | A::AddParticipant
        | A::EditParticipant
        | A::UploadDocument
        | A::RemoveDocument
        | A::FormStatements
        | A::Copy
        | A::Delete
        // Adding a participant's signature is data collection; signing on
        // the organisation's behalf needs `sign_on_behalf` as well, which
        // the signature's own check decides (docs/deals.md, "Signatures").
        | A::Sign => Some(OrgRight::CreateDeals),
        A::Send | A::PayFee => Some(OrgRight::SendToRegistry),
        _ => None,
    }
}

/// Whether `actor` may take `action` at all (in any status).
pub fn may_act(actor: &Actor<'_>, action: DealAction) -> bool {
    match actor {
        Actor::System => SYSTEM_ACTIONS.contains(&action),
        Actor::Member(member) => right_for(action).is_some_and(|right| member.holds(right)),
    }
}

/// The actions `actor` may take now, in [`DealAction::ALL`] order.
pub fn allowed_actions(
    status: DealStatus,
    facts: &DealFacts,
    actor: &Actor<'_>,
) -> Vec<DealAction> {
    DealAction::ALL
        .iter()
        .copied()
        .filter(|a| *a != DealAction::Create)
        .filter(|a| may_act(actor, *a) && apply(status, *a, facts).is_ok())
        .collect()
}

/// Whether the deal's data (object, participants, documents) may change.
pub fn editable(status: DealStatus) -> bool {
    status == DealStatus::Draft
}

/// The statuses in which the registry has the package.
pub fn at_registry(status: DealStatus) -> bool {
    matches!(
        status,
        DealStatus::Submitted
            | DealStatus::FeePayment
            | DealStatus::InRegistration
            | DealStatus::Suspended
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use DealAction as A;
    use DealStatus as S;
    use mezha_api_types::organisations::{MemberRole, MemberStatus};

    /// The whole machine as a table: every possible (status, action) and
    /// its effect. Everything absent must be refused.
    fn table(f: &DealFacts) -> Vec<(S, A, Effect)> {
        let mut rows = vec![
            (S::Draft, A::Edit, Effect::Stay),
            (S::Draft, A::AddParticipant, Effect::Stay),
            (S::Draft, A::EditParticipant, Effect::Stay),
            (S::Draft, A::UploadDocument, Effect::Stay),
            (S::Draft, A::RemoveDocument, Effect::Stay),
            (S::Draft, A::Delete, Effect::Delete),
            (S::Draft, A::Sign, Effect::Stay),
            (S::Statements, A::Sign, Effect::Stay),
            (S::Statements, A::StatementsSigned, Effect::MoveTo(S::Ready)),
            (S::Ready, A::Send, Effect::MoveTo(S::Submitted)),
            (
                S::Submitted,
                A::RegistryAccepted,
                Effect::MoveTo(S::FeePayment),
            ),
            (S::FeePayment, A::PayFee, Effect::MoveTo(S::InRegistration)),
            (S::FeePayment, A::FeePaid, Effect::MoveTo(S::InRegistration)),
            (
                S::InRegistration,
                A::RegistryRegistered,
                Effect::MoveTo(S::Registered),
            ),
            (
                S::InRegistration,
                A::RegistrySuspended,
                Effect::MoveTo(S::Suspended),
            ),
            (
                S::Suspended,
                A::RegistryResumed,
                Effect::MoveTo(S::InRegistration),
            ),
        ];
        if f.complete {
            rows.push((S::Draft, A::FormStatements, Effect::MoveTo(S::Statements)));
        }
        for s in [S::Submitted, S::FeePayment, S::InRegistration, S::Suspended] {
            rows.push((s, A::RegistryRefused, Effect::MoveTo(S::Refused)));
        }
        for s in S::ALL {
            rows.push((*s, A::Copy, Effect::Stay));
        }
        rows
    }

    fn all_facts() -> Vec<DealFacts> {
        let mut out = Vec::new();
        for complete in [false, true] {
            for suspended_from in std::iter::once(None).chain(S::ALL.iter().copied().map(Some)) {
                out.push(DealFacts {
                    complete,
                    suspended_from,
                });
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
    fn a_frozen_deal_refuses_every_change_of_its_data() {
        for f in all_facts() {
            for status in S::ALL.iter().filter(|s| **s != S::Draft) {
                assert!(!editable(*status));
                for action in DRAFT_CHANGES {
                    assert!(apply(*status, action, &f).is_err(), "{status} {action}");
                }
            }
        }
        assert!(editable(S::Draft));
    }

    #[test]
    fn final_statuses_allow_only_a_copy() {
        for f in all_facts() {
            for status in [S::Registered, S::Refused] {
                for action in A::ALL {
                    assert_eq!(
                        apply(status, *action, &f).is_ok(),
                        *action == A::Copy,
                        "{status} {action}"
                    );
                }
            }
        }
    }

    fn member(role: MemberRole, rights: &[OrgRight]) -> Membership {
        Membership {
            role,
            status: MemberStatus::Active,
            rights: rights.to_vec(),
        }
    }

    #[test]
    fn members_act_by_their_rights_and_never_as_the_registry() {
        let admin = member(MemberRole::Admin, &[]);
        let collector = member(MemberRole::Employee, &[OrgRight::CreateDeals]);
        let sender = member(MemberRole::Employee, &[OrgRight::SendToRegistry]);
        let nobody = member(MemberRole::Employee, &[OrgRight::ManageClients]);
        for action in A::ALL {
            let system = SYSTEM_ACTIONS.contains(action);
            assert_eq!(may_act(&Actor::System, *action), system, "{action}");
            assert_eq!(
                may_act(&Actor::Member(&admin), *action),
                !system,
                "{action}"
            );
            assert!(!may_act(&Actor::Member(&nobody), *action), "{action}");
            let sends = matches!(action, A::Send | A::PayFee);
            assert_eq!(may_act(&Actor::Member(&sender), *action), sends, "{action}");
            assert_eq!(
                may_act(&Actor::Member(&collector), *action),
                !system && !sends,
                "{action}"
            );
        }
    }

    #[test]
    fn allowed_actions_follow_status_checklist_and_rights() {
        let collector = member(MemberRole::Employee, &[OrgRight::CreateDeals]);
        let sender = member(MemberRole::Employee, &[OrgRight::SendToRegistry]);
        let incomplete = DealFacts::default();
        let complete = DealFacts {
            complete: true,
            ..DealFacts::default()
        };
        assert_eq!(
            allowed_actions(S::Draft, &incomplete, &Actor::Member(&collector)),
            vec![
                A::Edit,
                A::AddParticipant,
                A::EditParticipant,
                A::UploadDocument,
                A::RemoveDocument,
                A::Sign,
                A::Copy,
                A::Delete
            ]
        );
        assert!(
            allowed_actions(S::Draft, &complete, &Actor::Member(&collector))
                .contains(&A::FormStatements)
        );
        assert_eq!(
            allowed_actions(S::Ready, &complete, &Actor::Member(&sender)),
            vec![A::Send]
        );
        assert_eq!(
            allowed_actions(S::FeePayment, &complete, &Actor::Member(&sender)),
            vec![A::PayFee]
        );
        assert_eq!(
            allowed_actions(S::Statements, &complete, &Actor::Member(&collector)),
            vec![A::Sign, A::Copy]
        );
        assert!(
            allowed_actions(S::Submitted, &complete, &Actor::Member(&collector)) == vec![A::Copy]
        );
    }

    #[test]
    fn the_registry_is_at_work_between_sending_and_its_outcome() {
        for status in S::ALL {
            let expected = matches!(
                status,
                S::Submitted | S::FeePayment | S::InRegistration | S::Suspended
            );
            assert_eq!(at_registry(*status), expected, "{status}");
        }
    }
}
