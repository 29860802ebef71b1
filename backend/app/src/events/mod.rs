//! Live events (docs/notifications.md, "Live events (SSE)"): `GET /events` streams the caller's new
//! notifications and counter changes as Server-Sent Events, whichever
//! server process caused them ([`mezha_store::bus`]: Redis pub/sub, or an
//! in-process channel on the embedded default).
//!
//! * [`Hub`] — the bus and the open streams of this process (bounded per user);
//! * [`publish_notification`], [`publish_counters`] — called where the
//!   worker creates a notification and where counters change;
//! * [`tickets`] — one-use tickets for browsers' `EventSource`;
//! * [`stream`] — one connection: subscribe, replay, then live, with heartbeats.

pub mod stream;
pub mod tickets;

use crate::notifications as notif;
use mezha_api_types::events::LiveEventKind;
use mezha_store::DatabaseConnection;
use mezha_store::bus::{Bus, BusMessage};
use mezha_store::counters::Unread;
use mezha_store::notifications as store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// The bus and this process's open streams; cheap to clone.
#[derive(Clone, Debug)]
pub struct Hub {
    bus: Bus,
    open: Arc<Mutex<HashMap<Uuid, usize>>>,
}

/// One open stream of a user; dropping it (the connection ended) frees it.
#[derive(Debug)]
pub struct Slot {
    user: Uuid,
    open: Arc<Mutex<HashMap<Uuid, usize>>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&self.open);
        if let Some(n) = open.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

fn lock(m: &Mutex<HashMap<Uuid, usize>>) -> std::sync::MutexGuard<'_, HashMap<Uuid, usize>> {
    // Plain counts: a panic elsewhere leaves them consistent.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Hub {
    /// A hub over `bus`.
    pub fn new(bus: Bus) -> Hub {
        Hub {
            bus,
            open: Arc::default(),
        }
    }

    /// The bus.
    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// A slot for one more stream of `user`, unless he has `max` open here.
    pub fn open_slot(&self, user: Uuid, max: usize) -> Option<Slot> {
        let mut open = lock(&self.open);
        let n = open.entry(user).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            user,
            open: Arc::clone(&self.open),
        })
    }

    /// Streams open in this process (all users).
    pub fn open_streams(&self) -> usize {
        lock(&self.open).values().sum()
    }
}

/// Publishes the new notification `id` of `user` (rendered in his
/// language). Failures are logged: the stream's replay covers them.
pub async fn publish_notification(
    hub: &Hub,
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
    public_url: &str,
) {
    let result = async {
        let Some(record) = store::get(db, user, id).await? else {
            return Ok(());
        };
        let lang = store::settings_of(db, user).await?.language;
        let data = serde_json::to_value(notif::view(record, lang, public_url))
            .map_err(anyhow::Error::from)?;
        hub.bus
            .publish(&BusMessage {
                user,
                event: LiveEventKind::Notification.as_str().to_owned(),
                id: Some(id.to_string()),
                data,
            })
            .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(%user, notification = %id, error = %format!("{e:#}"), "live notification not published");
    }
}

/// Publishes the counters of `user` as they are now. Failures are logged.
pub async fn publish_counters(hub: &Hub, db: &DatabaseConnection, unread: &Unread, user: Uuid) {
    let result = async {
        let counts = notif::counts(db, unread, user)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        hub.bus
            .publish(&BusMessage {
                user,
                event: LiveEventKind::Counters.as_str().to_owned(),
                id: None,
                data: serde_json::to_value(counts)?,
            })
            .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(%user, error = %format!("{e:#}"), "live counters not published");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_per_user_and_freed_on_drop() {
        let hub = Hub::new(Bus::memory());
        let (anna, petr) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut held: Vec<Slot> = (0..2).filter_map(|_| hub.open_slot(anna, 2)).collect();
        assert_eq!(held.len(), 2);
        assert!(hub.open_slot(anna, 2).is_none());
        let other = hub.open_slot(petr, 2);
        assert!(other.is_some());
        assert_eq!(hub.open_streams(), 3);
        held.pop();
        assert!(hub.open_slot(anna, 2).is_some());
        drop((held, other));
        assert_eq!(hub.open_streams(), 0);
    }
}
