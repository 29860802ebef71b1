//! The registry's answers and the gateway client's retries (docs/deals.md,
//! "Sending", "The registry's answers"; the protocol: docs/registry-gateway.md).
//!
//! A package's statuses come as events numbered by the registry (`seq`),
//! by callback and by polling, possibly twice and out of order. Each is
//! recorded once; only the newest one known moves the deal, by the path
//! [`actions_for`] gives from where the deal is (so a `registered` that
//! arrives before the `in_registration` it follows still ends a suspended
//! deal registered, and a late old event never moves it back).

use mezha_api_types::deals::{DealAction, DealStatus};
use std::time::Duration;

pub use mezha_api_types::deals::RegistryStatus;

/// The deal's actions that bring a deal in `deal` to where the registry
/// says the package is; empty when nothing changes (the deal is there
/// already, or waits for the platform — the fee is the platform's to pay).
pub fn actions_for(deal: DealStatus, registry: RegistryStatus) -> Vec<DealAction> {
    use DealAction as A;
    use DealStatus as D;
    use RegistryStatus as R;
    match (deal, registry) {
        (D::Submitted | D::FeePayment | D::InRegistration | D::Suspended, R::Refused) => {
            vec![A::RegistryRefused]
        }
        (D::Submitted, R::Accepted) => vec![A::RegistryAccepted],
        (D::InRegistration, R::Suspended) => vec![A::RegistrySuspended],
        (D::InRegistration, R::Registered) => vec![A::RegistryRegistered],
        (D::Suspended, R::InRegistration) => vec![A::RegistryResumed],
        (D::Suspended, R::Registered) => vec![A::RegistryResumed, A::RegistryRegistered],
        _ => Vec::new(),
    }
}

/// First pause after a failed attempt to reach the gateway.
pub const FIRST_RETRY: Duration = Duration::from_secs(2);
/// Longest pause between attempts.
pub const LONGEST_RETRY: Duration = Duration::from_secs(15 * 60);
/// Attempts before a job is given up (about a day of trying).
pub const MAX_ATTEMPTS: u32 = 100;

/// The pause after the `attempts`-th failed attempt (1, 2, …): exponential
/// from [`FIRST_RETRY`], capped at [`LONGEST_RETRY`], with "full jitter"
/// — a share `jitter` in `[0, 1)` of it is taken off at random, so that
/// clients that failed together do not retry together. `None`: give up.
pub fn retry_after(attempts: u32, jitter: f64) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = attempts.saturating_sub(1).min(20);
    let full = FIRST_RETRY.saturating_mul(1 << exponent).min(LONGEST_RETRY);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 0.999)
    } else {
        0.0
    };
    // At least half the pause is kept: a retry never comes at once.
    Some(full.mul_f64(1.0 - jitter / 2.0))
}

/// Whether a refusal of the gateway is final (the package or notice is
/// wrong and sending it again cannot help): 4xx other than 408 (timeout),
/// 409 (still being processed) and 429 (slow down).
pub fn final_refusal(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 409 | 429)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DealAction as A;
    use DealStatus as D;
    use RegistryStatus as R;

    #[test]
    fn every_deal_status_and_registry_status_has_its_path() {
        for deal in D::ALL {
            for registry in R::ALL.iter().copied() {
                let expected: Vec<DealAction> = match (deal, registry) {
                    (D::Submitted, R::Accepted) => vec![A::RegistryAccepted],
                    (D::InRegistration, R::Suspended) => vec![A::RegistrySuspended],
                    (D::InRegistration, R::Registered) => vec![A::RegistryRegistered],
                    (D::Suspended, R::InRegistration) => vec![A::RegistryResumed],
                    (D::Suspended, R::Registered) => {
                        vec![A::RegistryResumed, A::RegistryRegistered]
                    }
                    (
                        D::Submitted | D::FeePayment | D::InRegistration | D::Suspended,
                        R::Refused,
                    ) => {
                        vec![A::RegistryRefused]
                    }
                    _ => vec![],
                };
                assert_eq!(
                    actions_for(*deal, registry),
                    expected,
                    "{deal} {registry:?}"
                );
            }
        }
    }

    #[test]
    fn every_path_is_legal_in_the_deal_machine() {
        use crate::deals::machine::{DealFacts, Effect, apply};
        for deal in D::ALL {
            for registry in R::ALL.iter().copied() {
                let mut at = *deal;
                for action in actions_for(*deal, registry) {
                    let facts = DealFacts {
                        complete: true,
                        suspended_from: Some(D::InRegistration),
                    };
                    match apply(at, action, &facts) {
                        Ok(Effect::MoveTo(to)) => at = to,
                        other => panic!("{deal} {registry:?}: {action} gives {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn retries_back_off_with_jitter_and_end() {
        assert_eq!(retry_after(1, 0.0), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(2, 0.0), Some(Duration::from_secs(4)));
        assert_eq!(retry_after(5, 0.0), Some(Duration::from_secs(32)));
        assert_eq!(retry_after(30, 0.0), Some(LONGEST_RETRY));
        // Jitter takes off up to half, never more.
        assert_eq!(retry_after(2, 0.5), Some(Duration::from_secs(3)));
        let most = retry_after(2, 0.999_999).unwrap();
        assert!(most > Duration::from_secs(2) && most < Duration::from_secs(4));
        assert_eq!(retry_after(3, f64::NAN), Some(Duration::from_secs(8)));
        assert_eq!(retry_after(MAX_ATTEMPTS - 1, 0.0), Some(LONGEST_RETRY));
        assert_eq!(retry_after(MAX_ATTEMPTS, 0.0), None);
    }

    #[test]
    fn only_a_client_error_is_final() {
        for (status, fin) in [
            (400, true),
            (401, true),
            (404, true),
            (413, true),
            (422, true),
            (408, false),
            (409, false),
            (429, false),
            (500, false),
            (502, false),
            (503, false),
            (200, false),
        ] {
            assert_eq!(final_refusal(status), fin, "{status}");
        }
    }
}
