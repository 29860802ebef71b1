//! Expiry reminders (docs/certificates.md, "Expiry reminders"): the owner is told
//! 30 and 7 days before a
//! valid certificate expires, once per threshold. Each reminder is a
//! `certificate_expiring` notification event, written in one transaction
//! with its row in `certificate_reminders`, so restarts and several
//! instances do not remind twice; the notification worker delivers it
//! (in-app, e-mail, SMS per the owner's settings). A certificate first
//! seen within 7 days gets only the 7-day reminder.

use crate::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use mezha_store::DatabaseConnection;
use mezha_store::certificates as store;
use std::sync::Arc;

/// Days before `not_after` at which the owner is reminded, nearest first.
pub const THRESHOLDS: [i32; 2] = [7, 30];

/// Records the reminders due at `now`; returns how many.
pub async fn send_due(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut sent = 0;
    for days in THRESHOLDS {
        let due =
            store::expiring_without_reminder(db, now, now + Duration::days(i64::from(days)), days)
                .await?;
        for (cert, _) in due {
            if !store::remind(db, &cert, days, now).await? {
                continue;
            }
            // The nearer reminder makes the farther ones pointless.
            for farther in THRESHOLDS.iter().filter(|d| **d > days) {
                store::mark_reminded(db, cert.id, *farther, now).await?;
            }
            sent += 1;
        }
    }
    Ok(sent)
}

/// Checks for due reminders every `every`, forever (spawned at start).
pub async fn run(db: DatabaseConnection, clock: Arc<dyn Clock>, every: std::time::Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match send_due(&db, clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminders = n, "certificate expiry reminders"),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "certificate expiry reminders failed")
            }
        }
    }
}
