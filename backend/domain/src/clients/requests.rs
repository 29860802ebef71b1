//! Requests of a client's data by e-mail (docs/clients.md, "Requests by
//! e-mail"): an employee mails a person a one-use link; the person fills in
//! his own data and scans without an account; the employee reviews what
//! was submitted and accepts it into the base.
//!
//! ```text
//! sent ─person submits─> submitted ─employee accepts─> accepted
//! sent ─time runs out─> expired
//! ```

use chrono::{DateTime, Duration, Utc};
pub use mezha_api_types::clients::{ClientRequestAction, ClientRequestStatus};

/// How long a request's link works.
pub const REQUEST_TTL: Duration = Duration::days(3);

/// Most files a person may upload through one request.
pub const FILES_MAX: usize = 20;

/// Largest scan a person may upload (bytes).
pub const SCAN_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Where a request stands at `now`.
pub fn status(
    submitted_at: Option<DateTime<Utc>>,
    accepted_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ClientRequestStatus {
    match (submitted_at, accepted_at) {
        (_, Some(_)) => ClientRequestStatus::Accepted,
        (Some(_), None) => ClientRequestStatus::Submitted,
        (None, None) if now >= expires_at => ClientRequestStatus::Expired,
        (None, None) => ClientRequestStatus::Sent,
    }
}

/// Whether the person may still upload and submit through the link.
pub fn link_works(status: ClientRequestStatus) -> bool {
    status == ClientRequestStatus::Sent
}

/// What an employee may do with a request of `status`.
pub fn allowed_actions(status: ClientRequestStatus) -> Vec<ClientRequestAction> {
    match status {
        ClientRequestStatus::Submitted => vec![ClientRequestAction::Accept],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_follows_the_facts_and_the_clock() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let s = Duration::seconds(1);
        use ClientRequestStatus::*;
        let table = [
            (None, None, now + s, Sent),
            (None, None, now, Expired),
            (Some(now - s), None, now - s, Submitted),
            (Some(now - s), Some(now), now - s, Accepted),
        ];
        for (submitted, accepted, expires, expected) in table {
            assert_eq!(status(submitted, accepted, expires, now), expected);
        }
        assert!(link_works(Sent));
        for done in [Submitted, Accepted, Expired] {
            assert!(!link_works(done));
        }
        assert_eq!(allowed_actions(Submitted), [ClientRequestAction::Accept]);
        assert!(allowed_actions(Sent).is_empty());
        assert!(allowed_actions(Accepted).is_empty());
    }
}
