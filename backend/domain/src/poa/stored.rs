//! A power of attorney kept in an organisation's settings
//! (docs/power-of-attorney.md, "What the API does with it"):
//!
//! ```text
//! awaiting_signature ─head signs─> active ─admin revokes─> revoked
//! awaiting_signature ─admin revokes─> revoked
//! active, past its last valid day: shown as expired (still revocable)
//! ```
//!
//! Only the admin acts on it; every other member reads it.

use chrono::NaiveDate;
use mezha_api_types::powers_of_attorney::{PoaAction, PoaStatus};

/// The status shown of one stored as `stored`, whose last valid day (a
/// Moscow date) is `valid_until`, on `today`: a signed one past that day
/// is expired.
pub fn shown_status(stored: PoaStatus, valid_until: NaiveDate, today: NaiveDate) -> PoaStatus {
    match stored {
        PoaStatus::Active if valid_until < today => PoaStatus::Expired,
        other => other,
    }
}

/// What a member may do with one in `status` (as shown): the admin signs
/// an unsigned one and revokes any not revoked; the others only read.
pub fn actions(status: PoaStatus, admin: bool) -> Vec<PoaAction> {
    if !admin {
        return Vec::new();
    }
    match status {
        PoaStatus::AwaitingSignature => vec![PoaAction::Sign, PoaAction::Revoke],
        PoaStatus::Active | PoaStatus::Expired => vec![PoaAction::Revoke],
        PoaStatus::Revoked => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_signed_one_expires_after_its_last_valid_day() {
        assert_eq!(
            shown_status(PoaStatus::Active, day(7), day(7)),
            PoaStatus::Active
        );
        assert_eq!(
            shown_status(PoaStatus::Active, day(7), day(8)),
            PoaStatus::Expired
        );
        for other in [PoaStatus::AwaitingSignature, PoaStatus::Revoked] {
            assert_eq!(shown_status(other, day(7), day(8)), other, "{other:?}");
        }
    }

    #[test]
    fn the_admin_signs_and_revokes_the_others_read() {
        let all = [
            PoaStatus::AwaitingSignature,
            PoaStatus::Active,
            PoaStatus::Expired,
            PoaStatus::Revoked,
        ];
        for status in all {
            assert!(actions(status, false).is_empty(), "{status:?}");
            let mine = actions(status, true);
            assert_eq!(
                mine.contains(&PoaAction::Sign),
                status == PoaStatus::AwaitingSignature,
                "{status:?}"
            );
            assert_eq!(
                mine.contains(&PoaAction::Revoke),
                status != PoaStatus::Revoked,
                "{status:?}"
            );
        }
    }
}
