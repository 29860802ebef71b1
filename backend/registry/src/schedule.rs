//! The stand-in registrar's schedule: which step comes after which, and
//! what each does to a package (docs/registry-gateway.md, "Schedule").
//!
//! ```text
//! received ─Check (accept_after)─> accepted | refused
//! accepted ─fee notice, then StartRegistration (register_after)─> in_registration
//! in_registration ─Decide (register_after)─> registered | refused | suspended
//! suspended ─Resume (register_after)─> in_registration ─Decide─> registered
//! ```
//!
//! `Decide` follows the reference's [`Plan`] (registered when none); after
//! one suspension the registration always ends `registered`. Everything
//! here is pure: the server runs a step when it is due, applies the
//! [`Transition`] and schedules the next step.

use crate::protocol::{PackageStatus, Plan, PlannedOutcome};

/// A scheduled step of a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The intake checks.
    Check,
    /// The registrar takes up a paid package.
    StartRegistration,
    /// The registrar decides.
    Decide,
    /// A suspended registration resumes.
    Resume,
}

/// Which configured wait precedes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// `accept_after`.
    Accept,
    /// `register_after`.
    Register,
}

impl Step {
    /// The wait before this step.
    pub fn wait(self) -> Wait {
        match self {
            Self::Check => Wait::Accept,
            Self::StartRegistration | Self::Decide | Self::Resume => Wait::Register,
        }
    }
}

/// What a step does: the status entered, the reason shown with it, and the
/// step scheduled next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The status entered.
    pub status: PackageStatus,
    /// The event's message.
    pub message: Option<String>,
    /// The next step, if the package does not wait for something else.
    pub next: Option<Step>,
}

/// The outcome of the checks: `accepted` when `reasons` is empty, else
/// `refused` with every reason.
pub fn after_checks(reasons: &[String]) -> Transition {
    if reasons.is_empty() {
        Transition {
            status: PackageStatus::Accepted,
            message: Some(
                "Пакет принят к рассмотрению, ожидается оплата государственной пошлины".to_owned(),
            ),
            next: None,
        }
    } else {
        Transition {
            status: PackageStatus::Refused,
            message: Some(format!(
                "the package failed the checks: {}",
                reasons.join("; ")
            )),
            next: None,
        }
    }
}

/// The step a fee notice schedules, or `None` when the package is not
/// awaiting its fee.
pub fn after_fee(status: PackageStatus) -> Option<Step> {
    (status == PackageStatus::Accepted).then_some(Step::StartRegistration)
}

/// What a registrar step does to a package whose reference has `plan` and
/// whose registration has (`resumed`) or has not yet been suspended once.
/// `Check` is not a registrar step; it is answered by [`after_checks`].
pub fn registrar(step: Step, plan: Option<&Plan>, resumed: bool) -> Transition {
    let reason = |default: &str| {
        Some(
            plan.and_then(|p| p.reason.clone())
                .unwrap_or_else(|| default.to_owned()),
        )
    };
    match step {
        Step::Check => after_checks(&[]),
        Step::StartRegistration => Transition {
            status: PackageStatus::InRegistration,
            message: Some(
                "Государственная пошлина оплачена, начата государственная регистрация".to_owned(),
            ),
            next: Some(Step::Decide),
        },
        Step::Resume => Transition {
            status: PackageStatus::InRegistration,
            message: Some("Государственная регистрация возобновлена".to_owned()),
            next: Some(Step::Decide),
        },
        Step::Decide => match plan.map(|p| p.outcome) {
            Some(PlannedOutcome::Refused) => Transition {
                status: PackageStatus::Refused,
                message: reason("Отказано в государственной регистрации"),
                next: None,
            },
            Some(PlannedOutcome::SuspendedThenRegistered) if !resumed => Transition {
                status: PackageStatus::Suspended,
                message: reason("Государственная регистрация приостановлена"),
                next: Some(Step::Resume),
            },
            None | Some(PlannedOutcome::Registered | PlannedOutcome::SuspendedThenRegistered) => {
                Transition {
                    status: PackageStatus::Registered,
                    message: Some("Государственная регистрация права проведена".to_owned()),
                    next: None,
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PackageStatus as S;

    fn plan(outcome: PlannedOutcome, reason: Option<&str>) -> Plan {
        Plan {
            outcome,
            reason: reason.map(str::to_owned),
        }
    }

    /// Runs the registrar from `StartRegistration` to the end, as the
    /// server does, and returns the statuses entered with their messages.
    fn run(plan: Option<&Plan>) -> Vec<(PackageStatus, Option<String>)> {
        let mut out = Vec::new();
        let mut resumed = false;
        let mut step = Some(Step::StartRegistration);
        while let Some(s) = step {
            let t = registrar(s, plan, resumed);
            if s == Step::Resume {
                resumed = true;
            }
            out.push((t.status, t.message));
            step = t.next;
            assert!(out.len() < 10, "the schedule ends");
        }
        out
    }

    fn statuses(run: &[(PackageStatus, Option<String>)]) -> Vec<PackageStatus> {
        run.iter().map(|(s, _)| *s).collect()
    }

    #[test]
    fn checks_accept_or_refuse_with_every_reason() {
        let ok = after_checks(&[]);
        assert_eq!((ok.status, ok.next), (S::Accepted, None));
        let refused = after_checks(&["no statement".to_owned(), "bad hash".to_owned()]);
        assert_eq!((refused.status, refused.next), (S::Refused, None));
        let message = refused.message.unwrap();
        assert!(message.contains("no statement; bad hash"), "{message}");
    }

    #[test]
    fn only_an_accepted_package_takes_a_fee() {
        for status in S::ALL {
            let expected = (status == S::Accepted).then_some(Step::StartRegistration);
            assert_eq!(after_fee(status), expected, "{status}");
        }
    }

    #[test]
    fn every_plan_ends_in_a_final_status() {
        assert_eq!(statuses(&run(None)), [S::InRegistration, S::Registered]);
        assert_eq!(
            statuses(&run(Some(&plan(PlannedOutcome::Registered, None)))),
            [S::InRegistration, S::Registered]
        );
        let refused = run(Some(&plan(PlannedOutcome::Refused, Some("no right"))));
        assert_eq!(statuses(&refused), [S::InRegistration, S::Refused]);
        assert_eq!(refused[1].1.as_deref(), Some("no right"));
        let suspended = run(Some(&plan(PlannedOutcome::SuspendedThenRegistered, None)));
        assert_eq!(
            statuses(&suspended),
            [
                S::InRegistration,
                S::Suspended,
                S::InRegistration,
                S::Registered
            ]
        );
        assert_eq!(
            suspended[1].1.as_deref(),
            Some("Государственная регистрация приостановлена")
        );
        for plan_ in [None, Some(PlannedOutcome::Refused)] {
            let last = run(plan_.map(|o| plan(o, None)).as_ref()).pop().unwrap();
            assert!(last.0.is_final());
        }
    }

    #[test]
    fn waits() {
        assert_eq!(Step::Check.wait(), Wait::Accept);
        for step in [Step::StartRegistration, Step::Decide, Step::Resume] {
            assert_eq!(step.wait(), Wait::Register);
        }
    }
}
