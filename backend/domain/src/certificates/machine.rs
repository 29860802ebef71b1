//! The certificate application state machine (docs/certificates.md, "Statuses").
//!
//! ```text
//! draft ─submit─> submitted ─operator─> approved | rejected
//! rejected ─edit + submit─> submitted
//! approved ─owner consents + CSR + SMS code─> issuing ─CA signs─> issued
//! issued ─> revoked (owner or operator, with reason) | expired (by time)
//! ```
//!
//! [`apply`] says what an action does in a status; [`may_act`] who may take
//! it; [`allowed_actions`] is what the API lists in every application and in
//! `illegal_transition` problems. `expired` is never stored: [`shown_status`]
//! computes it from the certificate's `not_after`.

use chrono::{DateTime, Utc};
use mezha_api_types::certificates::{ApplicationAction, ApplicationStatus};

/// What an allowed action does to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The status stays (an edit, a code request).
    Stay,
    /// The application moves to this status.
    MoveTo(ApplicationStatus),
}

/// The action is not possible in the application's status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{action}` is not possible while the application is `{status}`")]
pub struct IllegalTransition {
    /// The application's status.
    pub status: ApplicationStatus,
    /// The action asked for.
    pub action: ApplicationAction,
}

/// What `action` does to an application in `status`.
pub fn apply(
    status: ApplicationStatus,
    action: ApplicationAction,
) -> Result<Effect, IllegalTransition> {
    use ApplicationAction as A;
    use ApplicationStatus as S;
    let effect = match (status, action) {
        (S::Draft | S::Rejected, A::Edit) => Some(Effect::Stay),
        (S::Draft | S::Rejected, A::Submit) => Some(Effect::MoveTo(S::Submitted)),
        (S::Submitted, A::Approve) => Some(Effect::MoveTo(S::Approved)),
        (S::Submitted, A::Reject) => Some(Effect::MoveTo(S::Rejected)),
        (S::Approved, A::RequestCode) => Some(Effect::Stay),
        (S::Approved, A::Issue) => Some(Effect::MoveTo(S::Issuing)),
        (S::Issuing, A::Sign) => Some(Effect::MoveTo(S::Issued)),
        (S::Issued, A::Revoke) => Some(Effect::MoveTo(S::Revoked)),
        _ => None,
    };
    effect.ok_or(IllegalTransition { status, action })
}

/// Who is acting on the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The applicant (any acting role except `ca_operator`).
    Owner,
    /// A certification-centre operator (acting as `ca_operator`).
    Operator,
    /// The platform (the CA signing a certificate).
    System,
    /// Someone who may only read (a moderator).
    Observer,
}

/// Whether `actor` may take `action` at all (in any status).
pub fn may_act(actor: Actor, action: ApplicationAction) -> bool {
    use ApplicationAction as A;
    match actor {
        Actor::Owner => matches!(
            action,
            A::Edit | A::Submit | A::RequestCode | A::Issue | A::Revoke
        ),
        Actor::Operator => matches!(action, A::Approve | A::Reject | A::Revoke),
        Actor::System => action == A::Sign,
        Actor::Observer => false,
    }
}

/// The actions `actor` may take now, in [`ApplicationAction::ALL`] order.
/// An expired certificate's application allows nothing.
pub fn allowed_actions(status: ApplicationStatus, actor: Actor) -> Vec<ApplicationAction> {
    ApplicationAction::ALL
        .iter()
        .copied()
        .filter(|action| may_act(actor, *action) && apply(status, *action).is_ok())
        .collect()
}

/// The status shown: `issued` becomes `expired` once the certificate's
/// `not_after` has passed.
pub fn shown_status(
    stored: ApplicationStatus,
    not_after: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ApplicationStatus {
    match (stored, not_after) {
        (ApplicationStatus::Issued, Some(end)) if end < now => ApplicationStatus::Expired,
        (status, _) => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationAction as A;
    use ApplicationStatus as S;

    /// Every possible (status, action) with its effect; all else refused.
    const TABLE: [(S, A, Effect); 10] = [
        (S::Draft, A::Edit, Effect::Stay),
        (S::Draft, A::Submit, Effect::MoveTo(S::Submitted)),
        (S::Rejected, A::Edit, Effect::Stay),
        (S::Rejected, A::Submit, Effect::MoveTo(S::Submitted)),
        (S::Submitted, A::Approve, Effect::MoveTo(S::Approved)),
        (S::Submitted, A::Reject, Effect::MoveTo(S::Rejected)),
        (S::Approved, A::RequestCode, Effect::Stay),
        (S::Approved, A::Issue, Effect::MoveTo(S::Issuing)),
        (S::Issuing, A::Sign, Effect::MoveTo(S::Issued)),
        (S::Issued, A::Revoke, Effect::MoveTo(S::Revoked)),
    ];

    #[test]
    fn every_status_and_action_matches_the_table() {
        for status in S::ALL {
            for action in A::ALL {
                let expected = TABLE
                    .iter()
                    .find(|(s, a, _)| s == status && a == action)
                    .map(|(_, _, e)| *e);
                let got = apply(*status, *action);
                match expected {
                    Some(effect) => assert_eq!(got, Ok(effect), "{status} {action}"),
                    None => assert_eq!(
                        got,
                        Err(IllegalTransition {
                            status: *status,
                            action: *action
                        }),
                        "{status} {action}"
                    ),
                }
            }
        }
    }

    #[test]
    fn revoked_and_expired_are_terminal() {
        for status in [S::Revoked, S::Expired] {
            for action in A::ALL {
                assert!(apply(status, *action).is_err());
            }
            for actor in [Actor::Owner, Actor::Operator, Actor::System] {
                assert!(allowed_actions(status, actor).is_empty());
            }
        }
    }

    #[test]
    fn each_action_has_exactly_the_expected_actors() {
        let who = |action: A| -> Vec<Actor> {
            [
                Actor::Owner,
                Actor::Operator,
                Actor::System,
                Actor::Observer,
            ]
            .into_iter()
            .filter(|actor| may_act(*actor, action))
            .collect()
        };
        assert_eq!(who(A::Edit), vec![Actor::Owner]);
        assert_eq!(who(A::Submit), vec![Actor::Owner]);
        assert_eq!(who(A::Approve), vec![Actor::Operator]);
        assert_eq!(who(A::Reject), vec![Actor::Operator]);
        assert_eq!(who(A::RequestCode), vec![Actor::Owner]);
        assert_eq!(who(A::Issue), vec![Actor::Owner]);
        assert_eq!(who(A::Sign), vec![Actor::System]);
        assert_eq!(who(A::Revoke), vec![Actor::Owner, Actor::Operator]);
    }

    #[test]
    fn allowed_actions_depend_on_the_actor() {
        assert_eq!(
            allowed_actions(S::Draft, Actor::Owner),
            vec![A::Edit, A::Submit]
        );
        assert!(allowed_actions(S::Draft, Actor::Operator).is_empty());
        assert_eq!(
            allowed_actions(S::Submitted, Actor::Operator),
            vec![A::Approve, A::Reject]
        );
        assert!(allowed_actions(S::Submitted, Actor::Owner).is_empty());
        assert_eq!(
            allowed_actions(S::Approved, Actor::Owner),
            vec![A::RequestCode, A::Issue]
        );
        assert_eq!(allowed_actions(S::Issuing, Actor::System), vec![A::Sign]);
        assert_eq!(allowed_actions(S::Issued, Actor::Owner), vec![A::Revoke]);
        assert_eq!(allowed_actions(S::Issued, Actor::Operator), vec![A::Revoke]);
        for status in S::ALL {
            assert!(allowed_actions(*status, Actor::Observer).is_empty());
        }
    }

    #[test]
    fn issued_is_shown_expired_after_not_after() {
        let end = DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let before = end - chrono::Duration::seconds(1);
        let after = end + chrono::Duration::seconds(1);
        assert_eq!(shown_status(S::Issued, Some(end), before), S::Issued);
        assert_eq!(shown_status(S::Issued, Some(end), end), S::Issued);
        assert_eq!(shown_status(S::Issued, Some(end), after), S::Expired);
        assert_eq!(shown_status(S::Issued, None, after), S::Issued);
        assert_eq!(shown_status(S::Revoked, Some(end), after), S::Revoked);
        assert_eq!(shown_status(S::Approved, Some(end), after), S::Approved);
    }

    #[test]
    fn refusal_names_status_and_action() {
        let err = apply(S::Draft, A::Approve).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`approve` is not possible while the application is `draft`"
        );
    }
}
