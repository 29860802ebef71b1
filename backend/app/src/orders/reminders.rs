//! Reminders of orders (docs/reminders.md): a party that leaves a step
//! waiting — signing a contract or an act, paying or confirming an
//! invoice, accepting the results — is reminded every
//! `after_days` days, up to `repeats` times; the executor is told when the
//! due date is near, and both parties when it has passed without the
//! results. Each reminder is a notification event recorded once
//! (`order_reminders`), so restarts and several replicas send it once.

use crate::clock::Clock;
use chrono::{DateTime, Utc};
use mezha_domain::notifications::Event;
use mezha_domain::orders::reminders::{Policy, deadline_notice, overdue, reminder_due};
use mezha_store::DatabaseConnection;
use mezha_store::reminders::{self as store, Reminder};
use std::sync::Arc;

/// The `what` of the one-time deadline notices.
const DEADLINE_APPROACHING: &str = "deadline_approaching";
const ORDER_OVERDUE: &str = "order_overdue";

/// Records the reminders due at `now`; returns how many were sent.
pub async fn send_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    policy: &Policy,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    for step in store::waiting(db).await? {
        let Some((sequence, days)) = reminder_due(step.since, now, policy) else {
            continue;
        };
        let reminder = Reminder {
            order_id: step.order_id,
            subject_id: step.subject_id,
            what: step.task.as_str(),
            recipient: step.recipient,
            sequence: i32::try_from(sequence).unwrap_or(i32::MAX),
        };
        let task = step.task;
        let event = move |order| Event::Reminder { order, task, days };
        if store::remind(db, reminder, event, now).await? {
            sent += 1;
        }
    }
    let today = super::today(now);
    for order in store::with_due_date(db).await? {
        let Some(due_date) = order.due_date else {
            continue;
        };
        let once = |what, recipient| Reminder {
            order_id: order.id,
            subject_id: order.id,
            what,
            recipient,
            sequence: 0,
        };
        if let (Some(days_left), Some(executor)) = (
            deadline_notice(order.status, order.due_date, today, policy),
            order.executor_id,
        ) {
            let event = move |order| Event::DeadlineApproaching {
                order,
                due_date,
                days_left,
            };
            if store::remind(db, once(DEADLINE_APPROACHING, executor), event, now).await? {
                sent += 1;
            }
        }
        if overdue(order.status, order.due_date, today) {
            for party in std::iter::once(order.customer_id).chain(order.executor_id) {
                let event = move |order| Event::OrderOverdue { order, due_date };
                if store::remind(db, once(ORDER_OVERDUE, party), event, now).await? {
                    sent += 1;
                }
            }
        }
    }
    Ok(sent)
}

/// Checks for due reminders every `every`, forever (spawned at start).
pub async fn run(
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    every: std::time::Duration,
    policy: Policy,
) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match send_due(&db, clock.now(), &policy).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminders = n, "order reminders"),
            Err(e) => tracing::error!(error = %format!("{e:#}"), "order reminders failed"),
        }
    }
}
