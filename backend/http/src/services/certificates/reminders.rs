//! Expiry reminders (SPEC §5): an e-mail to the owner 30 and 7 days before
//! a valid certificate expires, once per threshold. What was sent is kept
//! in `certificate_reminders`, so restarts and several instances do not
//! send twice; a certificate first seen within 7 days gets only the 7-day
//! reminder.

use crate::clock::Clock;
use crate::services::messaging::{Mail, Mailer};
use chrono::{DateTime, Duration, Utc};
use mezha_store::DatabaseConnection;
use mezha_store::certificates as store;
use std::sync::Arc;

/// Days before `not_after` at which the owner is reminded, nearest first.
pub const THRESHOLDS: [i32; 2] = [7, 30];

/// Sends the reminders due at `now`; returns how many were sent.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    for days in THRESHOLDS {
        let due =
            store::expiring_without_reminder(db, now, now + Duration::days(i64::from(days)), days)
                .await?;
        for (cert, email) in due {
            if !store::mark_reminded(db, cert.id, days, now).await? {
                continue;
            }
            // The nearer reminder makes the farther ones pointless.
            for farther in THRESHOLDS.iter().filter(|d| **d > days) {
                store::mark_reminded(db, cert.id, *farther, now).await?;
            }
            let Some(to) = email else {
                tracing::warn!(certificate = %cert.id, "no e-mail for the expiry reminder");
                continue;
            };
            let left = (cert.not_after - now).num_days().max(0);
            let until = (cert.not_after + Duration::hours(3)).format("%d.%m.%Y");
            let mail = Mail {
                to,
                subject: format!("Сертификат электронной подписи истекает через {left} дн."),
                body: format!(
                    "Здравствуйте!\n\nСрок действия вашего сертификата электронной подписи \
                     (серийный номер {serial}) истекает {until} (через {left} дн.).\n\
                     Чтобы продолжить подписывать документы, продлите его: {url}/certificates/{id}\n\n\
                     Межа",
                    serial = cert.serial,
                    url = public_url.trim_end_matches('/'),
                    id = cert.id,
                ),
            };
            match mailer.send(mail).await {
                Ok(()) => sent += 1,
                Err(e) => {
                    tracing::error!(certificate = %cert.id, error = %format!("{e:#}"), "expiry reminder not sent")
                }
            }
        }
    }
    Ok(sent)
}

/// Checks for due reminders every `every`, forever (spawned at start).
pub async fn run(
    db: DatabaseConnection,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    public_url: String,
    every: std::time::Duration,
) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match send_due(&db, mailer.as_ref(), &public_url, clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "certificate expiry reminders"),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "certificate expiry reminders failed")
            }
        }
    }
}
