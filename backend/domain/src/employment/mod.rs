//! Employment of a cadastral engineer by an employer
//! (docs/employers.md): the statuses and what moves between them.
//!
//! ```text
//! (engineer files a join request) ──> requested ─approve─> active
//!                                     requested ─reject──> rejected
//! (employer adds an engineer) ──────> active ─suspend─> suspended ─resume─> active
//! requested | active | suspended ─remove (employer) / leave (engineer)─> removed
//! ```
//!
//! An engineer has at most one *current* employment (requested, active or
//! suspended); `rejected` and `removed` are history. [`apply`] says where an
//! action leads from a status, or refuses it. Pure: no I/O.

pub use mezha_api_types::engineers::EmploymentStatus as Status;

/// What can be done to an employment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The employer accepts a join request.
    Approve,
    /// The employer turns a join request down.
    Reject,
    /// The employer suspends an employee (he keeps the employer but works
    /// on his own requisites).
    Suspend,
    /// The employer lifts a suspension.
    Resume,
    /// The employer ends the employment (or drops a pending request).
    Remove,
    /// The engineer leaves, or withdraws his request.
    Leave,
}

impl Action {
    /// The statuses this action starts from.
    pub fn from(self) -> &'static [Status] {
        match self {
            Action::Approve | Action::Reject => &[Status::Requested],
            Action::Suspend => &[Status::Active],
            Action::Resume => &[Status::Suspended],
            Action::Remove | Action::Leave => &CURRENT,
        }
    }

    /// The status this action leads to.
    pub fn to(self) -> Status {
        match self {
            Action::Approve | Action::Resume => Status::Active,
            Action::Reject => Status::Rejected,
            Action::Suspend => Status::Suspended,
            Action::Remove | Action::Leave => Status::Removed,
        }
    }

    /// The statuses it starts from, as a person reads them
    /// (`requested or active or suspended`).
    pub fn needs(self) -> String {
        self.from()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// Whether taking it is the employer's decision on a join request
    /// (which records when it was decided).
    pub fn decides(self) -> bool {
        matches!(self, Action::Approve | Action::Reject)
    }
}

/// The statuses of a current employment: at most one per engineer.
pub const CURRENT: [Status; 3] = [Status::Requested, Status::Active, Status::Suspended];

/// Whether `status` is one of a current employment.
pub fn is_current(status: Status) -> bool {
    CURRENT.contains(&status)
}

/// The action is not possible in the employment's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the employment is {}; this action needs {}", .status.as_str(), .action.needs())]
pub struct Refused {
    /// The employment's status.
    pub status: Status,
    /// The action asked for.
    pub action: Action,
}

/// Where `action` leads from `status`.
pub fn apply(status: Status, action: Action) -> Result<Status, Refused> {
    if action.from().contains(&status) {
        Ok(action.to())
    } else {
        Err(Refused { status, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_STATUSES: [Status; 5] = [
        Status::Requested,
        Status::Active,
        Status::Rejected,
        Status::Suspended,
        Status::Removed,
    ];
    const ALL_ACTIONS: [Action; 6] = [
        Action::Approve,
        Action::Reject,
        Action::Suspend,
        Action::Resume,
        Action::Remove,
        Action::Leave,
    ];

    #[test]
    fn every_status_and_action() {
        use Action as A;
        use Status as S;
        for status in ALL_STATUSES {
            for action in ALL_ACTIONS {
                let expected = match (status, action) {
                    (S::Requested, A::Approve) => Some(S::Active),
                    (S::Requested, A::Reject) => Some(S::Rejected),
                    (S::Active, A::Suspend) => Some(S::Suspended),
                    (S::Suspended, A::Resume) => Some(S::Active),
                    (S::Requested | S::Active | S::Suspended, A::Remove | A::Leave) => {
                        Some(S::Removed)
                    }
                    _ => None,
                };
                assert_eq!(
                    apply(status, action).ok(),
                    expected,
                    "{status:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn history_is_final_and_not_current() {
        for status in [Status::Rejected, Status::Removed] {
            assert!(!is_current(status));
            for action in ALL_ACTIONS {
                assert!(apply(status, action).is_err());
            }
        }
        for status in CURRENT {
            assert!(is_current(status));
        }
    }

    #[test]
    fn a_refusal_names_the_status_and_what_is_needed() {
        let refused = apply(Status::Suspended, Action::Suspend).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the employment is suspended; this action needs active"
        );
        let refused = apply(Status::Removed, Action::Leave).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the employment is removed; this action needs requested or active or suspended"
        );
    }

    #[test]
    fn only_decisions_on_requests_are_decisions() {
        for action in ALL_ACTIONS {
            assert_eq!(
                action.decides(),
                matches!(action, Action::Approve | Action::Reject)
            );
        }
    }
}
