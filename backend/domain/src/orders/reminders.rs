//! Reminders and the overdue mark (docs/reminders.md): when a step of an
//! order has waited long enough for its party to be reminded, when the
//! executor is told that the deadline is near, and when an order is
//! overdue. Pure: the reminder job asks these with the clock's time.

use chrono::{DateTime, NaiveDate, Utc};
use mezha_api_types::orders::OrderStatus;

/// The statuses in which the results are still to be delivered: an order
/// in one of them past its due date is overdue.
pub const BEFORE_RESULTS: [OrderStatus; 3] = [
    OrderStatus::ContractSigning,
    OrderStatus::Prepayment,
    OrderStatus::InProgress,
];

/// How reminders are paced (configuration, docs/reminders.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// A step waits this many days before its party is reminded, and as
    /// many again between reminders.
    pub after_days: u32,
    /// Reminders of one step at most.
    pub repeats: u32,
    /// The executor is told this many days before the due date.
    pub deadline_notice_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            after_days: 3,
            repeats: 3,
            deadline_notice_days: 3,
        }
    }
}

/// The latest reminder due for a step waiting since `since`: its number
/// (the n-th is due n × `after_days` days after `since`, up to `repeats`)
/// and the whole days waited. `None` before the first is due.
pub fn reminder_due(
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Option<(u32, i64)> {
    if policy.after_days == 0 || policy.repeats == 0 {
        return None;
    }
    let waited = (now - since).num_days();
    let n = waited / i64::from(policy.after_days);
    (n >= 1).then(|| {
        (
            u32::try_from(n).unwrap_or(u32::MAX).min(policy.repeats),
            waited,
        )
    })
}

/// Whether an order is overdue on `today`: its results are still to be
/// delivered and its due date has passed.
pub fn overdue(status: OrderStatus, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    BEFORE_RESULTS.contains(&status) && due.is_some_and(|due| due < today)
}

/// Whether an order counts as done on time for its executor's on-time
/// percent: delivered (the first delivery of results, its Moscow day) by
/// the due date, or late; an order still before its results counts as late
/// once overdue and not at all before. `None`: it does not count (no due
/// date, or no results and nothing to deliver any more).
pub fn on_time(
    status: OrderStatus,
    due: Option<NaiveDate>,
    first_delivery: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<bool> {
    let due = due?;
    match first_delivery {
        Some(day) => Some(day <= due),
        None if overdue(status, Some(due), today) => Some(false),
        None => None,
    }
}

/// The days left when the executor is to be told that the due date is
/// near: the results are still to be delivered and the due date is at
/// most `deadline_notice_days` away, not passed.
pub fn deadline_notice(
    status: OrderStatus,
    due: Option<NaiveDate>,
    today: NaiveDate,
    policy: &Policy,
) -> Option<i64> {
    let due = due?;
    let left = (due - today).num_days();
    (BEFORE_RESULTS.contains(&status)
        && policy.deadline_notice_days > 0
        && (0..=i64::from(policy.deadline_notice_days)).contains(&left))
    .then_some(left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;
    use chrono::Duration;

    fn at(days: i64, hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
            + Duration::days(days)
            + Duration::hours(hours)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap()
    }

    #[test]
    fn reminders_come_every_after_days_up_to_repeats() {
        let p = Policy::default();
        let since = at(0, 0);
        // (days, hours) after `since` → the latest reminder due.
        let table = [
            ((0, 0), None),
            ((2, 23), None),
            ((3, 0), Some((1, 3))),
            ((5, 23), Some((1, 5))),
            ((6, 0), Some((2, 6))),
            ((9, 0), Some((3, 9))),
            ((30, 0), Some((3, 30))),
        ];
        for ((d, h), want) in table {
            assert_eq!(reminder_due(since, at(d, h), &p), want, "{d} d {h} h");
        }
        let never = Policy { after_days: 0, ..p };
        assert_eq!(reminder_due(since, at(30, 0), &never), None);
        // A clock behind the step (another replica's) reminds of nothing.
        assert_eq!(reminder_due(since, at(-5, 0), &p), None);
    }

    #[test]
    fn overdue_only_before_the_results_and_after_the_due_date() {
        for status in S::ALL {
            let before = BEFORE_RESULTS.contains(status);
            assert_eq!(overdue(*status, Some(day(10)), day(11)), before, "{status}");
            assert!(
                !overdue(*status, Some(day(10)), day(10)),
                "{status}: due today"
            );
            assert!(!overdue(*status, None, day(11)), "{status}: no due date");
        }
    }

    #[test]
    fn on_time_is_the_first_delivery_by_the_due_date() {
        let due = Some(day(10));
        // (status, first delivery, today) → counts as
        let table = [
            (S::Completed, Some(day(10)), day(20), Some(true)),
            (S::Acceptance, Some(day(9)), day(20), Some(true)),
            (S::InProgress, Some(day(11)), day(20), Some(false)),
            (S::InProgress, None, day(10), None),
            (S::InProgress, None, day(11), Some(false)),
            (S::Suspended, None, day(11), None),
            (S::Completed, None, day(11), None),
        ];
        for (status, delivered, today, want) in table {
            assert_eq!(
                on_time(status, due, delivered, today),
                want,
                "{status} {delivered:?}"
            );
        }
        assert_eq!(on_time(S::Completed, None, Some(day(1)), day(20)), None);
    }

    #[test]
    fn the_deadline_notice_covers_the_last_days_before_the_due_date() {
        let p = Policy::default();
        let due = Some(day(10));
        let table = [
            (6, None),
            (7, Some(3)),
            (9, Some(1)),
            (10, Some(0)),
            (11, None),
        ];
        for (today, want) in table {
            assert_eq!(
                deadline_notice(S::InProgress, due, day(today), &p),
                want,
                "{today}"
            );
        }
        assert_eq!(deadline_notice(S::Acceptance, due, day(9), &p), None);
        assert_eq!(deadline_notice(S::InProgress, None, day(9), &p), None);
    }
}
